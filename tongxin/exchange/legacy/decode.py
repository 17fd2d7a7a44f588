"""Bytes to text: UTF-8, GB18030 (GB2312 and GBK are subsets) or Big5, detected.

Old sites declare a charset and often lie (gb2312 in the meta tag, UTF-8 on the disk), and
GB18030 accepts almost any byte sequence, so a declaration or a clean decode alone proves
little. Strict UTF-8 is trusted (other encodings practically never decode as valid UTF-8);
otherwise every candidate that decodes is scored by how much of it reads as Chinese words,
which tells a GBK page from the same bytes read as Big5 at once.
"""

from __future__ import annotations

import codecs
import email
import functools
import re
from dataclasses import dataclass

import opencc

from .errors import LegacyError

# Magic numbers of files people save by mistake next to the pages.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"BM",
    b"\x7fELF",
    b"MZ",
)
_CONTROL_BYTES = set(range(0, 9)) | {11, 12} | set(range(14, 27)) | set(range(28, 32))
_DECLARED_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_-]{2,20})""", re.IGNORECASE)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "cp950",
    "big-5": "cp950",
    "cp950": "cp950",
    "x-x-big5": "cp950",
    "big5-hkscs": "big5hkscs",
    "utf-8": "utf-8",
    "utf8": "utf-8",
}
# Replacement characters in more than this share of the text: not a page in a CJK encoding.
_MAX_BAD_SHARE = 0.02
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, gb18030 or big5
    replaced: int  # undecodable byte sequences replaced (then dropped as garbage)
    repaired: int = 0  # lines of mojibake read back as the UTF-8 they were


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC) and not data[:64].lstrip().startswith(b"<"):
        return True
    head = data[:4096]
    if b"\x00" in head:
        return True
    return sum(b in _CONTROL_BYTES for b in head) > len(head) * 0.01


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def _words() -> frozenset[str]:
    from tongxin.search.analysis import segmenter

    jieba = segmenter()
    jieba.dt.check_initialized()
    return frozenset(w for w in jieba.dt.FREQ if len(w) == 2 and jieba.dt.FREQ[w] > 0)


def chinese_score(text: str) -> float:
    """Share of adjacent pairs of Chinese characters that are dictionary words (in either
    script). About 0.3–0.6 for real prose, under 0.05 for text read in the wrong encoding."""
    han = "".join(_HAN_RE.findall(_t2s().convert(text[:20000])))
    if len(han) < 2:
        return 0.0
    words = _words()
    pairs = len(han) - 1
    return sum(han[i : i + 2] in words for i in range(pairs)) / pairs


def _declared(data: bytes) -> str | None:
    m = _DECLARED_RE.search(data[:4096])
    if not m:
        return None
    return _ALIASES.get(m.group(1).decode("ascii").lower())


_MHTML_RE = re.compile(rb"^\s*(?:[\w-]+:[^\n]*\n)*?\s*content-type:\s*multipart/related", re.I)


def unwrap_mhtml(data: bytes) -> tuple[bytes, str | None]:
    """The HTML inside a single-file web archive (.mht, .mhtml: “save as single file” of
    old browsers), and the charset its MIME header declares; other data unchanged."""
    if not _MHTML_RE.match(data[:2000]):
        return data, None
    message = email.message_from_bytes(data)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset()
    raise LegacyError("这是网页归档文件（.mht），但里面没有网页")


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """The text of a saved page; LegacyError for empty, binary or undecodable files.
    `declared` is a charset named outside the data (an archive's MIME header)."""
    if not data.strip():
        raise LegacyError("文件是空的")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), "utf-8" if codec == "utf-8-sig" else codec, 0)
            except UnicodeDecodeError:
                break
    if _looks_binary(data):
        raise LegacyError("这是二进制文件（图片、PDF、压缩包等），不是保存的网页或文本")
    try:
        text, repaired = repair_mojibake(data.decode("utf-8"))
        return Decoded(text, "utf-8", 0, repaired)
    except UnicodeDecodeError:
        pass
    declared = _ALIASES.get((declared or "").lower()) or _declared(data)
    candidates = [declared] if declared and declared != "utf-8" else []
    # UTF-8 again last, for a UTF-8 page with a few broken bytes (a cut-off download).
    candidates = list(dict.fromkeys([*candidates, "gb18030", "cp950", "big5hkscs", "utf-8"]))
    best = None
    for codec in candidates:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if bad > len(text) * _MAX_BAD_SHARE:
            continue
        # The reading that makes more words wins, a few undecodable bytes cost it; the
        # declaration only breaks a tie.
        key = (round(chinese_score(text) - 5 * bad / len(text), 3), codec == declared)
        if best is None or key > best[0]:
            best = (key, codec, text, bad)
    if best is None or (best[0][0] < 0.02 and len(_HAN_RE.findall(best[2])) >= 20):
        raise LegacyError("无法识别文字编码（不是 UTF-8、GB18030/GBK 或 Big5），或文件已损坏")
    _, codec, text, bad = best
    if codec != "utf-8":
        text = _utf8_lines(data, codec, text)
        bad = text.count("\ufffd")
    name = "big5" if codec in ("cp950", "big5hkscs") else codec
    text, repaired = repair_mojibake(text)
    return Decoded(text, name, bad, repaired)


# Mojibake: UTF-8 once read as GBK and saved again (关于 became 鍏充簬), usually when a site
# moved from one encoding to the other. Such a line scores almost no Chinese words; read
# back as UTF-8 it scores like prose.
_MOJIBAKE_MIN_HAN = 6


def repair_mojibake(text: str) -> tuple[str, int]:
    """`text` with its lines of GBK-read UTF-8 read back, and how many were."""
    lines = text.split("\n")
    repaired = 0
    for i, line in enumerate(lines):
        han = _HAN_RE.findall(line)
        if len(han) < _MOJIBAKE_MIN_HAN or chinese_score(line) >= 0.1:
            continue
        raw = line.replace("\ufffd", "?").encode("gb18030", errors="replace")
        back = raw.decode("utf-8", errors="replace")
        if back.count("\ufffd") * 10 > len(back) or chinese_score(back) < 0.3:
            continue
        lines[i] = back
        repaired += 1
    return ("\n".join(lines), repaired) if repaired else (text, 0)


def _utf8_lines(data: bytes, codec: str, text: str) -> str:
    """A GBK or Big5 page with lines in UTF-8 (injected by whoever hacked the site, or pasted
    in by an editor): those lines read as UTF-8, not as mojibake. A line counts as UTF-8 when
    it decodes strictly and holds Chinese characters; text in GBK or Big5 practically never
    does."""
    lines = data.split(b"\n")
    fixed, changed = [], False
    for line in lines:
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = ""
        if len(_HAN_RE.findall(as_utf8)) >= 2:
            changed = True
            fixed.append(as_utf8)
        else:
            fixed.append(line.decode(codec, errors="replace"))
    return "\n".join(fixed) if changed else text
