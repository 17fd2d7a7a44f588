"""Synthetic pages as old government and charity sites saved them: every kind of junk
`import_legacy` removes, in either script and in UTF-8, GB18030 or Big5.

Written here rather than copied from real sites: a real page names real people.
"""

from datetime import datetime

import opencc

TITLE = "市民政局召开困境儿童关爱保护工作推进会"
# (as on the old page, as it must come out)
PARAGRAPHS = [
    (
        "本报讯（记者 张三 通讯员 李四）5月28日，市民政局召开困境儿童关爱保护工作推进会，"
        "党中央(dǎngzhōngyāng)高度重视儿童工作。",
        "本报讯（记者 张三 通讯员 李四）5月28日，市民政局召开困境儿童关爱保护工作推进会，"
        "党中央高度重视儿童工作。",
    ),
    (
        "会议通报，实验小学六(2)班学生王小明的家庭困难，已纳入保障。",
        "会议通报，实验小学六(2)班学生王小明的家庭困难，已纳入保障。",
    ),
    (
        "会议要求，各区县要落实（luò shí）各项保障措施，关爱(gu?n ài)每一名困境儿童。",
        "会议要求，各区县要落实各项保障措施，关爱每一名困境儿童。",
    ),
    (
        "全市共有困境儿童1200名，其中留守儿童（ㄌㄧㄡˊ ㄕㄡˇ）300名，均已建立档案。",
        "全市共有困境儿童1200名，其中留守儿童300名，均已建立档案。",
    ),
]
PINYIN_COUNT = 4
DATE = datetime(2025, 5, 28, 10, 30)
SOURCE = "XX市民政局"
SOURCE_URL = "https://mzj.example.gov.cn/"
CREDITS = [("记者", ["张三"]), ("通讯员", ["李四"]), ("摄影", ["王五"])]
EDITOR = "赵六"
PHOTO = "摄影：王五"

SPAM_LINE = "澳门新葡京娱乐城_国产精品_无码在线视频_百家乐"
NAV = "首页 | 机构概况 | 新闻中心 | 政务公开 | 办事服务"
BREADCRUMB = "当前位置：首页 > 新闻中心 > 工作动态"
META = "发布时间：2025年5月28日 10:30　来源：XX市民政局　浏览量：1234"
TOOLBAR = "【字体：大 中 小】【打印本页】【关闭窗口】"
SHARE = "分享到：微信 微博 QQ空间"
RELATED = [
    "相关文章",
    "关于开展六一儿童节慰问活动的通知",
    "民政局走访慰问困境儿童家庭",
    "区县儿童督导员培训班开班",
]
APP = "下载掌上民政客户端，阅读更多精彩内容"
COMMENTS = ["网友评论（3）", "请登录后发表评论", "验证码："]
COPYRIGHT = "版权所有 © 2015 XX市民政局 京ICP备12345678号-1 网站标识码：1234000001"
FARM_TITLE = "震惊！这个城市为孩子们做了这件事"
FARM_INTRO = "导读：下面这篇文章值得每一位家长看看，看完你就明白了，转给身边的朋友吧。"
FARM_LIST = ["明星离婚内幕曝光", "这三种食物千万不能一起吃", "养生专家教你一招"]

EXPECTED_KINDS = {
    "spam",
    "nav",
    "breadcrumb",
    "toolbar",
    "counter",
    "share",
    "copyright",
    "related",
    "app",
    "comments",
    "duplicate",
    "pinyin",
}

_S2T = opencc.OpenCC("s2tw")


def in_script(text, script):
    return _S2T.convert(text) if script == "hant" else text


def raw_paragraphs():
    return [raw for raw, _ in PARAGRAPHS]


def clean_paragraphs(script="hans"):
    return [in_script(clean, script) for _, clean in PARAGRAPHS]


