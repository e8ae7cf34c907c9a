from django.urls import path

from zhaoshang.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.candidates, name="candidates"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/figures/<int:year>/delete/", views.delete_figures, name="delete_figures"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/<int:pk>/edit/", views.threshold_edit, name="threshold_edit"),
]
