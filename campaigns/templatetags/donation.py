"""The site-wide donation banner and the fund links of the public templates.

`{% load donation %}{% donation_banner %}` (base.html) shows this site's DonationBanner while
it is on and its fund is open: one query (the setting with its fund, organization and
custodian), none when there is no request or on the click-through's own pages.
"""

from django import template
from django.db import DatabaseError

from campaigns.blocks import DonateBlock
from campaigns.models import DonationBanner

register = template.Library()

# The value class needs a block; the banner's value is built without a database round trip.
_BANNER_BLOCK = DonateBlock()


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


@register.inclusion_tag("campaigns/donation_banner.html", takes_context=True)
def donation_banner(context):
    request = context.get("request")
    if request is None or _hidden_here(request):
        return {"value": None}
    try:
        banner = DonationBanner.for_request_if_any(request)
    except DatabaseError:
        # An error page must not fail on its banner.
        return {"value": None}
    if banner is None or not banner.enabled or banner.fund is None or not banner.fund.is_open:
        return {"value": None}
    value = banner_value(banner)
    return {
        "value": value,
        "links": value.links(request, context.get("page")),
        "request": request,
        "page": context.get("page"),
    }


@register.filter
def donate_href(fund, page=None):
    """`{{ fund|donate_href:page }}`: `/donate/<key>/?from=<page id>`, the counted link."""
    return fund.donate_href(page) if fund is not None else ""
