"""和签 HeQian: the Django project and its domain apps.

Deliberately empty: pure modules below this package (the statutory rules engine,
identifier check digits) must import without pulling in Django or Celery. The
Celery app is loaded by ``core.apps.CoreConfig.ready``.
"""
