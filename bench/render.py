"""Contract PDF rendering: the full pipeline against bare WeasyPrint on the same document.

    .venv/bin/python bench/render.py [--n 20]

Renders N distinct contracts (own number, terms hash and verify URL, so the QR cache
does not flatter the pipeline) through ``render_contract_pdf``: context, template,
locked fetcher, QR, PDF/A-3b, attachment and signature anchors. In the same run,
interleaved, it renders each contract's self-contained preview HTML (same template,
CSS inline, QR as data: URI) with bare ``HTML(string=...).write_pdf()``. Prints
both medians, their ratio, and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contracts_platform.settings")

import django  # noqa: E402

django.setup()

from weasyprint import HTML  # noqa: E402

from contracts_platform.contracts.model_texts import get_model_text  # noqa: E402
from contracts_platform.core.canonical import canonical_sha256  # noqa: E402
from contracts_platform.documents.rendering import (  # noqa: E402
    ContractDocument,
    render_contract_html,
    render_contract_pdf,
)

TERMS = {
    "schema": "heqian.contract-terms/1",
    "contract_type": "fixed_term",
    "model_text": {"code": "fixed_term", "version": 1},
    "employer": {"name": "济南阿克米物流有限公司", "credit_code": "91370102MA3AC00016",
                 "legal_representative": "赵建国", "address": "山东省济南市历下区经十路 1 号", "region": "370102"},
    "worker": {"name": "李喆堃", "id_number": "370102199205171018", "address": "山东省济南市历下区解放路 12 号",
               "phone": "13812345678"},
    "start_date": "2025-01-01", "end_date": "2027-12-31", "task_description": "", "probation_months": 2,
    "job_title": "仓储管理员", "work_location": "山东省济南市历城区港西路 88 号阿克米物流园", "work_region": "370112",
    "working_hours": {"system": "standard", "hours_per_day": "8", "hours_per_week": "40"},
    "wage": {"type": "monthly", "amount": "6500.00", "probation_amount": "5200.00", "pay_day": 15,
             "pay_cycle_days": 30},
    "social_insurance": "甲方依法为乙方缴纳基本养老保险、基本医疗保险、失业保险、工伤保险和生育保险。",
    "labor_protection": "甲方为乙方配发防护手套、安全鞋和反光背心，仓库配备通风和消防设施，叉车作业岗位须持证上岗。",
    "dispatch": None, "training": {"employer_funded": True, "cost": "12000.00"}, "service_period_months": 24,
    "service_penalty": "8000.00", "non_compete_months": 12,
    "history": {"consecutive_fixed_terms": 0, "years_of_service": "0"}, "worker_requests_fixed_term": False,
    "supplementary_clauses": [
        "甲方每年组织乙方进行一次免费健康体检，体检项目不少于国家规定的职业健康检查项目。",
        "乙方每月享有交通补贴 300 元、通讯补贴 100 元，随当月工资一并发放。",
        "乙方在合同期内取得与岗位相关的职业资格证书的，甲方按照公司培训管理制度给予一次性奖励。",
        "甲方为乙方提供员工宿舍，乙方自愿入住的，应当遵守宿舍管理规定，住宿费用由甲方承担。",
    ],
}


def documents(n: int) -> list[ContractDocument]:
    spec = get_model_text("fixed_term")
    docs = []
    for i in range(n):
        terms = copy.deepcopy(TERMS)
        terms["worker"]["phone"] = f"138{i:08d}"
        sha = canonical_sha256(terms)
        docs.append(ContractDocument(spec=spec, terms=terms, contract_number=f"HQ-2025-{i:06d}", version_no=1,
                                     terms_sha256=sha, verify_url=f"https://heqian.example.cn/verify/{sha}/"))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="contracts to render (default 20)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = parser.parse_args()
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # "one core", as the target says

    docs = documents(args.n + 1)
    warm, docs = docs[0], docs[1:]
    # Warm both paths (imports, fontconfig, template and stylesheet caches) outside the timings.
    render_contract_pdf(warm)
    HTML(string=render_contract_html(warm)).write_pdf()

    pipeline, bare, pages = [], [], set()
    for doc in docs:
        html = render_contract_html(doc)  # the bare baseline's input, built outside its timing
        start = time.perf_counter()
        rendered = render_contract_pdf(doc)
        pipeline.append(time.perf_counter() - start)
        pages.add(rendered.page_count)
        start = time.perf_counter()
        HTML(string=html).write_pdf()
        bare.append(time.perf_counter() - start)

    p, b = statistics.median(pipeline), statistics.median(bare)
    print(f"contracts: {len(docs)}, pages per contract: {sorted(pages)}")
    print(f"pipeline (render_contract_pdf): median {p:.3f} s  min {min(pipeline):.3f}  max {max(pipeline):.3f}")
    print(f"bare WeasyPrint (write_pdf):     median {b:.3f} s  min {min(bare):.3f}  max {max(bare):.3f}")
    print(f"ratio pipeline / bare: {p / b:.3f}")
    print(json.dumps({"pipeline_median_s": round(p, 4), "bare_median_s": round(b, 4), "ratio": round(p / b, 4)}))


if __name__ == "__main__":
    main()
