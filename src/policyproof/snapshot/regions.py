"""Places as reviewers write them ("Norway", "the UK", "Réunion", "EU", "NO", "EEA") mapped to region groups.

Country names come from ISO 3166 (pycountry), not from a table of our own. A place is read as, in turn:

1. a region group id of the loaded snapshots, in any case;
2. an ISO 3166-1 code or name (short, official or common), with case, accents and punctuation set aside;
3. the European Union or the European Economic Area (``EU``, ``EEA``): the group that holds all their land;
4. one of ``OTHER_NAMES``: the codes ISO 3166-1 reserves exceptionally (``UK``) and English names from the
   Unicode CLDR that ISO 3166-1 does not use (``Russia``, ``Ivory Coast``); Kosovo (``XK``), which ISO 3166-1
   does not list, is read at step 2 as a country of its own;
5. whole words of an ISO 3166-1 name (``Britain``, ``America``, ``Svalbard``), then an ISO 3166-2
   subdivision name in its own language or in English, whole or in whole words (``Scotland``, ``Holland``,
   ``Bavaria``), then one that ISO's translators give in ``LANGUAGES`` (``Geneva``, ``Genf``).

A name that several countries answer to at one step is an error that names them, never a guess.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import pycountry

from policyproof.exceptions import PolicyproofError, UnknownNameError
from policyproof.snapshot.country_names import OTHER_NAMES, SET_APART, USER_ASSIGNED
from policyproof.snapshot.territories import AREA_NAMES, AREAS

if TYPE_CHECKING:
    from policyproof.snapshot.model import RegionGroup, Snapshot

# How many of the countries a name could mean an error lists.
LISTED = 6


@dataclass(frozen=True, slots=True)
class Place:
    """What a reviewer named: a country (ISO 3166-1 alpha-2), a region group id, or the EU or the EEA."""

    text: str
    country: str | None
    group: str | None
    area: str | None = None

    @property
    def shown(self) -> str:
        """The place as written, with the country or area it was read as when the text names neither."""
        meant = country_name(self.country) if self.country is not None else self.area
        if meant is None or self.group is not None or normalise(meant) == normalise(_bare(self.text)):
            return self.text
        return f"{self.text} ({meant})"


def parse_place(text: str, group_ids: frozenset[str]) -> Place:
    """Read a place: a group id, else a country or area by the steps in this module's docstring."""
    bare = _bare(text)
    group = {g.casefold(): g for g in group_ids}.get(bare.casefold())
    try:
        country, area = _territory(bare)
    except PolicyproofError:
        if group is None:
            raise
        country, area = None, None
    if group is None and country is None and area is None:
        # Subdivisions are suggested only when a letter or two off: among thousands, a looser likeness is chance.
        near = difflib.get_close_matches(bare.casefold(), _suggested_places(), n=3, cutoff=0.85)
        names = [
            *AREAS,
            *(str(c.name) for c in pycountry.countries),
            *(n for n in OTHER_NAMES if not n.isupper()),
            *USER_ASSIGNED.values(),
            *(_suggested_places()[name] for name in near),
        ]
        where = "ISO 3166 country names and codes or the region groups " + ", ".join(sorted(group_ids))
        raise UnknownNameError("place", text, [*sorted(group_ids), *names], where, listed=False)
    return Place(text, country, group, area)


def _bare(text: str) -> str:
    """The place without quotes and a leading "the"."""
    cleaned = text.strip().strip('"').strip()
    return cleaned[4:] if cleaned.lower().startswith("the ") else cleaned


def group_of(snapshot: Snapshot, place: Place) -> RegionGroup | None:
    """The snapshot's group for a place, or None when the snapshot has no such group or splits the area."""
    if place.group is not None:
        named = next((g for g in snapshot.region_groups if g.id == place.group), None)
        if named is not None:
            return named
    if place.area is not None:
        groups = {snapshot.group_of_country(code) for code in AREAS[place.area]}
        return groups.pop() if len(groups) == 1 else None
    return snapshot.group_of_country(place.country) if place.country is not None else None


def country_name(code: str) -> str:
    """The ISO 3166 short name of a country code (Kosovo's for ``XK``)."""
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else USER_ASSIGNED.get(code, code)


