"""Who is signing: SMS one-time passwords, signing invitations, identity checks, worker login.

Guideline Art 7 asks the platform to verify identity and signing intent and to keep the
verification records (method, result, time, IP/device); every step here writes one.
"""
