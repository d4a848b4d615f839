"""The real OFAC, Canada and UN lists compared entry by entry, through the CLI, checked against the files.

One ingest of the four real files (OFAC's SDN list of 2022-02-24, Canada's SEMA list of
2025-05-25, the UN's lists of 2020 and 2025), one build. Every count asserted is recomputed
here from the files themselves (csv and ElementTree, the reviewed lookups and the name key of
ingestion/normalize/names.py; never the format modules or the marts), and a sample of
well-known people is checked by hand: how each file spells them, and which rule matches them.
The two lists are three years apart: OFAC's snapshot is of the eve of the full-scale invasion,
Canada's of May 2025, so most of Canada's Russia entries are not on that OFAC list.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from ingestion.home import Home
from ingestion.normalize.names import key_of_name
from tests.conftest import REAL_DATA, copy_home, query_home, run_cli

SANCTIONS = REAL_DATA / "sanctions"
SDN = SANCTIONS / "ofac_sdn_2022-02-24.csv"
SEMA = SANCTIONS / "canada_sema_2025-05-25.xml"
UN_OLD = SANCTIONS / "un_consolidated_2020-11-24.xml"
UN_NEW = SANCTIONS / "un_consolidated_2025-04-19.xml"
REFERENCE = Path(__file__).resolve().parents[2] / "ingestion" / "reference"
SEMA_AS_OF = date(2025, 5, 25)
CA, UN, US = "ca_sema", "un_consolidated", "us_ofac_sdn"

pytestmark = pytest.mark.skipif(not all(p.is_file() for p in (SDN, SEMA, UN_OLD, UN_NEW)),
                                reason=f"the real OFAC, Canada and UN lists are not all in {SANCTIONS}")


# --- the files, read here -------------------------------------------------------------------------


def words(name: str) -> str | None:
    """The name key's words in alphabetical order (the mart's "same name")."""
    key = key_of_name(name)
    return " ".join(sorted(key.split(" "))) if key else None


def first_date(values: list[str]) -> str | None:
    """The first of ``values`` that is YYYY, YYYY-MM or YYYY-MM-DD and a real date."""
    for value in values:
        value = value.strip()
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            try:
                datetime.strptime(value + "-01-01"[len(value) - 4:], "%Y-%m-%d")
            except ValueError:
                continue
            return value
    return None


def ofac_dob(remarks: str) -> str | None:
    """OFAC's first ``DOB`` item of the remarks that is a day, a month or a year."""
    for item in re.findall(r"\bDOB [^;]+", remarks):
        text = re.sub(r"(?i)^circa\s+", "", item[4:].strip().strip(" ."))
        for pattern, fmt, out in ((r"\d{1,2} [A-Za-z]{3} \d{4}", "%d %b %Y", "%Y-%m-%d"),
                                  (r"[A-Za-z]{3} \d{4}", "%b %Y", "%Y-%m")):
            if re.fullmatch(pattern, text):
                try:
                    return datetime.strptime(text, fmt).strftime(out)
                except ValueError:
                    break
        else:
            if re.fullmatch(r"\d{4}", text):
                return text
    return None


def ofac_russia_entries() -> dict[str, dict]:
    """OFAC's entries whose programmes target Russia (ingestion/reference/ofac_programme_targets.csv), by ent_num."""
    with (REFERENCE / "ofac_programme_targets.csv").open(encoding="utf-8") as fh:
        russian = {row["programme"] for row in csv.DictReader(fh) if row["target"] == "RUS"}
    text = SDN.read_bytes().decode("latin-1").rstrip("\r\n").removesuffix("\x1a")
    types = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "-0-": "organisation"}
    entries = {}
    for record in csv.reader(io.StringIO(text, newline="")):
        ent_num, name, kind, program, remarks = (record[i].strip() for i in (0, 1, 2, 3, 11))
        programmes = {p.strip("[] ") for p in re.split(r"\]\s*\[", program)}
        if not programmes & russian:
            continue
        entity_type = types[kind.lower()]
        remarks = "" if remarks == "-0-" else remarks
        imo = re.search(r"\bVessel Registration Identification IMO (\d{7})\b", remarks)
        if imo is None and entity_type == "vessel":
            imo = re.search(r"\bIMO (\d{7})\b", remarks)
        entries[ent_num] = {"id": ent_num, "name": name, "type": entity_type, "words": words(name),
                            "dob": ofac_dob(remarks) if entity_type == "person" else None,
                            "imo": imo.group(1) if imo else None}
    return entries


