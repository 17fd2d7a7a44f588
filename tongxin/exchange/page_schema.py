"""Validation of one page item: common keys, the keys of its type, its story data.

The result is a PageItem whose `content` is the page's canonical form (values.py), the same
form represent.page_content() gives for a stored page, so the two can be compared.
"""

import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug

from campaigns.models import ORGANIZER_ROLES
from tongxin.scripts.convert import HANS, HANT, VARIANTS, convert_text

from . import reader as R
from . import spec
from .block_schema import body, figure_items
from .values import Invalid, compact, parse_date_or_datetime

ROLES = tuple(value for value, _ in ORGANIZER_ROLES)
# A file written in traditional characters spells the roles 主辦, 協辦, 媒體支持; they are
# stored as the simplified choices the admin offers.
ROLE_SPELLINGS = {
    convert_text(role, source=HANS, target=HANT, variant=variant): role
    for role in ROLES
    for variant in VARIANTS
} | {role: role for role in ROLES}
PATH_RE = re.compile(r"/(?:[^/]+/)*")


@dataclass
class PageItem:
    index: int
    where: str
    type: str
    path: str
    content: dict
    live: bool = True
    consent: dict | None = None
    private: dict | None = None

    @property
    def depth(self):
        return self.path.count("/") - 1

    @property
    def parent_path(self):
        return None if self.path == "/" else self.path[: self.path.rstrip("/").rfind("/") + 1]


def page_path(value):
    if not isinstance(value, str) or not PATH_RE.fullmatch(value):
        raise Invalid('must start and end with "/", like /campaign/series/ep-2/')
    for segment in value.strip("/").split("/") if value != "/" else ():
        try:
            validate_unicode_slug(segment)
        except ValidationError as exc:
            raise Invalid(f'"{segment}" is not a slug (letters, digits, - and _)') from exc
        if len(segment) > 255:
            raise Invalid(f'"{segment[:20]}…" is longer than 255 characters')
    return value


def _rules(r, key):
    rules = []
    for rule in r.children(key, spec.RULE_KEYS):
        rules.append(
            {
                "hans": rule.get("hans", R.text(100, blank=False), required=True),
                "hant": rule.get("hant", R.text(100, blank=False), required=True),
            }
        )
    return rules


def _credits(r, key):
    credits = []
    for credit in r.children(key, spec.CREDIT_KEYS):
        credits.append(
            {
                "role": credit.get("role", R.text(40, blank=False), required=True),
                "names": credit.get("names", R.strings(60, separators_allowed=True), default=[]),
            }
        )
    return credits


def _organizer_role(value):
    if isinstance(value, str) and value.strip() in ROLE_SPELLINGS:
        return ROLE_SPELLINGS[value.strip()]
    raise Invalid("must be one of " + ", ".join(f'"{role}"' for role in ROLES))


def _organizers(r, ctx):
    organizers = []
    for item in r.children("organizers", spec.ORGANIZER_KEYS):
        organizers.append(
            {
                "org": item.get("org", ctx.known(ctx.org_keys, "organization"), required=True),
                "role": item.get("role", _organizer_role, required=True),
            }
        )
    return organizers


def _fund_keys(r, ctx):
    keys = r.get("funds", R.strings(80), default=[])
    for index, key in enumerate(keys):
        if key not in ctx.fund_keys:
            r.error(
                f"funds[{index}]", f'unknown fund key "{key}" (not in the file nor on the site)'
            )
    return sorted(keys)


def _common(r, ctx):
    go_live_at = r.get("go_live_at", R.datetime)
    expire_at = r.get("expire_at", R.datetime)
    if go_live_at and expire_at and expire_at <= go_live_at:
        r.error("expire_at", "must be after go_live_at")
    return dict(
        title=r.get("title", R.text(255, blank=False), required=True),
        summary=r.get("summary", R.text(1000)),
        search_description=r.get("search_description", R.text()),
        date=r.get("date", parse_date_or_datetime),
        script=r.get("script", R.choice(spec.SCRIPTS), default="hans"),
        tags=r.get("tags", R.strings(100), default=[]),
        region=r.get("region", R.text(100)),
        go_live_at=go_live_at,
        expire_at=expire_at,
        conversion_rules=_rules(r, "conversion_rules"),
    )


