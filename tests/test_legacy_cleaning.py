"""The cleaning pipeline of import_legacy, without a database: what a saved page of an old
site becomes, in both scripts and in UTF-8, GB18030 and Big5."""

from datetime import datetime
from pathlib import Path

import pytest
from django.test import SimpleTestCase

from tongxin.exchange.legacy import LegacyError
from tongxin.exchange.legacy.clean import classify
from tongxin.exchange.legacy.decode import decode
from tongxin.exchange.legacy.extract import ordered_credits, parse_date, parse_meta
from tongxin.exchange.legacy.pinyin import remove_annotations
from tongxin.exchange.legacy.pipeline import read_article
from tongxin.exchange.legacy.spam import is_spam

from . import legacy_samples as s

FORMATS = ("html", "text", "farm")
META_CHARSET = {"gb18030": "gb2312", "big5": "big5", "utf-8": "utf-8"}


def sample(script, encoding, form):
    # The body twice in the text files and the farm copies, three times in the HTML pages.
    if form == "text":
        page = s.text_page(script)
    else:
        copies = 2 if form == "farm" else 3
        page = s.html_page(script, META_CHARSET[encoding], farm=form == "farm", copies=copies)
    return s.encode(page, encoding)


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize(("script", "encoding"), s.COMBINATIONS)
def test_every_kind_of_junk_is_removed_and_the_article_kept(script, encoding, form):
    article = read_article(sample(script, encoding, form))
    assert article.encoding == encoding
    assert article.script == script
    assert article.title == s.in_script(s.TITLE, script)
    assert [text for _, text in article.paragraphs] == s.clean_paragraphs(script)
    expected = set(s.EXPECTED_KINDS)
    if form == "farm":
        expected.add("wrapper")
    assert expected <= set(article.removed), expected - set(article.removed)
    assert article.removed["pinyin"] >= s.PINYIN_COUNT
    # The page repeats the title and the body: one copy of each stays.
    assert article.removed["duplicate"] >= 1 + len(s.PARAGRAPHS)
    body = "\n".join(text for _, text in article.paragraphs)
    for junk in (
        "首页",
        "字体",
        "浏览量",
        "分享到",
        "版权所有",
        "ICP",
        "相关文章",
        "客户端",
        "评论",
    ):
        assert s.in_script(junk, script) not in body
    for farm_text in (s.FARM_TITLE, s.FARM_INTRO, *s.FARM_LIST):
        assert s.in_script(farm_text, script) not in body
        assert s.in_script(farm_text, script) != article.title


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize(("script", "encoding"), s.COMBINATIONS)
def test_fields_are_extracted_as_written(script, encoding, form):
    article = read_article(sample(script, encoding, form))
    meta = article.meta
    assert meta.date == s.DATE
    assert meta.source_name == s.in_script(s.SOURCE, script)
    assert meta.source_url == ("" if form == "text" else s.SOURCE_URL)
    credits = [
        (s.in_script(role, script), [s.in_script(n, script) for n in names])
        for role, names in s.CREDITS
    ]
    assert ordered_credits(meta.credits) == credits
    assert meta.responsible_editor == s.in_script(s.EDITOR, script)
    assert article.photo_credit == s.in_script(s.PHOTO, script)
    body = "\n".join(text for _, text in article.paragraphs)
    assert "责任编辑" not in s.in_script(body, "hans") and "赵六" not in body


@pytest.mark.parametrize(("script", "encoding"), s.COMBINATIONS)
def test_child_named_with_school_and_class_is_flagged_masked(script, encoding):
    article = read_article(sample(script, encoding, "html"))
    flags = [(flag.kind, flag.text) for flag in article.flags]
    assert ("school_class", "六(2)班 … 王**") in flags
    # The line is the one of the file the paragraph is on.
    page = s.html_page(script, META_CHARSET[encoding]).splitlines()
    flag = next(f for f in article.flags if f.kind == "school_class")
    assert "六(2)班" in page[flag.line - 1]
    assert all("王小明" not in f.text for f in article.flags)


