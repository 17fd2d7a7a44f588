"""Feed entries: a page's text, full content, media and credits in the reader's script.

An entry's full content is rendered by one template (syndication/feed_entry.html) with
Django's autoescaping: the page's facts, then every body block through its own template (or
a feed template of the same block value, see `{% feed_block %}`), then the attribution.
No markup is built here. What the blocks need is fetched once for the whole feed: the
bodies of all entries are converted together (one query per block type that looks anything
up: images, funds), and the images' renditions are prefetched in one more.

Text from a page is marked with the page's script; labels are simplified; the converter then
turns the whole fragment into the reader's script, and every URL is made absolute.
"""

import datetime
import html as html_lib
import re
import uuid
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.blocks import StreamValue

from campaigns.models import (
    CampaignOrganizer,
    CampaignPage,
    FundLaunchEventPage,
    FundLaunchOrganizer,
)
from tongxin.core.tags.listings import is_video_file
from tongxin.scripts.convert import convert_html, convert_text
from tongxin.scripts.rendition import rules_for, usable

from .pages import page_url

SITE_NAME = "童心"
# One rendition for partners: a JPEG every reader and CMS accepts, never upscaled.
FEED_IMAGE_SPEC = "max-1200x1200|format-jpeg|jpegquality-85"
SUMMARY_CHARS = 140
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
AUTHOR_ROLES = ("主办", "承办")
# Entry types by the names of the content format (contracts/content-format.md).
TYPE_NAMES = {
    "CampaignPage": "campaign",
    "SeriesPage": "series",
    "EpisodePage": "episode",
    "FundLaunchEventPage": "fund_launch",
    "NewsPage": "news",
    "StoryPage": "story",
}
VIDEO_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".ogg": "video/ogg",
    ".mov": "video/quicktime",
    ".m3u8": "application/vnd.apple.mpegurl",
}
_RELATIVE_URL_RE = re.compile(r"""(\s(?:href|src)=")(/(?!/)[^"]*)(")""")


@dataclass
class Media:
    url: str
    mime_type: str
    length: int = 0
    width: int | None = None
    height: int | None = None
    alt: str = ""
    credit: str = ""


@dataclass
class Entry:
    """One item of a feed, already in the reader's script, every URL absolute."""

    page_id: int
    page_type: str
    id: str
    link: str
    title: str
    summary: str
    content_html: str
    published: datetime.datetime
    updated: datetime.datetime
    authors: list = field(default_factory=list)
    credits: list = field(default_factory=list)  # [{"role": ..., "names": [...]}]
    tags: list = field(default_factory=list)
    image: Media | None = None
    video: Media | None = None
    source: dict | None = None  # {"name": ..., "url": ...}
    episode_number: int | None = None


def stable_id(page, script="hans"):
    """Survives edits, moves and slug changes; each script has its own, so a reader subscribed
    to both feeds keeps both items. Simplified keeps the page's translation key (the id feeds
    always had); traditional is a UUID derived from it (version 5, name "hant")."""
    key = page.translation_key
    if script == "hans":
        return f"urn:uuid:{key}"
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(str(key)), script)}"


def page_dates(page):
    published = (
        getattr(page, "date", None)
        or page.first_published_at
        or page.last_published_at
        or page.latest_revision_created_at
        or EPOCH
    )
    updated = max(published, page.last_published_at or published)
    return published, updated


def _list_items(raw):
    """A ListBlock's raw value: `[{"type": "item", "value": v}]` (current) or `[v]` (old)."""
    items = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            items.append(item["value"])
        else:
            items.append(item)
    return items


def _raw_blocks(stream):
    raw = getattr(stream, "raw_data", None)
    return list(raw) if raw is not None else []


