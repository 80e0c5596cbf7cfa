"""How questions and entries are turned into comparable terms.

Both sides go through the same analyzer: Unicode folding, lower case, possessives dropped, domain
synonyms mapped to one word ("cops" and "police", "facial" and "face"), stop words and chat filler
removed, then Snowball stemming so plurals and word forms meet ("bans", "banned" -> "ban").
The synonym list is deliberately small and general: it says what the words mean, not what any one
entry asks. Where a phrasing cannot be reached this way, the entry gets an `also_asked` alias.
"""

from __future__ import annotations

import itertools
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
    btw so just literally honestly wait hmm um uh right think thought heard hear mean wonder guess
    anyway apparently kind sort even rn currently nowadays wording exact full whats thats
    wat wut dont didnt doesnt isnt wasnt cant gonna gotta lemme gimme
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
    ("law enforcement", "police"),
    ("police departments|department|depts|dept|agencies|agency", "police"),
    ("face|facial recognition technology|software", "face recognition"),
    (
        "face|facial surveillance|rec|recog|id|scanning|scan|scans|matching|tech|detection",
        "face recognition",
    ),
    ("faceid|facerec", "face recognition"),
    ("crime forecasting|prediction|predicting", "predictive policing"),
    ("predict|predicts|predicting crime|crimes", "predictive policing"),
    ("team|teamed|teaming|hook|hooked|sign|signed|link|linked up", "partner"),
    ("work|works|worked|working with", "partner with"),
    ("shut down", "end"),
    ("get|got rid of", "end"),
    ("do|did away with", "end"),
    ("put an end to", "end"),
    ("spy|spying tech|technology|gear|tool|tools", "surveillance technology"),
    ("right now", "now"),
)
"""Multi-word phrasings folded to one form: words separated by spaces, alternatives for one word
by "|". Matched on whole words, longest first."""


def _phrase_table() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for spec, replacement in PHRASES:
        slots = [slot.split("|") for slot in spec.split()]
        for sequence in itertools.product(*slots):
            table.setdefault(sequence[0], []).append((sequence, tuple(replacement.split())))
    for candidates in table.values():
        candidates.sort(key=lambda item: -len(item[0]))
    return table


_PHRASE_TABLE = _phrase_table()

SYNONYMS: dict[str, str] = {
    # police
    "cop": "police",
    "cops": "police",
    "popo": "police",
    "pd": "police",
    "pds": "police",
    "policing": "police",
    "dept": "department",
    "depts": "department",
    # face recognition
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
    # companies and places people abbreviate
    "amzn": "amazon",
    "msft": "microsoft",
    "sf": "san francisco",
    "pdx": "portland",
    "ca": "california",
    "ma": "massachusetts",
    "il": "illinois",
    "ny": "nyc",
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "usa": "us",
    "america": "us",
    "american": "us",
    "americans": "us",
    "thru": "through",
    "european": "eu",
    # working together
    "partnership": "partner",
    "partnerships": "partner",
    "partnered": "partner",
    "partnering": "partner",
    "deal": "partner",
    "deals": "partner",
    # banning
    "banned": "ban",
    "banning": "ban",
    "bans": "ban",
    "outlawed": "ban",
    "outlaw": "ban",
    "outlaws": "ban",
    "barred": "ban",
    "prohibited": "prohibit",
    "prohibition": "prohibit",
    "prohibitions": "prohibit",
    # pausing and ending
    "pause": "moratorium",
    "paused": "moratorium",
    "freeze": "moratorium",
    "froze": "moratorium",
    "frozen": "moratorium",
    "halt": "moratorium",
    "halted": "moratorium",
    "suspend": "moratorium",
    "suspended": "moratorium",
    "suspension": "moratorium",
    "ended": "end",
    "ending": "end",
    "ends": "end",
    "kill": "end",
    "killed": "end",
    "scrap": "end",
    "scrapped": "end",
    "discontinue": "end",
    "discontinued": "end",
    "stop": "end",
    "stopped": "end",
    "stops": "end",
    "axed": "end",
    "cancelled": "cancel",
    "canceled": "cancel",
    "cancellation": "cancel",
    # money and courts
    "fined": "fine",
    "penalty": "fine",
    "penalties": "fine",
    "sue": "lawsuit",
    "sued": "lawsuit",
    "suing": "lawsuit",
    "suit": "lawsuit",
    "mil": "million",
    "mln": "million",
    "bn": "billion",
    # video
    "cam": "camera",
    "cams": "camera",
    "vid": "video",
    "vids": "video",
    "clip": "video",
    "clips": "video",
    "recording": "video",
    "recordings": "video",
    "footage": "video",
    # surveillance and government
    "spy": "surveillance",
    "spying": "surveillance",
    "govt": "government",
    "gov": "government",
    "feds": "federal",
    "biometrics": "biometric",
    "congressional": "congress",
}
"""Single words mapped to the form the knowledge base uses. Values may be several words."""

