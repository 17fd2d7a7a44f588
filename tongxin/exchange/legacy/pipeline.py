"""One saved page in, one clean article out: `read_article(data)`.

Order matters: decoding, then lines, then junk inside lines (garbage, pinyin), then whole
junk lines, then the title (which decides where the article starts), then the body up to
where the old site's own material begins, then duplicates, fields and flags.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from . import clean, extract
from .decode import decode, unwrap_mhtml
from .document import Line, normalize_space, read_document
from .errors import LegacyError
from .flags import Flag, find_flags
from .pinyin import is_reading_line, remove_annotations
from .spam import is_spam, strip_spam_segments

_TITLE_MAX = 80
# “标题_栏目_网站名”, “标题 - 网站名”, “标题--网站名”, “标题-网站名” (not 2022-2023).
_TITLE_SPLIT_RE = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+|-{2,}|(?<![\d\s-])-(?![\d\s-])")
# Links in a row, none of them prose: a list of other articles or a menu.
_LIST_RUN = 3
_ORIGINAL_TITLE_RE = re.compile(r"^[【\[(（]?\s*原标题\s*[：:]\s*(.+?)\s*[】\])）]?$")
# A "?" between Chinese characters: a character an old converter could not write.
_LOST_CHAR_RE = re.compile(r"(?<=[\u4e00-\u9fff])\?+(?=[\u4e00-\u9fff])")


@dataclass
class Item:
    line: Line
    text: str
    kind: str | None = None
    meta: extract.Meta | None = None

    @property
    def is_text(self) -> bool:
        return self.kind is None and self.meta is None


@dataclass
class Article:
    title: str
    paragraphs: list[tuple[int, str]]  # (line of the file, text)
    meta: extract.Meta
    script: str
    encoding: str
    removed: Counter
    flags: list[Flag]
    notes: list[str] = field(default_factory=list)
    title_line: int = 1

    @property
    def date(self) -> datetime | None:
        return self.meta.date

    @property
    def photo_credit(self) -> str:
        return "；".join(self.meta.photo_credits)[:200]

    @property
    def fingerprint(self) -> str:
        """Of the cleaned article, not the file: the same article saved twice (or from a
        second site that copied it) is the same draft."""
        text = "\n".join([self.title, *(p for _, p in self.paragraphs)])
        folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _key(text: str) -> str:
    """Comparison form: the letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum()).lower()


def _title_like(text: str, marked: bool = False) -> bool:
    """A line that could be a title. `marked`: the page marks it as one (an <h1>, a
    "title" class, or its <title> names it), so exclamations and questions inside it are
    the headline's (暖心！这群“爱心妈妈”陪伴留守儿童过六一), not a sentence's."""
    if marked:
        prose = bool(re.search(r"[。；]", text))
    else:
        prose = clean.is_prose(text[:-1] if text.endswith(("！", "？", "!", "?")) else text)
    return (
        4 <= len(text) <= _TITLE_MAX
        and not re.search(r"[。；：:]$", text)
        # A subtitle (——记优秀儿童督导员) is not the title.
        and not text.startswith(("—", "－", "-", "("))
        and text.count("，") + text.count(",") <= 2
        and not prose
    )


def _hint_titles(doc) -> tuple[list[str], list[str]]:
    """What the page's <title> and title <meta> tags call it: (the title, the rest). The
    title is the first part of “标题_栏目_网站名”; the other parts name the site, which its
    logo repeats in an <h1>."""
    strong, weak = [], []
    for text in (doc.meta.get("title", ""), doc.head_title):
        text, _ = strip_spam_segments(text)
        parts = [p for p in _TITLE_SPLIT_RE.split(text) if len(p) >= 4 and not is_spam(p)]
        if len(parts) > 1 and _site_name(parts[0]) and not _site_name(parts[-1]):
            # “网站名_标题”: the site first, the article last.
            parts = [parts[-1], *parts[:-1]]
        strong += [_key(p) for p in parts[:1]]
        weak += [_key(p) for p in parts[1:]]
    return strong, weak


