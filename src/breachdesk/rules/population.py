"""Who counts for a rule: residence matching per jurisdiction and trigger combinations.

Residence of a person relative to a jurisdiction is one of three answers: resident, not resident,
or unknown (no known country; or, for a sub-national rule such as ``US-TX``, a known country but
no known region). Unknown answers never count as residents; the engine reports them separately.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from breachdesk.core.obligation import PersonFacts

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_MEMBER_STATES = frozenset(_EU.split(" "))
EEA_NON_EU = frozenset({"IS", "LI", "NO"})
EU_EEA = EU_MEMBER_STATES | EEA_NON_EU
# US territories have their own ISO 3166-1 codes as well as US-xx subdivision codes
US_TERRITORIES = frozenset({"PR", "GU", "VI", "AS", "MP", "UM"})

_US = (
    "AL Alabama,AK Alaska,AZ Arizona,AR Arkansas,CA California,CO Colorado,CT Connecticut,"
    "DE Delaware,DC District of Columbia,FL Florida,GA Georgia,HI Hawaii,ID Idaho,IL Illinois,"
    "IN Indiana,IA Iowa,KS Kansas,KY Kentucky,LA Louisiana,ME Maine,MD Maryland,"
    "MA Massachusetts,MI Michigan,MN Minnesota,MS Mississippi,MO Missouri,MT Montana,"
    "NE Nebraska,NV Nevada,NH New Hampshire,NJ New Jersey,NM New Mexico,NY New York,"
    "NC North Carolina,ND North Dakota,OH Ohio,OK Oklahoma,OR Oregon,PA Pennsylvania,"
    "RI Rhode Island,SC South Carolina,SD South Dakota,TN Tennessee,TX Texas,UT Utah,"
    "VT Vermont,VA Virginia,WA Washington,WV West Virginia,WI Wisconsin,WY Wyoming,"
    "PR Puerto Rico,GU Guam,VI U.S. Virgin Islands,AS American Samoa,MP Northern Mariana Islands"
)
_COUNTRIES = {
    "US": "United States",
    "EU": "EU/EEA",
    "GB": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "BR": "Brazil",
    "SG": "Singapore",
    "IN": "India",
    "JP": "Japan",
    "*": "anywhere",
}
NAMES = {f"US-{pair[:2]}": pair[3:] for pair in _US.split(",")} | _COUNTRIES
ANYWHERE = "*"  # ``applies.residents_of: "*"``: everyone counts, wherever they live


def main_citation(citations: tuple[str, ...]) -> str:
    """The citation shown in explanations: the first that is not only a definitions section."""
    return next((c for c in citations if "definition" not in c.lower()), citations[0])


def jurisdiction_name(code: str) -> str:
    """A readable name for a jurisdiction code (``US-TX`` -> ``Texas``); the code if unknown."""
    return NAMES.get(code, code)


class Residence(Enum):
    """A person's residence relative to one jurisdiction."""

    RESIDENT = "resident"
    OTHER = "other"
    UNKNOWN = "unknown"


def residence(person: PersonFacts, jurisdiction: str) -> Residence:
    """Whether ``person`` lives in ``jurisdiction`` (``EU``, a country, a subdivision, ``*``)."""
    if jurisdiction == ANYWHERE:
        return Residence.RESIDENT
    if not person.residence_known or person.country is None:
        return Residence.UNKNOWN
    country = person.country.upper()
    if jurisdiction == "EU":
        return Residence.RESIDENT if country in EU_EEA else Residence.OTHER
    if "-" not in jurisdiction:
        if jurisdiction == "US":
            inside = country == "US" or country in US_TERRITORIES
        else:
            inside = country == jurisdiction
        return Residence.RESIDENT if inside else Residence.OTHER
    parent, _, part = jurisdiction.partition("-")
    region = (person.region or "").upper()
    if region == jurisdiction or (parent == "US" and part in US_TERRITORIES and country == part):
        return Residence.RESIDENT
    if country == parent and not region:
        return Residence.UNKNOWN  # the right country, but which state or province is not known
    return Residence.OTHER


def matched_combination(
    elements: frozenset[str], any_of: Iterable[tuple[str, ...]]
) -> tuple[str, ...] | None:
    """The first trigger combination all of whose elements were exposed, if any."""
    for combination in any_of:
        if elements.issuperset(combination):
            return combination
    return None


@dataclass(frozen=True, slots=True)
class Population:
    """People relevant to one rule, counted by residence, among those who meet a trigger."""

    residents: int  # known residents who meet a trigger
    inferred: int  # of ``residents``, those whose residence was inferred, not from a master record
    unknown: int  # people of unknown residence who meet a trigger
    total: int  # everyone, anywhere, who meets a trigger
    residents_affected: int  # known residents affected at all, trigger met or not
    combinations: tuple[tuple[tuple[str, ...], int], ...]  # combination -> residents, most first
    by_subdivision: tuple[tuple[str, int], ...] = ()  # residents meeting a trigger per region
    no_subdivision: int = 0  # residents meeting a trigger whose region is not known


def count_population(
    people: Iterable[PersonFacts], jurisdiction: str, any_of: tuple[tuple[str, ...], ...]
) -> Population:
    """Count the people of ``jurisdiction`` (and of unknown residence) who meet a trigger."""
    residents = inferred = unknown = total = affected = 0
    combos: Counter[tuple[str, ...]] = Counter()
    regions: Counter[str] = Counter()
    for person in people:
        where = residence(person, jurisdiction)
        if where is Residence.RESIDENT:
            affected += person.count
        combination = matched_combination(person.elements, any_of)
        if combination is None:
            continue
        total += person.count
        if where is Residence.RESIDENT:
            residents += person.count
            combos[combination] += person.count
            regions[_subdivision(person)] += person.count
            if person.residence_source == "inferred":
                inferred += person.count
        elif where is Residence.UNKNOWN:
            unknown += person.count
    return Population(
        residents=residents,
        inferred=inferred,
        unknown=unknown,
        total=total,
        residents_affected=affected,
        combinations=tuple(combos.most_common()),
        by_subdivision=tuple(sorted((r, n) for r, n in regions.items() if r)),
        no_subdivision=regions.get("", 0),
    )


def _subdivision(person: PersonFacts) -> str:
    """``US-CA`` from the region; territories given as a country code become ``US-PR``."""
    if person.region:
        return person.region.upper()
    country = (person.country or "").upper()
    return f"US-{country}" if country in US_TERRITORIES else ""
