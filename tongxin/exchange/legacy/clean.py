"""Page furniture and junk, line by line: what each line is, and what is left of it.

`classify` answers for one line: a kind of junk (the whole line goes), or None (the line is
text, possibly after furniture inside it was cut away). Lines of prose (sentences) are
never cut into, so a sentence that says 打印 or 关闭 keeps them.
"""

from __future__ import annotations

import re
import unicodedata

from .extract import fold
from .spam import is_spam

KIND_LABELS = {
    "spam": "注入的赌博/色情垃圾行",
    "hidden": "隐藏文字",
    "pinyin": "夹注的拼音/注音",
    "garbage": "乱码字符",
    "duplicate": "重复的标题或正文",
    "nav": "导航和页头",
    "breadcrumb": "面包屑（当前位置）",
    "toolbar": "工具栏（字体/打印/关闭）",
    "counter": "浏览计数",
    "share": "分享提示",
    "copyright": "版权、备案和许可证信息",
    "related": "相关/推荐文章列表",
    "app": "下载 App 提示",
    "comments": "评论框",
    "wrapper": "内容农场的包装（另加的标题、导语和列表）",
}

_PROSE_RE = re.compile(r"[。！？!?；]")
_SEP = r"[\s|｜/\\·•【】\[\]()（）<>《》:：,，、-]"

