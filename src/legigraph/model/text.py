"""Unicode policy for Korean text: NFC once at ingestion, never NFKC.

NFKC would fold characters that carry meaning in legal text (``ㆍ`` U+318D into ``·``,
circled numbers ``①`` into ``1``), so only canonical composition is applied.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Lang(StrEnum):
    """The two languages of labels and messages: Korean (the sources') and English."""

    KO = "ko"
    EN = "en"


# Conjoining jamo (U+1100–U+11FF) appear only when Hangul syllables are decomposed (NFD).
DECOMPOSED_HANGUL = re.compile("[\u1100-\u11ff]")


HANGUL = re.compile("[\uac00-\ud7a3]")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode Normalisation Form C."""
    return unicodedata.normalize("NFC", text)


def has_decomposed_hangul(text: str) -> bool:
    """True when ``text`` holds conjoining jamo, the mark of NFD Hangul."""
    return DECOMPOSED_HANGUL.search(text) is not None


def has_hangul(text: str) -> bool:
    """True when ``text`` holds a Hangul syllable."""
    return HANGUL.search(text) is not None
