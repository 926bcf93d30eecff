from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin


class StaffUserAdmin(UserAdmin):
    """Accounts are the editor-in-chief's (desk/roles.py), but what would make them everyone's
    master stays with superusers: the superuser flag, permissions granted one by one, and
    superusers' own accounts and passwords."""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return [*readonly, "is_superuser", "user_permissions"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not obj.is_superuser or request.user.is_superuser)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.is_superuser or request.user.is_superuser)


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
