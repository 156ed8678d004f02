"""Which concept of code/work-type each 법령구분 is: the one table of the mapping.

The index (``index_all_laws.csv``) and the front matter of every statute name the kind of
law in 법령구분: 법률, 대통령령, 총리령, one 부령 per ministry (국토교통부령, 건설교통부령 …),
the rules of the constitutional bodies, and the forms of earlier regimes (군정법령,
조선총독부법률, 각령 …). The code list (``ontology/codelists.ttl``) has one concept per
*form* of legislation: its rank and who may make it follow from the form, while the
ministry that issues a 부령 is an agent (``dcterms:creator``), not a type, and changes name
with every reorganisation of the government (docs/model.md, "Work types").
"""

from __future__ import annotations

# Ministries (and the ministry-level 경제기획원, whose 원령 was a 부령), present and past,
# whose 부령 the corpus holds or held.
MINISTRIES = (
    "건설교통부", "경제기획원", "고용노동부", "과학기술정보통신부",
    "교육과학기술부", "교육부", "교육인적자원부", "국가보훈부",
    "국방부", "국토교통부", "국토해양부", "기획재정부",
    "기후에너지환경부", "노동부", "농림수산식품부", "농림축산식품부",
    "문화체육관광부", "법무부", "보건복지부", "산업통상부",
    "산업통상자원부", "성평등가족부", "안전행정부", "여성가족부",
    "외교부", "재정경제부", "정보통신부", "중소벤처기업부",
    "체신부", "통일부", "해양수산부", "행정안전부",
    "행정자치부", "환경부",
)  # fmt: skip

# Every 법령구분 of the corpus and its index, by form. A kind missing here is reported by
# the ingest (a warning naming the file), never silently left without a work type.
KIND_CODES: dict[str, str] = {
    "헌법": "constitution",
    "법률": "act",
    "대통령긴급명령": "emergency-order",
    "대통령령": "presidential-decree",
    "각령": "cabinet-order",
    "총리령": "prime-minister-decree",
    **{f"{ministry}령": "ministerial-decree" for ministry in MINISTRIES},
    "국회규칙": "national-assembly-rules",
    "대법원규칙": "supreme-court-rules",
    "헌법재판소규칙": "constitutional-court-rules",
    "중앙선거관리위원회규칙": "election-commission-rules",
    "선거관리위원회규칙": "election-commission-rules",  # the same body's rules, named short
    "감사원규칙": "board-of-audit-rules",
    "군정법령": "military-government-ordinance",
    "군정법률": "military-government-act",
    "조선총독부법률": "colonial-act",
    "조선총독부법령": "colonial-ordinance",
    "조례": "ordinance",
}


def work_type_code(kind: str) -> str | None:
    """The code/work-type code of a 법령구분, or None for a kind the table does not know."""
    return KIND_CODES.get(kind.strip())