def sema_records() -> list[dict]:
    """Every ``<record>`` of Canada's list: its fields (whitespace collapsed) and its regime's code and target."""
    with (REFERENCE / "canada_sema_regimes.csv").open(encoding="utf-8") as fh:
        regimes = {key_of_name(row["regime"]): (row["code"], row["target"]) for row in csv.DictReader(fh)}
    records = []
    for element in ET.parse(SEMA).getroot().iter("record"):
        fields = {child.tag: " ".join((child.text or "").split()) for child in element}
        fields = {tag: value for tag, value in fields.items() if value}
        fields["code"], fields["target"] = regimes[key_of_name(fields["Country"])]
        records.append(fields)
    return records


def sema_entries(records: list[dict]) -> tuple[dict[str, dict], list[tuple[dict, dict]]]:
    """Canada's entries by identity (regime + name key + date of birth, or regime + IMO number; the first
    record of each), and the records that repeat an earlier one's identity (with that one)."""
    entries, firsts, collisions = {}, {}, []
    for record in records:
        person = record.get("LastName") or record.get("GivenName")
        if person:
            name = ", ".join(v for v in (record.get("LastName"), record.get("GivenName")) if v)
            entity_type = "person"
        else:
            name = record["EntityOrShip"]
            entity_type = "vessel" if record.get("ShipIMONumber") else "organisation"
        dob = (first_date(re.split(r"(?i)\s+or\s+", record.get("DateOfBirthOrShipBuildDate", "")))
               if entity_type == "person" else None)
        imo = re.sub(r"(?i)^IMO\s*", "", record["ShipIMONumber"]) if entity_type == "vessel" else None
        identity = "|".join([record["code"], f"IMO {imo}"] if imo else
                            [record["code"], key_of_name(name)] + ([dob] if dob else []))
        if identity in firsts:
            collisions.append((firsts[identity], record))
            continue
        firsts[identity] = record
        entries[identity] = {"id": identity, "name": name, "type": entity_type, "words": words(name), "dob": dob,
                             "imo": imo, "code": record["code"], "target": record["target"],
                             "listed_on": record.get("DateOfListing")}
    return entries, collisions


def rule(a: dict, b: dict) -> str | None:
    """The rule two entries meet (fct_designation_matches' rules, said again here), or None."""
    if a["type"] != b["type"]:
        return None
    if a["imo"] and a["imo"] == b["imo"]:
        return "imo"
    if (a["imo"] and b["imo"]) or a["words"] is None or a["words"] != b["words"]:
        return None
    if a["dob"] is None or b["dob"] is None:
        return "exact_name"
    if a["dob"].startswith(b["dob"]) or b["dob"].startswith(a["dob"]):
        return "name_and_dob"
    return None


def matches(canada: dict[str, dict], us: dict[str, dict]) -> set[tuple[str, str, str]]:
    """(Canada's entry, OFAC's entry, rule) of every match."""
    return {(c["id"], u["id"], r) for c in canada.values() for u in us.values() if (r := rule(c, u))}


@pytest.fixture(scope="module")
def files() -> dict[str, object]:
    records = sema_records()
    canada, collisions = sema_entries(records)
    russia = {k: v for k, v in canada.items() if v["target"] == "RUS"}
    us = ofac_russia_entries()
    return {"records": records, "canada": canada, "collisions": collisions, "canada_russia": russia, "us": us,
            "matches": matches(russia, us)}


