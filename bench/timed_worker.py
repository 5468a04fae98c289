"""Worker app for bench/flow.py: times the WeasyPrint and pyHanko calls inside the worker.

Each call of the wrapped functions appends ``{"fn", "start", "seconds"}`` to the
JSONL file named by HEQIAN_BENCH_TIMINGS, so the bench can split a sign-click's
wall time into document work (render/sign/validate) and everything else.
"""

import functools
import json
import os
import time

from contracts_platform.celery import app

TIMINGS = os.environ.get("HEQIAN_BENCH_TIMINGS", "")


def _timed(module, name):
    original = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.time()
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            with open(TIMINGS, "a") as fh:
                fh.write(json.dumps({"fn": name, "start": start, "seconds": time.perf_counter() - t0}) + "\n")

    setattr(module, name, wrapper)


@app.on_after_finalize.connect
def _instrument(sender, **kwargs):  # pragma: no cover - runs in the worker process
    if not TIMINGS:
        return
    import django

    django.setup()
    import signing.django_app.services as services

    # The pure pyHanko entry points as the services module calls them (no nesting).
    for name in ("sign_as_worker", "archive_lta", "verify_pdf"):
        _timed(services, name)
