"""The root URLconf: the readers' pages in three languages, the admin, the editor's uploads,
the API, the sitemap, health check and favicon."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from digests.sitemaps import SITEMAPS
from digestsite import health, views

# Readers' pages in every language: English at the root (where they always were), Belarusian
# under /be/, Russian under /ru/ (digestsite/locale.py activates the language of the address).
urlpatterns = i18n_patterns(
    path("", include("digests.urls")),
    path("", include("digests.entity_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    prefix_default_language=False,
)

urlpatterns += [
    path("api/", include("api.urls")),
    path("editor/upload/", views.editor_image_upload, name="editor-image-upload"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("nested_admin/", include("nested_admin.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler500 = "digestsite.views.server_error"
