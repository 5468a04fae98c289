"""The rules engine is pure Python: importing it must not pull in Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_engine_imports_without_django() -> None:
    code = ("import contracts_platform.contracts.rules, sys; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
            "sorted(m for m in sys.modules if m.startswith('django'))")
    # A clean interpreter: in this process pytest-django has imported Django already.
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}, check=False)
    assert result.returncode == 0, result.stderr


def test_engine_runs_without_django() -> None:
    code = ("import datetime, sys; from contracts_platform.contracts.rules import check_terms, "
            "load_default_minimum_wages; check_terms({}, on=datetime.date(2025, 1, 1), "
            "minimum_wages=load_default_minimum_wages()); "
            "from contracts_platform.contracts.rules import docs; "
            "docs.is_in_sync(docs.START_MARKER + docs.END_MARKER); "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}, check=False)
    assert result.returncode == 0, result.stderr
