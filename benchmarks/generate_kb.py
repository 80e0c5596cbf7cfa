"""Generate a synthetic knowledge base, and labelled queries for it, to measure Oversight at scale.

    python benchmarks/generate_kb.py --entries 10000 --out benchmarks/out/kb-10000 [--seed 1]

The hand-written knowledge base has about 70 entries; the "speed at scale" question is what
happens at 1,000, 10,000 and 100,000. Speed alone is easy to fake with entries that share no
words, so the generator makes ranking hard the way a real knowledge base does: many entries about
the same city, technology and action, differing in one word ("When did Oakland ban drones?" vs
"When did Oakland ban face recognition?" vs "When did Oakland ban face recognition in schools?").
Popular cities and technologies get more entries (a Zipf-like weighting), as in real coverage.

Output follows the knowledge-base contract in DESIGN.md and passes `oversight kb validate`:
`topics.yaml` plus one folder per topic, each holding files of at most 1,000 entries. Beside the
folder (not in it: the loader would read it as entries) goes `<out>.queries.yaml`:

    in_scope: [{q: perturbed entry question, id: entry id}, ...]
    out_of_scope: [{q: off-topic question, near_miss: true|false}, ...]

In-scope queries perturb entry questions the way people type (stop words dropped, lower case,
words swapped, typos, synonyms and abbreviations, no question mark). Off-topic queries are
cooking, sports, weather, product support and coding questions; half are near misses that name a
city or technology from the knowledge base but ask something no entry holds.

Everything is deterministic from --seed. Cities are real; every fact, person, company, group and
publisher is invented (company names are fictional so no real firm is credited with a made-up
contract), and every URL is on example.org or example.com.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import os
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"

try:
    import yaml
    from rapidfuzz import utils
except ImportError:  # run with a Python that lacks the project's dependencies: use the venv's
    if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
    sys.exit("generate_kb.py needs PyYAML and rapidfuzz: run it with .venv/bin/python")

try:
    from yaml import CSafeDumper as YamlDumper
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # libyaml missing: slower, same output
    from yaml import SafeDumper as YamlDumper  # type: ignore[assignment]
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

LATEST = dt.date(2026, 11, 26)
"""No date in the knowledge base is after this: the validator rejects future `last_verified`."""
LATEST_EVENT = dt.date(2026, 10, 31)
"""Events end a little before LATEST so that a source can be published after the event."""
FIRST_YEAR = 2010
MAX_PER_FILE = 1000
MARKER = ".generated-by-generate_kb"
"""Hidden file (the loader skips dot-files) that marks a folder this script may replace."""

# -- vocabulary -------------------------------------------------------------------------------

US_CITIES = """
San Francisco|Oakland|Somerville|Boston|Portland|New York City|Seattle|Chicago|Los Angeles|
Berkeley|Cambridge|Santa Cruz|Minneapolis|New Orleans|Baltimore|Detroit|Philadelphia|Jackson|
Madison|Pittsburgh|Denver|Austin|San Diego|Washington DC|Atlanta|Houston|Phoenix|San Antonio|
Dallas|San Jose|Jacksonville|Fort Worth|Columbus|Charlotte|Indianapolis|Nashville|
Oklahoma City|El Paso|Las Vegas|Memphis|Louisville|Milwaukee|Albuquerque|Tucson|Fresno|
Sacramento|Mesa|Kansas City|Omaha|Colorado Springs|Raleigh|Long Beach|Virginia Beach|Miami|
Tulsa|Bakersfield|Wichita|Arlington|Aurora|Tampa|Cleveland|Honolulu|Anaheim|Lexington|Stockton|
Corpus Christi|Henderson|Riverside|Newark|Saint Paul|Santa Ana|Cincinnati|Irvine|Orlando|
Saint Louis|Greensboro|Jersey City|Anchorage|Lincoln|Plano|Durham|Buffalo|Chandler|Chula Vista|
Toledo|Gilbert|Reno|Fort Wayne|North Las Vegas|Saint Petersburg|Lubbock|Irving|Laredo|
Winston-Salem|Chesapeake|Glendale|Garland|Scottsdale|Norfolk|Boise|Fremont|Spokane|
Santa Clarita|Baton Rouge|Richmond|Hialeah|San Bernardino|Tacoma|Modesto|Huntsville|Des Moines|
Yonkers|Rochester|Moreno Valley|Fayetteville|Fontana|Worcester|Port Saint Lucie|Little Rock|
Augusta|Oxnard|Birmingham|Montgomery|Frisco|Amarillo|Salt Lake City|Grand Rapids|
Huntington Beach|Overland Park|Grand Prairie|Tallahassee|Cape Coral|Knoxville|Shreveport|
Sioux Falls|Chattanooga|Brownsville|Fort Lauderdale|Providence|Newport News|Rancho Cucamonga|
Santa Rosa|Peoria|Oceanside|Elk Grove|Salem|Pembroke Pines|Eugene|Garden Grove|Cary|
Fort Collins|Corona|Springfield|Alexandria|Hayward|Clarksville|Lakewood|Lancaster|Salinas|
Palmdale|Hollywood|Sunnyvale|Macon|Pomona|Killeen|Escondido|Pasadena|Naperville|Bellevue|
Joliet|Murfreesboro|Midland|Rockford|Paterson|Savannah|Bridgeport|Torrance|McAllen|Syracuse|
Denton|Roseville|Thornton|Miramar|Mesquite|Olathe|Dayton|Carrollton|Waco|Fullerton|Charleston|
West Valley City|Visalia|Hampton|Gainesville|Warren|Coral Springs|Cedar Rapids|Round Rock|
Sterling Heights|Kent|Columbia|Santa Clara|New Haven|Stamford|Concord|Elizabeth|Thousand Oaks|
Lafayette|Simi Valley|Topeka|Norman|Fargo|Wilmington|Abilene|Odessa|Pearland|Victorville|
Hartford|Vallejo|Allentown|Richardson|Arvada|Ann Arbor|Sugar Land|Lansing|Evansville|
College Station|Fairfield|Clearwater|Beaumont|Provo|West Jordan|Murrieta|Palm Bay|El Monte|
Carlsbad|Temecula|Clovis|Meridian|Westminster|Costa Mesa|High Point|Manchester|Pueblo|Lakeland|
Pompano Beach|West Palm Beach|Antioch|Everett|Downey|Lowell|Centennial|Elgin|Broken Arrow|
Miami Gardens|Billings|Jurupa Valley|Sandy Springs|Gresham|Lewisville|Hillsboro|Ventura|
Greeley|Inglewood|Waterbury|League City|Santa Maria|Tyler|Davie|Daly City|Boulder|Burbank|
Brookline|Northampton|Easthampton|Alameda|Santa Monica|Palo Alto|Ithaca|Burlington|Asheville
"""

EU_CITIES = """
Berlin:Germany|Hamburg:Germany|Munich:Germany|Cologne:Germany|Frankfurt:Germany|
Stuttgart:Germany|Dusseldorf:Germany|Leipzig:Germany|Dresden:Germany|Hanover:Germany|
Nuremberg:Germany|Bremen:Germany|Paris:France|Lyon:France|Marseille:France|Toulouse:France|
Nice:France|Nantes:France|Strasbourg:France|Bordeaux:France|Lille:France|Montpellier:France|
Rennes:France|Madrid:Spain|Barcelona:Spain|Seville:Spain|Valencia:Spain|Bilbao:Spain|
Malaga:Spain|Zaragoza:Spain|Rome:Italy|Milan:Italy|Naples:Italy|Turin:Italy|Bologna:Italy|
Florence:Italy|Genoa:Italy|Palermo:Italy|Venice:Italy|Amsterdam:the Netherlands|
Rotterdam:the Netherlands|The Hague:the Netherlands|Utrecht:the Netherlands|
Eindhoven:the Netherlands|Brussels:Belgium|Antwerp:Belgium|Ghent:Belgium|Bruges:Belgium|
Liege:Belgium|Vienna:Austria|Graz:Austria|Salzburg:Austria|Innsbruck:Austria|Linz:Austria|
Prague:Czechia|Brno:Czechia|Warsaw:Poland|Krakow:Poland|Gdansk:Poland|Wroclaw:Poland|
Poznan:Poland|Lodz:Poland|Lisbon:Portugal|Porto:Portugal|Coimbra:Portugal|Braga:Portugal|
Dublin:Ireland|Cork:Ireland|Galway:Ireland|Limerick:Ireland|Copenhagen:Denmark|Aarhus:Denmark|
Odense:Denmark|Stockholm:Sweden|Gothenburg:Sweden|Malmo:Sweden|Uppsala:Sweden|
Helsinki:Finland|Espoo:Finland|Tampere:Finland|Turku:Finland|Athens:Greece|
Thessaloniki:Greece|Budapest:Hungary|Debrecen:Hungary|Bucharest:Romania|Cluj-Napoca:Romania|
Timisoara:Romania|Sofia:Bulgaria|Plovdiv:Bulgaria|Zagreb:Croatia|Split:Croatia|
Ljubljana:Slovenia|Bratislava:Slovakia|Kosice:Slovakia|Vilnius:Lithuania|Kaunas:Lithuania|
Riga:Latvia|Tallinn:Estonia|Tartu:Estonia|Luxembourg:Luxembourg|Valletta:Malta|
Nicosia:Cyprus|Limassol:Cyprus
"""

CITY_ABBREVIATIONS: dict[str, list[str]] = {
    "San Francisco": ["SF", "San Fran"],
    "New York City": ["NYC", "New York"],
    "Los Angeles": ["LA"],
    "Washington DC": ["DC"],
    "Philadelphia": ["Philly"],
    "Las Vegas": ["Vegas"],
    "Saint Louis": ["St. Louis", "St Louis"],
    "Saint Paul": ["St. Paul"],
    "Saint Petersburg": ["St. Pete"],
    "Oklahoma City": ["OKC"],
    "Salt Lake City": ["SLC"],
    "New Orleans": ["NOLA"],
}


@dataclass(frozen=True)
class City:
    name: str
    country: str | None
    """None for US cities; the country for EU cities (regulators and currency differ)."""

    @property
    def eu(self) -> bool:
        return self.country is not None


@dataclass(frozen=True)
class Tech:
    name: str
    """As the object of a verb: "ban {name}"."""
    modifier: str
    """Before a noun: "the {modifier} program"."""
    topic: str
    synonyms: tuple[str, ...]
    """Other ways people say it, abbreviations included: for aliases and query perturbation."""
    companies: tuple[str, ...]
    """Invented vendors."""
    product: str
    """A thing one could buy ("a drone"): for near-miss questions like "how do I install a ..."."""


TECHS: tuple[Tech, ...] = (
    Tech(
        "face recognition",
        "face recognition",
        "face-recognition",
        ("facial recognition", "FRT", "face surveillance", "facial recognition technology"),
        ("FaceTrace Systems", "Visage Analytics", "IdentiCam Labs"),
        "face recognition camera",
    ),
    Tech(
        "license plate readers",
        "license plate reader",
        "license-plate-readers",
        ("ALPR", "plate readers", "LPR cameras", "automated license plate readers"),
        ("PlateWatch", "Roadscan Technologies", "Vigil Plate Systems"),
        "license plate reader",
    ),
    Tech(
        "drones",
        "drone",
        "drones",
        ("UAVs", "police drones", "unmanned aircraft"),
        ("SkyPatrol Robotics", "Aerovigil", "Hover Defense"),
        "drone",
    ),
    Tech(
        "gunshot detection",
        "gunshot detection",
        "gunshot-detection",
        ("gunfire detection", "acoustic gunshot sensors", "shot spotters"),
        ("SoundSentry", "Acoustra", "Echelon Acoustics"),
        "gunshot detection sensor",
    ),
    Tech(
        "cell-site simulators",
        "cell-site simulator",
        "phone-surveillance",
        ("stingrays", "IMSI catchers", "cell site simulators", "fake cell towers"),
        ("Cellgate Technologies", "Towerlink Intercept"),
        "cell-site simulator",
    ),
    Tech(
        "predictive policing",
        "predictive policing",
        "predictive-policing",
        ("crime prediction software", "predictive analytics", "crime forecasting"),
        ("PreCrime Analytics", "Hotspot AI", "Forecast Justice"),
        "predictive policing app",
    ),
    Tech(
        "doorbell cameras",
        "doorbell camera",
        "camera-networks",
        ("video doorbells", "smart doorbells", "doorbell cams"),
        ("PorchView", "DoorSight Home", "Stoop Cam"),
        "doorbell camera",
    ),
    Tech(
        "social media monitoring",
        "social media monitoring",
        "social-media-monitoring",
        ("social media surveillance", "social media tracking", "online monitoring"),
        ("SocialSift", "Chatterwatch", "Feedscope Intelligence"),
        "social media monitoring app",
    ),
    Tech(
        "body-worn cameras",
        "body camera",
        "camera-networks",
        ("body cams", "bodycams", "body cameras"),
        ("BodyVue", "Evidentia Cameras"),
        "body camera",
    ),
    Tech(
        "CCTV networks",
        "CCTV",
        "camera-networks",
        ("CCTV", "surveillance cameras", "public cameras", "street cameras"),
        ("CityLens Video", "Panoptic Networks"),
        "CCTV camera",
    ),
    Tech(
        "real-time crime centers",
        "real-time crime center",
        "camera-networks",
        ("RTCC", "crime centers", "real time crime centres"),
        ("Fusion Command Systems", "Nexus Command"),
        "real-time crime center video wall",
    ),
    Tech(
        "smart streetlights",
        "smart streetlight",
        "camera-networks",
        ("smart street lights", "sensor streetlights", "camera streetlights"),
        ("BrightGrid Cities", "LumenSense"),
        "smart streetlight",
    ),
    Tech(
        "geofence warrants",
        "geofence warrant",
        "phone-surveillance",
        ("geofence searches", "location warrants", "reverse location searches"),
        ("LocaData", "GeoTrail Analytics"),
        "geofence tracker",
    ),
    Tech(
        "phone extraction tools",
        "phone extraction",
        "phone-surveillance",
        ("phone cracking tools", "mobile forensic tools", "phone hacking tools"),
        ("UnlockForensics", "Datavault Mobile"),
        "phone extraction kit",
    ),
    Tech(
        "emotion recognition",
        "emotion recognition",
        "face-recognition",
        ("emotion detection", "affect recognition", "emotion AI"),
        ("MoodMetric", "Affectiva Labs"),
        "emotion recognition camera",
    ),
    Tech(
        "risk assessment algorithms",
        "risk assessment",
        "predictive-policing",
        ("risk scores", "pretrial algorithms", "risk scoring software"),
        ("RiskRank Justice", "Pretrial Metrics"),
        "risk assessment calculator",
    ),
)

QUALIFIERS: tuple[str, ...] = (
    "",
    "in schools",
    "in public housing",
    "at protests",
    "on public transit",
    "for immigration enforcement",
    "at the airport",
    "in city parks",
    "by the sheriff",
    "at the port",
)
QUALIFIER_WEIGHTS = (5.0, *([1.0] * (len(QUALIFIERS) - 1)))
"""The plain question is the common one; qualified variants are the hard near-duplicates."""

AGENCIES: dict[str, tuple[str, str]] = {
    "": ("the {c} Police Department", "the {c} municipal police"),
    "in schools": ("the {c} school district", "the {c} education department"),
    "in public housing": ("the {c} Housing Authority", "the {c} public housing agency"),
    "at protests": ("the {c} Police Department", "the {c} municipal police"),
    "on public transit": ("the {c} transit agency", "the {c} public transport authority"),
    "for immigration enforcement": ("the {c} Police Department", "the {c} municipal police"),
    "at the airport": ("the {c} airport police", "the {c} airport authority"),
    "in city parks": ("the {c} Parks Department", "the {c} parks service"),
    "by the sheriff": ("the {c} County Sheriff's Office", "the {c} regional police"),
    "at the port": ("the {c} Port Authority", "the {c} port authority"),
}

ACTIONS: dict[str, float] = {
    "ban": 1.3,
    "moratorium": 1.0,
    "oversight": 1.0,
    "pilot": 1.0,
    "contract": 1.0,
    "audit": 0.9,
    "lawsuit": 0.9,
    "settlement": 0.8,
    "fine": 0.8,
    "quote": 1.3,
}
"""Action -> weight. "quote" entries are kind: quote (about 12% of entries)."""

ACTION_TOPICS = {
    "ban": "local-laws",
    "moratorium": "local-laws",
    "oversight": "local-laws",
    "pilot": "procurement",
    "contract": "procurement",
    "audit": "audits-and-oversight",
    "quote": "audits-and-oversight",
    "lawsuit": "litigation",
    "settlement": "litigation",
    "fine": "litigation",
}

TOPICS: dict[str, tuple[str, str, int]] = {
    "face-recognition": (
        "Face and emotion recognition",
        "Government use of face recognition and emotion recognition, and the rules around it.",
        365,
    ),
    "license-plate-readers": (
        "License plate readers",
        "Automated license plate readers: where they are used, by whom, and how data is kept.",
        365,
    ),
    "drones": ("Drones", "Police and government drones and the limits placed on them.", 365),
    "gunshot-detection": (
        "Gunshot detection",
        "Acoustic gunshot detection systems, their contracts and their evaluations.",
        365,
    ),
    "phone-surveillance": (
        "Phone surveillance",
        "Cell-site simulators, geofence warrants and phone extraction tools.",
        365,
    ),
    "predictive-policing": (
        "Predictive policing and risk scores",
        "Crime prediction software and risk assessment algorithms used by police and courts.",
        365,
    ),
    "camera-networks": (
        "Camera networks",
        "CCTV, doorbell cameras, body-worn cameras, smart streetlights and real-time crime "
        "centers.",
        365,
    ),
    "social-media-monitoring": (
        "Social media monitoring",
        "Monitoring of social media by police and other government agencies.",
        365,
    ),
    "local-laws": (
        "Local bans and oversight laws",
        "City bans, moratoriums and surveillance-oversight ordinances.",
        365,
    ),
    "procurement": (
        "Pilots and contracts",
        "Pilot programs and vendor contracts for surveillance technology.",
        180,
    ),
    "audits-and-oversight": (
        "Audits and public statements",
        "Audits of surveillance programs and what officials have said about them.",
        730,
    ),
    "litigation": (
        "Lawsuits, settlements and fines",
        "Lawsuits over surveillance technology, their settlements, and regulators' fines.",
        180,
    ),
}

ROLES = (
    "mayor",
    "police chief",
    "city council president",
    "privacy commission chair",
    "city auditor",
    "public defender",
    "civil liberties director",
    "school superintendent",
    "transit director",
)

FIRST_NAMES = """Alex Amara Ana Andre Aisha Ben Carla Carlos Chen Dana David Diego Elena Emma Fatima
Felix Grace Hana Ines Isaac Jamal Jana Javier Julia Kai Karin Lena Leo Lucia Maya Marco Marta Mei
Nadia Noah Omar Priya Rafael Rosa Sam Sara Tomas Uma Victor Yusuf Zoe""".split()  # noqa: SIM905
LAST_NAMES = """Abbott Alvarez Bauer Becker Brennan Carter Castillo Chen Costa Dubois Duarte Engel
Fischer Flores Garcia Greene Hansen Haddad Ibrahim Jansen Kaur Kim Kowalski Larsen Lopez Moreau
Murphy Nakamura Novak Okafor Olsen Patel Petrov Quinn Reyes Rossi Sato Schmidt Silva Singh Sokolov
Tanaka Torres Varga Vogel Walsh Weber Wright Young Zeller""".split()  # noqa: SIM905

GROUPS = (
    "the {c} Privacy Coalition",
    "Citizens for Surveillance Accountability",
    "the {c} Tenants Union",
    "the Digital Rights Project",
    "a group of {c} residents",
    "the Student Privacy Alliance",
    "the {c} Civil Liberties Committee",
    "Open Streets {c}",
)
PUBLISHERS = (
    "{c} Ledger",
    "{c} Public Radio",
    "{c} Tribune",
    "{c} City Beat",
    "Civic Tech Review",
    "Surveillance Policy Monitor",
    "Privacy Wire",
    "Metro Policy Journal",
)

# -- entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Combo:
    """What an entry is about; at most one entry per combo, so phrasings stay unique."""

    city: int
    tech: int | None
    """None for a city's general oversight ordinance or audit."""
    action: str
    qualifier: str


