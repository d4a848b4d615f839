"""Tests of the ingestion order recorded under raw/ (ingestion/ingest_order.py)."""

import os

import pytest

from ingestion import ingest_order
from ingestion.ingest_order import FILE_NAME, IngestOrder

SHA_A = "a" * 64
SHA_B = "b" * 64
SHA_A2 = "c" * 64


@pytest.fixture
def order(tmp_path) -> IngestOrder:
    """An order with two files recorded: pledges/a.csv first, pledges/b.csv second."""
    order = IngestOrder.read(tmp_path)
    order.record("pledges/a.csv", SHA_A)
    order.record("pledges/b.csv", SHA_B)
    return order


def test_missing_order_file_reads_as_empty(tmp_path):
    assert IngestOrder.read(tmp_path).entries == {}


def test_new_files_are_recorded_last(order):
    assert order.record("pledges/c.csv", SHA_A2) == 3


def test_same_version_keeps_its_seq(order):
    assert order.record("pledges/a.csv", SHA_A) == 1


def test_new_version_of_a_file_goes_last(order):
    assert (order.record("pledges/a.csv", SHA_A2), order.seq_of("pledges/a.csv")) == (3, 3)


def test_unknown_file_has_no_seq(order):
    assert order.seq_of("pledges/never.csv") is None


def test_written_order_reads_back_the_same(tmp_path, order):
    order.write()
    assert IngestOrder.read(tmp_path).entries == {"pledges/a.csv": (1, SHA_A), "pledges/b.csv": (2, SHA_B)}


def test_written_file_lists_files_in_seq_order(tmp_path, order):
    order.record("pledges/a.csv", SHA_A2)
    order.write()
    lines = (tmp_path / FILE_NAME).read_text(encoding="utf-8").splitlines()
    assert lines == ["seq,source_file,source_sha256", f"2,pledges/b.csv,{SHA_B}", f"3,pledges/a.csv,{SHA_A2}"]


def test_write_leaves_no_temporary_file(tmp_path, order):
    order.write()
    order.write()
    assert sorted(os.listdir(tmp_path)) == [FILE_NAME]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, order, monkeypatch):
    order.write()
    before = (tmp_path / FILE_NAME).read_bytes()
    order.record("pledges/c.csv", SHA_A2)

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest_order.os, "fsync", disk_full)
    with pytest.raises(OSError):
        order.write()
    assert ((tmp_path / FILE_NAME).read_bytes(), sorted(os.listdir(tmp_path))) == (before, [FILE_NAME])
