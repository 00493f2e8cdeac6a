from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.account_overview, name="account_overview"),
    path("delete/", views.account_delete, name="account_delete"),
]
