"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the home, campaign, series, story index and news
index pages, in the script of the URL's prefix (docs/partners.md).

`<page URL>feed/rss/`, `feed/atom/`, `feed/json/`; `?limit=` 1–50 (default 50; integers
outside the range are clamped, anything else is a 400). Payloads are cached per page,
script, kind, limit and host under the global content version (see cache.py), so a repeated
request or a 304 costs no database query.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from django.utils.translation import gettext, gettext_noop
from wagtail.models import Site

from tongxin.core.pagecache import mark_shareable
from tongxin.scripts import script as scripts
from tongxin.scripts.convert import wrap
from tongxin.scripts.rendition import site_rules_version, text_for_script

from .cache import cache_seconds, content_state, content_version, feed_key
from .conditional import conditional, cors, etag_for, without_cookies
from .content import SITE_NAME, EntryBuilder, newest
from .lastmod import content_last_modified
from .pages import (
    FEED_MAX,
    BadParameter,
    entry_ids,
    load_entries,
    page_url,
    parse_limit,
    shape_of,
    site_root_path,
)

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"
DEFAULT_DESCRIPTION = gettext_noop("困境儿童关爱保护信息发布平台")
CREDIT_SCHEME = "urn:tongxin:credit"
AUTHOR_SEPARATOR = "、"


@dataclass
class FeedData:
    """Everything a feed says, already in the reader's script with absolute URLs."""

    title: str
    description: str
    link: str
    feed_url: str
    home_url: str
    language: str
    updated: datetime.datetime
    author: str
    entries: list = field(default_factory=list)


def build_feed_data(request, page, root_path, script, limit):
    pages = load_entries(entry_ids(page, limit))
    entries = EntryBuilder(request, script, root_path).build(pages)
    is_home = page.url_path == root_path
    title = wrap(page.title, page.script) + ("" if is_home else f" - {SITE_NAME}")
    description = page.summary or getattr(page, "search_description", "")
    if description:
        description = wrap(description, page.script)
    else:
        # Interface text: the catalogue's wording in the feed's script (資訊, not 信息).
        with scripts.get(script).activate():
            description = gettext(DEFAULT_DESCRIPTION)
    return FeedData(
        title=text_for_script(title, script, source="hans", page=page),
        description=text_for_script(description, script, source="hans", page=page),
        link=page_url(request, page, root_path),
        feed_url=request.build_absolute_uri(request.path),
        home_url=request.build_absolute_uri(scripts.get(script).prefix + "/"),
        language=scripts.get(script).lang,
        updated=newest(entries, page.last_published_at or page.first_published_at),
        author=SITE_NAME,
        entries=entries,
    )


# --------------------------------------------------------------------------- RSS and Atom


def _media_content(handler, media, medium):
    attrs = {"url": media.url, "type": media.mime_type, "medium": medium}
    if media.length:
        attrs["fileSize"] = str(media.length)
    if media.width and media.height:
        attrs["width"], attrs["height"] = str(media.width), str(media.height)
    handler.startElement("media:content", attrs)
    if media.alt:
        handler.addQuickElement("media:description", media.alt, {"type": "plain"})
    if media.credit:
        handler.addQuickElement("media:credit", media.credit)
    handler.endElement("media:content")


def _media_elements(handler, entry):
    if entry.image is not None:
        _media_content(handler, entry.image, "image")
        handler.addQuickElement("media:thumbnail", "", {"url": entry.image.url})
    if entry.video is not None:
        if entry.video.mime_type == "text/html":
            handler.addQuickElement("media:player", "", {"url": entry.video.url})
        else:
            _media_content(handler, entry.video, "video")
    for credit in entry.credits:
        for name in credit["names"]:
            attrs = {"scheme": CREDIT_SCHEME}
            if credit["role"]:
                attrs["role"] = credit["role"]
            handler.addQuickElement("media:credit", name, attrs)


