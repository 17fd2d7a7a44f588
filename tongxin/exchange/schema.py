"""Validation of a whole `tongxin-content/1` document.

`check(document, base_dir, site)` is pure apart from reading image files: the site is
described by a SiteFacts (site.py), so every rule can be tested without a database. It
collects every error (never stops at the first) and returns the document in canonical
form for the importer. `errors(...)` is the same, errors only.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from campaigns.models import FUND_STATUS, ORGANIZATION_KINDS, normalise_host

from . import reader as R
from . import spec
from .block_schema import Context
from .page_schema import page_item
from .site import SiteFacts
from .values import Invalid

HOST_RE = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")
KEY_RE = re.compile(r"[-a-zA-Z0-9_]+")
KINDS = tuple(value for value, _ in ORGANIZATION_KINDS)
STATUSES = tuple(value for value, _ in FUND_STATUS)


@dataclass
class Document:
    hosts: list = field(default_factory=list)
    hant_variant: str | None = None
    rules: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    funds: list = field(default_factory=list)
    pages: list = field(default_factory=list)


@dataclass
class Checked:
    errors: list
    document: Document | None


def errors(document, base_dir=None, site=None):
    return check(document, base_dir, site).errors


def check(document, base_dir=None, site=None):
    report = R.Report()
    ctx = Context(report=report, base_dir=base_dir, site=site or SiteFacts())
    if not isinstance(document, dict):
        report.add("", "", "the document must be a JSON object")
        return Checked(report.errors, None)
    top = R.Reader(report, "", document, spec.TOP_KEYS)
    if document.get("format") != spec.FORMAT:
        # Another format (or none): its keys mean something else, so stop here.
        got = "missing" if "format" not in document else f'"{document["format"]}"'
        top.error("format", f'must be "{spec.FORMAT}" (got {got})')
        return Checked(report.errors, None)
    result = Document()
    ctx.hosts = set(ctx.site.hosts)  # what an administrator approved; the file may add more
    _settings(top, ctx, result)
    result.rules = _site_rules(top, ctx)
    result.organizations = _organizations(top, ctx)
    ctx.org_keys = ctx.site.org_keys | {o["key"] for o in result.organizations}
    result.funds = _funds(top, ctx)
    ctx.fund_keys = ctx.site.fund_keys | {f["key"] for f in result.funds}
    items = top.get("pages", R.as_list, default=[])
    result.pages = [p for i, raw in enumerate(items) if (p := page_item(ctx, i, raw))]
    _check_tree(result.pages, ctx)
    return Checked(report.errors, result if not report.errors else None)


def host_name(value):
    value = R.text(blank=False)(value)
    host = normalise_host(value)
    if not HOST_RE.fullmatch(host):
        raise Invalid(f'"{value}" is not a host name (like gongyi.qq.com, without https://)')
    return host


def _settings(top, ctx, result):
    s = top.child("settings", spec.SETTINGS_KEYS)
    if s is None:
        return
    hosts = s.get("donation_hosts", R.as_list, default=[])
    for index, value in enumerate(hosts):
        try:
            host = host_name(value)
        except Invalid as exc:
            s.error(f"donation_hosts[{index}]", str(exc))
            continue
        if host not in result.hosts:
            result.hosts.append(host)
    ctx.hosts |= set(result.hosts)
    result.hant_variant = s.get("hant_variant", R.choice(spec.HANT_VARIANTS))


def _items(top, key, keys, ctx, label):
    """(Reader, identifying value) for each object of a top-level list."""
    result = []
    for index, raw in enumerate(top.get(key, R.as_list, default=[])):
        where = f"{key}[{index}]"
        if not isinstance(raw, dict):
            ctx.report.add(where, "", "not an object")
            continue
        ident = raw.get(label)
        if isinstance(ident, str):
            where = f"{where} {label}={ident}" if label == "key" else f"{where} {ident}"
        result.append(R.Reader(ctx.report, where, raw, keys))
    return result


def _unique(readers_and_values, name):
    seen = {}
    for r, value in readers_and_values:
        if value is None:
            continue
        if value in seen:
            r.error(name, f'"{value}" is already used by {seen[value]}')
        else:
            seen[value] = r.where


def _key(value):
    value = R.text(80, blank=False)(value)
    if not KEY_RE.fullmatch(value):
        raise Invalid("letters, digits, - and _ only")
    return value


def _site_rules(top, ctx):
    rules, readers = [], []
    for r in _items(top, "conversion_rules", spec.RULE_KEYS, ctx, "hans"):
        rule = {
            "hans": r.get("hans", R.text(100, blank=False), required=True),
            "hant": r.get("hant", R.text(100, blank=False), required=True),
        }
        rules.append(rule)
        readers.append((r, rule["hans"]))
    _unique(readers, "hans")
    return rules


def _organizations(top, ctx):
    organizations, readers = [], []
    for r in _items(top, "organizations", spec.ORGANIZATION_KEYS, ctx, "key"):
        org = {
            "key": r.get("key", _key, required=True),
            "name": r.get("name", R.text(200, blank=False), required=True),
            "kind": r.get("kind", R.choice(KINDS), default="other"),
            "url": r.get("url", R.url(("https", "http"), 200), default=""),
            "region": r.get("region", R.text(100), default=""),
            "public_phone": r.get("public_phone", R.text(200), default=""),
        }
        organizations.append(org)
        readers.append((r, org["key"]))
    _unique(readers, "key")
    return organizations


def _donate_url(ctx):
    def parse(value):
        value = R.text(500, blank=False)(value)
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError as exc:
            raise Invalid("not a URL") from exc
        if parts.scheme != "https":
            raise Invalid("must start with https://")
        if parts.username or parts.password or not parts.hostname:
            raise Invalid("has no valid host name")
        if normalise_host(parts.hostname) not in ctx.hosts:
            raise Invalid(
                f"host {parts.hostname} is not an approved donation host "
                "(list it in settings.donation_hosts)"
            )
        return value

    return parse


def _funds(top, ctx):
    funds, readers = [], []
    for r in _items(top, "funds", spec.FUND_KEYS, ctx, "key"):
        org = ctx.known(ctx.org_keys, "organization")
        fund = {
            "key": r.get("key", _key, required=True),
            "name": r.get("name", R.text(200, blank=False), required=True),
            "organization": r.get("organization", org, required=True),
            "custodian": r.get("custodian", org),
            "record_number": r.get("record_number", R.text(80, blank=False), required=True),
            "platform": r.get("platform", R.text(120, blank=False), required=True),
            "donate_url": r.get("donate_url", _donate_url(ctx), required=True),
            "currency": r.get("currency", _currency, default="CNY"),
            "target": r.get("target", R.amount),
            "raised": r.get("raised", R.amount),
            "raised_as_of": r.get("raised_as_of", R.date),
            "annual_commitment": r.get("annual_commitment", R.amount),
            "restricted": r.get("restricted", R.boolean, default=False),
            "purposes": r.get("purposes", R.strings(100), default=[]),
            "status": r.get("status", R.choice(STATUSES), default="open"),
        }
        funds.append(fund)
        readers.append((r, fund["key"]))
    _unique(readers, "key")
    return funds


def _currency(value):
    value = R.text()(value)
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise Invalid("must be a three-letter currency code such as CNY")
    return value


# --- the page tree ------------------------------------------------------------------------


def _check_tree(pages, ctx):
    by_path = {}
    for page in pages:
        if page.path in by_path:
            ctx.report.add(page.where, "path", f"duplicate of {by_path[page.path].where}")
        else:
            by_path[page.path] = page
    for page in by_path.values():
        _check_place(page, by_path, ctx)
    _check_one_per_parent(by_path, ctx)
    _check_episode_numbers(by_path, ctx)
    _check_featured(by_path, ctx)


def _model_at(path, by_path, ctx):
    if path in by_path:
        return spec.page_model(by_path[path].type)
    existing = ctx.site.pages.get(path)
    return existing.model if existing else None


def _check_place(page, by_path, ctx):
    add = ctx.report.add
    existing = ctx.site.pages.get(page.path)
    if existing and existing.type != page.type:
        kind = existing.type or existing.model._meta.verbose_name
        add(page.where, "type", f"the site already has a {kind} page at this path")
    if (page.path == "/") != (page.type == "home"):
        add(page.where, "type", 'the home page, and only it, is at path "/"')
        return
    if page.path == "/":
        return
    parent_model = _model_at(page.parent_path, by_path, ctx)
    if parent_model is None:
        add(page.where, "path", f"parent {page.parent_path} is neither in the file nor on the site")
        return
    model = spec.page_model(page.type)
    if not any(issubclass(parent_model, m) for m in model.allowed_parent_page_models()):
        parent = spec.type_of_model(parent_model) or parent_model._meta.verbose_name
        add(page.where, "type", f"{page.type} pages cannot be under {parent} pages")


def _children_of(parent_path, by_path, ctx):
    """(path, model, item or None) of every page directly under parent_path, file first."""
    found = {}
    for path, item in by_path.items():
        if item.parent_path == parent_path:
            found[path] = (spec.page_model(item.type), item)
    for path, existing in ctx.site.pages.items():
        if path not in found and path != "/" and _parent(path) == parent_path:
            found[path] = (existing.model, None)
    return found


def _parent(path):
    return path[: path.rstrip("/").rfind("/") + 1]


def _check_one_per_parent(by_path, ctx):
    parents = {item.parent_path for item in by_path.values() if item.parent_path}
    for parent_path in parents:
        counts = {}
        for model, item in _children_of(parent_path, by_path, ctx).values():
            limit = getattr(model, "max_count_per_parent", None)
            if not limit:
                continue
            counts[model] = counts.get(model, 0) + 1
            if item and counts[model] > limit:
                ctx.report.add(
                    item.where,
                    "type",
                    f"only {limit} {item.type} page(s) allowed under {parent_path}",
                )


def _check_episode_numbers(by_path, ctx):
    episode = spec.page_model("episode")
    series_paths = {i.parent_path for i in by_path.values() if i.type == "episode"}
    for series_path in series_paths:
        taken = {}
        children = _children_of(series_path, by_path, ctx)
        # Numbers already on the site that the file does not touch come first.
        for path, (model, item) in sorted(children.items(), key=lambda kv: kv[1][1] is not None):
            existing = ctx.site.pages.get(path)
            if not issubclass(model, episode):
                continue
            if item is None:
                number = existing.number if existing else None
            else:
                number = item.content.get("number") or (existing.number if existing else None)
            if number is None:
                continue
            if number in taken and item is not None:
                ctx.report.add(
                    item.where,
                    "number",
                    f"episode {number} of {series_path} is already {taken[number]}",
                )
            taken.setdefault(number, path)


def _check_featured(by_path, ctx):
    home = by_path.get("/")
    target = home.content.get("featured_campaign") if home else None
    if target and _model_at(target, by_path, ctx) is not spec.page_model("campaign"):
        ctx.report.add(home.where, "featured_campaign", f"{target} is not a campaign page")
