"""A version of a law's text as the applier edits it: a tree of provisions with paths.

The model mirrors the legalize-kr reader's ``Provision`` (path, number, heading, text,
children) but is its own, so this package depends on no other part of legigraph:
``from_provisions`` adapts any tree of objects with those attributes (the reader's
``LawText.provisions``), and ``identity`` carries a provision's work-level identity
across versions: a renumbered provision keeps it, a new one gets a new one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class ProvisionLike(Protocol):
    """What the adapter reads of a provision (the reader's ``Provision`` has all of it)."""

    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def children(self) -> Sequence[ProvisionLike]: ...


def segment_of(path: str) -> tuple[str, str]:
    """The kind and number of a path's last segment: ``art_7/item_4-2`` → ``item``, ``4-2``."""
    kind, _, number = path.rpartition("/")[2].partition("_")
    return kind, number


def number_key(number: str) -> tuple[int, int]:
    """The order of a provision number: ``4`` < ``4-2`` < ``5`` (unnumbered first)."""
    main, _, branch = number.partition("-")
    return (int(main) if main.isdigit() else 0, int(branch) if branch.isdigit() else 0)


@dataclass
class Node:
    """One provision of a version: its path, own text, heading and the provisions below it."""

    path: str
    text: str = ""
    heading: str = ""
    children: list[Node] = field(default_factory=list)
    identity: str = ""

    @property
    def kind(self) -> str:
        return segment_of(self.path)[0]

    @property
    def number(self) -> str:
        return segment_of(self.path)[1]

    def walk(self) -> Iterator[Node]:
        """This provision and every provision below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def move_to(self, path: str) -> None:
        """Give this provision (and everything below it) a new path; identity stays."""
        old = self.path
        for node in self.walk():
            node.path = path + node.path[len(old) :]


@dataclass
class Version:
    """One version of a law's text: its title and top-level provisions."""

    nodes: list[Node]
    title: str = ""

    def walk(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()

    def find(self, path: str) -> Node | None:
        """The provision at ``path``, or None."""
        siblings = self.nodes
        found: Node | None = None
        prefix = ""
        for segment in path.split("/"):
            prefix = f"{prefix}/{segment}" if prefix else segment
            found = next((n for n in siblings if n.path == prefix), None)
            if found is None:
                return None
            siblings = found.children
        return found

    def siblings(self, path: str) -> list[Node] | None:
        """The list ``path`` belongs in (its parent's children), or None without a parent."""
        parent_path = path.rpartition("/")[0]
        if not parent_path:
            return self.nodes
        parent = self.find(parent_path)
        return None if parent is None else parent.children

    def copy(self) -> Version:
        return copy.deepcopy(self)


def place(siblings: list[Node], node: Node) -> None:
    """Put ``node`` among ``siblings`` in number order, after any others of its kind."""
    kind, key = node.kind, number_key(node.number)
    for i, other in enumerate(siblings):
        if other.kind == kind and number_key(other.number) > key:
            siblings.insert(i, node)
            return
    last = max((i for i, other in enumerate(siblings) if other.kind == kind), default=None)
    siblings.insert(len(siblings) if last is None else last + 1, node)


def _adapt(prov: ProvisionLike) -> Node:
    return Node(
        prov.path,
        prov.text,
        prov.heading,
        [_adapt(child) for child in prov.children],
        identity=prov.path,
    )


def from_provisions(provisions: Iterable[ProvisionLike], title: str = "") -> Version:
    """A version from a tree of provisions (the reader's ``LawText.provisions``).

    Each provision's identity is its path in this version, the work-level subdivision it
    realises; 부칙 are left out, since no amendment addresses them by path.
    """
    nodes = [_adapt(p) for p in provisions if not p.path.startswith("addendum")]
    return Version(nodes, title)
