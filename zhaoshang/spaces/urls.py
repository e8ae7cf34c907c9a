from django.urls import path

from zhaoshang.spaces import views

app_name = "spaces"

urlpatterns = [
    path("", views.occupancy, name="occupancy"),
    path("vacancies/", views.vacancies, name="vacancies"),
    path("parks/<int:pk>/", views.park_detail, name="park"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("projects/<int:pk>/", views.project_space, name="project"),
]
