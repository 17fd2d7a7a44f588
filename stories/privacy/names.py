"""Names: every way the record's name is written, and names the record does not know.

`name_variants` turns the child's real name into what people call a child in Chinese: the
given name alone (思雨), 小/阿 with the given name's last character (小雨, 阿雨) and the
surname with 同学, 某 or 家 (陈同学, 陈某, 陈家). Those strings are matched like any other
private value, so in either script and with spacing or punctuation inside.

`find_name_warnings` looks for person names that are not in the record (jieba's part-of-speech
tagger, `nr`, checked against a list of surnames). It cannot be sure: a name is a warning for
the privacy reviewer, never a refusal. Adults named with their public role (王书记, 县民政局
局长李明, 社工张丽) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from .text import _same_length, _to_simplified, visible_text

_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Two-character surnames: the given name starts after them (欧阳|娜娜).
_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 轩辕 端木 南宫 "
    "西门 独孤 万俟 呼延 闻人 申屠 澹台 公冶 太史 钟离 百里 东郭 公羊 赫连 拓跋 第五"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 3))
# The common surnames (together about nine in ten people in China), in simplified form.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠"
    "惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉"
    "禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修"
    "邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴"
    "昝智幸奉植衡富尧闭由"
)
# After a name, these say the person is named in a public role (王书记, 李明主任, 张丽老师).
_ROLE_AFTER = re.compile(
    r"^[ \t]*(?:副)?(?:书记|主任|局长|副局长|县长|镇长|乡长|村长|市长|区长|省长|厅长|处长|科长|"
    r"股长|所长|站长|校长|园长|院长|馆长|部长|主席|会长|理事长|秘书长|总干事|干事|专干|主管|经理|"
    r"总经理|董事长|老师|教师|医生|大夫|护士|护士长|社工|督导|记者|编辑|主编|律师|警官|民警|"
    r"教授|博士|研究员|委员|代表|队长|组长|班长|团长|专员|协理员|指导员|志愿者|义工|先生|女士)"
)
# Before a name: the role first (社工张丽, 局长李明, 志愿者王芳, 记者 刘洋).
_ROLE_BEFORE = re.compile(
    r"(?:书记|主任|局长|县长|镇长|乡长|村长|市长|校长|园长|院长|馆长|部长|主席|会长|理事长|"
    r"秘书长|干事|专干|经理|董事长|老师|教师|医生|护士|社工|社会工作者|督导|记者|通讯员|编辑|"
    r"律师|警官|民警|教授|研究员|委员|代表|队长|专员|协理员|志愿者|义工|摄影|文|图|撰稿|"
    r"讲述人|受访者|捐赠人|爱心人士|企业家)[ \t]*[:：]?[ \t]*$"
)


def _split_name(name: str) -> tuple[str, str] | None:
    """(surname, given name) of a Chinese name of two to four characters, else None."""
    if not 2 <= len(name) <= 4 or not all(_HAN_RE.match(c) for c in name):
        return None
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[0], name[1:]


def _plain_pseudonym(pseudonym: str) -> str:
    return re.sub(r"[（(]\s*化名\s*[)）]|化名", "", _to_simplified(pseudonym or "")).strip()


_DOUBLES = (
    "明明 天天 常常 渐渐 刚刚 星星 妈妈 爸爸 宝宝 哥哥 姐姐 弟弟 妹妹 爷爷 奶奶 叔叔 公公 婆婆 "
    "伯伯 舅舅 姑姑 娃娃 人人 家家 年年 时时 处处 事事 个个 慢慢 好好 偏偏 往往 仅仅 久久 纷纷 "
    "默默 悄悄 静静 轻轻 深深 微微 稍稍 早早 高高 大大 小小 多多 白白 满满 紧紧 远远 快快 "
    "乖乖 统统 样样 村村 户户 日日 夜夜 岁岁 月月 步步 句句 层层 条条 声声 代代 世世 点点 "
    "生生 匆匆 冷冷 暖暖 实实 真真 重重 哈哈 嘻嘻 呵呵 啦啦 嗯嗯 冉冉 熊熊 滔滔 茫茫 绵绵 "
    "芸芸 区区 堂堂 炯炯 津津 历历 皑皑 袅袅 潺潺 淙淙 蒙蒙 朦朦 迟迟 频频 屡屡 连连 "
    "累累 寥寥 楚楚 欣欣 亭亭 翩翩 徐徐 依依 恋恋 款款 拳拳 殷殷 谆谆 孜孜 兢兢 蒸蒸 "
    "洋洋 红红 绿绿 蓝蓝 青青 黄黄 黑黑 弯弯 长长 细细 甜甜 香香 软软 亮亮 闪闪 清清 淡淡 "
    "浅浅 飘飘 缓缓 胖胖 瘦瘦 圆圆 平平 凡凡 草草 匆匆 哗哗 呼呼 咚咚 汪汪 喵喵 叽叽 喳喳 "
    "姗姗 盈盈 晶晶 灿灿 彤彤 乎乎 腾腾 油油 巴巴 溜溜 绰绰 朗朗 琅琅 熙熙 攘攘 浩浩 荡荡 "
    "隆隆 轰轰 烈烈 口口 声声 密密 麻麻 整整 齐齐 足足 多多 少少 上上 下下 里里 外外"
)
_EVERYDAY_DOUBLES = frozenset(_DOUBLES.split())


class NameVariant(str):
    """A string like any other private value, which may not be looked for romanized: 晓雨
    (given name of 林晓雨) and the pseudonym 小雨 are both "xiaoyu", and 陈家 is "chenjia",
    a common given name; a plain `str` subclass, so callers see a list of strings."""

    romanize: bool = True
    # 陈某: the surname only, which an adult named in a public role shares as easily (局长王某某,
    # 社工王某, 王某主任); see `public_role_around`. Not 陈同学, a pupil whatever comes after.
    surname_form: bool = False


def _variant(text: str, romanize: bool, surname_form: bool = False) -> NameVariant:
    variant = NameVariant(text)
    variant.romanize = romanize
    variant.surname_form = surname_form
    return variant


def in_aabb_word(text: str, start: int, end: int) -> bool:
    """Is the two-character match text[start:end] part of an AABB word: 乐乐 or 平安 in
    快快乐乐 and 平平安安, 安安 in 安安稳稳? Such words are everyday wishes, not names."""
    if end - start != 2 or not all(_HAN_RE.match(c) for c in text[start:end]):
        return False

    def pair(i: int) -> bool:
        return i >= 0 and i + 1 < len(text) and text[i] == text[i + 1]

    a, b = text[start], text[end - 1]
    if a == b:  # 乐乐: the pair before or after it is the other half
        return pair(start - 2) or pair(end)
    # 平安 inside 平平安安
    return pair(start - 1) and pair(end - 1)


def public_role_around(text: str, start: int, end: int) -> bool:
    """Is the name at text[start:end] named with a public role (县民政局局长王某某, 社工王某,
    王某主任)? `text` is folded to simplified characters."""
    after = text[end:].lstrip("某")
    return bool(_ROLE_AFTER.match(after) or _ROLE_BEFORE.search(text[max(0, start - 12) : start]))


def _roman(text: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(text).lower())


def name_variants(real_name: str, pseudonym: str = "") -> list[str]:
    """The other ways the child's name is written: given name, nicknames, surname forms."""
    if not isinstance(real_name, str):
        return []
    compact = re.sub(r"[\s·•・‧･∙⋅.\-_]+", "", _to_simplified(real_name.strip()))
    variants: list[str] = []
    # 阿依古丽·买买提: each part of a name written in parts is a name on its own.
    # Only Chinese names: the parts of "Wang Xiaoming" (Wang) are everybody's.
    parts = [p for p in re.split(r"\s*[·•・‧･∙⋅]\s*", real_name.strip()) if len(p) >= 2]
    if len(parts) > 1 and all(_HAN_RE.match(p[0]) for p in parts):
        variants.extend(parts)
    split = _split_name(compact)
    if split is None:
        return variants
    surname, given = split
    plain = _plain_pseudonym(pseudonym)
    plain_roman = _roman(plain) if plain else ""
    # 陈小雨's given name 小雨 is also 小 + its last character: as the pseudonym, it may stay.
    if len(given) >= 2 and not (given == plain and given[0] in "小阿"):
        variants.append(_variant(given, _roman(given) != plain_roman))
    for prefix in ("小", "阿"):
        for core in dict.fromkeys((given, given[-1])):
            nickname = prefix + core
            # The pseudonym is public by design: 小雨 for 陈思雨 is allowed to be its name.
            if nickname != plain:
                variants.append(_variant(nickname, _roman(nickname) != plain_roman))
    # 桐桐 for 何雨桐: the last character doubled is what family and teachers call a child,
    # unless the doubled character is an everyday word (明明, 天天, 星星) or the pseudonym's
    # (雨雨 when 陈思雨 is called 小雨 in public).
    doubled = given[-1] * 2
    if given[-1] not in plain and doubled not in _EVERYDAY_DOUBLES:
        variants.append(_variant(doubled, _roman(doubled) != plain_roman))
    variants.append(_variant(surname + "同学", True))
    variants.append(_variant(surname + "某", False, surname_form=True))
    variants.append(_variant(surname + "家", False))
    return list(dict.fromkeys(variants))


