from django.urls import path

from digests import views

app_name = "digests"

urlpatterns = [
    path("", views.home, name="home"),
    path("digests/", views.archive, name="archive"),
    path("digests/<int:year>/", views.archive, name="archive-year"),
    path("digests/<int:year>/<int:month>/", views.archive, name="archive-month"),
    path("digests/<slug:slug>/", views.digest_detail, name="digest-detail"),
    path("privacy/", views.privacy, name="privacy"),
    path("preview/<str:token>/", views.preview, name="preview"),
]
