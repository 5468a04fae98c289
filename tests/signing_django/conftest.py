"""Fixtures for the Django signing layer: a contract version, a handwritten signature, signed stages.

Every test gets a fresh platform PKI (created on first use inside its
transaction); the per-process caches are keyed by certificate fingerprint, so
nothing leaks between tests.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from contracts_platform.contracts.models import ContractVersion, ModelText
from contracts_platform.contracts.services import contract_create
from signing.django_app.models import SignedDocument
from tests.contracts.factories import valid_fields

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "signing_django"
INTENT = {"method": "sms_otp", "read_to_end": True, "ip": "127.0.0.1", "user_agent": "pytest"}


@pytest.fixture
def version(acme, li, hr) -> ContractVersion:
    model_text = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    return contract_create(employer=acme, worker=li, model_text=model_text, fields=valid_fields(),
                           user=hr).current_version


def handwritten_png() -> bytes:
    """A signature-pad export: dark strokes on a transparent background."""
    image = Image.new("RGBA", (480, 180), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for stroke in ([(30, 140), (70, 40), (110, 150), (150, 50), (190, 140)],
                   [(220, 70), (290, 60), (260, 160), (330, 120)],
                   [(350, 50), (370, 160), (400, 80), (450, 150)]):
        draw.line(stroke, fill=(15, 15, 40, 255), width=7, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def signature_png() -> bytes:
    return handwritten_png()


@pytest.fixture
def sealed(version) -> SignedDocument:
    from signing.django_app.services import employer_seal_apply

    return employer_seal_apply(version=version)


@pytest.fixture
def archived(sealed, signature_png) -> SignedDocument:
    from signing.django_app.services import worker_signature_apply

    return worker_signature_apply(version=sealed.version, signature_png=signature_png, intent=INTENT)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def root_pem_file(tmp_path: Path) -> Path:
    from signing.django_app.selectors import current_authority_pem

    path = tmp_path / "heqian-root.pem"
    path.write_text(current_authority_pem("root"))
    return path


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
