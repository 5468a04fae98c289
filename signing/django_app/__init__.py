"""Django half of the signing core: persisted platform PKI, signing services, TSA and verification pages.

The pure core (``signing``) never imports this package; this package only calls
the names the core exports. Public entry points live in ``services`` (writes),
``selectors`` (reads) and the URL/management-command layers on top of them.
"""
