"""Marts over publisher releases: only the current release counts, extracts it covers are not added.

Publisher rows are inserted by SQL into a copy of the bundled warehouse (raw.*, raw.pledge_commitments
and meta.source_releases, as the loader writes them), then dbt builds the marts on it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from ingestion.home import Home
from tests.conftest import dbt_build_on_copy

LOADED_AT = datetime(2025, 10, 1, 12, 0)
SHA = "0" * 64

KIEL_OLD = "raw/sources/kiel-ust/2025-06-01_data_explorer.csv"
KIEL_NEW = "raw/sources/kiel-ust/2025-09-01_data_explorer.csv"
EXTRACT = "raw/pledges/synthetic_pledges.csv"
CREA_VALUES_OLD = "raw/sources/crea-values/3f2a1b0c9d8e_crea_values.csv"
CREA_VALUES_NEW = "raw/sources/crea-values/7c6b5a493827_crea_values.csv"
SHIPMENTS_NLD_OLD = "raw/sources/crea-shipments/1a1a1a1a1a1a_shipments_nl.csv"
SHIPMENTS_NLD_NEW = "raw/sources/crea-shipments/2b2b2b2b2b2b_shipments_nl.csv"
SHIPMENTS_DEU = "raw/sources/crea-shipments/0c0c0c0c0c0c_shipments_de.csv"
GSDB_DATED = "raw/sources/gsdb/2024-06-30_GSDB_V3.csv"
GSDB_UNDATED = "raw/sources/gsdb/9d9d9d9d9d9d_GSDB_V3.csv"
US_OLD = "raw/sources/us-foreign-assistance/4e4e4e4e4e4e_us_foreign_aid_country.csv"
US_NEW = "raw/sources/us-foreign-assistance/5f5f5f5f5f5f_us_foreign_aid_country.csv"

#: (source_file, source, dataset, release_key, as_of, ingest_seq)
RELEASES = [
    # the release with the later --as-of is current although it was ingested first
    (KIEL_NEW, "kiel-ust", "pledges", "", date(2025, 9, 1), 10),
    (KIEL_OLD, "kiel-ust", "pledges", "", date(2025, 6, 1), 11),
    # no --as-of: the later in the ingestion order is current
    (CREA_VALUES_OLD, "crea-values", "oil_imports", "", None, 20),
    (CREA_VALUES_NEW, "crea-values", "oil_imports", "", None, 21),
    # releases of crea-shipments are kept apart by importer
    (SHIPMENTS_DEU, "crea-shipments", "oil_imports", "DEU", None, 25),
    (SHIPMENTS_NLD_OLD, "crea-shipments", "oil_imports", "NLD", None, 30),
    (SHIPMENTS_NLD_NEW, "crea-shipments", "oil_imports", "NLD", None, 31),
    # a release given an --as-of outranks one without
    (GSDB_DATED, "gsdb", "sanctions", "", date(2024, 6, 30), 40),
    (GSDB_UNDATED, "gsdb", "sanctions", "", None, 41),
    (US_OLD, "us-foreign-assistance", "aid_changes", "", None, 50),
    (US_NEW, "us-foreign-assistance", "aid_changes", "", None, 51),
]
SEQ = {r[0]: r[5] for r in RELEASES} | {EXTRACT: 60}
SOURCE = {r[0]: r[1] for r in RELEASES}


def provenance(source_file: str, row: int) -> dict:
    extra = json.dumps({"source": SOURCE[source_file]}) if source_file in SOURCE else None
    return {"source_file": source_file, "source_sha256": SHA, "source_row": row, "source_extra": extra,
            "source_rows": str(row) if source_file in SOURCE else None,
            "ingest_seq": SEQ[source_file], "loaded_at": LOADED_AT}


def kiel_pledge(source_file: str, row: int, donor: str, month: str, category: str, amount: float) -> dict:
    return {"pledge_id": f"kiel-ust:{donor}:{month}:{category}", "pledge_id_derived": False,
            "announced_on": date.fromisoformat(f"{month}-01"), "donor": donor, "recipient": "UKR",
            "category": category, "amount": amount, "amount_eur": amount, "currency": "EUR", "status": "allocated",
            "source_name": "Kiel Institute, Ukraine Support Tracker", **provenance(source_file, row)}


def extract_pledge(row: int, pledge_id: str, donor: str, on: str, category: str, amount: float, status: str) -> dict:
    return {"pledge_id": pledge_id, "pledge_id_derived": False, "announced_on": date.fromisoformat(on),
            "donor": donor, "recipient": "UKR", "category": category, "amount": amount, "amount_eur": amount,
            "currency": "EUR", "status": status, "source_name": "synthetic test extract", **provenance(EXTRACT, row)}


def commitment(source_file: str, row: int, donor: str, month: str, commitments: float, to_be_allocated: float) -> dict:
    return {"donor": donor, "recipient": "UKR", "period": date.fromisoformat(f"{month}-01"),
            "commitments": commitments, "commitments_eur": commitments, "to_be_allocated": to_be_allocated,
            "to_be_allocated_eur": to_be_allocated, "currency": "EUR",
            "source_name": "Kiel Institute, Ukraine Support Tracker", **provenance(source_file, row)}


def oil(source_file: str, row: int, importer: str, month: str, route: str, product: str, *,
        tonnes: float | None = None, value: float | None = None, via: str | None = None) -> dict:
    return {"period": date.fromisoformat(f"{month}-01"), "importer": importer, "origin": "RUS", "route": route,
            "via_country": via, "product": product, "volume_tonnes": tonnes, "value": value,
            "value_eur": value, "currency": "EUR" if value is not None else None, "source_name": "CREA",
            **provenance(source_file, row)}


def measure(source_file: str, row: int, case: int, sender: str, target: str, measure_type: str, status: str) -> dict:
    return {"measure_id": f"gsdb:{case}:{sender}:{target}:{measure_type}", "measure_id_derived": False,
            "announced_on": date(2014, 1, 1), "imposed_by": sender, "target": target,
            "measure_type": measure_type, "status": status, "source_name": "GSDB", **provenance(source_file, row)}


def aid(source_file: str, row: int, fiscal_year: int, change: str, amount: float) -> dict:
    start = date(fiscal_year - 1, 10, 1)
    return {"announced_on": start, "effective_on": start, "donor": "USA", "recipient": "UKR",
            "programme": "US foreign assistance, all programmes (obligations)", "aid_type": "all",
            "change": change, "amount_change": amount, "currency": "USD", "amount_change_usd": amount,
            "fiscal_year": fiscal_year, **provenance(source_file, row)}


ROWS: dict[str, list[dict]] = {
    "raw.pledges": [
        # superseded release: revised (2025-05 military), dropped (2025-05 financial) and a month
        # the current release no longer has (2025-04)
        kiel_pledge(KIEL_OLD, 1, "DEU", "2025-04", "military", 9e8),
        kiel_pledge(KIEL_OLD, 2, "DEU", "2025-05", "military", 1.0e9),
        kiel_pledge(KIEL_OLD, 2, "DEU", "2025-05", "financial", 5e8) | {"source_row": 3},
        kiel_pledge(KIEL_NEW, 1, "DEU", "2025-05", "military", 1.2e9),
        kiel_pledge(KIEL_NEW, 2, "DEU", "2025-06", "military", 2.0e9),
        kiel_pledge(KIEL_NEW, 3, "DEU", "2025-06", "humanitarian", 1e8),
        # covered: Kiel reports DEU for June (military) and May (financial, zero: no Kiel pledge)
        extract_pledge(1, "x-deu-mil-jun", "DEU", "2025-06-15", "military", 5e8, "committed"),
        extract_pledge(2, "x-deu-fin-may", "DEU", "2025-05-20", "financial", 3e8, "allocated"),
        # not covered: a month Kiel does not report, a month only the superseded release had,
        # a category Kiel does not track, a donor Kiel does not list
        extract_pledge(3, "x-deu-mil-jul", "DEU", "2025-07-02", "military", 7e8, "announced"),
        extract_pledge(4, "x-deu-mil-apr", "DEU", "2025-04-10", "military", 4e8, "committed"),
        extract_pledge(5, "x-deu-training-jun", "DEU", "2025-06-10", "training", 1e8, "announced"),
        extract_pledge(6, "x-pol-mil-jun", "POL", "2025-06-01", "military", 2e8, "committed"),
    ],
    "raw.pledge_commitments": [
        commitment(KIEL_OLD, 1, "DEU", "2025-04", 1e9, 1e8),
        commitment(KIEL_OLD, 2, "DEU", "2025-05", 3e9, 1.5e9),
        commitment(KIEL_NEW, 1, "DEU", "2025-05", 3e9, 1.8e9),
        commitment(KIEL_NEW, 2, "DEU", "2025-06", 1e9, -1e9),
        # a donor with commitments only (no allocation yet, so no pledge)
        commitment(KIEL_NEW, 4, "AUS", "2025-06", 4e8, 4e8),
    ],
    "raw.oil_imports": [
        oil(CREA_VALUES_OLD, 1, "HUN", "2025-08", "unspecified", "oil", value=100e6),
        oil(CREA_VALUES_NEW, 1, "HUN", "2025-08", "unspecified", "oil", value=110e6),
        oil(CREA_VALUES_NEW, 2, "HUN", "2025-09", "unspecified", "oil", value=120e6),
        oil(CREA_VALUES_NEW, 3, "HUN", "2025-09", "unspecified", "gas", value=50e6),
        oil(SHIPMENTS_DEU, 1, "DEU", "2025-07", "seaborne", "crude", tonnes=500),
        oil(SHIPMENTS_NLD_OLD, 1, "NLD", "2025-08", "seaborne", "crude", tonnes=1000),
        oil(SHIPMENTS_NLD_NEW, 1, "NLD", "2025-08", "seaborne", "crude", tonnes=1100),
        oil(SHIPMENTS_NLD_NEW, 2, "NLD", "2025-09", "via_third_country", "refined", tonnes=300, via="TUR"),
    ],
    "raw.sanctions": [
        measure(GSDB_DATED, 1, 1, "EUU", "RUS", "export_ban", "in_force"),
        measure(GSDB_DATED, 1, 1, "EUU", "RUS", "import_ban", "in_force") | {"source_row": 2},
        measure(GSDB_DATED, 1, 1, "EUU", "RUS", "financial", "in_force") | {"source_row": 3},
        measure(GSDB_DATED, 4, 2, "EUU", "RUS", "travel_ban", "lifted"),
        measure(GSDB_DATED, 5, 3, "USA", "RUS", "export_ban", "in_force"),
        measure(GSDB_DATED, 6, 4, "EUU", "BLR", "export_ban", "in_force"),
        measure(GSDB_UNDATED, 1, 1, "EUU", "RUS", "export_ban", "lifted"),
        measure(GSDB_UNDATED, 2, 5, "EUU", "RUS", "asset_freeze", "in_force"),
    ],
    "raw.aid_changes": [
        aid(US_OLD, 1, 2024, "increase", 100.0),
        aid(US_NEW, 1, 2024, "increase", 150.0),
        aid(US_NEW, 2, 2025, "decrease", -50.0),
    ],
}


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    # the loader's key of a row in its file (load_row) is its source_row here
    rows = [{"load_row": r.get("source_row"), **r} for r in rows]
    columns = sorted({c for r in rows for c in r})
    con.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [[r.get(c) for c in columns] for r in rows],
    )


def add_publisher_rows(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        for table, rows in ROWS.items():
            insert(con, table, rows)
        for source_file, source, dataset, key, as_of, seq in RELEASES:
            con.execute("INSERT INTO meta.source_releases (source_file, source, dataset, release_key, as_of, options, "
                        "ingest_seq, rows_skipped) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                        [source_file, source, dataset, key, as_of, json.dumps({"as_of": str(as_of or "")}), seq])
        for source_file, seq in SEQ.items():
            dataset = "pledges" if source_file == EXTRACT else next(r[2] for r in RELEASES if r[0] == source_file)
            con.execute("INSERT INTO meta.file_registry VALUES (?, ?, ?, 1, ?, ?)",
                        [source_file, dataset, SHA, seq, LOADED_AT])
    finally:
        con.close()


@pytest.fixture(scope="module")
def q(built_home: Home, tmp_path_factory: pytest.TempPathFactory):
    return dbt_build_on_copy(built_home, tmp_path_factory.mktemp("releases"), add_publisher_rows)


def figure(q, country: str, name: str):
    rows = q("SELECT value FROM marts.country_issue_figures WHERE country = ? AND figure = ?", [country, name])
    assert len(rows) <= 1
    return rows[0][0] if rows else None


def test_only_the_latest_kiel_release_is_counted(q):
    kiel = dict(q("SELECT pledge_id, amount_eur FROM marts.fct_pledges WHERE source = 'kiel-ust'"))
    assert kiel == {
        "kiel-ust:DEU:2025-05:military": 1.2e9,  # revised by the release with the later --as-of
        "kiel-ust:DEU:2025-06:military": 2.0e9,
        "kiel-ust:DEU:2025-06:humanitarian": 1e8,
    }
    assert q("SELECT report_count, source_file FROM marts.fct_pledges "
             "WHERE pledge_id = 'kiel-ust:DEU:2025-05:military'") == [(1, KIEL_NEW)]
    assert q("SELECT count(*) FROM marts.fct_pledge_reports WHERE source_file = ?", [KIEL_OLD]) == [(0,)]
    # the superseded release stays in raw as history
    assert q("SELECT count(*) FROM raw.pledges WHERE source_file = ?", [KIEL_OLD]) == [(3,)]


def test_extract_pledges_a_kiel_release_covers_are_kept_but_not_counted(q):
    rows = {p: (c, s, cov) for p, c, s, cov in q(
        "SELECT pledge_id, counted_in_figures, source, covered_by_source_file FROM marts.fct_pledges "
        "WHERE source = 'extract' AND pledge_id LIKE 'x-%'")}
    assert rows == {
        "x-deu-mil-jun": (False, "extract", KIEL_NEW),
        "x-deu-fin-may": (False, "extract", KIEL_NEW),  # Kiel's financial for May is zero: still covered
        "x-deu-mil-jul": (True, "extract", None),
        "x-deu-mil-apr": (True, "extract", None),  # only the superseded release had April
        "x-deu-training-jun": (True, "extract", None),
        "x-pol-mil-jun": (True, "extract", None),
    }
    assert q("SELECT bool_and(counted_in_figures) FROM marts.fct_pledges WHERE source = 'kiel-ust'") == [(True,)]


def test_pledge_figures_add_kiel_and_uncovered_extracts_only(q):
    # pledged: what pledge rows say (announced/committed), not Kiel's allocations; covered rows are left out
    assert figure(q, "DEU", "pledged_eur_military") == pytest.approx(7e8 + 4e8)
    assert figure(q, "DEU", "allocated_eur_military") == pytest.approx(1.2e9 + 2.0e9)
    assert figure(q, "DEU", "allocated_eur_humanitarian") == pytest.approx(1e8)
    assert figure(q, "DEU", "pledged_eur_financial") is None  # the only financial pledge is covered
    assert figure(q, "DEU", "pledged_eur_training") == pytest.approx(1e8)
    assert figure(q, "POL", "pledged_eur_military") == pytest.approx(2e8)
    assert q("SELECT aid_allocated_eur_military, aid_allocated_eur_humanitarian, aid_allocated_eur_financial "
             "FROM marts.country_scorecard WHERE country = 'DEU'") == [
        (pytest.approx(3.2e9), pytest.approx(1e8), 0.0)  # Kiel lists DEU: no financial cell is a measured 0
    ]


def test_committed_not_allocated_is_the_running_sum_of_the_current_release(q):
    rows = q("SELECT donor, period, commitments_eur, to_be_allocated_eur, committed_not_allocated_eur, source_file "
             "FROM marts.fct_pledge_commitments ORDER BY donor, period")
    assert rows == [
        ("AUS", date(2025, 6, 1), 4e8, 4e8, pytest.approx(4e8), KIEL_NEW),
        ("DEU", date(2025, 5, 1), 3e9, 1.8e9, pytest.approx(1.8e9), KIEL_NEW),
        ("DEU", date(2025, 6, 1), 1e9, -1e9, pytest.approx(0.8e9), KIEL_NEW),
    ]
    assert q("SELECT value, unit, period_from, period_to FROM marts.country_issue_figures "
             "WHERE country = 'DEU' AND issue = 'aid_to_ukraine' AND figure = 'committed_not_allocated_eur'") == [
        (pytest.approx(0.8e9), "EUR", date(2025, 5, 1), date(2025, 6, 30))
    ]
    scorecard = dict(q("SELECT country, aid_committed_not_allocated_eur FROM marts.country_scorecard "
                       "WHERE country IN ('DEU', 'AUS', 'FRA')"))
    assert scorecard == {"DEU": pytest.approx(0.8e9), "AUS": pytest.approx(4e8), "FRA": None}


def test_a_donor_with_commitments_only_joins_the_grid(q):
    assert q("SELECT count(*) FROM marts.country_issue WHERE country = 'AUS'") == q("SELECT count(*) FROM ref.issues")
    # its one Kiel commitments row is the evidence (rows of any dataset bearing on the issue)
    assert q("SELECT evidence_count FROM marts.country_issue WHERE country = 'AUS' AND issue = 'aid_to_ukraine'") == [
        (1,)
    ]


def test_oil_figures_count_the_current_crea_releases(q):
    assert figure(q, "HUN", "value_eur_12m_unspecified") == pytest.approx(110e6 + 120e6)  # gas not counted
    assert figure(q, "HUN", "tonnes_12m_unspecified") is None  # crea-values gives no volume
    assert figure(q, "NLD", "tonnes_12m_direct") == pytest.approx(1100)
    assert figure(q, "NLD", "tonnes_12m_via_third_country") == pytest.approx(300)
    assert figure(q, "NLD", "value_eur_12m_direct") is None  # crea-shipments gives no value
    # another importer's shipments release is current beside NLD's, though ingested earlier
    assert figure(q, "DEU", "tonnes_12m_direct") == pytest.approx(500)
    files = {r[0] for r in q("SELECT DISTINCT source_file FROM marts.fct_oil_imports")}
    assert files == {CREA_VALUES_NEW, SHIPMENTS_DEU, SHIPMENTS_NLD_NEW}
    assert q("SELECT DISTINCT source FROM marts.fct_oil_imports ORDER BY 1") == [("crea-shipments",), ("crea-values",)]


def test_measures_in_force_by_type_count_the_current_gsdb_release(q):
    eu = dict(q("SELECT figure, value FROM marts.country_issue_figures "
                "WHERE country = 'EUU' AND figure LIKE 'measures_in_force%'"))
    assert eu == {
        "measures_in_force": 3,
        "measures_in_force_export_ban": 1,
        "measures_in_force_import_ban": 1,
        "measures_in_force_financial": 1,
        "measures_in_force_travel_ban": 0,  # lifted
    }  # the undated release (lifting the export ban, adding an asset freeze) is superseded
    usa = dict(q("SELECT figure, value FROM marts.country_issue_figures "
                 "WHERE country = 'USA' AND figure LIKE 'measures_%'"))
    assert usa["measures_in_force_export_ban"] == 1
    assert usa["measures_in_force_other"] == 0  # the seed's threatened measure
    assert usa["measures_threatened"] == 1
    assert q("SELECT status, report_count, source FROM marts.fct_sanctions "
             "WHERE measure_id = 'gsdb:1:EUU:RUS:export_ban'") == [("in_force", 1, "gsdb")]
    assert q("SELECT evidence_count FROM marts.country_issue WHERE country = 'EUU' "
             "AND issue = 'sanctions_on_russia'") == [(4,)]


def test_aid_changes_come_from_the_latest_us_release(q):
    rows = q("SELECT fiscal_year, amount_change, source FROM marts.fct_aid_changes "
             "WHERE source_file LIKE 'raw/sources/%' ORDER BY fiscal_year")
    assert rows == [(2024, 150.0, "us-foreign-assistance"), (2025, -50.0, "us-foreign-assistance")]
    assert q("SELECT source FROM marts.fct_aid_changes WHERE source_file NOT LIKE 'raw/sources/%'") == [("extract",)]