_SITE_NAME_RE = re.compile(
    r"(?:局|政府|网|網|网站|網站|官网|官網|门户|門戶|会|會|联|聯|中心|委员会|委員會|办公室|辦公室|基金)$"
)


def _site_name(part: str) -> bool:
    """A part of a <title> that names the site, not an article: short, ending as an
    organisation's or a site's name does."""
    return len(part.strip()) <= 16 and bool(_SITE_NAME_RE.search(part.strip()))


def _named(key: str, hints: list[str]) -> bool:
    return any(key == h or (min(len(key), len(h)) >= 6 and (key in h or h in key)) for h in hints)


_LABEL_ONLY_RE = re.compile(r"^[^\s：:]{1,8}\s*[：:]$")


def _join_labels(lines: list[Line]) -> list[Line]:
    """A label alone on its line and its value on the next, as table cells put them
    (发布机构： | 市民政局), become one line."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and _LABEL_ONLY_RE.match(previous.text)
            and len(line.text) <= 40
            and not clean.is_prose(line.text)
            and not line.text.endswith(("：", ":"))
        ):
            joined[-1] = Line(
                previous.text + line.text,
                previous.number,
                previous.tag,
                previous.link_chars + line.link_chars,
                previous.links + line.links,
                previous.title_hint,
            )
            continue
        joined.append(line)
    return joined


def _prepare(doc, removed: Counter) -> list[Item]:
    items = []
    for line in _join_labels(doc.lines):
        text, n = clean.remove_garbage(line.text)
        removed["garbage"] += n
        text, n = remove_annotations(text)
        removed["pinyin"] += n
        text = normalize_space(text)
        if not text:
            continue
        if is_reading_line(text):
            removed["pinyin"] += 1
            continue
        # Spam glued to a real line (民政局召开会议_澳门赌场_在线视频): the line stays.
        stripped, n = strip_spam_segments(text)
        if n and not is_spam(stripped):
            text = stripped
            removed["spam"] += n
        kind, rest, cut = clean.classify(text, line.link_share)
        removed.update(cut)
        item = Item(line, rest, kind)
        if kind is None:
            meta, leftover = extract.parse_meta(rest, line.links)
            if not clean.is_prose(rest) and extract.is_meta_line(rest, leftover, meta):
                item.meta = meta
        items.append(item)
    _mark_link_lists(items)
    return items


def _mark_link_lists(items: list[Item]) -> None:
    """Runs of short link lines: a menu above the first paragraph, a list below it."""
    run: list[Item] = []
    seen_prose = False
    for item in [*items, None]:
        listed = item is not None and item.is_text and item.line.link_share >= 0.6
        if listed and not clean.is_prose(item.text) and len(item.text) <= 60:
            run.append(item)
            continue
        if len(run) >= _LIST_RUN:
            for member in run:
                member.kind = "related" if seen_prose else "nav"
        run = []
        seen_prose = seen_prose or (item is not None and item.is_text and clean.is_prose(item.text))


def _mark_site_names(items: list[Item], hints: tuple[list[str], list[str]]) -> None:
    """Lines that are exactly what the page's <title> names after the article's title (the
    site's name, the section's) are the site's header, unless they head something: the title
    may come last in a <title> written “网站名_标题”."""
    strong, weak = hints
    for i, item in enumerate(items):
        if not item.is_text or clean.is_prose(item.text):
            continue
        key = _key(item.text)
        heads = item.line.title_hint or item.line.tag in ("h1", "h2", "h3")
        # Site and section names are short; a headline that a “网站名_标题” <title> names
        # second is longer, and stays a candidate.
        short = len(item.text) <= 16
        if (
            key in weak
            and key not in strong
            and short
            and not heads
            and not _meta_follows(items, i)
        ):
            item.kind = "nav"


def _meta_follows(items: list[Item], i: int) -> bool:
    """A meta line right under line `i` (junk between them aside), before any text."""
    return _meta_under(items, i) is not None


def _meta_under(items: list[Item], i: int) -> extract.Meta | None:
    """The meta line right under line `i` (junk between them aside), before any text."""
    for item in items[i + 1 : i + 8]:
        if item.meta is not None:
            return item.meta
        if item.kind is None:
            return None
    return None


def _heads_copied_article(items: list[Item], i: int, title_key: str) -> bool:
    """Line `i`, under a few lines of text, heads the article a content farm copied: the
    title again with its date or source under it, or another headline (a heading, or the
    page names it) with the original's source, or date and byline, under it."""
    item = items[i]
    under = _meta_under(items, i)
    if under is None:
        return False
    if _key(item.text) == title_key:
        return True
    heading = item.line.tag in ("h1", "h2", "h3", "h4") or item.line.title_hint
    sourced = bool(under.source_name or under.source_url)
    return _title_like(item.text, heading) and (
        sourced or (heading and bool(under.date and under.credits))
    )


