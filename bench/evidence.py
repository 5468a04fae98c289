"""Benchmark evidence packages: build and offline verification of one contract's package.

    .venv/bin/python bench/evidence.py [--n 20]

Sets up a throwaway SQLite database and var/ directory under a temp dir (nothing
of the checkout's var/ is touched), migrates it, runs the real signing flow
(``workflows.demo.run_demo``) "yesterday" so that the day's Merkle root can be
closed and timestamped, and then measures medians of

* ``build``: one complete package (verification, report PDF, event slice with
  Merkle proofs, PKI material, signed + timestamped manifest, deterministic ZIP)
  and its ``archive_put`` — the idempotence cache is bypassed
  (``evidence_package_assemble``), so every run does the full work;
* ``verify``: ``offline.verify_package`` of the ZIP bytes (what ``manage.py
  verify_evidence`` runs).

Targets: build <= 1 s, verify <= 0.5 s on the 2-core reference machine. The
last line is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(workdir: Path) -> None:
    # Before Django reads its settings: a private database and var/ (keys, archive) for this run.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["HEQIAN_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contracts_platform.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks in-process
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20, help="timed runs of each step (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heqian-bench-evidence-") as tmp:
        _setup(Path(tmp))
        logging.disable(logging.WARNING)  # the demo's task/outbox log lines would drown the figures
        from freezegun import freeze_time

        from contracts_platform.archive.models import EvidenceEvent
        from contracts_platform.archive.services import merkle_roots_catch_up
        from contracts_platform.archive.store import archive_put
        from contracts_platform.evidence.offline import verify_package
        from contracts_platform.evidence.services import evidence_package_assemble, evidence_package_build
        from signing import create_root_ca
        from signing.django_app.services import merkle_roots_timestamp
        from workflows.demo import run_demo

        # cryptography's Rust core caches the datetime class on first use: not under freezegun.
        create_root_ca("warm-up")
        with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=1), tick=True):
            demo = run_demo()
        merkle_roots_catch_up()
        merkle_roots_timestamp()
        contract = demo.contract
        events = EvidenceEvent.objects.filter(subject_type="contract", subject_id=str(contract.pk)).count()

        # Warm-up (first use: evidence certificate, fonts, stylesheet, CRLs), not timed.
        package = evidence_package_build(contract=contract, case_ref="BENCH-1")
        from contracts_platform.archive.store import archive_get

        zip_bytes = archive_get(package.zip_id)
        assert verify_package(zip_bytes).ok

        build_times = []
        for _ in range(args.n):
            t0 = time.perf_counter()
            _sources, built = evidence_package_assemble(contract=contract, case_ref="BENCH-1")
            archive_put(built.zip_bytes, content_type="application/zip")
            build_times.append(time.perf_counter() - t0)
        verify_times = []
        for _ in range(args.n):
            t0 = time.perf_counter()
            report = verify_package(zip_bytes)
            verify_times.append(time.perf_counter() - t0)
            assert report.ok, [str(p) for p in report.problems]

        build_median = statistics.median(build_times)
        verify_median = statistics.median(verify_times)
        print(f"contract {contract.number}: {events} events, package {len(zip_bytes) / 1024:.0f} KiB, "
              f"{len(built.files)} files")
        print(f"build   median {build_median * 1000:7.1f} ms  (min {min(build_times) * 1000:.1f}, "
              f"max {max(build_times) * 1000:.1f}; target <= 1000)")
        print(f"verify  median {verify_median * 1000:7.1f} ms  (min {min(verify_times) * 1000:.1f}, "
              f"max {max(verify_times) * 1000:.1f}; target <= 500)")
        print(json.dumps({"build_median_s": round(build_median, 4), "verify_median_s": round(verify_median, 4)}))


if __name__ == "__main__":
    main()
