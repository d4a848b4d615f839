"""Tests of the ``ofac-sdn`` publisher format (ingestion/sources/ofac_sdn.py): OFAC's legacy sdn.csv → ``designations``.

Also home of :func:`derive_snapshot`, a helper for tests that build later snapshots of the
list from the real one (``from tests.sources.test_ofac_sdn import derive_snapshot``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets.designations import DESIGNATIONS
from ingestion.normalize import countries
from ingestion.prepare import normalise_rows
from ingestion.prepare_source import prepare_source
from ingestion.problems import ProblemList
from ingestion.readers import ROW, UnreadableFile
from ingestion.sources import get_source, sniff
from ingestion.sources.base import Mapped, SourceOptionError, SourceOptions, date_in_name
from ingestion.sources.ofac_sdn import COLUMNS, FORMAT, TARGETS_FILE, programme_targets, read_sdn, sniff_sdn

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
SDN_FILE = REAL / "sanctions" / "ofac_sdn_2022-02-24.csv"
GSDB_FILE = REAL / "sanctions" / "GSDB_V3.csv"
AS_OF = date(2022, 2, 24)
RUSSIA = {"RUSSIA-EO14024", "RUSSIA-EO14065", "CAATSA - RUSSIA", "UKRAINE-EO13660", "UKRAINE-EO13661",
          "UKRAINE-EO13662", "UKRAINE-EO13685"}
BELARUS = {"BELARUS", "BELARUS-EO14038"}
EMPTY = "-0- "
CRLF = "\r\n"
CTRL_Z = "\x1a"


# --- a helper for tests that need later snapshots of the list -------------------------------------


def sdn_line(ent_num: str, name: str, sdn_type: str | None = None, program: str | None = None,
             remarks: str | None = None, *, title: str | None = None) -> str:
    """One sdn.csv record as OFAC writes it (``ent_num`` bare, text quoted, ``-0- `` for empty), no line end."""
    fields: list[str | None] = [ent_num, name, sdn_type, program, title, None, None, None, None, None, None, remarks]
    return _format_record(fields)


def _format_record(fields: Sequence[str | None]) -> str:
    def cell(index: int, value: str | None) -> str:
        if value is None or value.strip() in ("", "-0-"):
            return EMPTY
        return value if index == 0 else '"' + value.replace('"', '""') + '"'

    return ",".join(cell(i, v) for i, v in enumerate(fields))


def _split_records(body: str) -> list[str]:
    """Record texts of an sdn.csv body (CRLF or LF line ends; a quoted field may span lines)."""
    records: list[str] = []
    pending: list[str] = []
    for line in re.split(r"\r\n|\n", body):
        pending.append(line)
        text = CRLF.join(pending)
        if text.count('"') % 2 == 0:
            records.append(text)
            pending = []
    if pending:
        raise ValueError("unbalanced quotes at the end of the sdn.csv text")
    return records


def derive_snapshot(text: str, *, remove: Collection[str] = (), add: Sequence[str] = (),
                    rename: Mapping[str, str] | None = None, programmes: Mapping[str, str] | None = None) -> str:
    """A later snapshot of an sdn.csv text: valid sdn.csv text again (CRLF line ends, a final Ctrl-Z line).

    ``remove``: ent_nums whose records are dropped. ``add``: raw record lines appended at the
    end (e.g. from :func:`sdn_line`). ``rename``: ent_num → new ``SDN_Name``. ``programmes``:
    ent_num → new ``Program`` field as OFAC writes it (``UKRAINE-EO13662] [RUSSIA-EO14024``).
    Records not changed keep their exact text. ``text`` is the file decoded as Latin-1 (with
    CRLF or translated LF line ends); write the result back with ``.encode("latin-1")``.
    An ent_num given in ``remove``, ``rename`` or ``programmes`` that the text does not hold
    raises ``KeyError``, so that a test never silently derives the snapshot it did not mean.
    """
    rename = dict(rename or {})
    programmes = dict(programmes or {})
    body = text.removesuffix(CTRL_Z).rstrip("\r\n")
    records = _split_records(body) if body else []
    ids = [record.split(",", 1)[0].strip() for record in records]
    unknown = (set(remove) | set(rename) | set(programmes)) - set(ids)
    if unknown:
        raise KeyError(f"ent_num(s) not in the snapshot: {', '.join(sorted(unknown))}")
    out: list[str] = []
    for ent_num, record in zip(ids, records, strict=True):
        if ent_num in remove:
            continue
        if ent_num in rename or ent_num in programmes:
            fields: list[str | None] = next(csv.reader([record.replace(CRLF, "\n")]))
            fields[1] = rename.get(ent_num, fields[1])
            fields[3] = programmes.get(ent_num, fields[3])
            record = _format_record(fields)
        out.append(record)
    out += [line.rstrip("\r\n") for line in add]
    return "".join(record + CRLF for record in out) + CTRL_Z


# --- helpers ----------------------------------------------------------------------------------------


def write_sdn(path: Path, lines: Sequence[str], *, ctrl_z: bool = True) -> Path:
    """An sdn.csv of ``lines`` (CRLF, Latin-1, a final Ctrl-Z line unless ``ctrl_z`` is False)."""
    text = "".join(line + CRLF for line in lines) + (CTRL_Z if ctrl_z else "")
    path.write_bytes(text.encode("latin-1"))
    return path


def map_file(path: Path, as_of: date | None = AS_OF) -> Mapped:
    """Read ``path`` with the format's reader and map it as ``ofac-sdn``."""
    return FORMAT.map(FORMAT.read(path), SourceOptions(as_of=as_of))