# Patterns run on the simplified fold of a line (see `classify`), so they are written in
# simplified characters only.
_BREADCRUMB_RE = re.compile(
    r"^[^：:>»]{0,6}(?:位置|导航|路径)\s*[：:>»]|^当前页面\s*[：:]"
    r"|^(?:首页|主页|网站首页|home)\s*(?:[>»＞→›/]|&gt;)",
    re.I,
)
# Whole words only: a toolbar's 打印 or 关闭 stands between brackets, bars or spaces, never
# inside a phrase (关闭违规网吧 is a headline).
_NOT_CJK_BEFORE = r"(?<![\u4e00-\u9fff])"
_NOT_CJK_AFTER = r"(?![\u4e00-\u9fff])"
_TOOLBAR_TOKEN_RE = re.compile(
    r"(?:字体|字号|文字)\s*[：:]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*"
    r"[【\[]?\s*小\s*[】\]]?"
    rf"|{_NOT_CJK_BEFORE}(?:我要打印|(?:打印|列印)(?:本页|此页|文章|页面|本文)"
    r"|关闭(?:窗口|本页|页面|视窗)|返回(?:顶部|首页|主页|列表|上一页|上页)|收藏(?:本页|此页|本文|文章)"
    r"|加入收藏|设为首页|纠错|大字版|无障碍|背景色"
    rf"|保存(?:本页|此页)|阅读原文|举报\s*/\s*反馈|展开全文|阅读全文|查看全文|点击展开"
    rf"|展开剩余\s*\d+\s*%){_NOT_CJK_AFTER}"
    # Bare words in brackets: 【打印】【关闭】.
    r"|[【\[]\s*(?:打印|列印|关闭|收藏|保存|返回|默认|(?:查看|发表|我要)?评论|(?:推荐|告诉|发)给?好友)\s*[】\]]"
    r"|视力保护色|护眼模式"
    r"|[【\[]\s*(?:大|中|小)\s*[】\]]|[【\[]?\s*大\s+中\s+小\s*[】\]]?|\b(?:print|close)\b",
    re.I,
)
# Ordinary words that are toolbar links only when nothing else is on the line (返回 主页,
# 简体 | 繁体 | English): a headline about a site's 首页 or 适老化 keeps them.
_TOOLBAR_WORD_RE = re.compile(
    rf"{_NOT_CJK_BEFORE}(?:(?:返回|回到|回)?(?:首页|主页)|返回|简体(?:版|中文)?|繁体(?:版|中文)?"
    rf"|适老化(?:版|模式)?|长者模式|关怀版|读屏|打印|列印|关闭|收藏|保存|默认){_NOT_CJK_AFTER}"
    r"|\benglish\b",
    re.I,
)
_TRAILING_WORDS_RE = re.compile(
    rf"(?:[\s|｜/【】\[\]]+(?:{_TOOLBAR_WORD_RE.pattern}))+[\s|｜/【】\[\]]*$", re.I
)
_COUNTER_LABELS = (
    r"(?:浏览量|浏览次数|阅读量|阅读次数|阅读数|点击数|点击量|点击次数|点击率|访问量|访问次数|人气|阅读"
    r"|浏览|点击|查看次数|在看|点赞|赞)"
)
_COUNT = r"[(（]?\s*\d[\d,.]*\s*(?:万|w|k)?\+?\s*(?:次|人次)?\s*[)）]?"
# A label and a number (阅读 1234, 浏览量：12万+), or a label with a colon and nothing after
# it: the number was filled in by a script the saved page no longer runs (点击数：<script>).
# Never inside a phrase: 每天阅读30分钟 is a headline.
_COUNTER_RE = re.compile(
    rf"{_NOT_CJK_BEFORE}{_COUNTER_LABELS}\s*[：:]?\s*{_COUNT}{_NOT_CJK_AFTER}"
    rf"|{_NOT_CJK_BEFORE}{_COUNTER_LABELS}\s*[：:]\s*(?![\d\u4e00-\u9fff])"
    # 1234 阅读, but not the minutes of a time (09:12 阅读 10万+).
    rf"|(?<![\d:：.\-/\u4e00-\u9fff])\d[\d,]*\s*(?:人|次)?\s*(?:阅读|浏览|次点击){_NOT_CJK_AFTER}"
    r"|^\s*点?(?:写留言|留言|在看|点赞|赞|收藏|分享)\s*$"
    # A site's visitor counter: 您是第 123456 位访客, 总访问量.
    r"|您是(?:本站)?第\s*\d[\d,]*\s*位(?:访客|访问者|浏览者|来宾)?|(?:总|今日|累计)?访问(?:人数|总量|统计)",
    re.I,
)
_SHARE_RE = re.compile(
    r"(?:分享到|分享至|转发到|轉發到|分享给|分享給|一键分享|一鍵分享)\s*[：:]?.*"
    r"|^分享\s*[：:]?\s*$|^分享\s*[：:]?.{0,30}(?:微信|微博|QQ|空间|朋友圈)"
    r"|微信扫一扫|微信掃一掃|扫一扫分享|掃一掃分享|扫描二维码分享|掃描二維碼分享|扫码分享|掃碼分享"
    r"|扫描二维码关注|關注我們|关注我们|关注(?:官方)?(?:微信|公众号|微博)|長按識別|长按识别二维码"
    r"|分享到朋友圈|点击右上角|(?:推荐|告诉|转发|发)给?(?:好友|朋友)"
    # Read this page on a phone (the QR code beside it is gone).
    r"|(?:扫一扫在手机|扫码(?:在手机|阅读|查看|浏览)|手机扫码|在?手机上?(?:打开|查看|阅读|浏览)"
    r"(?:本页|此页|当前页|本文)).*"
    # WeChat's interface, saved with the article.
    r"|预览时标签不可点|轻点两下取消\S*|视频\s*小程序\s*赞|使用小程序|^微信公众号$|^知道了$"
    r"|(?:继续|向上)滑动看下一个|轻触阅读原文",
    re.I,
)
_COPYRIGHT_RE = re.compile(
    r"版权所有|版權所有|copyright|©|\(c\)\s*\d{4}|icp\s*备|icp\s*備|icp\s*证|icp\s*證|公网安备|公網安備"
    r"|网站标识码|網站標識碼|网站识别码|技术支持\s*[：:]|技術支持\s*[：:]|技術支援"
    r"|建议使用|建議使用|最佳浏览|最佳瀏覽|分辨率|网站地图|網站地圖|联系我们|聯繫我們|免责声明|免責聲明"
    r"|隐私政策|不良信息举报|違法和不良|违法和不良|许可证|許可證|未经授权|未經授權|未经许可|未經許可"
    r"|转载请注明|轉載請註明|禁止转载|禁止轉載|版权声明|版權聲明|all rights reserved"
    # A content farm's disclaimer under the article it copied.
    r"|如有侵权|侵删|版权归.{0,12}所有|本文来自网络|本文来源于网络|文章来源于网络|仅供学习交流"
    # Government sites' footer: who runs the site, and the error-report button.
    r"|^(?:主办|承办|协办|维护|运维|管理)(?:单位)?\s*[：:]|政府网站找错|网站纠错|我要纠错"
    # A portal's disclaimer under an article from one of its accounts.
    r"|^声明\s*[：:].{0,40}(?:仅代表|信息存储空间|信息发布平台)|信息存储空间服务",
    re.I,
)
# Calls to like, follow and pass on, under WeChat articles and farm copies.
_PROMPT_RE = re.compile(
    r"点赞|点个赞|点个在看|关注我们|欢迎关注|记得关注|点击关注|加关注|关注(?:该|本|我们的)?公众号"
    r"|转发给更多|分享给更多"
    r"|长按二维码|长按识别|扫码关注|扫描二维码"
)
_RELATED_RE = re.compile(
    r"^[【\[『「]?\s*(?:相关|相關|推荐|推薦|热门|熱門|热点|熱點|猜你喜欢|猜你喜歡|延伸|更多|最新|为你推荐"
    r"|為你推薦|大家都在看|精彩推荐|精彩推薦|编辑推荐|編輯推薦|往期回顾|往期回顧|图片新闻|圖片新聞|排行"
    r"|本周|本週|今日|热读|熱讀|往期|(?:点击|阅读|浏览)(?=排行))"
    r"(?:文章|新闻|新聞|阅读|閱讀|链接|鏈接|連結|报道|報道|推荐|推薦|资讯|資訊|专题|專題|内容|內容"
    r"|排行|文章推荐|图文|圖文|视频|視頻|热点|熱點|榜|精彩)?\s*[】\]』」]?\s*[：:]?\s*(?:>+|more|更多)?$"
    r"|^(?:上一篇|下一篇|上一條|下一條|上一条|下一条|上篇|下篇)(?:文章|新闻|信息)?\s*[：:]"
    # A portal's link back under the article it carried: 返回搜狐，查看更多.
    r"|^返回\S{1,8}?[，,]?\s*查看更多",
    re.I,
)
_COMMENT_RE = re.compile(
    r"^(?:[【\[]\s*)?(?:发表|發表|我要|网友|網友|最新|热门|熱門|全部|查看|相关|读者|精选)?(?:评论|評論|留言)"
    r"(?:\s*[（(]\s*\d+\s*[)）])?\s*(?:[】\]])?\s*[：:]?$"
    r"|已有\s*\d+\s*(?:条|條|人)(?:评论|評論|参与|參與)|条评论|則評論|请登录|請登錄|登录后|登錄後"
    r"|验证码|驗證碼|匿名发表|匿名發表|提交评论|提交評論|发表评论|發表評論|文明上网|文明上網"
    r"|^(?:用户名|用戶名|密码|密碼|昵称|暱稱)\s*[：:]|评论须知|評論須知|跟帖",
)
_APP_RE = re.compile(
    r"(?:下载|下載|安装|安裝|打开|打開|用|前往)\S{0,12}(?:客户端|客戶端|app|APP|App)"
    r"|(?:客户端|客戶端|app|APP|App)\s*(?:阅读|閱讀|内打开|內打開|查看)"
    r"|扫码下载|掃碼下載|下载.{0,8}(?:安卓|iOS|iPhone)|应用商店|應用商店|App\s*Store",
    re.I,
)

