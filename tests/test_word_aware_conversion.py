"""The word-aware traditional rendition (tongxin.scripts.words): names, word boundaries,
context for single characters, corner quotes. No Django, no database.

Each case is asserted against what plain OpenCC s2tw writes too, so that the test shows
what the word-aware pass adds (or that it leaves a right answer alone).
"""

import opencc
import pytest

from tongxin.scripts import words
from tongxin.scripts.domain import domain_pairs
from tongxin.scripts.engine import (
    HANS,
    HANT,
    Rules,
    _convert_many,
    config_for,
    convert_text,
    corner_quotes,
    plain_converter,
    text_converter,
)

PLAIN = opencc.OpenCC("s2tw")
SHIPPED = Rules(domain_pairs())


def to_hant(text, **kwargs):
    return convert_text(text, source=HANS, target=HANT, rules=SHIPPED, **kwargs)


def to_hans(text, **kwargs):
    return convert_text(text, source=HANT, target=HANS, rules=SHIPPED, **kwargs)


# (simplified, Tongxin's traditional, plain OpenCC's traditional when it differs)
NAMES = [
    ("范志明在会上发言。", "范志明在會上發言。", "範志明在會上發言。"),
    ("余秀兰说，物资已经发放。", "余秀蘭說，物資已經發放。", "餘秀蘭說，物資已經發放。"),
    ("于海燕和游振宇来了。", "于海燕和游振宇來了。", "於海燕和遊振宇來了。"),
    ("郁文华老师来了。", "郁文華老師來了。", "鬱文華老師來了。"),
    ("于老师和游阿姨每周都来。", "于老師和游阿姨每週都來。", "於老師和遊阿姨每週都來。"),
    ("钟先生说，孩子们都好。", "鍾先生說，孩子們都好。", None),
    ("范文斌被评为优秀社工。", "范文斌被評為優秀社工。", "範文斌被評為優秀社工。"),
    ("余静老师组织学生写信。", "余靜老師組織學生寫信。", "餘靜老師組織學生寫信。"),
    ("孩子们叫她“郁妈妈”。", "孩子們叫她“郁媽媽”。", "孩子們叫她“鬱媽媽”。"),
    ("叶文静和萧建华是志愿者。", "葉文靜和蕭建華是志願者。", None),
]

# Ordinary words with a surname's character: never read as names.
GUARDS = [
    ("他是全国模范。", "他是全國模範。"),
    ("其余的物资下周送达。", "其餘的物資下週送達。"),
    ("她是业余志愿者。", "她是業餘志願者。"),
    ("孩子们学会了游泳。", "孩子們學會了游泳。"),
    ("于是他决定捐款。", "於是他決定捐款。"),
    ("他是钟表修理工。", "他是鐘錶修理工。"),
    ("学校成立于2019年。", "學校成立於2019年。"),
    ("会议于今日召开。", "會議於今日召開。"),
    ("文字相对于页面居中。", "文字相對於頁面居中。"),
    ("计算角度的余弦值。", "計算角度的餘弦值。"),
    ("游客在景区游览。", "遊客在景區遊覽。"),
    ("账户余额不足。", "賬戶餘額不足。"),
]

