"""The newsroom fields an old page carries in its furniture lines, and its script.

A meta line is one made only of labelled values: 发布时间：2022-01-10 17:05 来源：市民政局
作者：张三 责任编辑：李四. Its values go into the page's fields and the line leaves the body.
Prose is never read for labels (记者从市民政局获悉 is a sentence), except the credits in a
dateline's brackets: 本报讯（记者 张三 通讯员 李四）.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime

import opencc

# Role labels, longest first where one starts another (本报记者 before 记者, 图片来源 before 图).
# They are matched on the simplified fold of a line; traditional forms that OpenCC does not
# fold to these (Taiwan's 發佈) are listed too.
_ROLES = {
    "date": "发布时间 發布時間 发布日期 發布日期 发表时间 發表時間 发稿时间 發稿時間 "
    "更新时间 更新時間 录入时间 錄入時間 成文日期 生成日期 印发日期 时间 時間 日期",
    "source": "文章来源 文章來源 信息来源 信息來源 资料来源 資料來源 本文来源 本文來源 "
    "稿件来源 来源 來源 稿源 出处 出處 转载自 轉載自 转自 轉自 发布机构 發布機構",
    "url": "原文链接 原文鏈接 原文連結 原文地址 原文網址",
    "photo": "图片来源 圖片來源 摄影 攝影 供图 供圖 图片 圖片 图 圖",
    "editor": "责任编辑 責任編輯 责编 責編 编辑 編輯",
    "credit": "本报记者 本報記者 特约记者 特約記者 见习记者 見習記者 记者 記者 通讯员 "
    "通訊員 实习生 實習生 作者 撰稿 撰文 文字 文案 文/图 文／圖 文/圖 图/文 圖/文 图／文 "
    "圖／文 文图 文圖 图文 圖文 文 摄像 攝像 视频 視頻 剪辑 剪輯 校对 校對 审核 審核 初审 "
    "复审 终审 一审 二审 三审 签发 制作 製作 排版 美编 美編 编审 編審 监制 監製 统筹 統籌 "
    "策划 策劃 值班编辑 值班編輯",
    "ignore": "发布者 发布人 文章录入 信息录入 录入员 录入 原创 点击数 点击量 点击 浏览量 "
    "浏览次数 阅读量 阅读 索引号 "
    "主题分类 体裁分类 组配分类 服务对象分类 主题词 文号 发文字号 有效性 本文链接 本文地址 "
    "本页地址 文章链接 文章地址",
}
_LABEL_KIND = {label: kind for kind, labels in _ROLES.items() for label in labels.split()}
_LABELS = sorted(_LABEL_KIND, key=len, reverse=True)
# Credit labels that name a role on their own (not 文, a word too), by that role.
_CREDIT_ROLES: dict[str, str] = {}
_LABEL_ALT = "|".join(re.escape(label) for label in _LABELS)
# A label starts the line or follows a separator, and is followed by a colon or a slash
# (文/张三), or by a space for the credit roles (记者 张三).
_LABEL_RE = re.compile(
    rf"(?:^|(?<=[\s|｜【\[（(□■●◎★☆◆◇○]))(?P<label>{_LABEL_ALT})\s*(?:[：:／/|｜丨]|(?<=[者员員生影像])\s|\s(?=\S))\s*"
)
_STRIP = " \t|｜丨【】[]（）()：:，,;；。"
_NAME_SPLIT_RE = re.compile(r"[\s、，,;；/／]+")
_URL_RE = re.compile(r"https?://[^\s<>\"'，。）)】]+", re.I)

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "O": 0, "○": 0}
_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:：时時点點]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?"
)
_CN_DATE_RE = re.compile(
    r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_DATELINE_RE = re.compile(
    r"^.{0,30}?[（(]((?:[^（()）]{0,40}?(?:记者|記者|通讯员|通訊員|实习生)[^（()）]*))[)）]"
)


@dataclass
class Meta:
    date: datetime | None = None
    source_name: str = ""
    source_url: str = ""
    credits: list[tuple[str, list[str]]] = field(default_factory=list)
    responsible_editor: str = ""
    photo_credits: list[str] = field(default_factory=list)
    # Labels were found, even if their values name no one (作者：admin 来源：本站).
    labelled: bool = False

    def clear(self) -> None:
        self.__init__()

    def merge(self, other: Meta) -> None:
        """Fill what is still empty; the first value found wins."""
        self.date = self.date or other.date
        if not self.source_name and other.source_name:
            self.source_name, self.source_url = other.source_name, other.source_url
        self.source_url = self.source_url or other.source_url
        self.responsible_editor = self.responsible_editor or other.responsible_editor
        for role, names in other.credits:
            credited = {name for _, known in self.credits for name in known}
            # 记者 张明 in the dateline and 作者：张明 below are one credit.
            if role not in {r for r, _ in self.credits} and not set(names) <= credited:
                self.credits.append((role, names))
        self.photo_credits += [p for p in other.photo_credits if p not in self.photo_credits]


# Byline order on the page: who wrote it, then who took the pictures, then the rest.
_ROLE_ORDER = (
    "作者",
    "撰文",
    "撰稿",
    "文字",
    "文",
    "文/图",
    "文/圖",
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "摄影",
    "攝影",
)


def ordered_credits(credits: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    def rank(credit):
        role = credit[0]
        return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)

    return sorted(credits, key=rank)


def _cn_number(text: str) -> int:
    if all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    # 十, 十二, 二十, 二十八
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def parse_date(text: str) -> datetime | None:
    m = _DATE_RE.search(text)
    parts = None
    if m:
        parts = [int(g) if g else 0 for g in m.groups()]
    else:
        c = _CN_DATE_RE.search(text)
        if c:
            parts = [_cn_number(g) for g in c.groups()] + [0, 0, 0]
    if not parts:
        return None
    try:
        return datetime(*parts)
    except ValueError:
        return None


# Sources that name no one: the old site itself, or nobody in particular.
_NO_SOURCE = frozenset(
    ["本站", "本站原创", "原创", "本网", "本网原创", "网络", "互联网", "网络转载", "未知"]
)
# Old CMSs fill 作者 with the account that typed the page in, not a person.
_ACCOUNTS = frozenset(
    [
        # Nobody in particular: the CMS's default, or a content farm's.
        "佚名",
        "匿名",
        "未知",
        "本站",
        "本网",
        "小编",
        "网友",
        "admin",
        "administrator",
        "system",
        "root",
        "webmaster",
        "editor",
        "guest",
        "user",
        "管理员",
        "系统管理员",
    ]
)


def _no_one(value: str) -> bool:
    """The value of a credit names an account or nobody (作者：admin, 作者：佚名)."""
    words = [w.strip(_STRIP) for w in _NAME_SPLIT_RE.split(value.strip(_STRIP))]
    words = [w for w in words if w]
    return bool(words) and all(w.lower() in _ACCOUNTS or w in _NO_SOURCE for w in words)


# A portal's editor code after the name: 王小丽_NBJ11234.
_EDITOR_CODE_RE = re.compile(r"_[A-Za-z]{1,6}\d{2,}$")


def _names(value: str) -> list[str]:
    names = []
    for part in _NAME_SPLIT_RE.split(value.strip(_STRIP)):
        part = _EDITOR_CODE_RE.sub("", part.strip(_STRIP))
        if part.lower() in _ACCOUNTS or re.fullmatch(r"[\W\d_]*", part):
            continue
        if part and len(part) <= 20 and not _DATE_RE.search(part):
            names.append(part)
    return names


def _role(label: str) -> str:
    """The role a label names, one form per role (本报记者 is 记者, 图文 is 文/图), in the
    script it was written in (圖文 is 文/圖)."""
    label = label.replace("本报", "").replace("本報", "").replace("／", "/")
    simple = label.replace("圖", "图")
    if simple in ("文图", "图文", "图/文", "文/图"):
        return "文/圖" if "圖" in label else "文/图"
    return label


def _is_text_and_pictures(role: str) -> bool:
    return role in ("文/图", "文/圖")


def _as_written(role: str, written: str) -> str:
    """`role` (simplified) in the script of `written`, the label as the page wrote it."""
    return _converter("s2t").convert(role) if fold(written) != written else role


_CREDIT_ROLES.update(
    (label, _role(label))
    for label, kind in _LABEL_KIND.items()
    if kind == "credit" and len(label) >= 2
)


# Credits written after the names: 张三 摄, （记者 张三 摄）, 李四/图, 张三/文 — a line of them.
_NAME = r"[\u4e00-\u9fff·]{2,5}"
_SUFFIX_CREDIT_RE = re.compile(
    rf"(?:(?P<role>本报记者|特约记者|记者|通讯员|实习生)\s*)?"
    rf"(?P<names>{_NAME}(?:[\s、，,]+{_NAME}){{0,3}})\s*(?:/\s*|\s+)"
    r"(?P<what>摄影报道|摄影|摄|文图|图文|文|图)(?=[\s)）】\]]|$)"
)
_SUFFIX_ROLES = {"摄影报道": "摄影", "摄影": "摄影", "摄": "摄影", "文图": "文/图", "图文": "文/图"}


def _suffix_credits(text: str) -> Meta | None:
    """The credits of a line made only of name-then-role credits, or None."""
    folded = fold(text)
    found = list(_SUFFIX_CREDIT_RE.finditer(folded))
    if not found:
        return None
    leftover = _SUFFIX_CREDIT_RE.sub("", folded)
    if re.sub(r"[\s()（）【】\[\]□■●◎★☆◆◇○，,、;；]", "", leftover):
        return None
    meta = Meta(labelled=True)
    for m in found:
        names = _NAME_SPLIT_RE.split(text[m.start("names") : m.end("names")].strip())
        what = m.group("what")
        written = text[m.start("what") : m.end("what")]
        role = _as_written(_SUFFIX_ROLES.get(what, what), written)
        if what != "文":
            label = written if what == "图" else role
            meta.photo_credits.append(f"{label}：{'、'.join(names)}")
        if what == "图":
            continue
        if m.group("role") and what == "文":
            role = _role(text[m.start("role") : m.end("role")])
        meta.credits.append((role, names))
    return meta


def parse_meta(text: str, links: list[tuple[str, str]] = ()) -> tuple[Meta, str]:
    """(the fields in `text`, what is left of it once labelled values and dates are out)."""
    suffixed = _suffix_credits(text)
    if suffixed is not None:
        return suffixed, ""
    meta = Meta()
    # Labels are found in the simplified fold (發佈時間 is 发布时间), values read as written.
    matches = list(_LABEL_RE.finditer(fold(text)))
    rest = text
    if matches:
        rest = text[: matches[0].start()]
        meta.labelled = True
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end]
        kind = _LABEL_KIND[m.group("label")]
        label = text[m.start("label") : m.end("label")]
        if kind == "date":
            date = parse_date(value)
            if date is None:
                rest += " " + label + value
                continue
            meta.date = meta.date or date
            value = _DATE_RE.sub(" ", value)
            rest += " " + value  # the clock words after a date are left for the caller
            continue
        if kind in ("source", "url"):
            url = _URL_RE.search(value)
            name = _URL_RE.sub("", value).strip(_STRIP)
            name = _DATE_RE.sub("", name).strip(_STRIP)
            if name in _NO_SOURCE:
                name = ""
            if kind == "source" and name and not meta.source_name:
                meta.source_name = name[:120]
            if url:
                meta.source_url = meta.source_url or url.group()
            elif name:
                for link_text, href in links:
                    if link_text and link_text in name and href.startswith(("http://", "https://")):
                        meta.source_url = meta.source_url or href
            continue
        if kind == "ignore":
            continue
        names = _names(_DATE_RE.sub(" ", value))
        if not names:
            if not _no_one(value):
                rest += " " + label
            continue
        if kind == "editor":
            meta.responsible_editor = meta.responsible_editor or "、".join(names)[:60]
        elif kind == "photo":
            meta.photo_credits.append(f"{_role(label)}：{'、'.join(names)}")
            if m.group("label") == "摄影":
                meta.credits.append((_role(label), names))
        else:
            role = _role(label)
            if len(names) > 1 and names[0] in _CREDIT_ROLES:
                # 作者：记者 周明, 文/记者 周明 — the role is the first word of the value.
                role, names = _CREDIT_ROLES[names[0]], names[1:]
            meta.credits.append((role, names))
            if _is_text_and_pictures(role):
                # The words and the pictures: the photo credit too.
                meta.photo_credits.append(f"{label}：{'、'.join(names)}")
    date = parse_date(rest) or (None if meta.date else parse_date(text))
    if date:
        meta.date = meta.date or date
        rest = _CN_DATE_RE.sub(" ", _DATE_RE.sub(" ", rest))
    return meta, rest


def is_meta_line(text: str, rest: str, meta: Meta) -> bool:
    """A line of labelled values only (nothing else left but separators or a weekday)."""
    found = meta.date or meta.source_name or meta.source_url or meta.credits
    found = found or meta.responsible_editor or meta.photo_credits
    if not found and not meta.labelled:
        return False
    leftover = re.sub(r"星期.|周.|[\W_\d]|[A-Za-z]{1,3}", "", rest)
    if meta.date and len(text) <= 50:
        # A date with a short name beside it: the publisher (XX市民政 2022-05-20 18:00).
        return len(leftover) <= 12
    return len(leftover) <= 2 and len(text) <= 200


# What ends the name of an organisation, not a person's: 县民政局, 某某网, 区妇联.
_ORGANISATION_END_RE = re.compile(
    r"(?:局|会|會|联|聯|部|办|辦|中心|政府|网|網|站|院|委|厅|廳|处|處|科|室|社|台|报|報|号|號|所|馆|館"
    r"|队|隊|团|團|校|园|園|司|组|組|员|員|协会|基金)$"
)


def author_credit(value: str) -> Meta:
    """The credit a page's author <meta> gives: 作者 and the names in it that are people."""
    meta = Meta()
    names = [
        name
        for name in _names(value)
        if re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", name) and not _ORGANISATION_END_RE.search(name)
    ]
    if names:
        meta.credits.append(("作者", names))
    return meta


