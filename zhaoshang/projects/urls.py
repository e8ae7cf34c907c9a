from django.urls import path

from zhaoshang.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export/", views.project_export, name="export"),
    path("board/", views.board, name="board"),
    path("new/", views.project_create, name="create"),
    path("filters/save/", views.saved_filter_save, name="filter_save"),
    path("filters/<int:pk>/delete/", views.saved_filter_delete, name="filter_delete"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("<int:pk>/fund-arrivals/", views.fund_arrival_add, name="fund_arrival_add"),
    path("<int:pk>/stage/", views.stage_change, name="stage_change"),
    path("<int:pk>/correct-date/", views.correct_date, name="correct_date"),
    path("<int:pk>/merge/<int:other_pk>/", views.merge, name="merge"),
]
