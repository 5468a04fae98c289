from django.core.management.base import BaseCommand

from contracts_platform.core.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo employer, staff, workers and contracts (idempotent; refused in production)."

    def handle(self, *args: object, **options: object) -> None:
        employer = seed_demo()
        self.stdout.write(f"demo data ready: {employer.name}")