# A site's header above the article: greeting, today's date, log-in links.
_HEADER_RE = re.compile(
    r"欢迎(?:您|你)?(?:访问|光临)|欢迎(?:您|你)?来到.{0,20}(?:网|站)"
    r"|^\S{0,24}(?:局|会|网|站|政府|中心|办公室|院|馆)欢迎(?:您|你(?!们))"
    r"|^(?:今天|今日)是?\s*[：:]?\s*(?:(?:19|20)\d{2}|星期|周[一二三四五六日]|$)|登录\s*[|｜/]\s*注册"
    r"|^(?:设为首页|加入收藏)"
)
# Contact lines of a site's footer (地址、邮编、电话), when they run into its copyright line.
_CONTACT_RE = re.compile(
    r"(?:地址|邮编|邮政编码|联系电话|电话|传真|电子邮箱|邮箱|e-?mail|网址)\s*[：:]", re.I
)


def is_footer_contact(text: str) -> bool:
    """A line of the site's contact details only: 地址：… 邮编：… 联系电话：…"""
    folded = fold(text)
    if is_prose(folded) or not _CONTACT_RE.match(folded):
        return False
    values = _CONTACT_RE.split(folded)
    return len(values) >= 3 and all(len(v.strip()) <= 40 for v in values)


# WeChat's own interface, saved with an article: buttons, prompts and notices, whole lines
# (some of them are sentences, so they are matched before prose is spared).
_WECHAT_RE = re.compile(
    r"^[\W_]*视频\s*小程序|轻点两下取消|微信扫一扫可打开此内容|使用完整服务|第三方商业营销信息"
    r"|以上留言由公众号筛选后显示|喜欢此内容的人还喜欢|(?:继续|向上)滑动看下一个"
    r"|^(?:scan to follow|got it|cancel|allow|cancel\s+allow|已关注|关注|听过|人划线|微信号"
    r"|功能介绍|[-—\s]*end[-—\s]*)$",
    re.I,
)


# An article split over pages: 共3页 首页 上一页 [1] [2] 下一页 尾页.
_PAGER_PART = (
    r"共\s*\d+\s*页|第\s*\d+\s*页|首页|尾页|末页|上一页|下一页|上页|下页"
    r"|[\[【]?\s*\d{1,3}\s*[\]】]?|[<>«»‹›]+"
)
_PAGER_RE = re.compile(rf"^(?:\s*(?:{_PAGER_PART})\s*)+$")
_PAGER_WORD_RE = re.compile(r"上一?页|下一?页|第\s*\d+\s*页|共\s*\d+\s*页")