def _first_title_line(items: list[Item]) -> int | None:
    """The longest title-like line above the first paragraph, where a plain-text page has
    its title: menu words the cleaning did not recognise and section numbers (一、保障对象)
    are shorter."""
    found, longest = None, 0
    for i, item in enumerate(items):
        if item.is_text:
            if clean.is_prose(item.text):
                break
            if _title_like(item.text) and len(item.text) >= longest:
                found, longest = i, len(item.text)
    return found


def _strength(item: Item, has_meta: bool, named: float, first: bool) -> float:
    """How surely a line heads an article: a date or source under it and the page's own
    <title> naming it count most, an <h1> or a "title" class less, an <h2> (also used for
    sections inside an article) or being the first short line of a text file least."""
    line = item.line
    strength = 2.0 * has_meta + named + 1.0 * (line.title_hint or line.tag == "h1")
    return strength + 0.5 * (line.tag == "h2" or first)


def _choose_title(items: list[Item], hints: tuple[list[str], list[str]]) -> int | None:
    """Index of the title line: of the lines that head something, the one whose section
    (up to the next line heading as surely) holds the most text."""
    heads: list[tuple[int, float]] = []
    first = _first_title_line(items)
    for i, item in enumerate(items):
        if not item.is_text:
            continue
        key = _key(item.text)
        named = 2.0 if _named(key, hints[0]) else 0.5 if _named(key, hints[1]) else 0.0
        marked = named == 2.0 or item.line.title_hint or item.line.tag == "h1"
        if not _title_like(item.text, marked):
            continue
        strength = _strength(item, _meta_follows(items, i), named, i == first)
        if strength:
            heads.append((i, strength))
    best, best_score = None, None
    for n, (i, strength) in enumerate(heads):
        key = _key(items[i].text)
        end = next(
            (j for j, other in heads[n + 1 :] if other >= strength and _key(items[j].text) != key),
            len(items),
        )
        text = sum(
            len(x.text)
            for x in items[i + 1 : end]
            if x.is_text and (clean.is_prose(x.text) or len(x.text) >= 30)
        )
        score = (text > 0, strength >= 2 or text >= 60, text, strength)
        if best_score is None or score > best_score:
            best, best_score = i, score
    return best


# A date in a saved page's file name, as content systems name pages: t20210601_123456.html,
# 20150601_123.html, 2021-06-01-title.htm.
_NAME_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)


def date_from_name(name: str) -> datetime | None:
    m = _NAME_DATE_RE.search(name)
    if not m:
        return None
    try:
        return datetime(*map(int, m.groups()))
    except ValueError:
        return None