def load_cities() -> list[City]:
    us = [City(name.strip(), None) for name in US_CITIES.split("|") if name.strip()]
    eu = []
    for item in EU_CITIES.split("|"):
        if item.strip():
            name, country = item.strip().split(":")
            eu.append(City(name, country))
    # Well-known surveillance-policy cities lead the US list; interleave EU cities so both
    # regions appear near the top of the popularity order.
    cities: list[City] = []
    for index, city in enumerate(us):
        cities.append(city)
        if index % 3 == 2 and eu:
            cities.append(eu.pop(0))
    cities.extend(eu)
    seen = set()
    for city in cities:
        key = utils.default_process(city.name)
        if key in seen:
            raise SystemExit(f"duplicate city in the vocabulary: {city.name}")
        seen.add(key)
    return cities


def choose_combos(count: int, cities: list[City], rng: random.Random) -> list[Combo]:
    """A weighted sample without replacement (Efraimidis-Spirakis): popular cities and
    technologies get many entries, so near-duplicate questions cluster as in real coverage."""
    city_weight = [1.0 / (rank + 1) ** 0.8 for rank in range(len(cities))]
    tech_weight = [1.0 / (rank + 1) ** 0.5 for rank in range(len(TECHS))]

    def weighted() -> Iterator[tuple[float, Combo]]:
        for c, cw in enumerate(city_weight):
            for general in ("oversight", "audit"):
                yield cw * 3.0, Combo(c, None, general, "")
            for t, tw in enumerate(tech_weight):
                for action, aw in ACTIONS.items():
                    for qualifier, qw in zip(QUALIFIERS, QUALIFIER_WEIGHTS, strict=True):
                        yield cw * tw * aw * qw, Combo(c, t, action, qualifier)

    keyed = (
        (rng.random() ** (1.0 / weight), index) for index, (weight, _) in enumerate(weighted())
    )
    chosen = {index for _, index in heapq.nlargest(count, keyed)}
    combos = [combo for index, (_, combo) in enumerate(weighted()) if index in chosen]
    if len(combos) < count:
        raise SystemExit(f"at most {len(combos):,} distinct entries can be generated")
    return combos


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q_suffix(qualifier: str) -> str:
    return f" {qualifier}" if qualifier else ""


