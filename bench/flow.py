#!/usr/bin/env python
"""Sign click → completed archive, through the real flow with a real Celery worker.

    .venv/bin/python bench/flow.py [--n 50]

Needs Redis (HEQIAN_BENCH_REDIS_URL, default redis://127.0.0.1:6379/14). The database
is DATABASE_URL if set (PostgreSQL recommended), else a throwaway SQLite file; files
go to a throwaway archive directory. For each of N contracts: HR starts, the
signatory approves, the worker (in the worker process) seals and invites; then the
clock starts at the worker's sign submission and stops when the process is DONE
(worker signature, LTV data, archive, notifications, filing all done in the worker).
The worker times its pyHanko calls (bench/timed_worker.py); everything else is
flow bookkeeping (DB, locks, queueing, events, SMS outbox). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="heqian-bench-flow-"))
    redis_url = os.environ.get("HEQIAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite3'}",
        "CELERY_BROKER_URL": redis_url, "HEQIAN_ARCHIVE_DIR": str(work / "archive"), "HEQIAN_DEMO_OUTBOX": "1",
        "HEQIAN_BENCH_TIMINGS": str(work / "timings.jsonl"),
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contracts_platform.settings")
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from viewflow.workflow.status import PROCESS

    from contracts_platform.accounts.models import User
    from contracts_platform.contracts.models import ModelText
    from contracts_platform.contracts.services import contract_create
    from contracts_platform.core.demo import demo_fields, seed_demo
    from contracts_platform.core.worker_process import celery_worker_process
    from contracts_platform.identity.invitations import invitation_resolve
    from contracts_platform.parties.models import Worker
    from workflows import services
    from workflows.demo import handwriting_png

    redis.Redis.from_url(redis_url).flushdb()
    call_command("migrate", verbosity=0)
    employer = seed_demo()
    hr, signatory = User.objects.get(username="hr"), User.objects.get(username="signatory")
    worker = Worker.objects.get(employer=employer, name="李晓明")
    model_text = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    png = handwriting_png(worker.name)
    import datetime as dt

    start = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    fields = demo_fields(start=start.replace(day=1))
    totals: list[float] = []
    doc_work: list[float] = []
    timings = Path(env["HEQIAN_BENCH_TIMINGS"])

    def wait(predicate, timeout=120.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.005)
        raise RuntimeError("timed out")

    with celery_worker_process(env=env, app="bench.timed_worker", log_path=work / "worker.log"):
        for i in range(args.n + 2):  # two warm-up rounds
            contract = contract_create(employer=employer, worker=worker, model_text=model_text, fields=fields,
                                       user=hr, mark_ready=True, acknowledge_warnings=True)
            services.contract_signing_start(contract=contract, user=hr)
            services.approval_decide(contract=contract, user=signatory, approved=True)
            from tests.workflows.conftest import latest_signing_token

            wait(lambda c=contract: _invited(c))
            invitation = invitation_resolve(token=latest_signing_token(worker.phone))
            intent = {"method": "sms_otp", "bench": True}
            t_wall = time.time()
            t0 = time.perf_counter()
            services.worker_sign(invitation=invitation, signature_png=png, intent=intent)
            wait(lambda c=contract: (p := services.signing_process_for(contract=c)) and p.status == PROCESS.DONE)
            total = time.perf_counter() - t0
            spent = sum(r["seconds"] for r in map(json.loads, timings.read_text().splitlines())
                        if r["start"] >= t_wall) if timings.exists() else 0.0
            if i >= 2:
                totals.append(total)
                doc_work.append(spent)

    totals_sorted = sorted(totals)
    median = statistics.median(totals)
    p95 = totals_sorted[max(0, round(0.95 * len(totals_sorted)) - 1)]
    share_doc = statistics.median(d / t for d, t in zip(doc_work, totals, strict=True))
    print(f"contracts signed: {len(totals)} (database {env['DATABASE_URL'].split(':')[0]}, Redis broker, "
          f"1 worker process)")
    print(f"sign click → archived: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"pyHanko signing + validation inside it: median {statistics.median(doc_work) * 1000:.0f} ms "
          f"({share_doc:.0%}); flow bookkeeping {1 - share_doc:.0%}")
    print(json.dumps({"n": len(totals), "median_s": round(median, 4), "p95_s": round(p95, 4),
                      "document_work_median_s": round(statistics.median(doc_work), 4),
                      "bookkeeping_share": round(1 - share_doc, 4)}))


def _invited(contract) -> bool:
    from viewflow.workflow.status import STATUS

    from workflows import services
    from workflows.contract_flow import ContractSigningFlow as F

    process = services.signing_process_for(contract=contract)
    return bool(process and process.task_set.filter(flow_task=F.worker_decision, status=STATUS.NEW).exists())


if __name__ == "__main__":
    main()