def converted_bodies(pages):
    """{page pk: body StreamValue} for all `pages`, converted together.

    Wagtail converts a stream's blocks per block type (`bulk_to_python`); one stream holding
    every entry's blocks makes that one query per type for the whole feed instead of one per
    entry. The images' feed renditions come in one more query.
    """
    with_body = [page for page in pages if getattr(page, "body", None) is not None]
    if not with_body:
        return {}
    stream_block = with_body[0].body.stream_block
    raws = [_raw_blocks(page.body) for page in with_body]
    combined = list(StreamValue(stream_block, list(chain.from_iterable(raws)), is_lazy=True))
    images = [
        child.value["image"]
        for child in combined
        if child.block_type == "image" and child.value.get("image") is not None
    ]
    if images:
        prefetch_related_objects(images, "renditions")
    bodies, start = {}, 0
    for page, raw in zip(with_body, raws, strict=True):
        children = combined[start : start + len(raw)]
        start += len(raw)
        bodies[page.pk] = StreamValue(
            stream_block, [(c.block_type, c.value, c.id) for c in children], is_lazy=False
        )
    return bodies


def _credits(stream):
    """[{"role", "names"}] of a StreamField of CreditBlocks (no query: plain values)."""
    rows = []
    for block in _raw_blocks(stream):
        value = block.get("value") or {}
        names = [str(n).strip() for n in _list_items(value.get("names")) if str(n).strip()]
        role = str(value.get("role") or "").strip()
        if role or names:
            rows.append({"role": role, "names": names})
    return rows


def credit_names(page):
    """The names in a page's credits and byline, each once, as written (the page's script)."""
    credits = _credits(getattr(page, "credits", None)) + _credits(getattr(page, "byline", None))
    return list(dict.fromkeys(chain.from_iterable(c["names"] for c in credits)))


def organizer_names(pages):
    """{page pk: [organization names]} of the 主办/承办 of campaigns and fund launches
    (simplified: organizations are snippets written in simplified characters)."""
    names = {}
    for model, page_model in (
        (CampaignOrganizer, CampaignPage),
        (FundLaunchOrganizer, FundLaunchEventPage),
    ):
        pks = [page.pk for page in pages if isinstance(page, page_model)]
        if not pks:
            continue
        rows = (
            model.objects.filter(page_id__in=pks, role__in=AUTHOR_ROLES)
            .select_related("organization")
            .order_by("page_id", "sort_order")
        )
        for row in rows:
            names.setdefault(row.page_id, []).append(row.organization.name)
    return names


