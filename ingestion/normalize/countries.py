"""Country normaliser: where ``EU`` becomes ``EUU`` (the EU's institutions) and ``Britain`` becomes ``GBR``.

Names are matched on a *key* (lower-case, accents stripped, whitespace collapsed,
a leading "the " and all dots dropped) against a table built from pycountry (ISO
3166-1) and the reviewed reference files in ``ingestion/reference/``:

- ``entities.csv``: entities that are not ISO countries (blocs, regions,
  organisations, Kosovo, former countries), with their kind and a source;
- ``aliases.csv``: further names of a code, each with a source;
- ``bloc_members.csv``: which countries belong to a bloc or region, when.

Each file may have companions named ``<file>_<topic>.csv`` (e.g. ``aliases_gsdb.csv``, the
names one publisher writes), read together with it.

Codes are ISO 3166-1 alpha-3 for countries, the entity's code otherwise. Kinds
are ``country``, ``bloc``, ``region``, ``organisation`` and ``aggregate`` (a publisher's
statistical remainder such as CREA's "Others", which no other source means by that name: a
format maps it explicitly, never through an alias). The EU is two entities: ``EUU``, the EU
acting through its institutions (Kiel's donor, the EU's sanctions and statements; what an
extract's ``EU`` means, EXTRACTS.md), and ``EU_MEMBER_STATES``, its members together with
dated membership (CREA's importer ``EU``). The reference data
is checked when it is first loaded; an inconsistency (a key of two codes, an
alias or member of an unknown code) raises :class:`ReferenceDataError`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection
from functools import cache
from importlib.metadata import version
from pathlib import Path

import polars as pl
import pycountry

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
KINDS = ("country", "bloc", "region", "organisation", "aggregate")
#: kinds an entity must have to have members in ``bloc_members.csv``.
GROUP_KINDS = ("bloc", "region")

_WHITESPACE = re.compile(r"\s+")


class ReferenceDataError(ValueError):
    """The reference data in ``ingestion/reference/`` is inconsistent."""


def country_key(expr: pl.Expr) -> pl.Expr:
    """Matching key of a name: lower-case, no accents or dots, single spaces, no leading "the "."""
    return (
        expr.str.to_lowercase()
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.replace_all(".", "", literal=True)
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" ")
        .str.replace(r"^the ", "")
    )


def key_of(value: str) -> str:
    """The :func:`country_key` of one Python string."""
    text = unicodedata.normalize("NFKD", value.lower())
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    text = _WHITESPACE.sub(" ", text.replace(".", "")).strip(" ")
    return text.removeprefix("the ")


def _read_reference(name: str, directory: Path = REFERENCE_DIR) -> pl.DataFrame:
    """One reference CSV and its ``<stem>_*.csv`` companions, every column as text, empty fields as nulls."""
    path = directory / name
    if not path.is_file():
        raise ReferenceDataError(f"reference file missing: {path}")
    companions = sorted(directory.glob(f"{path.stem}_*.csv"))
    frames = [pl.read_csv(p, infer_schema=False, encoding="utf8") for p in (path, *companions)]
    for companion, frame in zip(companions, frames[1:], strict=True):
        if frame.columns != frames[0].columns:
            raise ReferenceDataError(
                f"{companion.name}: columns {frame.columns} differ from {name}'s {frames[0].columns}")
    return pl.concat(frames)


def _pycountry_entities() -> pl.DataFrame:
    """Every ISO 3166-1 country known to pycountry, as entity rows."""
    source = f"ISO 3166-1 (pycountry {version('pycountry')})"
    rows = [
        {
            "code": c.alpha_3,
            "name": getattr(c, "common_name", None) or c.name,
            "kind": "country",
            "iso2": c.alpha_2,
            "source": source,
        }
        for c in pycountry.countries
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(("code", "name", "kind", "iso2", "source"), pl.String))


def _pycountry_names() -> pl.DataFrame:
    """Every code and name pycountry gives a country: ``value``, ``code``, ``origin``."""
    fields = ("alpha_2", "alpha_3", "name", "common_name", "official_name")
    rows = [
        {"value": value, "code": c.alpha_3, "origin": f"pycountry {field}"}
        for c in pycountry.countries
        for field in fields
        if (value := getattr(c, field, None))
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(("value", "code", "origin"), pl.String))


def _build_entities(extra: pl.DataFrame) -> pl.DataFrame:
    """pycountry's countries plus the rows of ``entities.csv``, checked."""
    problems: list[str] = []
    missing = extra.filter(pl.any_horizontal(pl.col("code", "name", "kind", "source").is_null()))
    problems += [f"entities.csv: empty field in {row}" for row in missing.to_dicts()]
    bad_kind = extra.filter(~pl.col("kind").is_in(KINDS))
    problems += [
        f"entities.csv: {row['code']} has kind {row['kind']!r}, expected one of {', '.join(KINDS)}"
        for row in bad_kind.to_dicts()
    ]
    no_iso2 = pl.lit(None, pl.String).alias("iso2")
    table = pl.concat([_pycountry_entities(), extra.select("code", "name", "kind", no_iso2, "source")])
    dupes = table.filter(pl.col("code").is_duplicated())["code"].unique().sort()
    problems += [f"entities.csv: code {code} is defined twice (or is already an ISO code)" for code in dupes]
    if problems:
        raise ReferenceDataError("inconsistent reference data:\n  " + "\n  ".join(problems))
    return table.sort("code")


