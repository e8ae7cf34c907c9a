from django.urls import path

from zhaoshang.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/delete/", views.policy_delete, name="delete"),
    path("enterprises/<int:pk>/", views.enterprise_matches, name="enterprise"),
    path("enterprises/<int:pk>/panel/", views.enterprise_panel, name="enterprise_panel"),
    path("projects/<int:pk>/", views.project_matches, name="project"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
]
