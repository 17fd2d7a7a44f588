"""The simplified/traditional conversion engine (tongxin.scripts.convert), without Django.

Expected renditions are Taiwan-standard forms as OpenCC 1.4.2 produces them (s2tw / tw2s),
checked by hand; where OpenCC gets a phrase wrong the product's answer is an editor rule,
and those cases are tested with their rule.
"""

import json
import re

import pytest

from tongxin.scripts.convert import (
    HANS,
    HANT,
    ORIGIN_HANS,
    ORIGIN_HANT,
    ORIGIN_POP,
    Rules,
    ambiguous_characters,
    ambiguous_report,
    convert_html,
    convert_text,
    strip_markers,
    wrap,
)

# (simplified, traditional/Taiwan): each asserted in both directions.
PHRASES = [
    # 干: 幹 / 乾 / 干
    ("干部", "幹部"),
    ("干净", "乾淨"),
    ("树干", "樹幹"),
    ("饼干", "餅乾"),
    ("能干", "能幹"),
    ("干涉", "干涉"),
    # 里: 裡 / 里
    ("里面", "裡面"),
    ("公里", "公里"),
    ("平房里", "平房裡"),
    ("家里", "家裡"),
    ("三里屯", "三里屯"),
    # 后: 後 / 后
    ("后来", "後來"),
    ("皇后", "皇后"),
    ("以后", "以後"),
    # 面: 麵 / 面
    ("面条", "麵條"),
    ("面积", "面積"),
    ("方便面", "方便麵"),
    ("见面", "見面"),
    # 台: 臺 / 颱 / 台
    ("台湾", "臺灣"),
    ("一台电脑", "一臺電腦"),
    ("台风", "颱風"),
    ("舞台", "舞臺"),
    ("天台县", "天台縣"),
    # 系: 系 / 係 / 繫
    ("系统", "系統"),
    ("关系", "關係"),
    ("联系", "聯繫"),
    ("系鞋带", "繫鞋帶"),
    ("系列微专题", "系列微專題"),
    # 只: 隻 / 只
    ("一只", "一隻"),
    ("只有", "只有"),
    ("两只", "兩隻"),
    ("船只", "船隻"),
    # 余 (the surname needs a rule, below), 钟, 复, 松, 制, 准, 卷, 尽, 冲, 云
    ("余下", "餘下"),
    ("钟表", "鐘錶"),
    ("钟情", "鍾情"),
    ("闹钟", "鬧鐘"),
    ("复杂", "複雜"),
    ("答复", "答覆"),
    ("复习", "複習"),
    ("恢复", "恢復"),
    ("康复训练", "康復訓練"),
    ("松树", "松樹"),
    ("放松", "放鬆"),
    ("制度", "制度"),
    ("制造", "製造"),
    ("准备", "準備"),
    ("批准", "批准"),
    ("试卷", "試卷"),
    ("卷发", "捲髮"),
    ("尽管", "儘管"),
    ("尽力", "盡力"),
    ("冲洗", "沖洗"),
    ("冲突", "衝突"),
    ("云南", "雲南"),
    ("人云亦云", "人云亦云"),
    ("白云", "白雲"),
    # 发: 發 / 髮
    ("发展", "發展"),
    ("出发", "出發"),
    ("理发", "理髮"),
    ("头发", "頭髮"),
    ("发布会", "發佈會"),
    # 愿, and the vocabulary of the product
    ("志愿者", "志願者"),
    ("志愿服务", "志願服務"),
    ("微心愿", "微心願"),
    ("留守儿童", "留守兒童"),
    ("困境儿童", "困境兒童"),
    ("慈善总会", "慈善總會"),
    ("专款专用", "專款專用"),
    ("扫码捐赠", "掃碼捐贈"),
    ("累计筹款", "累計籌款"),
    ("心理咨询", "心理諮詢"),
    ("监护人", "監護人"),
    ("备案编号", "備案編號"),
    ("启动仪式", "啟動儀式"),
    # more one-to-many characters
    ("历史", "歷史"),
    ("日历", "日曆"),
    ("采访", "採訪"),
    ("汇报", "彙報"),
    ("词汇", "詞彙"),
    ("斗争", "鬥爭"),
    ("北斗", "北斗"),
    ("山谷", "山谷"),
    ("谷物", "穀物"),
    ("划船", "划船"),
    ("计划", "計劃"),
    ("几乎", "幾乎"),
    ("茶几", "茶几"),
    ("了解", "瞭解"),
    ("了不起", "了不起"),
    ("舍得", "捨得"),
    ("宿舍", "宿舍"),
    ("胡须", "鬍鬚"),
    ("必须", "必須"),
    ("秋千", "鞦韆"),
    ("手表", "手錶"),
    ("表面", "表面"),
    ("收获", "收穫"),
    ("获得", "獲得"),
    ("恶心", "噁心"),
    ("什么", "什麼"),
    ("于是", "於是"),
    ("佣金", "佣金"),
    ("扎实", "紮實"),
    ("心脏", "心臟"),
    ("肮脏", "骯髒"),
    # place names
    ("青云县", "青雲縣"),
    ("云溪县", "雲溪縣"),
    ("台北", "臺北"),
    # numbers with units, episode counters, mixed Latin text, punctuation
    ("3500 万元", "3500 萬元"),
    ("10760 名", "10760 名"),
    ("36.5 万元", "36.5 萬元"),
    ("第 3 集 / 共 5 集", "第 3 集 / 共 5 集"),
    ("截至 2022 年 1 月 10 日", "截至 2022 年 1 月 10 日"),
    ("App 下载", "App 下載"),
    ("WeChat 微信", "WeChat 微信"),
    (
        "网址：https://www.example.org/gushi/xiaoshan/?a=1&b=2",
        "網址：https://www.example.org/gushi/xiaoshan/?a=1&b=2",
    ),
    ("“你好”，他说：「再见！」", "“你好”，他說：「再見！」"),
    ("9 岁的小山（化名）", "9 歲的小山（化名）"),
    # whole sentences
    (
        "志愿者们走进平房里，为留守儿童送去微心愿礼物。",
        "志願者們走進平房裡，為留守兒童送去微心願禮物。",
    ),
    (
        "青云县民政局联合慈善总会启动关爱行动，累计帮扶困境儿童 10760 名。",
        "青雲縣民政局聯合慈善總會啟動關愛行動，累計幫扶困境兒童 10760 名。",
    ),
    (
        "后来，他们在面条店里见面。",
        "後來，他們在麵條店裡見面。",
    ),
]

