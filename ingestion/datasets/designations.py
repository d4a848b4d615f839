"""``designations``: entries on a sanctions list, as seen in one snapshot of it.

A file is one published version (snapshot) of one list: one ``list_id`` and one ``as_of``
per file. The history (first and last seen, listings, delistings, renames) is kept by
:mod:`ingestion.designation_history` as snapshots are loaded.
"""

from ingestion.contracts import Column, Dataset, Rule
from ingestion.datasets.common import SOURCE_COLUMNS

ENTITY_TYPES = ("person", "organisation", "vessel", "aircraft")

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
    ),
    unique_in_file=("entry_id",),
)
