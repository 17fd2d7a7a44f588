from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from wagtail.models import Page

from tongxin.core.responses import without_cookies
from tongxin.core.visibility import visible

from .models import DonationClick, Fund, donation_url_error


def source_page_id(request):
    raw = request.GET.get("from", "")
    # ASCII digits only: str.isdigit() also accepts "１" and "²", and int("²") raises.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        return None
    return Page.objects.filter(pk=int(raw)).values_list("pk", flat=True).first()


def count_click(fund, page_id):
    bucket = {"fund": fund, "day": timezone.localdate(), "source_page_id": page_id}
    if DonationClick.objects.filter(**bucket).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DonationClick.objects.create(count=1, **bucket)
    except IntegrityError:
        # Another request created the bucket between our update and insert.
        DonationClick.objects.filter(**bucket).update(count=F("count") + 1)


def closed_fund_context(fund):
    """What the page of an appeal that takes no donations points to: the public campaigns
    that carry it, and their funds that are still open (the reader came to give)."""
    from .models import CampaignPage

    campaigns = list(visible(CampaignPage.objects.filter(funds=fund), "web").order_by("path"))
    open_funds = (
        Fund.objects.filter(campaigns__in=campaigns, status="open")
        .exclude(pk=fund.pk)
        .select_related("organization", "custodian")
        .distinct()
        .order_by("name")
    )
    return {"fund": fund, "campaigns": campaigns, "open_funds": list(open_funds)}


class WithoutScriptPrefixes:
    """A URLconf without i18n_patterns, for the 404 of an unknown fund key.

    LocaleMiddleware answers a 404 on a path without a script prefix with a redirect to
    `/zh-hans/<path>` whenever that path resolves, and Wagtail's catch-all resolves every
    path; the contract (contracts/urls.md) wants a plain 404 for `/donate/<unknown>/`.
    Setting it on the request only changes what LocaleMiddleware checks on the way out: the
    URL was resolved already and the 404 page renders with the project's URLconf."""

    urlpatterns = []


@never_cache
@without_cookies
def donate(request, key):
    """Counted click-through to the fund's approved donation URL, and nowhere else.

    The target comes only from the Fund row; no query parameter is ever used to build it,
    so this cannot become an open redirect."""
    fund = Fund.objects.select_related("organization", "custodian").filter(key=key).first()
    if fund is None:
        request.urlconf = WithoutScriptPrefixes
        raise Http404("unknown fund")
    if not fund.is_open or donation_url_error(fund.donate_url):
        # Ended, or an administrator withdrew the host's approval after the fund was saved.
        context = closed_fund_context(fund)
        return render(request, "campaigns/donate_closed.html", context, status=410)
    if request.method == "GET":
        # A HEAD is a link checker or a preview bot asking where the link goes, not a reader.
        count_click(fund, source_page_id(request))
    response = HttpResponseRedirect(fund.donate_url)
    response["Referrer-Policy"] = "no-referrer"
    return response
