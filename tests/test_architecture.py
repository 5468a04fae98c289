"""Layering rules that keep the pure cores reusable on their own."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PURE_MODULES = [
    "contracts_platform.parties.identifiers",
    "contracts_platform.core.canonical",
    "contracts_platform.contracts.rules",
    "contracts_platform.contracts.model_texts",
    "signing",
    "contracts_platform.evidence.offline",
    "contracts_platform.archive.chain",
    "contracts_platform.archive.merkle",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_without_django(module):
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr


def test_requirements_are_all_pinned():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line and not line.startswith("#")]
    assert packages and all("==" in line for line in packages), [p for p in packages if "==" not in p]