class EntryMaker:
    """Turns combos into entries; tracks phrasings so no two entries share one."""

    def __init__(self, cities: list[City], rng: random.Random) -> None:
        self.cities = cities
        self.rng = rng
        self.phrasings: set[str] = set()
        self.by_city: dict[int, list[str]] = defaultdict(list)

    # -- phrasings --------------------------------------------------------------------------

    def questions(self, combo: Combo, role: str) -> list[str]:
        """Question templates for a combo: the first one chosen becomes the canonical question,
        others may become aliases."""
        c = self.cities[combo.city].name
        q = q_suffix(combo.qualifier)
        if combo.tech is None:
            if combo.action == "oversight":
                return [
                    f"When did {c} pass a surveillance oversight ordinance?",
                    f"Does {c} have a surveillance oversight law?",
                ]
            return [
                f"What did {c}'s surveillance technology audit find?",
                f"Has {c} audited its surveillance technology?",
            ]
        t = TECHS[combo.tech].name
        m = TECHS[combo.tech].modifier
        return {
            "ban": [
                f"When did {c} ban {t}{q}?",
                f"Did {c} ban {t}{q}?",
                f"Has {c} banned {t}{q}?",
            ],
            "moratorium": [
                f"Does {c} have a moratorium on {t}{q}?",
                f"When did {c} pause {t}{q}?",
                f"Is there a moratorium on {t} in {c}{q}?",
            ],
            "oversight": [
                f"When did {c} pass an oversight ordinance covering {t}{q}?",
                f"Does {c} require council approval for {t}{q}?",
            ],
            "pilot": [
                f"When did {c} pilot {t}{q}?",
                f"Did {c} test {t}{q}?",
                f"How long was {c}'s {m} pilot{q}?",
            ],
            "contract": [
                f"Who supplies {t}{q} to {c}?",
                f"How much is {c}'s contract for {t}{q}?",
                f"Which company sells {t} to {c}{q}?",
            ],
            "audit": [
                f"What did the audit of {c}'s {m} program{q} find?",
                f"Was {c}'s use of {t}{q} audited?",
            ],
            "lawsuit": [
                f"Who sued {c} over {t}{q}?",
                f"Why was {c} sued over {t}{q}?",
                f"Is there a lawsuit against {c} over {t}{q}?",
            ],
            "settlement": [
                f"How much did {c} pay to settle claims over {t}{q}?",
                f"Did {c} settle the lawsuit over {t}{q}?",
            ],
            "fine": [
                f"Why was {c} fined over {t}{q}?",
                f"How much was {c} fined for misusing {t}{q}?",
            ],
            "quote": [
                f"What did {c}'s {role} say about {t}{q}?",
                f"What has the {c} {role} said about {t}{q}?",
            ],
        }[combo.action]

    def keyword_aliases(self, combo: Combo, role: str) -> list[str]:
        """Short search-style aliases, the kind maintainers add ("Oakland drone ban")."""
        c = self.cities[combo.city].name
        q = q_suffix(combo.qualifier)
        abbreviations = CITY_ABBREVIATIONS.get(c, [])
        if combo.tech is None:
            noun = "surveillance oversight ordinance" if combo.action == "oversight" else "audit"
            aliases = [f"{c} {noun}", f"{c} surveillance technology {noun.split()[-1]}"]
            return aliases + [f"{a} {noun}" for a in abbreviations]
        tech = TECHS[combo.tech]
        m = tech.modifier
        synonym = self.rng.choice(tech.synonyms)
        noun = {
            "ban": "ban",
            "moratorium": "moratorium",
            "oversight": "oversight rules",
            "pilot": "pilot",
            "contract": "contract",
            "audit": "audit",
            "lawsuit": "lawsuit",
            "settlement": "settlement",
            "fine": "fine",
            "quote": f"{role} on",
        }[combo.action]
        if combo.action == "quote":
            aliases = [f"{c} {role} on {m}{q}", f"{c} {role} quote about {synonym}{q}"]
        else:
            aliases = [f"{c} {m} {noun}{q}", f"{c} {synonym} {noun}{q}"]
        if abbreviations and combo.action != "quote":
            aliases.append(f"{abbreviations[0]} {m} {noun}{q}")
        return aliases

    def claim(self, phrasing: str) -> bool:
        """Reserve a phrasing as the validator sees it; False when another entry has it."""
        key = utils.default_process(phrasing)
        if not key or key in self.phrasings:
            return False
        self.phrasings.add(key)
        return True

    # -- one entry ----------------------------------------------------------------------------

    def make(self, combo: Combo) -> dict[str, Any]:
        rng = self.rng
        city = self.cities[combo.city]
        role = rng.choice(ROLES)
        questions = self.questions(combo, role)
        rng.shuffle(questions)
        question = next((q for q in questions if self.claim(q)), None)
        if question is None:
            raise SystemExit(f"no unique question for {combo}")
        extra = [q for q in questions if q != question] + self.keyword_aliases(combo, role)
        rng.shuffle(extra)
        also_asked: list[str] = []
        wanted = rng.randint(1, 3)
        for alias in extra:
            if len(also_asked) >= wanted:
                break
            if self.claim(alias):
                also_asked.append(alias)
        parts = [city.name] if combo.tech is None else [city.name, TECHS[combo.tech].name]
        parts += [combo.action if combo.tech is not None else f"general-{combo.action}"]
        parts += [combo.qualifier] if combo.qualifier else []
        entry_id = slug(" ".join(parts))[:100].strip("-")

        event = random_day(rng, dt.date(FIRST_YEAR, 1, 1), LATEST_EVENT)
        entry: dict[str, Any] = {"id": entry_id}
        if combo.action == "quote":
            entry["kind"] = "quote"
        else:
            entry["kind"] = "fact"
        entry["question"] = question
        if also_asked:
            entry["also_asked"] = also_asked
        if combo.action == "quote":
            entry["quote"] = self.quote(combo, city, role, event)
        else:
            entry["answer"] = self.answer(combo, city, event)
        tech_topic = [TECHS[combo.tech].topic] if combo.tech is not None else []
        entry["topics"] = [*tech_topic, ACTION_TOPICS[combo.action]]
        sources = self.sources(combo, city, event)
        entry["sources"] = sources
        entry["as_of"] = event.isoformat() if rng.random() < 0.8 else event.isoformat()[:7]
        latest_source = max(dt.date.fromisoformat(s["published"]) for s in sources)
        entry["last_verified"] = random_day(rng, max(event, latest_source), LATEST).isoformat()
        if rng.random() < 0.05:
            entry["review_every_days"] = rng.choice([30, 60, 90, 120])
        earlier = self.by_city[combo.city]
        if earlier and rng.random() < 0.4:
            entry["related"] = rng.sample(
                earlier[-20:], k=min(len(earlier[-20:]), rng.randint(1, 2))
            )
        earlier.append(entry_id)
        return entry

    def answer(self, combo: Combo, city: City, event: dt.date) -> str:
        rng = self.rng
        c = city.name
        t = TECHS[combo.tech].name if combo.tech is not None else "surveillance technology"
        m = TECHS[combo.tech].modifier if combo.tech is not None else "surveillance technology"
        q = q_suffix(combo.qualifier)
        agency = AGENCIES[combo.qualifier][1 if city.eu else 0].format(c=c)
        council = f"the {c} city council" if city.eu else f"the {c} City Council"
        company = rng.choice(
            TECHS[combo.tech].companies if combo.tech is not None else ("CivicAudit Partners",)
        )
        group = rng.choice(GROUPS).format(c=c)
        when = human_date(event)
        votes = rng.randint(5, 11)
        against = rng.randint(0, votes // 2)
        money = amount(rng, city.eu)
        years = rng.randint(1, 5)
        regulator = (
            f"the data protection authority of {city.country}"
            if city.eu
            else rng.choice(["the state attorney general", "the state privacy board"])
        )
        match combo.action:
            case "ban":
                sentences = [
                    f"On {when} {council} voted {votes}-{against} to ban {agency}'s use of {t}{q}.",
                    f"The ban followed a campaign by {group}.",
                    rng.choice(
                        [
                            "It allows no exceptions for pilots or emergencies.",
                            f"It took effect {rng.randint(30, 120)} days after the vote.",
                            "Evidence gathered in breach of it cannot be used in court.",
                        ]
                    ),
                ]
            case "moratorium":
                sentences = [
                    f"{c} adopted a {years}-year moratorium on {t}{q} on {when}.",
                    f"The pause covers {agency} and can be lifted only by a vote of {council}.",
                ]
            case "oversight":
                sentences = [
                    f"On {when} {c} passed an ordinance requiring {agency} to get approval from "
                    f"{council} before acquiring or using {t}{q}.",
                    "It also requires a public use policy and an annual report.",
                ]
            case "pilot":
                sentences = [
                    f"{agency.capitalize()} ran a {rng.randint(3, 18)}-month pilot of {t}{q} with "
                    f"{company}, starting on {when}.",
                    rng.choice(
                        [
                            "The pilot ended without a contract.",
                            f"The pilot led to a {years}-year contract.",
                            "An evaluation found no measurable effect on clearance rates.",
                        ]
                    ),
                ]
            case "contract":
                sentences = [
                    f"{c} signed a {years}-year contract worth {money} with {company} for {t}{q} "
                    f"on {when}.",
                    f"{council.capitalize()} approved it by {votes} votes to {against}.",
                ]
            case "audit":
                finding = rng.choice(
                    [
                        "kept data longer than its policy allowed",
                        "could not show the system had helped solve crimes",
                        "had no written use policy",
                        "shared data with outside agencies without agreements",
                    ]
                )
                sentences = [
                    f"A {event.year} audit by the {c} city auditor found that {agency} {finding} "
                    f"in its {m} program{q}.",
                    rng.choice(
                        [
                            "It recommended annual public reports.",
                            "It recommended deleting data after 30 days.",
                            "It recommended suspending the program until a policy is adopted.",
                        ]
                    ),
                ]
            case "lawsuit":
                sentences = [
                    f"{group[0].upper() + group[1:]} sued {c} on {when} over its use of {t}{q}.",
                    rng.choice(
                        [
                            "The suit argues the program violates the right to privacy.",
                            "The suit says the city never approved the program in public.",
                            "The suit says the system wrongly flagged residents.",
                        ]
                    ),
                ]
            case "settlement":
                sentences = [
                    f"{c} agreed on {when} to pay {money} to settle claims over {t}{q} brought by "
                    f"{group}.",
                    "The settlement also requires the city to delete the data it collected.",
                ]
            case "fine":
                sentences = [
                    f"On {when} {regulator} fined {c} {money} over its use of {t}{q}.",
                    f"It found that {agency} had no lawful basis for collecting the data.",
                ]
            case _:
                raise ValueError(combo.action)
        return " ".join(sentences)

    def quote(self, combo: Combo, city: City, role: str, event: dt.date) -> dict[str, str]:
        rng = self.rng
        t = TECHS[combo.tech].name if combo.tech is not None else "surveillance technology"
        q = q_suffix(combo.qualifier)
        text = rng.choice(
            [
                f"{t.capitalize()}{q} has no place in {city.name} until the public has its say.",
                f"We will not use {t}{q} without clear rules and an independent audit.",
                f"{t.capitalize()}{q} helps us respond faster, and we publish every use.",
                f"People in {city.name} deserve to know who is watching them, and why.",
            ]
        )
        return {
            "text": text,
            "speaker": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "role": f"{role.capitalize()} of {city.name}",
            "said_on": event.isoformat(),
            "context": rng.choice(
                [
                    f"At a city council hearing on {t}{q}.",
                    "In an interview with a local newspaper.",
                    "At a press conference.",
                ]
            ),
        }

    def sources(self, combo: Combo, city: City, event: dt.date) -> list[dict[str, str]]:
        rng = self.rng
        t = TECHS[combo.tech].name if combo.tech is not None else "surveillance"
        headline = {
            "ban": f"{city.name} bans {t}",
            "moratorium": f"{city.name} pauses {t}",
            "oversight": f"{city.name} passes {t} oversight rules",
            "pilot": f"{city.name} tries out {t}",
            "contract": f"{city.name} signs {t} contract",
            "audit": f"Audit faults {city.name}'s {t} program",
            "lawsuit": f"{city.name} sued over {t}",
            "settlement": f"{city.name} settles {t} suit",
            "fine": f"{city.name} fined over {t}",
            "quote": f"{city.name} officials debate {t}",
        }[combo.action]
        if combo.qualifier:
            headline += f" {combo.qualifier}"
        sources = []
        for publisher in rng.sample(PUBLISHERS, k=rng.randint(1, 2)):
            name = publisher.format(c=city.name)
            published = min(event + dt.timedelta(days=rng.randint(0, 20)), LATEST)
            host = rng.choice(["https://example.org", "https://www.example.com"])
            path = f"{slug(name)}/{published:%Y/%m}/{slug(headline)}"
            sources.append(
                {
                    "title": headline,
                    "publisher": name,
                    "url": f"{host}/{path}",
                    "published": published.isoformat(),
                }
            )
        return sources


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def human_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def amount(rng: random.Random, eu: bool) -> str:
    value = rng.choice([rng.randint(20, 990) * 1_000, rng.randint(11, 95) * 100_000])
    symbol = "€" if eu else "$"
    if value >= 1_000_000:
        return f"{symbol}{value / 1_000_000:.1f} million"
    return f"{symbol}{value:,}"


# -- queries ------------------------------------------------------------------------------------

DROPPABLE = {
    "when",
    "did",
    "does",
    "do",
    "the",
    "a",
    "an",
    "is",
    "was",
    "has",
    "have",
    "there",
    "what",
    "who",
    "which",
    "of",
    "its",
    "to",
    "how",
    "for",
}
PHRASE_SYNONYMS: dict[str, list[str]] = {
    "police chief": ["top cop", "chief of police"],
    "city council": ["council"],
    "ban": ["outlaw", "prohibit"],
    "banned": ["outlawed", "prohibited"],
    "moratorium": ["pause", "freeze"],
    "ordinance": ["law", "bylaw"],
    "pilot": ["trial", "try out"],
    "contract": ["deal"],
    "company": ["vendor", "firm"],
    "lawsuit": ["suit", "court case"],
    "fined": ["penalized"],
    "say": ["think"],
    "schools": ["school"],
    "audit": ["review"],
    "audited": ["reviewed"],
}
KEYBOARD_NEIGHBOURS = {
    "a": "sqz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def perturb(question: str, city: str, tech: Tech | None, rng: random.Random) -> str:
    """Type a question the way a person in chat would: 1-3 content edits, then usually lower
    case and no question mark."""
    text = question
    edits = rng.sample(["synonym", "drop", "swap", "typo"], k=rng.choice([1, 2, 2, 3]))
    if "synonym" in edits:
        text = swap_synonym(text, city, tech, rng)
    if "drop" in edits:
        kept = [w for w in text.split() if not (w.lower() in DROPPABLE and rng.random() < 0.8)]
        text = " ".join(kept) or text
    if "swap" in edits:
        words = text.rstrip("?").split()
        if len(words) >= 3:
            if rng.random() < 0.5:
                i = rng.randrange(len(words) - 1)
                words[i], words[i + 1] = words[i + 1], words[i]
            else:  # move the tail to the front: "ban drones oakland" -> "oakland ban drones"
                cut = rng.randrange(1, len(words))
                words = words[cut:] + words[:cut]
            text = " ".join(words) + ("?" if text.endswith("?") else "")
    if "typo" in edits:
        text = add_typos(text, rng)
    if rng.random() < 0.7:
        text = text.lower()
    if rng.random() < 0.7:
        text = text.rstrip("?")
    return text


def swap_synonym(text: str, city: str, tech: Tech | None, rng: random.Random) -> str:
    options: list[tuple[str, list[str]]] = []
    if tech is not None and tech.name in text:
        options.append((tech.name, list(tech.synonyms)))
    if city in CITY_ABBREVIATIONS and city in text:
        options.append((city, CITY_ABBREVIATIONS[city]))
    lowered = text.lower()
    for phrase, choices in PHRASE_SYNONYMS.items():
        if re.search(rf"\b{phrase}\b", lowered):
            options.append((phrase, choices))
    if not options:
        return text
    old, choices = rng.choice(options)
    pattern = rf"\b{re.escape(old)}\b"
    return re.sub(pattern, rng.choice(choices), text, count=1, flags=re.IGNORECASE)


def add_typos(text: str, rng: random.Random) -> str:
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w.strip("?'s")) >= 6 and w.isalpha()]
    if not long_words:
        return text
    for i in rng.sample(long_words, k=min(len(long_words), rng.choice([1, 1, 2]))):
        words[i] = typo(words[i], rng)
    return " ".join(words)