class EntryBuilder:
    """Builds the entries of one feed; what the entries need is fetched once for all."""

    def __init__(self, request, script, root_path):
        self.request = request
        self.script = script
        self.root_path = root_path
        self._site_rules = None
        self._page_rules = {}

    # ----------------------------------------------------------------- prefetching

    def _prefetch(self, pages):
        self.bodies = converted_bodies(pages)
        self.organizers = organizer_names(pages)

    # ----------------------------------------------------------------- helpers

    def absolute(self, url):
        return self.request.build_absolute_uri(url) if url else url

    def _absolutize(self, html):
        return _RELATIVE_URL_RE.sub(lambda m: m.group(1) + self.absolute(m.group(2)) + '"', html)

    def _rules(self, page):
        """(variant, rules) for `page`: built once per feed for the site's rules, and once
        per page for pages with rules of their own (building a rule set is not free)."""
        if page is None or not usable(getattr(page, "page_rules", ()) or ()):
            if self._site_rules is None:
                self._site_rules = rules_for(None)
            return self._site_rules
        if page.pk not in self._page_rules:
            self._page_rules[page.pk] = rules_for(page)
        return self._page_rules[page.pk]

    def text(self, value, page, source=None):
        """Plain text written in `source` (the page's script by default) for the reader."""
        if not value:
            return ""
        variant, rules = self._rules(page)
        source = source or (page.script if page.script in ("hans", "hant") else "hans")
        return convert_text(
            str(value), source=source, target=self.script, variant=variant, rules=rules
        )

    def html(self, value, page):
        variant, rules = self._rules(page)
        return convert_html(value, target=self.script, variant=variant, rules=rules)

    def _rendition(self, image):
        """The feed rendition of an image as Media, or None for a missing or broken file."""
        try:
            rendition = image.get_rendition(FEED_IMAGE_SPEC)
        except (OSError, ValueError):  # a missing original (SourceImageIOError), a bad file
            return None
        try:
            length = rendition.file.size
        except (OSError, ValueError, NotImplementedError):
            length = 0
        return Media(
            url=self.absolute(rendition.url),
            mime_type="image/jpeg",
            length=length,
            width=rendition.width,
            height=rendition.height,
        )

    # ----------------------------------------------------------------- body

    def _lead_image(self, page):
        for child in self.bodies.get(page.pk, ()):
            if child.block_type == "image" and child.value.get("image") is not None:
                media = self._rendition(child.value["image"])
                if media is not None:
                    media.alt = self.text(child.value.get("alt"), page)
                    media.credit = self.text(child.value.get("credit"), page)
                    return media
        return None

    def _first_paragraph_text(self, page):
        for child in self.bodies.get(page.pk, ()):
            if child.block_type == "paragraph":
                text = html_lib.unescape(strip_tags(child.value.source))
                text = " ".join(text.split())
                if text:
                    return text
        return ""

    # ----------------------------------------------------------------- entries

    def build(self, pages):
        self._prefetch(pages)
        return [self.entry(page) for page in pages]

    def entry(self, page):
        link = page_url(self.request, page, self.root_path)
        kind = TYPE_NAMES.get(type(page).__name__, "page")
        published, updated = page_dates(page)
        credits = _credits(getattr(page, "credits", None)) + _credits(getattr(page, "byline", None))
        authors = [self.text(name, page) for name in credit_names(page)]
        organizers = self.organizers.get(page.pk, [])
        if not authors:
            # Organizations are snippets, written in simplified characters.
            authors = [self.text(name, page, source="hans") for name in dict.fromkeys(organizers)]
        photo_credit = getattr(page, "photo_credit", "") if kind == "news" else ""
        video = source = None
        video_url = getattr(page, "video_url", "") if kind == "episode" else ""
        if not video_url.lower().startswith("https://"):
            video_url = ""
        if video_url:
            video = Media(url=video_url, mime_type=self._video_type(video_url))
        if kind == "news" and page.source_name:
            source = {"name": self.text(page.source_name, page), "url": page.source_url}

        html = render_to_string(
            "syndication/feed_entry.html",
            {
                "page": page,
                "kind": kind,
                "link": link,
                "organizers": organizers,
                "credits": credits,
                "photo_credit": photo_credit,
                "video_url": video_url,
                "body": self.bodies.get(page.pk, ()),
            },
            request=self.request,
        )
        content_html = self._absolutize(self.html(html, page))

        feed_credits = [
            {"role": self.text(c["role"], page), "names": [self.text(n, page) for n in c["names"]]}
            for c in credits
        ]
        if photo_credit:
            role = self.text("图片", page, source="hans")
            feed_credits.append({"role": role, "names": [self.text(photo_credit, page)]})

        summary = page.summary or getattr(page, "search_description", "")
        summary = self.text(summary, page) if summary else ""
        if not summary:
            first = self._first_paragraph_text(page)
            summary = Truncator(self.text(first, page)).chars(SUMMARY_CHARS) if first else ""

        return Entry(
            page_id=page.pk,
            page_type=kind,
            id=stable_id(page, self.script),
            link=link,
            title=self.text(page.title, page),
            summary=summary,
            content_html=content_html,
            published=published,
            updated=updated,
            authors=authors,
            credits=feed_credits,
            tags=[self.text(tag, page) for tag in (page.tags or []) if str(tag).strip()],
            image=self._lead_image(page),
            video=video,
            source=source,
            episode_number=getattr(page, "number", None) if kind == "episode" else None,
        )

    @staticmethod
    def _video_type(url):
        if not is_video_file(url):
            return "text/html"
        path = url.lower().split("?", 1)[0]
        return next((t for ext, t in VIDEO_TYPES.items() if path.endswith(ext)), "video/mp4")


def newest(entries, *fallbacks):
    dates = [e.updated for e in entries] + [d for d in fallbacks if d]
    return max(dates) if dates else EPOCH
