"""Figures a journalist can quote, on every real publisher file: measured or absent, named by what
they count, dated as precisely as the data, and traceable to the publisher's own line.

Every expected figure is recomputed here from the publisher's file with the csv module (or a plain
XML/text reading), never copied from the warehouse.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.home import Home
from tests.conftest import REAL_DATA, query_home, run_cli

KIEL = REAL_DATA / "pledges" / "kiel_ust_data_explorer.csv"
KIEL_RELEASE = REAL_DATA / "pledges" / "kiel_ust_release_info.csv"
CREA_VALUES = REAL_DATA / "oil_imports" / "crea_price_cap_ts.csv"
CREA_SHIPMENTS = REAL_DATA / "oil_imports" / "crea_shipments_to_nl.csv"
US_AID = REAL_DATA / "aid_changes" / "us_foreign_aid_country.csv"
GSDB = REAL_DATA / "sanctions" / "GSDB_V3.csv"
OFAC = REAL_DATA / "sanctions" / "ofac_sdn_2022-02-24.csv"

pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in (KIEL, CREA_VALUES, CREA_SHIPMENTS, US_AID, GSDB, OFAC)),
    reason=f"the real publisher files are not in {REAL_DATA} (they are not shipped with the project)",
)
NOT_MEASURED = "not measured by any loaded source"


def rows_with_lines(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line where the record starts, record) for every data record of a CSV file (the header is line 1)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        out, previous = [], reader.line_num
        for record in reader:
            out.append((previous + 1, dict(zip(header, record, strict=True))))
            previous = reader.line_num
    return out


def figure(home: Home, country: str, name: str) -> tuple:
    """(value, coverage, period_label, sources) of one figure."""
    found = query_home(home, "SELECT value, coverage, period_label, sources FROM marts.country_issue_figures "
                             "WHERE country = ? AND figure = ?", [country, name])
    assert len(found) == 1, (country, name, found)
    return found[0]


# --- no number where the source has none ---------------------------------------------------------------


def test_no_zero_is_made_of_nothing(real_home: Home):
    # a 0 is measured by rows (or a loaded list that holds none); NULL is "not measured"
    bad = query_home(real_home, """
        SELECT country, figure, value, coverage FROM marts.country_issue_figures
        WHERE (value = 0 AND coverage = 'not measured by any loaded source')
           OR (value IS NULL AND coverage <> 'not measured by any loaded source')
           OR (value IS NOT NULL AND sources IS NULL)""")
    assert bad == []
    zeros = query_home(real_home, "SELECT count(*) FROM marts.country_issue_figures "
                                  "WHERE value = 0 AND rows_measuring = 0 AND figure NOT LIKE 'allocated_eur_%' "
                                  "AND figure NOT LIKE 'designations_%'")
    assert zeros == [(0,)]  # Kiel's zero cells and loaded lists are the only measured zeros without a fact row


def test_kiel_measures_allocations_not_deliveries(real_home: Home):
    donors = {r["iso"] for _, r in rows_with_lines(KIEL)}
    kiel_codes = {"EU": "EUU"}
    for iso in donors:
        code = kiel_codes.get(iso, iso)
        for category in ("military", "financial", "humanitarian"):
            value, coverage, _, _ = figure(real_home, code, f"delivered_eur_{category}")
            assert (value, coverage) == (None, NOT_MEASURED), (code, category)


def test_a_kiel_zero_is_a_measured_zero(real_home: Home):
    hungary = [r for _, r in rows_with_lines(KIEL) if r["iso"] == "HUN"]
    assert all(Decimal(r["military"]) == 0 for r in hungary)
    value, coverage, label, sources = figure(real_home, "HUN", "allocated_eur_military")
    assert (value, coverage) == (0.0, "measured")
    assert "kiel-ust" in sources and label == "2022-02 to 2023-06"


def test_tonnes_are_not_measured_where_only_values_are(real_home: Home):
    # India's only oil data are CREA's EUR values: no tonnes, no route split
    for name in ("tonnes_12m_direct", "tonnes_12m_via_third_country", "tonnes_12m_unspecified"):
        value, coverage, _, _ = figure(real_home, "IND", name)
        assert (value, coverage) == (None, NOT_MEASURED), name
    value, coverage, label, _ = figure(real_home, "IND", "value_eur_12m_unspecified")
    expected = sum(Decimal(r["Without price cap"]) for _, r in rows_with_lines(CREA_VALUES)
                   if r["destination_region"] == "India" and r["commodity_group"] == "oil"
                   and "2021-11" <= r["date"][:7] <= "2022-10")
    assert value == pytest.approx(float(expected), rel=1e-12)
    # the file starts in December 2021: 11 of the 12 months, so a lower bound
    assert coverage == "partial" and label == "12 months to 2022-10 (2021-11 to 2022-10)"


def test_committed_not_allocated_is_not_measured_where_commitments_equal_allocations(real_home: Home):
    by_donor: dict[str, list[dict]] = defaultdict(list)
    for _, r in rows_with_lines(KIEL):
        by_donor[r["iso"]].append(r)
    same = {iso for iso, rows in by_donor.items() if all(Decimal(r["to_be_allocated"]) == 0 for r in rows)}
    assert {"HUN", "IND"} <= same
    for iso in same:
        value, coverage, _, _ = figure(real_home, iso, "committed_not_allocated_eur")
        assert (value, coverage) == (None, NOT_MEASURED), iso
    usa = sum(Decimal(r["to_be_allocated"]) for r in by_donor["USA"]) * 10**9
    assert figure(real_home, "USA", "committed_not_allocated_eur")[0] == pytest.approx(float(usa), abs=1)


def test_the_scorecard_keeps_null_null(real_home: Home):
    assert query_home(real_home, "SELECT aid_committed_not_allocated_eur, russian_oil_tonnes_12m_direct "
                                 "FROM marts.country_scorecard WHERE country = 'IND'") == [(None, None)]
    assert query_home(real_home, "SELECT sanctions_threatened FROM marts.country_scorecard "
                                 "WHERE country = 'EUU'") == [(None,)]  # GSDB records no threats


# --- names that say what is counted --------------------------------------------------------------------


def test_kiel_allocations_are_allocated_not_pledged(real_home: Home):
    germany = sum(Decimal(r["military"]) for _, r in rows_with_lines(KIEL) if r["iso"] == "DEU") * 10**9
    assert figure(real_home, "DEU", "allocated_eur_military")[0] == pytest.approx(float(germany), abs=1)
    pledged = query_home(real_home, "SELECT count(*) FROM marts.country_issue_figures WHERE country = 'DEU' "
                                    "AND figure LIKE 'pledged_eur_%' AND value IS NOT NULL")
    assert pledged == [(0,)]  # Kiel's release measures allocations and commitments, not pledges
    committed = sum(Decimal(r["commitments"]) for _, r in rows_with_lines(KIEL) if r["iso"] == "DEU") * 10**9
    assert figure(real_home, "DEU", "committed_eur")[0] == pytest.approx(float(committed), abs=1)


def test_each_aid_category_is_its_own_figure_and_scorecard_column(real_home: Home):
    sums = {c: sum(Decimal(r[c]) for _, r in rows_with_lines(KIEL) if r["iso"] == "USA") * 10**9
            for c in ("military", "financial", "humanitarian")}
    row = query_home(real_home, "SELECT aid_allocated_eur_military, aid_allocated_eur_financial, "
                                "aid_allocated_eur_humanitarian FROM marts.country_scorecard WHERE country = 'USA'")[0]
    assert row == pytest.approx([float(sums[c]) for c in ("military", "financial", "humanitarian")], abs=1)
    issues = query_home(real_home, "SELECT DISTINCT issue FROM marts.country_issue_figures "
                                   "WHERE figure LIKE 'allocated_eur_%'")
    assert issues == [("aid_to_ukraine",)]
    assert query_home(real_home, "SELECT count(*) FROM marts.country_issue_figures WHERE issue = 'military_aid'") \
        == [(0,)]


def test_eu_institutions_and_eu_importers_are_distinct(real_home: Home):
    kiel_eu = sum(Decimal(r["financial"]) for _, r in rows_with_lines(KIEL) if r["iso"] == "EU") * 10**9
    assert figure(real_home, "EUU", "allocated_eur_financial")[0] == pytest.approx(float(kiel_eu), abs=1)
    crea_eu = sum(Decimal(r["Without price cap"]) for _, r in rows_with_lines(CREA_VALUES)
                  if r["destination_region"] == "EU")
    loaded = query_home(real_home, "SELECT importer, sum(value_eur) FROM marts.fct_oil_imports "
                                   "WHERE source = 'crea-values' AND importer LIKE 'EU%' GROUP BY importer")
    assert [(code, pytest.approx(v, rel=1e-12)) for code, v in loaded] == [("EU_MEMBER_STATES", float(crea_eu))]
    kinds = dict(query_home(real_home, "SELECT iso3, kind FROM marts.dim_country "
                                       "WHERE iso3 IN ('EUU', 'EU_MEMBER_STATES')"))
    assert kinds == {"EUU": "organisation", "EU_MEMBER_STATES": "bloc"}
    members = query_home(real_home, "SELECT count(*) FROM marts.dim_bloc_membership "
                                    "WHERE bloc = 'EU_MEMBER_STATES' AND is_current")
    assert members == [(27,)]
    assert query_home(real_home, "SELECT count(*) FROM marts.dim_bloc_membership WHERE bloc = 'EUU'") == [(0,)]


def test_ofac_figures_per_programme_family(real_home: Home):
    # recount the 2022-02-24 snapshot's programmes from the file itself
    text = OFAC.read_bytes().decode("latin-1")
    per_programme: dict[str, set[str]] = defaultdict(set)
    for record in csv.reader(line for line in text.splitlines() if line.strip() and line != "\x1a"):
        for programme in record[3].split("] ["):
            per_programme[programme.strip("[] ")].add(record[0])
    loaded = dict(query_home(real_home, "SELECT programme, entries_listed FROM marts.designations_by_programme "
                                        "WHERE list_id = 'us_ofac_sdn'"))
    assert loaded == {p: len(e) for p, e in per_programme.items() if p}
    families = {"russia_eo14024": {"RUSSIA-EO14024"}, "caatsa_russia": {"CAATSA - RUSSIA"},
                "ukraine_related": {"UKRAINE-EO13660", "UKRAINE-EO13661", "UKRAINE-EO13662", "UKRAINE-EO13685",
                                    "RUSSIA-EO14065"}}
    for family, programmes in families.items():
        entries = set().union(*(per_programme.get(p, set()) for p in programmes))
        assert figure(real_home, "USA", f"designations_listed_{family}")[0] == len(entries), family
    russia = set().union(*(per_programme.get(p, set()) for ps in families.values() for p in ps))
    assert figure(real_home, "USA", "designations_listed_russia")[0] == len(russia) == 555
    assert len(per_programme["RUSSIA-EO14024"]) == 69  # SOURCE.md


def test_sanctions_adopted_is_one_definition(real_home: Home):
    rows = query_home(real_home, """
        SELECT s.country, s.sanctions_adopted, f.value FROM marts.country_scorecard s
        LEFT JOIN marts.country_issue_figures f ON f.country = s.country AND f.figure = 'measures_adopted'""")
    assert rows and all(adopted == value for _, adopted, value in rows)


# --- time that says how much of it is known ------------------------------------------------------------


def test_the_latest_fiscal_year_is_partial_and_kept_out(real_home: Home):
    flags = dict(query_home(real_home, "SELECT fiscal_year, bool_and(is_partial) FROM marts.fct_aid_levels "
                                       "WHERE fiscal_year >= 2023 GROUP BY ALL"))
    assert flags == {2023: False, 2024: True}
    _, coverage, label, sources = figure(real_home, "USA", "obligations_usd_latest_full_fy")
    assert label == "FY2023 (2022-10-01 to 2023-09-30)" and coverage == "measured"
    assert "us-foreign-assistance" in sources


def test_us_ukraine_obligations_and_disbursements_per_fiscal_year(real_home: Home):
    expected: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for _, r in rows_with_lines(US_AID):
        if r["Country Code"] == "UKR" and r["Transaction Type Name"] in ("Obligations", "Disbursements"):
            expected[(int(r["Fiscal Year"]), r["Transaction Type Name"].lower())] += Decimal(r["current_amount"])
    loaded = query_home(real_home, "SELECT fiscal_year, measure, amount FROM marts.fct_aid_levels "
                                   "WHERE donor = 'USA' AND recipient = 'UKR'")
    assert {(y, m): pytest.approx(a, abs=0.5) for y, m, a in loaded} == {k: float(v) for k, v in expected.items()}
    assert figure(real_home, "USA", "obligations_usd_latest_full_fy")[0] == pytest.approx(
        float(expected[(2023, "obligations")]), abs=0.5)
    assert figure(real_home, "USA", "disbursements_usd_latest_full_fy")[0] == pytest.approx(
        float(expected[(2023, "disbursements")]), abs=0.5)


def test_an_unquantified_aid_change_does_not_hide_the_amounts(real_home: Home):
    value, _, label, _ = figure(real_home, "USA", "aid_net_change_usd_latest_full_fy")
    assert value is not None and label.startswith("FY2023")
    # the seed report's US cut has no amount: counted apart
    assert figure(real_home, "USA", "aid_changes_without_amount_count")[0] == 1
    assert query_home(real_home, "SELECT aid_net_change_usd_latest_full_fy IS NOT NULL, aid_net_change_period "
                                 "FROM marts.country_scorecard WHERE country = 'USA'") == [
        (True, "FY2023 (2022-10-01 to 2023-09-30)")]


def test_gsdb_years_keep_their_precision(real_home: Home):
    precisions = query_home(real_home, "SELECT DISTINCT date_precision FROM marts.fct_sanctions "
                                       "WHERE source = 'gsdb'")
    assert precisions == [("year",)]
    last_year = max(int(r["end"]) for _, r in rows_with_lines(GSDB) if r["end"].isdigit())
    assert figure(real_home, "DEU", "measures_in_force")[2] == f"in force in {last_year}"


def test_the_last_kiel_month_is_partial(real_home: Home):
    last = max((int(r["year"]), int(r["month"])) for _, r in rows_with_lines(KIEL))
    flagged = query_home(real_home, "SELECT DISTINCT year(announced_on), month(announced_on) FROM marts.fct_pledges "
                                    "WHERE source = 'kiel-ust' AND is_partial")
    assert flagged == [last]


# --- provenance to the publisher's row -----------------------------------------------------------------


def test_every_kiel_row_cites_its_publisher_line(real_home: Home):
    line_of = {(r["iso"], f"{int(r['year']):04d}-{int(r['month']):02d}"): line for line, r in rows_with_lines(KIEL)}
    pledges = query_home(real_home, "SELECT pledge_id, source_row, source_rows FROM marts.fct_pledges "
                                    "WHERE source = 'kiel-ust'")
    assert len(pledges) == 1450
    for pledge_id, source_row, source_rows in pledges:
        _, iso, period, _ = pledge_id.split(":")
        assert source_row == line_of[(iso, period)], pledge_id
        assert source_rows == str(source_row)
    commitments = query_home(real_home, "SELECT f.donor, strftime(f.period, '%Y-%m'), f.source_row "
                                        "FROM marts.fct_pledge_commitments f")
    assert len(commitments) == len(line_of)
    # AUS 2023-06, the issue's example
    assert ("AUS", "2023-06") in line_of
    for donor, period, source_row in commitments:
        assert source_row == line_of[("EU" if donor == "EUU" else donor, period)]


def test_aggregated_rows_list_their_lines(real_home: Home):
    lines = {line for line, r in rows_with_lines(CREA_VALUES)
             if r["destination_region"] == "India" and r["commodity_group"] == "oil" and r["date"][:7] == "2022-03"}
    (row,) = query_home(real_home, "SELECT source_row, source_rows FROM marts.fct_oil_imports WHERE importer = 'IND' "
                                   "AND period = DATE '2022-03-01' AND product = 'oil'")
    assert row[0] is None
    listed: set[int] = set()
    for part in row[1].split(";"):
        low, _, high = part.partition("-")
        listed.update(range(int(low), int(high or low) + 1))
    assert listed == lines


def test_every_publisher_row_has_a_source_url(real_home: Home):
    for table in ("fct_pledges", "fct_pledge_commitments", "fct_oil_imports", "fct_aid_changes", "fct_aid_levels",
                  "fct_sanctions"):
        missing = query_home(real_home, f"SELECT count(*) FROM marts.{table} "
                                        f"WHERE source <> 'extract' AND source_url IS NULL")
        assert missing == [(0,)], table
    pulled = query_home(real_home, "SELECT DISTINCT source_url FROM marts.fct_pledges WHERE source = 'kiel-ust'")
    assert len(pulled) == 1 and pulled[0][0].startswith("http://127.0.0.1:")  # the address it was pulled from


def test_kiel_rows_record_the_release_and_its_cut_off(real_home: Home):
    with KIEL_RELEASE.open(newline="", encoding="utf-8") as fh:
        release = next(csv.DictReader(fh))
    last = max((int(r["year"]), int(r["month"])) for _, r in rows_with_lines(KIEL))
    rows = query_home(real_home, "SELECT DISTINCT source_release, strftime(source_as_of, '%Y-%m') "
                                 "FROM marts.fct_pledges WHERE source = 'kiel-ust'")
    assert rows == [(release["release"], f"{last[0]:04d}-{last[1]:02d}")]
    sources = figure(real_home, "DEU", "allocated_eur_military")[3]
    assert f"kiel-ust release {release['release']}" in sources


def test_aggregated_figures_name_their_releases(real_home: Home):
    missing = query_home(real_home, "SELECT count(*) FROM marts.country_issue_figures "
                                    "WHERE value IS NOT NULL AND (sources IS NULL OR source_files IS NULL)")
    assert missing == [(0,)]
    (files,) = query_home(real_home, "SELECT source_files FROM marts.country_issue_figures "
                                     "WHERE country = 'NLD' AND figure = 'tonnes_12m_direct'")[0]
    assert files.startswith("raw/sources/crea-shipments/")


def test_column_descriptions_are_in_the_warehouse(real_home: Home):
    undocumented = query_home(real_home, "SELECT table_name, column_name FROM duckdb_columns() "
                                         "WHERE schema_name = 'marts' AND (comment IS NULL OR comment = '')")
    assert undocumented == []


# --- smaller truths ------------------------------------------------------------------------------------


def test_turkish_cargo_is_turkish_not_russian_oil_via_turkey(real_home: Home):
    turkish = sum(Decimal(r["Oil products and chemicals"]) for _, r in rows_with_lines(CREA_SHIPMENTS)
                  if r["commodity_origin_country"] == "Turkey")
    loaded = query_home(real_home, "SELECT origin, route, sum(volume_tonnes) FROM marts.fct_oil_imports "
                                   "WHERE importer = 'NLD' AND origin <> 'RUS' GROUP BY ALL")
    assert [(o, r, pytest.approx(t)) for o, r, t in loaded] == [("TUR", "seaborne", float(turkish))]
    assert figure(real_home, "NLD", "tonnes_12m_via_third_country")[:2] == (None, NOT_MEASURED)


def test_crea_totals_reconcile_with_others_loaded(real_home: Home):
    raw = [r for _, r in rows_with_lines(CREA_VALUES)]
    others = sum(Decimal(r["Without price cap"]) for r in raw if r["destination_region"] == "Others")
    total = sum(Decimal(r["Without price cap"]) for r in raw)
    loaded = dict(query_home(real_home, "SELECT importer = 'OTHERS_CREA', sum(value) FROM marts.fct_oil_imports "
                                        "WHERE source = 'crea-values' GROUP BY 1"))
    assert loaded[True] == pytest.approx(float(others), rel=1e-12)
    assert loaded[True] + loaded[False] == pytest.approx(float(total), rel=1e-12)
    oil = sum(Decimal(r["Without price cap"]) for r in raw
              if r["destination_region"] == "Others" and r["commodity_group"] == "oil")
    assert round(oil / 10**9, 1) == Decimal("17.6")  # the issue's "EUR 17.6bn of oil"
    (loaded_oil,) = query_home(real_home, "SELECT sum(value) FROM marts.fct_oil_imports WHERE importer = 'OTHERS_CREA' "
                                          "AND product = 'oil'")[0]
    assert loaded_oil == pytest.approx(float(oil), rel=1e-12)
    assert query_home(real_home, "SELECT kind FROM marts.dim_country WHERE iso3 = 'OTHERS_CREA'") == [("aggregate",)]


def test_evidence_agrees_with_the_figures(real_home: Home):
    missing = query_home(real_home, """
        SELECT f.country, f.issue FROM marts.country_issue_figures f
        JOIN marts.country_issue c USING (country, issue)
        WHERE f.row_count > 0 AND c.evidence_count = 0""")
    assert missing == []


def test_status_lists_every_dataset(real_home: Home, capsys):
    capsys.readouterr()
    assert run_cli("--home", str(real_home.root), "status") == 0
    out = capsys.readouterr().out
    for dataset in ("pledges", "pledge_commitments", "oil_imports", "aid_changes", "aid_levels", "sanctions",
                    "positions", "designations"):
        assert f"  {dataset}" in out, dataset
