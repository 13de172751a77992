"""Names of countries that ISO 3166 does not give, and the subdivisions whose names are not read as their country.

``regions`` reads places by these tables besides ISO 3166's own names (pycountry).
"""

from __future__ import annotations

# Names that are not ISO 3166-1 names of a country but mean one all the same. Sources: the codes reserved
# exceptionally by the ISO 3166 Maintenance Agency (https://www.iso.org/iso-3166-country-codes.html), with
# their names, and the English names of the Unicode CLDR (https://cldr.unicode.org, territory and
# subdivision names) where ISO 3166-1 uses another. "EU" is reserved too: it is an area (territories.py).
OTHER_NAMES = {
    "UK": "GB",
    "AC": "SH",
    "Ascension Island": "SH",
    "DG": "IO",
    "Diego Garcia": "IO",
    "EA": "ES",
    "Ceuta and Melilla": "ES",
    "FX": "FR",
    "Metropolitan France": "FR",
    "IC": "ES",
    "Canary Islands": "ES",
    "TA": "SH",
    "Russia": "RU",
    "Turkey": "TR",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Azores": "PT",
    "U.S. Virgin Islands": "VI",
    # The Unicode CLDR's English names "Hong Kong SAR China" and "Macao SAR China", as people shorten them, and
    # the names Réunion goes by in English and in French (ISO 3166-1's French name is "Réunion, Île de la").
    "Hong Kong SAR": "HK",
    "Macao SAR": "MO",
    "Macau SAR": "MO",
    "Reunion Island": "RE",
    "Île de la Réunion": "RE",
    "La Réunion": "RE",
}

# Codes in use for a territory that ISO 3166-1 does not list: Kosovo's user-assigned XK, which the EU, the
# Unicode CLDR and real member tables use. A snapshot places it like any country, and it is read as itself,
# never as a subdivision of another country.
USER_ASSIGNED = {"XK": "Kosovo"}

# ISO 3166-2 subdivisions of these types have a status apart from their country's (Svalbard is outside the
# EEA Agreement, French overseas collectivities outside the EU, Hong Kong has its own law), and most have
# an ISO 3166-1 code of their own: their names are not read as their country.
SET_APART = frozenset(
    {
        "Arctic region",
        "Dependency",
        "Outlying area",
        "Overseas collectivity",
        "Overseas collectivity with special status",
        "Overseas territory",
        "Special administrative region",
    }
)
