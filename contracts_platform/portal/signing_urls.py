"""``/s/``: the signing pages behind the SMS link (mounted in ``contracts_platform.urls``)."""

from django.urls import path

from contracts_platform.portal import signing_views as views

app_name = "sign"
urlpatterns = [
    # Before the token routes: "done" is not a token (tokens are 43 characters).
    path("done/", views.done, name="done"),
    path("done/portal/", views.done_portal, name="done_portal"),
    path("<str:token>/", views.landing, name="landing"),
    path("<str:token>/identity/", views.identity, name="identity"),
    path("<str:token>/code/", views.code, name="code"),
    path("<str:token>/read/<int:page>/", views.read, name="read"),
    path("<str:token>/read/<int:page>.png", views.page_image, name="page_image"),
    path("<str:token>/intent/", views.intent, name="intent"),
    path("<str:token>/sign/", views.sign, name="sign"),
    path("<str:token>/decline/", views.decline, name="decline"),
]
