"""The draft NewsPage for a clean article: created once, updated on later runs, never
published.

A re-run finds its draft by the article's fingerprint, else by the file's own hash (the same
file, cleaned differently by a newer version of the rules). Nothing is written when the
content is what was written last time: no new revision, as with `import_content`. Another
file holding the same article (saved twice, or a content farm's copy) leaves the draft made
from the first one as it is: the copy has nothing to add, and often less (no source link).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.rich_text import RichText

from campaigns.models import NewsIndexPage, NewsPage
from tongxin.exchange.models import LegacyImport
from tongxin.exchange.site import relative_path, site_root

from .extract import ordered_credits
from .pipeline import Article

_SLUG_SYLLABLES = 8


@dataclass
class Result:
    page: Page | None
    status: str  # created, updated, unchanged, same article (on a dry run: what would happen)
    path: str  # slug path from the site root, as in the exchange format
    first_file: str = ""  # for "same article": the file the draft was made from


def _slug_base(title: str) -> str:
    """Readable pinyin, as editors write slugs: 民政局召开会议 → min-zheng-ju-zhao-kai-hui-yi."""
    words = [anyascii(c) for c in title if "\u4e00" <= c <= "\u9fff"][:_SLUG_SYLLABLES]
    slug = slugify("-".join(words)) if words else slugify(anyascii(title))
    return slug[:60].strip("-") or "article"


def _free_slug(title: str, parent: Page, page: Page | None = None) -> str:
    base = slug = _slug_base(title)
    n = 1
    while not Page._slug_is_available(slug, parent, page):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _path(url_path: str) -> str:
    return relative_path(url_path, site_root().url_path)


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value[:200]


def content_of(article: Article) -> dict:
    """The page's fields as this import sets them (JSON-ready, for comparing runs)."""
    meta = article.meta
    date = timezone.make_aware(meta.date) if meta.date else None
    return {
        "title": article.title[:255],
        "date": date.isoformat() if date else None,
        "script": article.script,
        "source_name": meta.source_name[:120],
        "source_url": _url(meta.source_url),
        "byline": [
            {"role": role[:40], "names": [n[:60] for n in names]}
            for role, names in ordered_credits(meta.credits)
        ],
        "photo_credit": article.photo_credit,
        "responsible_editor": meta.responsible_editor[:60],
        "body": [text for _, text in article.paragraphs],
    }


def _apply(page: NewsPage, content: dict) -> None:
    page.title = page.draft_title = content["title"]
    page.date = content["date"]
    page.script = content["script"]
    page.source_name = content["source_name"]
    page.source_url = content["source_url"]
    page.byline = [("credit", credit) for credit in content["byline"]]
    page.photo_credit = content["photo_credit"]
    page.responsible_editor = content["responsible_editor"]
    page.body = [("paragraph", RichText(format_html("<p>{}</p>", p))) for p in content["body"]]


def _content_hash(content: dict) -> str:
    data = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def report_of(article: Article, filename: str, content_hash: str) -> dict:
    return {
        "file": filename,
        "encoding": article.encoding,
        "removed": dict(sorted(article.removed.items())),
        "flags": [flag.as_dict() for flag in article.flags],
        "notes": article.notes,
        "content_hash": content_hash,
    }


def find_record(article: Article, file_hash: str) -> LegacyImport | None:
    return (
        LegacyImport.objects.filter(fingerprint=article.fingerprint).select_related("page").first()
        or LegacyImport.objects.filter(file_hash=file_hash).select_related("page").first()
    )


def check_parent(parent: Page | None) -> None:
    if parent is None:
        raise LookupError("没有这个页面")
    if not isinstance(parent.specific, NewsIndexPage):
        raise LookupError(
            f"不是新闻栏目（{type(parent.specific).__name__}），新闻只能放在新闻栏目下"
        )


def save_draft(
    article: Article, data: bytes, filename: str, parent: Page, dry_run: bool = False
) -> Result:
    """Create or update the draft for `article`; on a dry run only say what would happen."""
    file_hash = hashlib.sha256(data).hexdigest()
    content = content_of(article)
    content_hash = _content_hash(content)
    record = find_record(article, file_hash)
    if record is not None:
        page = record.page.specific
        if record.file_hash != file_hash:
            # Another copy of an article already imported (saved twice, or copied by a
            # content farm): the draft and the original of the first copy stay as they are.
            return Result(page, "same article", _path(page.url_path), record.file_name)
        unchanged = record.report.get("content_hash") == content_hash
        status = "unchanged" if unchanged else "updated"
        if dry_run or unchanged:
            return Result(page, status, _path(page.url_path))
        with transaction.atomic():
            latest = page.get_latest_revision_as_object()
            _apply(latest, content)
            latest.save_revision(log_action=True)
            _save_record(record, article, data, filename, file_hash, content_hash)
        return Result(page, status, _path(page.url_path))
    if dry_run:
        return Result(
            None, "created", _path(parent.url_path + _free_slug(content["title"], parent) + "/")
        )
    with transaction.atomic():
        page = NewsPage(live=False, slug=_free_slug(content["title"], parent))
        _apply(page, content)
        parent.add_child(instance=page)
        page.save_revision(log_action=True)
        record = LegacyImport(page=page)
        _save_record(record, article, data, filename, file_hash, content_hash)
    return Result(page, "created", _path(page.url_path))


def _save_record(record, article, data, filename, file_hash, content_hash) -> None:
    # The original is the file this content came from: replaced only when another file
    # (the same article saved again, elsewhere) produced it.
    replace = not record.original or record.file_hash != file_hash
    record.fingerprint = article.fingerprint
    record.file_hash = file_hash
    record.file_name = os.path.basename(filename)[:255]
    record.encoding = article.encoding
    record.report = report_of(article, record.file_name, content_hash)
    if replace:
        if record.original:
            record.original.delete(save=False)
        record.original.save(record.file_name, ContentFile(data), save=False)
    record.save()