@pytest.fixture(scope="module")
def lists_home(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The bundled warehouse plus the four real lists, in one ingest (one Dagster run, one dbt build)."""
    home = copy_home(built_home, tmp_path_factory.mktemp("matches_real") / "home")
    assert run_cli("--home", str(home.root), "ingest", str(SDN), str(SEMA), str(UN_OLD), str(UN_NEW)) == 0
    return home


# --- Canada's list ---------------------------------------------------------------------------------


def test_canada_russia_regime_entries_listed_now(lists_home: Home, files):
    russia_records = [r for r in files["records"] if r["Country"] == "Russia / Russie"]
    assert len(files["records"]) == 4759
    assert len(russia_records) == 2426  # as the issue counts: records, not entries
    # one person is listed twice under the Russia regime (Schedule 1, Part 1 in 2014 and Part 1.1 in 2021):
    # one identity, so one entry, the later record skipped
    assert [(first["LastName"], first["Schedule"], first["DateOfListing"], again["Schedule"], again["DateOfListing"])
            for first, again in files["collisions"]] == [
        ("MENYAILO", "1, Part 1", "2014-05-12", "1, Part 1.1", "2021-03-21")]
    listed = query_home(lists_home, """
        SELECT count(*) FROM marts.fct_designations
        WHERE list_id = 'ca_sema' AND is_listed AND programmes LIKE 'RUS (%'""")
    assert listed == [(2425,)] == [(sum(e["code"] == "RUS" for e in files["canada"].values()),)]


def test_canada_russia_entries_per_year_of_listing(lists_home: Home, files):
    in_file = Counter(e["listed_on"][:4] for e in files["canada"].values() if e["code"] == "RUS")
    in_marts = dict(query_home(lists_home, """
        SELECT CAST(year(listed_on) AS VARCHAR), count(*) FROM marts.fct_designations
        WHERE list_id = 'ca_sema' AND is_listed AND programmes LIKE 'RUS (%' GROUP BY ALL"""))
    assert in_marts == dict(in_file)
    records = Counter(r["DateOfListing"][:4] for r in files["records"] if r["Country"] == "Russia / Russie")
    assert {y: records[y] for y in ("2014", "2022", "2023", "2024", "2025")} == {
        "2014": 110, "2022": 1188, "2023": 595, "2024": 226, "2025": 218}  # as SOURCE.md counts them
    assert records - in_file == Counter({"2021": 1})  # the repeated record


def test_figures_per_keeper(lists_home: Home, files):
    canada = files["canada_russia"]
    window_from = date(2024, 5, 26)  # the day after the snapshot's as_of minus 12 months
    added = sum(window_from <= date.fromisoformat(e["listed_on"]) <= SEMA_AS_OF for e in canada.values())
    figures = {(country, figure): (value, label) for country, figure, value, label in query_home(lists_home, """
        SELECT country, figure, value, period_label FROM marts.country_issue_figures
        WHERE issue = 'sanctions_on_russia' AND figure LIKE 'designations%' AND country IN ('CAN', 'USA', 'UN')""")}
    assert {k: v for k, v in figures.items() if k[0] == "CAN"} == {
        ("CAN", "designations_listed_russia"): (len(canada), "as of 2025-05-25"),
        ("CAN", "designations_listed_russia_regime"): (2425, "as of 2025-05-25"),
        ("CAN", "designations_listed_ukraine_related"): (sum(e["code"] == "UKR" for e in canada.values()),
                                                         "as of 2025-05-25"),
        ("CAN", "designations_added_russia_12m"): (added, "12 months to 2025-05 (2024-05 to 2025-05)"),
    }
    assert (len(canada), added) == (2978, 277)
    assert figures["USA", "designations_listed_russia"][0] == len(files["us"]) == 555
    # one OFAC snapshot and no listing dates: its additions are not known
    assert figures["USA", "designations_added_russia_12m"][0] is None
    # the UN's list holds no Russia-targeted entry: measured zeros
    assert {k: v[0] for k, v in figures.items() if k[0] == "UN"} == {
        ("UN", "designations_listed_russia"): 0, ("UN", "designations_added_russia_12m"): 0}


# --- matches and overlap ---------------------------------------------------------------------------


def test_overlap_us_canada_recomputed_from_the_files(lists_home: Home, files):
    canada, us, found = files["canada_russia"], files["us"], files["matches"]
    both_ca, both_us = {c for c, _, _ in found}, {u for _, u, _ in found}
    by_rule = Counter(r for _, _, r in found)
    overlap = query_home(lists_home, """
        SELECT keeper_a, as_of_a, keeper_b, as_of_b, entries_a, entries_b, listed_by_both_a, listed_by_both_b,
               list_a_only, list_b_only, matched_pairs, pairs_imo, pairs_name_and_dob, pairs_exact_name
        FROM marts.designations_overlap WHERE list_a = 'ca_sema' AND list_b = 'us_ofac_sdn'""")
    assert overlap == [("CAN", SEMA_AS_OF, "USA", date(2022, 2, 24), len(canada), len(us), len(both_ca), len(both_us),
                        len(canada) - len(both_ca), len(us) - len(both_us), len(found), by_rule["imo"],
                        by_rule["name_and_dob"], by_rule["exact_name"])]
    in_marts = set(query_home(lists_home, """
        SELECT entry_id_a, entry_id_b, match_rule FROM marts.fct_designation_matches
        WHERE list_a = 'ca_sema' AND list_b = 'us_ofac_sdn' AND listed_by = 'both'"""))
    assert in_marts == found


def test_pairs_with_the_un_list_hold_only_the_other_lists_entries(lists_home: Home, files):
    rows = query_home(lists_home, """
        SELECT list_a, list_b, entries_a, entries_b, matched_pairs, list_a_only, list_b_only
        FROM marts.designations_overlap WHERE 'un_consolidated' IN (list_a, list_b) ORDER BY list_a""")
    assert rows == [(CA, UN, len(files["canada_russia"]), 0, 0, len(files["canada_russia"]), 0),
                    (UN, US, 0, len(files["us"]), 0, 0, len(files["us"]))]


#: Well-known people and companies on both lists, checked by hand in both files: (OFAC's SDN_Name, Canada's
#: LastName and GivenName or EntityOrShip, Canada's regime, the rule, why).
SAMPLE = [
    ("DERIPASKA, Oleg Vladimirovich", ("DERIPASKA", "Oleg Vladimirovich"), "RUS", "name_and_dob",
     "OFAC: DOB 02 Jan 1968; Canada: 1968"),
    ("MILLER, Alexey Borisovich", ("MILLER", "Alexey Borisovich"), "RUS", "name_and_dob", "1962-01-31 in both"),
    ("ROTENBERG, Boris", ("ROTENBERG", "Boris"), "RUS", "name_and_dob", "1957-01-03 in both"),
    ("IVANOV, Sergei", ("IVANOV", "Sergei"), "RUS", "name_and_dob", "1953-01-31 in both"),
    ("AKIMOV, Andrey Igorevich", ("AKIMOV", "Andrey Igorevich"), "RUS", "name_and_dob",
     "OFAC: DOB 1953; Canada: 1953-09-22"),
    ("YANUKOVYCH, Viktor Fedorovych", ("YANUKOVYCH", "Viktor Fedorovych"), "UKR", "name_and_dob",
     "1950-07-09 in both; Canada's Ukraine regime"),
    ("ROTENBERG, Arkady", ("ROTENBERG", "Arkady"), "RUS", "exact_name", "Canada gives no date of birth"),
    ("TIMCHENKO, Gennady", ("TIMCHENKO", "Gennady"), "RUS", "exact_name", "Canada gives no date of birth"),
    ("KOVALCHUK, Yuri Valentinovich", ("KOVALCHUK", "Yuri Valentinovich"), "RUS", "exact_name",
     "Canada gives no date of birth"),
    ("LLC SIBUGLEMET GROUP", "Sibuglemet Group LLC", "RUS", "exact_name", "the legal form first in OFAC's, last in "
     "Canada's"),
]

#: Well-known people on both files whom no rule matches (no fuzzy matching): (OFAC's SDN_Name, Canada's name, why).
MISSED = [
    ("VEKSELBERG, Viktor Feliksovich", "VEKSELBERG, Viktor Felixovich", "two transliterations of the patronymic"),
    ("SECHIN, Igor", "SECHIN, Igor Ivanovich", "OFAC gives no patronymic"),
    ("YANUKOVYCH, Oleksandr Viktorovych", "YANUKOVYCH, Oleksandr Viktorovych",
     "two different dates of birth: 1973-07-01 (OFAC), 1973-07-10 (Canada)"),
]


def test_a_hand_checked_sample_matches_by_the_rule_expected(lists_home: Home, files):
    ofac_names = {e["name"] for e in files["us"].values()}
    canada_records = {(r.get("LastName"), r.get("GivenName")) if r.get("LastName") else r.get("EntityOrShip"):
                      r["code"] for r in files["records"] if r["target"] == "RUS"}
    for ofac_name, canada_name, regime, _rule, _why in SAMPLE:  # both spellings are in the files as written
        assert ofac_name in ofac_names
        assert canada_records[canada_name] == regime
    rows = query_home(lists_home, """
        SELECT name_b, name_a, match_rule, confidence FROM marts.fct_designation_matches
        WHERE list_a = 'ca_sema' AND list_b = 'us_ofac_sdn' AND listed_by = 'both'""")
    found = {(ofac, canada): (r, c) for ofac, canada, r, c in rows}
    for ofac_name, canada_name, _regime, expected, why in SAMPLE:
        canada_as_named = canada_name if isinstance(canada_name, str) else ", ".join(canada_name)
        confidence = "medium" if expected == "exact_name" else "high"
        assert found.get((ofac_name, canada_as_named)) == (expected, confidence), why


def test_well_known_near_misses_stay_apart(lists_home: Home):
    rows = query_home(lists_home, """
        SELECT coalesce(name_a, name_b), listed_by FROM marts.fct_designation_matches
        WHERE list_a = 'ca_sema' AND list_b = 'us_ofac_sdn'""")
    listed_by = {}
    for name, side in rows:
        listed_by.setdefault(name, set()).add(side)
    for ofac_name, canada_name, why in MISSED:
        assert listed_by[ofac_name] >= {"list_b_only"}, why
        assert "list_a_only" in listed_by[canada_name], why
        assert "both" not in listed_by[ofac_name] | listed_by[canada_name], why
    # Roman Abramovich is on Canada's list (2023) and not on OFAC's SDN list of 2022-02-24 at all
    assert listed_by["ABRAMOVICH, Roman Arkadyevich"] == {"list_a_only"}
