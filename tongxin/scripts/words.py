"""Word-aware simplified → traditional conversion on top of OpenCC.

OpenCC stays the dictionary and the character engine; this module only decides, for the few
characters where it matters, which of OpenCC's answers to keep:

1. **Word boundaries.** OpenCC matches the longest dictionary phrase from the left, so a
   phrase can cut through a word (百年历史 → 年曆, 十几分钟 → 幾分 + 鍾). Where a phrase
   that decides a character (``data/phrases.txt``) is crossed by another dictionary word, the
   clause is segmented with jieba (its dictionary plus those phrases and the shipped domain
   words) and each word is converted on its own: a phrase wins only inside a word.
2. **Names.** A one-to-many surname standing alone before a given name or a title takes its
   surname form (范志明, 余老师, 于海燕 → 范, 余, 于; 钟 → 鍾); words that contain the
   character (模范, 其余, 业余, 游泳, 于是, 钟表) are dictionary words and never reach this.
3. **Context.** A character of ``CONTEXT_CHARS`` that no dictionary word covers gets the form
   its neighbours point to in ``data/context.tsv`` (counts from real Taiwan-standard text),
   but only on clear evidence; otherwise OpenCC's answer stands.

Only runs with such a character pay for any of this; everything else is one OpenCC call.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data")
PHRASES_FILE = DATA / "phrases.txt"
CONTEXT_FILE = DATA / "context.tsv"

# Characters whose form the context model may choose when no word covers them.
CONTEXT_CHARS = frozenset("干发只台历复制钟面借舍")

# One-to-many surnames whose character OpenCC renders otherwise on its own (范 → 範): the
# form a name takes. 叶 → 葉, 萧 → 蕭, 沈 and 谷 are OpenCC's own defaults already.
SURNAME_FORMS = {
    "范": "范",
    "余": "余",
    "于": "于",
    "郁": "郁",
    "游": "游",
    "钟": "鍾",
    "朴": "朴",
    "叶": "葉",
    "萧": "蕭",
    "沈": "沈",
    "谷": "谷",
    "岳": "岳",
    "涂": "涂",
}
# Forms of address after a surname: 余老师, 游阿姨, 范主任.
TITLES = tuple(
    sorted(
        [
            "老师",
            "阿姨",
            "妈妈",
            "爸爸",
            "先生",
            "女士",
            "小姐",
            "医生",
            "大夫",
            "护士",
            "主任",
            "书记",
            "校长",
            "院长",
            "局长",
            "部长",
            "处长",
            "科长",
            "所长",
            "站长",
            "馆长",
            "会长",
            "理事长",
            "秘书长",
            "厅长",
            "市长",
            "县长",
            "乡长",
            "镇长",
            "村长",
            "组长",
            "队长",
            "班长",
            "厂长",
            "经理",
            "总",
            "董",
            "教授",
            "博士",
            "爷爷",
            "奶奶",
            "叔叔",
            "伯伯",
            "阿婆",
            "婆婆",
            "大姐",
            "大哥",
            "大爷",
            "大妈",
            "姐姐",
            "哥哥",
            "师傅",
            "同学",
            "社工",
            "律师",
            "记者",
            "警官",
            "法官",
            "老板",
        ],
        key=len,
        reverse=True,
    )
)
# Characters that end a given name or show the surname is something else: particles,
# pronouns, numbers, time and place words, common verbs.
NOT_GIVEN_NAME = frozenset(
    "的了是在和与及或也都就还又把被让给对向从到为以于之而说道等个们这那其此我你他她它很不没"
    "有一二三四五六七八九十百千万几两年月日时分秒各每该本上下中内外前后里来去过得着地将会要能"
    "可已再才更最并但却所如若则因由从自至当曾已经元岁次位名号"
)

# Characters of given names common since the 1990s that jieba's list of names (older) has
# seldom or never seen; hardly any of them starts an ordinary word after a surname.
GIVEN_NAME_CHARS = frozenset(
    "梓涵轩宸睿妍萱彤芮歆玥骁钰淼翀昕晗璇皓淇曦沐奕熙悦馨蕾雯瑾祺鑫钧珺琦琰瑜璐瑛婧婕娅"
    "妮姝婉娴嫣媛颖璟锦烨炜煜焱淳瀚灏澄潇滢漪霖霏霆靖筱菁蓓蕊薇芸茜莹菲苒芊岚峥昊昱晟暄"
    "晔栩桐楠榕槿樾柠彦恺悠恬骏鹏麟凯铮锴洺浠沫"
)
# After a common surname, a character that is a surname elsewhere is a given name's and
# takes the same form (王郁文, 李郁).
GIVEN_NAME_FORMS = {"郁": "郁"}
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜程苏魏"
    "吕丁任姚卢姜崔谭陆汪金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严"
    "覃武戴莫孔向汤"
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_CLAUSE_RE = re.compile(rf"[{_CJK}]+")
MAX_WORD = 5
WINDOW = 5  # characters of context either side that jieba sees around a conflict


@dataclass(frozen=True)
class Decision:
    """What the word-aware pass decided for one character, and why (for the editors)."""

    rendered: str
    opencc: str
    reason: str


# --------------------------------------------------------------------------- data


@functools.cache
def decisive_phrases() -> frozenset[str]:
    if not PHRASES_FILE.exists():
        return frozenset()
    return frozenset(
        line
        for line in PHRASES_FILE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )


@functools.cache
def context_table() -> dict[tuple[str, str, str], dict[str, int]]:
    table: dict = {}
    if not CONTEXT_FILE.exists():
        return table
    for line in CONTEXT_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        char, side, neighbour, forms = line.split("\t")
        table[(char, side, neighbour)] = {
            form: int(n) for form, _, n in (item.rpartition(":") for item in forms.split())
        }
    return table


# --------------------------------------------------------------------------- segmenter


class _Segmenter:
    """jieba's dictionary plus the decisive phrases, domain words and site names.

    Its own table, so that search (``tongxin.search.analysis``) keeps jieba's plain
    segmentation: index and queries must segment alike in every process.
    """

    def __init__(self):
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        base = jieba.dt
        self.tokenizer = jieba.Tokenizer()
        # A copy of the table, not the words: the strings are shared with jieba's own.
        self.tokenizer.FREQ = dict(base.FREQ)
        self.tokenizer.total = base.total
        self.tokenizer.initialized = True
        self._tags = None
        self._name_chars = None
        self.added: set[str] = set()

    def add_words(self, words, freq: int) -> None:
        freqs = self.tokenizer.FREQ
        for word in words:
            if len(word) < 2 or freqs.get(word):
                continue
            freqs[word] = freq
            self.added.add(word)
            self.tokenizer.total += freq
            for end in range(1, len(word)):
                freqs.setdefault(word[:end], 0)

    def remove_words(self, words) -> None:
        """Forget words added by ``add_words`` (jieba's own words stay)."""
        freqs = self.tokenizer.FREQ
        for word in words:
            if word in self.added:
                self.tokenizer.total -= freqs.get(word) or 0
                freqs[word] = 0  # still a prefix of longer words, maybe
                self.added.discard(word)

    def is_word(self, text: str) -> bool:
        return bool(self.tokenizer.FREQ.get(text))

    def cut(self, text: str) -> list[str]:
        """jieba's dictionary segmentation (no HMM) of a run of CJK characters.

        ``Tokenizer.get_DAG`` and ``calc`` in one pass, without its regular-expression
        split and generator, which cost more than the segmentation on the short windows
        this module cuts. Same answer, ties included (the longer word wins).
        """
        freqs = self.tokenizer.FREQ
        get = freqs.get
        logtotal = math.log(self.tokenizer.total)
        n = len(text)
        score = [0.0] * (n + 1)
        ends = [0] * (n + 1)
        for idx in range(n - 1, -1, -1):
            best = None
            best_end = idx + 1
            end = idx + 1
            freq = get(text[idx])
            while freq is not None:
                if freq:
                    value = math.log(freq) - logtotal + score[end]
                    if best is None or value >= best:
                        best, best_end = value, end
                if end >= n:
                    break
                end += 1
                freq = get(text[idx:end])
            if best is None:
                best = math.log(get(text[idx]) or 1) - logtotal + score[idx + 1]
            score[idx] = best
            ends[idx] = best_end
        words = []
        i = 0
        while i < n:
            end = ends[i]
            words.append(text[i:end])
            i = end
        return words

    def name_chars(self) -> dict[str, int]:
        """How often each character appears in a given name in jieba's dictionary."""
        if self._name_chars is None:
            import jieba.posseg

            counts: dict[str, int] = {}
            for word, tag in jieba.posseg.dt.word_tag_tab.items():
                if len(word) == 3 and tag.startswith("nr"):
                    for ch in word[1:]:
                        counts[ch] = counts.get(ch, 0) + 1
            # jieba's names are older than the children in our stories (梓涵, 欣妍, 睿宸).
            for ch in GIVEN_NAME_CHARS:
                counts[ch] = max(counts.get(ch, 0), NAME_CHAR_MIN * 2)
            self._name_chars = counts
        return self._name_chars

    def tag(self, word: str) -> str:
        """jieba's part of speech for a dictionary word (``nr`` person name), or ''."""
        if self._tags is None:
            import jieba.posseg

            self._tags = jieba.posseg.dt.word_tag_tab
        return self._tags.get(word, "")


_segmenter = None
_segmenter_lock = threading.Lock()
# Words the site holds (names, organisations, rule phrases): kept whole by jieba. People's
# names among them start a name even where the surname's character makes a word (范文斌).
_site_words: set[str] = set()
_site_people: set[str] = set()


def segmenter() -> _Segmenter:
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                from .domain import domain_pairs

                seg = _Segmenter()
                # Low frequency: a phrase is cut out of unknown text, not out of a word
                # jieba already knows.
                seg.add_words(decisive_phrases(), 5)
                seg.add_words((hans for hans, _ in domain_pairs()), 50)
                seg.add_words(_site_words, SITE_WORD_FREQ)
                _segmenter = seg
    return _segmenter


def set_site_words(people, others=()) -> None:
    """The names and phrases the site holds now: jieba keeps them whole, and ``people``
    start a name. Replaces the previous set, so a deleted byline stops counting."""
    global _site_people
    wanted = {w for w in (*people, *others) if w}
    _site_people = {w for w in people if w}
    gone = _site_words - wanted
    new = wanted - _site_words
    _site_words.difference_update(gone)
    _site_words.update(new)
    if _segmenter is not None:
        _segmenter.remove_words(gone)
        _segmenter.add_words(new, SITE_WORD_FREQ)


# The site's own words outweigh jieba's reading of the same characters.
SITE_WORD_FREQ = 1000


def name_rendition(name: str, variant: str = "tw") -> str:
    """A person's name in traditional: the surname's form, then the given name."""
    from .engine import HANS, HANT, config_for, text_converter

    convert = text_converter(config_for(HANS, HANT, variant))
    first = SURNAME_FORMS.get(name[0]) or convert(name[0])
    rest = convert(name[1:]) if len(name) > 1 else ""
    return first + rest


# --------------------------------------------------------------------------- matching


@functools.cache
def _automaton():
    """Aho-Corasick over the decisive phrases: every occurrence, overlaps included. In Rust:
    a regular expression over 9,000 phrases costs more than OpenCC's whole conversion."""
    import ahocorasick_rs

    phrases = sorted(decisive_phrases())
    if not phrases:
        return None, ()
    return ahocorasick_rs.AhoCorasick(phrases, matchkind=ahocorasick_rs.MatchKind.Standard), phrases


def _decisive_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the longest decisive phrase at each start, in order."""
    automaton, _ = _automaton()
    if automaton is None:
        return []
    longest: dict[int, int] = {}
    for _, start, end in automaton.find_matches_as_indexes(text, overlapping=True):
        if end > longest.get(start, 0):
            longest[start] = end
    return sorted(longest.items())


# Surnames that are also common verbs (涂满了, 涂上): never with a one-character given name.
VERB_SURNAMES = frozenset("涂")
# Surnames OpenCC gets wrong on their own. The others (钟 → 鍾, 叶 → 葉, 沈, 谷, 萧 → 蕭) only
# need a look where one of OpenCC's phrases changed them (谷雨晴 → 穀雨).
SURNAMES_TO_DECIDE = frozenset("范余于郁游朴岳涂")
_CONTEXT_ONLY = CONTEXT_CHARS - set(SURNAME_FORMS)
_SINGLE_RE = re.compile("[" + "".join(sorted(CONTEXT_CHARS | set(SURNAME_FORMS))) + "]")


def _covered(text: str, i: int, seg: _Segmenter) -> bool:
    """Whether a dictionary word of two or more characters holds position ``i``.

    A rare noun that begins with a surname is more likely the start of a name than a word
    (jieba lists 范志 from names it has seen): it does not count. Where every such word is
    crossed by another one (床单 against 单干 in 床单干了), jieba's segmentation of the
    clause decides.
    """
    get = seg.tokenizer.FREQ.get
    n = len(text)
    surname = text[i] in SURNAME_FORMS
    covering = []
    for start in range(i - MAX_WORD + 1 if i >= MAX_WORD - 1 else 0, i + 1):
        if start < i and get(text[start : i + 1]) is None:
            continue  # not even the start of a word (jieba lists every word's prefixes)
        end = i + 2 if start == i else i + 1
        last = min(n, start + MAX_WORD)
        while end <= last:
            freq = get(text[start:end])
            if freq is None:
                break  # no longer word starts here either
            if freq and not (surname and start == i and _name_like(text[start:end], freq, seg)):
                if not _crossed(text, start, end, get):
                    return True
                covering.append((start, end))
            end += 1
    if not covering:
        return False
    lo, hi = _clause(text, i, i + 1)
    pos = lo
    for word in seg.cut(text[lo:hi]):
        pos += len(word)
        if pos > i:
            return len(word) > 1
    return True


# jieba frequency under which a noun starting with a surname may be a name instead.
RARE_WORD = 20


def _name_like(word: str, freq: int, seg: _Segmenter) -> bool:
    if word in _site_people:
        return True
    # 范志 (n, 10) and 范文 (nr) are jieba's leftovers of names; 余切 (r), 余数 (m) are words.
    tag = seg.tag(word)
    if tag.startswith("nr"):
        # 于长江 (nr, 339): a whole name jieba knows; 范文 (nr): a common word's worth only
        # when it is frequent.
        return len(word) >= 3 or freq < COMMON_WORD
    return freq < RARE_WORD and tag in ("n", "nz", "")


def _crossed(text: str, a: int, b: int, is_word) -> bool:
    """Whether a dictionary word overlaps ``text[a:b]`` across one of its edges."""
    n = len(text)
    for cut in range(a + 1, b):
        for length in range(2, MAX_WORD + 1):
            start = cut - length
            if 0 <= start < a and is_word(text[start:cut]):
                return True
            end = cut + length
            if b < end <= n and is_word(text[cut:end]):
                return True
    return False


def _disputed(text: str, a: int, b: int, is_word, convert) -> bool | None:
    """Whether a dictionary word crosses the phrase ``text[a:b]`` and would give the
    characters they share another form (历史 against 年历 in 百年历史): True; None when words
    cross it but agree with it (nothing to change, no segmentation to pay for); False when
    nothing crosses it."""
    n = len(text)
    phrase = _phrase_rendition(text[a:b], convert)
    if not phrase:
        return _crossed(text, a, b, is_word)
    crossed = False
    for cut in range(a + 1, b):
        for length in range(2, MAX_WORD + 1):
            start = cut - length
            if 0 <= start < a and is_word(text[start:cut]):
                crossed = True
                word = _phrase_rendition(text[start:cut], convert)
                if word[a - start :] != phrase[: cut - a]:
                    return True
                # Cut off, the rest of the phrase would stand on its own.
                if _alone(text[cut:b], convert) != phrase[cut - a :]:
                    return True
            end = cut + length
            if b < end <= n and is_word(text[cut:end]):
                crossed = True
                word = _phrase_rendition(text[cut:end], convert)
                if word[: b - cut] != phrase[cut - a :]:
                    return True
                if _alone(text[a:cut], convert) != phrase[: cut - a]:
                    return True
    return None if crossed else False


def _alone(chars: str, convert) -> str:
    """Each character's own OpenCC form."""
    return "".join(_phrase_rendition(ch, convert) for ch in chars)


def _clause(text: str, a: int, b: int) -> tuple[int, int]:
    """The run of CJK characters around ``text[a:b]``, at most WINDOW more either side."""
    lo = a
    while lo > 0 and a - lo < WINDOW and _is_cjk(text[lo - 1]):
        lo -= 1
    hi = b
    while hi < len(text) and hi - b < WINDOW and _is_cjk(text[hi]):
        hi += 1
    return lo, hi


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


# --------------------------------------------------------------------------- decisions


# jieba parts of speech that a given name never is: time, numbers, measure words,
# prepositions, conjunctions, particles, pronouns, adverbs, directions, interjections.
NOT_NAME_TAGS = ("t", "m", "q", "p", "c", "u", "r", "d", "f", "y", "e", "o", "z")


def _given_name(
    surname: str, given: str, next_pair: str, seg: _Segmenter, strict: bool = False
) -> bool:
    """Whether ``given`` (two characters after a surname) reads as a given name;
    ``strict``: a dictionary word only if jieba tags it a name."""
    name_chars = seg.name_chars()
    first, second = name_chars.get(given[0], 0), name_chars.get(given[1], 0)
    if first < NAME_CHAR_MIN or second < NAME_CHAR_MIN:
        return False  # 余弦值, 于页面: characters names are not made of
    freqs = seg.tokenizer.FREQ
    freq = freqs.get(given)
    if not freq:
        # Not a word; but if its second character starts a common word (余弦 + 函数) and
        # is rare in names, the surname's character is a word's first half, not a name.
        if len(next_pair) < 2 or second >= COMMON_NAME_CHAR:
            return True
        return (freqs.get(next_pair) or 0) < COMMON_WORD
    tag = seg.tag(given)
    if strict:
        return tag.startswith(("nr", "nz"))
    if freq < COMMON_WORD and min(first, second) >= COMMON_NAME_CHAR:
        return True  # 立新 (jieba: an adverb, 51 times) of two characters names are made of
    if given[0] == given[1]:
        return True  # 丹丹, 乐乐: a doubled character of names
    if tag.startswith(NOT_NAME_TAGS):
        return False
    if surname == "于":
        # 于 is a preposition before places and things (于北京, 于会议): names only.
        return tag.startswith(("nr", "nz")) or (tag == "n" and freq < COMMON_WORD * 6)
    return True


_TITLE_SET = frozenset(TITLES)
_TITLE_LENGTHS = sorted({len(title) for title in TITLES}, reverse=True)


def _title_at(text: str) -> str:
    """The form of address ``text`` starts with, or ''."""
    for length in _TITLE_LENGTHS:
        if text[:length] in _TITLE_SET:
            return text[:length]
    return ""


def _verb(word: str, seg: _Segmenter) -> bool:
    return (seg.tokenizer.FREQ.get(word) or 0) >= COMMON_WORD and seg.tag(word).startswith("v")


# How often a character must appear in the given names of jieba's dictionary (words tagged
# nr) to be read as part of one: 志 363, 兰 364, 晴 25; 弦 21 … 值 4, 页 2, 串 0.
NAME_CHAR_MIN = 15
COMMON_NAME_CHAR = 100  # 明 744, 华 517: a name's character whatever follows it
# What may stand right before a name that begins with 于 (elsewhere 于 follows a verb);
# 于 itself too: a preposition never follows 关于, 对于, 由于.
BEFORE_NAME = frozenset("和与及、的给让被对向跟同将把请由是为据称叫找问替帮带陪送于")
# Who someone is, written right before the name (记者于晓东, 校长于红梅, 社工于明): the
# forms of address, and these.
ROLES = frozenset(
    [
        *TITLES,
        "记者",
        "通讯员",
        "志愿者",
        "义工",
        "学生",
        "受助学生",
        "负责人",
        "发起人",
        "创始人",
        "村民",
        "居民",
        "家长",
        "老人",
        "儿童",
        "孩子",
        "女孩",
        "男孩",
        "母亲",
        "父亲",
        "教师",
        "员工",
        "队员",
        "代表",
        "嫌疑人",
        "当事人",
        "受害人",
        "主任",
        "校长",
        "副校长",
        "儿童主任",
    ]
)
_ROLE_LENGTHS = sorted({len(role) for role in ROLES}, reverse=True)
# After a surname, 某 or 某某 stands for a withheld given name (于某, 范某某) unless it
# starts a word of its own (于某种程度, 于某日).
_NOT_ANONYMOUS = frozenset("种些个日年月天时地处项次类位件人方")


# What follows a person's name and never a place or thing that 于 governs: speech and report
# verbs (于长江说, 于建设表示).
SPEECH = ("说", "表示", "介绍", "告诉", "认为", "回忆", "坦言", "指出", "透露", "感慨", "笑着说")
# What may follow a one-character given name after 于 at the start of a clause (于佳和余洋).
_NAME_THEN = frozenset("和与、说")


_SPEECH_SET = frozenset(SPEECH)
_SPEECH_FIRST = frozenset(verb[0] for verb in SPEECH)


def _speech_at(text: str) -> str:
    if text[:1] not in _SPEECH_FIRST:
        return ""
    for length in (3, 2, 1):
        if text[:length] in _SPEECH_SET:
            return text[:length]
    return ""


def _clause_start(text: str, i: int) -> bool:
    return i == 0 or not _is_cjk(text[i - 1])


def _after_role(text: str, i: int) -> str:
    """The role written right before ``text[i]`` (记者 in 记者于晓东), or ''."""
    for length in _ROLE_LENGTHS:
        if i >= length and text[i - length : i] in ROLES:
            return text[i - length : i]
    return ""


# A jieba frequency from which a word is common enough to outweigh a name reading.
COMMON_WORD = 100


def _name_at(text: str, i: int, seg: _Segmenter) -> str | None:
    """Why the surname at ``i`` starts a name, or None."""
    if _site_people:
        for length in (4, 3, 2):
            if text[i : i + length] in _site_people:
                return f"站点署名或化名「{text[i : i + length]}」"
    after = text[i + 1 : i + 8].partition(OPEN_EDGE)[0]
    title = _title_at(after)
    if title:
        return f"姓氏＋称谓「{text[i]}{title}」"
    if i > 0 and text[i - 1] in "老小" and not (i > 1 and seg.is_word(text[i - 2 : i])):
        return f"称呼「{text[i - 1]}{text[i]}」"
    if not after or not _is_cjk(after[0]) or after[0] in NOT_GIVEN_NAME:
        return None
    role = _after_role(text, i) if text[i] == "于" else ""
    # 相对于, 适用于, 结束于: the preposition after a verb. After a role 于 may start a name
    # (校长于红梅), but the role may also be the subject (校长于开学典礼上讲话): then only
    # a name jieba knows as one, or a given name that is no word, will do.
    after_verb = (
        text[i] == "于" and i > 0 and _is_cjk(text[i - 1]) and text[i - 1] not in BEFORE_NAME
    )
    if after_verb and not role:
        return None
    if after[0] == "某" and (after[1:2] == "某" or after[1:2] not in _NOT_ANONYMOUS):
        return f"姓氏＋「某」（隐去的名字）「{text[i : i + 2 + (after[1:2] == '某')]}」"
    two = len(after) >= 2 and _is_cjk(after[1]) and after[1] not in NOT_GIVEN_NAME
    if two:
        given = after[:2]
        titled = _title_at(after[2:]) or _speech_at(after[2:])
        if titled or _given_name(text[i], given, after[1:3], seg, strict=after_verb):
            return f"人名「{text[i : i + 3]}」（姓氏＋名）"
        # 余静老师, 于丽表示: one character of name, then a title or a common verb.
        plausible = seg.name_chars().get(after[0], 0) >= NAME_CHAR_MIN * 2
        if plausible and (_title_at(after[1:]) or _verb(after[1:3], seg)):
            return f"人名「{text[i : i + 2]}」（姓氏＋名）"
        return None
    # A one-character given name meets the end of the clause or a particle; 于 + one
    # character is far more often a preposition (于此, 于今) than a name, unless a role
    # names the person first (社工于明对记者说).
    if seg.is_word(after[:1] + after[1:2]) or text[i] in VERB_SURNAMES:
        return None
    if text[i] == "于" and not (
        seg.name_chars().get(after[0], 0) >= NAME_CHAR_MIN
        and (role or (_clause_start(text, i) and after[1:2] in _NAME_THEN))
    ):
        return None
    return f"人名「{text[i : i + 2]}」（姓氏＋名）"


def _given_name_at(text: str, i: int, seg: _Segmenter) -> str | None:
    """Why ``text[i]`` is part of a given name after a common surname (王郁文), or None."""
    if text[i] not in GIVEN_NAME_FORMS or i == 0 or text[i - 1] not in COMMON_SURNAMES:
        return None
    if seg.is_word(text[i - 1 : i + 1]) or (i > 1 and seg.is_word(text[i - 2 : i])):
        return None
    return f"名字「{text[i - 1 : i + 1]}」（常见姓氏之后）"


def standalone(text: str, i: int) -> bool:
    """Whether no dictionary word of two or more characters holds ``text[i]``."""
    return not _covered(text, i, segmenter())


def _context_choice(
    text: str, i: int, default: str, sides: tuple[bool, bool] = (True, True)
) -> tuple[str, str] | None:
    """The form the neighbours point to, with the counts that say so, or None.

    ``sides``: which neighbours may speak (inside a word, only the word's own characters:
    the 入 of 舍入, not the 的 before 复活)."""
    table = context_table()
    char = text[i]
    prior = table.get((char, "*", ""))
    if not prior:
        return None
    evidence = []
    if i > 0 and sides[0]:
        found = table.get((char, "L", text[i - 1]))
        if found:
            evidence.append(("前字", text[i - 1], found))
    if i + 1 < len(text) and sides[1]:
        found = table.get((char, "R", text[i + 1]))
        if found:
            evidence.append(("后字", text[i + 1], found))
    if not evidence:
        return None
    forms = list(prior)
    if default not in forms:
        forms.append(default)
    total_prior = sum(prior.values())
    scores = {}
    for form in forms:
        score = math.log((prior.get(form, 0) + 1) / (total_prior + len(forms)))
        for _, _, counts in evidence:
            score += math.log((counts.get(form, 0) + 0.5) / (prior.get(form, 0) + 1))
        scores[form] = score
    best = max(scores, key=scores.get)
    seen = sum(counts.get(best, 0) for _, _, counts in evidence)
    others = sum(sum(c.values()) - c.get(best, 0) for _, _, c in evidence)
    # Clear evidence only: enough sightings, and the neighbours do not point elsewhere.
    if best == default or seen < MIN_EVIDENCE or others * 4 > seen:
        return None
    why = "；".join(
        f"{side}「{nb}」：" + "、".join(f"{f} {n} 次" for f, n in counts.items())
        for side, nb, counts in evidence
    )
    return best, f"上下文（语料统计）{why}"


MIN_EVIDENCE = 3


# Where the engine joined two runs of text that an editor's rule separates: the sentence
# goes on across it (as at an open end), but no word does.
OPEN_EDGE = "\ue004"


def analyse(
    text: str,
    convert,
    open_left: bool = False,
    open_right: bool = False,
    *,
    base: str | None = None,
) -> tuple[str, dict[int, Decision]]:
    """``(rendition, {index: Decision})`` for marker-free simplified ``text``.

    ``open_left``/``open_right``: the sentence goes on beyond that end (an editor's rule
    matched there), so a word touching it may be half a word and keeps OpenCC's answer.

    ``convert`` is the OpenCC conversion (str -> str) of the variant. A decision is listed
    for every character this pass changed; ``base``: ``convert(text)`` if already made.
    ``OPEN_EDGE`` characters in ``text`` are open ends inside it.
    """
    if base is None:
        base = convert(text)
    if len(base) != len(text) or text.isascii():
        return base, {}
    spans = _decisive_spans(text)
    singles = _SINGLE_RE.search(text)
    if singles is None and not spans:
        return base, {}
    seg = segmenter()
    is_word = seg.tokenizer.FREQ.get
    out = _Out(base)
    decisions: dict[int, Decision] = {}
    resegmented = bytearray(len(text))  # 1 where the word-by-word pass already decided
    phrased = bytearray(len(text))  # 1 where one of OpenCC's decisive phrases holds it
    for a, b in spans:
        phrased[a:b] = b"\x01" * (b - a)
    done = forced = 0
    for a, b in spans:
        if b <= done:
            continue
        disputed = _disputed(text, a, b, is_word, convert)
        if disputed is None:
            continue
        if not disputed:
            # No word disputes the phrase, but OpenCC may still have read through it
            # with a longer, harmless-looking phrase of its own (十几分 + 钟).
            if b > forced:
                _force_phrase(text, a, b, convert, out, decisions)
                forced = b
            continue
        lo, hi = _clause(text, a, b)
        edges = (
            open_left if lo == 0 else text[lo - 1] == OPEN_EDGE,
            open_right if hi == len(text) else text[hi] == OPEN_EDGE,
        )
        done = _resegment(text, max(lo, done), hi, lo, convert, out, decisions, seg, edges)
        resegmented[lo:done] = b"\x01" * (done - lo)
    if singles is not None:
        for match in _SINGLE_RE.finditer(text, singles.start()):
            i = match.start()
            if resegmented[i]:
                continue
            why = None
            context_only = text[i] in _CONTEXT_ONLY
            if (context_only and phrased[i]) or not _worth_a_look(text, i, seg, out):
                continue
            if context_only:
                # Context decides wherever no phrase of OpenCC's did: alone, or inside a
                # word its dictionary does not hold (舍入, which it writes 舍入 for 捨入).
                alone = None  # _single reads the neighbouring words itself
            elif text[i] not in CONTEXT_CHARS:
                # A surname: only a name changes it. The name is the cheaper look (most
                # such characters in a page are not one), the covering words the dearer.
                why = _name_at(text, i, seg) or _given_name_at(text, i, seg)
                if not why or _covered(text, i, seg):
                    continue
                alone = True
            elif _covered(text, i, seg):
                continue
            else:
                alone = True
            if (open_left if i == 0 else text[i - 1] == OPEN_EDGE) or (
                open_right if i == len(text) - 1 else text[i + 1] == OPEN_EDGE
            ):
                continue
            _single(text, i, out, decisions, seg, convert, alone, why)
    return out.text(), decisions


class _Out:
    """OpenCC's rendition of the text and the characters this pass changed: reads and
    writes like a list of characters, without making one of a whole page."""

    __slots__ = ("base", "patches")

    def __init__(self, base: str):
        self.base = base
        self.patches: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        return self.patches.get(i) or self.base[i]

    def __setitem__(self, i: int, ch: str) -> None:
        self.patches[i] = ch

    def slice(self, a: int, b: int) -> str:
        if not self.patches:
            return self.base[a:b]
        return "".join(self[i] for i in range(a, b))

    def text(self) -> str:
        if not self.patches:
            return self.base
        parts = []
        pos = 0
        base = self.base
        for i in sorted(self.patches):
            parts.append(base[pos:i])
            parts.append(self.patches[i])
            pos = i + 1
        parts.append(base[pos:])
        return "".join(parts)


def _worth_a_look(text: str, i: int, seg: _Segmenter, out: _Out) -> bool:
    """Cheap test first: could standing alone change anything for ``text[i]``? Most
    occurrences fail it (关于他, 发展), which spares them the dictionary look-ups."""
    ch = text[i]
    if ch in GIVEN_NAME_FORMS and i > 0 and text[i - 1] in COMMON_SURNAMES:
        return True
    if ch in SURNAME_FORMS and (ch in SURNAMES_TO_DECIDE or out[i] != SURNAME_FORMS[ch]):
        after = text[i + 1 : i + 4]
        if after[:1] and (
            seg.name_chars().get(after[0], 0) >= NAME_CHAR_MIN
            and after[0] not in NOT_GIVEN_NAME
            or _title_at(after)
            or after[0] == "某"
            or (i > 0 and text[i - 1] in "老小")
            or text[i : i + 4] in _site_people
            or text[i : i + 3] in _site_people
            or text[i : i + 2] in _site_people
        ):
            return True
    if ch in CONTEXT_CHARS:
        left, right = _neighbours(ch)
        if i > 0 and (text[i - 1] == ch or text[i - 1] in left):
            return True
        return text[i + 1 : i + 2] in right
    return False


def _neighbours(char: str) -> tuple[frozenset[str], frozenset[str]]:
    """The neighbours before and after ``char`` that the context table has counts for."""
    table = context_table()
    found = _neighbour_sets.get(char)
    if found is None or found[0] is not table:
        left, right = (
            frozenset(nb for ch, sd, nb in table if ch == char and sd == side and nb)
            for side in ("L", "R")
        )
        found = _neighbour_sets[char] = (table, left, right)
    return found[1], found[2]


_neighbour_sets: dict = {}


def _single(text, i, out, decisions, seg, convert, standalone_word=True, why=None) -> None:
    """A surname or context character that stands alone as a word (``why``: the name
    reading, when the caller has made it already)."""
    ch = text[i]
    if ch in SURNAME_FORMS:
        why = why or _name_at(text, i, seg) or _given_name_at(text, i, seg)
        if why:
            form = GIVEN_NAME_FORMS[ch] if why.startswith("名字") else SURNAME_FORMS[ch]
            if form != out[i]:
                decisions[i] = Decision(form, out[i], why)
            out[i] = form
            return
    if ch not in CONTEXT_CHARS:
        return
    # 一只只, 一面面: a doubled character takes the form its twin's word gave it.
    if i > 0 and text[i - 1] == ch and out[i - 1] != out[i]:
        decisions[i] = Decision(out[i - 1], out[i], f"叠字「{ch}{ch}」随前字")
        out[i] = out[i - 1]
        return
    sides = (True, True)
    if not standalone_word:
        # Inside a word only its own characters speak; a character that makes a
        # two-character word with neither neighbour stands alone and hears both.
        get = seg.tokenizer.FREQ.get
        left = bool(get(text[i - 1 : i + 1])) if i else False
        right = bool(get(text[i : i + 2]))
        if left or right or standalone_word is False:
            sides = (left, right)
    choice = _context_choice(text, i, out[i], sides)
    if choice:
        form, why = choice
        # The table counts Taiwan forms; the variant's converter writes them its own way.
        form = _phrase_rendition(form, convert) or form
        decisions[i] = Decision(form, out[i], why)
        out[i] = form


def _force_phrase(text, a, b, convert, out, decisions) -> None:
    phrase = text[a:b]
    rendition = _phrase_rendition(phrase, convert)
    if not rendition or out.slice(a, b) == rendition:
        return
    for at, after in zip(range(a, b), rendition, strict=False):
        if out[at] != after:
            decisions[at] = Decision(after, out[at], f"词典词「{phrase}」（未被其他词切开）")
            out[at] = after


def _phrase_rendition(phrase: str, convert) -> str:
    key = (convert, phrase)
    rendition = _renditions.get(key)
    if rendition is None:
        if convert not in _warmed:
            _warm(convert)
            rendition = _renditions.get(key)
            if rendition is not None:
                return rendition
        rendition = convert(phrase)
        if len(rendition) != len(phrase):
            rendition = ""
        if len(_renditions) < 50_000:
            _renditions[key] = rendition
    return rendition


def _warm(convert) -> None:
    """The renditions every page needs (the decisive phrases, the characters this module
    decides), in one OpenCC call: no article pays for them a few at a time."""
    _warmed.add(convert)
    keys = sorted(_WARM)
    converted = convert("\n".join(keys)).split("\n")
    if len(converted) != len(keys):
        return
    for phrase, rendition in zip(keys, converted, strict=True):
        _renditions[(convert, phrase)] = rendition if len(rendition) == len(phrase) else ""


# Phrase -> rendition per converter (``engine.plain_converter``): the same few thousand
# phrases recur on every page.
_renditions: dict = {}
_warmed: set = set()


def _convert_word(word: str, convert, seg: _Segmenter) -> str:
    """One segmented word. A word OpenCC's dictionary holds converts as a whole; another
    converts as its two best dictionary parts when it has them (康复 + 训练, 十几 + 分钟), so
    that no phrase of OpenCC's reads across its inside either (复训, 几分 + 钟)."""
    if len(word) < 3 or word in decisive_phrases():
        return _phrase_rendition(word, convert)
    freqs = seg.tokenizer.FREQ
    best, split = 0, 0
    for cut in range(1, len(word)):
        left, right = freqs.get(word[:cut]), freqs.get(word[cut:])
        if left and right and left * right > best:
            best, split = left * right, cut
    if not split:
        return _phrase_rendition(word, convert)
    left = _convert_word(word[:split], convert, seg)
    right = _convert_word(word[split:], convert, seg)
    return left + right if left and right else ""


def _resegment(text, lo, hi, clause_lo, convert, out, decisions, seg, edges) -> int:
    """Convert ``text[lo:hi]`` word by word; returns where the next look may start.

    A word at a cut edge of the window (the clause went on) may be half a word: it keeps
    OpenCC's answer, and the window ends before the last one.
    """
    words = seg.cut(text[lo:hi])
    clipped_left = edges[0] or (lo > clause_lo and _is_cjk(text[lo - 1]))
    clipped_right = edges[1] or (hi < len(text) and _is_cjk(text[hi]))
    shown = "/".join(words)
    pos = lo
    for k, word in enumerate(words):
        start, pos = pos, pos + len(word)
        if (k == 0 and clipped_left) or (k == len(words) - 1 and clipped_right):
            continue
        if len(word) == 1:
            # The phrase that decided this character was cut: it stands on its own now. A
            # context character's own OpenCC form is only a default (钟 → 鍾, where 钟声响了
            # means 鐘): the phrase's form stays unless a name or the context decides.
            alone = _phrase_rendition(word, convert)
            if word in CONTEXT_CHARS:
                alone = out[start]
            if len(alone) == 1 and alone != out[start]:
                decisions[start] = Decision(alone, out[start], f"单字成词（分词 {shown}）")
                out[start] = alone
            if word in SURNAME_FORMS or word in CONTEXT_CHARS:
                _single(text, start, out, decisions, seg, convert)
            continue
        rendition = _convert_word(word, convert, seg)
        if not rendition:
            continue
        if word[0] in SURNAME_FORMS and _name_like(word, seg.tokenizer.FREQ.get(word, 0), seg):
            # 范志 in 范志明: jieba's leftover of a name, not a word.
            _single(text, start, out, decisions, seg, convert)
            rendition = out[start] + rendition[1:]
        for at, after in zip(range(start, pos), rendition, strict=True):
            if out[at] != after:
                decisions[at] = Decision(after, out[at], f"按词「{word}」转换（分词 {shown}）")
                out[at] = after
    if clipped_right and words:
        return hi - len(words[-1])
    return hi


def clear_caches() -> None:
    """Forget the renditions memoised from text seen so far (the benchmark's cold start).
    The warm set (``_warm``: the decisive phrases and the characters decided here) stays:
    it is the dictionary's, not the text's."""
    for key in [key for key in _renditions if key[0] not in _warmed or key[1] not in _WARM]:
        del _renditions[key]


_WARM = decisive_phrases() | CONTEXT_CHARS | frozenset(SURNAME_FORMS)
