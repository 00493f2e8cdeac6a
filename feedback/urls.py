from django.urls import path

from feedback import views

app_name = "feedback"
urlpatterns = [
    path("saved/", views.saved_jobs_view, name="saved"),
    path("jobs/<int:job_id>/<slug:action>/", views.feedback_view, name="act"),
]