# Names the recogniser reads from general knowledge: roles before 于, withheld names,
# given names of children today, jieba's own full names, speech verbs, more surnames.
MORE_NAMES = [
    ("记者于晓东报道。", "記者于曉東報道。"),
    ("社工于明对记者说，孩子们需要陪伴。", "社工于明對記者說，孩子們需要陪伴。"),
    ("校长于红梅参加了活动。", "校長于紅梅參加了活動。"),
    ("关于于晓东的报道很多。", "關於于曉東的報道很多。"),
    ("犯罪嫌疑人于某已被警方控制。", "犯罪嫌疑人于某已被警方控制。"),
    ("受害儿童范某某目前情况稳定。", "受害兒童范某某目前情況穩定。"),
    ("于梓涵今年上三年级。", "于梓涵今年上三年級。"),
    ("余欣妍说，她想当老师。", "余欣妍說，她想當老師。"),
    ("于乐乐是一名大学生志愿者。", "于樂樂是一名大學生志願者。"),
    ("余立新今年六十八岁。", "余立新今年六十八歲。"),
    ("于长江说，这里的孩子们很努力。", "于長江說，這裡的孩子們很努力。"),
    ("于建设表示，明年会继续捐款。", "于建設表示，明年會繼續捐款。"),
    ("于佳和余洋是同学。", "于佳和余洋是同學。"),
    ("王郁文和李郁都是志愿者。", "王郁文和李郁都是志願者。"),
    ("岳志明说，岳老师和涂医生也来了。", "岳志明說，岳老師和涂醫生也來了。"),
]
MORE_GUARDS = [
    ("在某种程度上，于某种意义而言", "在某種程度上，於某種意義而言"),
    ("于北京举行的发布会上，余女士介绍了项目。", "於北京舉行的發佈會上，余女士介紹了項目。"),
    ("他很忧郁。", "他很憂鬱。"),
    ("抑郁症患者得到了帮助。", "抑鬱症患者得到了幫助。"),
    ("五岳归来不看山。", "五嶽歸來不看山。"),
    ("墙上涂满了颜色。", "牆上塗滿了顏色。"),
    ("孩子们涂上了颜色。", "孩子們塗上了顏色。"),
    ("郁郁葱葱的山林。", "鬱鬱蔥蔥的山林。"),  # OpenCC's longer phrase inside stands
    ("由于天气原因，活动推迟。", "由於天氣原因，活動推遲。"),
    ("校长于开学典礼上讲话。", "校長於開學典禮上講話。"),  # the role is the subject
    ("主任于会议上介绍了情况。", "主任於會議上介紹了情況。"),
    ("记者于昨日获悉，学校已开学。", "記者於昨日獲悉，學校已開學。"),
]


@pytest.mark.parametrize(("hans", "hant"), MORE_NAMES)
def test_more_names_take_their_forms(hans, hant):
    assert to_hant(hans) == hant != PLAIN.convert(hans)


@pytest.mark.parametrize(("hans", "hant"), MORE_GUARDS)
def test_more_ordinary_words_stay_words(hans, hant):
    assert to_hant(hans) == hant


def test_a_withheld_name_says_why():
    text = "受害儿童范某某目前情况稳定。"
    decision = words.analyse(text, PLAIN.convert)[1][text.index("范")]
    assert decision.rendered == "范" and "范某某" in decision.reason


BOUNDARIES = [
    # (simplified, Tongxin, plain OpenCC): a dictionary phrase cut through a word.
    ("这所学校已有百年历史。", "這所學校已有百年歷史。", "這所學校已有百年曆史。"),
    ("十几分钟后救护车到了。", "十幾分鐘後救護車到了。", "十幾分鍾後救護車到了。"),
    ("医生发现孩子发烧了。", "醫生發現孩子發燒了。", "醫生髮現孩子發燒了。"),
    ("一只只小鸟飞走了。", "一隻隻小鳥飛走了。", "一隻只小鳥飛走了。"),
    ("他把年历挂在墙上。", "他把年曆掛在牆上。", None),  # nothing disputes 年历 here
    ("他去理发了。", "他去理髮了。", None),
    ("康复训练很辛苦。", "康復訓練很辛苦。", None),  # 复训 does not cut 康复
    (
        "基金发布会上，资金发放到位。",
        "基金發佈會上，資金發放到位。",
        "基金髮佈會上，資金髮放到位。",
    ),
]


@pytest.mark.parametrize(("hans", "hant", "plain"), NAMES)
def test_names_take_the_surname_form(hans, hant, plain):
    assert to_hant(hans) == hant
    assert PLAIN.convert(hans) == (plain or hant)


@pytest.mark.parametrize(("hans", "hant", "plain"), NAMES)
def test_names_read_back_to_simplified(hans, hant, plain):
    assert to_hans(hant) == hans


@pytest.mark.parametrize(("hans", "hant"), GUARDS)
def test_words_with_a_surname_character_stay_words(hans, hant):
    assert to_hant(hans) == hant == PLAIN.convert(hans)


@pytest.mark.parametrize(("hans", "hant", "plain"), BOUNDARIES)
def test_phrases_do_not_cut_through_words(hans, hant, plain):
    assert to_hant(hans) == hant
    assert PLAIN.convert(hans) == (plain or hant)
    assert to_hans(hant) == hans


