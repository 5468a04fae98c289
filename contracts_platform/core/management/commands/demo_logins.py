from django.conf import settings
from django.core.management.base import BaseCommand

from contracts_platform.core.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("")
        self.stdout.write(f"和签 HeQian is starting on {settings.SITE_URL}/  — demo logins (password: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<16} {login.role} ({login.name})")
        self.stdout.write("")