def dateline_credits(paragraph: str) -> Meta:
    """Credits in a news dateline: 本报讯（记者 张三 通讯员 李四）5月28日，…"""
    m = _DATELINE_RE.match(paragraph)
    if not m:
        return Meta()
    meta, _ = parse_meta(m.group(1))
    meta.date = None  # a dateline's 5月28日 has no year
    return meta


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.lru_cache(maxsize=20000)
def _fold_char(char: str) -> str:
    out = _converter("tw2s").convert(char)
    return out if len(out) == 1 else char


def fold(text: str) -> str:
    """`text` in simplified characters, one for one, so positions stay valid."""
    return "".join(map(_fold_char, text)) if not text.isascii() else text


@functools.lru_cache(maxsize=20000)
def _char_script(char: str) -> str | None:
    if _converter("t2s").convert(char) != char:
        return "hant"
    if _converter("s2t").convert(char) != char:
        return "hans"
    return None


def script_counts(text: str) -> dict[str, int]:
    """How many characters are written only in one script or the other."""
    counts = {"hans": 0, "hant": 0}
    for char in text:
        if "\u4e00" <= char <= "\u9fff":
            script = _char_script(char)
            if script:
                counts[script] += 1
    return counts


def detect_script(text: str) -> str:
    counts = script_counts(text)
    return "hant" if counts["hant"] > counts["hans"] else "hans"