def test_decisions_say_why():
    _, decisions = words.analyse("这所学校已有百年历史，范志明说", PLAIN.convert)
    reasons = {i: d.reason for i, d in decisions.items()}
    text = "这所学校已有百年历史，范志明说"
    li = text.index("历")
    assert decisions[li].rendered == "歷" and decisions[li].opencc == "曆"
    assert "历史" in reasons[li]
    fan = text.index("范")
    assert decisions[fan].rendered == "范" and "范志明" in reasons[fan]


def test_an_editor_rule_still_wins_over_the_name_reading():
    rules = Rules([*SHIPPED.pairs, ("范志明", "範志明")])
    assert convert_text("范志明来了", source=HANS, target=HANT, rules=rules) == "範志明來了"


def test_a_site_name_is_a_name_even_where_the_recogniser_doubts(monkeypatch):
    # 于 + 今 reads as the preposition: "于今" only becomes a name when the site holds it.
    assert to_hant("于今在现场采访。") == "於今在現場採訪。"
    monkeypatch.setattr(words, "_site_people", {"于今"})
    assert to_hant("于今在现场采访。") == "于今在現場採訪。"


def test_only_surnames_opencc_gets_wrong_on_their_own_are_looked_at():
    for surname, form in words.SURNAME_FORMS.items():
        assert (PLAIN.convert(surname) != form) == (surname in words.SURNAMES_TO_DECIDE)


def test_name_rendition_of_a_site_name():
    assert words.name_rendition("钟建军") == "鍾建軍"
    assert words.name_rendition("余秀兰") == "余秀蘭"
    assert words.name_rendition("王发") == "王發"


# --------------------------------------------------------------------------- context


def test_context_model_follows_clear_evidence_and_explains(monkeypatch):
    table = {
        ("干", "*", ""): {"幹": 40, "乾": 20},
        ("干", "R", "得"): {"乾": 9, "幹": 1},
        ("干", "L", "天"): {"乾": 3},
    }
    monkeypatch.setattr(words, "context_table", lambda: table)
    text = "夏天干得快"
    rendered, decisions = words.analyse(text, PLAIN.convert)
    assert rendered == "夏天乾得快"
    reason = decisions[text.index("干")].reason
    assert "后字「得」" in reason and "乾 9 次" in reason


def test_context_model_keeps_opencc_without_clear_evidence(monkeypatch):
    table = {("干", "*", ""): {"幹": 40, "乾": 20}, ("干", "R", "得"): {"乾": 2, "幹": 2}}
    monkeypatch.setattr(words, "context_table", lambda: table)
    # 天干 is cut (夏天 / 干), but a lone context character's own OpenCC form (幹) is no
    # evidence either: OpenCC's answer stays.
    assert words.analyse("夏天干得快", PLAIN.convert)[0] == PLAIN.convert("夏天干得快")


def test_a_character_cut_from_a_phrase_keeps_the_phrase_form_without_evidence():
    # jieba reads 钟 / 声响 / 了 against OpenCC's 钟声; alone, OpenCC writes 钟 as 鍾.
    assert PLAIN.convert("钟") == "鍾"
    assert to_hant("下课了，钟声响了。") == "下課了，鐘聲響了。"


def test_context_inside_a_word_opencc_does_not_hold():
    # 舍入 (round off) is a word to jieba but not a phrase to OpenCC, which writes 舍; the
    # shipped table has seen 捨 before 入 in real Taiwan-standard text.
    text = "将正数向上舍入。"
    assert PLAIN.convert(text) == "將正數向上舍入。"
    rendered, decisions = words.analyse(text, PLAIN.convert)
    assert rendered == "將正數向上捨入。"
    assert "后字「入」" in decisions[text.index("舍")].reason
    # Inside a word only the word's own characters speak: 的 before 复活 does not.
    assert to_hant("孩子们画的复活节彩蛋。") == "孩子們畫的復活節彩蛋。"


def test_the_editors_panel_shows_what_the_context_model_decided_and_why():
    from tongxin.scripts.ambiguity import ambiguous_report

    rows = ambiguous_report("将正数向上舍入。", only_context=True)
    [row] = [row for row in rows if row["char"] == "舍"]
    assert (row["rendered"], row["opencc"], row["risk"]) == ("捨", "舍", "medium")
    assert row["reason"].startswith("上下文（语料统计）后字「入」：捨 ")


