"""Feed entries: a page's text, full content, media and credits in the reader's script.

Bodies are rendered here from their raw StreamField data rather than through the site's
block templates: the templates look up images and funds block by block (a query per page
for each), write relative, lazy, WebP-only image markup meant for our own pages, and use
the site's CSS. Here every image and fund referenced by any entry is fetched in one query
each, rich text of all entries is expanded in one pass, and every URL comes out absolute.

Text from a page is wrapped in origin markers with the page's script; labels written here
are simplified; convert_html then turns the whole fragment into the reader's script.
"""

import datetime
import html as html_lib
import re
from dataclasses import dataclass, field
from itertools import chain

from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import Truncator
from wagtail.images import get_image_model
from wagtail.rich_text import expand_db_html

from campaigns.models import (
    CampaignOrganizer,
    CampaignPage,
    EpisodePage,
    Fund,
    FundLaunchEventPage,
    FundLaunchOrganizer,
    NewsPage,
)
from stories.models import StoryPage
from tongxin.core.templatetags.tongxin_tags import cn_date, is_video_file, yuan
from tongxin.scripts.convert import convert_html, convert_text, wrap
from tongxin.scripts.rendition import rules_for, usable
from tongxin.scripts.templatetags.scripts import KEEP_SPAN

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
WISH_STATUS = {"open": "待认领", "claimed": "已认领", "fulfilled": "已实现"}
# Joins every entry's rich text for one expand_db_html pass; a private-use code point the
# script converter does not reserve.
_SEP = "\ue00f"
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


def stable_id(page):
    """Survives edits, moves and slug changes, the same in both scripts."""
    return f"urn:uuid:{page.translation_key}"


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


def _raw_blocks(stream):
    raw = getattr(stream, "raw_data", None)
    return list(raw) if raw is not None else []


def _list_items(raw):
    """A ListBlock's raw value: `[{"type": "item", "value": v}]` (current) or `[v]` (old)."""
    items = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            items.append(item["value"])
        else:
            items.append(item)
    return items


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


def _figure_value(raw):
    value = str(raw or "").strip()
    if value.isdigit() and len(value) > 4:
        return f"{int(value):,}"
    return value


