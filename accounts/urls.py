from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.account_overview, name="account_overview"),
    path("delete/", views.account_delete, name="account_delete"),
    path("resumes/", views.resume_list_view, name="resume_list"),
    path("resumes/<int:resume_id>/", views.resume_detail_view, name="resume_detail"),
    path("resumes/<int:resume_id>/file/", views.resume_file_view, name="resume_file"),
    path("resumes/<int:resume_id>/activate/", views.resume_activate_view, name="resume_activate"),
    path("resumes/<int:resume_id>/delete/", views.resume_delete_view, name="resume_delete"),
]
