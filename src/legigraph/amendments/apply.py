"""Execute operations on a version of a law's text and return the next version.

Operations run in order on a copy; each raises an ``AmendmentError`` naming the operation
when it does not fit (the quoted text is not in the provision, the provision does not
exist, the place of an insertion is taken). Renumberings written in one list (``제4호 및
제5호를 각각 제5호 및 제6호로``) move together, as the drafting standard means them, and
keep the identity of the provision moved; an inserted provision gets a new identity made
from its path and ``tag`` (the amending act's number, say).

Parts of a text: 본문 is the text before ``다만,``, 단서 from it on; 전단 the first
sentence, 후단 the rest; 각 호 외의 부분 the provision's own text (its items are children).
A 란 or 쪽 of a table or form is not modelled: it stands for the whole text of the 별표.
A repealed provision stays as ``삭제``, the way consolidated Korean texts print it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from legigraph.amendments.blocks import HEADING_KINDS, read_block
from legigraph.amendments.errors import (
    AmendmentError,
    BlockMismatch,
    InsertionPointTaken,
    ProvisionNotFound,
    TextNotFound,
)
from legigraph.amendments.model import Kind, Operation, Target
from legigraph.amendments.tree import Node, Version, number_key, place, segment_of

_SECOND = re.compile(r"(?<=다\.)\s+")
_PROVISO = "다만,"
_REPEALED = "삭제"
_ARTICLES = re.compile(
    r"제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*부터\s*제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*까지"
)


@dataclass(frozen=True)
class Move:
    """A provision renumbered: its identity, old path and new path."""

    identity: str
    old: str
    new: str


@dataclass
class Result:
    """The next version and what the operations did to it, path by path."""

    version: Version
    moves: list[Move] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)
    repealed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def text_span(text: str, part: str) -> tuple[int, int] | None:
    """Where ``part`` (main, proviso, first, second) is in ``text``; None if it is not."""
    if part in ("main", "proviso"):
        at = text.find(_PROVISO)
        if part == "main":
            return 0, at if at >= 0 else len(text)
        return None if at < 0 else (at, len(text))
    if part in ("first", "second"):
        m = _SECOND.search(text)
        if part == "first":
            return 0, m.start() if m else len(text)
        return None if m is None else (m.end(), len(text))
    return 0, len(text)


class _Applier:
    def __init__(self, version: Version, tag: str):
        self.version = version.copy()
        self.tag = tag
        self.result = Result(self.version)

    def node(self, path: str, label: str) -> Node:
        found = self.version.find(path)
        if found is None:
            siblings = self.version.siblings(path) or []
            near = ", ".join(n.path for n in siblings[:12])
            raise ProvisionNotFound(label, path, near)
        return found

    def nodes(self, target: Target) -> list[Node]:
        """The provisions a target names: one, or every sibling from its start to its end."""
        first = self.node(target.path, target.label)
        if target.until is None:
            return [first]
        last = self.node(target.until, target.until_label or target.until)
        siblings = self.version.siblings(target.path) or []
        i, j = siblings.index(first), siblings.index(last) if last in siblings else -1
        if j < i:
            raise ProvisionNotFound(target.until_label or "", target.until, "not after the start")
        return siblings[i : j + 1]

    # -- text inside provisions -------------------------------------------------------
    def slots(self, node: Node, part: tuple[str, ...]) -> list[tuple[Node, str, int, int]]:
        """The (provision, attribute, start, end) stretches of text a part names."""
        if not part or part[0] in ("body",):
            return [(n, "text", 0, len(n.text)) for n in node.walk()]
        if part[0] == "heading":
            return [(node, "heading", 0, len(node.heading))]
        if part[0] == "items":
            return [(n, "text", 0, len(n.text)) for c in node.children for n in c.walk()]
        if part[0] not in ("lead", "main", "proviso", "first", "second"):
            return [(n, "text", 0, len(n.text)) for n in node.walk()]  # 란, 쪽: not modelled
        start, end = 0, len(node.text)
        for p in part:
            span = text_span(node.text[start:end], p)
            if span is None:
                return []
            start, end = start + span[0], start + span[1]
        return [(node, "text", start, end)]

    def substitute(self, op: Operation) -> None:
        old, new = op.old or "", op.new or ""
        for node in self.nodes(op.target):
            slots = self.slots(node, op.target.part)
            count = 0
            for n, attr, start, end in slots:
                text = getattr(n, attr)
                piece = text[start:end]
                if old in piece:
                    count += piece.count(old)
                    setattr(n, attr, text[:start] + piece.replace(old, new) + text[end:])
                    if op.kind is Kind.STRIKE:
                        setattr(n, attr, re.sub(r"  +", " ", getattr(n, attr)).strip())
                    self.result.changed.append(n.path)
            if count == 0:
                looked = " / ".join(getattr(n, a)[s:e] for n, a, s, e in slots) or "(empty)"
                raise TextNotFound(old, op.target.describe(), looked)

    def title(self, op: Operation) -> None:
        if op.kind in (Kind.SUBSTITUTE, Kind.STRIKE):
            if (op.old or "") not in self.version.title:
                raise TextNotFound(op.old or "", "제명", self.version.title)
            self.version.title = self.version.title.replace(op.old or "", op.new or "")
        elif op.kind is Kind.REPLACE:
            self.version.title = (op.new or "").strip()
        else:
            raise AmendmentError(f"{op.kind.value} of the 제명 is not an operation on a title")
        self.result.changed.append("title")

    # -- whole provisions -------------------------------------------------------------
    def repeal(self, op: Operation) -> None:
        for node in self.nodes(op.target):
            part = op.target.part
            if not part:
                node.text, node.heading, node.children = _REPEALED, "", []
                self.result.repealed.append(node.path)
                continue
            if part[0] == "heading":
                node.heading = ""
            elif part[0] == "items":
                node.children = []
            else:
                slots = self.slots(node, part)
                if not slots:
                    raise ProvisionNotFound(op.target.describe(), node.path)
                for n, attr, start, end in slots:
                    text = getattr(n, attr)
                    setattr(n, attr, (text[:start] + text[end:]).strip())
            self.result.changed.append(node.path)

    def replace(self, op: Operation) -> None:
        new = (op.new or "").strip()
        target = op.target
        if target.part:
            self.replace_part(op, new)
            return
        parent = target.path.rpartition("/")[0]
        blocks = read_block(new, parent)
        olds = self.nodes(target)
        if [b.path for b in blocks] != [o.path for o in olds]:
            raise BlockMismatch(
                f"the new text of {target.describe()} reads as "
                f"{[b.path for b in blocks] or 'no provision'}, not {[o.path for o in olds]}"
            )
        siblings = self.version.siblings(target.path)
        assert siblings is not None  # nodes() found them there
        for old, block in zip(olds, blocks, strict=True):
            _keep_identities(old, block, self.tag)
            siblings[siblings.index(old)] = block
            self.result.changed.append(block.path)

    def replace_part(self, op: Operation, new: str) -> None:
        for node in self.nodes(op.target):
            part = op.target.part[0]
            if part == "heading":
                node.heading = new.strip("()")
            elif part == "items":
                node.children = read_block(new, node.path)
                for child in node.children:
                    for n in child.walk():
                        n.identity = n.identity or f"{n.path}@{self.tag}"
            else:
                slots = self.slots(node, op.target.part)
                if not slots:
                    raise ProvisionNotFound(op.target.describe(), node.path)
                for n, attr, start, end in slots:
                    text = getattr(n, attr)
                    pieces = (text[:start].strip(), new, text[end:].strip())
                    setattr(n, attr, " ".join(p for p in pieces if p))
            self.result.changed.append(node.path)

    def insert(self, op: Operation) -> None:
        target = op.target
        if target.part:
            self.insert_part(op)
            return
        parent = target.path.rpartition("/")[0]
        if parent:
            self.node(parent, target.label)
        blocks = read_block((op.new or "").strip(), parent)
        if not blocks or blocks[0].path != target.path:
            raise BlockMismatch(
                f"the new text of {target.describe()} starts "
                f"{blocks[0].path if blocks else 'no provision'}, not {target.path}"
            )
        if target.until is not None and blocks[-1].path != target.until:
            raise BlockMismatch(f"the new text of {target.describe()} ends {blocks[-1].path}")
        siblings = self.version.siblings(target.path)
        assert siblings is not None  # the parent was found above
        for block in blocks:
            if self.version.find(block.path) is not None:
                raise InsertionPointTaken(target.label, block.path)
            for n in block.walk():
                n.identity = f"{n.path}@{self.tag}"
            place(siblings, block)
            self.result.inserted.append(block.path)

    def insert_part(self, op: Operation) -> None:
        node = self.node(op.target.path, op.target.label)
        part, new = op.target.part[0], (op.new or "").strip()
        if part == "heading":
            if node.heading:
                raise InsertionPointTaken(op.target.describe(), node.path)
            node.heading = new.strip("()")
        elif part == "proviso":
            if _PROVISO in node.text:
                raise InsertionPointTaken(op.target.describe(), node.path)
            node.text = f"{node.text} {new}".strip()
        elif part == "second":
            if text_span(node.text, "second") is not None:
                raise InsertionPointTaken(op.target.describe(), node.path)
            main = text_span(node.text, "main") or (0, len(node.text))
            node.text = f"{node.text[: main[1]].strip()} {new} {node.text[main[1] :]}".strip()
        else:
            raise AmendmentError(f"cannot insert a {part} into {op.target.describe()}")
        self.result.changed.append(node.path)

    def heading(self, op: Operation) -> None:
        """A 장 or 절: not in the model, so its articles are inserted or repealed."""
        if op.kind is Kind.INSERT:
            for block in read_block((op.new or "").strip(), ""):
                if self.version.find(block.path) is not None:
                    raise InsertionPointTaken(op.target.describe(), block.path)
                for n in block.walk():
                    n.identity = f"{n.path}@{self.tag}"
                place(self.version.nodes, block)
                self.result.inserted.append(block.path)
            return
        m = _ARTICLES.fullmatch(op.target.note.strip())
        if op.kind is not Kind.REPEAL or m is None:
            raise AmendmentError(
                f"{op.target.describe()}: 장/절 headings are not in the text, only their articles"
            )
        first = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
        last = m.group(3) + (f"-{m.group(4)}" if m.group(4) else "")
        articles = Target(f"art_{first}", f"제{first}조", until=f"art_{last}", until_label=last)
        self.repeal(Operation(Kind.REPEAL, articles))

    def renumber(self, group: Sequence[Operation]) -> None:
        """Move every provision of one renumbering list, all at once."""
        pairs: list[tuple[Node, str]] = []
        for op in group:
            assert op.destination is not None  # the grammar sets it for every renumbering
            sources = self.nodes(op.target)
            dests = _destinations(op.destination)
            if len(dests) != len(sources):
                raise BlockMismatch(
                    f"{op.target.describe()} is {len(sources)} provisions; "
                    f"{op.destination.describe()} is {len(dests)}"
                )
            pairs.extend(zip(sources, dests, strict=True))
        for node, _ in pairs:
            siblings = self.version.siblings(node.path)
            assert siblings is not None  # the node was found in them
            siblings.remove(node)
        for node, dest in pairs:
            parent = dest.rpartition("/")[0]
            siblings = self.version.siblings(dest)
            if siblings is None:
                raise ProvisionNotFound(parent, parent)
            if self.version.find(dest) is not None:
                raise InsertionPointTaken(dest, dest)
            old = node.path
            node.move_to(dest)
            place(siblings, node)
            self.result.moves.append(Move(node.identity, old, dest))


def _destinations(dest: Target) -> list[str]:
    """The paths a renumbering moves to: one, or each number of a range (제3항부터 제5항까지)."""
    if dest.until is None:
        return [dest.path]
    kind, first = segment_of(dest.path)
    _, last = segment_of(dest.until)
    (a, branch_a), (b, branch_b) = number_key(first), number_key(last)
    if branch_a or branch_b:
        raise AmendmentError(f"a range of branch numbers as a destination: {dest.describe()}")
    parent = dest.path.rpartition("/")[0]
    prefix = f"{parent}/" if parent else ""
    return [f"{prefix}{kind}_{n}" for n in range(a, b + 1)]


def _keep_identities(old: Node, new: Node, tag: str) -> None:
    """A provision written anew keeps its identity, and so does each part at the same path.

    A part it did not have before is new: its identity is made from ``tag``.
    """
    known = {n.path: n.identity for n in old.walk()}
    for n in new.walk():
        n.identity = known.get(n.path) or f"{n.path}@{tag}"


def apply(version: Version, operations: Sequence[Operation], tag: str = "new") -> Result:
    """The version after ``operations``, and the provisions they moved, inserted and changed.

    ``version`` is not modified. Raises ``AmendmentError`` for the first operation that
    does not fit; an operation on the 개정규정 of an amending act (``within``) does not
    apply to a law's own text and is refused the same way.
    """
    applier = _Applier(version, tag)
    ops = list(operations)
    i = 0
    while i < len(ops):
        op = ops[i]
        if op.within:
            raise AmendmentError(f"{op.target.describe()} is in {op.within}, not in this text")
        if op.kind is Kind.RENUMBER:
            j = i
            while j < len(ops) and ops[j].kind is Kind.RENUMBER and ops[j].span == op.span:
                j += 1
            applier.renumber(ops[i:j])
            i = j
            continue
        if op.target.path == "title":
            applier.title(op)
        elif segment_of(op.target.path)[0] in HEADING_KINDS:
            applier.heading(op)
        elif op.kind in (Kind.SUBSTITUTE, Kind.STRIKE):
            applier.substitute(op)
        elif op.kind is Kind.REPEAL:
            applier.repeal(op)
        elif op.kind is Kind.REPLACE:
            applier.replace(op)
        elif op.kind is Kind.INSERT:
            applier.insert(op)
        else:  # Kind.REPLACE_ANNEX: the 별지 is an attachment, not text to put in
            node = applier.node(op.target.path, op.target.label)
            node.text, node.children = op.new or "", []
            applier.result.changed.append(node.path)
        i += 1
    return applier.result
