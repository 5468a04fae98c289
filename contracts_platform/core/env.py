"""The one place settings read the environment.

Missing production secrets raise at start-up. In the embedded default a dev
secret is generated once under var/keys/ (mode 0600) and reused afterwards.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path


class MissingSetting(RuntimeError):
    pass


def get(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingSetting(f"environment variable {name} is required")
    return value


def get_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def get_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def get_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def _generate(kind: str) -> str:
    if kind == "fernet":
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(48)


def _dev_secret(path: Path, kind: str) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = _generate(kind)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def secret(name: str, *, dev_file: Path, required: bool, generator: str = "token") -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if required:
        raise MissingSetting(f"environment variable {name} is required in production")
    return _dev_secret(dev_file, generator)


def secret_list(name: str, *, dev_file: Path, required: bool, generator: str = "token") -> list[str]:
    """A comma-separated list of keys, newest first (for rotation)."""
    return [item.strip() for item in secret(name, dev_file=dev_file, required=required,
                                            generator=generator).split(",") if item.strip()]