class EntryBuilder:
    """Builds the entries of one feed; what the entries need is fetched once for all."""

    def __init__(self, request, script, root_path):
        self.request = request
        self.script = script
        self.root_path = root_path
        self._site_rules = None
        self._page_rules = {}
        self._renditions = {}

    # ----------------------------------------------------------------- prefetching

    def _prefetch(self, pages):
        image_ids, fund_ids, texts = set(), set(), []
        for page in pages:
            for index, block in enumerate(_raw_blocks(getattr(page, "body", None))):
                kind, value = block.get("type"), block.get("value")
                if kind == "image" and isinstance(value, dict) and value.get("image"):
                    image_ids.add(value["image"])
                elif kind == "donate" and isinstance(value, dict) and value.get("fund"):
                    fund_ids.add(value["fund"])
                elif kind == "paragraph" and isinstance(value, str):
                    texts.append(((page.pk, index), value))
        self.images = {}
        if image_ids:
            images = get_image_model().objects.filter(pk__in=image_ids)
            self.images = {i.pk: i for i in images.prefetch_renditions(FEED_IMAGE_SPEC)}
        self.funds = {}
        if fund_ids:
            funds = Fund.objects.filter(pk__in=fund_ids).select_related("organization", "custodian")
            self.funds = {fund.pk: fund for fund in funds}
        self.rich_text = self._expand_rich_text(texts)
        self.organizers = self._organizers(pages)

    @staticmethod
    def _expand_rich_text(texts):
        """Every paragraph of every entry through one expand_db_html call, so that internal
        links cost one query per link type for the whole feed."""
        if not texts:
            return {}
        sources = [source for _, source in texts]
        joined = _SEP.join(sources)
        parts = None
        if joined.count(_SEP) == len(sources) - 1:
            parts = expand_db_html(joined).split(_SEP)
        if parts is None or len(parts) != len(sources):
            parts = [expand_db_html(source) for source in sources]
        return {
            key: KEEP_SPAN.sub(r"-{\1}-", part) for (key, _), part in zip(texts, parts, strict=True)
        }

    @staticmethod
    def _organizers(pages):
        """{page pk: [organization names]} of the 主办/承办 of campaigns and fund launches."""
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

    def _rendition(self, image_id):
        """The feed rendition of an image as Media, once per image per feed."""
        if image_id not in self._renditions:
            self._renditions[image_id] = self._make_rendition(image_id)
        media = self._renditions[image_id]
        return Media(**vars(media)) if media is not None else None

    def _make_rendition(self, image_id):
        image = self.images.get(image_id)
        if image is None:
            return None
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

    def _block_html(self, page, index, kind, value):
        """HTML of one body block: the page's text wrapped with its script, labels simplified."""
        src = page.script if page.script in ("hans", "hant") else "hans"

        def own(text):
            return wrap(escape(str(text or "")), src)

        if kind == "paragraph":
            return wrap(self.rich_text.get((page.pk, index), ""), src)
        if kind == "heading":
            return f"<h2>{own(value)}</h2>" if value else ""
        if not isinstance(value, dict):
            return ""
        if kind == "quote":
            attribution = value.get("attribution")
            footer = f"<footer>——{own(attribution)}</footer>" if attribution else ""
            text = wrap(linebreaks(str(value.get("text") or "")), src)
            return f"<blockquote>{text}{footer}</blockquote>"
        if kind == "figures":
            rows = []
            for item in _list_items(value.get("items")):
                item = item or {}
                as_of = cn_date(item.get("as_of")) if item.get("as_of") else ""
                rows.append(
                    f"<li><strong>{escape(_figure_value(item.get('value')))}"
                    f"{own(item.get('unit'))}</strong> {own(item.get('label'))}"
                    + (f"（截至{escape(as_of)}）" if as_of else "")
                    + "</li>"
                )
            return f"<ul>{''.join(rows)}</ul>" if rows else ""
        if kind == "image":
            media = self._rendition(value.get("image"))
            if media is None:
                return ""
            caption = " ".join(
                own(value.get(k)) for k in ("caption", "credit") if value.get(k)
            ).strip()
            figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
            return (
                f'<figure><img src="{escape(media.url)}" width="{media.width}" '
                f'height="{media.height}" alt="{own(value.get("alt"))}">{figcaption}</figure>'
            )
        if kind == "video":
            url = str(value.get("url") or "")
            if not url.lower().startswith("https://"):
                return ""
            caption = f" {own(value.get('caption'))}" if value.get("caption") else ""
            return f'<p><a href="{escape(url)}">观看视频</a>{caption}</p>'
        if kind == "donate":
            return self._donate_html(value, own)
        if kind == "wishes":
            rows = []
            for wish in _list_items(value.get("items")):
                wish = wish or {}
                status = WISH_STATUS.get(wish.get("status"), WISH_STATUS["open"])
                rows.append(
                    f"<li>{own(wish.get('wish'))} —— {own(wish.get('recipient'))}（{status}）</li>"
                )
            return f"<ul>{''.join(rows)}</ul>" if rows else ""
        return ""

    def _donate_html(self, value, own):
        fund = self.funds.get(value.get("fund"))
        if fund is None:
            return ""
        heading = own(value["heading"]) if value.get("heading") else escape(f"支持{fund.name}")
        text = f"<p>{own(value.get('text'))}</p>" if value.get("text") else ""
        disclosure = [
            f"募捐组织：{escape(fund.organization.name)}",
            f"公开募捐备案编号：{escape(fund.record_number)}",
            f"募捐平台：{escape(fund.platform)}",
        ]
        if fund.custodian_id:
            disclosure.append(f"监管机构：{escape(fund.custodian.name)}")
        if fund.target:
            disclosure.append(f"目标：{escape(yuan(fund.target))}")
        if fund.is_open:
            action = f'<a href="{escape(self.absolute(f"/donate/{fund.key}/"))}">去捐款</a>'
        else:
            action = "本次募捐已结束，感谢每一位爱心人士。"
        return (
            f"<aside><p><strong>{heading}</strong></p>{text}"
            f"<p>{'；'.join(disclosure)}</p><p>{action}</p></aside>"
        )

    def _body_html(self, page):
        parts = []
        for index, block in enumerate(_raw_blocks(getattr(page, "body", None))):
            html = self._block_html(page, index, block.get("type"), block.get("value"))
            if html:
                parts.append(html)
        return "".join(parts)

    def _lead_image(self, page):
        for block in _raw_blocks(getattr(page, "body", None)):
            value = block.get("value")
            if block.get("type") == "image" and isinstance(value, dict) and value.get("image"):
                media = self._rendition(value["image"])
                if media is not None:
                    media.alt = self.text(value.get("alt"), page)
                    media.credit = self.text(value.get("credit"), page)
                    return media
        return None

    def _first_paragraph_text(self, page):
        for index, block in enumerate(_raw_blocks(getattr(page, "body", None))):
            if block.get("type") == "paragraph":
                text = html_lib.unescape(strip_tags(self.rich_text.get((page.pk, index), "")))
                text = " ".join(text.split())
                if text:
                    return text
        return ""

    # ----------------------------------------------------------------- entries

    def build(self, pages):
        self._prefetch(pages)
        return [self.entry(page) for page in pages]

    def entry(self, page):
        src = page.script if page.script in ("hans", "hant") else "hans"

        def own(text):
            return wrap(escape(str(text or "")), src)

        link = page_url(self.request, page, self.root_path)
        published, updated = page_dates(page)
        credits = _credits(getattr(page, "credits", None)) + _credits(getattr(page, "byline", None))
        names = dict.fromkeys(chain.from_iterable(c["names"] for c in credits))
        authors = [self.text(name, page) for name in names]
        organizers = self.organizers.get(page.pk, [])
        if not authors:
            # Organizations are snippets, written in simplified characters.
            authors = [self.text(name, page, source="hans") for name in dict.fromkeys(organizers)]

        head, tail = [], []
        video = number = source = None
        photo_credit = ""
        if isinstance(page, CampaignPage):
            if page.slogan:
                head.append(f"<p><strong>{own(page.slogan)}</strong></p>")
            if organizers:
                head.append(f"<p>主办单位：{escape('、'.join(organizers))}</p>")
        elif isinstance(page, EpisodePage):
            number = page.number
            if number:
                head.append(f"<p>第 {number} 集</p>")
            if page.video_url and page.video_url.lower().startswith("https://"):
                head.append(f'<p><a href="{escape(page.video_url)}">观看视频</a></p>')
                video = Media(url=page.video_url, mime_type=self._video_type(page.video_url))
        elif isinstance(page, FundLaunchEventPage):
            facts = []
            if page.event_date:
                facts.append(f"活动日期：{escape(cn_date(page.event_date))}")
            if page.venue:
                facts.append(f"地点：{own(page.venue)}")
            if facts:
                head.append(f"<p>{'；'.join(facts)}</p>")
        elif isinstance(page, NewsPage):
            if page.source_name:
                source = {"name": self.text(page.source_name, page), "url": page.source_url}
                name = own(page.source_name)
                if page.source_url:
                    name = f'<a href="{escape(page.source_url)}">{name}</a>'
                head.append(f"<p>来源：{name}</p>")
            photo_credit = page.photo_credit
        elif isinstance(page, StoryPage):
            head.append(self._story_facts(page, own))
            if page.support:
                head.append(f"<p>获得的帮助：{own(page.support)}</p>")
            tail.append(
                f"<p>为保护儿童，文中“{own(page.pseudonym)}”为化名，地区只写到县（市、区）。</p>"
            )

        rows = []
        for credit in credits:
            names = "、".join(own(n) for n in credit["names"])
            rows.append(f"{own(credit['role'])}：{names}" if credit["role"] else names)
        if photo_credit:
            rows.append(f"图片：{own(photo_credit)}")
        if rows:
            head.append(f"<p>{'；'.join(rows)}</p>")
        credits = [
            {"role": self.text(c["role"], page), "names": [self.text(n, page) for n in c["names"]]}
            for c in credits
        ]
        if photo_credit:
            role = self.text("图片", page, source="hans")
            credits.append({"role": role, "names": [self.text(photo_credit, page)]})

        title_html = own(page.title)
        tail.append(f'<p>本文来自{SITE_NAME}：<a href="{escape(link)}">{title_html}</a></p>')
        html = "".join(head) + self._body_html(page) + "".join(tail)
        content_html = self._absolutize(self.html(html, page))

        summary = page.summary or getattr(page, "search_description", "")
        summary = self.text(summary, page) if summary else ""
        if not summary:
            first = self._first_paragraph_text(page)
            summary = Truncator(self.text(first, page)).chars(SUMMARY_CHARS) if first else ""

        return Entry(
            page_id=page.pk,
            page_type=TYPE_NAMES.get(type(page).__name__, "page"),
            id=stable_id(page),
            link=link,
            title=self.text(page.title, page),
            summary=summary,
            content_html=content_html,
            published=published,
            updated=updated,
            authors=authors,
            credits=credits,
            tags=[self.text(tag, page) for tag in (page.tags or []) if str(tag).strip()],
            image=self._lead_image(page),
            video=video,
            source=source,
            episode_number=number,
        )

    @staticmethod
    def _story_facts(page, own):
        facts = [f"{own(page.pseudonym)}（化名）"]
        if page.age is not None:
            facts.append(f"{page.age} 岁")
        if page.region:
            facts.append(own(page.region))
        if page.circumstances:
            facts.append("、".join(own(c) for c in page.circumstances))
        return f"<p>{'，'.join(facts)}</p>"

    @staticmethod
    def _video_type(url):
        if not is_video_file(url):
            return "text/html"
        path = url.lower().split("?", 1)[0]
        return next((t for ext, t in VIDEO_TYPES.items() if path.endswith(ext)), "video/mp4")


def newest(entries, *fallbacks):
    dates = [e.updated for e in entries] + [d for d in fallbacks if d]
    return max(dates) if dates else EPOCH