# (simplified, traditional, rules): OpenCC alone picks the wrong character here.
RULE_CASES = [
    ("头发干了", "頭髮乾了", [("头发干了", "頭髮乾了")]),
    ("他姓余，叫余明。", "他姓余，叫余明。", [("姓余", "姓余"), ("余明", "余明")]),
    ("范小勇今年九岁", "范小勇今年九歲", [("范小勇", "范小勇")]),
    ("子丑寅卯", "子丑寅卯", [("子丑", "子丑")]),
    ("于老师来了", "于老師來了", [("于老师", "于老師")]),
    ("平房里的头发干了", "平房裡的頭髮乾了", [("头发干了", "頭髮乾了")]),
    # Forward maximum matching takes the phrase 在台 (在臺) first and 台风 loses.
    ("他们在台风过后见面", "他們在颱風過後見面", [("台风", "颱風")]),
]


def to_hant(text, **kwargs):
    return convert_text(text, source=HANS, target=HANT, **kwargs)


def to_hans(text, **kwargs):
    return convert_text(text, source=HANT, target=HANS, **kwargs)


def test_phrase_list_is_large_enough():
    assert len(PHRASES) + len(RULE_CASES) >= 80


@pytest.mark.parametrize(("hans", "hant"), PHRASES, ids=[p[0] for p in PHRASES])
def test_simplified_to_traditional(hans, hant):
    assert to_hant(hans) == hant