# --- names the record does not know -----------------------------------------------------


@dataclass(frozen=True)
class NameWarning:
    """A possible person's name. `sentence` is the sentence it is in, for the reviewer."""

    field: str
    name: str
    sentence: str
    message: str


@lru_cache(maxsize=1)
def _posseg():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg


_PLACE_END = frozenset("省市州县区旗乡镇村屯寨组街路巷坪坝湾沟岭山河桥庄园校院局站馆")
_INSTITUTION_START = frozenset(["社区", "小学", "中学", "学校", "街道", "医院", "小区"])
# Ordinary words of welfare stories that jieba's dictionary itself tags as names.
_COMMON = (
    "阳光康复温暖希望爱心快乐幸福平安健康安全明天春天高兴文明和谐"
    "志愿时光金秋向阳春晖光明成长欢乐关爱童心晨光朝阳东方华夏"
)
_COMMON_WORDS = frozenset(_COMMON[i : i + 2] for i in range(0, len(_COMMON), 2))
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def _is_surname_name(word: str) -> bool:
    if not 2 <= len(word) <= 4:
        return False
    if len(word) >= 3 and word[:2] in COMPOUND_SURNAMES:
        return True
    return word[0] in SURNAMES and len(word) <= 3


# Flags of a given name that jieba split off its surname: 张|浩然 (a), 黄|欣怡 (i), 欧阳|娜娜.
_GIVEN_FLAGS = frozenset(["nr", "nrt", "nrfg", "nz", "a", "ad", "an", "i", "j"])
_NOT_GIVEN = frozenset(
    ["奶奶", "爷爷", "外婆", "外公", "妈妈", "爸爸", "阿姨", "叔叔", "老师", "同学", "大爷", "大妈"]
)


