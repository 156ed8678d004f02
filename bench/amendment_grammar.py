"""How much of the corpus's 타법개정 text the amendment grammar reads.

    python bench/amendment_grammar.py PATH [--out bench/results/amendment_grammar.json]
        [--examples 3] [--fraction 1.0]

PATH is legalize-kr's statute corpus: the unpacked ``statutes-kr.tar.xz`` (a directory
holding ``kr/``) or the archive itself. Every 부칙 of every file is searched for 타법개정
clauses (``… 일부를 다음과 같이 개정한다.`` and the lines below it, ``find_clauses``), and
each clause is parsed (``parse_clause``). A clause counts as parsed when every one of its
sentences became operations and every block of new text found its operation. The same
clause stands in the amending law's file and in the amended law's (under ``부칙(amending
law)``), so the figures are given for every occurrence and for distinct clauses (amending
act number, amended law, text).

Prints a Markdown summary and writes the figures as JSON: clauses found and parsed,
operations by kind and by form (kind/part), and the sentences not read, grouped by
reason, each with examples (file, line, text).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from legigraph.amendments.clauses import find_clauses
from legigraph.amendments.grammar import looks_like_sentence, parse_clause
from legigraph.model.text import nfc
from legigraph.sources.corpus import list_corpus

_TITLE = re.compile(r"^제목:\s*(.+?)\s*$", re.MULTILINE)
_WORDS = re.compile(r"unexpected '(.*)' ")


def group_of(reason: str) -> tuple[str, str]:
    """A reason's group (the words not expected taken out) and those words."""
    m = _WORDS.match(reason)
    if m is None:
        return reason, ""
    return "unexpected words " + reason[m.end() :], m.group(1)


def run(root: Path, examples: int, fraction: float) -> dict[str, Any]:
    start = time.perf_counter()
    members, digest = list_corpus(root)
    step = max(1, round(1 / fraction)) if fraction < 1 else 1
    members = [m for m in members if not m.problem][::step]  # links, devices: never read
    found = parsed = 0
    unique: dict[tuple[str, str, str], bool] = {}
    by_kind: Counter[str] = Counter()
    by_form: Counter[str] = Counter()
    sentences = unparsed_sentences = 0
    groups: Counter[str] = Counter()
    group_clauses: Counter[str] = Counter()
    words: defaultdict[str, Counter[str]] = defaultdict(Counter)
    shown: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    no_operations = 0
    for member in members:
        text = nfc(member.read().decode("utf-8"))
        title = m.group(1).strip("'\"") if (m := _TITLE.search(text[:2000])) else ""
        for clause in find_clauses(text, member.name, title):
            found += 1
            result = parse_clause(clause)
            key = (clause.amending_number, clause.amended, clause.text)
            unique[key] = result.complete
            parsed += result.complete
            for op in result.operations:
                by_kind[op.kind.value] += 1
                by_form[op.form] += 1
            sentences += sum(1 for line in clause.text.split("\n") if looks_like_sentence(line))
            unparsed_sentences += len(result.unparsed)
            if not result.operations and not result.unparsed:
                no_operations += 1
                reasons = ["no operations (an empty clause)"]
            else:
                reasons = [u.reason for u in result.unparsed]
            seen: set[str] = set()
            for i, reason in enumerate(reasons):
                group, word = group_of(reason)
                groups[group] += 1
                if word:
                    words[group][word] += 1
                if group not in seen:
                    group_clauses[group] += 1
                    seen.add(group)
                if len(shown[group]) < examples:
                    sample = result.unparsed[i].text if result.unparsed else clause.text
                    shown[group].append(
                        {"file": clause.where, "line": clause.line, "text": sample[:300]}
                    )
    unique_parsed = sum(unique.values())
    reasons_out = [
        {
            "reason": group,
            "sentences": count,
            "clauses": group_clauses[group],
            "top_words": dict(words[group].most_common(8)),
            "examples": shown[group],
        }
        for group, count in groups.most_common()
    ]
    return {
        "command": "python bench/amendment_grammar.py " + " ".join(sys.argv[1:]),
        "corpus": {"source": str(root), "hash": digest, "files": len(members)},
        "clauses": {
            "found": found,
            "parsed": parsed,
            "share_parsed": round(parsed / found, 4) if found else 0.0,
            "distinct": len(unique),
            "distinct_parsed": unique_parsed,
            "distinct_share_parsed": round(unique_parsed / len(unique), 4) if unique else 0.0,
            "empty": no_operations,
        },
        "sentences": {"total": sentences, "unparsed": unparsed_sentences},
        "operations": {
            "total": sum(by_kind.values()),
            "by_kind": dict(by_kind.most_common()),
            "by_form": dict(by_form.most_common()),
        },
        "unparsed": reasons_out,
        "seconds": round(time.perf_counter() - start, 1),
    }


def render(report: dict[str, Any], top: int = 15) -> str:
    c, ops = report["clauses"], report["operations"]
    out = [
        "## 타법개정 clauses: the amendment grammar on the corpus",
        "",
        f"`{report['command']}` — {report['corpus']['files']} files, {report['seconds']} s",
        "",
        "| | found | parsed | share |",
        "|---|---:|---:|---:|",
        f"| clauses (every occurrence) | {c['found']:,} | {c['parsed']:,} | "
        f"{c['share_parsed']:.2%} |",
        f"| distinct clauses | {c['distinct']:,} | {c['distinct_parsed']:,} | "
        f"{c['distinct_share_parsed']:.2%} |",
        "",
        f"Operations: {ops['total']:,}. By kind: "
        + ", ".join(f"{k} {v:,}" for k, v in ops["by_kind"].items()),
        "",
        "| form (kind/part) | operations |",
        "|---|---:|",
        *(f"| {k} | {v:,} |" for k, v in list(ops["by_form"].items())[:top]),
        "",
        f"Sentences not read: {report['sentences']['unparsed']:,} of "
        f"{report['sentences']['total']:,}.",
        "",
        "| reason | sentences | clauses | example |",
        "|---|---:|---:|---|",
    ]
    for r in report["unparsed"][:top]:
        example = r["examples"][0]["text"][:90].replace("|", "\\|") if r["examples"] else ""
        out.append(f"| {r['reason']} | {r['sentences']:,} | {r['clauses']:,} | {example} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="the corpus: a directory holding kr/, or the archive")
    ap.add_argument("--out", type=Path, default=Path("bench/results/amendment_grammar.json"))
    ap.add_argument("--examples", type=int, default=3, help="examples kept for each reason")
    ap.add_argument("--fraction", type=float, default=1.0, help="read every n-th file only")
    args = ap.parse_args(argv)
    report = run(args.path, args.examples, args.fraction)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
