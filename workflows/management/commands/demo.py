from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from workflows.demo import add_dispute, run_demo, write_demo


class Command(BaseCommand):
    help = ("Run the whole spine headless through the real flows: signing, then a dispute with its evidence "
            "package; write contract.pdf, evidence.zip and summary.json.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="output directory")
        parser.add_argument("--timeout", type=float, default=120.0,
                            help="seconds to wait for background steps (with a real Celery worker)")

    def handle(self, *args: object, out: Path, timeout: float, **options: object) -> None:
        result = add_dispute(run_demo(timeout_s=timeout))
        write_demo(out, result)
        s = result.summary
        self.stdout.write(f"{s['contract_number']}: {s['status']}, {s['event_count']} evidence events, "
                          f"PDF {s['pdf_bytes']} bytes sha256 {s['pdf_sha256'][:16]}…")
        self.stdout.write(f"case {s['case_number']} ({s['route']}), evidence package {s['package_sha256'][:16]}…")
        self.stdout.write(f"wrote {out / 'contract.pdf'}, {out / 'evidence.zip'} and {out / 'summary.json'}")
