from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_search, name="search"),
    path("<int:job_id>/", views.job_detail, name="detail"),
]
