"""The report a person looks at: one self-contained HTML page of charts over the published marts.

``build_report(home)`` reads the published warehouse (read-only), runs one named query per chart
(``report_queries``), and writes ``<home>/reports/report.html`` atomically. Each chart says what it
shows, in which unit, over which period and from which files (source, release ``as_of``, rows loaded
and skipped, SHA-256, load time), and carries the rows it plots: the first rows in a table with
their file and row, all of them as CSV from a button. A chart whose input is not loaded says which
input is missing and how to load it, instead of drawing an empty axis or a zero line.

Chart library: Vega-Lite. The specs are built with Altair (a declared dependency; great-expectations
already brings it in) and validated against the Vega-Lite schema when built; the JavaScript
(Vega, Vega-Lite and vega-embed with its tooltip plugin) comes from the ``vl-convert-python`` wheel
(``vl_convert.javascript_bundle()``), which bundles its vendored copies offline, and is inlined
once. Measured on this project: the bundle is 0.90 MB against 4.8 MB for Plotly's
``plotly.min.js``; the page is 0.94 MB for the bundled warehouse and 1.69 MB with every real
publisher file loaded (0.7 MB of rows, most of it Kiel's donor-months). Bundling takes 2.3 s on an
idle machine (up to 11 s on a busy one), so the script is kept in the home's ``cache/`` and bundled
once per home and vl-convert version; with it cached, the queries, specs and page take 0.2 s for the
bundled warehouse and 0.3-1.1 s with every real publisher file (a busy 2-core machine), which is
what the ``report`` asset adds to a run.
Vega renders SVG, so each heatmap cell is an element a test (or a person with the
inspector) can count. Nothing is fetched when the report is built or opened: no CDN, no fonts,
no schema download (the ``$schema`` URL in a spec is only read for its version).
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import altair as alt
import duckdb

from ingestion.home import Home
from orchestration.reporting import report_queries as rq

#: Rows of each chart shown in its table (all of them are in the CSV download).
TABLE_ROWS = 50
#: The file the report is written to, inside the output folder.
REPORT_NAME = "report.html"
#: The stances in order from support to opposition, with colours a colour-blind reader can tell apart.
STANCES = ("support", "conditional", "limited", "undecided", "oppose")
STANCE_COLOURS = ("#2166ac", "#67a9cf", "#d1b26f", "#bdbdbd", "#b2182b")
CHART_WIDTH = 720


@dataclass
class Source:
    """One loaded file behind a chart."""

    source_file: str
    dataset: str
    source: str
    release_key: str | None
    release: str | None
    as_of: date | None
    data_from: date | None
    data_to: date | None
    row_count: int
    rows_skipped: int | None
    source_sha256: str
    loaded_at: datetime

    @property
    def publisher(self) -> str:
        """Who published the file: the publisher of its format, or a hand-written extract."""
        return _publishers().get(self.source, "hand-written extract (EXTRACTS.md)")

    @property
    def as_of_date(self) -> date | None:
        """The release's date as the marts give it (``source_as_of``): its stated as-of, else its data's last day."""
        return self.as_of or self.data_to

    @property
    def as_of_text(self) -> str:
        """The release date, saying where it comes from; for an extract, that its rows carry their own dates."""
        if self.source == "extract":
            return "none (each row gives its own date)"
        if self.as_of:
            return self.as_of.isoformat()
        if self.data_to:
            return f"{self.data_to.isoformat()} (its data's last day: no release date given)"
        return "not stated by the release"

    @property
    def covers_text(self) -> str | None:
        """The first and last day the release's data cover, where known."""
        if self.data_from and self.data_to:
            return f"{self.data_from.isoformat()} to {self.data_to.isoformat()}"
        return None


@dataclass
class ChartData:
    """What a chart's query returned, and what the chart needs besides."""

    rows: list[dict[str, Any]]
    columns: list[str]
    sources: list[Source]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """One chart of the report: its query, its wording, its spec and its empty state."""

    key: str
    title: str
    what: str
    query: rq.Query
    spec: Callable[[ChartData, alt.TitleParams], dict[str, Any]]
    period: Callable[[ChartData], str]  # the period (or scope) of the rows, for the subtitle
    empty: Callable[[ChartData], str]
    notes: Callable[[ChartData], list[str]] = lambda data: []
    extra: Callable[[duckdb.DuckDBPyConnection], dict[str, Any]] = lambda con: {}


@dataclass
class SectionResult:
    """A section as rendered: its chart (or why there is none), rows, sources and notes."""

    section: Section
    data: ChartData
    spec: dict[str, Any] | None
    empty_message: str | None
    period: str
    notes: list[str]

    @property
    def has_chart(self) -> bool:
        """True when the section draws a chart (its query found rows)."""
        return self.spec is not None


@dataclass
class BuiltReport:
    """A report written to disk: where, how big, how long it took, and its sections."""

    path: Path
    size_bytes: int
    seconds: float
    sections: list[SectionResult]


# -- building ----------------------------------------------------------------------------------


def build_report(home: Home, out_dir: Path | None = None) -> Path:
    """Write the report of ``home``'s published warehouse to ``out_dir`` (default ``<home>/reports/``)."""
    return write_report(home, out_dir).path


def write_report(home: Home, out_dir: Path | None = None, *, run_id: str | None = None) -> BuiltReport:
    """Build the report and write it atomically; return the path, size, build time and sections.

    ``run_id``: the Dagster run building it right after it published the warehouse (the ``report``
    asset), named as the warehouse's last run; else the home's last recorded run is.
    """
    from ingestion.warehouse import connect_readonly

    started = time.perf_counter()
    built_at = datetime.now(UTC)
    con = connect_readonly(home)
    try:
        results = [_run_section(con, section) for section in SECTIONS]
        warehouse = _warehouse_info(con, home)
    finally:
        con.close()
    if run_id is not None:
        warehouse["building_run"] = run_id
    bundle = javascript_bundle(home.cache)
    page = _render_page(results, warehouse, built_at, bundle, seconds=time.perf_counter() - started)
    target_dir = Path(out_dir) if out_dir is not None else home.reports
    path = _write_atomically(target_dir / REPORT_NAME, page)
    return BuiltReport(path=path, size_bytes=path.stat().st_size, seconds=time.perf_counter() - started,
                       sections=results)