def problems_of(mapped: Mapped) -> list[str]:
    """The problems that normalising the mapped rows finds, as text."""
    problems = ProblemList("ofac-sdn")
    normalise_rows(mapped.rows, DESIGNATIONS, problems)
    return [p.as_text() for p in problems.to_list()]


def by_entry(mapped: Mapped) -> dict[str, dict]:
    return {row["entry_id"]: row for row in mapped.rows.to_dicts()}


def split_program(field: str) -> list[str]:
    """A Program field's codes, written independently of the adapter: regex split, brackets stripped."""
    return [code.strip(" []") for code in re.split(r"\]\s*\[", field) if code.strip(" []")]


# --- the real file ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_text() -> str:
    if not SDN_FILE.is_file():
        pytest.skip(f"real data not found at {SDN_FILE}")
    return SDN_FILE.read_bytes().decode("latin-1")


@pytest.fixture(scope="module")
def real_records(real_text) -> list[list[str]]:
    """The records, read with the csv module line by line (the last line, a lone Ctrl-Z, left out)."""
    lines = real_text.split(CRLF)
    assert lines[-1] == CTRL_Z
    return [next(csv.reader([line])) for line in lines[:-1]]


@pytest.fixture(scope="module")
def real(real_records) -> Mapped:
    return map_file(SDN_FILE)


def test_real_file_shape(real_text, real_records):
    assert SDN_FILE.read_bytes().endswith(b'."\r\n\x1a')
    assert len(real_records) == 9123
    assert {len(r) for r in real_records} == {12}
    frame = read_sdn(SDN_FILE)
    assert frame.columns == [ROW, *COLUMNS]
    assert all(dtype == pl.String for name, dtype in frame.schema.items() if name != ROW)
    assert frame.schema[ROW] == pl.Int64
    assert frame.height == 9123
    assert frame.get_column(ROW).to_list() == list(range(1, 9124))
    # the Ctrl-Z line is dropped, the last record is the file's last record, and no value holds a Ctrl-Z
    assert frame.get_column("ent_num")[-1] == real_records[-1][0] == "35024"
    assert not frame.select(pl.any_horizontal(pl.col(COLUMNS).str.contains(CTRL_Z, literal=True)).any()).item()
    assert FORMAT.missing_columns(frame.columns) == []


def test_real_file_null_tokens_become_null(real_records):
    frame = read_sdn(SDN_FILE)
    for index, name in enumerate(COLUMNS):
        empty = sum(1 for r in real_records if r[index].strip() in ("", "-0-"))
        assert frame.get_column(name).null_count() == empty, name
    assert frame.get_column("SDN_Type").null_count() == 3758
    assert not frame.select(pl.any_horizontal(pl.col(COLUMNS) == "-0-").any()).item()
    # a "-0-" inside a value is text, not a null (MIDCO FINANCE's US FEIN CH-660-0-469-982-0)
    midco = frame.filter(pl.col("ent_num") == "2831").get_column("Remarks").item()
    assert midco.startswith("US FEIN CH-660-0-469-982-0")