def typo(word: str, rng: random.Random) -> str:
    """One edit away from the word, never on its first letter (people rarely miss that one)."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "neighbour"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    neighbours = KEYBOARD_NEIGHBOURS.get(word[i].lower(), word[i])
    return word[:i] + rng.choice(neighbours) + word[i + 1 :]


OFF_TOPIC = (
    # cooking
    "how long do i boil an egg for a runny yolk",
    "best recipe for banana bread without eggs",
    "can i freeze cooked rice",
    "what temperature should chicken thighs reach",
    "how do i make sourdough starter from scratch",
    "substitute for buttermilk in pancakes",
    "how much salt goes in pasta water",
    "is it safe to eat raw cookie dough",
    "how to caramelize onions quickly",
    "what wine goes with salmon",
    "vegan alternative to parmesan",
    "why did my souffle collapse",
    "how long to rest a steak",
    "easy weeknight curry recipe",
    "how to sharpen a kitchen knife",
    "can you microwave tupperware",
    "what is the difference between baking soda and baking powder",
    "how many cups in a quart",
    "how do i keep avocados from browning",
    "best way to reheat pizza",
    # sports
    "who won the world cup in 2018",
    "when does the nba season start",
    "how many players on a rugby team",
    "what is the offside rule in soccer",
    "who has the most grand slam titles",
    "how long is a marathon in miles",
    "when is the next olympics",
    "what does a quarterback do",
    "best exercises for a beginner runner",
    "how is a tennis tiebreak scored",
    "who won the tour de france last year",
    "how many innings in a baseball game",
    "what is a hat trick",
    "how do i improve my golf swing",
    "is cycling good for knee pain",
    "what size is a regulation basketball",
    "how many laps is a mile on a track",
    "who is the fastest man in the world",
    "what time is the super bowl",
    "how do chess ratings work",
    # weather
    "will it rain tomorrow",
    "what is the weather like this weekend",
    "how hot will it get today",
    "is there a storm coming",
    "what does a high uv index mean",
    "why is the sky blue",
    "how do hurricanes form",
    "when does spring start this year",
    "what causes fog in the morning",
    "how accurate are 10 day forecasts",
    "what is the dew point",
    "will it snow on christmas",
    "how do i read a barometer",
    "what is a polar vortex",
    "is it going to be windy tonight",
    "how much rain fell last night",
    "what is the hottest month of the year",
    "do i need an umbrella today",
    "how cold does it get in january",
    "what is a heat dome",
    # product support
    "how do i reset my router password",
    "my laptop battery drains too fast",
    "how do i cancel my subscription",
    "printer says paper jam but there is no paper",
    "how do i update my phone software",
    "why is my wifi so slow",
    "how do i return an item i bought online",
    "my headphones will not pair over bluetooth",
    "how do i change my email password",
    "the app keeps crashing when i open it",
    "how do i factory reset a tablet",
    "where is my order",
    "how do i clean my keyboard",
    "my screen is flickering",
    "how do i transfer photos to a new phone",
    "dishwasher not draining what do i do",
    "how do i set up two factor authentication",
    "my smart tv has no sound",
    "how do i recover a deleted file",
    "my washing machine smells bad",
    # coding
    "how do i reverse a list in python",
    "what is a null pointer exception",
    "how to center a div in css",
    "difference between let and const in javascript",
    "how do i undo a git commit",
    "what is big o notation",
    "how to read a csv file in pandas",
    "why is my docker container exiting",
    "how do i write a unit test",
    "what is a race condition",
    "how to sort a dictionary by value in python",
    "what does async await do",
    "how do i fix a merge conflict",
    "what is recursion",
    "sql query to find duplicate rows",
    "how do i install node on linux",
    "what is the difference between tcp and udp",
    "how to parse json in go",
    "regex to match an email address",
    "how do i profile slow python code",
)

NEAR_MISS_CITY = (
    "what's the population of {c}",
    "best pizza in {c}",
    "weather in {c} this weekend",
    "is {c} a good place to live",
    "cheap flights to {c}",
    "what time is it in {c} right now",
    "things to do in {c} with kids",
    "how much does the {c} police chief earn",
    "when is garbage pickup in {c}",
    "how do i get a parking permit in {c}",
    "{c} marathon route",
    "what is {c} famous for",
    "how expensive is rent in {c}",
    "best time of year to visit {c}",
    "how do i pay a parking ticket in {c}",
)
NEAR_MISS_TECH = (
    "how do i install a {p}",
    "how much does a {p} cost",
    "how do i fix my {p}",
    "who invented {t}",
    "best {p} to buy for home use",
    "how do i update the firmware on my {p}",
    "what battery does a {p} use",
    "can i build my own {p}",
    "is a {p} waterproof",
    "how do i get a job working on {t}",
    "how does a {p} work",
)


def make_queries(
    entries: list[dict[str, Any]],
    combos: dict[str, Combo],
    cities: list[City],
    in_scope: int,
    off_topic: int,
    rng: random.Random,
) -> dict[str, list[dict[str, Any]]]:
    """Labelled queries: perturbed entry questions, and off-topic ones (half near misses)."""
    taken = {
        utils.default_process(p) for e in entries for p in [e["question"], *e.get("also_asked", [])]
    }
    labelled: list[dict[str, Any]] = []
    seen: set[str] = set()
    pool = rng.sample(entries, k=min(len(entries), in_scope * 2))
    for entry in pool:
        if len(labelled) >= in_scope:
            break
        combo = combos[entry["id"]]
        tech = TECHS[combo.tech] if combo.tech is not None else None
        for _ in range(5):
            query = perturb(entry["question"], cities[combo.city].name, tech, rng)
            key = utils.default_process(query)
            if key not in seen and query != entry["question"]:
                seen.add(key)
                labelled.append({"q": query, "id": entry["id"]})
                break
    kb_cities = sorted({cities[c.city].name for c in combos.values()})
    kb_techs = sorted({c.tech for c in combos.values() if c.tech is not None})
    near = off_topic // 2
    unrelated = [{"q": q, "near_miss": False} for q in rng.sample(OFF_TOPIC, k=off_topic - near)]
    misses: list[dict[str, Any]] = []
    for _ in range(near * 50):
        if len(misses) >= near:
            break
        if rng.random() < 0.5:
            query = rng.choice(NEAR_MISS_CITY).format(c=rng.choice(kb_cities))
        else:
            tech = TECHS[rng.choice(kb_techs)]
            query = rng.choice(NEAR_MISS_TECH).format(p=tech.product, t=tech.name)
        key = utils.default_process(query)
        if key not in seen and key not in taken:
            seen.add(key)
            misses.append({"q": query, "near_miss": True})
    out_of_scope = unrelated + misses
    rng.shuffle(out_of_scope)
    return {"in_scope": labelled, "out_of_scope": out_of_scope}


# -- writing ------------------------------------------------------------------------------------


def generate(
    count: int,
    out: Path,
    seed: int,
    per_file: int,
    queries_out: Path,
    in_scope: int,
    off_topic: int,
) -> None:
    started = time.perf_counter()
    rng = random.Random(seed)
    cities = load_cities()
    combos = choose_combos(count, cities, rng)
    maker = EntryMaker(cities, rng)
    entries = [maker.make(combo) for combo in combos]
    by_id = {entry["id"]: combo for entry, combo in zip(entries, combos, strict=True)}
    if len(by_id) != len(entries):
        raise SystemExit("generated ids are not unique")

    staging = out.with_name(out.name + f".tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / MARKER).write_text(f"generate_kb.py --entries {count} --seed {seed}\n")
    topics = {
        slug_: {"title": title, "description": description, "review_every_days": days}
        for slug_, (title, description, days) in TOPICS.items()
    }
    dump(topics, staging / "topics.yaml")
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_topic[entry["topics"][0]].append(entry)
    files = 0
    for topic, topic_entries in sorted(by_topic.items()):
        folder = staging / topic
        folder.mkdir()
        for start in range(0, len(topic_entries), per_file):
            number = start // per_file + 1
            dump(topic_entries[start : start + per_file], folder / f"{topic}-{number:03d}.yaml")
            files += 1
    queries = make_queries(entries, by_id, cities, in_scope, off_topic, rng)

    if out.exists():
        if not (out / MARKER).exists():
            shutil.rmtree(staging)
            raise SystemExit(f"{out} exists and was not made by this script: not replacing it")
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(out)
    dump(queries, queries_out)
    quotes = sum(entry["kind"] == "quote" for entry in entries)
    print(
        f"wrote {len(entries):,} entries ({quotes:,} quotes) in {files} files under {out}, "
        f"{len(queries['in_scope'])} in-scope and {len(queries['out_of_scope'])} off-topic "
        f"queries to {queries_out} in {time.perf_counter() - started:.1f}s"
    )


def dump(data: Any, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(
            data,
            handle,
            Dumper=YamlDumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
            default_flow_style=False,
        )


def default_queries_path(out: Path) -> Path:
    """Beside the knowledge folder, not inside it, where the loader would read it as entries."""
    return out.with_name(out.name + ".queries.yaml")


def load_queries(path: Path) -> dict[str, list[dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YamlLoader)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True, help="how many entries")
    parser.add_argument("--out", type=Path, required=True, help="knowledge folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=MAX_PER_FILE, help="entries per file")
    parser.add_argument("--queries-out", type=Path, help="default: <out>.queries.yaml")
    parser.add_argument("--in-scope", type=int, default=500, help="labelled in-scope queries")
    parser.add_argument("--off-topic", type=int, default=200, help="off-topic queries")
    args = parser.parse_args(argv)
    if not 1 <= args.per_file <= MAX_PER_FILE:
        parser.error(f"--per-file must be 1-{MAX_PER_FILE}")
    if args.entries < 1:
        parser.error("--entries must be at least 1")
    if args.off_topic - args.off_topic // 2 > len(OFF_TOPIC):
        parser.error(f"--off-topic can be at most {2 * len(OFF_TOPIC)}")
    out = args.out.resolve()
    generate(
        args.entries,
        out,
        args.seed,
        args.per_file,
        (args.queries_out or default_queries_path(out)).resolve(),
        args.in_scope,
        args.off_topic,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
