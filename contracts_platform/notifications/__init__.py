"""Outbound SMS and e-mail: one outbox table, pluggable delivery backends, evidence of every notice.

Guideline Art 10 wants the worker notified after signing, and the notice logged; every
message therefore goes through ``services.sms_send`` / ``services.email_send``.
"""