def _campaign(r, ctx):
    starts_on, ends_on = r.get("starts_on", R.date), r.get("ends_on", R.date)
    if starts_on and ends_on and ends_on < starts_on:
        r.error("ends_on", "is before starts_on")
    return dict(
        slogan=r.get("slogan", R.text(200)),
        organizers=_organizers(r, ctx),
        figures=figure_items(r, "figures", ctx),
        funds=_fund_keys(r, ctx),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _series(r, ctx):
    return dict(
        planned_episodes=r.get("planned_episodes", R.integer(1, 32767)),
        credits=_credits(r, "credits"),
    )


def _episode(r, ctx):
    return dict(
        number=r.get("number", R.integer(1, 32767)),
        video_url=r.get("video_url", R.url(("https",), 500)),
        credits=_credits(r, "credits"),
    )


def _fund_launch(r, ctx):
    programme = []
    for item in r.children("programme", spec.PROGRAMME_KEYS):
        programme.append(
            {
                "time": item.get("time", R.text(20, blank=False), required=True),
                "item": item.get("item", R.text(200, blank=False), required=True),
            }
        )
    return dict(
        fund=r.get("fund", ctx.known(ctx.fund_keys, "fund")),
        event_date=r.get("event_date", R.date),
        venue=r.get("venue", R.text(200)),
        organizers=_organizers(r, ctx),
        initial_amount=r.get("initial_amount", R.amount),
        annual_commitment=r.get("annual_commitment", R.amount),
        custodian=r.get("custodian", ctx.known(ctx.org_keys, "organization")),
        purposes=r.get("purposes", R.strings(100), default=[]),
        programme=programme,
        figures=figure_items(r, "figures", ctx),
    )


def _story(r, ctx):
    genders = spec.genders()
    gender = r.get("gender", R.choice(tuple(genders)))
    return dict(
        pseudonym=r.get("pseudonym", R.text(40)),
        age=r.get("age", R.integer(0, 25)),
        gender=genders.get(gender),
        circumstances=r.get("circumstances", R.strings(100), default=[]),
        support=r.get("support", R.text()),
    )


def _news(r, ctx):
    source = r.child("source", spec.SOURCE_KEYS)
    return dict(
        source=compact(
            name=source.get("name", R.text(120)), url=source.get("url", R.url(("https", "http")))
        )
        if source
        else None,
        byline=_credits(r, "byline"),
        photo_credit=r.get("photo_credit", R.text(200)),
        responsible_editor=r.get("responsible_editor", R.text(60)),
    )


def _home(r, ctx):
    return dict(featured_campaign=r.get("featured_campaign", page_path))


TYPE_READERS = {
    "home": _home,
    "campaign": _campaign,
    "series": _series,
    "episode": _episode,
    "fund_launch": _fund_launch,
    "story": _story,
    "news": _news,
    "story_index": lambda r, ctx: {},
    "news_index": lambda r, ctx: {},
}


def consent(r):
    c = r.child("consent", spec.CONSENT_KEYS)
    if c is None:
        return None
    obtained_on = c.get("obtained_on", R.date, required=True)
    expires_on = c.get("expires_on", R.date, required=True)
    if obtained_on and expires_on and expires_on < obtained_on:
        c.error("expires_on", "is before obtained_on")
    scope = c.get("scope", R.strings(), required=True, default=[])
    for name in scope:
        if name not in spec.CONSENT_SCOPES:
            c.error("scope", f'unknown scope "{name}" (one of "web", "partners")')
    ordered = [name for name in spec.CONSENT_SCOPES if name in scope]
    return {"obtained_on": obtained_on, "expires_on": expires_on, "scope": ordered}


def private(r):
    p = r.child("private", spec.PRIVATE_KEYS)
    if p is None:
        return None
    return {
        "real_name": p.get("real_name", R.text(60), default=""),
        "guardians": p.get("guardians", R.strings(100), default=[]),
        "school": p.get("school", R.text(200), default=""),
        "address": p.get("address", R.text(300), default=""),
        "notes": p.get("notes", R.text(), default=""),
        "birth_date": p.get("birth_date", R.date, default=None),
        "id_number": p.get("id_number", R.text(30), default=""),
        "phones": p.get("phones", R.strings(100), default=[]),
        "chat_ids": p.get("chat_ids", R.strings(100), default=[]),
        "other_identifiers": p.get("other_identifiers", R.strings(200), default=[]),
    }


def path_from_title(r, ctx, raw):
    """`parent` instead of `path`: the last segment is the title in pinyin (tongxin.editorial
    .slugs). Importing the file again finds the same page; two such pages of the same title
    under one parent in a file get -2, -3…"""
    from tongxin.core.slugs import pinyin_slug

    parent = r.get("parent", page_path, required=True)
    title = raw.get("title")
    slug = pinyin_slug(title) if isinstance(title, str) else ""
    if not parent:
        return None
    if not slug:
        r.error("parent", "the title gives no slug: give a path instead")
        return None
    taken = ctx.__dict__.setdefault("titled_paths", set())
    path, n = f"{parent}{slug}/", 1
    while path in taken:
        n += 1
        path = f"{parent}{slug}-{n}/"
    taken.add(path)
    return path


def page_item(ctx, index, raw):
    """The PageItem for pages[index], or None when it is too broken to check further."""
    where = f"pages[{index}]"
    if not isinstance(raw, dict):
        ctx.report.add(where, "", "not an object")
        return None
    if isinstance(raw.get("path"), str):
        where = f"{where} {raw['path']}"
    elif isinstance(raw.get("parent"), str):
        where = f"{where} {raw['parent']}…"
    type_name = raw.get("type")
    if not isinstance(type_name, str) or type_name not in spec.PAGE_MODELS:
        types = ", ".join(spec.PAGE_MODELS)
        message = (
            "required"
            if type_name is None
            else f"unknown page type {json.dumps(type_name, ensure_ascii=False)}"
        )
        ctx.report.add(where, "type", f"{message} (one of {types})")
        return None
    r = R.Reader(ctx.report, where, raw, (*spec.page_keys(type_name), "body", "parent"))
    if raw.get("path") is None and raw.get("parent") is not None:
        path = path_from_title(r, ctx, raw)
    else:
        path = r.get("path", page_path, required=True)
    content = {**_common(r, ctx), **TYPE_READERS[type_name](r, ctx)}
    if spec.has_field(spec.page_model(type_name), "body"):
        content["body"] = body(r, ctx)
    elif r.has("body"):
        r.error("body", f"{type_name} pages have no body")
    item = PageItem(
        index=index,
        where=where,
        type=type_name,
        path=path,
        content=compact(**content),
        live=r.get("live", R.boolean, default=True),
    )
    if type_name == "story":
        item.consent, item.private = consent(r), private(r)
    return item if path else None
