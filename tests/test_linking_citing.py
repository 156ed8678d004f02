"""Citations in article headings, and the date of a 부칙's citations."""

from __future__ import annotations

from pathlib import Path

from legigraph.ingest import parse_statute
from legigraph.link.citing import citable_text
from legigraph.sources.ordinance import read_law_bytes

TEXT = """---
제목: 가법
법령MST: 1
법령ID: '000001'
법령구분: 법률
공포일자: 2020-01-01
공포번호: '100'
시행일자: 2020-01-01
---
# 가법

##### 제12조 (「행정절차법」 등의 준용)

이 법에 따른 처분에 관하여는 같은 법을 준용한다.
"""


def test_a_heading_is_scanned_and_does_not_run_into_the_text() -> None:
    law = read_law_bytes(Path("kr/가법/법률.md"), TEXT.encode())
    article = law.find("art_12")
    assert citable_text(article).startswith("「행정절차법」 등의 준용\n")
    parsed = parse_statute(("kr/가법/법률.md", TEXT.encode()))
    # 같은 법 is pending as the law it names (linking.relative), its relation kept beside it
    cited = [(c.relation, c.law, relation, rule) for c, _, relation, rule in parsed.pending]
    assert cited == [
        ("explicit", "행정절차법", "explicit", "name"),
        ("explicit", "행정절차법", "same-law", "same-law"),
    ]
    assert parsed.references["self", "internal"] == 1  # 이 법: the statute itself, not written
