from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from zhaoshang.api import campaign_views, errors, ranking_views, review_views, ticket_views, views

app_name = "api"

router = DefaultRouter()
router.register("zones", views.ZoneViewSet, basename="zone")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("stage-changes", views.StageChangeViewSet, basename="stagechange")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")
router.register("fund-arrivals", views.FundArrivalViewSet, basename="fundarrival")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("units", views.UnitViewSet, basename="unit")
router.register("parks", views.ParkViewSet, basename="park")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("chains", views.ChainViewSet, basename="chain")
router.register("tickets", ticket_views.TicketViewSet, basename="ticket")
router.register("ticket-categories", ticket_views.TicketCategoryViewSet, basename="ticketcategory")
router.register("claims", review_views.ClaimViewSet, basename="claim")
router.register("capital-increases", review_views.CapitalIncreaseViewSet, basename="capitalincrease")
router.register("trips", campaign_views.TripViewSet, basename="trip")
router.register("events", campaign_views.EventViewSet, basename="event")
router.register("introducers", campaign_views.IntroducerViewSet, basename="introducer")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/kpi/", views.KpiView.as_view(), name="kpi"),
    path("v1/rankings/", ranking_views.RankingView.as_view(), name="rankings"),
    path("v1/ticket-figures/", ticket_views.TicketFiguresView.as_view(), name="ticket-figures"),
    path("v1/source-figures/", campaign_views.SourceFiguresView.as_view(), name="source-figures"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", login_required(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")), name="redoc"),
    re_path(r"^.*$", errors.not_found),
]
