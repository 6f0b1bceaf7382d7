from django.urls import path

from . import views

app_name = "savings"

urlpatterns: list = [
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
]
