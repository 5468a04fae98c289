"""Internal conversions between ``cryptography`` objects, PEM/DER bytes and asn1crypto (pyHanko's types)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .identity import load_certificates, to_asn1


def asn1_crls(crls: Iterable[x509.CertificateRevocationList | bytes]) -> list[asn1_crl.CertificateList]:
    """CRLs given as ``cryptography`` objects, PEM or DER, as asn1crypto objects."""
    out = []
    for c in crls:
        der = c.public_bytes(serialization.Encoding.DER) if isinstance(c, x509.CertificateRevocationList) else c
        if der.lstrip().startswith(b"-----"):
            der = x509.load_pem_x509_crl(der).public_bytes(serialization.Encoding.DER)
        out.append(asn1_crl.CertificateList.load(der))
    return out


def asn1_certs(certs: Iterable[x509.Certificate | bytes]) -> list[asn1_x509.Certificate]:
    """Certificates given as ``cryptography`` objects, PEM (bundles) or DER, as asn1crypto objects."""
    out: list[asn1_x509.Certificate] = []
    for c in certs:
        if isinstance(c, x509.Certificate):
            out.append(to_asn1(c))
        else:
            out.extend(to_asn1(x) for x in load_certificates(c))
    return out


def jsonable(value: Any) -> Any:
    """Recursively turn dataclasses/enums/datetimes into JSON-serialisable values."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    return value
