from django.urls import path

from recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.recommendation_list_view, name="list"),
    path("compare/", views.recommendation_compare_view, name="compare"),
]
