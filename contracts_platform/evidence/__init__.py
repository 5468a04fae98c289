"""Evidence packages for arbitration: build (services), verify offline (``offline``).

Deliberately empty: ``offline`` and ``package_format`` are pure (no Django) so that
an arbitrator can run the verifier without the platform.
"""
