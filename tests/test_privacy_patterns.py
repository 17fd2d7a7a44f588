"""The privacy check's patterns: what counts as a leak in a story's public text, and what not.

Pure Python (stories.privacy imports no Django), so these run without a database.
"""

import time
from datetime import date

import pytest

from stories.privacy import (
    KINDS,
    Leak,
    collect_private_values,
    find_leaks,
    id_card_checksum_ok,
    visible_text,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """A resident ID with its check character computed here, independently of the module."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def wrong_check(id_number: str) -> str:
    return id_number[:17] + ("1" if id_number[17] != "1" else "2")


VALID_ID = make_id("11010520100101123")  # Beijing Chaoyang, born 2010-01-01
VALID_ID_X = next(
    make_id(f"53010220120315{n:03d}")
    for n in range(1000)
    if make_id(f"53010220120315{n:03d}").endswith("X")
)


def kinds(text: str, private_values=()) -> list[str]:
    return [leak.kind for leak in find_leaks({"正文": text}, private_values)]


def matches(text: str, kind: str, private_values=()) -> list[str]:
    return [leak.match for leak in find_leaks({"正文": text}, private_values) if leak.kind == kind]


# --- ID-card numbers ----------------------------------------------------------------------


def test_checksum_of_a_published_sample_id():
    # The sample number used in GB 11643 explanations; its check character is X.
    assert id_card_checksum_ok("11010519491231002X")
    assert id_card_checksum_ok("11010519491231002x")
    assert not id_card_checksum_ok("110105194912310021")


@pytest.mark.parametrize(
    "value", ["", "123", "1101051949123100", "11010519491231002XX", "1101051949123100２X"]
)
def test_checksum_rejects_malformed_values(value):
    assert not id_card_checksum_ok(value)


def test_generated_ids_pass_the_checksum():
    assert id_card_checksum_ok(VALID_ID)
    assert id_card_checksum_ok(VALID_ID_X)
    assert not id_card_checksum_ok(wrong_check(VALID_ID))


@pytest.mark.parametrize(
    "text",
    [
        f"身份证号：{VALID_ID}",
        f"身份证号{VALID_ID_X}。",
        f"身份证号{VALID_ID_X.lower()}。",
        f"证件号 {VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}",
        f"ID:{VALID_ID}",
        # Full-width digits, as typed with some Chinese input methods.
        "号码" + VALID_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
    ],
)
def test_valid_id_numbers_are_leaks(text):
    assert kinds(text) == ["id_card"]


@pytest.mark.parametrize(
    "text",
    [
        f"订单号 {wrong_check(VALID_ID)}",  # 18 digits, wrong check character
        f"流水号 {wrong_check(VALID_ID_X)}",
        f"编号 9{VALID_ID}",  # part of a longer run of digits
        f"编号 {VALID_ID}7",
        "编号 11010520101301123" + "5",  # month 13
        make_id("11010520100230123"),  # 30 February
        make_id(f"110105{date.today().year + 1}0101123"),  # born next year
        make_id("11010518000101123"),  # born 1800
        VALID_ID[:17],  # 17 digits
    ],
)
def test_numbers_that_are_not_valid_ids_are_not_reported_as_ids(text):
    assert "id_card" not in kinds(text)


def test_an_id_is_not_also_reported_as_a_phone_number():
    assert kinds(f"{VALID_ID}") == ["id_card"]


# --- mobile numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "联系电话13812345678",
        "电话：138 1234 5678。",
        "电话：138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "0086 13812345678",
        "tel:19912345678",
        "（电话：１３８１２３４５６７８）",
        "電話 158-0000-1234",
    ],
)
def test_mobile_numbers(text):
    assert kinds(text) == ["mobile"]


@pytest.mark.parametrize(
    "text",
    [
        "12345678901",  # 12x is not a mobile prefix
        "10086",  # the operator's service number
        "138123456789",  # twelve digits
        "订单 2138123456789",
        "138 1234 567",
        "共筹集 13800000000 元",
        "¥13800000000",
        "2026年3月1日，10760 名儿童，3500 万元",
        "95559",
    ],
)
def test_not_mobile_numbers(text):
    assert "mobile" not in kinds(text)


def test_mobile_is_not_also_a_landline():
    assert kinds("电话 +86 138 1234 5678") == ["mobile"]


# --- landlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("电话 010-12345678", "010-12345678"),
        ("电话：0871-6543210。", "0871-6543210"),
        ("(0755)12345678", "(0755)12345678"),
        ("（0755）12345678", "（0755）12345678"),
        ("咨询 021 6543 2100", "021 6543 2100"),
        ("电话0871 6543210", "0871 6543210"),
        ("电话 02087654321", "02087654321"),
        ("電話：(02)2345678 不是大陆号码，(0571)87654321 是", "(0571)87654321"),
        ("分机 010-87654321-8001", "010-87654321"),
    ],
)
def test_landlines(text, expected):
    assert matches(text, "landline") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01",
        "2026年3月1日",
        "2019-2020 年度",
        "3500 万元",
        "共 10760 名儿童",
        "备案编号 53100000MJ0000000X",
        "备案编号：2023-0001234",
        "第 3 集 / 共 5 集",
        "08:30-17:30",
        "400-123-4567",
        "0.5%",
        "ISBN 978-7-5321-1234-5",
        "01012345678",  # no separator and a local number starting with 1
        "003 1234567",  # no such area code
        "v1.0871-6543210",
    ],
)
def test_not_landlines(text):
    assert "landline" not in kinds(text)


# --- street addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("她家住在人民路18号。", "人民路18号"),
        ("解放大道 1024 號", "解放大道 1024 號"),
        ("幸福巷七号", "幸福巷七号"),
        ("建设街一百零八号", "建设街一百零八号"),
        ("南锣鼓巷胡同3号", "南锣鼓巷胡同3号"),
        ("长乐路123弄4号", "长乐路123弄4号"),
        ("中山南路 18-2 号", "中山南路 18-2 号"),
        ("住在東興里5號", "東興里5號"),
        ("住在东兴里5号", "东兴里5号"),
        ("幸福小区3栋2单元", "幸福小区3栋2单元"),
        ("幸福小區3棟2單元502室", "幸福小區3棟2單元502室"),
        ("5号楼1单元", "5号楼1单元"),
        ("三栋二单元", "三栋二单元"),
    ],
)
def test_street_addresses(text, expected):
    assert matches(text, "street_address") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "第 3 号文件",
        "乘坐地铁1号线",
        "3月5号",
        "5号",
        "他知道3号要开学",
        "一路3号",
        "我们这里3号放假",
        "走了5公里3号才到",
        "人民路",
        "人民路上",
        "解放大道沿线",
        "国办发〔2016〕13号",
        "幸福小区3栋",  # a building without a unit
        "2单元",
        "道路 5 号",
    ],
)
def test_not_street_addresses(text):
    assert "street_address" not in kinds(text)


# --- school with grade and class ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "五(2)班",
        "五（2）班",
        "五年级二班",
        "初二3班",
        "初二(3)班",
        "高一2班",
        "三年级（1）班",
        "2年级3班",
        "六年级 1 班",
        "初中二年级3班",
        "五年級二班",
        "國小三年二班",
        "在3年2班",
        "读四年级（十二）班",
    ],
)
def test_school_classes(text):
    assert kinds(text) == ["school_class"]


@pytest.mark.parametrize(
    "text",
    [
        "班车",
        "上班",
        "班级活动",
        "三年级的班级活动",
        "第二课堂",
        "三班倒",
        "3班",
        "五年级",
        "高三班",
        "一班人马",
        "加班费 12 元",
        "2012年3班",  # a year, then a class: the digit before keeps it from matching
        "读了3年书",
        "近3年20班次",
        "每天3班车",
    ],
)
def test_not_school_classes(text):
    assert "school_class" not in kinds(text)


# --- private values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "private,text",
    [
        ("陳小華", "陈小华今年九岁"),  # traditional record, simplified story
        ("陈小华", "陳小華今年九歲"),  # and the other way round
        ("王小明", "王 小 明"),
        ("王小明", "王·小明"),
        ("王 小 明", "王小明"),
        ("阿依古丽·买买提", "阿依古丽买买提"),
        ("云南省昆明市盘龙区幸福路18号", "云南省 昆明市 盘龙区 幸福路18号"),
        ("某某县第一实验小学", "就读于某某縣第一實驗小學"),
        ("Wang Xiaoming", "photo by WANG XIAOMING"),
        ("王小明", "王<b>小明</b>"),
        ("王小明", "王\u200b小明"),
    ],
)
def test_private_values_found_across_scripts_and_spacing(private, text):
    assert "private_value" in kinds(text, [private])


@pytest.mark.parametrize(
    "private,text",
    [
        ("王小明", "小明今年九岁"),  # given name alone is deliberately not matched
        ("王小明", "王小"),
        ("王", "王阿姨"),  # single characters are ignored
        ("", "任何内容"),
        ("Li", "Liang Wei"),  # Latin values must be whole words
        ("18", "2018年"),
    ],
)
def test_private_values_not_found(private, text):
    assert "private_value" not in kinds(text, [private])


@pytest.mark.parametrize(
    "private,text",
    [
        # Wagtail stores 王小明.jpg as WangXiaoMing.jpg: the name is in every image address.
        ("王小明", "WangXiaoMing.jpg"),
        ("王小明", "wangxiaoming-home.jpg"),
        ("王小明", "wang-xiao-ming"),
        ("王小明", "xiaoming-wang"),  # given name first
        ("趙梓涵", "zhaozihan-home.jpg"),  # a traditional record, the same pinyin
        ("陈晓星", "photo_ChenXiaoXing_2.jpg"),
        ("李娜", "li-na.jpg"),
        ("王小明", "ＷａｎｇＸｉａｏＭｉｎｇ"),
        ("Zhang Xiaoding", "zhang-xiaoding"),
    ],
)
def test_private_values_found_romanized(private, text):
    assert "private_value" in kinds(text, [private])


@pytest.mark.parametrize(
    "private,text",
    [
        ("李娜", "carolina.jpg"),  # inside a word, not a name
        ("李娜", "linapple"),
        ("王小明", "wang-xiao.jpg"),  # part of the name only
        ("王小明", "xiaoming.jpg"),  # the given name alone, as in Chinese
        ("王小明", "wangxiaomingyue"),
        ("王小明", "lamp.jpg"),
        ("王", "wang.jpg"),  # a single syllable is ignored
    ],
)
def test_private_values_not_found_romanized(private, text):
    assert "private_value" not in kinds(text, [private])


def test_a_romanized_match_is_reported_once_and_masked():
    leaks = find_leaks({"图片文件名": "WangXiaoMing.jpg"}, ["王小明", "王 小 明"])
    assert [leak.kind for leak in leaks] == ["private_value"]
    assert "WangXiaoMing" not in leaks[0].message
    assert "第 1 个字起" in leaks[0].message


def test_each_occurrence_is_reported_with_its_position():
    leaks = find_leaks({"正文": "王小明和王小明"}, ["王小明"])
    assert [leak.match for leak in leaks] == ["王小明", "王小明"]
    assert "第 1 个字起" in leaks[0].message
    assert "第 5 个字起" in leaks[1].message


def test_private_values_in_alt_title_and_href_are_found():
    html = (
        '<p>一张照片<img alt="陈小华在教室" src="/media/a.jpg"></p>'
        '<p><a href="https://example.org/chenxiaohua" title="王大山">链接</a></p>'
    )
    leaks = find_leaks({"正文": html}, ["陳小華", "王大山", "chenxiaohua"])
    assert sorted(leak.match for leak in leaks) == ["chenxiaohua", "王大山", "陈小华"]


def test_tags_do_not_glue_paragraphs_into_an_address():
    assert kinds("<p>人民路</p><p>18号楼的灯亮了</p>") == []


def test_visible_text_keeps_attribute_values_and_drops_markup():
    text = visible_text('<p class="x">A&amp;B <a href="tel:13812345678">电话</a></p>')
    assert "class" not in text and "<" not in text
    assert "A&B" in text and "tel:13812345678" in text


# --- the report --------------------------------------------------------------------------


def test_leak_is_a_frozen_record():
    leak = find_leaks({"摘要": "电话 13812345678"})[0]
    assert isinstance(leak, Leak)
    assert leak.field == "摘要"
    assert leak.kind == "mobile"
    assert leak.match == "13812345678"
    with pytest.raises(AttributeError):
        leak.kind = "id_card"


def test_messages_name_the_field_mask_the_value_and_give_the_position():
    fields = {
        "摘要": "电话 138 1234 5678",
        "标题": f"身份证 {VALID_ID}",
        "正文第 3 段": "陈小华的奶奶说",
    }
    leaks = find_leaks(fields, ["陈小华"])
    messages = {leak.kind: leak.message for leak in leaks}
    assert messages["mobile"] == "「摘要」包含疑似手机号码“138 **** 5678”（第 4 个字起）"
    assert messages["id_card"].startswith("「标题」包含疑似身份证号码“110")
    assert VALID_ID not in messages["id_card"]
    assert VALID_ID[-4:] in messages["id_card"]
    assert messages["private_value"] == (
        "「正文第 3 段」包含本故事隐私资料中的内容“陈*华”（第 1 个字起）"
    )


def test_messages_never_contain_the_full_private_value_or_number():
    fields = {
        "正文": (
            f"陈小华，电话 13812345678、0871-6543210，身份证 {VALID_ID}，"
            "住云南省昆明市盘龙区幸福路18号"
        )
    }
    private = ["陈小华", "云南省昆明市盘龙区幸福路18号"]
    leaks = find_leaks(fields, private)
    assert {leak.kind for leak in leaks} == {
        "private_value",
        "mobile",
        "landline",
        "id_card",
        "street_address",
    }
    for leak in leaks:
        for secret in ["陈小华", "13812345678", "6543210", VALID_ID, "幸福路18号", *private]:
            assert secret not in leak.message


def test_leaks_come_in_field_order_then_text_order():
    leaks = find_leaks(
        {"标题": "五(2)班的陈小华", "摘要": "", "正文": "电话 13812345678，人民路18号"},
        ["陈小华"],
    )
    assert [(leak.field, leak.kind) for leak in leaks] == [
        ("标题", "school_class"),
        ("标题", "private_value"),
        ("正文", "mobile"),
        ("正文", "street_address"),
    ]
    assert {leak.kind for leak in leaks} <= set(KINDS)


def test_a_clean_story_has_no_leaks():
    fields = {
        "标题": "小雨（化名）的新书包",
        "摘要": "2026年3月1日，县民政局为 10760 名困境儿童发放助学金 3500 万元。",
        "正文": (
            "<p>小雨今年 9 岁，在县城读<b>小学四年级</b>。她说，每天坐班车上学。</p>"
            "<p>第 3 集 / 共 5 集。公开募捐备案编号 53100000MJ0000000X。</p>"
            "<p>咨询热线 12345，或拨打 400-123-4567。</p>"
        ),
    }
    assert find_leaks(fields, ["陈小华", "王大山", "某某县第一实验小学"]) == []


# --- private record --------------------------------------------------------------------------


def test_collect_private_values_from_a_record():
    values = collect_private_values(
        {
            "real_name": "王小明",
            "guardians": ["王大山（爷爷）", "李秀英"],
            "school": "某某县第一实验小学",
            "address": "云南省昆明市盘龙区石桥镇幸福村3组18号",
            "notes": "母亲外出务工\n\n奶奶患病",
        }
    )
    for expected in [
        "王小明",
        "王大山（爷爷）",
        "王大山",
        "李秀英",
        "某某县第一实验小学",
        "云南省昆明市盘龙区石桥镇幸福村3组18号",
        "石桥镇",
        "幸福村",
        "母亲外出务工",
        "奶奶患病",
    ]:
        assert expected in values
    # Kinship words and county-level places are not private on their own.
    for unexpected in ["爷爷", "盘龙区", "昆明市", ""]:
        assert unexpected not in values


def test_a_village_from_the_private_address_is_a_leak():
    private = collect_private_values({"address": "云南省昆明市盘龙区石桥镇幸福村3组18号"})
    assert kinds("她在幸福村长大", private) == ["private_value"]
    assert kinds("她在盘龙区长大", private) == []


@pytest.mark.parametrize(
    "school, text",
    [
        ("青云县第一小学", "她在第一小学读四年级"),
        ("青雲縣第一小學", "她在第一小学读四年级"),
        ("北京市海淀区中关村第三小学", "每天走到第三小學"),
        ("甘肃省临夏州东乡县红旗乡中心小学", "在红旗乡中心小学上学"),
    ],
)
def test_the_school_without_its_places_is_a_leak(school, text):
    """The county is public (the story's region), so 第一小学 names the school."""
    assert kinds(text, collect_private_values({"school": school})) == ["private_value"]


@pytest.mark.parametrize(
    "school, text",
    [
        ("青云县城关镇中心小学", "她在中心小学读书"),  # every township has one
        ("青云县第一小学", "小学老师常来家访"),
        ("青云县石桥镇幸福村小学", "她在村小学读书"),
    ],
)
def test_a_school_kind_alone_is_not_a_leak(school, text):
    assert kinds(text, collect_private_values({"school": school})) == []


@pytest.mark.parametrize(
    "text", ["家住石桥镇幸福村5组12号", "幸福屯2社8號", "住在李家村 三组 十二号"]
)
def test_a_rural_house_number_is_an_address(text):
    assert kinds(text) == ["street_address"]


@pytest.mark.parametrize("text", ["第一组3号选手", "第3组5号", "村里3组人家"])
def test_group_numbers_without_a_village_are_not_addresses(text):
    assert kinds(text) == []


def test_a_house_number_with_jia_is_an_address():
    assert kinds("住在朝阳北路甲3号") == ["street_address"]


# --- speed -----------------------------------------------------------------------------------


def test_adversarial_text_does_not_backtrack_for_ever():
    """Long runs that almost match every pattern; guards against catastrophic backtracking."""
    text = (
        "1" * 5000
        + "路" * 5000
        + " 0" * 3000
        + "三年级" * 2000
        + "一" * 5000
        + "<a " * 2000
        + "13812345678" * 500
    )
    started = time.perf_counter()
    find_leaks({"正文": text}, ["王小明", "幸福村"])
    assert time.perf_counter() - started < 1
