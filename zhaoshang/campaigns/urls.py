from django.urls import path

from zhaoshang.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("trips/", views.trip_list, name="trips"),
    path("trips/new/", views.trip_create, name="trip_create"),
    path("trips/<int:pk>/", views.trip_detail, name="trip"),
    path("trips/<int:pk>/edit/", views.trip_edit, name="trip_edit"),
    path("trips/<int:pk>/<str:step>/", views.trip_step, name="trip_step"),
    path("trips/<int:pk>/report.<str:kind>", views.trip_report, name="trip_report"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/signings/<int:row_pk>/remove/", views.event_project_remove, name="event_project_remove"),
    path("events/<int:pk>/signings.<str:kind>", views.event_export, name="event_export"),
    path("introducers/", views.introducer_list, name="introducers"),
    path("introducers/new/", views.introducer_create, name="introducer_create"),
    path("introducers/<int:pk>/", views.introducer_detail, name="introducer"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("sources/<int:project_pk>/", views.project_source, name="project_source"),
    path("webhooks/", views.webhooks, name="webhooks"),
]
