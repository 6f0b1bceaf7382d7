"""The API, version 1, mounted at /api/v1/: each app's endpoints (docs/adr/0012) and
their writes (docs/adr/0021), the OpenAPI 3 schema and its browsable docs."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from bids.api import views as bids
from partnership.api import views as partnership
from programmes.api import views as programmes
from projects.api import views as projects
from savings.api import views as savings

router = DefaultRouter()
for prefix, viewset in (
    ("partnerships", partnership.PartnershipViewSet),
    ("organisations", partnership.OrganisationViewSet),
    ("sub-regions", partnership.SubRegionViewSet),
    ("meetings", partnership.MeetingViewSet),
    ("decisions", partnership.DecisionViewSet),
    ("actions", partnership.ActionViewSet),
    ("programmes", programmes.ProgrammeViewSet),
    ("budget-lines", programmes.BudgetLineViewSet),
    ("funding-sources", programmes.FundingSourceViewSet),
    ("ledger-entries", programmes.LedgerEntryViewSet),
    ("bidding-rounds", bids.BiddingRoundViewSet),
    ("criteria", bids.CriterionViewSet),
    ("bids", bids.BidViewSet),
    ("projects", projects.ProjectViewSet),
    ("milestones", projects.MilestoneViewSet),
    ("grant-payments", projects.GrantPaymentViewSet),
    ("progress-reports", projects.ProgressReportViewSet),
    ("change-requests", projects.ChangeRequestViewSet),
    ("savings-entries", savings.SavingsEntryViewSet),
    ("savings-returns", savings.SavingsReturnViewSet),
    ("savings-targets", savings.SavingsTargetViewSet),
    ("forecast-returns", savings.ForecastReturnViewSet),
):
    router.register(prefix, viewset, basename=prefix)

# Swagger UI's script is served by the same view (?script), not inline; its stylesheet
# draws icons from data: URLs, which the portal's own pages never need (docs/adr/0017).
docs = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
    *router.urls,
]
