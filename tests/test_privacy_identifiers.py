"""The privacy check beyond the literal record values: every way the child's name is written,
the record's identifiers (birth date, ID number, phones, chat IDs, other identifiers), the
organisations' public numbers, and the person-name warnings for the privacy reviewer."""

import datetime

import pytest

from stories.guard import check_story, name_warnings
from stories.privacy import (
    Leak,
    collect_private_values,
    date_forms,
    find_leaks,
    find_name_warnings,
    name_variants,
    phone_forms,
)

from .factories import OrganizationFactory, build_site_tree, paragraph


def kinds(text, record=None, public=()):
    values = collect_private_values(record or {})
    return [leak.kind for leak in find_leaks({"正文": text}, values, public)]


# --- the child's name ------------------------------------------------------------------------


def test_name_variants_of_a_three_character_name():
    variants = name_variants("陈思雨", "小雨（化名）")
    assert variants == ["思雨", "小思雨", "阿思雨", "阿雨", "陈同学", "陈某", "陈家"]
    # 小雨 is the pseudonym: it may be written.
    assert "小雨" not in variants


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王磊", ["小磊", "阿磊", "磊磊", "王同学", "王某", "王家"]),  # one-character given name
        ("李明", ["小明", "阿明", "李同学", "李某", "李家"]),  # 明明 is an everyday word
        ("何雨桐", ["雨桐", "小雨桐", "小桐", "阿雨桐", "阿桐", "桐桐", "何同学", "何某", "何家"]),
        ("欧阳娜娜", ["娜娜", "小娜娜", "小娜", "阿娜娜", "阿娜", "欧阳同学", "欧阳某", "欧阳家"]),
        ("阿依古丽·买买提", ["阿依古丽", "买买提"]),
        ("Wang Xiaoming", []),
        ("", []),
    ],
)
def test_name_variants(name, expected):
    assert name_variants(name) == expected


@pytest.mark.parametrize(
    "text",
    [
        "思雨今年十岁",
        "小思雨很懂事",
        "大家叫她阿雨",
        "老师表扬了陈同学",
        "陳同學成績很好",
        "據了解，陳某今年十歲",
        "志愿者走进陈家",
        "陈-思雨在画画",
        "陈_思雨",
        "陈/思雨",
        "陳．思雨",
        "“陈”思雨",
        "思 雨",
    ],
)
def test_every_way_the_name_is_written_is_a_leak(text):
    assert "private_value" in kinds(text, {"real_name": "陈思雨", "pseudonym": "小雨"})


@pytest.mark.parametrize(
    "text",
    [
        "小雨（化名）今年十岁",  # the pseudonym
        "思考和雨水",  # the characters apart
        "陈老师说",  # the surname alone, with another word
        "小明和小红",
        "思，雨",  # across a clause: two common characters are not the name
    ],
)
def test_what_is_not_the_name(text):
    assert kinds(text, {"real_name": "陈思雨", "pseudonym": "小雨"}) == []


def test_a_given_name_with_xiao_may_be_the_pseudonym():
    assert "小雨" not in name_variants("陈小雨", "小雨")
    assert "小雨" in name_variants("陈小雨", "雨欣")


def test_given_name_romanized_is_a_leak_unless_it_sounds_like_the_pseudonym():
    record = {"real_name": "陈思雨", "pseudonym": "小雨"}
    assert kinds("siyu-drawing.jpg", record) == ["private_value"]
    # 林晓雨 with pseudonym 小雨: xiaoyu is the pseudonym's spelling too.
    assert kinds("xiaoyu-new-bag", {"real_name": "林晓雨", "pseudonym": "小雨"}) == []
    assert kinds("linxiaoyu.jpg", {"real_name": "林晓雨", "pseudonym": "小雨"}) == ["private_value"]


def test_a_leak_is_reported_once_for_the_longest_match():
    leaks = find_leaks({"正文": "陈思雨今年十岁"}, collect_private_values({"real_name": "陈思雨"}))
    assert [(leak.kind, leak.match) for leak in leaks] == [("private_value", "陈思雨")]


# --- the record's identifiers -----------------------------------------------------------------


def test_date_forms():
    forms = date_forms(datetime.date(2014, 3, 5))
    for form in ["2014年3月5日", "2014年03月05日", "20140305", "201435", "二〇一四年三月五日"]:
        assert form in forms
    assert date_forms("2011-09-21")[0] == "2011年9月21日"
    assert "二〇一一年九月二十一日" in date_forms("2011-09-21")
    assert date_forms("not a date") == []
    assert date_forms(None) == []


@pytest.mark.parametrize(
    "text",
    [
        "她2014年3月15日出生",
        "生日：2014-03-15",
        "2014.3.15",
        "2014/03/15",
        "二〇一四年三月十五日",
        "二零一四年三月十五日",
    ],
)
def test_the_birth_date_in_every_written_form(text):
    assert "private_value" in kinds(text, {"birth_date": datetime.date(2014, 3, 15)})


