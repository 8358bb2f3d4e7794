"""The person and organization pages' routes, under their own `people:` namespace (the URL
names templates and links use); the root URLconf includes them beside `digests.urls`."""

from django.urls import path

from digests import entity_pages as views

app_name = "people"

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
]