def _build_aliases(entities: pl.DataFrame, aliases: pl.DataFrame) -> pl.DataFrame:
    """The alias table (``key``, ``code``, ``kind``) from entities and aliases, checked."""
    problems: list[str] = []
    missing = aliases.filter(pl.any_horizontal(pl.col("alias", "code", "source").is_null()))
    problems += [f"aliases.csv: empty field in {row}" for row in missing.to_dicts()]
    unknown = aliases.join(entities, on="code", how="anti")
    problems += [
        f"aliases.csv: alias {row['alias']!r} maps to unknown code {row['code']!r}"
        for row in unknown.to_dicts()
    ]
    alias_keys = aliases.with_columns(country_key(pl.col("alias")).alias("key"))
    repeated = alias_keys.filter(pl.col("key").is_duplicated()).sort("key")
    problems += [
        f"aliases.csv: alias {row['alias']!r} repeats key {row['key']!r}" for row in repeated.to_dicts()
    ]
    names = pl.concat(
        [
            _pycountry_names(),
            entities.filter(pl.col("iso2").is_null()).select(
                pl.col("code").alias("value"), "code", pl.lit("entities.csv code").alias("origin")
            ),
            entities.filter(pl.col("iso2").is_null()).select(
                pl.col("name").alias("value"), "code", pl.lit("entities.csv name").alias("origin")
            ),
            aliases.select(pl.col("alias").alias("value"), "code", pl.lit("aliases.csv").alias("origin")),
        ]
    ).with_columns(country_key(pl.col("value")).alias("key"))
    empty = names.filter(pl.col("key").is_null() | (pl.col("key") == ""))
    problems += [f"{row['origin']}: {row['value']!r} has an empty matching key" for row in empty.to_dicts()]
    clashes = (
        names.group_by("key")
        .agg(
            pl.col("code").n_unique().alias("n"),
            pl.format("{} ({}: {})", "code", "origin", "value").alias("by"),
        )
        .filter(pl.col("n") > 1)
        .sort("key")
    )
    problems += [
        f"key {row['key']!r} maps to more than one code: {'; '.join(sorted(row['by']))}"
        for row in clashes.to_dicts()
    ]
    if problems:
        raise ReferenceDataError("inconsistent reference data:\n  " + "\n  ".join(problems))
    return (
        names.filter(pl.col("key") != "")
        .unique("key")
        .join(entities.select("code", "kind"), on="code", how="left")
        .select("key", "code", "kind")
        .sort("key")
    )