def test_phone_forms():
    assert phone_forms("0851-8612345") == ["08518612345", "8612345"]
    assert phone_forms("+86 139 8765 4321") == ["8613987654321", "13987654321"]


@pytest.mark.parametrize(
    ("record", "text"),
    [
        ({"phones": ["0851-8612345"]}, "家里座机 8612345"),
        ({"phones": ["+86 139 8765 4321"]}, "电话139-8765-4321"),
        ({"id_number": "52010220140315002X"}, "证件 52010220140315002x"),
        ({"chat_ids": ["chensiyu2014"]}, "游戏账号 ChenSiyu2014"),
        ({"chat_ids": "QQ 2837465910"}, "QQ2837465910"),
        ({"other_identifiers": ["病历号ZY2023110245"]}, "病历号 ZY2023110245 的治疗"),
    ],
)
def test_the_record_identifiers_in_any_spelling(record, text):
    assert "private_value" in kinds(text, record)


def test_the_record_phone_is_a_leak_even_labelled_as_a_hotline():
    assert "private_value" in kinds("热线 0851-8612345", {"phones": ["0851-8612345"]})


# --- public numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "基金会办公室电话：010-65123456",
        "县民政局咨询电话 0851-86123456",
        "服务电话020-87654321",
        "求助请拨打儿童保护热线 0851-85201234",
        "熱線：0871-63331234",
        "爱心捐赠热线 400-800-1234",
        "拨打 12355 或 110",
        "0851-86123456（咨询电话）",
    ],
)
def test_public_lines_pass(text):
    assert kinds(text) == []


def test_a_public_label_in_another_sentence_does_not_cover_a_number():
    assert kinds("欢迎拨打热线 12355。孩子奶奶的电话是 0851-8765432。") == ["landline"]


def test_a_public_label_does_not_cover_a_number_with_its_own_label():
    assert kinds("请拨打热线12355或孩子妈妈的电话13912345678") == ["mobile"]
    assert kinds("热线 0851-86111111、0851-86222222") == []


def test_numbers_listed_as_public_pass_anywhere():
    assert kinds("电话 0851-86123456", public=["0851-86123456"]) == []
    assert kinds("电话 0851-86123457", public=["0851-86123456"]) == ["landline"]


def test_leak_keeps_its_old_shape_and_gains_advice():
    leak = find_leaks({"摘要": "电话 13812345678"})[0]
    assert leak == Leak("摘要", "mobile", "13812345678", leak.message)
    assert Leak("f", "mobile", "x", "m").advice == ""
    assert "机构公开电话" in leak.advice


# --- forms found with the second held-out set (tests/privacy_cases/holdout_a15.json) ----------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("身份證號碼為 5201 0220 1503 0351 27，請核對。", "id_card"),
        ("身份证：520102-20150303-5127。", "id_card"),
        ("孩子姑姑的电话是187.8512.3344。", "mobile"),
        ("联系电话：1390 851 2345（孩子妈妈）。", "mobile"),
        ("孩子妈妈的手机号码为一三九〇八五一二三四五。", "mobile"),
        ("孩子家里的电话是8123456，爷爷常守在电话旁。", "landline"),
        ("家里座机：8612345。", "landline"),
        ("送孩子上学的车是贵 E 3K582。", "licence_plate"),
        ("孩子住在3号病床，输液已经一周了。", "hospital_bed"),
        ("她出生于2014年三月十五日，那天下着大雪。", "birth_date"),
        ("他于2013年9月21日在县医院出生。", "birth_date"),
        ("羊场镇的集市每五天赶一次。", "place"),
        ("大灣鎮離縣城有八十多公里。", "place"),
        ("孩子一家住在坝子组，是全组最困难的一户。", "place"),
        ("他家在三组，离村委会不远。", "place"),
        ("她住在岜沙苗寨，寨子里有很多古树。", "place"),
        ("在光明國小讀三年級的她，每天走一小時的路。", "named_school"),
        ("她在县一中读高二。", "named_school"),
        ("她在阳光幼儿园读大班，每天由奶奶接送。", "named_school"),
        ("孩子住在12号床位，已经住了半个月。", "hospital_bed"),
    ],
)
def test_more_ways_identifiers_are_written(text, kind):
    assert kinds(text) == [kind]


def test_the_last_character_doubled_is_the_childs_name():
    record = {"real_name": "何雨桐", "pseudonym": "花花"}
    assert kinds("桐桐今年十岁，每天放学后要走很远的山路。", record) == ["private_value"]
    # 明明 is an everyday word; 雨雨 is the pseudonym 小雨's, as public as it.
    assert kinds("他明明很累，却还是把作业写完了。", {"real_name": "李明"}) == []
    assert kinds("雨雨笑了。", {"real_name": "陈思雨", "pseudonym": "小雨"}) == []


