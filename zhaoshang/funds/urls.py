from django.urls import path

from zhaoshang.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/edit/", views.fund_edit, name="edit"),
    path("<int:pk>/delete/", views.fund_delete, name="delete"),
    path("calls/<int:pk>/delete/", views.call_delete, name="call_delete"),
    path("investments/<int:pk>/delete/", views.investment_delete, name="investment_delete"),
]