def test_real_file_is_sniffed_and_a_headered_csv_is_not():
    if not SDN_FILE.is_file() or not GSDB_FILE.is_file():
        pytest.skip(f"real data not found at {SDN_FILE.parent}")
    assert sniff_sdn(SDN_FILE)
    assert not sniff_sdn(GSDB_FILE)
    assert sniff(SDN_FILE) is get_source("ofac-sdn") is FORMAT
    assert date_in_name(SDN_FILE.name) == AS_OF


def test_real_file_maps_every_record(real, real_records):
    assert real.rows.height == len(real_records) == 9123
    assert real.skipped.height == 0
    assert real.counts["records"] == real.counts["entries_mapped"] == 9123
    rows = real.rows
    assert rows.get_column("entry_id").to_list() == [r[0] for r in real_records]
    assert rows.get_column("name").to_list() == [r[1] for r in real_records]
    assert rows.get_column(ROW).to_list() == list(range(1, 9124))
    assert rows.get_column("source_rows").to_list() == [str(n) for n in range(1, 9124)]
    assert set(rows.get_column("list_id")) == {"us_ofac_sdn"}
    assert set(rows.get_column("imposed_by")) == {"USA"}
    assert set(rows.get_column("as_of")) == {"2022-02-24"}
    assert set(rows.get_column("source_url")) == {"https://www.treasury.gov/ofac/downloads/sdn.csv"}


def test_real_file_entity_types(real, real_records):
    raw = Counter(r[2] for r in real_records)
    assert raw == {"individual": 4660, "-0- ": 3758, "vessel": 425, "aircraft": 280}
    mapped = Counter(real.rows.get_column("entity_type").to_list())
    assert mapped == {"person": raw["individual"], "organisation": raw["-0- "], "vessel": raw["vessel"],
                      "aircraft": raw["aircraft"]}


def test_real_file_russia_eo14024_entries(real, real_records):
    expected = {r[0] for r in real_records if "RUSSIA-EO14024" in split_program(r[3])}
    assert len(expected) == 69  # SOURCE.md
    mapped = real.rows.filter(pl.col("programmes").str.split(";").list.contains("RUSSIA-EO14024"))
    assert set(mapped.get_column("entry_id")) == expected
    assert set(mapped.get_column("target")) == {"RUS"}


def test_real_file_targets(real, real_records):
    russia = {r[0] for r in real_records if RUSSIA & set(split_program(r[3]))}
    belarus = {r[0] for r in real_records if BELARUS & set(split_program(r[3])) and r[0] not in russia}
    assert (len(russia), len(belarus)) == (555, 138)
    targets = dict(real.rows.select("entry_id", "target").iter_rows())
    assert {e for e, t in targets.items() if t == "RUS"} == russia
    assert {e for e, t in targets.items() if t == "BLR"} == belarus
    assert set(targets.values()) == {"RUS", "BLR", None}
    assert real.counts["entries_targeting_RUS"] == 555
    assert real.counts["entries_targeting_BLR"] == 138
    # an entry whose Russia programme is not its first still targets Russia
    entries = by_entry(real)
    first_not_russian = [r[0] for r in real_records if r[3].startswith(("CYBER2] [CAATSA", "SYRIA] [UKRAINE"))]
    assert first_not_russian and all(entries[e]["target"] == "RUS" for e in first_not_russian)


def test_real_file_programmes_in_file_order(real, real_records):
    programmes = dict(real.rows.select("entry_id", "programmes").iter_rows())
    assert programmes == {r[0]: ";".join(split_program(r[3])) for r in real_records}
    assert programmes["17015"] == "UKRAINE-EO13662;RUSSIA-EO14024"
    assert sum(";" in p for p in programmes.values()) == sum("] [" in r[3] for r in real_records) == 1245


def test_real_file_normalises_without_problems(real):
    assert problems_of(real) == []


