"""Session fixtures for the signing core: one throw-away PKI, one rendered contract, one signed copy."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from signing import (
    FieldBox,
    InProcessTimeStamper,
    SigningIdentity,
    TimeStampAuthority,
    archive_lta,
    render_company_seal,
    seal_as_employer,
    sign_as_worker,
)
from tests.signing.material import COMPANY, WORKER, DemoPki, build_test_pki, render_contract_pdf

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "signing"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def pki() -> DemoPki:
    return build_test_pki()


@pytest.fixture(scope="session")
def contract() -> tuple[bytes, dict[str, FieldBox]]:
    pdf, boxes = render_contract_pdf()
    return pdf, {k: FieldBox.of(v) for k, v in boxes.items()}


@pytest.fixture(scope="session")
def authority(pki: DemoPki) -> TimeStampAuthority:
    return TimeStampAuthority(pki.tsa.certificate, pki.tsa.require_key(), pki.chain)


@pytest.fixture(scope="session")
def timestamper(authority: TimeStampAuthority) -> InProcessTimeStamper:
    return InProcessTimeStamper(authority)


@pytest.fixture(scope="session")
def employer(pki: DemoPki) -> SigningIdentity:
    return pki.identity(pki.employer)


@pytest.fixture(scope="session")
def worker(pki: DemoPki) -> SigningIdentity:
    return pki.identity(pki.worker)


@pytest.fixture(scope="session")
def seal_png() -> bytes:
    return render_company_seal(COMPANY)


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    """A plausible signature-pad export: dark strokes on a white, opaque background."""
    img = Image.new("RGB", (600, 240), "white")
    d = ImageDraw.Draw(img)
    strokes = [
        [(40, 170), (70, 60), (95, 175), (120, 70), (150, 165)],
        [(190, 90), (260, 80), (230, 180), (300, 150)],
        [(330, 60), (350, 190), (380, 100), (420, 180), (470, 70), (560, 150)],
    ]
    for s in strokes:
        d.line(s, fill=(15, 15, 40), width=7, joint="curve")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def sealed_pdf(contract, employer, seal_png, timestamper) -> bytes:
    pdf, boxes = contract
    return seal_as_employer(
        pdf,
        employer_box=boxes["sig-employer"],
        worker_box=boxes["sig-worker"],
        signer=employer,
        seal_png=seal_png,
        timestamper=timestamper,
    )


@pytest.fixture(scope="session")
def signed_pdf(sealed_pdf, worker, signature_png, timestamper) -> bytes:
    return sign_as_worker(sealed_pdf, signer=worker, signature_png=signature_png, name=WORKER, timestamper=timestamper)


@pytest.fixture(scope="session")
def archived_pdf(signed_pdf, pki, timestamper, artifacts) -> bytes:
    out = archive_lta(signed_pdf, trust=[pki.root.certificate], crls=pki.crls(), timestamper=timestamper)
    (artifacts / "contract-lta.pdf").write_bytes(out)
    return out


@pytest.fixture(scope="session")
def root_pem(pki, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pki") / "root.pem"
    path.write_bytes(pki.root.certificate_pem())
    return path


def pyhanko_cli() -> str | None:
    """The pyHanko CLI (package pyhanko-cli), if installed: $PYHANKO_CLI, the venv, or PATH."""
    candidates = [os.environ.get("PYHANKO_CLI"), str(ROOT / ".venv" / "bin" / "pyhanko"), shutil.which("pyhanko")]
    for c in candidates:
        if c and Path(c).exists():
            probe = subprocess.run([c, "sign", "adesverify", "--help"], capture_output=True, check=False)
            if probe.returncode == 0:
                return c
    return None
