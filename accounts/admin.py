from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts.models import Resume, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "is_staff", "is_active", "date_joined", "last_login")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Resume)
class ResumeAdmin(admin.ModelAdmin):
    """Staff see status and errors (to help people whose file failed), never the file:
    resumes are private, and the admin offers no download."""

    list_display = ("id", "user", "name", "kind", "status", "pages", "is_active", "created_at")
    list_filter = ("status", "kind", "is_active")
    search_fields = ("user__email", "name")
    readonly_fields = (
        "user",
        "name",
        "original_name",
        "kind",
        "size",
        "sha256",
        "status",
        "stage",
        "error",
        "pages",
        "is_active",
        "parsed_at",
        "created_at",
    )
    exclude = ("file", "text", "sections", "previous_visit_at", "last_visit_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
