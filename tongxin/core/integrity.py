"""Pages changed behind the CMS's back: the live row no longer what was published.

Everything a reader sees of a page was published from a revision, so the live row must equal
its live revision's content, field by field (inline children included), and the rendered
<title> and meta description must show the page's own fields. A difference means someone
wrote to the database directly (the old sites were defaced that way) or something rewrote a
cached render. Run by `manage.py verify_integrity` from cron and by `/healthz?deep=1`.

Only field names are reported, never values: the output goes to logs and alert mails, and a
page's text may be spam someone injected.
"""

import contextlib
import html
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import Client
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from .spam import fold, page_problems

# Set from the live row or by publishing itself, not from the revision's content.
NOT_CONTENT = {
    "id",
    "pk",
    "page_ptr",
    "path",
    "depth",
    "numchild",
    "url_path",
    "content_type",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
    "latest_revision_created_at",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "locale",
    "translation_key",
    "alias_of",
    "comments",
    "wagtail_admin_comments",
}
# Keys of inline children (organizers...) that differ between a revision and the live rows.
CHILD_KEYS_IGNORED = {"pk", "id", "page"}

TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
DESCRIPTION_RE = re.compile(r'<meta name="description" content="([^"]*)"')
# The template truncates the description to 160 characters; compare well inside that.
DESCRIPTION_PREFIX = 100


@dataclass
class Finding:
    path: str
    problems: list[str] = field(default_factory=list)
    unverified: bool = False

    def __str__(self):
        return f"{self.path}: {'; '.join(self.problems)}"


def _comparable(value):
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in CHILD_KEYS_IGNORED}
    return value


def _as_stored(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _numbers(model, data):
    """Decimal columns as numbers: 1000000 in a revision is 1000000.00 in the row; JSON
    columns (StreamFields) as data: PostgreSQL's jsonb gives the keys back in its own order
    and spacing, so their text is not compared."""
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, (models.DecimalField, models.FloatField)) and value is not None:
            data[name] = Decimal(str(value))
        elif isinstance(field, StreamField) and isinstance(value, str):
            with contextlib.suppress(ValueError):  # not JSON: compared as written
                data[name] = json.loads(value)
    return data


def changed_fields(page):
    """Names of the fields where `page`'s live row differs from its live revision (None
    when the page has no revision to compare with: made by a migration or a script)."""
    revision = page.live_revision
    if revision is None:
        return None
    # Through JSON as revisions are stored (datetimes to the millisecond, decimals as text).
    published = _numbers(type(page), _as_stored(revision.as_object().serializable_data()))
    live = _numbers(type(page), _as_stored(page.serializable_data()))
    return sorted(
        name
        for name in set(published) | set(live)
        if name not in NOT_CONTENT
        and _comparable(published.get(name)) != _comparable(live.get(name))
    )


def site_path(page, roots):
    for root_path in roots:
        if page.url_path.startswith(root_path):
            return "/" + page.url_path[len(root_path) :]
    return page.url_path


def _script_prefix(page):
    return "zh-hant" if getattr(page, "script", "hans") == "hant" else "zh-hans"


def rendered_problems(page, client, path):
    """The rendered <title> and meta description against the page's own fields."""
    from tongxin.core.tags.renditions import page_meta

    url = f"/{_script_prefix(page)}{path}"
    response = client.get(url, secure=True)
    if response.status_code != 200:
        return []  # restricted, withdrawn (consent) or not servable: nothing rendered to read
    text = response.content.decode(errors="replace")
    expected = page_meta(page)
    problems = []
    title = TITLE_RE.search(text)
    if expected["title"] and (
        not title or fold(expected["title"]) not in fold(html.unescape(title.group(1)))
    ):
        problems.append("网页标题与页面字段不符")
    description = DESCRIPTION_RE.search(text)
    wanted = fold(expected["description"][:DESCRIPTION_PREFIX])
    if wanted and (not description or wanted not in fold(html.unescape(description.group(1)))):
        problems.append("网页描述与页面字段不符")
    return problems


def check_site(render=True):
    """A Finding for every live page that has problems or could not be compared with a
    revision (`unverified`, not a failure by itself); only those with problems fail."""
    sites = list(Site.objects.select_related("root_page"))
    roots = sorted((s.root_page.url_path for s in sites), key=len, reverse=True)
    clients = {}
    findings = []
    pages = Page.objects.live().exclude(depth=1).specific().order_by("path")
    for page in pages:
        finding = Finding(site_path(page, roots))
        fields = changed_fields(page)
        finding.unverified = fields is None
        if fields:
            finding.problems.append("与已发布版本不同的字段：" + "、".join(fields))
        spam = page_problems(page)
        if spam:
            finding.problems.append("含有垃圾内容词：" + "、".join(sorted(spam)))
        if render:
            site = page.get_site()
            if site is not None:
                if site.pk not in clients:
                    clients[site.pk] = Client(HTTP_HOST=site.hostname)
                finding.problems += rendered_problems(page, clients[site.pk], finding.path)
        if finding.problems or finding.unverified:
            findings.append(finding)
    return findings
