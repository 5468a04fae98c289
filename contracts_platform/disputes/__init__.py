"""Labor disputes: dispute cases before the arbitration commission and wage-arrears complaints to the bureau.

The processes themselves are viewflow flows: ``workflows/dispute_flow.py`` (the case and
its mediation sub-process) and ``workflows/arrears_flow.py``; this app holds the
case data, the services the flows and pages call, the access rules and the pages.
"""
