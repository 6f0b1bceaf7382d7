from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin, on the portal's own site (``partnership.admin_site``). Kept
    apart from the site because an app config is imported before any model."""

    default_site = "partnership.admin_site.PortalAdminSite"
