"""The signing core is pure: importing it must not pull in Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_signing_does_not_import_django():
    code = (
        "import sys, signing, signing.verify, signing.cms, signing.pades, signing.tsa; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "assert not bad, bad; "
        "assert 'signing.django' not in sys.modules"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr


def test_public_api_is_declared():
    import signing

    assert all(hasattr(signing, name) for name in signing.__all__)
    for name in ("seal_as_employer", "sign_as_worker", "archive_lta", "verify_pdf", "sign_detached"):
        assert name in signing.__all__
