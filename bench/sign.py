"""Benchmark the signing core against bare pyHanko doing the same work.

    .venv/bin/python bench/sign.py [--n 15]

Measures medians (ms) of: employer seal (B-T, visible seal, both fields),
worker signature (B-T, visible signature + CJK name/time), verification of
the two-signature B-T contract, and the archive step (DSS + document
timestamp), each through ``signing`` and through hand-written minimal pyHanko
calls on the same PDF, keys and in-process TSA. The last line of output is one
JSON object with every figure and ``"ratio"`` (platform/bare for the two
signatures together).

"Bare" gets the same visible content built directly with pyHanko primitives:
the seal as a ``PdfImage`` background, the worker block as a ``TextStampStyle``
with a ``GlyphAccumulatorFactory`` font. pyHanko needs a single-face OTF file
for that; bare gets one prepared before timing, subset to exactly the
characters drawn, i.e. the cheapest possible font for it. ``bare_worker_fullface``
(few runs) shows what the naive route - the whole Noto Sans CJK SC face - costs.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402
from pyhanko.pdf_utils import layout  # noqa: E402
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory  # noqa: E402
from pyhanko.pdf_utils.images import PdfImage  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.pdf_utils.text import TextBoxStyle  # noqa: E402
from pyhanko.sign import fields, signers  # noqa: E402
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter  # noqa: E402
from pyhanko.sign.validation import add_validation_info, validate_pdf_signature  # noqa: E402
from pyhanko.stamp import StaticStampStyle, TextStampStyle  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402
from pyhanko_certvalidator.registry import SimpleCertificateStore  # noqa: E402

import signing  # noqa: E402
from signing import (  # noqa: E402
    FieldBox,
    InProcessTimeStamper,
    TimeStampAuthority,
    archive_lta,
    format_beijing_time,
    render_company_seal,
    seal_as_employer,
    sign_as_worker,
    verify_pdf,
)
from signing.appearance import _subset_font, find_cjk_font  # noqa: E402
from signing.identity import to_asn1  # noqa: E402
from tests.signing.material import COMPANY, WORKER, build_test_pki, render_contract_pdf  # noqa: E402

TARGET_SIGN_MS = 120
TARGET_VERIFY_MS = 150
TARGET_RATIO = 1.2


def median_ms(fn: Callable[[], object], n: int) -> float:
    fn()  # warm-up: imports, caches, the TSA's dummy token
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(samples), 1)


def signature_png() -> bytes:
    img = Image.new("RGB", (600, 240), "white")
    d = ImageDraw.Draw(img)
    d.line([(40, 170), (70, 60), (95, 175), (120, 70), (150, 165), (200, 80), (300, 150), (420, 70), (560, 150)],
           fill=(15, 15, 40), width=7, joint="curve")  # fmt: skip
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=15, help="timed runs per figure (default 15)")
    ap.add_argument("--fullface-n", type=int, default=3, help="runs for the naive full-face bare worker (0: skip)")
    args = ap.parse_args()
    n = args.n
    # pyHanko warns on every archive step that fetching is disabled (by design here).
    for noisy in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    pki = build_test_pki()
    pdf, raw_boxes = render_contract_pdf()
    boxes = {k: FieldBox.of(v) for k, v in raw_boxes.items()}
    seal = render_company_seal(COMPANY)
    sig_png = signature_png()
    trust = [pki.root.certificate]
    crls = pki.crls()
    authority = TimeStampAuthority(pki.tsa.certificate, pki.tsa.require_key(), pki.chain)

    # ---- platform ---------------------------------------------------------------------
    tsa_p = InProcessTimeStamper(authority)
    employer, worker = pki.identity(pki.employer), pki.identity(pki.worker)

    def p_employer() -> bytes:
        return seal_as_employer(
            pdf, employer_box=boxes["sig-employer"], worker_box=boxes["sig-worker"],
            signer=employer, seal_png=seal, timestamper=tsa_p,
        )  # fmt: skip

    sealed = p_employer()

    def p_worker() -> bytes:
        return sign_as_worker(sealed, signer=worker, signature_png=sig_png, name=WORKER, timestamper=tsa_p)

    signed = p_worker()

    def p_verify() -> None:
        report = verify_pdf(signed, trust_roots=trust, crls=crls)
        assert report.ok, report.reasons

    def p_archive() -> bytes:
        return archive_lta(signed, trust=trust, crls=crls, timestamper=tsa_p)

    assert verify_pdf(p_archive(), trust_roots=trust).ok

    # ---- bare pyHanko -----------------------------------------------------------------
    tsa_b = InProcessTimeStamper(authority)  # same TSA work, separate pyHanko dummy-token cache
    chain = SimpleCertificateStore.from_certs([to_asn1(c) for c in pki.chain])
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization

    def simple(ck) -> signers.SimpleSigner:
        key_der = ck.require_key().private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return signers.SimpleSigner(to_asn1(ck.certificate), asn1_keys.PrivateKeyInfo.load(key_der), chain)

    b_employer_signer, b_worker_signer = simple(pki.employer), simple(pki.worker)
    seal_img = Image.open(io.BytesIO(seal))
    sig_img = Image.open(io.BytesIO(sig_png))
    when = format_beijing_time(datetime.now(UTC))
    lines = f"签署人：{WORKER}\n签署时间：{when}"
    tmp = Path(tempfile.mkdtemp(prefix="heqian-bench-"))
    font_path = tmp / "subset.otf"
    font_path.write_bytes(_subset_font(find_cjk_font("Noto Sans CJK SC", "Regular"), lines))

    def spec(name: str) -> SigFieldSpec:
        b = boxes[name]
        return SigFieldSpec(name, on_page=b.page, box=tuple(round(v) for v in b.rect))

    def b_employer() -> bytes:
        w = IncrementalPdfFileWriter(io.BytesIO(pdf))
        e, k = spec("sig-employer"), spec("sig-worker")
        fields.append_signature_field(w, SigFieldSpec("EmployerSeal", on_page=e.on_page, box=e.box))
        fields.append_signature_field(w, SigFieldSpec("WorkerSignature", on_page=k.on_page, box=k.box))
        meta = signers.PdfSignatureMetadata(
            field_name="EmployerSeal", md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
            certify=True, docmdp_permissions=MDPPerm.FILL_FORMS,
        )  # fmt: skip
        style = StaticStampStyle(background=PdfImage(seal_img), border_width=0)
        out = io.BytesIO()
        signers.PdfSigner(meta, b_employer_signer, timestamper=tsa_b, stamp_style=style).sign_pdf(w, output=out)
        return out.getvalue()

    b_sealed = b_employer()

    def worker_style(font_file: str) -> TextStampStyle:
        return TextStampStyle(
            stamp_text=lines,
            text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font_file, font_size=8), font_size=8),
            background=PdfImage(sig_img),
            background_opacity=1,
            border_width=0,
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN
            ),
        )

    def b_worker(font_file: str = str(font_path)) -> bytes:
        w = IncrementalPdfFileWriter(io.BytesIO(b_sealed))
        meta = signers.PdfSignatureMetadata(
            field_name="WorkerSignature", md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
        )
        out = io.BytesIO()
        signers.PdfSigner(meta, b_worker_signer, timestamper=tsa_b, stamp_style=worker_style(font_file)).sign_pdf(
            w, output=out
        )
        return out.getvalue()

    b_signed = b_worker()

    def b_vc() -> ValidationContext:
        return ValidationContext(
            trust_roots=[to_asn1(c) for c in trust],
            crls=[c.public_bytes(serialization.Encoding.DER) for c in crls],
            allow_fetching=False,
            revocation_mode="hard-fail",
        )

    def b_verify() -> None:
        vc = b_vc()
        for s in PdfFileReader(io.BytesIO(b_signed)).embedded_signatures:
            assert validate_pdf_signature(s, vc).bottom_line

    def b_archive() -> bytes:
        vc = b_vc()
        data = b_signed
        for i in range(2):
            s = PdfFileReader(io.BytesIO(data)).embedded_signatures[i]
            data = add_validation_info(s, vc, output=io.BytesIO()).getvalue()
        out = io.BytesIO()
        signers.PdfTimeStamper(tsa_b).timestamp_pdf(
            IncrementalPdfFileWriter(io.BytesIO(data)), "sha256", validation_context=vc, output=out
        )
        return out.getvalue()

    b_archive()

    # ---- measure (interleaved per figure, so drift hits both sides alike) ---------------
    figures: dict[str, float] = {}
    for name, plat, bare in (
        ("employer", p_employer, b_employer),
        ("worker", p_worker, b_worker),
        ("verify", p_verify, b_verify),
        ("archive", p_archive, b_archive),
    ):
        figures[f"{name}_platform_ms"] = median_ms(plat, n)
        figures[f"{name}_bare_ms"] = median_ms(bare, n)
        figures[f"{name}_ratio"] = round(figures[f"{name}_platform_ms"] / figures[f"{name}_bare_ms"], 2)
        print(
            f"{name:9s} platform {figures[f'{name}_platform_ms']:7.1f} ms   bare pyHanko "
            f"{figures[f'{name}_bare_ms']:7.1f} ms   ratio {figures[f'{name}_ratio']:.2f}",
            flush=True,
        )

    if args.fullface_n > 0:
        # The naive bare route: split the SC face out of the .ttc once (fontTools), then
        # let pyHanko parse and subset the whole 16 MB face on every signature.
        from fontTools.ttLib import TTCollection

        full = tmp / "NotoSansCJKsc-Regular.otf"
        face = find_cjk_font("Noto Sans CJK SC", "Regular")
        TTCollection(face.path).fonts[face.index].save(str(full))
        figures["bare_worker_fullface_ms"] = median_ms(lambda: b_worker(str(full)), args.fullface_n)
        print(f"bare worker with the whole CJK face: {figures['bare_worker_fullface_ms']:.1f} ms (n={args.fullface_n})")

    signing_ratio = round(
        (figures["employer_platform_ms"] + figures["worker_platform_ms"])
        / (figures["employer_bare_ms"] + figures["worker_bare_ms"]),
        2,
    )
    result = {
        "n": n,
        **figures,
        "ratio": signing_ratio,
        "sizes_bytes": {
            "unsigned": len(pdf),
            "employer_added": len(sealed) - len(pdf),
            "worker_added": len(signed) - len(sealed),
            "archive_added": len(p_archive()) - len(signed),
        },
        "targets": {
            "sign_ms": TARGET_SIGN_MS,
            "verify_ms": TARGET_VERIFY_MS,
            "ratio": TARGET_RATIO,
            "met": max(figures["employer_platform_ms"], figures["worker_platform_ms"]) <= TARGET_SIGN_MS
            and figures["verify_platform_ms"] <= TARGET_VERIFY_MS
            and signing_ratio <= TARGET_RATIO,
        },
        "asn1crypto_length_fix": signing._asn1_patch.apply(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
