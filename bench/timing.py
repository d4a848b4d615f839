"""Timing whole processes for the benchmarks: wall seconds, peak memory, and min/median/max."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLI = Path(sys.executable).parent / "pledgewatch"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit code of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def summary(values: list[float], digits: int = 2) -> str:
    """``median m  min a  max b`` of a figure's runs."""
    return (f"median {statistics.median(values):7.{digits}f}  min {min(values):7.{digits}f}  "
            f"max {max(values):7.{digits}f}")
