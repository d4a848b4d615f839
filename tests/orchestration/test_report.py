"""The HTML report: what it draws from the marts, its empty states, and the page in headless Chromium.

Three homes: the bundled warehouse (most inputs missing: empty states), the bundled one plus every
real publisher file where ``REAL_DATA`` exists, and the bundled one plus two small synthetic
snapshots of one sanctions list (the only way to see the designations chart with data). The
figures asserted are recomputed from the marts here, never copied from the report's queries.

The browser tests open ``report.html`` from the file system in Debian's Chromium and watch it over
the DevTools protocol (``tests/headless_chromium.py``): console errors, every request, a screenshot
of each section (into ``tmp_path`` and ``data/test-artifacts/report/<home>/``, git-ignored).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ingestion.home import Home
from orchestration.reporting.report import REPORT_NAME, SECTIONS, BuiltReport, SectionResult, write_report
from tests.conftest import REAL_DATA, REPO, copy_home, query_home, run_cli
from tests.headless_chromium import Browser, PageLog, chromium_missing

ARTEFACTS = REPO / "data" / "test-artifacts" / "report"
REAL_FILES = {
    "gsdb": REAL_DATA / "sanctions" / "GSDB_V3.csv",
    "us_aid": REAL_DATA / "aid_changes" / "us_foreign_aid_country.csv",
    "crea_values": REAL_DATA / "oil_imports" / "crea_price_cap_ts.csv",
    "crea_shipments": REAL_DATA / "oil_imports" / "crea_shipments_to_nl.csv",
    "kiel": REAL_DATA / "pledges" / "kiel_ust_data_explorer.csv",
    "ofac": REAL_DATA / "sanctions" / "ofac_sdn_2022-02-24.csv",
}
NO_REAL_DATA = f"the real publisher files are not in {REAL_DATA} (they are not shipped with the project)"
HEATMAP_CELLS_SQL = "select count(*) from marts.country_issue where stance is not null"


def _section(built: BuiltReport, key: str) -> SectionResult:
    return next(s for s in built.sections if s.section.key == key)


def _page_data(built: BuiltReport) -> dict[str, Any]:
    page = built.path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert found, "the report carries no data block"
    return json.loads(found.group(1))


# -- homes and their reports -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_report(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, BuiltReport]:
    """The report of the bundled warehouse (written outside the shared home, which stays as it is)."""
    return built_home, write_report(built_home, tmp_path_factory.mktemp("bundled-report"))


@pytest.fixture(scope="module")
def real_report(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, BuiltReport]:
    """The bundled warehouse plus every real publisher file (GSDB, US aid, CREA values and NL shipments, Kiel, OFAC)."""
    if not all(p.is_file() for p in REAL_FILES.values()):
        pytest.skip(NO_REAL_DATA)
    home = copy_home(built_home, tmp_path_factory.mktemp("real") / "home")
    files = [str(p) for p in REAL_FILES.values()]
    # --importer applies to the one format that takes it (crea-shipments); the OFAC file's date is in its name
    assert run_cli("--home", str(home.root), "ingest", *files, "--importer", "NL") == 0
    return home, write_report(home)


SNAPSHOT_HEADER = "list_id,imposed_by,as_of,entry_id,name,entity_type,programmes,target\n"
#: Two snapshots of one made-up list: B is delisted, D and E are listed between them.
SNAPSHOTS = {
    "test_list_2024-03-31.csv": ["A,ALPHA TEST LLC,organisation", "B,BRAVO TEST,person", "C,CHARLIE TEST,vessel"],
    "test_list_2024-05-31.csv": ["A,ALPHA TEST LLC,organisation", "C,CHARLIE TEST,vessel", "D,DELTA TEST,person",
                                 "E,ECHO TEST,organisation"],
}


@pytest.fixture(scope="module")
def designations_report(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, BuiltReport]:
    """The bundled warehouse plus two synthetic snapshots of one list (``test_list``, kept by GBR)."""
    root = tmp_path_factory.mktemp("designations")
    home = copy_home(built_home, root / "home")
    folder = root / "designations"
    folder.mkdir()
    for name, entries in SNAPSHOTS.items():
        as_of = name.removeprefix("test_list_").removesuffix(".csv")
        lines = [f"test_list,GBR,{as_of},{entry},TEST-PROGRAMME,RUS\n" for entry in entries]
        (folder / name).write_text(SNAPSHOT_HEADER + "".join(lines), encoding="utf-8")
    assert run_cli("--home", str(home.root), "ingest", *(str(folder / n) for n in SNAPSHOTS)) == 0
    return home, write_report(home)


# -- what the report draws ---------------------------------------------------------------------


def test_the_report_is_written_to_the_homes_reports_folder_and_the_cli_prints_size_and_sections(home: Home,
                                                                                                  capsys):
    assert run_cli("--home", str(home.root), "report") == 0
    out = capsys.readouterr().out
    path = home.root / "reports" / REPORT_NAME
    assert f"wrote     {path}" in out
    assert f"({path.stat().st_size:,} bytes)" in out
    for section in SECTIONS:
        assert f"  {section.key:<16} {section.title}: " in out
    assert "kiel             Aid to Ukraine: committed vs allocated, per donor: no chart: No Kiel release loaded" in out
    assert sorted(p.name for p in path.parent.iterdir()) == [REPORT_NAME]  # no temporary file left behind


def test_a_second_report_replaces_the_first_in_place(bundled_report, tmp_path: Path):
    home, _ = bundled_report
    first = write_report(home, tmp_path)
    second = write_report(home, tmp_path)
    assert first.path == second.path
    assert sorted(p.name for p in tmp_path.iterdir()) == [REPORT_NAME]


def test_the_report_command_imports_no_dagster_dbt_or_great_expectations(built_home: Home, tmp_path: Path):
    script = (
        "import json, sys\n"
        "from orchestration.cli import main\n"
        f"code = main(['--home', {str(built_home.root)!r}, 'report', '--out', {str(tmp_path)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'dagster_dbt', 'dbt', "
        "'great_expectations'))\n"
        "print(json.dumps({'code': code, 'heavy': heavy}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"code": 0, "heavy": []}
    assert (tmp_path / REPORT_NAME).is_file()


def test_the_page_loads_no_script_style_or_font_from_elsewhere(bundled_report):
    _, built = bundled_report
    text = built.path.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>", text)
    assert scripts == ["", ' type="application/json" id="report-data"', ""]  # the bundle, the data, the page's own
    page = re.sub(r"(<script\b[^>]*>).*?</script>", r"\1</script>", text, flags=re.S)  # the markup alone
    assert not re.search(r"<link[^>]*rel=\"stylesheet\"", page)
    assert not re.search(r"<(img|iframe|embed|object|source)\b", page)
    assert "@import" not in page and "@font-face" not in page
    assert re.findall(r'<link rel="icon" href="([^"]*)"', page) == ["data:,"]


def test_the_heatmap_has_one_cell_per_country_issue_row_with_a_stance(bundled_report):
    home, built = bundled_report
    heatmap = _section(built, "heatmap")
    (expected,) = query_home(home, HEATMAP_CELLS_SQL)[0]
    assert expected > 0
    assert len(heatmap.data.rows) == expected
    assert len({(r["country"], r["issue"]) for r in heatmap.data.rows}) == expected
    assert f'data-cell-count="{expected}"' in built.path.read_text(encoding="utf-8")
    for row in heatmap.data.rows:  # what the hover shows: summary, who, date, source, and the positions row
        assert row["stance"] and row["stance_summary"] and row["stance_on"] and row["stance_source"]
        assert row["source_file"].startswith("raw/positions/") and row["source_row"] >= 1


def test_a_missing_input_gives_a_message_naming_what_to_load_not_a_chart(bundled_report):
    _, built = bundled_report
    data = _page_data(built)
    page = built.path.read_text(encoding="utf-8")
    messages = {
        "kiel": "No Kiel release loaded: load kiel-ust to see this chart",
        "us_aid": "No ForeignAssistance.gov release with obligations or disbursements to Ukraine loaded: "
                  "load us-foreign-assistance",
        "crea": "No CREA values release loaded: load crea-values to see this chart",
        "designations": "No sanctions list snapshot loaded",
        "sanctions": "No sanctions measure in force is loaded",
    }
    for key, message in messages.items():
        section = _section(built, key)
        assert not section.has_chart and section.empty_message.startswith(message)
        assert key not in data["specs"]
        assert f'<div class="empty" id="chart-{key}" data-empty="true">' in page
        assert message in page
    assert list(data["specs"]) == ["heatmap"]


def test_each_chart_names_its_files_release_and_load(real_report):
    home, built = real_report
    registry = {f: (sha, rows) for f, sha, rows in query_home(
        home, "select source_file, source_sha256, row_count from meta.file_registry")}
    expected_sources = {"kiel": {"kiel-ust"}, "us_aid": {"us-foreign-assistance"}, "crea": {"crea-values"},
                        "sanctions": {"gsdb"}, "heatmap": {"extract"}}
    for key, sources in expected_sources.items():
        section = _section(built, key)
        assert {s.source for s in section.data.sources} == sources, key
        for source in section.data.sources:
            assert registry[source.source_file] == (source.source_sha256, source.row_count)
        subtitle = section.spec["title"]["subtitle"]
        assert any(s.source_file.rsplit("/", 1)[-1] in subtitle[-1] for s in section.data.sources), key
    page = built.path.read_text(encoding="utf-8")
    for source in _section(built, "kiel").data.sources:
        assert source.source_file in page and source.source_sha256[:12] in page


def test_kiel_chart_cumulates_the_marts_and_its_gap_is_kiels_not_yet_allocated(real_report):
    home, built = real_report
    section = _section(built, "kiel")
    rows = section.data.rows
    assert rows
    # Kiel's own terms: committed and allocated (its release measures no pledges)
    assert section.spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Committed (cumulative)",
                                                                                "Allocated (cumulative)"]
    assert "pledge" not in json.dumps(section.spec).lower()
    for row in rows:
        gap = row["committed_cumulative_eur"] - row["allocated_cumulative_eur"]
        assert gap == pytest.approx(row["committed_not_allocated_eur"], abs=1.0), row
    allocated = dict(query_home(home, "select donor, sum(amount_eur) from marts.fct_pledges "
                                      "where source = 'kiel-ust' group by donor"))
    committed = dict(query_home(home, "select donor, sum(commitments_eur) from marts.fct_pledge_commitments "
                                      "group by donor"))
    last = {r["donor"]: r for r in rows}  # rows are ordered by donor, then month
    assert set(last) == set(committed)
    for donor, row in last.items():
        assert row["allocated_cumulative_eur"] == pytest.approx(allocated.get(donor, 0.0), rel=1e-9, abs=1e-6)
        assert row["committed_cumulative_eur"] == pytest.approx(committed[donor], rel=1e-9)


def test_us_chart_shows_ukraines_obligations_and_disbursements_and_flags_the_partial_year(real_report):
    home, built = real_report
    section = _section(built, "us_aid")
    expected = query_home(home, "select fiscal_year, measure, amount, is_partial from marts.fct_aid_levels "
                                "where source = 'us-foreign-assistance' and donor = 'USA' and recipient = 'UKR'")
    assert sorted((r["fiscal_year"], r["measure"], r["amount_usd"], r["is_partial"]) for r in section.data.rows) == \
        sorted(expected)
    assert {r["measure"] for r in section.data.rows} == {"obligations", "disbursements"}  # one series each
    partial = sorted({r["fiscal_year"] for r in section.data.rows if r["is_partial"]})
    assert partial == [max(r["fiscal_year"] for r in section.data.rows)]  # the release's latest year, and only it
    bars = section.spec["layer"][0]
    assert bars["encoding"]["xOffset"]["field"] == "measure_label"
    assert "(partial)" in bars["encoding"]["x"]["axis"]["labelExpr"] and str(partial[0]) in \
        bars["encoding"]["x"]["axis"]["labelExpr"]
    assert f"FY{partial[0]} partial" in section.spec["title"]["subtitle"][0]
    assert any(f"FY{partial[0]} is partial" in note and "not a fall" in note for note in section.notes)
    assert not any("change" in note and "only" in note for note in section.notes)  # no "only changes" fallback
    (source,) = section.data.sources
    assert source.as_of_date is not None and source.as_of_date.isoformat() in section.spec["title"]["subtitle"][-1]
    shown = [r["fiscal_year"] for r in section.data.rows[:50]]
    assert partial[0] in shown  # the table under the chart starts with the latest year


def test_crea_chart_has_every_crea_value_row_and_names_the_skipped_destinations(real_report):
    home, built = real_report
    section = _section(built, "crea")
    ((count, total),) = query_home(home, "select count(*), sum(value_eur) from marts.fct_oil_imports "
                                         "where source = 'crea-values'")
    assert len(section.data.rows) == count
    assert sum(r["value_eur"] for r in section.data.rows) == pytest.approx(total, rel=1e-12)
    assert all(1 <= r["days_with_data"] <= 31 for r in section.data.rows)
    (skipped,) = query_home(home, "select rows_skipped from meta.source_releases where source = 'crea-values'")[0]
    assert any(f"{skipped:,} rows of the file were skipped" in note for note in section.notes)


def test_crea_destinations_are_named_as_dim_country_names_them_not_by_code(real_report):
    home, built = real_report
    section = _section(built, "crea")
    names = dict(query_home(home, "select iso3, name from marts.dim_country"))
    shown = {r["destination"]: r["destination_name"] for r in section.data.rows}
    assert {"EU_MEMBER_STATES", "OTHERS_CREA"} <= set(shown)
    assert shown == {code: names[code] for code in shown}
    assert all(name != code for code, name in shown.items())
    assert any(names["EU_MEMBER_STATES"] in note and names["OTHERS_CREA"] in note for note in section.notes)


def test_sanctions_chart_counts_the_measures_in_force(real_report):
    home, built = real_report
    rows = _section(built, "sanctions").data.rows
    ((in_force, on_russia),) = query_home(home, "select count(*), count(*) filter (where target = 'RUS') "
                                                "from marts.fct_sanctions where status = 'in_force'")
    assert sum(r["measures"] for r in rows) == in_force
    assert sum(r["measures_on_russia"] for r in rows) == on_russia


def test_one_snapshot_of_a_list_gives_a_message_not_a_chart(real_report):
    _, built = real_report
    section = _section(built, "designations")
    assert not section.has_chart
    assert section.empty_message.startswith("Only one snapshot of each list is loaded (us_ofac_sdn (USA): "
                                            "one snapshot, of 2022-02-24")
    assert [s.source for s in section.data.sources] == ["ofac-sdn"]


def test_designations_chart_counts_additions_and_removals_per_month(designations_report):
    home, built = designations_report
    section = _section(built, "designations")
    assert section.has_chart
    (row,) = section.data.rows
    assert (row["list_id"], str(row["month"]), row["additions"], row["delistings"]) == \
        ("test_list", "2024-05-01", 2, 1)
    expected = query_home(home, "select sum(additions), sum(delistings) from marts.designations_by_month")
    assert (row["additions"], row["delistings"]) == expected[0]
    assert row["source_file"] == ["raw/designations/test_list_2024-05-31.csv"]


# -- in the browser ----------------------------------------------------------------------------


@dataclass
class Rendered:
    """What headless Chromium saw of one report."""

    home: Home
    built: BuiltReport
    url: str
    log: PageLog
    sections: dict[str, dict[str, Any]]
    heatmap_cells: int
    cell_count_attribute: int
    tooltip: str
    csv: Path | None
    screenshots: dict[str, Path] = field(default_factory=dict)


def _render(name: str, home: Home, built: BuiltReport, tmp: Path) -> Rendered:
    url = built.path.resolve().as_uri()
    shots = tmp / "screenshots"
    with Browser(tmp / "profile") as browser:
        browser.open(url, "document.body && document.body.dataset.reportReady === 'true'", timeout=90)
        sections = browser.evaluate("""Object.fromEntries([...document.querySelectorAll('section[data-section]')]
            .map(s => [s.dataset.section, {
                rendered: s.querySelector('.chart[data-rendered="true"] svg') !== null,
                empty: s.querySelector('.empty') !== null,
                emptyText: (s.querySelector('.empty') || {}).innerText || '',
                failed: s.querySelector('.chart-error') !== null}]))""")
        cells = browser.evaluate("document.querySelectorAll('#chart-heatmap svg g.heatmap_marks > path').length")
        attribute = browser.evaluate("Number(document.querySelector('section#heatmap').dataset.cellCount)")
        screenshots = {key: browser.screenshot(f'section[data-section="{key}"]', shots / f"{key}.png")
                       for key in sections}
        tooltip = _hover_first_heatmap_cell(browser, shots / "heatmap-hover.png") if cells else ""
        log = PageLog(list(browser.log.console), list(browser.log.exceptions), list(browser.log.requests))
        csv_file = _download_heatmap_csv(browser, tmp / "downloads") if cells else None
        log.console += browser.log.console[len(log.console):]  # errors after the click count too
        log.exceptions += browser.log.exceptions[len(log.exceptions):]
    artefacts = ARTEFACTS / name
    shutil.rmtree(artefacts, ignore_errors=True)
    shutil.copytree(shots, artefacts)
    shutil.copyfile(built.path, artefacts / REPORT_NAME)
    summary = {"report": str(built.path), "size_bytes": built.size_bytes, "build_seconds": round(built.seconds, 2),
               "screenshots": sorted(str(p) for p in artefacts.glob("*.png"))}
    (artefacts / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return Rendered(home, built, url, log, sections, cells, attribute, tooltip, csv_file,
                    {key: artefacts / path.name for key, path in screenshots.items()})


def _hover_first_heatmap_cell(browser: Browser, path: Path) -> str:
    box = browser.evaluate("""(() => { const cell = document.querySelector('#chart-heatmap g.heatmap_marks > path');
        cell.scrollIntoView({block: 'center'}); const r = cell.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()""")
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box["x"], "y": box["y"]})
    for _ in range(50):
        text = browser.evaluate("(document.getElementById('vg-tooltip-element') || {}).innerText || ''")
        if text:
            browser.screenshot("section#heatmap", path)
            return text
        browser.evaluate("new Promise(r => setTimeout(r, 100))")
    return ""


def _download_heatmap_csv(browser: Browser, folder: Path) -> Path | None:
    """Open the heatmap's rows, click its CSV button, and wait for the file."""
    browser.allow_downloads(folder)
    browser.evaluate("document.querySelector('section#heatmap details.rows').open = true")
    browser.click('button[data-csv="heatmap"]')
    target = folder / "pledgewatch-heatmap.csv"
    for _ in range(100):
        if target.is_file() and not list(folder.glob("*.crdownload")):
            return target
        browser.evaluate("new Promise(r => setTimeout(r, 100))")
    return None


@pytest.fixture(scope="module", params=["bundled", "real", "designations"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """A report opened in headless Chromium from the file system, each section screenshotted."""
    missing = chromium_missing()
    if missing:
        pytest.skip(missing)
    home, built = request.getfixturevalue(f"{request.param}_report")
    return _render(request.param, home, built, tmp_path_factory.mktemp(f"browser-{request.param}"))


def test_the_report_opens_from_the_file_system_with_no_console_errors(rendered: Rendered):
    assert rendered.log.errors == []


def test_the_report_requests_nothing_but_its_own_file(rendered: Rendered):
    assert rendered.url in rendered.log.requests
    others = [u for u in rendered.log.requests if u != rendered.url and not u.startswith("data:")]
    assert others == []


def test_every_section_is_drawn_or_says_why_not_and_is_screenshotted(rendered: Rendered):
    assert list(rendered.sections) == [s.key for s in SECTIONS]
    for result in rendered.built.sections:
        seen = rendered.sections[result.section.key]
        assert not seen["failed"], result.section.key
        if result.has_chart:
            assert seen["rendered"] and not seen["empty"], result.section.key
        else:
            assert seen["empty"] and not seen["rendered"], result.section.key
            assert result.empty_message in seen["emptyText"]
        png = rendered.screenshots[result.section.key]
        width, height = struct.unpack(">II", png.read_bytes()[16:24])
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and width > 300 and height > 100, png


def test_the_heatmap_draws_one_cell_per_country_issue_row_with_a_stance(rendered: Rendered):
    (expected,) = query_home(rendered.home, HEATMAP_CELLS_SQL)[0]
    assert rendered.heatmap_cells == expected
    assert rendered.cell_count_attribute == expected


def test_hovering_a_heatmap_cell_shows_the_statement_who_when_and_source(rendered: Rendered):
    for label in ("Summary", "Who", "Date", "Source", "File", "Row"):
        assert label in rendered.tooltip
    summaries = {s for (s,) in query_home(rendered.home, "select stance_summary from marts.country_issue "
                                                         "where stance is not null")}
    assert any(s in rendered.tooltip for s in summaries)


def test_the_heatmaps_csv_button_downloads_every_row_it_plots(rendered: Rendered):
    assert rendered.csv is not None, "no CSV was downloaded"
    with rendered.csv.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    heatmap = _section(rendered.built, "heatmap")
    assert list(rows[0]) == heatmap.data.columns
    assert [(r["country"], r["issue"], r["stance"], r["source_row"]) for r in rows] == \
        [(r["country"], r["issue"], r["stance"], str(r["source_row"])) for r in heatmap.data.rows]
