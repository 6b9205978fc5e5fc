"""Country and region names to codes (ISO 3166-1 alpha-2 and 3166-2) for residence."""

from __future__ import annotations

import re
import unicodedata

# code: alpha-3 and common names (English and native), lower case, "|"-separated.
_COUNTRIES = {
    "US": "usa|united states|united states of america|u s a|u s|america|estados unidos",
    "CA": "can|canada",
    "AU": "aus|australia",
    "NZ": "nzl|new zealand|aotearoa",
    "GB": "gbr|uk|u k|united kingdom|great britain|britain|england|scotland|wales|"
    "northern ireland|royaume uni|reino unido|vereinigtes konigreich",
    "IE": "irl|ireland|eire|irlande|irland",
    "DE": "deu|germany|deutschland|allemagne|alemania|germania|duitsland|tyskland|niemcy",
    "FR": "fra|france|frankreich|francia|frankrijk|frankrike|francja",
    "ES": "esp|spain|espana|espagne|spanien|spagna|spanje|hiszpania",
    "IT": "ita|italy|italia|italie|italien|italie|wlochy",
    "NL": "nld|netherlands|the netherlands|nederland|holland|pays bas|niederlande|paises bajos",
    "BE": "bel|belgium|belgique|belgie|belgien|belgica|belgio",
    "LU": "lux|luxembourg|luxemburg",
    "AT": "aut|austria|osterreich|autriche",
    "CH": "che|switzerland|schweiz|suisse|svizzera",
    "SE": "swe|sweden|sverige|suede|schweden|suecia|svezia|szwecja",
    "DK": "dnk|denmark|danmark|danemark|danemark|dinamarca|danimarca|dania",
    "FI": "fin|finland|suomi|finlande|finnland|finlandia",
    "NO": "nor|norway|norge|norvege|norwegen|noruega",
    "IS": "isl|iceland|island",
    "PL": "pol|poland|polska|pologne|polen|polonia",
    "PT": "prt|portugal",
    "GR": "grc|greece|hellas|ellada|grece|griechenland|grecia",
    "CZ": "cze|czech republic|czechia|cesko|tschechien",
    "SK": "svk|slovakia|slovensko|slowakei",
    "HU": "hun|hungary|magyarorszag|ungarn|hongrie",
    "SI": "svn|slovenia|slovenija",
    "HR": "hrv|croatia|hrvatska|kroatien",
    "RO": "rou|romania|rumanien|roumanie",
    "BG": "bgr|bulgaria|bulgarien|bulgarie",
    "EE": "est|estonia|eesti|estland",
    "LV": "lva|latvia|latvija|lettland",
    "LT": "ltu|lithuania|lietuva|litauen",
    "CY": "cyp|cyprus|chypre|zypern",
    "MT": "mlt|malta|malte",
    "LI": "lie|liechtenstein",
}
_US = (
    "AL alabama|AK alaska|AZ arizona|AR arkansas|CA california|CO colorado|CT connecticut|"
    "DE delaware|DC district of columbia|FL florida|GA georgia|HI hawaii|ID idaho|IL illinois|"
    "IN indiana|IA iowa|KS kansas|KY kentucky|LA louisiana|ME maine|MD maryland|"
    "MA massachusetts|MI michigan|MN minnesota|MS mississippi|MO missouri|MT montana|"
    "NE nebraska|NV nevada|NH new hampshire|NJ new jersey|NM new mexico|NY new york|"
    "NC north carolina|ND north dakota|OH ohio|OK oklahoma|OR oregon|PA pennsylvania|"
    "RI rhode island|SC south carolina|SD south dakota|TN tennessee|TX texas|UT utah|"
    "VT vermont|VA virginia|WA washington|WV west virginia|WI wisconsin|WY wyoming|"
    "PR puerto rico|GU guam|VI virgin islands"
)
_CA = (
    "AB alberta|BC british columbia|MB manitoba|NB new brunswick|NL newfoundland and labrador|"
    "NS nova scotia|NT northwest territories|NU nunavut|ON ontario|PE prince edward island|"
    "QC quebec|SK saskatchewan|YT yukon"
)
_AU = (
    "NSW new south wales|VIC victoria|QLD queensland|WA western australia|SA south australia|"
    "TAS tasmania|ACT australian capital territory|NT northern territory"
)


def fold(text: str) -> str:
    """Lower case without accents or punctuation, words separated by single spaces."""
    raw = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore")
    return " ".join(re.findall(r"[a-z0-9]+", raw.decode().lower()))


def _country_table() -> dict[str, str]:
    out = {code.lower(): code for code in _COUNTRIES}
    for code, names in _COUNTRIES.items():
        out.update(dict.fromkeys(names.split("|"), code))
    return out


def _region_table(spec: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in spec.split("|"):
        code, name = item.split(" ", 1)
        out[code.lower()] = code
        out[name] = code
    return out


COUNTRY_CODES: dict[str, str] = _country_table()
REGION_CODES: dict[str, dict[str, str]] = {
    "US": _region_table(_US),
    "CA": _region_table(_CA),
    "AU": _region_table(_AU),
}
# Region spelling -> country, only where exactly one country has a region so written.
_REGION_COUNTRY: dict[str, str] = {}
for _country, _table in REGION_CODES.items():
    for _name in _table:
        _REGION_COUNTRY[_name] = "" if _name in _REGION_COUNTRY else _country
REGION_COUNTRY = {name: c for name, c in _REGION_COUNTRY.items() if c}


def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name or code, or None when unknown."""
    return COUNTRY_CODES.get(fold(value))


def region_code(country: str | None, value: str) -> str | None:
    """ISO 3166-2 code (``US-CA``) of a US state, Canadian province or Australian state."""
    folded = fold(value)
    if country is None:
        country = REGION_COUNTRY.get(folded)
    table = REGION_CODES.get(country or "")
    code = table.get(folded) if table else None
    return f"{country}-{code}" if code else None
