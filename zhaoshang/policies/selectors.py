"""Reads of the policy area: the matching lists and the claim totals."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhaoshang.policies import facts as facts_module
from zhaoshang.policies import rules
from zhaoshang.policies.models import Claim, Payment, Policy

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def _policies(zone, today):
    return Policy.objects.filter(zone=zone).in_force(today).prefetch_related("conditions")


def match_facts(policies, facts: dict) -> dict[str, list[rules.Match]]:
    """{'qualifies': [...], 'nearly': [...]} for one subject's facts."""
    found = {rules.QUALIFIES: [], rules.NEARLY: []}
    for policy in policies:
        match = rules.evaluate(policy, policy.conditions.all(), facts)
        if match.status in found:
            found[match.status].append(match)
    found[rules.NEARLY].sort(key=lambda m: (len(m.missing), m.policy.title))
    return found


def matches_for_enterprise(enterprise, today: dt.date | None = None) -> dict[str, list[rules.Match]]:
    today = today or timezone.localdate()
    facts = facts_module.enterprise_facts(enterprise, today)[enterprise.pk]
    return match_facts(_policies(enterprise.zone, today), facts)


def matches_for_project(project, today: dt.date | None = None) -> dict[str, list[rules.Match]]:
    today = today or timezone.localdate()
    return match_facts(_policies(project.zone, today), facts_module.project_facts(project, today))


def claimants(policy) -> set[int]:
    """Enterprises with a claim on the policy that was not turned down."""
    return set(policy.claims.exclude(status=Claim.Status.REJECTED).values_list("enterprise_id", flat=True))


def enterprises_for_policy(policy, enterprises, today: dt.date | None = None) -> dict[str, list]:
    """For a policy: [(enterprise, match)] of those that qualify and have not claimed it,
    and of those that nearly qualify (with what they miss), among `enterprises`."""
    today = today or timezone.localdate()
    conditions = list(policy.conditions.all())
    claimed = claimants(policy)
    by_id = {e.pk: e for e in enterprises.filter(zone=policy.zone)}
    found = {rules.QUALIFIES: [], rules.NEARLY: [], "claimed": []}
    for pk, facts in facts_module.enterprise_facts(enterprises.filter(zone=policy.zone), today).items():
        match = rules.evaluate(policy, conditions, facts)
        if pk in claimed:
            found["claimed"].append((by_id[pk], match))
        elif match.status in found:
            found[match.status].append((by_id[pk], match))
    for key in found:
        found[key].sort(key=lambda pair: (len(pair[1].missing), pair[0].name))
    return found


def with_paid(claims):
    """Claims annotated with `paid` (Σ payments, 万元)."""
    paid = (
        Payment.objects.filter(claim=OuterRef("pk")).values("claim")
        .annotate(total=Sum("amount")).values("total")
    )
    return claims.annotate(paid=Coalesce(Subquery(paid), ZERO))


def claim_totals(claims) -> dict:
    """Count, Σ claimed, Σ approved and Σ paid of a set of claims, in the database."""
    totals = claims.aggregate(
        count=Count("pk"),
        claimed=Coalesce(Sum("amount_claimed"), ZERO),
        approved=Coalesce(Sum("amount_approved", filter=~Q(status=Claim.Status.REJECTED)), ZERO),
    )
    totals["paid"] = Payment.objects.filter(claim__in=claims.values("pk")).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    return totals