def test_phone_id_and_address_are_flagged_by_the_privacy_guard():
    page = (
        "儿童之家开放\n发布时间：2022-01-10 17:05\n"
        "孩子的奶奶说，有事可以打13812345678，家住人民路18号。\n"
        "身份证号11010519491231002X已登记。\n"
    )
    flags = read_article(page.encode("utf-8")).flags
    assert [(f.line, f.kind, f.text) for f in flags] == [
        (3, "mobile", "138****5678"),
        (3, "street_address", "人民路**号"),
        (4, "id_card", "110***********002X"),
    ]


def test_same_article_has_the_same_fingerprint_whatever_the_encoding_and_furniture():
    a = read_article(s.encode(s.html_page("hant", "big5"), "big5"))
    b = read_article(s.encode(s.text_page("hant", copies=1), "utf-8"))
    c = read_article(s.encode(s.html_page("hans"), "utf-8"))
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != c.fingerprint


class DecodeTests(SimpleTestCase):
    def test_declared_charset_that_lies_is_overruled(self):
        page = (
            '<html><head><meta charset="gb2312"><title>儿童</title></head>'
            "<body><p>儿童福利院举办活动。</p></body></html>"
        )
        self.assertEqual(decode(page.encode("utf-8")).encoding, "utf-8")
        self.assertEqual(decode(page.encode("gb18030")).encoding, "gb18030")

    def test_big5_and_gbk_are_told_apart_without_a_declaration(self):
        text = "兒童福利院舉辦六一兒童節活動，志願者為孩子們送去禮物。"
        self.assertEqual(decode(text.encode("big5")).text, text)
        self.assertEqual(decode(text.encode("gbk")).text, text)

    def test_bad_files_are_refused_with_a_reason(self):
        for data, reason in (
            (b"", "空"),
            (b"  \n\t ", "空"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
            (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "二进制"),
            (bytes(range(128, 256)) * 8, "编码"),
        ):
            with self.subTest(data=data[:10]), self.assertRaisesMessage(LegacyError, reason):
                read_article(data)

    def test_garbage_characters_are_dropped(self):
        article = read_article("标题一行\n正文锟斤拷内容\ue123很好。\n".encode())
        self.assertEqual(article.paragraphs, [(2, "正文内容很好。")])
        self.assertEqual(article.removed["garbage"], 2)

    def test_no_recognisable_title(self):
        for page in (
            "这是一段没有标题的正文，只有一句话。",
            "<html><body><p>只有正文，没有标题。</p></body></html>",
        ):
            with self.subTest(page=page), self.assertRaisesMessage(LegacyError, "标题"):
                read_article(page.encode())


class PinyinTests(SimpleTestCase):
    def test_annotations_in_every_form(self):
        for raw, clean in (
            ("党中央(dǎngzhōngyāng)", "党中央"),
            ("党中央（dang zhong yang）", "党中央"),
            ("党中央(d?ngzh?ngy?ng)", "党中央"),
            ("党中央(dÇŽngzhÅngyÄng)", "党中央"),
            ("党中央(dang3 zhong1 yang1)", "党中央"),
            ("关爱guān ài儿童", "关爱儿童"),
            ("兒童（ㄦˊ ㄊㄨㄥˊ）", "兒童"),
            ("兒童ㄦˊ ㄊㄨㄥˊ福利", "兒童福利"),
            ("<ruby>党<rt>dǎng</rt></ruby>", None),
        ):
            if clean is None:
                continue
            with self.subTest(raw=raw):
                self.assertEqual(remove_annotations(raw), (clean, 1))

    def test_english_in_brackets_stays(self):
        for text in (
            "世界卫生组织(WHO)",
            "联合国儿童基金会（UNICEF）",
            "下载(APP)",
            "李华(Li Hua)",
            "他(ta)说",
        ):
            with self.subTest(text=text):
                self.assertEqual(remove_annotations(text), (text, 0))

    def test_ruby_readings_are_dropped(self):
        article = read_article(
            "<html><body><h1>关爱儿童</h1><p>2022-01-10</p>"
            "<p><ruby>党<rt>dǎng</rt></ruby>中央关心儿童成长。</p></body></html>".encode()
        )
        self.assertEqual(article.paragraphs[0][1], "党中央关心儿童成长。")
        self.assertEqual(article.removed["pinyin"], 1)


class LineTests(SimpleTestCase):
    def test_spam_lines_but_not_reports_about_gambling(self):
        self.assertTrue(is_spam("澳门新葡京_国产精品_在线视频"))
        self.assertTrue(is_spam("太阳城娱乐 | 真人视讯 | 某某网"))
        self.assertTrue(is_spam("國產精品一區二區"))
        self.assertTrue(is_spam("无码在线视频"))
        self.assertTrue(is_spam("亚洲 欧美 日韩 国产 在线视频"))
        self.assertFalse(is_spam("国产大飞机首飞成功"))
        self.assertFalse(is_spam("福利彩票公益金资助困境儿童"))
        self.assertFalse(is_spam("公安机关开展打击网络赌博专项行动，保护未成年人远离赌场诱惑。"))

    def test_furniture_lines(self):
        for line, kind in (
            ("当前位置：首页 > 新闻中心 > 正文", "breadcrumb"),
            ("首頁 > 新聞中心", "breadcrumb"),
            ("字体：大 中 小 | 打印 | 关闭", "toolbar"),
            ("【字體：大 中 小】【列印】【關閉視窗】", "toolbar"),
            ("阅读 1234", "counter"),
            ("分享到：微信 微博 QQ空间", "share"),
            ("Copyright © 2010-2015 某某慈善总会 版权所有", "copyright"),
            ("粤ICP备05012345号", "copyright"),
            ("推荐阅读", "related"),
            ("上一篇：民政局开展慰问", "related"),
            ("发表评论", "comments"),
            ("打开APP阅读全文", "app"),
            ("首页 | 机构概况 | 新闻中心 | 政务公开", "nav"),
        ):
            with self.subTest(line=line):
                self.assertEqual(classify(line)[0], kind)

    def test_sentences_are_not_cut_into(self):
        line = "民政局工作人员打印了宣传单，并在活动结束后关闭了会场。"
        self.assertEqual(classify(line), (None, line, []))

    def test_meta_line_keeps_its_fields_after_the_toolbar_goes(self):
        kind, rest, cut = classify(
            "发布时间：2022-01-10 17:05 来源：市民政局 浏览量：1234 【字体：大 中 小】"
        )
        self.assertEqual((kind, cut), (None, ["toolbar", "counter"]))
        meta, _ = parse_meta(rest)
        self.assertEqual(meta.source_name, "市民政局")

    def test_dates_in_many_forms(self):
        for text, expected in (
            ("2025年5月28日", (2025, 5, 28, 0, 0)),
            ("2022-01-10 17:05", (2022, 1, 10, 17, 5)),
            ("发布时间：2022/1/10", (2022, 1, 10, 0, 0)),
            ("二〇二二年五月二十八日", (2022, 5, 28, 0, 0)),
            ("2022.01.10", (2022, 1, 10, 0, 0)),
        ):
            with self.subTest(text=text):
                date = parse_date(text)
                self.assertEqual(
                    (date.year, date.month, date.day, date.hour, date.minute), expected
                )

    def test_bylines_by_role(self):
        meta, _ = parse_meta("文/张三 图/李四 责任编辑：王五")
        self.assertEqual(meta.credits, [("文", ["张三"])])
        self.assertEqual(meta.photo_credits, ["图：李四"])
        self.assertEqual(meta.responsible_editor, "王五")
        meta, _ = parse_meta("記者 陳大文 林小華 通訊員 李四 編輯：黃明")
        self.assertEqual(meta.credits, [("記者", ["陳大文", "林小華"]), ("通訊員", ["李四"])])
        self.assertEqual(meta.responsible_editor, "黃明")


PAGES = Path(__file__).with_name("legacy_pages")


def page_file(name):
    return read_article((PAGES / name).read_bytes())


def test_bureau_page_in_a_gbk_table_layout():
    article = page_file("gov_table_gbk.html")
    assert article.encoding == "gb18030"
    assert article.title == '我区开展"六一"儿童节走访慰问困境儿童活动'
    assert article.meta.date == datetime(2015, 6, 1)
    assert article.meta.source_name == "区儿童福利科"
    assert article.meta.credits == []  # 作者：admin is the CMS account
    texts = [text for _, text in article.paragraphs]
    assert len(texts) == 3 and texts[0].startswith('在"六一"国际儿童节来临之际')
    assert texts[-1] == "此次活动共走访慰问困境儿童56名，发放慰问金2.8万元。"
    assert {"nav", "breadcrumb", "toolbar", "counter", "related", "copyright"} <= set(
        article.removed
    )
    # The footer's address and phone went with the footer, so nothing is flagged.
    assert article.flags == []
    assert any("2 张图片" in note for note in article.notes)


def test_charity_page_of_divs_without_meta_line():
    article = page_file("charity_divs.html")
    assert article.title == "慈善总会启动“爱心助学”项目"
    assert article.meta.date is None
    assert len(article.paragraphs) == 3
    assert article.flags == []


def test_wechat_article():
    article = page_file("wechat_article.html")
    assert article.title == "他们的微心愿，等你来认领"
    assert article.meta.date == datetime(2022, 5, 20, 18, 0)
    assert article.meta.source_name == "XX市民政局"
    assert article.meta.responsible_editor == "刘洋"
    assert article.meta.credits == [("审核", ["王强"])]
    texts = [text for _, text in article.paragraphs]
    assert texts[1] == "小雨（化名），10岁，心愿是一套课外读物。"
    assert not any(t in "\n".join(texts) for t in ("阅读原文", "在看", "长按识别", "原创"))


def test_plain_text_notice_keeps_its_signature():
    article = page_file("notice.txt")
    assert article.title == "关于开展2016年度困境儿童基本生活保障工作的通知"
    assert article.meta.date == datetime(2016, 3, 1)
    texts = [text for _, text in article.paragraphs]
    assert texts[0] == "各乡镇（街道）民政办："
    assert texts[-2:] == ["XX县民政局", "2016年3月1日"]
    assert article.removed == {}


def test_spam_glued_to_the_title_is_cut_off():
    page = (
        "<h1>民政局召开困境儿童工作会议_澳门新葡京_无码在线视频</h1>"
        "<p>2022-01-10</p><p>会议召开了。</p>"
    )
    article = read_article(page.encode())
    assert article.title == "民政局召开困境儿童工作会议"
    assert article.removed["spam"] == 2


def test_deeply_nested_markup_is_read():
    page = (
        "<html><body><h1>标题在这里呀</h1>"
        + "<font>" * 5000
        + "<p>正文内容，很好。</p></body></html>"
    )
    assert read_article(page.encode()).paragraphs == [(1, "正文内容，很好。")]


def test_taiwan_disclosure_page_in_big5():
    article = page_file("zwgk_big5.html")
    assert (article.encoding, article.script) == ("big5", "hant")
    assert article.title == "臺北市兒童福利服務實施計畫"
    assert article.meta.date == datetime(2016, 3, 1)
    assert article.meta.source_name == "臺北市社會局"
    texts = [text for _, text in article.paragraphs]
    assert texts == [
        "一、計畫目的",
        "為保障兒童權益，落實兒童福利服務，特訂定本計畫。",
        "二、服務對象",
        "設籍本市之弱勢家庭兒童。",
        # Headlines that contain a toolbar's or a counter's word are left whole.
        "關閉違規網咖",
        "每天閱讀30分鐘",
    ]
    assert article.flags == []


def test_content_farm_that_reuses_the_title():
    article = page_file("farm_same_title.html")
    assert article.title == "留守儿童有了“爱心妈妈”"
    # The copied article's own date and source, not the farm's.
    assert article.meta.date == datetime(2023, 3, 30)
    assert article.meta.source_name == "XX县融媒体中心"
    texts = [text for _, text in article.paragraphs]
    assert len(texts) == 3 and texts[0].startswith("近日，XX县妇联")
    assert {"wrapper", "copyright", "share", "related", "counter"} <= set(article.removed)


def test_meta_below_the_article():
    article = page_file("meta_below.html")
    assert article.title == "福彩公益金资助困境儿童助学项目启动"
    assert article.meta.date == datetime(2021, 4, 10)
    assert article.meta.source_name == "XX日报"
    assert article.meta.credits == [("记者", ["张明"])]  # 作者：张明 is the same credit
    assert article.meta.responsible_editor == "王芳"
    assert len(article.paragraphs) == 2


def test_title_only_in_the_title_tag_and_br_lines():
    article = page_file("title_tag_only_gbk.html")
    assert article.title == "慈善超市开业 爱心物资惠及困难家庭"
    assert article.meta.credits == [("文/图", ["陈华"])]
    assert [text for _, text in article.paragraphs] == [
        "5月20日，XX区慈善超市正式开业。",
        "慈善超市面积200平方米，物资均来自社会捐赠。",
        "▲图为慈善超市开业现场。",
    ]


def test_hacked_article_page():
    article = page_file("hacked_article.html")
    assert article.title == "民政局召开儿童福利工作会议"
    assert article.meta.date == datetime(2020, 9, 1)
    texts = [text for _, text in article.paragraphs]
    assert texts[-1] == "会议还通报了上半年工作情况。"
    assert not any("赌场" in t or "百家乐" in t for t in texts)
    assert article.removed["spam"] >= 2 and article.removed["garbage"] == 2


def test_single_file_web_archive():
    article = read_article(s.mhtml(s.html_page("hans", "gb2312")))
    assert article.encoding == "gb18030"
    assert article.title == s.TITLE
    assert [text for _, text in article.paragraphs] == s.clean_paragraphs()


def test_web_archive_without_a_page_is_refused():
    data = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: image/png\r\n\r\nxxxx\r\n--b--\r\n"
    )
    with pytest.raises(LegacyError, match="没有网页"):
        read_article(data)


