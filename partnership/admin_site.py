"""The admin site is a tool of the partnership's support team: administrators and
programme managers. Officers, board members and finance work in the portal's own
pages, where every change goes through the services; the admin turns them away
whatever their ``is_staff`` flag says."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .permissions import can_use_admin


class PortalAdminAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        if not (user.is_active and can_use_admin(user)):
            raise ValidationError(
                "The admin site is for administrators and programme managers. "
                "Sign in to the portal instead.",
                code="invalid_login",
            )


class PortalAdminSite(admin.AdminSite):
    site_header = "Partnership Portal admin"
    site_title = "Partnership Portal admin"
    login_form = PortalAdminAuthenticationForm

    def has_permission(self, request):
        return request.user.is_active and can_use_admin(request.user)
