"""How questions and entries are turned into comparable terms.

Both sides go through the same analyzer: Unicode folding, lower case, possessives dropped, domain
synonyms mapped to one word ("cops" and "police", "facial" and "face"), stop words and chat filler
removed, then Snowball stemming so plurals and word forms meet ("bans", "banned" -> "ban").
The synonym list is deliberately small and general: it says what the words mean, not what any one
entry asks. Where a phrasing cannot be reached this way, the entry gets an `also_asked` alias.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD],  # zero-width and soft-hyphen characters
)

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any anyone anything are aren as at be
    because been before being below between both but by can could couldn did didn do does doesn
    doing don down during each else ever few for from further get got had has have having he
    her here hers herself him himself his how i if in into is isn it its itself just know let
    like me might more most much my myself no nor not now of off on once only or other our ours
    ourselves out over own please really same say she should so some such tell than that the
    their theirs them themselves then there these they this those through to too under until up
    very was wasn we were weren what whats when where which while who whom whose why will with
    would you your yours yourself yourselves explain info information anybody someone somebody
    thing things stuff something actually basically exactly kinda sorta gonna wanna u ur r ya
    yall pls plz lol idk tho bro hey hi hello ok okay yeah yes wondering curious question quick
    btw
    """.split()  # noqa: SIM905 - a word list reads better as text
)
"""Words that carry no topic. Counting words ('how many', 'when') are kept out too: the entry's
own text says what kind of answer it gives."""

PHRASES: tuple[tuple[str, str], ...] = (
    ("european union", "eu"),
    ("artificial intelligence", "ai"),
    ("new york city", "nyc"),
    ("new york", "nyc"),
    ("amazon web services", "aws"),
    ("face surveillance", "face recognition"),
    ("facial recognition technology", "face recognition"),
    ("law enforcement", "police"),
    ("law-enforcement", "police"),
)
"""Multi-word names folded to one form before splitting into words."""

SYNONYMS: dict[str, str] = {
    "cop": "police",
    "cops": "police",
    "popo": "police",
    "pd": "police",
    "pds": "police",
    "policing": "police",
    "facial": "face",
    "faces": "face",
    "frt": "face recognition",
    "fr": "face recognition",
    "recognise": "recognition",
    "recognize": "recognition",
    "recognizes": "recognition",
    "recognizing": "recognition",
    "recog": "recognition",
    "rekog": "rekognition",
    "amzn": "amazon",
    "partnership": "partner",
    "partnerships": "partner",
    "partnered": "partner",
    "partnering": "partner",
    "banned": "ban",
    "banning": "ban",
    "bans": "ban",
    "outlawed": "ban",
    "outlaw": "ban",
    "prohibited": "prohibit",
    "prohibition": "prohibit",
    "prohibitions": "prohibit",
    "fined": "fine",
    "penalty": "fine",
    "penalties": "fine",
    "cam": "camera",
    "cams": "camera",
    "vid": "video",
    "vids": "video",
    "footage": "video",
    "govt": "government",
    "gov": "government",
    "feds": "federal",
    "sf": "san francisco",
    "biometrics": "biometric",
    "msft": "microsoft",
    "congressional": "congress",
}
"""Single words mapped to the form the knowledge base uses. Values may be several words."""

_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    """One stemmer per thread: PyStemmer objects keep a cache that is not thread-safe."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def fold(text: str) -> str:
    """Unicode-normalised, lower-case text with invisible characters and curly quotes removed."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    for phrase, replacement in PHRASES:
        if phrase in text:
            text = text.replace(phrase, replacement)
    return text


def words(text: str) -> list[str]:
    """Surface words after folding and synonym mapping ("Amazon's cops" -> amazon, police)."""
    found: list[str] = []
    for raw in _WORD.findall(fold(text)):
        word = raw.removesuffix("'s").replace("'", "")
        if "." in word:  # "u.s." -> "us", but "2.5" stays a number
            word = word if word.replace(".", "").isdigit() else word.replace(".", "")
        mapped = SYNONYMS.get(word, word)
        found.extend(mapped.split())
    return found


def content_words(text: str) -> list[str]:
    """Words that say what the text is about: no stop words, no one-letter noise."""
    return [
        word for word in words(text) if word not in STOP_WORDS and (len(word) > 1 or word.isdigit())
    ]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def terms(text: str) -> list[str]:
    """Stemmed content words, in order, with repeats: what the ranking compares."""
    return [stem(word) for word in content_words(text)]