def test_the_panel_shows_the_form_the_rendition_uses_next_to_a_rule():
    from tongxin.scripts.ambiguity import ambiguous_report

    # Next to a rule the sentence goes on: the rendition keeps OpenCC's 於, and so does
    # the panel.
    rules = Rules([("基金会", "基金會")])
    text = "基金会于海燕说"
    rendition = convert_text(text, source=HANS, target=HANT, rules=rules)
    [row] = [row for row in ambiguous_report(text, rules=rules) if row["char"] == "于"]
    assert row["rendered"] == rendition[text.index("于")]


def test_the_shipped_context_table_loads():
    table = words.context_table()
    chars = {char for char, side, _ in table if side == "*"}
    assert chars <= words.CONTEXT_CHARS and {"发", "制", "复", "钟", "舍", "借"} <= chars
    assert all(counts for counts in table.values())


# --------------------------------------------------------------------------- quotes


def test_corner_quotes():
    assert corner_quotes("他说：“我想‘上学’。”") == "他说：「我想『上学』。」"
    assert corner_quotes("It’s “fine”") == "It’s 「fine」"
    assert corner_quotes("没有引号") == "没有引号"


def test_corner_quotes_setting_applies_to_the_traditional_rendition_only():
    quotes = Rules(SHIPPED.pairs, corner_quotes=True)
    text = "他说：“头发干了。”"
    assert convert_text(text, source=HANS, target=HANT, rules=quotes) == "他說：「頭髮乾了。」"
    assert to_hant(text) == "他說：“頭髮乾了。”"  # off by default
    assert convert_text("他說：“頭髮乾了。”", source=HANT, target=HANS, rules=quotes) == text
    assert Rules.merge(SHIPPED, quotes).corner_quotes
    assert Rules(corner_quotes=True) and Rules(corner_quotes=True) != Rules()


# --------------------------------------------------------------------------- cost


def test_text_without_hot_characters_is_one_opencc_call():
    assert words.analyse("今天天气很好", PLAIN.convert) == ("今天天氣很好", {})
    assert words.analyse("hello", PLAIN.convert) == ("hello", {})


def test_segmenter_cuts_as_jieba_does():
    seg = words.segmenter()
    tokenizer = seg.tokenizer
    for text in ("这所学校已有百年历史", "医生发现他的头发干了", "十几分钟后范志明来了", "一"):
        route = {}
        tokenizer.calc(text, tokenizer.get_DAG(text), route)
        expected, i = [], 0
        while i < len(text):
            end = route[i][1] + 1
            expected.append(text[i:end])
            i = end
        assert seg.cut(text) == expected


def test_runs_between_rules_convert_in_one_call_as_they_would_one_by_one():
    # Rules cut the sentence into runs; each converts as if on its own (a word at a rule's
    # edge keeps OpenCC's answer), but all of them in one OpenCC call.
    rules = Rules([("基金会", "基金會"), ("志愿者", "志願者")])
    convert = text_converter(config_for(HANS, HANT, "tw"))
    runs = [
        ("范志明说", False, True),
        ("的头发干了", True, True),
        ("于海燕说夏天干得快", True, False),
    ]
    one_by_one = [convert(*run) for run in runs]
    text = "范志明说基金会的头发干了志愿者于海燕说夏天干得快"
    expected = f"{one_by_one[0]}基金會{one_by_one[1]}志願者{one_by_one[2]}"
    assert convert_text(text, source=HANS, target=HANT, rules=rules) == expected
    assert one_by_one[0] == "范志明說" and one_by_one[2].startswith("於海燕")

    plain = plain_converter(config_for(HANS, HANT, "tw"))
    calls = []

    def counting(text):
        calls.append(text)
        return plain(text)

    assert _convert_many(convert, counting, words.analyse, runs) == one_by_one
    # One call converts the runs; the others are the warm-up of the dictionary phrases
    # (once per converter) and single words.
    assert [c for c in calls if 4 < len(c) < 1000] == ["\ue004".join(r[0] for r in runs)]
    # Text that holds the joining character itself is converted run by run.
    odd = [("头\ue004发", False, True), ("干了", True, False)]
    assert convert.many(odd) == [convert(*odd[0]), convert(*odd[1])]
