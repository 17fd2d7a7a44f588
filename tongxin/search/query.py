"""Reading the reader's search parameters and running the search.

Every parameter is taken as untrusted text: anything unusable is dropped with a notice the
page shows, never an error. The number of queries does not depend on the number of matches:
visibility rules are subqueries, and the cards are built from the entry and its page row.
"""

from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from urllib.parse import urlencode

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext
from wagtail.models import Page

from campaigns.models import (
    CampaignPage,
    EpisodePage,
    FundLaunchEventPage,
    NewsPage,
    SeriesPage,
)
from stories.models import StoryPage
from tongxin.core.models import TongxinPage
from tongxin.core.visibility import visible

from .analysis import (
    MAX_QUERY_TOKENS,
    clean,
    compact,
    needs_substring,
    normalise,
    query_text,
    snippet,
    tokens,
)
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
MATCH_COLUMNS = ("title_terms", "body_terms", "title_plain", "plain_text")


def type_choices():
    return [(name, str(model._meta.verbose_name)) for name, model in FILTER_TYPES.items()]


@cache
def type_labels():
    """{model name stored in the entry: the page type's label}, for every page type. The
    labels stay lazy: each renders in the reader's language, whoever filled the cache."""
    return {
        model._meta.model_name: model._meta.verbose_name
        for model in apps.get_models()
        if issubclass(model, TongxinPage)
    }


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


def match(words, phrase):
    """(condition for a match, condition for a title match).

    Every word must match (AND). A dictionary word matches a whole token of the title or
    body; a single character or a word jieba does not know matches as a substring. An
    entry containing the whole query as written (spaces aside) matches as well.
    """
    found, in_title = Q(), Q()
    for word in words:
        if needs_substring(word):
            found &= Q(plain_text__contains=word)
            in_title &= Q(title_plain__contains=word)
        else:
            title_word = Q(title_terms__contains=f" {word} ")
            found &= title_word | Q(body_terms__contains=f" {word} ")
            in_title &= title_word
    return found | Q(plain_text__contains=phrase), in_title | Q(title_plain__contains=phrase)


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

    found, in_title = match(words, compact(normalised))
    entries = findable(SearchEntry.objects.filter(found))
    if params.type:
        entries = entries.filter(page_type=FILTER_TYPES[params.type]._meta.model_name)
    if campaign is not None:
        entries = entries.filter(campaign_id=campaign.pk)
    if params.region:
        entries = entries.filter(region__startswith=normalise(params.region))
    entries = (
        entries.annotate(
            title_hit=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-title_hit", F("date").desc(nulls_last=True), "-pk")
        .select_related("page")
        .defer(*MATCH_COLUMNS)
    )

    paginator = Paginator(entries, PER_PAGE)
    number = min(params.page, paginator.num_pages)
    params.page = number
    results.page = paginator.page(number)
    needles = [compact(normalised), *words]
    labels = type_labels()
    results.items = [card(entry, needles, labels, request) for entry in results.page.object_list]
    return results


def card(entry, needles, labels, request):
    """What a result card shows. Texts keep their source script; the template marks them
    (`|src:`) so the converter renders them in the reader's script."""
    # The card shows the summary already; the snippet comes from the rest of the text.
    text = entry.body_text.replace(entry.summary, " ", 1) if entry.summary else entry.body_text
    found = snippet(text, needles)
    excerpt = None
    if found is not None:
        head, hit, tail, script = found
        excerpt = SimpleNamespace(head=head, hit=hit, tail=tail, script=script or entry.script)
    return SimpleNamespace(
        url=entry.page.get_url(request=request),
        title=entry.page.title,
        script=entry.script,
        type_label=labels.get(entry.page_type, ""),
        date=entry.date,
        region=entry.region,
        summary=entry.summary,
        excerpt=excerpt,
    )
