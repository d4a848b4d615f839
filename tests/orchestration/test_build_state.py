"""What a refresh has to do, decided from what the warehouse was built from (pure, no warehouse)."""

from __future__ import annotations

from orchestration.build_state import FileState, Inputs, Plan, dataset_of, plan_refresh

FORMATS = {"kiel-ust": "pledges", "crea-values": "oil_imports"}
DATASETS = ("pledges", "oil_imports", "positions")


def inputs(files: dict[str, str], project: str = "p", reference: str = "r", code: str = "c") -> Inputs:
    return Inputs(project, reference, code, {name: FileState(1, 1, sha) for name, sha in files.items()})


def plan(now: Inputs, built: Inputs | None, compiled: bool = True) -> Plan:
    return plan_refresh(now, built, compiled=compiled, formats=FORMATS, datasets=DATASETS)


BUILT = inputs({"raw/pledges/a.csv": "1", "raw/sources/kiel-ust/x_data.csv": "2", "raw/ingest_order.csv": "3"})


def test_nothing_changed_means_no_run():
    assert plan(BUILT, BUILT) == Plan("nothing")


def test_a_touched_file_with_the_same_bytes_is_no_change():
    touched = Inputs("p", "r", "c", {name: FileState(9, 9, s.sha256) for name, s in BUILT.files.items()})
    assert plan(touched, BUILT).kind == "nothing"


def test_a_changed_extract_reloads_its_dataset_only():
    now = inputs({**{k: v.sha256 for k, v in BUILT.files.items()}, "raw/pledges/a.csv": "9"})
    result = plan(now, BUILT)
    assert (result.kind, result.datasets) == ("data", frozenset({"pledges"}))
    assert result.reasons == ("raw/pledges/a.csv changed",)


def test_a_new_publisher_release_reloads_the_dataset_of_its_format():
    now = inputs({**{k: v.sha256 for k, v in BUILT.files.items()}, "raw/sources/crea-values/y.csv": "5"})
    assert plan(now, BUILT).datasets == frozenset({"oil_imports"})


def test_a_removed_file_reloads_its_dataset():
    now = inputs({k: v.sha256 for k, v in BUILT.files.items() if k != "raw/pledges/a.csv"})
    result = plan(now, BUILT)
    assert result.datasets == frozenset({"pledges"}) and result.reasons == ("raw/pledges/a.csv removed",)


def test_a_changed_ingestion_order_reloads_every_dataset():
    now = inputs({**{k: v.sha256 for k, v in BUILT.files.items()}, "raw/ingest_order.csv": "4"})
    assert plan(now, BUILT).datasets == frozenset(DATASETS)


def test_a_changed_project_or_reference_is_a_full_run():
    assert plan(inputs({}, project="p2"), BUILT).kind == "full"
    assert plan(inputs({}, reference="r2"), BUILT).reasons == ("the reference data changed",)


def test_without_a_compiled_build_a_data_change_is_a_full_run():
    now = inputs({**{k: v.sha256 for k, v in BUILT.files.items()}, "raw/pledges/a.csv": "9"})
    assert plan(now, BUILT, compiled=False).kind == "full"
    assert plan(BUILT, BUILT, compiled=False).kind == "full"


def test_changed_loading_code_rebuilds_from_raw():
    assert plan(inputs({}, code="c2"), BUILT).kind == "rebuild"


def test_a_warehouse_that_records_nothing_is_built_in_full():
    assert plan(BUILT, None).kind == "full"


def test_the_dataset_of_a_raw_path():
    assert dataset_of("raw/pledges/a.csv", FORMATS) == "pledges"
    assert dataset_of("raw/sources/kiel-ust/x.csv", FORMATS) == "pledges"
    assert dataset_of("raw/sources/kiel-ust/releases.csv", FORMATS) == "pledges"
    assert dataset_of("raw/ingest_order.csv", FORMATS) is None
