"""What a provision's citations are, and the day they were written.

``citable_text`` adds an article's heading to its text; ``citing_date`` dates a
provision of a 부칙 by that 부칙 (``dates.addendum_dates``) and any other by the citing
version's date.
"""

from __future__ import annotations

from legigraph.model.records import Provision


def citing_date(path: str, dates: dict[str, str], default: str) -> str:
    """The date a provision's citations were written: its 부칙's date, else ``default``.

    The text of a law's body is its current version's; a 부칙 keeps the wording of the
    day it was promulgated, and a name in it means the law of that day.
    """
    return dates.get(path.partition("/")[0], default) if path.startswith("addendum_") else default


def citable_text(prov: Provision) -> str:
    """The text whose citations are the provision's: its heading, a line break, its text.

    Article headings cite laws too (제12조 (「행정절차법」 등의 준용)); the line break
    keeps a citation from running from the heading into the text.
    """
    return f"{prov.heading}\n{prov.text}" if prov.heading and prov.kind == "article" else prov.text