def read_article(data: bytes, name: str = "") -> Article:
    """The clean article in a saved page; LegacyError when there is none. `name` is the
    file's name: a date in it is the last resort for the article's date."""
    html, charset = unwrap_mhtml(data)
    decoded = decode(html, charset)
    # Undecodable bytes became U+FFFD; they are counted with the other garbage, line by line.
    removed: Counter = Counter()
    doc = read_document(decoded.text)
    removed.update(doc.removed)
    items = _prepare(doc, removed)
    hints = _hint_titles(doc)
    _mark_site_names(items, hints)
    t = _choose_title(items, hints)
    if t is None:
        title, start, title_line = _title_from_head(doc), 0, 1
    else:
        title, n = strip_spam_segments(items[t].text)
        removed["spam"] += n
        start, title_line = t + 1, items[t].line.number
    meta = extract.Meta()
    above = _above_title(items[: start - 1] if start else [], title, removed)
    first_title = title
    body, title, title_line = _body(items[start:], title, title_line, meta, removed)
    if not body:
        raise LegacyError("清理后没有正文（文件里只有标题、导航或版权等内容）")
    if title == first_title:
        # Above a content farm's title, the fields are the farm's.
        meta.merge(above)
    # The page's <meta> tags come last: on a content farm they describe the farm's page.
    if doc.meta.get("date") and not meta.date:
        meta.date = extract.parse_date(doc.meta["date"])
    if doc.meta.get("source") and not meta.source_name:
        meta.source_name = doc.meta["source"][:120]
    meta.merge(extract.dateline_credits(body[0][1]))
    if doc.meta.get("author") and not meta.credits:
        # <meta name="author">, as WeChat writes its articles' author: people only, not the
        # site or the account that typed the page in.
        meta.merge(extract.author_credit(doc.meta["author"]))
    script, notes = _script(title, body)
    if not meta.date and date_from_name(name):
        meta.date = date_from_name(name)
        notes.append(f"页面上没有发布日期，已按文件名取为 {meta.date:%Y-%m-%d}，请核对")
    if decoded.repaired:
        notes.append(
            f"{decoded.repaired} 行是 UTF-8 被当作 GBK 读过的乱码（如“鍏充簬”），已还原，请核对"
        )
    lost = len(_LOST_CHAR_RE.findall("\n".join([title, *(p for _, p in body)])))
    if lost:
        notes.append(f"有 {lost} 处“?”夹在汉字中间，多为旧转换器无法转换的字，请对照原文补上")
    if doc.images:
        notes.append(f"原页面有 {doc.images} 张图片，未导入；需要时请在编辑页面重新上传")
    flags = find_flags([(title_line, title), *body])
    removed = Counter({k: v for k, v in removed.items() if v})
    return Article(title, body, meta, script, decoded.encoding, removed, flags, notes, title_line)


def _title_from_head(doc) -> str:
    """No line of the page heads it: the first part of its <title> (or title <meta>)."""
    for text in (doc.meta.get("title", ""), doc.head_title):
        text, _ = strip_spam_segments(text)
        parts = [p.strip() for p in _TITLE_SPLIT_RE.split(text) if p.strip()] if text else []
        if len(parts) > 1 and _site_name(parts[0]) and not _site_name(parts[-1]):
            parts = [parts[-1]]  # “网站名_标题”
        first = parts[0] if parts else ""
        if first and not is_spam(first) and _title_like(first, marked=True):
            return first
    raise LegacyError("找不到可以识别的标题（文件里没有像标题的一行，也没有 <title>）")


def _above_title(before: list[Item], title: str, removed: Counter) -> extract.Meta:
    """Counts what is above the title (the old site's header, or a content farm's own title
    and intro) and returns the fields found there, which belong to the article unless a farm
    wrote them."""
    wrapped = any(x.is_text and clean.is_prose(x.text) for x in before)
    above = extract.Meta()
    for item in before:
        if item.meta is not None and not wrapped:
            # A disclosure table above the title (发布机构, 成文日期).
            above.merge(item.meta)
        if item.kind:
            removed[item.kind] += 1
        elif _key(item.text) == _key(title):
            removed["duplicate"] += 1
        elif item.meta is None:
            removed["wrapper" if wrapped else "nav"] += 1
    return above