ENTITY_WORDS = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico
    carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont virginia
    washington wisconsin wyoming
    nyc angeles chicago houston phoenix philadelphia antonio diego dallas austin jacksonville
    columbus charlotte indianapolis seattle denver nashville detroit memphis louisville baltimore
    milwaukee albuquerque tucson fresno sacramento atlanta miami omaha raleigh minneapolis tulsa
    tampa arlington orleans cleveland pittsburgh cincinnati madison berkeley cambridge
    brookline springfield worcester providence burlington baltimore richmond newark buffalo
    rochester syracuse albany honolulu anchorage vegas reno salem eugene spokane tacoma boise
    oakland boston portland somerville francisco cruz
    uk britain british england london scotland wales ireland canada toronto vancouver montreal
    australia sydney melbourne zealand china chinese beijing hong kong india russia russian
    japan korea france french paris germany german berlin italy spain netherlands dutch
    belgium sweden norway denmark finland poland israel iran brazil argentina africa nigeria
    kenya singapore taiwan ukraine
    google alphabet apple meta facebook instagram whatsapp tiktok bytedance twitter palantir
    shotspotter soundthinking flock axon motorola nso pegasus cellebrite genetec hikvision dahua
    huawei verkada nest arlo wyze simplisafe adt eufy blink idemia walmart target uber lyft
    openai chatgpt tesla netflix zoom yahoo oracle clearview ibm microsoft amazon rekognition
    ring thorn buzzfeed nist aclu eff ftc
    fbi cia nsa dhs cbp tsa dea atf nypd lapd interpol europol
    gdpr ccpa cpra hipaa coppa fisa
    """.split()  # noqa: SIM905 - a word list reads better as text
)
"""Names of places, companies, agencies and laws. A question naming one that an entry does not
mention is about something else ("Did *Detroit* ban face recognition?" is not answered by the
Boston entry), however much else it shares with that entry."""

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
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


def _tokens(text: str) -> list[str]:
    tokens = []
    for raw in _WORD.findall(fold(text)):
        word = raw.removesuffix("'s").replace("'", "")
        if "." in word:  # "u.s." -> "us", but "2.5" stays a number
            word = word if word.replace(".", "").isdigit() else word.replace(".", "")
        tokens.append(word)
    return tokens


def words(text: str) -> list[str]:
    """Surface words after folding, phrase and synonym mapping ("Amazon's cops" -> amazon,
    police; "law enforcement agencies" -> police)."""
    tokens = _tokens(text)
    found: list[str] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        for sequence, replacement in _PHRASE_TABLE.get(token, ()):
            if tuple(tokens[position : position + len(sequence)]) == sequence:
                found.extend(replacement)
                position += len(sequence)
                break
        else:
            found.extend(SYNONYMS.get(token, token).split())
            position += 1
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