# Kinds that end the article: what follows them on an old page is the site's, not the
# article's (lists, comment threads, the footer).
END_KINDS = frozenset({"related", "comments", "copyright"})

# 锟斤拷 is U+FFFD in UTF-8 read as GBK (錕斤拷 once a converter made it traditional), 嚙踝蕭
# the same bytes read as Big5; 烫烫烫 and 屯屯屯 are uninitialised memory printed as GBK.
_GARBAGE_RE = re.compile(
    "锟斤拷|錕斤拷|嚙踝蕭嚙?|[烫燙]{3,}|屯屯屯+|\ufffd|[\ue000-\uf8ff]"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def remove_garbage(text: str) -> tuple[str, int]:
    """Undecodable and mojibake characters out (锟斤拷, �, private-use, controls); the
    count is of places, not characters."""
    count = len(_GARBAGE_RE.findall(text))
    return (_GARBAGE_RE.sub("", text), count) if count else (text, 0)


def is_prose(text: str) -> bool:
    return bool(_PROSE_RE.search(text)) and len(text) >= 15


def _residue(text: str) -> str:
    """What is left once separators and punctuation go."""
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def _cut(pattern: re.Pattern[str], text: str, folded: str) -> tuple[str, str, bool]:
    """Both forms of the line without what `pattern` finds in the folded one."""
    spans = [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]
    if not spans:
        return text, folded, False
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
        folded = folded[:start] + " " + folded[end:]
    return text, folded, True


def classify(text: str, link_share: float = 0.0) -> tuple[str | None, str, list[str]]:
    """(kind of junk or None, the text that remains of the line, kinds cut out of it).

    Patterns run on the simplified fold of the line, so one pattern serves both scripts.
    """
    text_as_written, text = text, fold(text)
    if is_spam(text):
        return "spam", "", []
    if len(text) < 80 and _WECHAT_RE.search(text):
        return "share", "", []
    if len(text) < 80 and _PAGER_RE.match(text) and _PAGER_WORD_RE.search(text):
        return "nav", "", []
    if _BREADCRUMB_RE.search(text):
        return "breadcrumb", "", []
    if _RELATED_RE.search(text):
        return "related", "", []
    if len(text) < 80:
        if _COMMENT_RE.search(text):
            return "comments", "", []
        if _COPYRIGHT_RE.search(text):
            return "copyright", "", []
        if _APP_RE.search(text):
            return "app", "", []
    if len(text) < 60 and _PROMPT_RE.search(text):
        return "share", "", []
    if len(text) < 40 and "。" not in text and _HEADER_RE.search(text):
        return "nav", "", []
    if is_prose(text):
        return None, text_as_written, []
    found = []
    remaining, folded = text_as_written, text
    for kind, pattern in (
        ("toolbar", _TOOLBAR_TOKEN_RE),
        ("counter", _COUNTER_RE),
        ("share", _SHARE_RE),
    ):
        remaining, folded, hit = _cut(pattern, remaining, folded)
        if hit:
            found.append(kind)
    if found and len(_residue(remaining)) <= 1:
        return found[0], "", found[1:]
    alone, alone_folded, hit = _cut(_TOOLBAR_WORD_RE, remaining, folded)
    if hit and len(_residue(alone)) <= 1:
        return "toolbar", "", found
    if hit and re.search(r"[：:]", folded) and _TRAILING_WORDS_RE.search(folded):
        # A labelled line with the toolbar after it: 来源：县民政局 打印 关闭.
        remaining, folded = alone, alone_folded
        found.append("toolbar")
    if _looks_like_menu(text, link_share):
        return "nav", "", []
    return (None, _tidy(remaining), found) if found else (None, text_as_written, [])


_BRACKETED_RE = re.compile(r"[【\[]([^【】\[\]]*)[】\]]")


def _tidy(text: str) -> str:
    """A line after furniture was cut out of it: no empty brackets, no stray separators."""
    text = _BRACKETED_RE.sub(lambda m: m.group() if _residue(m.group(1)) else " ", text)
    text = re.sub(r"[【】\[\]]", " ", text)
    return re.sub(r"\s{2,}", " ", text).strip(" |｜/")


_MENU_SPLIT_RE = re.compile(r"\s*[|｜·•/]\s*|\s+")


def _looks_like_menu(text: str, link_share: float) -> bool:
    """A row of short link words (首页 | 机构概况 | 新闻中心 | 政务公开)."""
    items = [i for i in _MENU_SPLIT_RE.split(text) if i]
    if len(items) < 3 or is_prose(text):
        return False
    short = all(len(i) <= 8 for i in items)
    if link_share >= 0.8:
        return short
    return short and any(i in ("首页", "首頁", "网站首页", "網站首頁") for i in items)
