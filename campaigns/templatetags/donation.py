"""The site-wide donation banner and the fund links of the public templates.

`{% load donation %}{% donation_banner %}` (base.html) shows this site's DonationBanner while
it is on and its fund is open: one query (the setting with its fund, organization and
custodian) when the cached fragment is missing, none when there is no request or on the
click-through's own pages.
"""

from urllib.parse import urlencode

from django import template
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Page

from campaigns.blocks import DonateBlock
from campaigns.models import DonationBanner
from tongxin.core.fragments import NotCacheable, fragment

register = template.Library()

# The value class needs a block; the banner's value is built without a database round trip.
_BANNER_BLOCK = DonateBlock()
BANNER_TEMPLATE = "campaigns/donation_banner.html"


def banner_value(banner):
    """The banner as a donation block value, so it renders exactly like the block."""
    return _BANNER_BLOCK.meta.value_class(
        _BANNER_BLOCK,
        [
            ("fund", banner.fund),
            ("heading", banner.heading),
            ("text", banner.text),
            ("amounts", []),
        ],
    )


def _hidden_here(request):
    # The /donate/<key>/ pages (an ended appeal) never show an appeal banner.
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "donate"


# Stands for the page's `?from=<page id>` in the cached banner (ASCII: no conversion touches it).
FROM_PLACEHOLDER = "__tongxin_banner_from__"


def _banner_context(request):
    """The banner's template context, with the placeholder where the page's link goes."""
    try:
        banner = DonationBanner.for_request_if_any(request)
    except DatabaseError as error:
        # An error page must not fail on its banner, and a failed read is not kept.
        raise NotCacheable("") from error
    if banner is None or not banner.enabled or banner.fund is None or not banner.fund.is_open:
        return {"value": None}
    value = banner_value(banner)
    links = value.links(request, None)
    links.href = f"{links.href}{FROM_PLACEHOLDER}"
    return {"value": value, "links": links, "request": request, "page": None}


@register.simple_tag(takes_context=True)
def donation_banner(context):
    """The banner, rendered and converted once per site, script and content state
    (tongxin.core.fragments); only the page's `?from=` is put in per request."""
    request = context.get("request")
    if request is None or _hidden_here(request):
        return ""

    def build():
        return render_to_string(BANNER_TEMPLATE, _banner_context(request), request=request)

    html = fragment(request, "banner", build)
    page = context.get("page")
    page_id = page.pk if isinstance(page, Page) else None
    query = f"?{urlencode({'from': page_id})}" if page_id else ""
    return mark_safe(html.replace(FROM_PLACEHOLDER, query))  # noqa: S308 - our markup, an int


@register.filter
def donate_href(fund, page=None):
    """`{{ fund|donate_href:page }}`: `/donate/<key>/?from=<page id>`, the counted link."""
    return fund.donate_href(page) if fund is not None else ""
