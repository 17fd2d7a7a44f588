"""The spam guard: injected gambling, porn, fake-drug and SEO text is refused on save, on
publish, on import and through `find_spam` (the legacy importer's entry point); ordinary
welfare vocabulary and markup characters never trip it."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield

from campaigns.models import NewsPage
from tests.test_content_import import build_document, refused, site_state, write_document
from tests.test_page_models import AdminTestCase, page_form
from tongxin.core.models import SpamTerm
from tongxin.core.spam import SpamHit, find_spam, fold, shipped_terms

from .factories import paragraph

SPAM_TITLE = "澳门新葡京娱乐场-真人百家乐"

# Phrases a child-welfare site publishes that share characters with spam.
LEGITIMATE = [
    "彩票公益金资助困境儿童",
    "福利彩票",
    "体育彩票",
    "中国福利彩票发行管理中心",
    "成人教育",
    "长大成人，视频里记录了他的变化",
    "赌气离家出走的孩子",
    "博彩业危害宣传进校园",
    "远离赌博，远离毒品",
    "网吧等娱乐场所不得接纳未成年人",
    "性教育和防性侵课程",
    "扫黄打非",
    "药品救助",
    "大病医疗救助和药品费用报销",
    "工作到午夜，福利院的阿姨们还在照顾孩子",
    "便民办证大厅",
    "银行现金网点",
    "特别关爱",
    "首批捐赠单位",
    "警惕网络色情对儿童的伤害",
    "a < b && c > d，<不是标签>",
    "A&B 慈善合作 <br>",
    # Names, places and reports that share characters with the list's terms.
    "伟哥哥带着小明去上学",
    "张伟哥是社区的志愿者",
    "火车站群众自发捐款",
    "澳门金沙城中心举办慈善晚会",
    "南京市六合区儿童福利院",
    "六合村留守儿童之家",
    "社区老年活动中心棋牌室",
    "打击代孕等违法行为，保护妇女儿童权益",
    "远离网赌，远离赌球",
    "禁毒教育：冰毒、摇头丸、K粉的危害",
    "社工上门服务困境儿童家庭",
    "博彩业监管新规出台",
    "威尼斯人的面具节",
    "快三年没回家的父亲",
    "彩票代销点的公益金公示",
]

# The tricks spammers use to hide a term.
DISGUISED = [
    ("澳门新葡京", "澳门新葡京"),
    ("澳 门 新 葡 京", "澳门新葡京"),
    ("澳.门.新.葡.京", "澳门新葡京"),
    ("澳門新葡京", "澳门新葡京"),
    ("澳\u200b门\u200b新\u200b葡\u200b京", "澳门新葡京"),
    ("真-人-百-家-乐", "真人百家乐"),
    ("百　家　乐", "百家乐"),
    ("ＸＩＮＰＵＪＩＮＧ", "xinpujing"),
    ("六★合★彩", "六合彩"),
    ("<b>百家</b>乐", "百家乐"),
    ('<a href="https://x.example/?q=百家乐">点此</a>', "百家乐"),
    ("正规娱乐场，注册送彩金", "娱乐场"),
    ("约炮", "约炮"),
    ("伟哥", "伟哥"),
    ("蜘蛛池", "蜘蛛池"),
    ("澳、门、新、葡、京", "澳门新葡京"),
    ("六，合，彩", "六合彩"),
    ("澳门新蒲京", "新蒲京"),
    ("开元棋牌官网下载", "开元棋牌"),
    ("棋牌平台注册送金", "棋牌平台"),
    ("代孕公司包成功", "代孕公司"),
    ("试管代孕", "试管代孕"),
    ("偉哥", "伟哥"),
    ("美国伟哥哪里买", "美国伟哥"),
    ("威而鋼", "威而钢"),
    ("出售冰毒", "出售冰毒"),
    ("k 粉 货到付款", "k粉货到付款"),
    ("博彩导航", "博彩导航"),
]


def demo_texts():
    with open(settings.SITE_DIR / "demo" / "content.json", encoding="utf-8") as f:
        document = json.load(f)
    found = {}

    def walk(value, where):
        if isinstance(value, str):
            found[where] = value
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(document, "")
    return found


class TestTerms:
    def test_every_demo_text_passes(self):
        texts = demo_texts()
        assert len(texts) > 100
        assert find_spam(texts, shipped_terms()) == []

    @pytest.mark.parametrize("text", LEGITIMATE)
    def test_legitimate_phrases_pass(self, text):
        assert find_spam({"正文": text}, shipped_terms()) == []

    @pytest.mark.parametrize(("text", "term"), DISGUISED)
    def test_disguised_terms_are_found(self, text, term):
        hits = find_spam({"标题": text}, shipped_terms())
        assert hits and hits[0] == SpamHit("标题", term)

    def test_the_defacement_title_names_field_and_terms(self):
        hits = find_spam({"标题": SPAM_TITLE, "摘要": "欢迎"}, shipped_terms())
        assert {h.term for h in hits} == {"澳门新葡京", "娱乐场", "真人百家乐"}
        assert all(h.field == "标题" for h in hits)
        assert hits[0].message == "标题含有疑似垃圾广告内容“澳门新葡京”，请删除后再保存"

    def test_fold_keeps_sentence_boundaries(self):
        assert fold("成人，视频") == "成人|视频"
        assert fold("Ａ Ｂ.c") == "abc"
        # Punctuation between single characters is spacing, not a sentence break.
        assert fold("澳、门，新") == "澳门新"
        assert fold("是、否，长大成人，视频") == "是否|长大成人|视频"

    def test_shipped_list_compiles(self):
        assert len(shipped_terms()) > 50


@pytest.mark.django_db
class TestAdminTerms:
    def test_an_added_term_is_refused_in_both_scripts(self):
        assert find_spam({"标题": "某某網賭平台"}) == []
        SpamTerm.objects.create(term="网赌平台")
        assert find_spam({"标题": "某某網 賭 平 台"}) == [SpamHit("标题", "网赌平台")]

    def test_an_inactive_term_is_ignored(self):
        SpamTerm.objects.create(term="网赌平台", active=False)
        assert find_spam({"标题": "网赌平台"}) == []

    @pytest.mark.parametrize(
        ("term", "message"), [("re:(", "正则表达式无效"), (" ·. ", "没有剩下")]
    )
    def test_a_broken_term_is_refused_with_a_message(self, term, message):
        with pytest.raises(ValidationError) as info:
            SpamTerm(term=term).full_clean()
        assert message in str(info.value)


@pytest.mark.django_db
class TestPageFields:
    @pytest.mark.parametrize(
        ("field", "value", "label"),
        [
            ("title", SPAM_TITLE, "标题"),
            ("slug", "xinpujing-baijiale", "网址别名"),
            ("seo_title", "百家乐", "SEO 标题"),
            ("search_description", "六合彩开奖", "搜索描述"),
            ("summary", "约 炮", "摘要"),
            ("region", "澳門新葡京", "地区"),
        ],
    )
    def test_each_field_is_refused_on_save(self, site_tree, field, value, label):
        page = site_tree.news
        setattr(page, field, value)
        with pytest.raises(ValidationError) as info:
            page.save_revision()
        assert f"{label}含有疑似垃圾广告内容" in str(info.value)

    def test_body_text_is_refused(self, site_tree):
        page = site_tree.news
        page.body = paragraph("欢迎来到<b>百家乐</b>官网")
        with pytest.raises(ValidationError) as info:
            page.full_clean()
        assert "百家乐" in str(info.value)

    def test_publishing_a_spam_revision_is_refused(self, site_tree):
        """Workflow approval and scheduled publishing: a revision saved before a term was
        added is not published, and the scheduled-publishing job goes on."""
        from django.core.management import call_command
        from django.utils import timezone

        page = site_tree.news
        page.title = "一个标题"
        revision = page.save_revision(approved_go_live_at=timezone.now())
        SpamTerm.objects.create(term="一个标题")
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert page.title != "一个标题"
        revision.refresh_from_db()
        assert revision.approved_go_live_at is None

    def test_markup_characters_are_accepted(self, site_tree):
        page = site_tree.news
        page.title = "1 < 2 & 3 > 2"
        page.summary = "<不是标签> & 符号"
        page.save_revision().publish()
        page.refresh_from_db()
        assert page.title == "1 < 2 & 3 > 2"


class TestAdminForm(AdminTestCase):
    def edit(self, page, **fields):
        data = page_form(
            {
                "title": page.title,
                "slug": page.slug,
                "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
                "byline": streamfield([]),
                **fields,
            }
        )
        data["action-publish"] = "action-publish"
        return self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    def test_spam_title_is_refused_with_the_term(self):
        response = self.edit(self.tree.news, title=SPAM_TITLE)
        self.assertEqual(response.status_code, 200)
        errors = self.form_errors(response)
        self.assertIn("澳门新葡京", " ".join(errors["title"]))
        self.assertNotEqual(NewsPage.objects.get(pk=self.tree.news.pk).title, SPAM_TITLE)

    def test_spam_body_is_refused_above_the_form(self):
        body = streamfield([("paragraph", rich_text("<p>真人百家乐</p>"))])
        response = self.edit(self.tree.news, body=body)
        self.assertEqual(response.status_code, 200)
        self.assertIn("正文含有疑似垃圾广告内容“真人百家乐”", response.content.decode())

    def test_legitimate_text_is_published(self):
        body = streamfield([("paragraph", rich_text("<p>彩票公益金资助成人教育</p>"))])
        response = self.edit(self.tree.news, title="福利彩票公益金", body=body)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(NewsPage.objects.get(pk=self.tree.news.pk).title, "福利彩票公益金")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("title", SPAM_TITLE, "title: 标题含有疑似垃圾广告内容“澳门新葡京”"),
        ("summary", "六合彩", "summary: 摘要含有疑似垃圾广告内容“六合彩”"),
        (
            "body",
            [{"type": "paragraph", "text": "百 家 乐"}],
            "body: 正文含有疑似垃圾广告内容“百家乐”",
        ),
    ],
)
def test_import_refuses_spam_whole_and_named(tmp_path, key, value, message):
    document = build_document(tmp_path)
    document["pages"][0][key] = value
    before = site_state()
    err = refused(write_document(tmp_path, document))
    assert "/xinwen/qidong/" in err and message in err, err
    assert site_state() == before
