"""``pledgewatch-dbt``: dbt, started so that it dies with the process that started it.

dagster-dbt runs dbt as a child process. If the command that started the run is killed (SIGKILL
gives it no chance to clean up), dbt would go on writing the build file without the write lock.
This wrapper asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), then becomes
dbt (``exec``: same process, same arguments). The next writer also clears any dbt still running on
its home's build file (:func:`ingestion.warehouse.kill_orphans`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def main() -> None:
    """Set the parent-death signal, then exec the real dbt of this environment with the same arguments."""
    with contextlib.suppress(OSError):  # not Linux: the next writer still clears orphans
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the signal was set
        sys.exit(1)
    dbt = Path(sys.executable).parent / "dbt"
    os.execv(str(dbt), [str(dbt), *sys.argv[1:]])


if __name__ == "__main__":
    main()
