from django.urls import path

from zhaoshang.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:pk>/names/", views.job_names, name="names"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("template.xlsx", views.template, name="template"),
    path("export/", views.export, name="export"),
]
