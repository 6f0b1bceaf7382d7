from django.urls import path

from . import views

app_name = "programmes"

urlpatterns: list = [
    path("<int:pk>/", views.programme_detail, name="programme-detail"),
    path("budget-lines/<int:pk>/", views.budget_line_detail, name="budget-line-detail"),
]