def _script(title: str, body: list[tuple[int, str]]) -> tuple[str, list[str]]:
    """The script the article is written in, and a note when an old converter left many
    characters of the other one in it (志愿者 in a traditional text): stored as written."""
    counts = extract.script_counts(title + "\n" + "\n".join(p for _, p in body))
    script = "hant" if counts["hant"] > counts["hans"] else "hans"
    other = counts["hans" if script == "hant" else "hant"]
    notes = []
    if other >= 3 or (other and other * 50 >= counts[script]):
        notes.append(
            f"正文为{'繁体' if script == 'hant' else '简体'}，其中 {other} 个字是另一种字体"
            "（多为旧转换器遗留），已按原样保留，请核对"
        )
    return script, notes


def _is_short(body: list[tuple[int, str]]) -> bool:
    return len(body) <= 2 and sum(len(text) for _, text in body) <= 150


def _date_only(meta: extract.Meta) -> bool:
    return (
        bool(meta.date)
        and not (meta.source_name or meta.source_url or meta.credits or meta.responsible_editor)
        and not meta.photo_credits
    )


def _repeats(key: str, seen: set[str]) -> bool:
    """A line made of lines already kept: the title and the body run together into one
    paragraph by a second copy of the article."""
    if len(key) < 20:
        return False
    rest = key
    for known in sorted(seen, key=len, reverse=True):
        if len(known) >= 4:
            rest = rest.replace(known, "")
    return len(rest) <= len(key) // 20


def _body(
    items: list[Item], title: str, title_line: int, meta: extract.Meta, removed: Counter
) -> tuple[list[tuple[int, str]], str, int]:
    """The article's paragraphs under its title, and the title: a content farm's intro
    above the article it copied hands the title over to that article's own."""
    body: list[tuple[int, str]] = []
    seen = {_key(title)}
    kept_text = ""
    ended_by = None
    title_key = _key(title)
    for index, item in enumerate(items):
        if ended_by:
            # After the article: the site's lists, comments and footer, or a farm's others.
            if item.kind:
                removed[item.kind] += 1
            elif item.meta is not None:
                if item.meta.responsible_editor and not meta.responsible_editor:
                    meta.responsible_editor = item.meta.responsible_editor
            else:
                removed[ended_by] += 1
            continue
        if item.kind:
            removed[item.kind] += 1
            if item.kind in clean.END_KINDS and body:
                ended_by = item.kind
                # The footer's contact lines just above its copyright line are the site's.
                while (
                    item.kind == "copyright"
                    and len(body) > 1
                    and clean.is_footer_contact(body[-1][1])
                ):
                    body.pop()
                    removed["copyright"] += 1
            continue
        if item.meta is not None:
            meta.merge(item.meta)
            if not (body and _date_only(item.meta)):
                continue
            # A date under the text is the notice's own signature date: it stays.
        key = _key(item.text)
        if not key:
            continue
        if body and _is_short(body) and _heads_copied_article(items, index, title_key):
            # The title again, or the original's own headline, with its date or source
            # under it, after a few lines: a content farm's intro above the copied article,
            # which starts here.
            removed["wrapper"] += len(body) + (key != title_key)
            title, title_line = item.text, item.line.number
            title_key = key
            body, seen, kept_text = [], {title_key}, ""
            # The farm's own date and counters above it are not the article's.
            meta.clear()
            continue
        original = _ORIGINAL_TITLE_RE.match(item.text)
        if original and len(body) <= 1 and _title_like(original.group(1), marked=True):
            # 原标题：… at the top: a portal or a farm retitled the article it carried.
            removed["wrapper"] += 1
            title, title_line = original.group(1), item.line.number
            title_key = _key(title)
            seen.add(title_key)
            continue
        if key in seen or (len(key) >= 20 and key in kept_text) or _repeats(key, seen):
            removed["duplicate"] += 1
            continue
        if body and _title_like(item.text) and item.line.title_hint and key != title_key:
            # Another article's heading after this one: a content farm's next item.
            ended_by = "wrapper"
            removed["wrapper"] += 1
            continue
        seen.add(key)
        kept_text += key + "\n"
        body.append((item.line.number, item.text))
    return body, title, title_line