def test_real_file_through_the_pipeline():
    """The whole path of a publisher file: read, map, normalise, Great Expectations suite."""
    if not SDN_FILE.is_file():
        pytest.skip(f"real data not found at {SDN_FILE}")
    prepared = prepare_source(SDN_FILE, "ofac-sdn", SourceOptions(as_of=AS_OF), today=date(2024, 5, 4))
    assert prepared.problems == []
    assert prepared.skipped == []
    assert prepared.rows.height == 9123
    assert prepared.rows.get_column("as_of").unique().to_list() == [AS_OF]


def test_without_as_of_the_file_is_rejected_asking_for_it(real):
    with pytest.raises(SourceOptionError, match=r"--as-of YYYY-MM-DD"):
        map_file(SDN_FILE, as_of=None)
    prepared = prepare_source(SDN_FILE, "ofac-sdn", SourceOptions())
    assert prepared.rows is None
    assert [p.check for p in prepared.problems] == ["source_options"]


# --- the format's declaration and lookup table ------------------------------------------------------


def test_format_declaration():
    assert get_source("ofac-sdn") is FORMAT
    assert FORMAT.dataset == "designations"
    assert FORMAT.publisher == "US Department of the Treasury, Office of Foreign Assets Control (OFAC)"
    assert FORMAT.default_url == "https://www.treasury.gov/ofac/downloads/sdn.csv"
    assert FORMAT.needs_as_of and FORMAT.read is read_sdn and FORMAT.sniff is sniff_sdn
    assert FORMAT.header == COLUMNS and len(COLUMNS) == 12


def test_programme_lookup_is_the_reviewed_table():
    with TARGETS_FILE.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == ["programme", "target", "source"]
    assert {r["programme"]: r["target"] for r in table} == {**dict.fromkeys(RUSSIA, "RUS"),
                                                             **dict.fromkeys(BELARUS, "BLR")}
    assert all(r["source"].strip() and "https://" in r["source"] for r in table)
    assert not any(r["programme"].startswith("BPI-") for r in table)
    resolved = countries.resolve(pl.Series(["RUS", "BLR"]), ("country",))
    assert resolved.get_column("code").to_list() == ["RUS", "BLR"]
    assert programme_targets().height == len(table) == 9


def test_an_inconsistent_lookup_table_is_refused(tmp_path):
    bad = tmp_path / "targets.csv"
    bad.write_text("programme,target,source\nX,RUS,doc\nX,BLR,doc\nY,Atlantis,doc\nZ,RUS,\n", encoding="utf-8")
    with pytest.raises(countries.ReferenceDataError) as caught:
        programme_targets.__wrapped__(bad)
    message = str(caught.value)
    assert "listed twice" in message and ": X" in message and "Atlantis" in message and "no source" in message


# --- synthetic files: the reader ----------------------------------------------------------------------


def test_reader_drops_only_the_final_ctrl_z_line(tmp_path):
    lines = [sdn_line("1", "ONE"), sdn_line("2", "TWO", "individual", "SDGT")]
    with_z = read_sdn(write_sdn(tmp_path / "with.csv", lines))
    without_z = read_sdn(write_sdn(tmp_path / "without.csv", lines, ctrl_z=False))
    assert with_z.equals(without_z)
    assert with_z.get_column("ent_num").to_list() == ["1", "2"]
    # a Ctrl-Z line followed by a line end is still the final Ctrl-Z line
    (tmp_path / "crlf.csv").write_bytes(("".join(line + CRLF for line in lines) + CTRL_Z + CRLF).encode())
    assert read_sdn(tmp_path / "crlf.csv").height == 2


def test_reader_rejects_a_ctrl_z_elsewhere(tmp_path):
    lines = [sdn_line("1", "ONE"), CTRL_Z, sdn_line("2", "TWO")]
    with pytest.raises(UnreadableFile, match=r"Ctrl-Z \(0x1A\) byte on line 2"):
        read_sdn(write_sdn(tmp_path / "middle.csv", lines))
    glued = tmp_path / "glued.csv"
    glued.write_bytes((sdn_line("1", "ONE") + CRLF + sdn_line("2", "TWO") + CTRL_Z).encode("latin-1"))
    with pytest.raises(UnreadableFile, match=r"final Ctrl-Z \(0x1A\) is not on a line of its own \(line 2\)"):
        read_sdn(glued)


