"""Injected SEO spam: the gambling and porn title lines hacked sites carry above the real
title, and the site-name soup (澳门新葡京_国产精品_在线视频) they are written in.

A line is spam when it is mostly spam words, or soup with a spam word in it. An article
that reports on gambling or pornography (打击网络赌博) uses the words inside sentences,
so prose needs several distinct spam words before it is taken for spam.
"""

from __future__ import annotations

import re

from tongxin.core.spam import find_spam, shipped_terms

# Words that, in a child-welfare site's text, only injected spam uses. The welfare lottery
# (福利彩票, 体育彩票, 彩票公益金) is this product's own subject, so lottery words are not here.
_STRONG = [
    "博彩",
    "赌场",
    "賭場",
    "赌博网",
    "赌球",
    "娱乐城",
    "娛樂城",
    "百家乐",
    "百家樂",
    "六合彩",
    "时时彩",
    "時時彩",
    "老虎机",
    "老虎機",
    "真人视讯",
    "真人娱乐",
    "真人荷官",
    "新葡京",
    "葡京",
    "威尼斯人",
    "太阳城",
    "太陽城",
    "金沙娱乐",
    "银河娱乐",
    "皇冠体育",
    "皇冠网",
    "bet365",
    "betway",
    "开云体育",
    "开元棋牌",
    "棋牌游戏",
    "捕鱼游戏",
    "注册送",
    "无码",
    "無碼",
    "有码",
    "有碼",
    "国产精品",
    "國產精品",
    "在线视频",
    "在線視頻",
    "在线观看",
    "在線觀看",
    "免费视频",
    "免費視頻",
    "成人视频",
    "成人影院",
    "成人网",
    "av天堂",
    "av在线",
    "一区二区",
    "一區二區",
    "二区三区",
    "人妻",
    "少妇",
    "少婦",
    "乱伦",
    "亂倫",
    "三级片",
    "三級片",
    "黄色网站",
    "色情网",
    "黄片",
    "黃片",
    "av女优",
    "av女優",
    "精品视频",
    "高清视频",
    "福利视频",
    "福利姬",
    "91视频",
    "私人影院",
    "草莓视频",
    "香蕉视频",
    "伦理片",
    "倫理片",
    "裸聊",
    "约炮",
    "約炮",
    "网赌",
    "網賭",
    "网上赌场",
    "线上赌场",
    "足球投注",
    "体育投注",
    # Gambling brands and their SEO phrases, as hacked pages carry them.
    "九游会",
    "九游娱乐",
    "开云",
    "kaiyun",
    "爱游戏体育",
    "米乐m6",
    "半岛体育",
    "bob体育",
    "亚博体育",
    "yabo",
    "华体会",
    "乐鱼体育",
    "博鱼体育",
    "体育官网",
    "体育官方网站",
    "体育app",
    "娱乐平台",
    "娱乐场网址",
    "娱乐场官网",
    "资料大全管家婆",
    "天天综合网",
    "娱乐官网",
    "线上娱乐",
    "电子游艺",
    "pg电子",
    "麻将胡了",
    "真人游戏",
    "ag真人",
    "澳门金沙",
    "新澳门",
    "澳门特马",
    "澳门精准",
    "管家婆",
    "天天开好彩",
    "最准的资料",
    "久久精品",
    "天天综合",
    "日本一区",
    "精品国产",
    "午夜福利",
]
# Ordinary words elsewhere (国产大飞机, 亚洲杯): spam only next to other spam words.
_WEAK = [
    "国产",
    "國產",
    "日韩",
    "日韓",
    "欧美",
    "歐美",
    "亚洲",
    "亞洲",
    "自拍",
    "偷拍",
    "激情",
    "丝袜",
    "絲襪",
    "麻豆",
    "蜜桃",
    "番号",
    "番號",
    "外围",
    "彩金",
    "首存",
    "下注",
    "押注",
    "盘口",
    "盤口",
    "色情",
    "视频",
    "視頻",
    "免费",
    "免費",
    "高清",
    "精品",
    "影院",
    "美女",
    "棋牌",
    "开奖",
    "彩票平台",
    "官网登录",
    "登录入口",
    "注册",
    "试玩",
    "久久",
]


def _alternation(words):
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


_STRONG_RE = _alternation(_STRONG)
_WEAK_RE = _alternation(_WEAK)
# What soup is written with: _ | ｜ 丨, dashes (spaced, or between words but not between the
# digits of a date), 【】 and the middle dot.
_SOUP_SEP_RE = re.compile(
    r"\s*[_|｜丨]\s*|\s+-\s+|(?<![\d\s])-(?![\d\s])|\s*[—－]+\s*|\s*[【】]\s*|\s*[·•]\s*"
)
_SENTENCE_RE = re.compile(r"[。！？；]")


def spam_words(text: str) -> tuple[set[str], set[str]]:
    """(strong, weak) spam words in `text`, lower case.

    Strong words are this module's list plus the terms the site's spam guard ships
    (tongxin.core.spam), so a line the guard would refuse is removed here as injected spam.
    Administrators' own terms are checked when the draft is saved (no database here)."""
    strong = {m.group().lower() for m in _STRONG_RE.finditer(text)}
    strong |= {hit.term.lower() for hit in find_spam({"": text}, terms=shipped_terms())}
    rest = _STRONG_RE.sub(" ", text)
    return strong, {m.group().lower() for m in _WEAK_RE.finditer(rest)}


def is_spam(text: str) -> bool:
    strong, weak = spam_words(text)
    if not strong and len(weak) < 2:
        return False
    if _SENTENCE_RE.search(text) and len(text) >= 15:
        return bool(strong) and len(strong) + len(weak) >= 3
    if len([s for s in _SOUP_SEP_RE.split(text) if s]) >= 2:
        return True
    # A short line of its own, not a sentence: an injected title line.
    spam_chars = sum(map(len, strong | weak))
    return bool(strong) and (
        len(text) <= 30 or len(strong | weak) >= 2 or spam_chars * 3 >= len(text)
    )


def _spammy(segment: str) -> bool:
    strong, weak = spam_words(segment)
    return bool(strong) or len(weak) >= 2


def strip_spam_segments(text: str) -> tuple[str, int]:
    """A title in soup form without its spam segments (澳门赌场_民政局召开会议 → 民政局召开会议,
    【澳门新葡京】民政局召开会议 → 民政局召开会议), and how many were removed. What stays is
    cut out of the line as written, with the separators between the kept parts."""
    # (start, end) of every segment, and of the separator after it.
    segments, start = [], 0
    for m in _SOUP_SEP_RE.finditer(text):
        segments.append((start, m.start(), m.end()))
        start = m.end()
    segments.append((start, len(text), len(text)))
    if len(segments) < 2:
        return text, 0
    spammy = [bool(text[a:b].strip()) and _spammy(text[a:b]) for a, b, _ in segments]
    kept = [
        seg
        for seg, bad in zip(segments, spammy, strict=True)
        if not bad and text[seg[0] : seg[1]].strip()
    ]
    removed = sum(spammy)
    if not removed or not kept:
        return text, 0
    # From the first kept segment to the last, without the spam segments between them.
    out, first, last = [], kept[0], kept[-1]
    for (a, b, sep_end), bad in zip(segments, spammy, strict=True):
        if a < first[0] or a > last[0] or bad:
            continue
        out.append(text[a:b] if (a, b, sep_end) == last else text[a:sep_end])
    return "".join(out).strip(), removed
