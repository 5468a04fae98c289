"""Model fields for data that must be encrypted at rest."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from contracts_platform.core import pii
from contracts_platform.core.canonical import canonical_json


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


class EncryptedJSONField(EncryptedTextField):
    """A JSON document stored as Fernet ciphertext (canonical JSON inside)."""

    description = "Fernet-encrypted JSON"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else text

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return value
        return super().get_prep_value(canonical_json(value).decode("utf-8"))
