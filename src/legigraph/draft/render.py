r"""Write a version of a law's text back in the legalize-kr Markdown layout.

The layout ``legigraph.sources.ordinance`` reads: front matter, ``# 제명``, ``##### 제N조 (제목)``,
paragraphs ``①``, items ``  1.`` (``  4의2.``), sub-items ``    가.``; what the reader has no
level for (``(1)`` below a 목, a 별표's text) is written indented under its provision.
Reading the file again gives the same provisions, paths and texts.
"""

from __future__ import annotations

import yaml

from legigraph.amendments import Node, Version
from legigraph.model.ids import SUBITEM_LETTERS
from legigraph.sources.ordinance import CIRCLED


def number_label(node: Node) -> str:
    """The number as the text writes it before an item or sub-item: ``4``, ``4의2``, ``가``."""
    main, _, branch = node.number.partition("-")
    if node.kind == "subitem" and main.isdigit():
        return SUBITEM_LETTERS[int(main) - 1]
    return main + (f"의{branch}" if branch else "")


def heading_line(node: Node) -> str:
    """``제7조의2 (제목)`` for an article."""
    main, _, branch = node.number.partition("-")
    out = f"제{main}조" + (f"의{branch}" if branch else "")
    return out + (f" ({node.heading})" if node.heading else "")


def provision_lines(node: Node) -> list[str]:
    """The Markdown lines of one provision and everything below it."""
    out: list[str] = []
    kind = node.kind
    if kind == "art":
        out += [f"##### {heading_line(node)}", ""]
        if node.text:
            out.append(node.text)
    elif kind == "para" and node.number.isdigit() and 0 < int(node.number) <= len(CIRCLED):
        out.append(f"{CIRCLED[int(node.number) - 1]} {node.text}".rstrip())
    elif kind == "item":
        out.append(f"  {number_label(node)}. {node.text}".rstrip())
    elif kind == "subitem":
        out.append(f"    {number_label(node)}. {node.text}".rstrip())
    else:
        out.append(f"\t{node.text}")
    for child in node.children:
        out += provision_lines(child)
    if kind == "art":
        out.append("")
    return out


def version_markdown(version: Version, meta: dict[str, str]) -> str:
    """The whole text: front matter from ``meta``, the title, then every provision."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    lines = ["---", front.rstrip("\n"), "---", "", f"# {version.title}", ""]
    for node in version.nodes:
        lines += provision_lines(node)
    return "\n".join(lines).rstrip() + "\n"
