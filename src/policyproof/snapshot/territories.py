"""The territory of the European Union and of the European Economic Area, as ISO 3166-1 codes.

GDPR applies on this territory, so places here must never fall into a snapshot's rest of the world. Sources:

- The 27 member states: https://european-union.europa.eu/principles-countries-history/eu-countries_en
- The EEA: the EU states with Iceland, Liechtenstein and Norway (Agreement on the European Economic Area,
  Art. 2 and 126), https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:01994A0103(01)-20191214
- EU territory that ISO 3166-1 codes apart from its member state: the outermost regions Guadeloupe, French
  Guiana, Martinique, Mayotte, Réunion and Saint-Martin (TFEU Art. 355(1) with Art. 349) and the Åland
  Islands (Art. 355(4)), https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:12016E355. The other
  outermost regions (the Canary Islands, the Azores, Madeira) have no ISO 3166-1 code of their own.
"""

from __future__ import annotations

EU_STATES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
EEA_STATES = EU_STATES | {"IS", "LI", "NO"}

# Each EU territory with a code of its own, and the member state it is part of.
EU_TERRITORIES = {"AX": "FI", "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "MF": "FR"}

EU = EU_STATES | EU_TERRITORIES.keys()
EEA = EEA_STATES | EU_TERRITORIES.keys()

# Groups of countries a reviewer may name as a place, under their names and abbreviations (any case).
AREAS = {"European Union": EU, "European Economic Area": EEA}
AREA_NAMES = {
    "eu": "European Union",
    "european union": "European Union",
    "eea": "European Economic Area",
    "european economic area": "European Economic Area",
}