def test_reader_names_a_record_with_eleven_fields(tmp_path):
    short = sdn_line("2", "TWO").rsplit(",", 1)[0]
    path = write_sdn(tmp_path / "short.csv", [sdn_line("1", "ONE"), short, sdn_line("3", "THREE")])
    with pytest.raises(UnreadableFile, match=r"record 2 \(line 2\) has 11 fields, expected 12"):
        read_sdn(path)


def test_reader_names_a_blank_line_and_broken_quoting(tmp_path):
    with pytest.raises(UnreadableFile, match=r"record 2 \(line 2\) is a blank line"):
        read_sdn(write_sdn(tmp_path / "blank.csv", [sdn_line("1", "ONE"), "", sdn_line("3", "THREE")]))
    broken = sdn_line("2", "TWO").replace('"TWO"', '"TW"O"')
    with pytest.raises(UnreadableFile, match=r"record 2 \(line 2\) cannot be read"):
        read_sdn(write_sdn(tmp_path / "quote.csv", [sdn_line("1", "ONE"), broken]))


def test_reader_rejects_empty_binary_and_ctrl_z_only_files(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "binary.csv").write_bytes(b"1,\x00\x01\x02")
    (tmp_path / "z.csv").write_bytes(b"\x1a")
    with pytest.raises(UnreadableFile, match="empty"):
        read_sdn(tmp_path / "empty.csv")
    with pytest.raises(UnreadableFile, match="binary"):
        read_sdn(tmp_path / "binary.csv")
    with pytest.raises(UnreadableFile, match="no records"):
        read_sdn(tmp_path / "z.csv")


def test_reader_quoted_commas_latin1_and_null_tokens(tmp_path):
    lines = [
        sdn_line("1", "ACME, LTD.", None, "SDGT", "a.k.a. 'ACME, INC.'; Linked To: X."),
        '2,"CAF\xc9 BLEU",-0-,"CUBA",-0-,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,""',
    ]
    frame = read_sdn(write_sdn(tmp_path / "quoted.csv", lines))
    assert frame.get_column("SDN_Name").to_list() == ["ACME, LTD.", "CAF\xc9 BLEU"]
    assert frame.get_column("Remarks").to_list() == ["a.k.a. 'ACME, INC.'; Linked To: X.", None]
    assert frame.get_column("SDN_Type").to_list() == [None, None]
    assert frame.get_column("Title").to_list() == [None, None]


def test_reader_reads_every_record_of_a_list_of_15000_entries(tmp_path):
    """Every record of a list as long as OFAC's comes back in order with its own fields (speed: ``make bench``)."""
    lines = [sdn_line(str(n), f"ENTITY {n}, LTD.", "individual" if n % 2 else None,
                      "UKRAINE-EO13662] [RUSSIA-EO14024", "DOB 01 Jan 1970; nationality Russia.")
             for n in range(1, 15001)]
    frame = read_sdn(write_sdn(tmp_path / "big.csv", lines))
    assert frame.height == 15000
    assert frame.get_column("ent_num").cast(pl.Int64).to_list() == list(range(1, 15001))
    assert frame.get_column("SDN_Name").to_list() == [f"ENTITY {n}, LTD." for n in range(1, 15001)]
    assert frame.get_column("SDN_Type").to_list() == ["individual" if n % 2 else None for n in range(1, 15001)]
    assert set(frame.get_column("Program").to_list()) == {"UKRAINE-EO13662] [RUSSIA-EO14024"}
    assert set(frame.get_column("Remarks").to_list()) == {"DOB 01 Jan 1970; nationality Russia."}


