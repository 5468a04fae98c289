"""``/w/``: the worker portal, "我的合同" (mounted in ``contracts_platform.urls``)."""

from django.urls import path

from contracts_platform.portal import portal_views as views

app_name = "portal"
urlpatterns = [
    path("", views.contracts, name="contracts"),
    path("login/", views.login_phone, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("contracts/<int:pk>/pdf/", views.contract_pdf, name="contract_pdf"),
]
