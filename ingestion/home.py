"""The warehouse home: where raw files, the warehouse and its bookkeeping live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The repository's own data folder, the home when none is given.
REPO_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Home:
    """Paths inside one warehouse home."""

    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> Home:
        """``home``, else ``$PLEDGEWATCH_HOME``, else the repo's ``data/``."""
        chosen = home or os.environ.get("PLEDGEWATCH_HOME") or REPO_DATA
        return cls(Path(chosen).expanduser().resolve())

    @property
    def raw(self) -> Path:
        """Stored input files: ``raw/<dataset>/<file>``."""
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        """The published warehouse users query."""
        return self.root / "warehouse.duckdb"

    @property
    def build(self) -> Path:
        """The working copy a run writes (one writer at a time holds the lock)."""
        return self.build_dir / "warehouse.duckdb"

    @property
    def build_dir(self) -> Path:
        """Working copies of the warehouse being built by a run."""
        return self.root / "build"

    @property
    def prepared(self) -> Path:
        """Validations handed from the command that made them to the run that loads the files."""
        return self.build_dir / "prepared"

    @property
    def docs_index(self) -> Path:
        """The Great Expectations Data Docs site's index page."""
        return self.gx / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance (runs of the CLI and the UI)."""
        return self.root / "dagster"

    @property
    def dbt_target(self) -> Path:
        """dbt's run artefacts for this home."""
        return self.root / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        """dbt's logs for this home."""
        return self.root / "dbt" / "logs"

    @property
    def runs(self) -> Path:
        """One JSON report per run."""
        return self.root / "runs"

    @property
    def gx(self) -> Path:
        """The Great Expectations file context (suites, validation results, Data Docs)."""
        return self.root / "gx"

    @property
    def reports(self) -> Path:
        """The HTML report (``report.html``), written after each publish and by ``pledgewatch report``."""
        return self.root / "reports"

    @property
    def cache(self) -> Path:
        """Derived files kept between runs to save time (the report's chart scripts); safe to delete."""
        return self.root / "cache"

    @property
    def quarantine(self) -> Path:
        """Rejected files, each beside its error report."""
        return self.root / "quarantine"

    @property
    def lock(self) -> Path:
        """Held by the one process that writes the warehouse."""
        return self.root / ".write.lock"

    def dataset_dir(self, dataset: str) -> Path:
        """Folder of a dataset's extracts."""
        return self.raw / dataset

    def relative(self, path: Path) -> str:
        """``path`` relative to the home, with forward slashes: a file's identity."""
        return path.resolve().relative_to(self.root).as_posix()