class TongxinRssFeed(Rss201rev2Feed):
    """RSS 2.0 with full content (content:encoded), the authors (one dc:creator), Media RSS for
    the lead image, video and credits, and the news source."""

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs.update({"xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS, "xmlns:media": MEDIA_NS})
        return attrs

    def latest_post_date(self):
        return self.feed["updated"]

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("generator", "Tongxin")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        entry = item["entry"]
        handler.addQuickElement("atom:updated", rfc3339_date(entry.updated))
        if entry.authors:
            # One dc:creator: common readers keep only the last of several.
            handler.addQuickElement("dc:creator", AUTHOR_SEPARATOR.join(entry.authors))
        handler.addQuickElement("content:encoded", entry.content_html)
        if entry.source and entry.source.get("url"):
            handler.addQuickElement("source", entry.source["name"], {"url": entry.source["url"]})
        _media_elements(handler, entry)


class TongxinAtomFeed(Atom1Feed):
    """Atom 1.0 with full content, every author, enclosures, Media RSS and a `via` link to the
    news source."""

    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def latest_post_date(self):
        return self.feed["updated"]

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("generator", "Tongxin")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        entry = item["entry"]
        for name in entry.authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        handler.addQuickElement("content", entry.content_html, {"type": "html"})
        if entry.source and entry.source.get("url"):
            via = {"rel": "via", "href": entry.source["url"], "title": entry.source["name"]}
            handler.addQuickElement("link", "", via)
        _media_elements(handler, entry)


class PageRssFeed(Feed):
    """Django's syndication Feed over a prepared FeedData (`obj`) and its Entries (`item`)."""

    feed_type = TongxinRssFeed

    def __init__(self, language):
        super().__init__()
        self.language = language

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.link

    def feed_url(self, obj):
        return obj.feed_url

    def feed_guid(self, obj):
        return obj.feed_url

    def description(self, obj):
        # A channel's description is HTML to RSS readers, as an item's is: escaped text.
        # (Atom writes no description; JSON Feed's is plain text.)
        return escape(obj.description)

    def author_name(self, obj):
        return obj.author

    def author_link(self, obj):
        return obj.home_url

    def feed_extra_kwargs(self, obj):
        return {"updated": obj.updated}

    def items(self, obj):
        return obj.entries

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_description(self, entry):
        # Summary text, escaped: RSS descriptions and Atom summaries (type="html") are HTML.
        return escape(entry.summary) if entry.summary else None

    def item_guid(self, entry):
        return entry.id

    def item_guid_is_permalink(self, entry):
        return False

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.tags

    def item_enclosures(self, entry):
        media = [m for m in (entry.video, entry.image) if m is not None]
        media = [m for m in media if m.mime_type != "text/html"]
        return [Enclosure(m.url, str(m.length or 0), m.mime_type) for m in media[:1]]

    def item_extra_kwargs(self, entry):
        return {"entry": entry}


class PageAtomFeed(PageRssFeed):
    feed_type = TongxinAtomFeed

    def item_enclosures(self, entry):
        media = [m for m in (entry.image, entry.video) if m is not None]
        media = [m for m in media if m.mime_type != "text/html"]
        return [Enclosure(m.url, str(m.length or 0), m.mime_type) for m in media]


# --------------------------------------------------------------------------- JSON Feed


def _json_date(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _json_item(entry, language):
    item = {
        "id": entry.id,
        "url": entry.link,
        "title": entry.title,
        "content_html": entry.content_html,
        "date_published": _json_date(entry.published),
        "date_modified": _json_date(entry.updated),
        "language": language,
    }
    if entry.summary:
        item["summary"] = entry.summary
    if entry.image is not None:
        item["image"] = entry.image.url
    if entry.authors:
        item["authors"] = [{"name": name} for name in entry.authors]
    if entry.tags:
        item["tags"] = entry.tags
    attachments = []
    for media in (entry.video, entry.image):
        if media is not None and media.mime_type != "text/html":
            attachment = {"url": media.url, "mime_type": media.mime_type}
            if media.length:
                attachment["size_in_bytes"] = media.length
            attachments.append(attachment)
    if attachments:
        item["attachments"] = attachments
    if entry.source and entry.source.get("url"):
        item["external_url"] = entry.source["url"]
    extension = {"type": entry.page_type, "credits": entry.credits}
    if entry.source:
        extension["source"] = entry.source
    if entry.episode_number:
        extension["episode"] = entry.episode_number
    if entry.video is not None:
        extension["video_url"] = entry.video.url
    item["_tongxin"] = extension
    return item


def json_feed_document(data):
    return {
        "version": JSON_FEED_VERSION,
        "title": data.title,
        "home_page_url": data.link,
        "feed_url": data.feed_url,
        "description": data.description,
        "language": data.language,
        "authors": [{"name": data.author, "url": data.home_url}],
        "items": [_json_item(entry, data.language) for entry in data.entries],
    }


# --------------------------------------------------------------------------- view


def render_feed(request, data, kind):
    """(body bytes, content type) of `data` as `kind`."""
    if kind == "json":
        body = json.dumps(json_feed_document(data), ensure_ascii=False, indent=1)
        return body.encode("utf-8"), JSON_FEED_TYPE
    feed = (PageAtomFeed if kind == "atom" else PageRssFeed)(data.language)
    generator = feed.get_feed(data, request)
    return generator.writeString("utf-8").encode("utf-8"), generator.content_type


def build_payload(request, page, root_path, script, kind, limit):
    data = build_feed_data(request, page, root_path, script, limit)
    body, content_type = render_feed(request, data, kind)
    # Last-Modified comes from the content (lastmod.py), the same on every app server; it
    # also moves when content changed without changing an entry's date (a story withdrawn, a
    # rule edited, a consent ended at midnight). The ETag follows the bytes exactly.
    last_modified = content_last_modified(data.updated)
    return {
        "body": body,
        "content_type": content_type,
        "etag": etag_for(body),
        "last_modified": last_modified.timestamp(),
        "language": data.language,
    }


def bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@without_cookies
def feed_view(request, page, kind):
    """A feed of `page` (a route of the page: tongxin.core.routes), which Wagtail's
    routing found and the page's serve checked is visible to partners."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if shape_of(page) != "list":
        raise Http404("this page has no feed")
    try:
        limit = parse_limit(request, default=FEED_MAX, maximum=FEED_MAX)
    except BadParameter as error:
        return bad_request(str(error))
    script = scripts.of_request(request)
    root_path = site_root_path(Site.find_for_request(request))
    version = content_version()
    # The conversion fingerprint (variant, rules, shipped domain rules, OpenCC version): a
    # deploy that changes the shipped rules must not serve feeds converted the old way.
    rules = site_rules_version()
    key = feed_key(
        content_state(version),
        page.pk,
        script,
        kind,
        limit,
        request.scheme,
        request.get_host(),
        rules,
    )
    payload = cache.get(key)
    hit = payload is not None
    if not hit:
        payload = build_payload(request, page, root_path, script.code, kind, limit)
        cache.set(key, payload, cache_seconds())
    response = HttpResponse(payload["body"], content_type=payload["content_type"])
    response["Content-Language"] = payload["language"]
    response.tongxin_cache_hit = hit  # free for the rate limits (tongxin.core.ratelimit)
    cors(response)
    return mark_shareable(conditional(request, response, payload["etag"], payload["last_modified"]))