@pytest.mark.parametrize(
    "text",
    [
        "报名请联系项目负责人王老师，电话13985012345。",
        "项目官员张丽（电话：13985012345）负责本次走访。",
        "本次活动由同心公益基金会主办，联系人：刘女士，联系电话：0851-86901234。",
        "官方微信：tongxin2008，欢迎添加。",
        "我们的办公地址：贵阳市观山湖区林城西路95号。",
        "地址：北京市朝阳区建国路88号（基金会秘书处）。",
        "全县共有中小学120所，其中小学三年级学生4000人。",
        "镇远县的古城是著名景区。从乡城县到稻城县要开六个小时。",
        "志愿者们住在镇上的旅馆；我们住在项目组安排的宿舍里。",
        "这批物资重1390.85公斤，价值12.34万元。2023年至2025年，共有15 20 30名志愿者参与。",
        "学校建于1958年9月1日。生日会将于2025年7月20日在社区活动中心举行。",
        "病房里还有另外两个孩子，三张病床挨在一起。",
    ],
)
def test_organisations_and_everyday_numbers_still_pass(text):
    assert kinds(text) == []


def test_a_name_inside_an_aabb_wish_is_not_the_name():
    record = {"real_name": "李平安"}
    assert kinds("祝孩子们平平安安、健健康康。", record) == []
    assert kinds("平安今年六岁。", record) == ["private_value"]
    assert kinds("祝她快快乐乐地成长。", {"real_name": "王欣乐"}) == []
    assert kinds("乐乐今年八岁。", {"real_name": "王欣乐"}) == ["private_value"]


def test_an_official_sharing_the_childs_surname_is_not_the_child():
    record = {"real_name": "王磊", "pseudonym": "石头"}
    assert kinds("县民政局局长王某某在座谈会上讲话。社工王某表示将持续跟进。", record) == []
    assert kinds("王某某今年十岁，由奶奶抚养。", record) == ["private_value"]
    # 同学 is a pupil whatever follows: 王同学代表全班发言 is the child.
    assert kinds("王同学代表全班发言。", record) == ["private_value"]


def test_an_organisation_named_in_brackets_after_its_number():
    assert kinds("联系电话：0851-86901234（基金会办公室）。") == []
    assert kinds("联系电话：0851-86901234（孩子奶奶）。") == ["landline"]


def test_a_contact_label_does_not_cover_a_family_number():
    assert kinds("报名请联系孩子妈妈，电话13985012345。") == ["mobile"]
    assert kinds("孩子家的地址：人民路12号（基金会资助）。") == ["street_address"]


# --- person names the record does not know ------------------------------------------------------


def test_unknown_names_are_warnings_with_their_sentence():
    warnings = find_name_warnings({"正文": "放学后，王小虎和她一起回家。她很开心。"})
    assert [(w.name, w.sentence) for w in warnings] == [("王小虎", "放学后，王小虎和她一起回家。")]
    assert "可能是人名" in warnings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "县民政局局长李明说，今年将扩大救助范围。",
        "社工张丽每周都去看她。",
        "班主任刘老师说她进步很大。",
        "小雨（化名）今年十岁。",
        "她家在花溪乡，村里只有二十户人家。",
    ],
)
def test_adults_in_their_public_role_and_the_pseudonym_are_not_warned_about(text):
    assert find_name_warnings({"正文": text}, pseudonym="小雨（化名）") == []


def test_names_already_in_the_record_are_leaks_not_warnings():
    known = collect_private_values({"real_name": "王小虎"})
    assert find_name_warnings({"正文": "王小虎和她一起回家。"}, known) == []


# --- through the guard ------------------------------------------------------------------------


@pytest.fixture
def tree(db):
    return build_site_tree()


def test_the_guard_reads_the_new_record_fields(tree):
    identity = tree.story.identity
    identity.birth_date = datetime.date(2016, 1, 8)
    identity.phones = ["139 8765 4321"]
    identity.chat_ids = ["xiaoyu_2016"]
    identity.save()
    story = tree.story
    story.body = paragraph("她2016年1月8日出生，QQ号：xiaoyu_2016，电话13987654321。")
    found = {(p.kind, p.field) for p in check_story(story)}
    assert ("private_value", "正文第 1 块（段落）") in found
    messages = " ".join(p.message for p in check_story(story))
    assert "13987654321" not in messages and "xiaoyu_2016" not in messages


def test_the_guard_lets_an_organisations_public_phone_through(tree):
    story = tree.story
    story.body = paragraph("如需帮助，可联系 0851-86123456。")
    assert [p.kind for p in check_story(story)] == ["landline"]
    OrganizationFactory(key="hotline-org", public_phone="0851-86123456、400-800-1234")
    assert check_story(story) == []


def test_the_guard_findings_say_how_to_fix_them(tree):
    story = tree.story
    story.body = paragraph("她住在马场坪村。")
    (problem,) = check_story(story)
    assert problem.kind == "place"
    assert "马**村" in problem.message and "最多写到县" in problem.message


def test_name_warnings_for_a_story(tree):
    story = tree.story
    story.body = paragraph("小雨和同桌赵小梅一起去上学。")
    assert [w.name for w in name_warnings(story)] == ["赵小梅"]
    # A warning is not a refusal.
    assert check_story(story) == []
