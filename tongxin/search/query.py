"""Reading the reader's search parameters and running the search.

Every parameter is taken as untrusted text: anything unusable is dropped with a notice the
page shows, never an error. The number of queries does not depend on the number of matches:
visibility rules are subqueries, and the cards are built from the entry and its page row.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F
from django.utils.translation import gettext, gettext_lazy
from wagtail.models import Page

from campaigns.models import (
    CampaignPage,
    EpisodePage,
    FundLaunchEventPage,
    NewsPage,
    SeriesPage,
)
from stories.models import StoryPage
from tongxin.core.contentversion import content_state
from tongxin.core.visibility import visible

from .analysis import MAX_QUERY_TOKENS, clean, normalise, query_terms, query_text, tokens
from .excerpts import excerpt, lead
from .fulltext import matching
from .models import SearchEntry

PER_PAGE = 10
# What readers can filter by, named as in the content format (contracts/content-format.md).
FILTER_TYPES = {
    "campaign": CampaignPage,
    "series": SeriesPage,
    "episode": EpisodePage,
    "fund_launch": FundLaunchEventPage,
    "story": StoryPage,
    "news": NewsPage,
}
MAX_PARAM_LENGTH = 100
# The columns needed to match, not to show: left out of the rows a results page loads.
MATCH_COLUMNS = ("title_terms", "summary_terms", "body_terms", "meta_terms", "plain_text")
# What a result card calls each page type: short, as readers name them.
TYPE_LABELS = {
    "newspage": gettext_lazy("新闻"),
    "storypage": gettext_lazy("故事"),
    "episodepage": gettext_lazy("分集"),
    "seriespage": gettext_lazy("系列专题"),
    "fundlauncheventpage": gettext_lazy("基金启动"),
    "campaignpage": gettext_lazy("活动"),
}
# Region suggestions offered under the region field (a datalist), at most this many.
MAX_REGION_SUGGESTIONS = 200
REGION_CACHE_SECONDS = 3600


def type_choices():
    return [(name, str(model._meta.verbose_name)) for name, model in FILTER_TYPES.items()]


def type_label(page_type):
    return TYPE_LABELS.get(page_type, "")


def _param(params, name):
    return clean(params.get(name) or "")


def _page_number(value):
    """1-based page number; anything that is not a positive integer is page 1."""
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii() or len(value) > 9:
        return 1
    return max(1, int(value))


@dataclass
class SearchParams:
    q: str = ""
    type: str = ""
    campaign: str = ""
    region: str = ""
    page: int = 1
    notices: list = field(default_factory=list)

    @classmethod
    def from_query(cls, params):
        notices = []
        q, was_cut = query_text(params.get("q") or "")
        if was_cut:
            notices.append(gettext("搜索词太长，只按前 %(count)s 个字搜索。") % {"count": len(q)})
        type_name = _param(params, "type").lower()
        if type_name and type_name not in FILTER_TYPES:
            notices.append(
                gettext("没有“%(type)s”这种内容类型，已按全部类型搜索。") % {"type": type_name[:20]}
            )
            type_name = ""
        region = _param(params, "region")
        if len(region) > MAX_PARAM_LENGTH:
            notices.append(gettext("地区名称太长，已忽略地区条件。"))
            region = ""
        return cls(
            q=q,
            type=type_name,
            campaign=_param(params, "campaign")[:MAX_PARAM_LENGTH],
            region=region,
            page=_page_number(params.get("page")),
            notices=notices,
        )

    def query_string(self, **changes):
        """The parameters as a URL query (empty ones left out), for links that keep them."""
        values = {
            "q": self.q,
            "type": self.type,
            "campaign": self.campaign,
            "region": self.region,
        } | changes
        if values.get("page") == 1:
            values["page"] = None  # the first page's address is the search's own
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def public_campaigns():
    """Visible campaigns for the filter (one query)."""
    return list(
        visible(CampaignPage.objects.all(), "web")
        .order_by("path")
        .only("id", "title", "slug", "script", "path", "depth")
    )


def find_campaign(value, campaigns):
    """The campaign a `campaign` parameter names, by page id or slug, or None."""
    for campaign in campaigns:
        if value == str(campaign.pk) or value == campaign.slug:
            return campaign
    return None


def findable(entries):
    """Only entries of pages visible on the web now (tongxin.core.visibility)."""
    return entries.filter(page__in=visible(Page.objects.all(), "web").values("pk"))


def in_region(entries, region):
    """Entries whose region contains the reader's, or is contained in it (both normalised):
    青云县 finds 青云县 and 青云市青云县; 青云市青云县 finds 青云县 too.

    Matched against the site's regions in Python, then ``region IN (…)`` in SQL: an indexed
    condition the planner can estimate, where a LIKE both ways could not be."""
    wanted = normalise(region)
    if not wanted:
        return entries
    matching = [r for r in known_regions() if wanted in r or r in wanted]
    return entries.filter(region__in=matching)


def known_regions():
    """Every region the pages the public can find carry (normalised, sorted).

    Cached under the content state (tongxin.core.contentversion): publishing, a view
    restriction, a consent change or an expiry moment makes a new list."""
    key = f"search:regions:{content_state()}"
    found = cache.get(key)
    if found is None:
        entries = findable(SearchEntry.objects.exclude(region=""))
        found = list(entries.order_by("region").values_list("region", flat=True).distinct())
        cache.set(key, found, REGION_CACHE_SECONDS)
    return found


def region_suggestions():
    """The regions offered under the region field (a datalist)."""
    return known_regions()[:MAX_REGION_SUGGESTIONS]


@dataclass
class SearchResults:
    params: SearchParams
    campaigns: list
    campaign: object = None
    words: list = field(default_factory=list)
    page: object = None  # a Django Page of the paginator, or None without a query
    items: list = field(default_factory=list)

    @property
    def count(self):
        return self.page.paginator.count if self.page is not None else 0


def search(params, request=None):
    campaigns = public_campaigns()
    campaign = None
    if params.campaign:
        campaign = find_campaign(params.campaign, campaigns)
        if campaign is None:
            params.notices.append(gettext("没有找到这个活动，已按全部活动搜索。"))
            params.campaign = ""
    results = SearchResults(params=params, campaigns=campaigns, campaign=campaign)

    normalised = normalise(params.q)
    words = tokens(normalised)
    if len(words) > MAX_QUERY_TOKENS:
        params.notices.append(
            gettext("搜索词太多，只按前 %(count)s 个词搜索。") % {"count": MAX_QUERY_TOKENS}
        )
        words = words[:MAX_QUERY_TOKENS]
    results.words = words
    if not words:
        if params.q:
            params.notices.append(gettext("搜索词里没有可以搜索的字词。"))
        return results

    exact, prefixes, substrings = query_terms(words)
    if not exact and not prefixes:
        params.notices.append(gettext("搜索词里没有可以搜索的字词。"))
        results.words = []
        return results
    entries = findable(SearchEntry.objects.all())
    for word in substrings:
        entries = entries.filter(plain_text__contains=word)
    if params.type:
        entries = entries.filter(page_type=FILTER_TYPES[params.type]._meta.model_name)
    if campaign is not None:
        entries = entries.filter(campaign_id=campaign.pk)
    if params.region:
        entries = in_region(entries, params.region)
    entries = (
        matching(entries, exact, prefixes)
        .order_by("-score", F("date").desc(nulls_last=True), "-pk")
        .select_related("page")
        .defer(*MATCH_COLUMNS)
    )

    paginator = Paginator(entries, PER_PAGE)
    number = min(params.page, paginator.num_pages)
    params.page = number
    results.page = paginator.page(number)
    needles = sorted(set(words), key=len, reverse=True)
    results.items = [card(entry, needles, request) for entry in results.page.object_list]
    return results


def card(entry, needles, request):
    """What a result card shows. Texts keep their source script; the template marks them
    (`|src:`, `{% origin %}`) so the converter renders them in the reader's script."""
    shown = excerpt(entry.body_text, needles, entry.script)
    if shown is None and not entry.summary:
        shown = lead(entry.body_text, entry.script)
    return SimpleNamespace(
        url=entry.page.get_url(request=request),
        title=entry.page.title,
        script=entry.script,
        type_label=type_label(entry.page_type),
        date=entry.date,
        region=entry.region,
        summary=entry.summary,
        excerpt=shown,
    )
