from django.urls import path

from zhaoshang.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("score/<int:unit_id>/", views.score_page, name="score"),
    path("targets/", views.targets_page, name="targets"),
    path("targets/zone/edit/", views.target_edit, name="target_edit_zone"),
    path("targets/<int:unit_id>/edit/", views.target_edit, name="target_edit"),
    path("targets/import/", views.target_import, name="target_import"),
    path("targets/template.xlsx", views.target_template, name="target_template"),
    path("schemes/", views.schemes_page, name="schemes"),
    path("schemes/defaults/", views.schemes_defaults, name="schemes_defaults"),
    path("schemes/new/", views.scheme_edit, name="scheme_new"),
    path("schemes/<int:scheme_id>/", views.scheme_edit, name="scheme_edit"),
    path("adjustments/", views.adjustments_page, name="adjustments"),
    path("adjustments/<int:pk>/delete/", views.adjustment_delete, name="adjustment_delete"),
    path("bulletins/", views.bulletins_page, name="bulletins"),
    path("bulletins/preview.<str:fmt>", views.bulletin_preview, name="bulletin_preview"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/file.<str:fmt>", views.bulletin_file, name="bulletin_file"),
    path("dispatch/", views.rounds_page, name="rounds"),
    path("dispatch/<int:pk>/", views.round_detail, name="round"),
    path("dispatch/<int:pk>/unit/<int:unit_id>/", views.round_unit, name="round_unit"),
    path("dispatch/<int:pk>/close/", views.round_close, name="round_close"),
    path("dispatch/<int:pk>/report.<str:fmt>", views.round_report, name="round_report"),
    path("dispatch/photos/<int:pk>/", views.photo_file, name="photo"),
    path("dispatch/entries/<int:pk>/ticket/", views.entry_ticket, name="entry_ticket"),
]
