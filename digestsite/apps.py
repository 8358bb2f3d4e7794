"""Django's admin, with the newsroom's own admin site (digestsite.admin_site) as its default."""

from django.contrib.admin.apps import AdminConfig


class DigestAdminConfig(AdminConfig):
    default_site = "digestsite.admin_site.DigestAdminSite"
