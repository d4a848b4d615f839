"""The bytes an ingest stores under ``raw/`` are the bytes it validated and hashed: the validation copies the file
as it hashes it, and storing moves that copy into place (it is not read from the user's path a second time)."""

import hashlib
from pathlib import Path

import pytest

from ingestion import prepared_store
from ingestion.datasets import DATASETS
from ingestion.home import Home
from ingestion.prepare import prepare_file
from ingestion.store import store

PLEDGES = DATASETS["pledges"]
GOOD = ("pledge_id,announced_on,donor,category,amount,currency\n"
        "p1,2025-09-04,Germany,military,2.5bn,EUR\n"
        "p2,2025-09-05,France,financial,1000,USD\n")
BAD = "pledge_id,announced_on,donor,category,amount,currency\np1,2025-09-04,Atlantis,military,2.5bn,EUR\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "incoming" / "pledges.csv"
    path.parent.mkdir()
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def test_an_accepted_extract_keeps_a_copy_of_the_bytes_it_hashed(extract, home):
    prepared = prepare_file(extract, PLEDGES, spill=home.prepared, keep_bytes=True)

    assert prepared.accepted
    assert prepared.stored_bytes is not None and prepared.stored_bytes.parent == home.prepared
    assert prepared.stored_bytes.read_bytes() == GOOD.encode()
    assert prepared.sha256 == sha256(GOOD.encode())


def test_a_rejected_extract_leaves_no_copy(tmp_path, home):
    path = tmp_path / "pledges.csv"
    path.write_text(BAD, encoding="utf-8")

    prepared = prepare_file(path, PLEDGES, spill=home.prepared, keep_bytes=True)

    assert not prepared.accepted and prepared.stored_bytes is None
    assert not list(home.prepared.glob("bytes-*"))


def test_validating_alone_copies_nothing(extract, home):
    prepared = prepare_file(extract, PLEDGES, spill=home.prepared)

    assert prepared.accepted and prepared.stored_bytes is None
    assert not list(home.prepared.glob("bytes-*"))


def test_storing_moves_the_validated_bytes_even_if_the_file_changed_since(extract, home):
    prepared = prepare_file(extract, PLEDGES, spill=home.prepared, keep_bytes=True)
    copy = prepared.stored_bytes
    extract.write_text(GOOD.replace("2.5bn", "9.9bn"), encoding="utf-8")  # edited after it was validated

    target = store(home, prepared)

    assert target == home.dataset_dir("pledges") / "pledges.csv"
    assert sha256(target.read_bytes()) == prepared.sha256  # what was validated, not what the path holds now
    assert target.read_text(encoding="utf-8") == GOOD
    assert not copy.exists()  # moved, not copied


def test_storing_copies_the_file_when_the_validated_copy_is_gone(extract, home):
    prepared = prepare_file(extract, PLEDGES, spill=home.prepared, keep_bytes=True)
    prepared.stored_bytes.unlink()

    target = store(home, prepared)

    assert target.read_text(encoding="utf-8") == GOOD


def test_the_hand_over_to_the_run_carries_the_copy(extract, home):
    prepared = prepare_file(extract, PLEDGES, spill=home.prepared, keep_bytes=True)
    folder = prepared_store.save(home.prepared, prepared)

    handed = prepared_store.load(home.prepared, extract, prepared_store.kind_of(prepared), read_rows=False)

    assert handed is not None and handed.stored_bytes == folder / prepared_store.BYTES
    assert handed.stored_bytes.read_bytes() == GOOD.encode()
    assert not list(home.prepared.glob("bytes-*"))  # moved into the saved result, not left beside it
    assert store(home, handed).read_text(encoding="utf-8") == GOOD