def test_sniff_recognises_the_shape_only(tmp_path):
    sdn = write_sdn(tmp_path / "sdn.csv", [sdn_line("36", "AEROCARIBBEAN AIRLINES", None, "CUBA")])
    headered = tmp_path / "headered.csv"
    headered.write_text("ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,"
                        "Vess_owner,Remarks\n" + sdn_line("36", "X") + "\n", encoding="utf-8")
    no_token = tmp_path / "no_token.csv"
    no_token.write_text('1,"a","b","c","d","e","f","g","h","i","j","k"\r\n', encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    assert sniff_sdn(sdn)
    assert sniff_sdn(write_sdn(tmp_path / "no_ctrl_z.csv", [sdn_line("36", "X", None, "CUBA")], ctrl_z=False))
    assert not sniff_sdn(headered)
    assert not sniff_sdn(no_token)
    assert not sniff_sdn(tmp_path / "empty.csv")
    assert not sniff_sdn(tmp_path / "missing.csv")


# --- synthetic files: the mapping -------------------------------------------------------------------


def test_unknown_sdn_type_is_skipped_with_its_reason(tmp_path):
    path = write_sdn(tmp_path / "types.csv", [
        sdn_line("1", "PERSON", "individual", "SDGT"),
        sdn_line("2", "SHIP", "ship", "IRAN"),
        sdn_line("3", "PLANE", "Aircraft", "IRAN"),
        sdn_line("4", "COMPANY", None, "CUBA"),
        sdn_line("5", "BOAT", "vessel", "DPRK"),
    ])
    mapped = map_file(path)
    assert dict(mapped.rows.select("entry_id", "entity_type").iter_rows()) == {
        "1": "person", "3": "aircraft", "4": "organisation", "5": "vessel"}
    assert mapped.skipped.to_dicts() == [{
        "row": 2, "column": "SDN_Type", "value": "ship",
        "reason": "SDN_Type 'ship' is none of individual, vessel, aircraft or -0- (an entity): the entry's type "
                  "is unknown, not guessed",
    }]
    assert mapped.rows.get_column(ROW).to_list() == [1, 3, 4, 5]
    assert problems_of(mapped) == []


def test_programmes_and_targets(tmp_path):
    path = write_sdn(tmp_path / "programmes.csv", [
        sdn_line("1", "A", None, "UKRAINE-EO13662] [RUSSIA-EO14024"),
        sdn_line("2", "B", None, "BELARUS] [RUSSIA-EO14024"),        # Russia wins although second
        sdn_line("3", "C", None, "SDGT] [BELARUS-EO14038"),          # the first country found
        sdn_line("4", "D", None, "BPI-SDNTK"),                        # blocked pending investigation
        sdn_line("5", "E", None, "BPI-PA] [SDGT"),
        sdn_line("6", "F", None, "[CUBA]"),                           # stray brackets
        sdn_line("7", "G", None, "NPWMD]  [ CAATSA - RUSSIA ]"),      # odd spacing
        sdn_line("8", "H", None, None),                               # no programme at all
        sdn_line("9", "I", None, "IRAN] [IRAN"),                      # a repeated code once
        sdn_line("10", "J", None, "RUSSIA-EO14065"),
    ])
    mapped = map_file(path)
    rows = {e: (r["programmes"], r["target"]) for e, r in by_entry(mapped).items()}
    assert rows == {
        "1": ("UKRAINE-EO13662;RUSSIA-EO14024", "RUS"),
        "2": ("BELARUS;RUSSIA-EO14024", "RUS"),
        "3": ("SDGT;BELARUS-EO14038", "BLR"),
        "4": ("BPI-SDNTK", None),
        "5": ("BPI-PA;SDGT", None),
        "6": ("CUBA", None),
        "7": ("NPWMD;CAATSA - RUSSIA", "RUS"),
        "8": (None, None),
        "9": ("IRAN", None),
        "10": ("RUSSIA-EO14065", "RUS"),
    }
    assert mapped.skipped.height == 0
    assert mapped.counts == {"records": 10, "entries_mapped": 10, "entries_targeting_BLR": 1,
                             "entries_targeting_RUS": 4, "entries_without_programme": 1, "birth_dates_given": 0,
                             "birth_dates_normalised": 0, "imo_numbers": 0}
    assert problems_of(mapped) == []


def test_a_later_snapshot_is_mapped_with_its_own_date(tmp_path):
    path = write_sdn(tmp_path / "sdn_2024-05-03.csv", [sdn_line("1", "A", None, "RUSSIA-EO14024")])
    assert date_in_name(path.name) == date(2024, 5, 3)
    mapped = map_file(path, as_of=date_in_name(path.name))
    assert mapped.rows.get_column("as_of").to_list() == ["2024-05-03"]


# --- derive_snapshot ----------------------------------------------------------------------------------


def test_derive_snapshot_on_a_small_list(tmp_path):
    text = "".join(line + CRLF for line in [
        sdn_line("1", "ONE", None, "CUBA"),
        sdn_line("2", "TWO", "individual", "SDGT", "DOB 1970."),
        sdn_line("3", 'THREE "3"', None, "IRAN"),
    ]) + CTRL_Z
    derived = derive_snapshot(text, remove={"1"}, add=[sdn_line("4", "FOUR", "vessel", "RUSSIA-EO14024")],
                              rename={"2": "TWO, RENAMED"}, programmes={"3": "IRAN] [RUSSIA-EO14024"})
    assert derived.endswith(CRLF + CTRL_Z) and "\n" not in derived.replace(CRLF, "")
    assert derived.split(CRLF) == [
        '2,"TWO, RENAMED","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970."',
        '3,"THREE ""3""",-0- ,"IRAN] [RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '4,"FOUR","vessel","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        CTRL_Z,
    ]
    path = tmp_path / "derived.csv"
    path.write_bytes(derived.encode("latin-1"))
    rows = by_entry(map_file(path))
    assert {e: (r["name"], r["programmes"], r["target"]) for e, r in rows.items()} == {
        "2": ("TWO, RENAMED", "SDGT", None),
        "3": ('THREE "3"', "IRAN;RUSSIA-EO14024", "RUS"),
        "4": ("FOUR", "RUSSIA-EO14024", "RUS"),
    }
    with pytest.raises(KeyError, match="not in the snapshot: 99"):
        derive_snapshot(text, remove={"99"})
    # LF line ends (a text read with universal newlines) give the same CRLF output
    assert derive_snapshot(text.replace(CRLF, "\n")) == text


def test_derive_snapshot_on_the_real_list(real_text, real_records, tmp_path):
    assert derive_snapshot(real_text) == real_text  # no change: byte for byte the same
    derived = derive_snapshot(
        real_text,
        remove={"36", "35024"},
        add=[sdn_line("99001", "NEW RUSSIAN BANK", None, "RUSSIA-EO14024", "Tax ID No. 1 (Russia).")],
        rename={"17015": "VEB.RF"},
        programmes={"306": "CUBA] [RUSSIA-EO14024"},
    )
    path = tmp_path / "ofac_sdn_2022-03-01.csv"
    path.write_bytes(derived.encode("latin-1"))
    assert sniff_sdn(path)
    mapped = map_file(path, as_of=date(2022, 3, 1))
    assert mapped.rows.height == 9123 - 2 + 1 and mapped.skipped.height == 0
    rows = by_entry(mapped)
    assert "36" not in rows and "35024" not in rows
    assert rows["99001"]["target"] == "RUS" and rows["99001"]["entity_type"] == "organisation"
    assert rows["17015"]["name"] == "VEB.RF"
    assert (rows["306"]["programmes"], rows["306"]["target"]) == ("CUBA;RUSSIA-EO14024", "RUS")
    untouched = [line for line in real_text.split(CRLF) if line.split(",", 1)[0] not in {"36", "35024", "17015", "306"}]
    assert set(untouched) <= set(derived.split(CRLF))
    assert problems_of(mapped) == []


# --- dates of birth and IMO numbers from Remarks ------------------------------------------------------


def expected_birth_date(remarks: str) -> str | None:
    """The first ``DOB`` item that is a day, month or year, computed with ``re`` and ``datetime`` (not the adapter)."""
    for match in re.finditer(r"\bDOB ([^;]+)", remarks):
        value = re.sub(r"(?i)^circa\s+", "", match.group(1).strip(" ."))
        for pattern, fmt, out in ((r"\d{1,2} [A-Za-z]{3} \d{4}", "%d %b %Y", "%Y-%m-%d"),
                                  (r"[A-Za-z]{3} \d{4}", "%b %Y", "%Y-%m"), (r"\d{4}", "%Y", "%Y")):
            if re.fullmatch(pattern, value):
                try:
                    return datetime.strptime(value, fmt).strftime(out)
                except ValueError:
                    break
    return None


def expected_imo(remarks: str, sdn_type: str) -> str | None:
    """A vessel's IMO number, computed with ``re``: the labelled one, else (vessels) the first ``IMO nnnnnnn``."""
    labelled = re.search(r"\bVessel Registration Identification IMO (\d{7})\b", remarks)
    if labelled:
        return labelled.group(1)
    plain = re.search(r"\bIMO (\d{7})\b", remarks)
    return plain.group(1) if plain and sdn_type == "vessel" else None


def test_real_file_birth_dates_match_an_independent_reading(real, real_records):
    expected = {r[0]: expected_birth_date(r[11]) if r[2] == "individual" else None for r in real_records}
    assert dict(real.rows.select("entry_id", "birth_date").iter_rows()) == expected
    persons = [r for r in real_records if r[2] == "individual"]
    with_dob = [r for r in persons if "DOB " in r[11]]
    filled = [e for e, b in expected.items() if b]
    assert (len(persons), len(with_dob), len(filled)) == (4660, 4529, 4430)  # 95.1% of individuals
    assert Counter(len(b) for b in expected.values() if b) == {10: 3711, 4: 666, 7: 53}
    assert (real.counts["birth_dates_given"], real.counts["birth_dates_normalised"]) == (4529, 4430)
    entries = by_entry(real)
    assert entries["2674"]["birth_date"] == "1948-12-10"      # DOB 10 Dec 1948
    assert entries["2678"]["birth_date"] == "1946"            # DOB 1946
    assert entries["7782"]["birth_date"] == "1951"            # DOB circa 1951
    assert entries["8594"]["birth_date"] == "1946-08"         # DOB Aug 1946
    assert entries["6866"]["birth_date"] == "1957-09-04"      # DOB 04 Sep 1957.
    assert entries["15962"]["birth_date"] is None             # DOB 01 Jan 1961 to 31 Dec 1962
    assert entries["12057"]["birth_date"] == "1961-04"        # two ranges first, then alt. DOB Apr 1961
    assert all(entries[e]["birth_date"] is None for e, r in entries.items() if r["entity_type"] != "person")


def test_real_file_imo_numbers_match_an_independent_reading(real, real_records):
    expected = {r[0]: expected_imo(r[11], r[2]) for r in real_records}
    assert dict(real.rows.select("entry_id", "imo_number").iter_rows()) == expected
    vessels = [r[0] for r in real_records if r[2] == "vessel"]
    assert (len(vessels), sum(1 for e in vessels if expected[e])) == (425, 421)  # 99.1% of vessels
    assert sum(1 for v in expected.values() if v) == real.counts["imo_numbers"] == 430  # + 9 typed as entities
    entries = by_entry(real)
    assert entries["4243"]["imo_number"] == "7406784"
    assert entries["34942"]["imo_number"] == "9256860"        # IMO 9256860 (Russia)
    assert entries["23424"]["imo_number"] is None             # IMO 15411: not 7 digits


def test_birth_dates_and_imo_numbers_on_synthetic_records(tmp_path):
    path = write_sdn(tmp_path / "dob.csv", [
        sdn_line("1", "A, B", "individual", "SDGT", "DOB circa 1960; alt. DOB 1961; POB X."),
        sdn_line("2", "C, D", "individual", "SDGT", "DOB 1950 to 1952; alt. DOB 03 Mar 1951."),
        sdn_line("3", "E, F", "individual", "SDGT", "DOB 31 Feb 1950; nationality Y."),
        sdn_line("4", "SHIP", "vessel", "IRAN", "IMO 1234567; Linked To: G."),
        sdn_line("5", "COMPANY", None, "IRAN", "Company Number IMO 7654321; Linked To: H."),
        sdn_line("6", "HULL", None, "DPRK", "Vessel Registration Identification IMO 9999999."),
        sdn_line("7", "H, I", "individual", "SDGT", None),
    ])
    rows = {e: (r["birth_date"], r["imo_number"]) for e, r in by_entry(map_file(path)).items()}
    assert rows == {"1": ("1960", None), "2": ("1951-03-03", None), "3": (None, None), "4": (None, "1234567"),
                    "5": (None, None), "6": (None, "9999999"), "7": (None, None)}
