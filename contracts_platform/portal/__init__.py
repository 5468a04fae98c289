"""The worker's side: the mobile signing pages behind the SMS link (``/s/<token>/``) and the
worker portal (``/w/``, "我的合同").

Guideline Art 6–7 and 11–12 shape it: explain the process and that it is free before
anything else, verify identity and intent and keep the records, let the worker read the
whole text before signing, and let them view and download their contracts free, any time.
"""
