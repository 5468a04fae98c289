"""Start a real Celery worker as a child process (integration tests and benchmarks).

The child gets the same settings module and whatever environment overrides the
caller passes (database, broker, archive directory), so it shares state with the
parent exactly as a production worker shares it with the web process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def celery_worker_process(*, env: Mapping[str, str], app: str = "contracts_platform.celery", concurrency: int = 1,
                          ready_timeout: float = 60.0, log_path: Path | None = None) -> Iterator[subprocess.Popen]:
    """Yield a running worker; it is stopped (SIGTERM, then SIGKILL) on exit."""
    from celery import Celery

    name = f"heqian-{uuid.uuid4().hex[:8]}@localhost"
    child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "contracts_platform.settings", **env}
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "celery", "-A", app, "worker", "-n", name, "-c", str(concurrency), "-P", "prefork",
         "--without-gossip", "--without-mingle", "-l", "INFO"],
        cwd=ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    probe = Celery(broker=env["CELERY_BROKER_URL"])
    try:
        deadline = time.monotonic() + ready_timeout
        while not probe.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None:
                raise RuntimeError(f"celery worker exited with {process.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError("celery worker did not come up in time")
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        probe.close()


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool children: no warm shutdown, no ack."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
