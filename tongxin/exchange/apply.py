"""Canonical page content → the fields of a page object (not saved here).

StreamFields are given Wagtail's raw JSON form ({"type", "value"} dicts, list items as
{"type": "item", "value", "id"}) so that what is stored is exactly what represent.py reads
back. Every key the format knows is set, omitted ones to their empty value, so a page
always ends up matching the file.
"""

import uuid

from campaigns.models import CampaignOrganizer, Fund, FundLaunchOrganizer
from tongxin.core.blocks import FigureBlock

from .blocks import store_block, store_value
from .values import to_datetime


class Keys:
    """Organization and fund keys → primary keys, read once after snippets are written."""

    def __init__(self, org_pks, fund_pks):
        self.org_pks, self.fund_pks = org_pks, fund_pks

    def org(self, key):
        return self.org_pks.get(key) if key else None

    def fund(self, key):
        return self.fund_pks.get(key) if key else None


def _list(values):
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def _date(value):
    return value.isoformat() if value else None


def _credits(credits):
    return [
        {"type": "credit", "value": {"role": c["role"], "names": _list(c["names"])}}
        for c in credits
    ]


class _Refs:
    """Primary keys for what the format names by key or file (tongxin.exchange.blocks)."""

    def __init__(self, keys, images):
        self.fund = keys.fund
        self.image = lambda file: images.get(file).pk


def _organizers(model, content, keys):
    return [
        model(organization_id=keys.org(o["org"]), role=o["role"], sort_order=index)
        for index, o in enumerate(content.get("organizers", []))
    ]


def _figures(content):
    block = FigureBlock()
    return [
        {"type": "figure", "value": store_value(block, item, None)}
        for item in content.get("figures", [])
    ]


def _type_fields(page, type_name, content, keys, resolve_path):
    get = content.get
    if type_name == "home":
        target = get("featured_campaign")
        page.featured_campaign = resolve_path(target) if target else None
    elif type_name == "campaign":
        page.slogan = get("slogan", "")
        page.organizers = _organizers(CampaignOrganizer, content, keys)
        page.figures = _figures(content)
        page.funds = list(Fund.objects.filter(key__in=get("funds", [])))
        page.starts_on, page.ends_on = get("starts_on"), get("ends_on")
    elif type_name == "series":
        page.planned_episodes = get("planned_episodes")
        page.credits = _credits(get("credits", []))
    elif type_name == "episode":
        page.number = get("number")
        page.video_url = get("video_url", "")
        page.credits = _credits(get("credits", []))
    elif type_name == "fund_launch":
        page.fund_id = keys.fund(get("fund"))
        page.event_date = get("event_date")
        page.venue = get("venue", "")
        page.organizers = _organizers(FundLaunchOrganizer, content, keys)
        page.initial_amount = get("initial_amount")
        page.annual_commitment = get("annual_commitment")
        page.custodian_id = keys.org(get("custodian"))
        page.purposes = get("purposes", [])
        page.programme = [{"type": "item", "value": item} for item in get("programme", [])]
        page.figures = _figures(content)
    elif type_name == "story":
        page.pseudonym = get("pseudonym", "")
        page.age = get("age")
        page.gender = get("gender", "")
        page.circumstances = get("circumstances", [])
        page.support = get("support", "")
    elif type_name == "news":
        source = get("source", {})
        page.source_name, page.source_url = source.get("name", ""), source.get("url", "")
        page.byline = _credits(get("byline", []))
        page.photo_credit = get("photo_credit", "")
        page.responsible_editor = get("responsible_editor", "")


def apply_content(page, type_name, content, keys, images, resolve_path):
    """Set every field the format covers on `page` from canonical `content`."""
    get = content.get
    page.title = page.draft_title = content["title"]
    page.summary = get("summary", "")
    page.search_description = get("search_description", "")
    page.date = to_datetime(get("date"))
    page.script = get("script", "hans")
    page.tags = get("tags", [])
    page.region = get("region", "")
    page.go_live_at, page.expire_at = get("go_live_at"), get("expire_at")
    page.conversion_rules = [
        {"type": "rule", "value": rule} for rule in get("conversion_rules", [])
    ]
    _type_fields(page, type_name, content, keys, resolve_path)
    if hasattr(page, "body"):
        page.body = [
            {"type": block["type"], "value": store_block(block, _Refs(keys, images))}
            for block in get("body", [])
        ]
