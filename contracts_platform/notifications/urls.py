from django.urls import path

from contracts_platform.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.OutboxView.as_view(), name="outbox"),
]
