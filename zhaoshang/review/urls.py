from django.urls import path

from zhaoshang.review import views

app_name = "review"

urlpatterns = [
    path("", views.month, name="month"),
    path("certify/", views.certify, name="certify"),
    path("claims/<int:pk>/return/", views.return_claim, name="return"),
    path("claims/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("claims/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("projects/<int:project_pk>/increases/", views.increase_add, name="increase_add"),
]