@cache
def country_codes() -> frozenset[str]:
    """Every code a country may be given by: each ISO 3166-1 alpha-2 code, and ``USER_ASSIGNED``'s."""
    return frozenset({*(str(country.alpha_2) for country in pycountry.countries), *USER_ASSIGNED})


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Case, accents and punctuation set aside, "St" read as "Saint": "St. Barthélemy" is "saint barthelemy"."""
    decomposed = unicodedata.normalize("NFKD", text.replace(".", "").casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("saint" if word == "st" else word for word in re.split(r"[\W_]+", plain) if word)


@lru_cache(maxsize=1024)
def _territory(text: str) -> tuple[str | None, str | None]:
    """The ISO 3166-1 country or the area a name means, or (None, None); several countries are an error."""
    try:
        return str(pycountry.countries.lookup(text).alpha_2), None
    except LookupError:
        pass
    wanted = normalise(text)
    if not wanted:
        return None, None
    if wanted in AREA_NAMES:
        return None, AREA_NAMES[wanted]
    countries, subdivisions = _country_names(), _subdivision_names()
    padded = f" {wanted} "
    for found in (
        countries.get(wanted, set()),
        {code for name, codes in countries.items() if padded in f" {name} " for code in codes},
        subdivisions.get(wanted, set()),
        {code for name, codes in subdivisions.items() if padded in f" {name} " for code in codes},
        _translated_subdivision_names().get(wanted, (set(), ""))[0],
    ):
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            could_be = " or ".join(f"'{country_name(code)}' ({code})" for code in sorted(found)[:LISTED])
            more = f" (and {len(found) - LISTED} more)" if len(found) > LISTED else ""
            raise PolicyproofError(f"place '{text}' could be {could_be}{more}; name one by its ISO 3166 name or code")
    return None, None


@cache
def _country_names() -> dict[str, set[str]]:
    """Every name and code of every ISO 3166-1 country, and ``OTHER_NAMES``, normalised, with their codes."""
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for field in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, field, None)
            if value:
                names.setdefault(normalise(value), set()).add(str(country.alpha_2))
    for name, code in OTHER_NAMES.items():
        names.setdefault(normalise(name), set()).add(code)
    for code, name in USER_ASSIGNED.items():
        names.setdefault(normalise(code), set()).add(code)
        names.setdefault(normalise(name), set()).add(code)
    return names


@cache
def _subdivision_names() -> dict[str, set[str]]:
    """ISO 3166-2 subdivision names in their own languages and in English, normalised, with their countries.

    ``SET_APART`` types are left out. A name may carry others in brackets or after a slash ("Wales [Cymru
    GB-CYM]"): each is a name. A German name is read with its umlauts written out too ("Zuerich").
    """
    english = _translation("en")
    names: dict[str, set[str]] = {}
    for subdivision in _subdivisions():
        for full in {subdivision.name, english.gettext(subdivision.name)}:
            for name in _names(full):
                names.setdefault(normalise(name), set()).add(str(subdivision.country_code))
    return names


@cache
def _translated_subdivision_names() -> dict[str, tuple[set[str], str]]:
    """ISO 3166-2 subdivision names in ``LANGUAGES``, as ISO's translators give them, in Latin script.

    These are how people elsewhere write a place ("Geneva", "Genf" and "Ginevra" for Genève). They are read
    only after the names in the subdivision's own languages and English, so that no translation takes a name
    those give to another place ("Vienne" stays the French department). Each with a form to suggest.
    """
    taken = _subdivision_names()
    names: dict[str, tuple[set[str], str]] = {}
    translations = [_translation(language) for language in LANGUAGES]
    for subdivision in _subdivisions():
        for translation in translations:
            for name in _names(translation.gettext(subdivision.name)):
                key = normalise(name)
                if key not in taken and _latin(name):
                    names.setdefault(key, (set(), name))[0].add(str(subdivision.country_code))
    return names


def _subdivisions() -> list[pycountry.db.Data]:
    return [subdivision for subdivision in pycountry.subdivisions if subdivision.type not in SET_APART]


def _names(full: str) -> list[str]:
    """The names in an ISO 3166-2 name ("Wales [Cymru GB-CYM]"), and German ones with umlauts written out."""
    found = [name.strip() for name in re.split(r"[\[\]/()]", re.sub(r"\b[A-Z]{2}-\w+", "", full)) if name.strip()]
    written_out = [name.translate(_UMLAUTS) for name in found if any(c in _UMLAUTS_TEXT for c in name)]
    return found + written_out


_UMLAUTS_TEXT = "äöüÄÖÜ"
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


# The languages, besides English, whose names of subdivisions are read: those of the places most guarantees
# name, in which ISO's translators give the names people write in English too ("Geneva" is Romanian's and
# English's name of Genève; pycountry's English keeps "Genève").
LANGUAGES = ("de", "es", "fr", "it", "nl", "pt", "ro")


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _latin(name: str) -> bool:
    """Whether a name is written in Latin letters (with their accents), as reviewers' feature files are."""
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


@cache
def _suggested_places() -> dict[str, str]:
    """Subdivision names a misspelt place may be near, in lower case, with their written form."""
    english = _translation("en")
    shown = {
        name
        for subdivision in _subdivisions()
        for name in _names(subdivision.name) + _names(english.gettext(subdivision.name))
        if _latin(name)
    }
    shown |= {name for _, name in _translated_subdivision_names().values()}
    return {name.casefold(): name for name in sorted(shown)}