def test_site_logo_in_h1_and_sections_in_h2():
    article = page_file("sections_h2.html")
    assert article.title == "儿童督导员培训工作总结"
    texts = [text for _, text in article.paragraphs]
    assert texts[0] == "一、培训概况" and texts[-1] == "继续加强培训。" and len(texts) == 6


def test_traditional_page_with_leftovers_of_an_old_converter_is_kept_as_written():
    text = (
        "兒童福利院舉辦六一活動\n2022-01-10\n志愿者們為兒童福利院的孩子們送去禮物，孩子们很開心。\n"
    )
    article = read_article(text.encode("utf-8"))
    assert article.script == "hant"
    assert article.paragraphs == [(3, "志愿者們為兒童福利院的孩子們送去禮物，孩子们很開心。")]
    assert any("另一种字体" in note for note in article.notes)


def test_utf8_page_with_a_few_broken_bytes():
    text = (
        "儿童之家开放\n" + "儿童之家今天正式开放，社区的孩子们放学后可以来这里读书和游戏。\n" * 20
    )
    data = text.encode("utf-8")
    data = data[:100] + b"\xff\xfe" + data[100:]
    article = read_article(data)
    assert article.encoding == "utf-8"
    assert article.title == "儿童之家开放"
    assert article.removed["garbage"] >= 1


def test_bold_title_when_the_title_tag_names_only_the_site():
    article = page_file("bold_title_site_name_tag.html")
    assert article.title == "全市困境儿童关爱工作取得新进展"
    texts = [text for _, text in article.paragraphs]
    assert texts[0] == "——记市民政局儿童福利科" and len(texts) == 3
