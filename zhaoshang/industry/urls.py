from django.urls import path

from zhaoshang.industry import views

app_name = "industry"

urlpatterns = [
    path("", views.index, name="index"),
    path("chains/<int:pk>/", views.chain_detail, name="chain"),
    path("chains/<int:pk>/nodes/", views.node_add, name="node_add"),
    path("chains/<int:pk>/placements/", views.placement_add, name="placement_add"),
    path("chains/<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("chains/<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("nodes/<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("nodes/<int:pk>/delete/", views.node_delete, name="node_delete"),
    path("placements/<int:pk>/leader/", views.placement_leader, name="placement_leader"),
    path("placements/<int:pk>/delete/", views.placement_delete, name="placement_delete"),
    path("relations/<int:pk>/delete/", views.relation_delete, name="relation_delete"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/duplicates/", views.duplicates, name="duplicates"),
    path("targets/import/", views.target_import, name="target_import"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/status/", views.target_status, name="target_status"),
    path("targets/<int:pk>/follow-ups/", views.target_follow_up_add, name="target_follow_up_add"),
    path("targets/<int:pk>/relations/", views.target_relation_add, name="target_relation_add"),
    path("targets/<int:pk>/convert/", views.target_convert, name="target_convert"),
    path("targets/<int:pk>/merge/", views.target_merge, name="target_merge"),
    path("target-follow-ups/<int:pk>/delete/", views.target_follow_up_delete, name="target_follow_up_delete"),
    path("target-relations/<int:pk>/delete/", views.target_relation_delete, name="target_relation_delete"),
    path("settings/", views.targeting_settings, name="settings"),
]