def html_page(script="hans", charset="utf-8", farm=False, copies=2):
    """A table-layout page: menu, breadcrumb, hidden link spam, spam title line, title,
    meta and toolbar, body (repeated `copies` times), credits, share bar, related list,
    app prompt, comment form, footer. With `farm`, wrapped in a content farm's own title,
    intro and lists."""
    t = lambda s: in_script(s, script)  # noqa: E731
    body = "".join(f"<p>　　{t(p)}</p>\n" for p in raw_paragraphs())
    copy = f"<h1>{t(TITLE)}</h1>\n{body}"
    farm_head = farm_tail = ""
    if farm:
        farm_head = f'<h1 class="title">{t(FARM_TITLE)}</h1><p>{t(FARM_INTRO)}</p>'
        farm_tail = "<ul>" + "".join(f'<li><a href="/x">{t(x)}</a></li>' for x in FARM_LIST)
        farm_tail += "</ul>"
    related = "".join(f'<li><a href="/n{i}">{t(x)}</a></li>' for i, x in enumerate(RELATED[1:]))
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{t(SPAM_LINE)}_{t(TITLE)}_{t(SOURCE)}</title>
<style>.nav {{ color: red }}</style><script>var a = "首页";</script></head>
<body>
<div class="nav"><a href="/">{t("首页")}</a> | <a href="/a">{t("机构概况")}</a></div>
<div id="menu-top">{t(NAV)}</div>
<div class="location">{t(BREADCRUMB)}</div>
<div style="display:none"><a href="http://spam.example/">{t("澳门赌场 百家乐 在线视频")}</a></div>
{farm_head}
<table width="960"><tr><td valign="top">
<p><font color="#fff">{t(SPAM_LINE)}</font></p>
<h1>{t(TITLE)}</h1>
<p>{t("发布时间：2025年5月28日 10:30")}　{t("来源：")}<a href="{SOURCE_URL}">{t(SOURCE)}</a>
　{t("浏览量：1234")}</p>
<div>{t(TOOLBAR)}</div>
<div id="zoom" style="font-size:14px">
{body}
<p style="text-align:center">{t("摄影：王五")}</p>
<p>{t("（责任编辑：赵六）")}</p>
</div>
{"".join(copy for _ in range(copies - 1))}
<div>{t(SHARE)}</div>
<div class="box"><h3>{t(RELATED[0])}</h3><ul>{related}</ul></div>
<div>{t(APP)}</div>
<form action="/comment"><p>{t(COMMENTS[0])}</p><p>{t(COMMENTS[1])}</p>
<textarea name="c"></textarea><p>{t(COMMENTS[2])}<input name="v"></p></form>
</td></tr></table>
{farm_tail}
<div class="bottom">{t(COPYRIGHT)}<br>{t("地址：人民路100号 电话：010-12345678")}</div>
</body></html>
"""


def text_page(script="hans", copies=2):
    """The same article saved as plain text (select all, copy, paste into a .txt)."""
    t = lambda s: in_script(s, script)  # noqa: E731
    lines = [NAV, BREADCRUMB, SPAM_LINE, TITLE, META, TOOLBAR]
    body = raw_paragraphs()
    lines += body + ["摄影：王五", "（责任编辑：赵六）"]
    for _ in range(copies - 1):
        lines += [TITLE, *body]
    lines += [SHARE, *RELATED, APP, *COMMENTS, COPYRIGHT]
    return "\n".join(t(line) for line in lines) + "\n"


def encode(text, encoding):
    # Big5 has no tone-marked pinyin letters and no ©: they become "?", as they did when
    # old converters saved such pages, and the importer must still recognise them.
    return text.encode(encoding, errors="replace")


COMBINATIONS = [
    ("hans", "utf-8"),
    ("hans", "gb18030"),
    ("hant", "utf-8"),
    ("hant", "gb18030"),
    ("hant", "big5"),
]


def mhtml(page, charset="gb2312", encoding="gb18030"):
    """`page` as Internet Explorer's “save as single file” wrote it (.mht, quoted-printable)."""
    import quopri

    html = quopri.encodestring(page.encode(encoding, errors="replace")).decode("ascii")
    boundary = "----=_NextPart_000_0000_01D09C4B"
    return (
        "From: <Saved by Windows Internet Explorer 8>\r\n"
        "Subject: =?gb2312?B?suLK1A==?=\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/related;\r\n"
        f'\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'
        "This is a multi-part message in MIME format.\r\n\r\n"
        f"--{boundary}\r\n"
        f'Content-Type: text/html;\r\n\tcharset="{charset}"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: http://www.example.gov.cn/art/2015/6/1/art_1.html\r\n\r\n"
        f"{html}\r\n--{boundary}--\r\n"
    ).encode("ascii")
