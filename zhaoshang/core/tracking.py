"""Which models the change log records (one place). Other apps register their own models
with zhaoshang.core.changelog.track() from their AppConfig.ready()."""

from django.apps import apps
from django.contrib.auth import get_user_model

from zhaoshang.core.changelog import track

CONTACTS = {"contact_person": "name", "contact_phone": "phone"}


def register_domain_models() -> None:
    get = apps.get_model
    # core
    track(get("core", "Zone"))
    track(get("core", "OrgUnit"))
    track(get("core", "Park"))
    track(get("core", "Person"))
    track(get("core", "Membership"), parent="user")
    track(get_user_model(), exclude=["last_login"], masked=["password"], zone=lambda user: None)
    # industry
    track(get("industry", "IndustryCluster"))
    track(get("industry", "IndustryChain"))
    track(get("industry", "ChainNode"), parent="chain", zone=lambda node: node.chain.zone_id)
    # enterprises
    track(get("enterprises", "Tag"))
    track(get("enterprises", "Enterprise"), sensitive=CONTACTS)
    # projects
    track(get("projects", "Project"), exclude=["version"], sensitive=CONTACTS)
    track(get("projects", "StageChange"), parent="project")
    track(get("projects", "FollowUp"), parent="project")
    track(get("projects", "FundArrival"), parent="project")
    track(get("projects", "DateCorrection"), parent="project")
