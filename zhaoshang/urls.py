from django.contrib import admin
from django.urls import include, path

from zhaoshang.core import language
from zhaoshang.core import views as core_views
from zhaoshang.projects import views as projects_views

admin.site.site_header = "招商 · 管理后台"
admin.site.site_title = "招商"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/tokens/", include("zhaoshang.api.token_urls")),
    path("accounts/", include("zhaoshang.core.account_urls")),
    path("settings/", include("zhaoshang.core.urls")),
    path("api/", include("zhaoshang.api.urls")),
    path("projects/", include("zhaoshang.projects.urls")),
    path("enterprises/", include("zhaoshang.enterprises.urls")),
    path("ledger/", include("zhaoshang.ledger.urls")),
    path("industry/", include("zhaoshang.industry.urls")),
    path("tickets/", include("zhaoshang.tickets.urls")),
    path("assessment/", include("zhaoshang.assessment.urls")),
    path("cockpit/", include("zhaoshang.dashboard.urls")),
    path("policies/", include("zhaoshang.policies.urls")),
    path("stats/", include("zhaoshang.stats.urls")),
    path("funds/", include("zhaoshang.funds.urls")),
    path("spaces/", include("zhaoshang.spaces.urls")),
    path("campaigns/", include("zhaoshang.campaigns.urls")),
    path("review/", include("zhaoshang.review.urls")),
    path("i18n/language/", language.set_language, name="set_language"),
    path("workbench/", projects_views.workbench, name="workbench"),
    # The landing page: the cockpit for leadership and observers, the workbench for the others.
    path("", core_views.home, name="home"),
]