def _name_candidates(tokens) -> list[tuple[int, int]]:
    """(start, end) of words that may be person names: jieba's `nr` words that start with a
    surname, and a lone surname followed by a given name jieba tagged as something else."""
    spans: list[tuple[int, int]] = []
    tokens = [(t.word, t.flag) for t in tokens]
    pos = 0
    for i, (word, flag) in enumerate(tokens):
        start, pos = pos, pos + len(word)
        if flag in ("nr", "nrfg", "nrt") and _is_surname_name(word):
            spans.append((start, pos))
            continue
        is_surname = word in SURNAMES or word in COMPOUND_SURNAMES
        if not is_surname or i + 1 == len(tokens):
            continue
        # 一张照片: a measure word after a numeral, not a surname.
        if i > 0 and tokens[i - 1][1].startswith("m"):
            continue
        given, given_flag = tokens[i + 1]
        if (
            1 <= len(given) <= 2
            and given_flag in _GIVEN_FLAGS
            and given not in _NOT_GIVEN
            and all(_HAN_RE.match(c) for c in given)
        ):
            spans.append((start, pos + len(given)))
    return spans


def find_name_warnings(
    fields: Mapping[str, str], known: Iterable[str] = (), pseudonym: str = ""
) -> list[NameWarning]:
    """Person names in `fields` that are neither the pseudonym nor in `known` (record values
    already reported as leaks), nor named with a public role. Warnings, not refusals."""
    skip = {_to_simplified(k) for k in known if isinstance(k, str) and k}
    plain = _plain_pseudonym(pseudonym)
    if plain:
        skip.add(plain)
    posseg = _posseg()
    warnings: list[NameWarning] = []
    seen: set[tuple[str, str]] = set()
    for label, raw in fields.items():
        if not raw:
            continue
        text = visible_text(str(raw))
        folded = _same_length(_to_simplified, text)
        for sentence in _SENTENCE_RE.finditer(folded):
            part = sentence.group()
            for start, offset in _name_candidates(posseg.cut(part)):
                word = part[start:offset]
                if word in skip or any(word in s or s in word for s in skip if len(s) >= 2):
                    continue
                # 花溪乡, 白岩村, 马场坪小学: a place or a school, reported as such if at all.
                if word[-1] in _PLACE_END or part[offset : offset + 1] in _PLACE_END:
                    continue
                if part[offset : offset + 2] in _INSTITUTION_START or word in _COMMON_WORDS:
                    continue
                if _ROLE_AFTER.match(part[offset:]) or _ROLE_BEFORE.search(part[:start]):
                    continue
                if (label, word) in seen:
                    continue
                seen.add((label, word))
                original = text[sentence.start() : sentence.end()].strip()
                written = text[sentence.start() + start : sentence.start() + offset]
                message = (
                    f"「{label}」中“{written}”可能是人名，"
                    f"请确认不是孩子或家人的真实姓名：{original}"
                )
                warnings.append(NameWarning(label, written, original, message))
    return warnings