@pytest.mark.parametrize(("hans", "hant"), PHRASES, ids=[p[0] for p in PHRASES])
def test_traditional_to_simplified(hans, hant):
    assert to_hans(hant) == hans


@pytest.mark.parametrize(("hans", "hant", "rules"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_rules_fix_what_opencc_gets_wrong_both_ways(hans, hant, rules):
    assert to_hant(hans, rules=Rules(rules)) == hant
    assert to_hans(hant, rules=Rules(rules)) == hans


# --------------------------------------------------------------------------- variants


def test_variants_use_their_own_character_forms():
    assert to_hant("里面的台湾人说", variant="tw") == "裡面的臺灣人說"
    assert to_hant("里面的台湾人说", variant="hk") == "裏面的台灣人説"
    assert to_hant("里面的台湾人说", variant="t") == "裏面的臺灣人說"


@pytest.mark.parametrize("variant", ["tw", "hk", "t"])
def test_each_variant_reads_its_own_forms_back(variant):
    text = "后来志愿者在平房里说：头发、面条、台风、关系。"
    assert to_hans(to_hant(text, variant=variant), variant=variant) == text


def test_no_vocabulary_localisation():
    # s2twp would turn these into 軟體 / 網路 / 資訊; only character forms change.
    assert to_hant("软件 网络 信息") == "軟件 網絡 信息"


def test_unknown_script_or_variant_is_refused():
    with pytest.raises(ValueError):
        convert_text("发", source="zh", target=HANT)
    with pytest.raises(ValueError):
        convert_text("发", source=HANS, target=HANT, variant="twp")
    with pytest.raises(ValueError):
        convert_html("<p>发</p>", target="traditional")


def test_nul_character_does_not_truncate():
    # The native binding stops at NUL; the engine must not lose the rest of the text.
    assert to_hant("发\x00后来") == "發\x00後來"


def test_empty_and_ascii_text():
    assert to_hant("") == ""
    assert to_hant("Hello, world & <b>") == "Hello, world & <b>"


# --------------------------------------------------------------------------- keep markers


def test_keep_span_is_kept_as_written_both_ways():
    assert to_hant("-{范}-老师在平房里") == "范老師在平房裡"
    assert to_hans("-{範}-老師在平房裡") == "範老师在平房里"


def test_keep_span_breaks_phrase_context():
    assert to_hant("头发") == "頭髮"
    assert to_hant("头-{发}-") == "頭发"


def test_same_script_strips_only_keep_markers():
    text = "-{范小勇}-的头发干了，后来"
    assert convert_text(text, source=HANS, target=HANS) == "范小勇的头发干了，后来"
    assert convert_text("-{頭髮}-乾了", source=HANT, target=HANT) == "頭髮乾了"


def test_same_script_is_idempotent():
    text = "志愿者在平房里：-{发}-后来"
    once = convert_text(text, source=HANS, target=HANS)
    assert convert_text(once, source=HANS, target=HANS) == once


def test_unclosed_keep_marker_keeps_to_the_end_and_stray_close_is_dropped():
    assert to_hant("后来-{后来") == "後來后来"
    assert to_hant("后来}-后来") == "後來後來"


def test_keep_span_beats_rules():
    rules = Rules([("范小勇", "範小勇")])
    assert to_hant("-{范小勇}-和范小勇", rules=rules) == "范小勇和範小勇"


# --------------------------------------------------------------------------- rules


def test_rules_longest_match_wins():
    rules = Rules([("范小", "範小"), ("范小勇", "范小勇")])
    assert to_hant("范小勇和范小", rules=rules) == "范小勇和範小"
    assert to_hans("范小勇和範小", rules=rules) == "范小勇和范小"


def test_page_rule_beats_site_rule_on_the_same_phrase():
    site = Rules([("范小勇", "範小勇"), ("余明", "余明")])
    page = Rules([("范小勇", "范小勇")])
    merged = Rules.merge(site, page)
    assert to_hant("范小勇、余明", rules=merged) == "范小勇、余明"
    assert to_hant("范小勇、余明", rules=site) == "範小勇、余明"
    assert site + page == merged


def test_rules_win_over_opencc_phrases():
    # OpenCC has 头发 -> 頭髮 as a phrase; a rule on an overlapping phrase takes precedence.
    rules = Rules([("发干", "髮乾")])
    assert to_hant("头发干了", rules=rules) == "頭髮乾了"


def test_rules_from_content_format_mappings():
    rules = Rules([{"hans": "范小勇", "hant": "范小勇"}])
    assert rules == Rules([("范小勇", "范小勇")])
    assert to_hant("范小勇", rules=[{"hans": "范小勇", "hant": "范小勇"}]) == "范小勇"


def test_rules_are_hashable_and_compiled_once():
    a = Rules([("范小勇", "范小勇"), ("姓余", "姓余")])
    b = Rules([("范小勇", "范小勇"), ("姓余", "姓余")])
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a.matcher(HANS) is b.matcher(HANS)
    assert a.matcher(HANS) is not a.matcher(HANT)
    assert Rules().matcher(HANS) is None
    assert not Rules() and len(a) == 2


@pytest.mark.parametrize(
    "bad",
    [[("", "范")], [("范", None)], [("-{范}-", "范")], [(f"范{ORIGIN_HANT}", "范")], ["范"]],
)
def test_invalid_rules_are_refused(bad):
    with pytest.raises(ValueError):
        Rules(bad)


def test_many_rules_still_match_longest():
    pairs = [(f"人名{i}", f"人名{i}") for i in range(2000)] + [("人名1000号", "人名1000號")]
    rules = Rules(pairs)
    assert to_hant("人名1000号和人名19", rules=rules) == "人名1000號和人名19"


# --------------------------------------------------------------------------- origin markers


def test_wrap_and_strip_markers():
    assert wrap("發", HANT) == ORIGIN_HANT + "發" + ORIGIN_POP
    assert wrap("发", HANS) == ORIGIN_HANS + "发" + ORIGIN_POP
    assert wrap("", HANT) == ""
    assert strip_markers(wrap("-{發}-後", HANT)) == "發後"
    with pytest.raises(ValueError):
        wrap("x", "zh")


def test_convert_text_honours_origin_markers():
    text = "后来" + wrap("後來", HANT) + "后来"
    assert convert_text(text, source=HANS, target=HANT) == "後來後來後來"
    assert convert_text(text, source=HANS, target=HANS) == "后来后来后来"


def test_hant_wrapped_span_in_html_renditions():
    html = "<p>栏目：" + wrap("頭髮乾了，後來", HANT) + "</p>"
    assert convert_html(html, target=HANT) == "<p>欄目：頭髮乾了，後來</p>"
    assert convert_html(html, target=HANS) == "<p>栏目：头发干了，后来</p>"


def test_origin_markers_span_tags_and_nest():
    html = (
        f"<div>{ORIGIN_HANT}<h1>後來</h1><p>平房<b>裡</b>"
        f"{ORIGIN_HANS}<span>上一集</span>{ORIGIN_POP}的麵條</p>{ORIGIN_POP}<p>下一集</p></div>"
    )
    assert convert_html(html, target=HANT) == (
        "<div><h1>後來</h1><p>平房<b>裡</b><span>上一集</span>的麵條</p><p>下一集</p></div>"
    )
    assert convert_html(html, target=HANS) == (
        "<div><h1>后来</h1><p>平房<b>里</b><span>上一集</span>的面条</p><p>下一集</p></div>"
    )


def test_unbalanced_pop_is_ignored():
    assert convert_html(f"<p>后来{ORIGIN_POP}后来</p>", target=HANT) == "<p>後來後來</p>"


def test_pop_closes_a_keep_span_left_open_inside():
    html = "<p>" + wrap("-{發", HANT) + "头发</p>"
    assert convert_html(html, target=HANS) == "<p>發头发</p>"
    assert convert_html(html, target=HANT) == "<p>發頭髮</p>"


def test_keep_span_across_inline_tags():
    assert convert_html("<p>-{范<b>小勇</b>}-和头发</p>", target=HANT) == (
        "<p>范<b>小勇</b>和頭髮</p>"
    )


def test_phrases_are_read_across_inline_tags():
    """Bold text, a link or a search highlight inside a phrase does not cut it: 头<mark>发
    </mark> is 頭髮, not 頭發; block tags and <br> still end a phrase."""
    assert convert_html("<p><b>头</b>发长了</p>", target=HANT) == "<p><b>頭</b>髮長了</p>"
    assert convert_html("<p>理<mark>发</mark>店</p>", target=HANT) == "<p>理<mark>髮</mark>店</p>"
    assert convert_html('<p>吃<a href="/zh-hans/x/" class="k">面</a>条</p>', target=HANT) == (
        '<p>吃<a href="/zh-hans/x/" class="k">麵</a>條</p>'
    )
    assert convert_html("<p><b>頭</b>髮長了</p>", target=HANS, source=HANT) == (
        "<p><b>头</b>发长了</p>"
    )
    assert convert_html("<p>理</p><p>发</p>", target=HANT) == "<p>理</p><p>發</p>"
    assert convert_html("<p>理<br>发</p>", target=HANT) == "<p>理<br>發</p>"


def test_rules_are_read_across_inline_tags():
    rules = [("床单干", "床單乾")]
    assert convert_html("<p>床<em>单</em>干了</p>", target=HANT, rules=rules) == (
        "<p>床<em>單</em>乾了</p>"
    )
    assert convert_html("<p>床單<i>乾</i>了</p>", target=HANS, source=HANT, rules=rules) == (
        "<p>床单<i>干</i>了</p>"
    )


def test_rule_of_another_length_across_a_tag_keeps_the_tag_around_its_text():
    """A rendition longer than its phrase cannot be split at the tag: the parts are then
    converted on their own, and a link never ends up empty."""
    rules = [("棉被", "棉被被")]
    assert convert_html('<p><a href="/a/">棉</a>被</p>', target=HANT, rules=rules) == (
        '<p><a href="/a/">棉</a>被</p>'
    )
    assert convert_html("<p><b>棉被</b>，棉被</p>", target=HANT, rules=rules) == (
        "<p><b>棉被被</b>，棉被被</p>"
    )


def test_html_source_parameter_sets_the_base_origin():
    assert convert_html("<p>頭髮</p>", target=HANS, source=HANT) == "<p>头发</p>"


# --------------------------------------------------------------------------- attributes


def test_visible_attributes_are_converted():
    html = (
        '<img src="/media/头发.jpg" alt="志愿者与孩子" title="后来">'
        '<button aria-label="搜索发现" aria-description="面条">x</button>'
        '<input type="search" placeholder="搜索留守儿童" value="头发">'
        '<input type="submit" value="发送"><optgroup label="台风"></optgroup>'
    )
    assert convert_html(html, target=HANT) == (
        '<img src="/media/头发.jpg" alt="志願者與孩子" title="後來">'
        '<button aria-label="搜索發現" aria-description="麵條">x</button>'
        '<input type="search" placeholder="搜索留守兒童" value="头发">'
        '<input type="submit" value="發送"><optgroup label="颱風"></optgroup>'
    )


def test_meta_content_converted_only_for_visible_names_in_any_attribute_order():
    html = (
        '<meta name="description" content="关爱留守儿童">'
        '<meta content="后来的故事" property="og:title">'
        "<meta property='og:description' content='面条'>"
        '<meta name="twitter:title" content="台风">'
        '<meta content="平房里" name="og:image:alt">'
        '<meta name="keywords" content="头发,面条">'
        '<meta property="og:url" content="https://example.org/头发/">'
    )
    assert convert_html(html, target=HANT) == (
        '<meta name="description" content="關愛留守兒童">'
        '<meta content="後來的故事" property="og:title">'
        "<meta property='og:description' content='麵條'>"
        '<meta name="twitter:title" content="颱風">'
        '<meta content="平房裡" name="og:image:alt">'
        '<meta name="keywords" content="头发,面条">'
        '<meta property="og:url" content="https://example.org/头发/">'
    )


def test_non_visible_attributes_untouched_even_with_chinese():
    html = (
        '<a href="/zh-hans/头发/?q=后来" class="里面 后" id="面条" data-title="台风" '
        'lang="zh-Hans">后来</a>'
    )
    assert convert_html(html, target=HANT) == (
        '<a href="/zh-hans/头发/?q=后来" class="里面 后" id="面条" data-title="台风" '
        'lang="zh-Hans">後來</a>'
    )


def test_markers_in_attributes_are_honoured_and_stripped():
    html = (
        f'<img alt="{wrap("頭髮", HANT)}和头发" title="-{{范}}-小" '
        f'src="/a/{ORIGIN_HANT}b{ORIGIN_POP}.jpg" href="/-{{x}}-/">'
    )
    assert convert_html(html, target=HANT) == (
        '<img alt="頭髮和頭髮" title="范小" src="/a/b.jpg" href="/x/">'
    )
    assert convert_html(html, target=HANS) == (
        '<img alt="头发和头发" title="范小" src="/a/b.jpg" href="/x/">'
    )


def test_attribute_markers_do_not_leak_into_the_stream():
    html = f'<img alt="{ORIGIN_HANT}頭髮">头发'
    assert convert_html(html, target=HANT) == '<img alt="頭髮">頭髮'


def test_quoted_greater_than_inside_attributes():
    html = '<a title="a>b 后来" href="/x>头发">后来</a><img alt=\'c>d 面条\'>'
    assert convert_html(html, target=HANT) == (
        '<a title="a>b 後來" href="/x>头发">後來</a><img alt=\'c>d 麵條\'>'
    )


def test_unquoted_attribute_gets_quoted_when_the_rendition_needs_it():
    rules = Rules([("下载", "下載 App")])
    assert convert_html("<img alt=下载 src=x.png>", target=HANT, rules=rules) == (
        '<img alt="下載 App" src=x.png>'
    )
    assert convert_html("<img alt=后来>", target=HANT) == "<img alt=後來>"


def test_entities_stay_valid():
    html = '<p title="后来 &amp; &quot;面条&quot;">头发 &amp; 面条 &#39;后&#39; &lt;b&gt;</p>'
    assert convert_html(html, target=HANT) == (
        '<p title="後來 &amp; &quot;麵條&quot;">頭髮 &amp; 麵條 &#39;後&#39; &lt;b&gt;</p>'
    )


def test_rules_with_html_special_characters_match_escaped_text():
    rules = Rules([("A&B 公司", "A&B 公司"), ("“面”", "「麵」")])
    html = "<p>A&amp;B 公司的“面”</p>"
    assert convert_html(html, target=HANT, rules=rules) == "<p>A&amp;B 公司的「麵」</p>"


def test_ascii_only_rules_do_not_touch_tags():
    rules = Rules([("App", "應用")])
    html = '<a href="/App/" class="App">App 下载</a>'
    assert convert_html(html, target=HANT, rules=rules) == (
        '<a href="/App/" class="App">應用 下載</a>'
    )


# --------------------------------------------------------------------------- raw text, code


def test_scripts_styles_and_comments_untouched():
    html = (
        '<script>var s = "后来 -{x}- </p>"; if (a<b) {}</script>'
        "<style>.x:after{content:'面条'}</style>"
        "<!-- 头发 <p>后来</p> -->"
        "<p>后来</p>"
    )
    assert convert_html(html, target=HANT) == (
        '<script>var s = "后来 -{x}- </p>"; if (a<b) {}</script>'
        "<style>.x:after{content:'面条'}</style>"
        "<!-- 头发 <p>后来</p> -->"
        "<p>後來</p>"
    )


def test_origin_markers_removed_from_scripts_and_comments():
    html = f'<script>var t="{wrap("後來", HANT)}";</script><!-- {wrap("x", HANS)} -->'
    assert convert_html(html, target=HANS) == '<script>var t="後來";</script><!-- x -->'


def test_json_ld_string_values_are_converted_and_stay_valid_json():
    data = {"@type": "Article", "headline": "后来的面条", "url": "https://example.org/头发/"}
    html = (
        '<script type="application/ld+json">'
        + json.dumps(data, ensure_ascii=False)
        + "</script>"
        + '<script type="application/ld+json">'
        + json.dumps({"name": wrap("頭髮", HANT) + "头发"})  # ensure_ascii escapes
        + "</script>"
    )
    out = convert_html(html, target=HANT)
    first, second = re.findall(r"<script[^>]*>(.*?)</script>", out)
    assert json.loads(first)["headline"] == "後來的麵條"
    assert json.loads(second) == {"name": "頭髮頭髮"}
    assert json.loads(convert_html(html, target=HANS).split("</script>")[1].split(">", 1)[1]) == {
        "name": "头发头发"
    }


def test_title_and_textarea_are_text():
    html = "<title>童心 - " + wrap("後來", HANT) + "</title><textarea>头发</textarea>"
    assert convert_html(html, target=HANT) == "<title>童心 - 後來</title><textarea>頭髮</textarea>"
    assert convert_html(html, target=HANS) == "<title>童心 - 后来</title><textarea>头发</textarea>"


def test_code_is_left_as_written():
    html = (
        "<p>后来</p><pre>后来 <b>面条</b> -{x}-</pre><p>头发 <code>var 头发</code> 面条</p>"
        "<kbd>发</kbd><samp>后</samp><p>台风</p>"
    )
    assert convert_html(html, target=HANT) == (
        "<p>後來</p><pre>后来 <b>面条</b> -{x}-</pre><p>頭髮 <code>var 头发</code> 麵條</p>"
        "<kbd>发</kbd><samp>后</samp><p>颱風</p>"
    )


def test_code_still_follows_origin_markers():
    html = f"<pre>{ORIGIN_HANT}後來</pre><p>後來{ORIGIN_POP}后来</p>"
    assert convert_html(html, target=HANS) == "<pre>後來</pre><p>后来后来</p>"


# --------------------------------------------------------------------------- whole documents

DOC = (
    '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8">'
    "<title>童心 - " + wrap("頭髮乾了", HANT) + "</title>"
    '<meta name="description" content="' + wrap("後來的故事", HANT) + '">'
    '<script type="application/ld+json">{"headline": "' + wrap("後來", HANT) + '"}</script>'
    "<style>body{font-family:sans-serif}</style></head><body>"
    '<nav aria-label="主导航"><a href="/zh-hans/gushi/">故事</a></nav>'
    "<main>"
    + wrap(
        "<h1>平房裡的微心願</h1><p>志願者<b>-{范小勇}-</b>說：頭髮乾了。</p>"
        '<img src="/media/a.jpg" alt="志願者與孩子">',
        HANT,
    )
    + "<p>第 3 集 / 共 5 集 · 3500 万元</p><!-- 备注 --></main>"
    '<footer><a href="/zh-hant/">繁體</a> -{后}-</footer></body></html>'
)


def test_markers_never_reach_the_output():
    for target in (HANS, HANT):
        out = convert_html(DOC, target=target)
        assert not re.search("[\ue000-\ue003]", out)
        assert "-{" not in out and "}-" not in out


def test_document_renditions():
    hant = convert_html(DOC, target=HANT)
    hans = convert_html(DOC, target=HANS)
    assert "<title>童心 - 頭髮乾了</title>" in hant
    assert "<title>童心 - 头发干了</title>" in hans
    assert '<nav aria-label="主導航">' in hant
    assert "<h1>平房裡的微心願</h1>" in hant and "<h1>平房里的微心愿</h1>" in hans
    assert "<b>范小勇</b>說：頭髮乾了" in hant and "<b>范小勇</b>说：头发干了" in hans
    assert "3500 萬元" in hant and "3500 万元" in hans
    assert "<!-- 备注 -->" in hant
    assert '<a href="/zh-hant/">繁體</a> 后</footer>' in hant
    assert '<meta name="description" content="后来的故事">' in hans


def test_hans_rendition_of_hans_document_is_idempotent():
    page = "<p>" + "志愿者在平房里，头发干了。" * 3 + "</p>" + wrap("<p>後來</p>", HANS)
    once = convert_html(page, target=HANS)
    assert once == "<p>" + "志愿者在平房里，头发干了。" * 3 + "</p><p>後來</p>"
    assert convert_html(once, target=HANS) == once


def test_batched_html_conversion_matches_node_by_node_conversion():
    paragraphs = [
        "志愿者在平房里",
        "头发干了",
        "后来",
        "面条",
        "台风过后",
        "系统联系",
        "一只船只",
    ] * 20
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    expected = "".join(f"<p>{to_hant(p)}</p>" for p in paragraphs)
    assert convert_html(html, target=HANT) == expected


def test_text_containing_the_batch_separator_is_still_converted():
    html = "<p>后来\ue003面条</p><p>头发</p>"
    assert convert_html(html, target=HANT) == "<p>後來\ue003麵條</p><p>頭髮</p>"


def test_malformed_html_does_not_crash():
    for html in ["<p>后来<", "<a title='后来>头发", "<!-- 后来", "<script>后来", "<<>>后来"]:
        out = convert_html(html, target=HANT)
        assert isinstance(out, str)
    assert convert_html("a < b 后来", target=HANT) == "a < b 後來"


# --------------------------------------------------------------------------- ambiguity report


def test_ambiguous_characters_cover_the_usual_suspects():
    table = ambiguous_characters("tw")
    for ch in "发后干里面台系只范余钟复松制准卷尽冲云历采汇丑斗谷划几了舍沈胜适涂":
        assert ch in table, ch
    assert table["里"] == ("裡", "里", "哩")
    assert set(table["发"]) == {"發", "髮"}
    assert "裏" in ambiguous_characters("hk")["里"]
    assert "头" not in table  # one traditional form only


def test_ambiguous_report_contents():
    text = "后来，头发干了。平房里有一台电脑"
    report = ambiguous_report(text)
    by_position = {item["position"]: item for item in report}
    assert [text[p] for p in sorted(by_position)] == [item["char"] for item in report]
    hou = by_position[0]
    assert hou == {
        "char": "后",
        "position": 0,
        "context": "后来，头发",
        "rendered": "後",
        "candidates": ["後", "后"],
        "by_rule": False,
        "before": "",
        "after": "来，头发干了",
        "opencc": "後",
        "risk": "",  # 后来 is a dictionary word: nothing to check
        "reason": "词典词",
    }
    assert by_position[text.index("发")]["rendered"] == "髮"
    assert by_position[text.index("干")]["rendered"] == "幹"  # OpenCC's choice: needs a rule
    assert by_position[text.index("里")]["rendered"] == "裡"
    assert by_position[text.index("台")]["rendered"] == "臺"
    assert by_position[text.index("里")]["context"] == "了。平房里有一台电"


def test_ambiguous_report_marks_rule_and_keep_decisions():
    text = "头发干了，-{后}-来"
    report = ambiguous_report(text, rules=Rules([("头发干了", "頭髮乾了")]))
    decided = {(item["char"], item["rendered"], item["by_rule"]) for item in report}
    assert ("干", "乾", True) in decided
    assert ("发", "髮", True) in decided
    assert ("后", "后", True) in decided
    keep = next(item for item in report if item["char"] == "后")
    assert keep["position"] == text.index("后")
    assert "-{" not in keep["context"] and "}-" not in keep["context"]


def test_ambiguous_report_skips_traditional_runs_and_plain_text():
    assert ambiguous_report("") == []
    assert ambiguous_report("童心 2022") == []
    report = ambiguous_report(wrap("後來", HANT) + "后来")
    assert [(item["char"], item["position"]) for item in report] == [("后", 4)]


def test_ambiguous_report_follows_the_variant():
    assert ambiguous_report("里面", variant="hk")[0]["rendered"] == "裏"
    assert ambiguous_report("台湾", variant="hk")[0]["rendered"] == "台"
    assert ambiguous_report("台湾", variant="tw")[0]["rendered"] == "臺"
