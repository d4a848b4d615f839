"""``designations``: entries on a sanctions list, as seen in one snapshot of it.

A file is one published version (snapshot) of one list: one ``list_id`` and one ``as_of``
per file. The history (first and last seen, listings, delistings, renames) is kept by
:mod:`ingestion.designation_history` as snapshots are loaded.

Three optional columns carry what a list says of an entry beyond its name, for questions
that one snapshot can answer and for matching entries across lists:

- ``listed_on``: the listing date the list itself gives (Canada's ``DateOfListing``, the
  UN's ``LISTED_ON``); null where the list gives none (OFAC). Never after ``as_of``.
- ``birth_date``: a person's date of birth as the list gives it, normalised to
  ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` where the list gives only that (the first one
  that can be normalised where it gives several; ranges give none).
- ``imo_number``: a vessel's IMO number, 7 digits.
"""

from ingestion.contracts import Column, Dataset, Rule
from ingestion.datasets.common import SOURCE_COLUMNS

ENTITY_TYPES = ("person", "organisation", "vessel", "aircraft")

#: SQL: ``birth_date`` is ``YYYY``, a valid ``YYYY-MM`` or a valid ``YYYY-MM-DD``. (No ``{n}``
#: quantifiers: Great Expectations formats the query with ``str.format``.)
_VALID_PARTIAL_DATE = (
    "regexp_full_match(birth_date, '[0-9][0-9][0-9][0-9](-[0-9][0-9](-[0-9][0-9])?)?') and "
    "try_strptime(birth_date || substr('-01-01', length(birth_date) - 3), '%Y-%m-%d') is not null"
)

DESIGNATIONS = Dataset(
    name="designations",
    description="Entries on a sanctions list, as seen in one snapshot of it.",
    columns=(
        Column("list_id", "text", required=True, description="the list, e.g. us_ofac_sdn; one list per file"),
        Column("imposed_by", "country", required=True, groups=("bloc", "organisation"),
               description="who keeps the list"),
        Column("as_of", "date", required=True, not_future=True, description="the date of the snapshot"),
        Column("entry_id", "text", required=True, description="the list's own id, unique in the file"),
        Column("name", "text", required=True),
        Column("entity_type", "enum", required=True, enum=ENTITY_TYPES),
        Column("programmes", "text", description="the list's programme codes, ;-separated"),
        Column("target", "country", description="the country the programme targets"),
        Column("remarks", "text"),
        Column("listed_on", "date", description="the listing date the list itself gives; null where it gives none"),
        Column("birth_date", "text",
               description="a person's date of birth, YYYY-MM-DD, or YYYY-MM / YYYY where the list gives only that"),
        Column("imo_number", "text", description="a vessel's IMO number, 7 digits"),
        *SOURCE_COLUMNS,
    ),
    rules=(
        Rule(
            "one_list_per_file", "list_id",
            "a designations file is one snapshot of one list: this list_id differs from the file's first",
            "list_id <> (select arg_min(list_id, source_row) from {batch})", ("list_id",),
        ),
        Rule(
            "one_as_of_per_file", "as_of",
            "a designations file is one snapshot: this as_of differs from the file's first",
            "as_of <> (select arg_min(as_of, source_row) from {batch})", ("as_of",),
        ),
        Rule(
            "listed_before_snapshot", "listed_on",
            "listed_on lies after the snapshot's as_of: an entry cannot be listed after the list it is on",
            "listed_on > as_of", ("listed_on", "as_of"),
        ),
        Rule(
            "birth_date_format", "birth_date",
            "not a date of birth: use YYYY-MM-DD, YYYY-MM or YYYY (a valid date)",
            f"birth_date is not null and not ({_VALID_PARTIAL_DATE})", ("birth_date",),
        ),
        Rule(
            "imo_number_format", "imo_number", "not an IMO number: 7 digits",
            f"imo_number is not null and not regexp_full_match(imo_number, '{'[0-9]' * 7}')", ("imo_number",),
        ),
    ),
    unique_in_file=("entry_id",),
)
