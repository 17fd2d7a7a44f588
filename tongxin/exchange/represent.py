"""Stored content → the format's canonical form (values.py).

The exporter writes this form out; the importer compares it with the file's canonical form
to decide whether a page changed. StreamFields are read from their raw data so that no
block value (and no query per chooser) is built; foreign keys go through a Lookup that
caches keys, image hashes and paths for the whole run.
"""

from decimal import Decimal

from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns.models import Fund, Organization
from tongxin.core.blocks import FigureBlock

from .blocks import represent_block, represent_value
from .site import relative_path
from .values import ImageFile, compact, page_date


class Lookup:
    """Primary keys → what the format uses instead: keys, hashes, paths."""

    def __init__(self, root):
        self.root = root
        self._orgs, self._funds, self._images, self._paths = {}, {}, {}, {}

    def org(self, pk):
        if pk not in self._orgs:
            self._orgs[pk] = (
                Organization.objects.filter(pk=pk).values_list("key", flat=True).first()
            )
        return self._orgs[pk]

    def fund(self, pk):
        if pk not in self._funds:
            self._funds[pk] = Fund.objects.filter(pk=pk).values_list("key", flat=True).first()
        return self._funds[pk]

    def image(self, pk):
        if pk not in self._images:
            image = get_image_model().objects.filter(pk=pk).first()
            self._images[pk] = ImageFile(sha1=image.file_hash, image=image) if image else None
        return self._images[pk]

    def path(self, pk):
        if pk is None:
            return None
        if pk not in self._paths:
            url_path = Page.objects.filter(pk=pk).values_list("url_path", flat=True).first()
            self._paths[pk] = url_path and relative_path(url_path, self.root.url_path)
        return self._paths[pk]

    def page_url(self, pk):
        page = Page.objects.filter(pk=pk).first()
        return page.full_url if page else None


def _items(raw_list):
    """ListBlock raw data: [{"type": "item", "value": v, "id": …}] (or plain values, old style)."""
    return [
        item["value"]
        if isinstance(item, dict) and item.get("type") == "item" and {"id", "value"} <= set(item)
        else item
        for item in raw_list or []
    ]


def figures_of(items):
    block = FigureBlock()
    return [represent_value(block, item, None) for item in _items(items)]


def credits_of(stream):
    return [
        {"role": value.get("role", ""), "names": [n for n in _items(value.get("names")) if n]}
        for value in _stream_values(stream, "credit")
    ]


def _stream_values(stream, block_type):
    return [b["value"] for b in stream.raw_data if b["type"] == block_type]


def body_of(stream, lookup):
    return [
        item
        for block in stream.raw_data
        for item in represent_block(block["type"], block["value"], lookup)
    ]


def _organizers(page, lookup):
    return [{"org": lookup.org(o.organization_id), "role": o.role} for o in page.organizers.all()]


def _amount(value):
    return Decimal(value) if value is not None else None


def _type_content(page, type_name, lookup):
    if type_name == "home":
        return dict(featured_campaign=lookup.path(getattr(page, "featured_campaign_id", None)))
    if type_name == "campaign":
        return dict(
            slogan=page.slogan,
            organizers=_organizers(page, lookup),
            figures=[f for v in _stream_values(page.figures, "figure") for f in figures_of([v])],
            funds=sorted(fund.key for fund in page.funds.all()),
            starts_on=page.starts_on,
            ends_on=page.ends_on,
        )
    if type_name == "series":
        return dict(planned_episodes=page.planned_episodes, credits=credits_of(page.credits))
    if type_name == "episode":
        return dict(number=page.number, video_url=page.video_url, credits=credits_of(page.credits))
    if type_name == "fund_launch":
        return dict(
            fund=lookup.fund(page.fund_id),
            event_date=page.event_date,
            venue=page.venue,
            organizers=_organizers(page, lookup),
            initial_amount=_amount(page.initial_amount),
            annual_commitment=_amount(page.annual_commitment),
            custodian=lookup.org(page.custodian_id),
            purposes=list(page.purposes),
            programme=[
                {"time": v.get("time", ""), "item": v.get("item", "")}
                for v in _stream_values(page.programme, "item")
            ],
            figures=[f for v in _stream_values(page.figures, "figure") for f in figures_of([v])],
        )
    if type_name == "story":
        return dict(
            pseudonym=page.pseudonym,
            age=page.age,
            gender=page.gender,
            circumstances=list(page.circumstances),
            support=page.support,
        )
    if type_name == "news":
        return dict(
            source=compact(name=page.source_name, url=page.source_url),
            byline=credits_of(page.byline),
            photo_credit=page.photo_credit,
            responsible_editor=page.responsible_editor,
        )
    return {}


def page_content(page, type_name, lookup, date_fallback=None):
    """The canonical content of a page object (a stored page or a revision's version)."""
    content = dict(
        title=page.title,
        summary=page.summary,
        search_description=page.search_description,
        date=page_date(page.date or date_fallback),
        script=page.script,
        tags=list(page.tags),
        region=page.region,
        go_live_at=page.go_live_at,
        expire_at=page.expire_at,
        **_type_content(page, type_name, lookup),
        conversion_rules=[
            {"hans": v.get("hans", ""), "hant": v.get("hant", "")}
            for v in _stream_values(page.conversion_rules, "rule")
        ],
    )
    if hasattr(page, "body"):
        content["body"] = body_of(page.body, lookup)
    return compact(**content)


def consent_of(identity):
    if identity is None or not (identity.consent_obtained_on or identity.consent_expires_on):
        return None
    return {
        "obtained_on": identity.consent_obtained_on,
        "expires_on": identity.consent_expires_on,
        "scope": identity.consent_scope,
    }


def private_of(identity):
    if identity is None:
        return None
    return {
        "real_name": identity.real_name,
        "guardians": list(identity.guardians),
        "school": identity.school,
        "address": identity.address,
        "notes": identity.notes,
        "birth_date": identity.birth_date,
        "id_number": identity.id_number,
        "phones": list(identity.phones),
        "chat_ids": list(identity.chat_ids),
        "other_identifiers": list(identity.other_identifiers),
    }
