"""plan_sync decides what a sync does from three mappings alone: no DuckDB, no files."""

from ingestion.sync import Action, plan_sync


def test_new_and_changed_files_load_in_ingestion_order_then_by_path():
    on_disk = {"raw/pledges/b.csv": "b2", "raw/pledges/a.csv": "a1", "raw/pledges/c.csv": "c1"}
    registry = {"raw/pledges/b.csv": "b1"}  # b changed; a and c are new
    order = {"raw/pledges/c.csv": 1, "raw/pledges/b.csv": 2, "raw/pledges/a.csv": 2}
    assert plan_sync(on_disk, registry, order) == [
        Action("load", "raw/pledges/c.csv"),
        Action("load", "raw/pledges/a.csv"),  # same place in the order as b: by path
        Action("load", "raw/pledges/b.csv"),
    ]


def test_unchanged_files_are_named_and_gone_files_removed_last():
    on_disk = {"raw/pledges/a.csv": "a1"}
    registry = {"raw/pledges/a.csv": "a1", "raw/pledges/z.csv": "z1", "raw/pledges/y.csv": "y1"}
    assert plan_sync(on_disk, registry, {"raw/pledges/a.csv": 1}) == [
        Action("unchanged", "raw/pledges/a.csv"),
        Action("remove", "raw/pledges/y.csv"),
        Action("remove", "raw/pledges/z.csv"),
    ]


def test_a_file_missing_from_the_order_goes_first_and_nothing_at_all_plans_nothing():
    assert plan_sync({"raw/x/b.csv": "b", "raw/x/a.csv": "a"}, {}, {"raw/x/a.csv": 5}) == [
        Action("load", "raw/x/b.csv"),
        Action("load", "raw/x/a.csv"),
    ]
    assert plan_sync({}, {}, {}) == []
