"""The extract datasets of EXTRACTS.md, one module each."""

from ingestion.contracts import Dataset
from ingestion.datasets.aid_changes import AID_CHANGES
from ingestion.datasets.aid_levels import AID_LEVELS
from ingestion.datasets.designations import DESIGNATIONS
from ingestion.datasets.oil_imports import OIL_IMPORTS
from ingestion.datasets.pledge_commitments import PLEDGE_COMMITMENTS
from ingestion.datasets.pledges import PLEDGES
from ingestion.datasets.positions import POSITIONS
from ingestion.datasets.sanctions import SANCTIONS

#: Every dataset by name, in the order they are loaded.
DATASETS: dict[str, Dataset] = {
    d.name: d for d in (PLEDGES, OIL_IMPORTS, AID_CHANGES, POSITIONS, SANCTIONS, DESIGNATIONS)
}

#: Datasets only publisher formats fill (no extract of their own): name -> dataset.
SIDE_DATASETS: dict[str, Dataset] = {d.name: d for d in (PLEDGE_COMMITMENTS, AID_LEVELS)}


def get_dataset(name: str) -> Dataset:
    """The dataset called ``name``; a clear error lists the known ones."""
    try:
        return DATASETS[name] if name in DATASETS else SIDE_DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None
