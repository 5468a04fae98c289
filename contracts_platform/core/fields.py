"""Model fields for data that must be encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from contracts_platform.core import pii


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; the Python value is the plain string.

    Not searchable: pair it with a keyed-hash column for lookups.
    """

    description = "Fernet-encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return pii.decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return pii.encrypt(str(value))