def _build_members(entities: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """The bloc membership table with typed dates, checked."""
    problems: list[str] = []
    missing = members.filter(pl.any_horizontal(pl.col("bloc", "member", "source").is_null()))
    problems += [f"bloc_members.csv: empty field in {row}" for row in missing.to_dicts()]
    typed = members.with_columns(
        pl.col("member_from", "member_to").str.to_date("%Y-%m-%d", strict=False).name.suffix("_date")
    )
    for col in ("member_from", "member_to"):
        bad = typed.filter(pl.col(col).is_not_null() & pl.col(f"{col}_date").is_null())
        problems += [f"bloc_members.csv: {col} {row[col]!r} is not YYYY-MM-DD" for row in bad.to_dicts()]
    kinds = entities.select("code", "kind")
    blocs = typed.join(kinds, left_on="bloc", right_on="code", how="left")
    bad_bloc = blocs.filter(~pl.col("kind").is_in(GROUP_KINDS).fill_null(False)).unique("bloc", keep="first")
    problems += [
        f"bloc_members.csv: bloc {row['bloc']!r} is not a known bloc or region" for row in bad_bloc.to_dicts()
    ]
    countries = typed.join(kinds, left_on="member", right_on="code", how="left")
    bad_member = countries.filter((pl.col("kind") != "country").fill_null(True))
    problems += [
        f"bloc_members.csv: member {row['member']!r} of {row['bloc']} is not a known country"
        for row in bad_member.to_dicts()
    ]
    backwards = typed.filter(pl.col("member_to_date") < pl.col("member_from_date"))
    problems += [
        f"bloc_members.csv: {row['member']} in {row['bloc']} ends before it starts"
        for row in backwards.to_dicts()
    ]
    dupes = typed.filter(pl.struct("bloc", "member", "member_from").is_duplicated())
    problems += [
        f"bloc_members.csv: {row['member']} in {row['bloc']} from {row['member_from']} is listed twice"
        for row in dupes.to_dicts()
    ]
    if problems:
        raise ReferenceDataError("inconsistent reference data:\n  " + "\n  ".join(problems))
    return typed.select(
        "bloc",
        "member",
        pl.col("member_from_date").alias("member_from"),
        pl.col("member_to_date").alias("member_to"),
        "source",
    ).sort("bloc", "member", "member_from", nulls_last=False)


@cache
def entities_table() -> pl.DataFrame:
    """Every known entity (ISO countries, then ``entities.csv``): code, name, kind, iso2, source."""
    return _build_entities(_read_reference("entities.csv"))


@cache
def alias_table() -> pl.DataFrame:
    """Every matching key with its code and kind; one row per key."""
    return _build_aliases(entities_table(), _read_reference("aliases.csv"))


@cache
def bloc_members_table() -> pl.DataFrame:
    """Members of each bloc or region: bloc, member, member_from, member_to (last day), source."""
    return _build_members(entities_table(), _read_reference("bloc_members.csv"))


def resolve(values: pl.Series, allowed_kinds: Collection[str] = ("country",)) -> pl.DataFrame:
    """Code and kind of each value, in order; code is null if unknown or of a kind not allowed."""
    frame = pl.DataFrame({"value": values.cast(pl.String)})
    matched = frame.with_columns(country_key(pl.col("value")).alias("key")).join(
        alias_table(), on="key", how="left", validate="m:1", maintain_order="left"
    )
    return matched.select(
        "value",
        pl.when(pl.col("kind").is_in(list(allowed_kinds))).then(pl.col("code")).alias("code"),
        "kind",
    )


def resolve_one(value: str, allowed_kinds: Collection[str] = ("country", "bloc")) -> str | None:
    """The code of one name (e.g. a command-line option), or None if unknown or of a kind not allowed."""
    return resolve(pl.Series([value]), allowed_kinds).get_column("code")[0]


@cache
def _display_names() -> dict[str, str]:
    """Display name of the code each key stands for."""
    named = alias_table().join(entities_table().select("code", "name"), on="code", how="left")
    return dict(zip(named["key"], named["name"], strict=True))


def name_of(value: str) -> str | None:
    """The display name of the entity ``value`` names (whatever its kind), if any."""
    return _display_names().get(key_of(value))


def suggest(value: str, limit: int = 3) -> list[str]:
    """The known display names closest to ``value``, best first."""
    names = _display_names()
    keys = difflib.get_close_matches(key_of(value), names.keys(), n=max(limit, 1) * 10, cutoff=0.6)
    return list(dict.fromkeys(names[k] for k in keys))[:limit]
