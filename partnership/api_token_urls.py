"""A person's API tokens, in the ``api-tokens`` namespace, under their account."""

from django.urls import path

from . import api_token_views

app_name = "api-tokens"

urlpatterns = [
    path("", api_token_views.api_token_list, name="list"),
    path("new/", api_token_views.api_token_create, name="create"),
    path("<int:pk>/revoke/", api_token_views.api_token_revoke, name="revoke"),
]