def javascript_bundle(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and vega-embed as one script, for the Vega-Lite version Altair writes (offline).

    Bundling takes seconds, so the script is kept in ``cache_dir`` (a home's ``cache/``), one file per
    vl-convert and Vega-Lite version, and read from there the next time.
    """
    from importlib.metadata import version

    from altair.vegalite import SCHEMA_VERSION

    vl_version = "_".join(SCHEMA_VERSION.lstrip("v").split(".")[:2])
    if cache_dir is None:
        return _bundle(vl_version)
    cached = cache_dir / f"vega-bundle_vl-convert-{version('vl-convert-python')}_vega-lite-{vl_version}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    bundle = _bundle(vl_version)
    with contextlib.suppress(OSError):  # a home we may not write to: the next report bundles again
        _write_atomically(cached, bundle)
    return bundle


@functools.cache
def _bundle(vl_version: str) -> str:
    import vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_version)


def _write_atomically(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def _rows(con: duckdb.DuckDBPyConnection, query: rq.Query,
          params: dict[str, Any] | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    cursor = con.execute(query.sql, params or {})
    columns = [d[0] for d in cursor.description]
    return columns, [{c: _clean(v) for c, v in zip(columns, row, strict=True)} for row in cursor.fetchall()]


def _run_section(con: duckdb.DuckDBPyConnection, section: Section) -> SectionResult:
    columns, rows = _rows(con, section.query)
    extra = section.extra(con)
    files = {f for row in rows for f in _files_of(row.get("source_file"))}
    files |= set(extra.get("source_files", ()))
    _, source_rows = _rows(con, rq.SOURCES, {"files": sorted(files)})
    data = ChartData(rows=rows, columns=columns, sources=[Source(**s) for s in source_rows], extra=extra)
    if rows:
        period = section.period(data)
        spec = section.spec(data, _title(section, data, period))
        return SectionResult(section, data, spec, None, period, section.notes(data))
    return SectionResult(section, data, None, section.empty(data), "", section.notes(data))


def _files_of(value: Any) -> list[str]:
    """The source files a row names: one (a varchar) or several (a list)."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _warehouse_info(con: duckdb.DuckDBPyConnection, home: Home) -> dict[str, Any]:
    from orchestration.runner import latest_run

    _, (info,) = _rows(con, rq.WAREHOUSE)
    published = datetime.fromtimestamp(home.warehouse.stat().st_mtime, UTC)
    return {"path": str(home.warehouse), "published": published, "run": latest_run(home), **info}


@functools.cache
def _publishers() -> dict[str, str]:
    from ingestion.sources import source_formats

    return {name: fmt.publisher for name, fmt in source_formats().items()}


# -- wording helpers ---------------------------------------------------------------------------


def _month_span(rows: Iterable[dict[str, Any]], column: str = "month") -> str:
    months = [r[column] for r in rows if r.get(column) is not None]
    if not months:
        return ""
    first, last = min(months), max(months)
    return f"{first:%b %Y} – {last:%b %Y}" if first != last else f"{first:%b %Y}"


def _source_line(data: ChartData) -> str:
    """One line naming the files behind a chart, for its subtitle (and so its screenshot)."""
    parts = []
    for s in data.sources:
        name = s.source_file.rsplit("/", 1)[-1]
        if s.source == "extract":
            parts.append(f"{s.publisher} {name}, loaded {s.loaded_at:%Y-%m-%d}")
        else:
            release = f"release {s.release}, " if s.release else ""
            as_of = f"as of {s.as_of_date}" if s.as_of_date else "release date not stated"
            parts.append(f"{s.publisher} ({s.source}), {name}, {release}{as_of}, loaded {s.loaded_at:%Y-%m-%d}")
    if len(parts) > 2:  # a subtitle is one line: name the publishers, the table below the chart lists the files
        publishers = sorted({s.publisher for s in data.sources})
        return f"Sources: {len(parts)} files from {'; '.join(publishers)} (each listed below the chart)"
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts)


def _title(section: Section, data: ChartData, period: str) -> alt.TitleParams:
    return alt.TitleParams(text=section.title, subtitle=[_what(section, period), _source_line(data)],
                           anchor="start", fontSize=15, subtitleFontSize=11, subtitleColor="#444")


def _what(section: Section, period: str) -> str:
    return f"{section.what}; {period}" if period else f"{section.what}."


def _utc_month(field_name: str, title: str, domain: tuple[date, date] | None = None) -> alt.X:
    """A month axis in UTC (a month is the same month in every time zone), optionally over [first, last]."""
    scale = alt.Scale() if domain is None else alt.Scale(domain=[
        alt.DateTime(year=d.year, month=d.month, date=1, utc=True) for d in domain])
    return alt.X(f"utcyearmonth({field_name}):T", title=title, scale=scale,
                 axis=alt.Axis(format="%b %Y", labelAngle=-40))


# -- 1. country × issue heatmap ----------------------------------------------------------------


def _heatmap_extra(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    _, issues = _rows(con, rq.HEATMAP_ISSUES)
    return {"issues": [i["issue_label"] for i in issues]}


def _heatmap_spec(data: ChartData, title: alt.TitleParams) -> dict[str, Any]:
    chart = alt.Chart(alt.Data(name="rows"), name="heatmap").transform_calculate(
        who="datum.stance_actor || 'not named in the statement'",
    ).mark_rect(stroke="white", strokeWidth=1).encode(
        x=alt.X("issue_label:N", title=None, scale=alt.Scale(domain=data.extra["issues"]),
                axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=220)),
        y=alt.Y("country_name:N", title=None, sort="ascending"),
        color=alt.Color("stance:N", title="Stance", scale=alt.Scale(domain=list(STANCES), range=list(STANCE_COLOURS)),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=[
            alt.Tooltip("country_name:N", title="Country"),
            alt.Tooltip("issue_label:N", title="Issue"),
            alt.Tooltip("stance:N", title="Stance"),
            alt.Tooltip("stance_summary:N", title="Summary"),
            alt.Tooltip("who:N", title="Who"),
            alt.Tooltip("stance_on:N", title="Date"),
            alt.Tooltip("stance_source:N", title="Source"),
            alt.Tooltip("evidence_count:Q", title="Evidence rows"),
            alt.Tooltip("source_file:N", title="File"),
            alt.Tooltip("source_row:Q", title="Row"),
        ],
    ).properties(width=alt.Step(58), height=alt.Step(22), title=title)
    return chart.to_dict()


def _heatmap_period(data: ChartData) -> str:
    dates = [r["stance_on"] for r in data.rows if r.get("stance_on")]
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    return f"statements of {first:%d %b %Y}" + (f" – {last:%d %b %Y}" if last != first else "")


def _heatmap_notes(data: ChartData) -> list[str]:
    countries = len({r["country"] for r in data.rows})
    return [
        f"{len(data.rows)} cells: the rows of marts.country_issue with a stance, for {countries} "
        "countries, blocs or organisations. A blank cell has no stated stance in the warehouse (it is not "
        "neutral); countries with no stance on any issue are left out.",
        "A bloc's stance is the bloc's own statement, never its members' (and vice versa).",
    ]


HEATMAP = Section(
    key="heatmap",
    title="Who stands where: stances by country and issue",
    what="Current stated stance per country (or bloc) and issue, hover a cell for the statement",
    query=rq.HEATMAP_CELLS,
    spec=_heatmap_spec,
    period=_heatmap_period,
    empty=lambda data: "No positions loaded: no country_issue row has a stance. Ingest a positions extract "
                       "(pledgewatch ingest FILE --dataset positions) to see this chart.",
    notes=lambda data: _heatmap_notes(data) if data.rows else [],
    extra=_heatmap_extra,
)


# -- 2. Kiel: allocated vs committed -----------------------------------------------------------

#: Kiel's two running totals, in Kiel's words.
KIEL_SERIES = {"committed_cumulative_eur": "Committed (cumulative)",
               "allocated_cumulative_eur": "Allocated (cumulative)"}
#: How a month is marked: a complete month, or the release's last (partial) one.
KIEL_MONTHS = ("complete month", "partial month (the release's last; Kiel revises it)")


def _kiel_default_donor(data: ChartData) -> str:
    """The donor with the largest cumulative commitments, shown first."""
    latest: dict[str, float] = {}
    for r in data.rows:
        value = r["committed_cumulative_eur"]
        if value is not None:
            latest[r["donor"]] = max(latest.get(r["donor"], value), value)
    return max(latest, key=lambda d: latest[d]) if latest else data.rows[0]["donor"]


def _kiel_spec(data: ChartData, title: alt.TitleParams) -> dict[str, Any]:
    donors = sorted({(r["donor_name"], r["donor"]) for r in data.rows})
    donor = alt.param(name="donor", value=_kiel_default_donor(data),
                      bind=alt.binding_select(options=[d for _, d in donors], labels=[n for n, _ in donors],
                                              name="Donor: "))
    base = (
        alt.Chart(alt.Data(name="rows"), name="kiel")
        .transform_filter(alt.datum.donor == donor)
        .transform_fold(list(KIEL_SERIES), as_=["series_key", "eur"])
        .transform_calculate(
            series=f"{json.dumps(KIEL_SERIES)}[datum.series_key]",
            eur_bn="datum.eur == null ? null : datum.eur / 1e9",
            month_state=f"datum.is_partial ? {json.dumps(KIEL_MONTHS[1])} : {json.dumps(KIEL_MONTHS[0])}",
        )
        .encode(
            x=_utc_month("month", "Month (Kiel's month of the commitment or allocation)"),
            y=alt.Y("eur_bn:Q", title="EUR billion, cumulative since the donor's first month"),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=list(KIEL_SERIES.values()),
                                                                     range=["#6a51a3", "#238b45"]),
                            legend=alt.Legend(orient="top")),
        )
    )
    line = base.mark_line(interpolate="step-after")
    points = base.mark_point(filled=True, size=36).encode(
        shape=alt.Shape("month_state:N", title=None, scale=alt.Scale(domain=list(KIEL_MONTHS),
                                                                     range=["circle", "triangle-down"]),
                        legend=alt.Legend(orient="top", labelLimit=400)),
        tooltip=[
            alt.Tooltip("donor_name:N", title="Donor"),
            alt.Tooltip("utcyearmonth(month):T", title="Month", format="%b %Y"),
            alt.Tooltip("month_state:N", title="Month reported"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("eur:Q", title="EUR", format=",.0f"),
            alt.Tooltip("committed_not_allocated_eur:Q", title="Committed, not yet allocated (EUR)", format=",.0f"),
            alt.Tooltip("source_label:N", title="Release"),
            alt.Tooltip("publisher_rows:N", title="Kiel rows"),
        ],
    )
    chart = alt.layer(line, points).add_params(donor).properties(width=CHART_WIDTH, height=320, title=title)
    spec = chart.to_dict()
    # the donor shown is named in the title, so a screenshot or an exported PNG says whose figures they are
    names = {code: name for name, code in donors}
    spec["title"]["text"] = {"expr": f"{json.dumps(spec['title']['text'] + ': ')} + {json.dumps(names)}[donor]"}
    return spec


def _kiel_notes(data: ChartData) -> list[str]:
    notes = [
        "In Kiel's terms: allocated = aid specific and earmarked (fct_pledges rows of the current kiel-ust release, "
        "status allocated, Kiel's military, financial and humanitarian columns summed); committed = Kiel's "
        "`commitments` (fct_pledge_commitments.commitments_eur). Both are summed from the donor's first month; the "
        "gap between them is Kiel's committed-but-not-yet-allocated figure (its running `to_be_allocated`, "
        "committed_not_allocated_eur, in the tooltip and the table).",
        "Kiel lists a donor-month only when something was committed or allocated in it: between points the "
        "line stays flat (a step), it is not interpolated.",
        "European Union (its institutions) is Kiel's EU, the Commission and Council (EUU), not the sum of the "
        "member states, which are donors of their own.",
    ]
    partial = sorted({r["month"] for r in data.rows if r["is_partial"]})
    if partial:
        months = ", ".join(f"{m:%b %Y}" for m in partial)
        notes.append(f"{months} is the release's last month, which Kiel had not finished reporting (is_partial; "
                     "marked ▼): a later release may revise it.")
    same = sorted({r["donor_name"] for r in data.rows if r["has_separate_commitments"] is False})
    if same:
        notes.append(f"For {len(same)} donors ({', '.join(same)}) Kiel's commitments equal its allocations in every "
                     "month, so the two lines coincide; the figures (country_issue_figures) leave their "
                     "committed_not_allocated_eur NULL, as Kiel gives no separate commitments for them.")
    notes += _kiel_ahead_note(data)
    notes.append("Hand-written pledge extracts are not in this chart; where Kiel covers the same donor and month, "
                 "fct_pledges keeps them with counted_in_figures = false.")
    return notes


def _kiel_ahead_note(data: ChartData) -> list[str]:
    """Where Kiel's allocations run ahead of its commitments, say so rather than let the lines puzzle."""
    ahead = [r for r in data.rows if (r["committed_not_allocated_eur"] or 0) < -0.5]
    if not ahead:
        return []
    donors = len({r["donor"] for r in ahead})
    return [f"In {len(ahead):,} donor-months ({donors} donors) Kiel's figures put the allocations so far above the "
            "commitments so far (committed_not_allocated_eur below zero): the allocated line is then above the "
            "committed one. The chart shows the figures as Kiel publishes them."]


KIEL = Section(
    key="kiel",
    title="Aid to Ukraine: committed vs allocated, per donor",
    what="Kiel Ukraine Support Tracker: commitments and allocations (military, financial, humanitarian together), "
         "EUR, cumulative per month",
    query=rq.KIEL_ALLOCATED_VS_COMMITTED,
    spec=_kiel_spec,
    period=lambda data: _month_span(data.rows),
    empty=lambda data: "No Kiel release loaded: load kiel-ust to see this chart "
                       "(pledgewatch pull kiel-ust, or pledgewatch ingest data_explorer.csv).",
    notes=lambda data: _kiel_notes(data) if data.rows else [],
)


# -- 3. US obligations and disbursements -------------------------------------------------------

#: ForeignAssistance.gov's two measures, in its words, with a colour each.
US_MEASURES = {"obligations": "Obligations (legally committed)", "disbursements": "Disbursements (paid out)"}
US_COLOURS = ("#2166ac", "#b35806")
#: How a fiscal year is drawn: reported in full, or the release's latest, which it had not finished reporting.
US_YEARS = ("complete fiscal year", "partial fiscal year: reported so far, not a fall")


def _us_partial_years(data: ChartData) -> list[int]:
    return sorted({r["fiscal_year"] for r in data.rows if r["is_partial"]})


def _us_spec(data: ChartData, title: alt.TitleParams) -> dict[str, Any]:
    years = [r["fiscal_year"] for r in data.rows]
    domain = list(range(min(years), max(years) + 1))
    partial = _us_partial_years(data)
    # the partial year is named as such on the axis, drawn pale and dashed, and listed in the legend
    label = f"indexof({json.dumps(partial)}, datum.value) >= 0 ? 'FY' + datum.value + ' (partial)' : 'FY' + datum.value"
    bars = (
        alt.Chart(alt.Data(name="rows"), name="us_aid")
        .transform_calculate(
            usd_bn="datum.amount_usd == null ? null : datum.amount_usd / 1e9",
            measure_label=f"{json.dumps(US_MEASURES)}[datum.measure]",
            year_state=f"datum.is_partial ? {json.dumps(US_YEARS[1])} : {json.dumps(US_YEARS[0])}",
        )
        .mark_bar(strokeWidth=1.5)
        .encode(
            x=alt.X("fiscal_year:O", title="US fiscal year (October to September, named by the year it ends)",
                    scale=alt.Scale(domain=domain), axis=alt.Axis(labelAngle=-60, labelExpr=label)),
            xOffset=alt.XOffset("measure_label:N", scale=alt.Scale(domain=list(US_MEASURES.values()))),
            y=alt.Y("usd_bn:Q", title="USD billion (current), in the fiscal year"),
            color=alt.Color("measure_label:N", title=None, scale=alt.Scale(domain=list(US_MEASURES.values()),
                                                                           range=list(US_COLOURS)),
                            legend=alt.Legend(orient="top")),
            opacity=alt.Opacity("year_state:N", title=None, scale=alt.Scale(domain=list(US_YEARS), range=[1.0, 0.35]),
                                legend=alt.Legend(orient="top", labelLimit=400)),
            stroke=alt.condition("datum.is_partial", alt.value("#333"), alt.value(None)),
            strokeDash=alt.condition("datum.is_partial", alt.value([3, 2]), alt.value([1, 0])),
            tooltip=[
                alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                alt.Tooltip("period_from:N", title="From"),
                alt.Tooltip("period_to:N", title="To"),
                alt.Tooltip("measure_label:N", title="Measure"),
                alt.Tooltip("amount_usd:Q", title="USD", format=",.0f"),
                alt.Tooltip("year_state:N", title="Fiscal year reported"),
                alt.Tooltip("source_label:N", title="Release"),
                alt.Tooltip("publisher_rows:N", title="Publisher rows"),
            ],
        )
    )
    # above each partial year, in words: what its bars are
    flag = (
        alt.Chart(alt.Data(name="rows"))
        .transform_filter("datum.is_partial")
        .transform_aggregate(top="max(amount_usd)", groupby=["fiscal_year"])
        .transform_calculate(usd_bn="max(datum.top, 0) / 1e9", text="'partial: reported so far'")
        .mark_text(angle=270, align="left", baseline="middle", dx=6, fontSize=11, color="#333")
        .encode(x=alt.X("fiscal_year:O"), y=alt.Y("usd_bn:Q"), text="text:N")
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color="#333").encode(y="y:Q")
    layers = [bars, flag, zero] if partial else [bars, zero]
    return alt.layer(*layers).properties(width=CHART_WIDTH, height=300, title=title).to_dict()


def _us_period(data: ChartData) -> str:
    years = [r["fiscal_year"] for r in data.rows]
    partial = _us_partial_years(data)
    text = f"FY{min(years)} – FY{max(years)}"
    return text + (f" (FY{', FY'.join(map(str, partial))} partial)" if partial else "")


def _us_notes(data: ChartData) -> list[str]:
    notes = [
        "Obligations are funds the US legally committed, disbursements funds it paid out, as ForeignAssistance.gov "
        "reports them (fct_aid_levels, measure obligations and disbursements): every US agency and programme "
        "together, in current US dollars (not adjusted for inflation). A fiscal year runs from 1 October to "
        "30 September and is named by the year it ends (until FY1976: 1 July to 30 June). An amount is negative "
        "where deobligations exceed new obligations.",
    ]
    partial = _us_partial_years(data)
    if partial:
        as_of = sorted({str(r["source_as_of"]) for r in data.rows if r["is_partial"] and r["source_as_of"]})
        cutoff = f" (data to {', '.join(as_of)})" if as_of else ""
        notes.append(f"FY{', FY'.join(map(str, partial))} is partial: the release{cutoff} had not finished reporting "
                     "it, so its bars (pale, dashed outline) are what was reported so far, not a fall in aid. "
                     "The figures that compare years (country_issue_figures, *_latest_full_fy) leave it out.")
    present = {(r["fiscal_year"], r["measure"]) for r in data.rows}
    every = range(min(y for y, _ in present), max(y for y, _ in present) + 1)
    gaps = [f"{measure} for {_fiscal_years(missing)}" for measure in US_MEASURES
            if (missing := [y for y in every if (y, measure) not in present])]
    if gaps:
        notes.append(f"The release gives no {' and no '.join(gaps)}: a fiscal year without a bar has no amount "
                     "there, it is not a zero.")
    return notes


def _fiscal_years(years: Iterable[int]) -> str:
    """Fiscal years as runs: ``FY1990–FY2000, FY2003``."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"FY{r[0]}" if len(r) == 1 else f"FY{r[0]}–FY{r[-1]}" for r in runs)


US_AID = Section(
    key="us_aid",
    title="US aid to Ukraine: obligations and disbursements per fiscal year",
    what="ForeignAssistance.gov, all programmes: obligations (legally committed) and disbursements (paid out) to "
         "Ukraine, current USD per US fiscal year",
    query=rq.US_AID_LEVELS,
    spec=_us_spec,
    period=_us_period,
    empty=lambda data: "No ForeignAssistance.gov release with obligations or disbursements to Ukraine loaded: "
                       "load us-foreign-assistance (pledgewatch pull us-foreign-assistance, or pledgewatch ingest "
                       "us_foreign_aid_country.csv) to see this chart.",
    notes=lambda data: _us_notes(data) if data.rows else [],
)


# -- 4. CREA: Russian fossil export value by destination ---------------------------------------


def _crea_spec(data: ChartData, title: alt.TitleParams) -> dict[str, Any]:
    products = sorted({r["product"] for r in data.rows})
    product = alt.param(name="product", value="all",
                        bind=alt.binding_radio(options=["all", *products],
                                               labels=["all fossil fuels", *products], name="Product: "))
    chart = (
        alt.Chart(alt.Data(name="rows"), name="crea")
        .transform_filter("product == 'all' || datum.product == product")
        .transform_calculate(eur_bn="datum.value_eur == null ? null : datum.value_eur / 1e9",
                             month_state="datum.is_partial ? 'partial: the file covers part of it' : 'complete'")
        .mark_bar()
        .encode(
            x=_utc_month("month", "Month"),
            y=alt.Y("eur_bn:Q", title="EUR billion per month", stack="zero"),
            color=alt.Color("destination_name:N", title="Destination", legend=alt.Legend(orient="right",
                                                                                         labelLimit=260)),
            order=alt.Order("product:O"),
            tooltip=[
                alt.Tooltip("destination_name:N", title="Destination"),
                alt.Tooltip("destination:N", title="Code"),
                alt.Tooltip("product:N", title="Product"),
                alt.Tooltip("utcyearmonth(month):T", title="Month", format="%b %Y"),
                alt.Tooltip("month_state:N", title="Month reported"),
                alt.Tooltip("value_eur:Q", title="Value (EUR)", format=",.0f"),
                alt.Tooltip("days_with_data:Q", title="Days with a value in CREA's file"),
                alt.Tooltip("source_label:N", title="Release"),
                alt.Tooltip("publisher_rows:N", title="CREA rows"),
            ],
        )
        .add_params(product)
        .properties(width=CHART_WIDTH - 160, height=320, title=title)
    )
    return chart.to_dict()


def _crea_notes(data: ChartData) -> list[str]:
    skipped = sum(s.rows_skipped or 0 for s in data.sources if s.source == "crea-values")
    names = {r["destination"]: r["destination_name"] for r in data.rows}
    groups = [f"its `EU` is \u201c{names['EU_MEMBER_STATES']}\u201d (EU_MEMBER_STATES), one destination, not split "
              "by member state" if "EU_MEMBER_STATES" in names else "",
              f"its `Others` is \u201c{names['OTHERS_CREA']}\u201d (OTHERS_CREA), the destinations CREA does not "
              "name one by one" if "OTHERS_CREA" in names else ""]
    groups = [g for g in groups if g]
    notes = [
        "CREA's estimate of the value of Russia's exports by destination (its `Without price cap` column), summed "
        "over the days of each month. The destinations are CREA's own"
        + (": " + "; ".join(groups) if groups else "") + ".",
        "A month's bar adds only the days CREA's file has a value for (hover: days with a value); a destination "
        "without a bar in a month has no row in the file for it.",
    ]
    if skipped:
        notes.append(f"{skipped:,} rows of the file were skipped on load (meta.source_releases.rows_skipped; the "
                     "load's issue log lists each with its reason): the bars do not add up to CREA's total.")
    else:
        notes.append("0 rows of the file were skipped on load (meta.source_releases.rows_skipped): every destination "
                     "in CREA's file is drawn, its Others included.")
    partial = sorted({r["month"] for r in data.rows if r["is_partial"]})
    if partial:
        notes.append(f"{', '.join(f'{m:%b %Y}' for m in partial)}: the file covers only part of the month "
                     "(is_partial); its bar is not a fall.")
    return notes


CREA = Section(
    key="crea",
    title="Russian fossil fuel exports by destination",
    what="CREA Russia fossil tracker: value of Russian oil, gas and coal exports per destination, EUR per month",
    query=rq.CREA_EXPORT_VALUES,
    spec=_crea_spec,
    period=lambda data: _month_span(data.rows),
    empty=lambda data: "No CREA values release loaded: load crea-values to see this chart "
                       "(pledgewatch ingest price_cap_ts.csv).",
    notes=lambda data: _crea_notes(data) if data.rows else [],
)


# -- 5a. designations added and removed --------------------------------------------------------


def _designations_spec(data: ChartData, title: alt.TitleParams) -> dict[str, Any]:
    kinds = {"additions": "added (listed or relisted)", "removed": "removed (delisted)"}
    chart = (
        alt.Chart(alt.Data(name="rows"), name="designations")
        .transform_calculate(removed="-datum.delistings")
        .transform_fold(["additions", "removed"], as_=["kind_key", "entries"])
        .transform_calculate(kind=f"{json.dumps(kinds)}[datum.kind_key]")
        .mark_bar()
        .encode(
            x=_utc_month("month", "Month of the later snapshot", _designations_months(data)),
            y=alt.Y("entries:Q", title="Entries (added above zero, removed below)", axis=_count_axis(
                -max(r["delistings"] for r in data.rows), max(r["additions"] for r in data.rows))),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(kinds.values()),
                                                                   range=["#b2182b", "#2166ac"]),
                            legend=alt.Legend(orient="top")),
            row=alt.Row("list_label:N", title="List (kept by)"),
            tooltip=[
                alt.Tooltip("list_label:N", title="List (kept by)"),
                alt.Tooltip("utcyearmonth(month):T", title="Month", format="%b %Y"),
                alt.Tooltip("additions:Q", title="Added"),
                alt.Tooltip("delistings:Q", title="Removed"),
                alt.Tooltip("earliest_previous_snapshot:N", title="Compared with snapshot of"),
                alt.Tooltip("latest_snapshot:N", title="Snapshot of"),
            ],
        )
        .properties(width=CHART_WIDTH, height=220, title=title)
    )
    return chart.to_dict()


def _count_axis(low: int, high: int) -> alt.Axis:
    """An axis of whole counts: every integer where there are few (Vega would put ticks at halves), else whole steps."""
    if high - low <= 10:
        return alt.Axis(values=list(range(min(low, 0), max(high, 0) + 1)), format="d")
    return alt.Axis(tickMinStep=1, format="d")


def _designations_months(data: ChartData) -> tuple[date, date]:
    """From the month of the earliest snapshot compared to the month after the latest: months without changes show."""
    first = min(r["earliest_previous_snapshot"] or r["month"] for r in data.rows)
    last = max(r["month"] for r in data.rows)
    after = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return date(first.year, first.month, 1), after


def _designation_lists(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    lists = _rows(con, rq.DESIGNATION_LISTS)[1]
    return {"lists": lists, "source_files": sorted({f for x in lists for f in _files_of(x["source_file"])})}


def _designations_empty(data: ChartData) -> str:
    lists = data.extra["lists"]
    if not lists:
        return ("No sanctions list snapshot loaded: load two or more snapshots of a list (e.g. ofac-sdn: "
                "pledgewatch pull ofac-sdn, or pledgewatch ingest sdn.csv --as-of DATE) to see this chart.")
    described = "; ".join(
        f"{x['list_id']} ({x['imposed_by']}): "
        + (f"one snapshot, of {x['latest_snapshot']}" if x["first_snapshot"] == x["latest_snapshot"]
           else f"snapshots from {x['first_snapshot']} to {x['latest_snapshot']}")
        + f", {x['listed_now']:,} entries listed" for x in lists)
    single = all(x["first_snapshot"] == x["latest_snapshot"] for x in lists)
    if single:
        return (f"Only one snapshot of each list is loaded ({described}). Additions and removals are found by "
                "comparing two snapshots of the same list: load a later (or earlier) snapshot to see this chart.")
    return f"No entry was added or removed between the snapshots loaded ({described})."


DESIGNATIONS = Section(
    key="designations",
    title="Sanctions lists: entries added and removed per month",
    what="Entries listed or relisted, and delisted, between consecutive snapshots of each list, per month",
    query=rq.DESIGNATION_CHANGES,
    spec=_designations_spec,
    period=lambda data: _month_span(data.rows),
    empty=_designations_empty,
    notes=lambda data: [
        "A change counts in the month of the later of the two snapshots compared: the entry was added or removed "
        "at some point between them, which the snapshots cannot date more precisely. A list's first snapshot "
        "adds nothing. Renames and programme changes are not counted.",
    ] if data.rows else [],
    extra=_designation_lists,
)


# -- 5b. measures in force per imposer ---------------------------------------------------------


def _sanctions_spec(data: ChartData, title: alt.TitleParams) -> dict[str, Any]:
    scope = alt.param(name="scope", value="measures",
                      bind=alt.binding_radio(options=["measures", "measures_on_russia"],
                                             labels=["all targets", "Russia only"], name="Targets: "))
    chart = (
        alt.Chart(alt.Data(name="rows"), name="sanctions")
        .transform_fold(["measures", "measures_on_russia"], as_=["scope_key", "count"])
        .transform_filter("datum.scope_key == scope && datum.count > 0")
        .mark_bar()
        .encode(
            y=alt.Y("imposed_by_name:N", title=None, sort="-x"),
            x=alt.X("count:Q", title="Measures in force (count)", stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("measure_type:N", title="Measure type", legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("imposed_by_name:N", title="Imposed by"),
                alt.Tooltip("measure_type:N", title="Measure type"),
                alt.Tooltip("count:Q", title="Measures in force"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
        .add_params(scope)
        .properties(width=CHART_WIDTH - 200, height=alt.Step(14),
                    title=title)
    )
    return chart.to_dict()


def _sanctions_notes(data: ChartData) -> list[str]:
    notes = [
        "A measure counts when its latest report, in a current file, gives status in_force (fct_sanctions: extracts "
        "and the latest release of each publisher); one GSDB case gives one measure per sender, target and measure "
        "type. A bloc's measures are the bloc's own, never its members': the EU's are those of its institutions "
        "(EUU, European Union (its institutions)), each member state's are its own.",
    ]
    if any(s.source == "gsdb" for s in data.sources):
        notes.append("GSDB records cases by year: in force there means the case was ongoing in the data's last year, "
                     "not on the day this report was built.")
    return notes


SANCTIONS = Section(
    key="sanctions",
    title="Sanctions measures in force, per imposer",
    what="Measures with status in force, per imposing country or bloc and measure type, count",
    query=rq.MEASURES_IN_FORCE,
    spec=_sanctions_spec,
    period=lambda data: f"{len({r['imposed_by'] for r in data.rows})} imposers; status per each measure's "
                        "latest report",
    empty=lambda data: "No sanctions measure in force is loaded: load the Global Sanctions Data Base (gsdb) "
                       "or a sanctions extract with measures in force to see this chart.",
    notes=lambda data: _sanctions_notes(data) if data.rows else [],
)

#: The report's sections, in page order.
SECTIONS: tuple[Section, ...] = (HEATMAP, KIEL, US_AID, CREA, DESIGNATIONS, SANCTIONS)


# -- the page ----------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot put {type(value).__name__} in the report: {value!r}")


def _clean(value: Any) -> Any:
    """A value JSON can carry: NaN and infinities become null (unknown), never a number."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _script_json(payload: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    text = json.dumps(payload, default=_json_default, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _cell(value: Any) -> str:
    if value is None:
        return '<td class="null">–</td>'
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        text, cls = str(value).lower(), ""
    elif isinstance(value, int):
        text, cls = f"{value:,}", "num"
    elif isinstance(value, float | Decimal):
        number = float(value)
        text, cls = (f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"), "num"
    elif isinstance(value, datetime):
        text, cls = value.isoformat(sep=" ", timespec="seconds"), ""
    elif isinstance(value, date):
        text, cls = value.isoformat(), ""
    else:
        text, cls = str(value), ""
    shown = text if len(text) <= 140 else text[:139] + "…"
    title = f' title="{html.escape(text)}"' if shown != text else ""
    klass = f' class="{cls}"' if cls else ""
    return f"<td{klass}{title}>{html.escape(shown)}</td>"


def _table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(r.get(c)) for c in columns) + "</tr>" for r in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _sources_table(sources: list[Source]) -> str:
    if not sources:
        return '<p class="muted">None: the chart\'s query found no rows.</p>'
    rows = [{
        "publisher": s.publisher, "source": s.source, "file": s.source_file, "release": s.release,
        "release as of": s.as_of_text, "data cover": s.covers_text, "release key": s.release_key or None,
        "rows loaded": s.row_count, "rows skipped": s.rows_skipped, "sha256": s.source_sha256[:12],
        "loaded at (UTC)": s.loaded_at,
    } for s in sources]
    return _table(list(rows[0]), rows)


def _section_html(result: SectionResult) -> str:
    s, data = result.section, result.data
    key = html.escape(s.key)
    attrs = f'id="{key}" data-section="{key}" data-rows="{len(data.rows)}"'
    if s is HEATMAP:
        attrs += f' data-cell-count="{len(data.rows)}"'
    parts = [f'<section {attrs}>', f"<h2>{html.escape(s.title)}</h2>"]
    if result.has_chart:  # the chart's own title and subtitle say what it shows, and travel with its export
        parts.append(f'<div class="chart" id="chart-{key}" data-chart="{key}"></div>')
    else:
        parts.append(f'<p class="what">{html.escape(_what(s, ""))}</p>')
        parts.append(f'<div class="empty" id="chart-{key}" data-empty="true"><strong>No chart.</strong> '
                     f"{html.escape(result.empty_message or '')}</div>")
    if result.notes:
        parts.append("<ul class=\"notes\">" + "".join(f"<li>{html.escape(n)}</li>" for n in result.notes) + "</ul>")
    parts.append("<h3>Sources</h3>" + _sources_table(data.sources))
    shown = data.rows[:TABLE_ROWS]
    summary = (f"Rows behind this chart: {len(data.rows):,} (query <code>{html.escape(s.query.name)}</code>"
               + (f"; the first {len(shown)} shown" if len(shown) < len(data.rows) else "") + ")")
    download = (f' <button type="button" class="csv" data-csv="{key}">Download all {len(data.rows):,} rows as CSV'
                "</button>") if data.rows else ""
    parts.append(
        f"<details class=\"rows\"><summary>{summary}</summary>{download}"
        + (_table(data.columns, shown) if shown else '<p class="muted">The query returned no rows.</p>')
        + "<p>The same rows from the command line: <code>pledgewatch query \"…\"</code> with this query:</p>"
        + f"<pre>{html.escape(s.query.sql.strip())}</pre></details>"
    )
    parts.append("</section>")
    return "\n".join(parts)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       margin: 0 auto; max-width: 1080px; padding: 1rem 1.5rem 4rem; color: #1a1a1a; line-height: 1.45; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.25rem; margin: 0 0 .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
section { border-top: 3px solid #2a4d69; padding: 1rem 0 1.5rem; margin-top: 1.5rem; }
.what { margin: 0 0 .75rem; color: #333; }
.empty { border: 2px dashed #b58900; background: #fdf6e3; padding: 1.25rem; color: #5c4500; }
.notes { font-size: .9rem; color: #333; } .muted { color: #666; } .null { color: #999; }
.scroll { overflow-x: auto; max-height: 28rem; overflow-y: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: .8rem; width: 100%; }
th, td { border-bottom: 1px solid #eee; padding: .2rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; position: sticky; top: 0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: .75rem; }
details.rows { margin-top: .75rem; } summary { cursor: pointer; font-weight: 600; }
button.csv { margin: .5rem 0; } dl.meta { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.chart-error { color: #b2182b; font-weight: 600; }
.vega-embed { max-width: 100%; overflow-x: auto; }
"""

_SCRIPT = """
(function () {
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const options = {renderer: 'svg', actions: {export: true, source: false, compiled: false, editor: false}};
  const pending = Object.entries(report.specs).map(([key, spec]) => {
    spec.datasets = Object.assign({}, spec.datasets || {}, {rows: report.rows[key]});
    const target = document.getElementById('chart-' + key);
    return vegaEmbed(target, spec, options).then(() => { target.dataset.rendered = 'true'; })
      .catch((error) => {
        target.insertAdjacentHTML('beforeend', '<p class="chart-error">This chart could not be drawn.</p>');
        console.error('chart ' + key + ' failed:', error);
        throw error;
      });
  });
  Promise.allSettled(pending).then(() => { document.body.dataset.reportReady = 'true'; });

  function csvValue(value) {
    if (value === null || value === undefined) return '';
    let text = Array.isArray(value) ? value.join('; ') : String(value);
    if (typeof value === 'string' && /^[=+\\-@\\t\\r]/.test(text) && isNaN(Number(text))) text = "'" + text;
    return /[",\\n\\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  document.querySelectorAll('button[data-csv]').forEach((button) => {
    button.addEventListener('click', () => {
      const columns = report.columns[button.dataset.csv];
      const lines = [columns.map(csvValue).join(',')]
        .concat(report.rows[button.dataset.csv].map((row) => columns.map((c) => csvValue(row[c])).join(',')));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([lines.join('\\n') + '\\n'], {type: 'text/csv'}));
      link.download = 'pledgewatch-' + button.dataset.csv + '.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
  });
})();
"""


def _render_page(results: list[SectionResult], warehouse: dict[str, Any], built_at: datetime, bundle: str,
                 seconds: float) -> str:
    # each section's rows are embedded once: the chart draws them, the CSV button writes them
    payload = {
        "specs": {r.section.key: r.spec for r in results if r.has_chart},
        "rows": {r.section.key: r.data.rows for r in results},
        "columns": {r.section.key: r.data.columns for r in results},
    }
    run = warehouse.get("run")
    run_text = "none recorded in this home"
    if warehouse.get("building_run"):
        run_text = f"{warehouse['building_run'][:8]}, which published the warehouse and then built this report"
    elif run:
        outcome = "succeeded" if run.get("success") else "FAILED"
        run_text = f"{run['run_id'][:8]}, {outcome}, finished {run.get('finished_at')}"
    latest_load = warehouse.get("latest_load")
    files_text = f"{warehouse['files_loaded']:,}"
    if latest_load:
        files_text += f", the latest loaded {latest_load:%Y-%m-%d %H:%M:%S} UTC"
    published = f"{warehouse['published']:%Y-%m-%d %H:%M:%S} UTC"
    contents = "".join(
        f'<li><a href="#{html.escape(r.section.key)}">{html.escape(r.section.title)}</a> — '
        + (f"{len(r.data.rows):,} rows" if r.has_chart else "no chart (see why)") + "</li>" for r in results)
    sections = "\n".join(_section_html(r) for r in results)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pledgewatch report">
<title>pledgewatch report, {built_at:%Y-%m-%d %H:%M} UTC</title>
<link rel="icon" href="data:,">
<style>{_STYLE}</style>
<script>/* Vega, Vega-Lite, vega-embed, bundled by vl-convert */
{bundle}
</script>
</head>
<body>
<header>
<h1>pledgewatch: pledges, aid, Russian fossil exports and sanctions</h1>
<p>Every figure on this page is read from the published warehouse named below; a chart whose input is not loaded
says so instead of showing a zero. Each chart lists the files behind it and the rows it plots.</p>
<dl class="meta">
<dt>Built</dt><dd>{built_at:%Y-%m-%d %H:%M:%S} UTC in {seconds:.1f} s</dd>
<dt>Warehouse</dt><dd><code>{html.escape(warehouse['path'])}</code>, published {published}</dd>
<dt>Files loaded</dt><dd>{files_text}</dd>
<dt>Last run</dt><dd>{html.escape(run_text)}</dd>
</dl>
<nav><h2>Contents</h2><ol>{contents}</ol></nav>
</header>
<main>
{sections}
</main>
<script type="application/json" id="report-data">{_script_json(payload)}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
