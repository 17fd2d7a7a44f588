"""Build the word-aware converter's shipped tables (run by hand; never at request time).

    .venv/bin/python -m tongxin.scripts.build_tables --corpus /usr/share

Writes
- ``data/phrases.txt``: the simplified keys of OpenCC's own phrase dictionaries (the
  ``STPhrases`` pair that ``s2t``/``s2tw`` use) whose rendition differs from converting their
  characters one by one, or from a shorter such phrase inside them: the phrases that decide
  something, added to jieba's dictionary so segmentation knows them;
- ``data/context.tsv``: for each character of ``words.CONTEXT_CHARS``, how often each
  traditional form follows / precedes each neighbouring character in the *build* half of an
  openly licensed Taiwan-standard corpus;
- ``benchmarks/data/tw_eval.txt``: the *evaluation* half of that corpus, never read here.

The corpus (sources and licences also in ``benchmarks/README.md``) is the Traditional
Chinese (Taiwan) documentation Debian ships:
``libreoffice-help-zh-tw`` (MPL-2.0) and ``debian-reference-zh-tw`` (GPL-2+). Install them or
unpack them with ``apt-get download … && dpkg-deb -x``, and pass the folder holding
``share/libreoffice/help/zh-TW`` and ``share/doc/debian-reference-zh-tw`` (``/usr/share``'s
parent layout: pass ``…/usr``'s ``share`` folder). A document goes to one half only, chosen
by a hash of its path, so the evaluation never sees a sentence of a document the table
was counted from.

The context table also counts, with ``--l10n DIR`` (packages unpacked with ``dpkg-deb -x``
into DIR), the Taiwan-standard interface translations of ``libreoffice-l10n-zh-tw`` (.mo
catalogues), ``firefox-esr-l10n-zh-tw`` and ``thunderbird-l10n-zh-tw`` (Fluent, .properties
and .dtd files in their language packs), all MPL-2.0, and always the ``zh_Hant`` catalogues
of the installed Django and Wagtail (BSD-3-Clause). These only add to the build half: a
message that is also a sentence of the evaluation half is left out.

    apt-get download libreoffice-help-zh-tw debian-reference-zh-tw \
        libreoffice-l10n-zh-tw firefox-esr-l10n-zh-tw thunderbird-l10n-zh-tw
    for f in *.deb; do dpkg-deb -x "$f" corpus; done
    .venv/bin/python -m tongxin.scripts.build_tables --corpus corpus/usr/share --l10n corpus
"""

from __future__ import annotations

import argparse
import collections
import gettext
import hashlib
import html
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import opencc

from .ambiguity import ambiguous_characters
from .engine import _converter
from .words import CONTEXT_CHARS

HERE = Path(__file__).resolve().parent
PHRASES_FILE = HERE / "data" / "phrases.txt"
CONTEXT_FILE = HERE / "data" / "context.tsv"
EVAL_FILE = HERE.parent.parent / "benchmarks" / "data" / "tw_eval.txt"
EVAL_SHARE = 5  # one document in five goes to the evaluation half

_SENTENCE_RE = re.compile(r"[^。！？]*[。！？]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_TAG_RE = re.compile(r"<[^>]+>")
_PARAGRAPH_RE = re.compile(r"<p[\s>][^>]*>?(.*?)</p>", re.S)


def _dump(ocd2: str) -> list[str]:
    share = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dict.txt"
        subprocess.run(  # noqa: S603 - fixed argv inside the wheel, no shell
            [
                str(share / "bin" / "opencc_dict"),
                *("-i", str(share / "share" / "opencc" / ocd2), "-o", str(out)),
                *("-f", "ocd2", "-t", "text"),
            ],
            check=True,
            capture_output=True,
        )
        return out.read_text(encoding="utf-8").splitlines()


def build_phrases() -> list[str]:
    ambiguous = set(ambiguous_characters("tw"))
    conv = _converter("s2tw")
    keys = set()
    for ocd2 in ("STPhrases.ocd2", "STPhrases_GeneratedFromRegionalPhrases.ocd2"):
        for line in _dump(ocd2):
            key = line.partition("\t")[0]
            if len(key) > 1 and any(ch in ambiguous for ch in key):
                keys.add(key)
    renditions = {key: conv.convert(key) for key in keys}
    decisive = {
        key
        for key, rendition in renditions.items()
        if rendition != "".join(conv.convert(ch) for ch in key)
    }
    # A longer phrase that writes a decisive phrase inside it otherwise (郁郁葱葱 → 鬱鬱,
    # against 郁郁 → 郁郁) decides too, though its characters agree one by one.
    for key, rendition in renditions.items():
        if key in decisive or len(rendition) != len(key):
            continue
        for start in range(len(key) - 1):
            for end in range(start + 2, len(key) + 1):
                part = key[start:end]
                if part != key and part in decisive and renditions[part] != rendition[start:end]:
                    decisive.add(key)
                    break
            if key in decisive:
                break
    return sorted(decisive)


def corpus_sentences(share: Path):
    """``(document, sentence)`` of the corpus, Taiwan-standard prose, deduplicated."""
    seen = set()
    sources = sorted((share / "libreoffice" / "help" / "zh-TW").glob("**/*.html"))
    sources += sorted((share / "doc" / "debian-reference-zh-tw").glob("**/*.html"))
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="ignore")
        for paragraph in _PARAGRAPH_RE.findall(text):
            paragraph = re.sub(r"\s+", "", html.unescape(_TAG_RE.sub("", paragraph)))
            for sentence in _SENTENCE_RE.findall(paragraph):
                cjk = len(_CJK_RE.findall(sentence))
                prose = cjk >= 8 and cjk / len(sentence) > 0.6 and len(sentence) <= 120
                if prose and sentence not in seen:
                    seen.add(sentence)
                    yield str(path.relative_to(share)), sentence


# Placeholders, markup, access keys: cut out, leaving a space, so that the characters either
# side are not read as neighbours.
_PLACEHOLDER_RE = re.compile(
    r"%\(\w+\)[sdif]|%\d*\$?[sdifu]|\{[^{}]*\}|\$\w+|<[^>]+>|&\w+;|\(~?&?_?\w\)|[~&]"
)
_FTL_RE = re.compile(r"^\s*(?:[\w-]+|\.[\w-]+)\s*=\s*(.*)$")
_PROPERTIES_RE = re.compile(r"^\s*[^#!=\s][^=]*=\s*(.*)$")
_DTD_RE = re.compile(r"<!ENTITY\s+\S+\s+\"([^\"]*)\"")
_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _mo_messages(data: bytes) -> list[str]:
    import io

    catalog = gettext.GNUTranslations(io.BytesIO(data))._catalog  # noqa: SLF001
    return [value for key, value in catalog.items() if key and isinstance(value, str)]


def _langpack_messages(name: str, data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="ignore")
    if name.endswith(".dtd"):
        return _DTD_RE.findall(text)
    pattern = _FTL_RE if name.endswith(".ftl") else _PROPERTIES_RE
    found = []
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            found.append(_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), match.group(1)))
    return found


def l10n_messages(root: Path | None):
    """``(source, message)`` of the interface translations (see the module's docstring)."""
    sources = []
    if root is not None:
        sources += [("mo", path) for path in sorted(root.glob("**/zh_TW/LC_MESSAGES/*.mo"))]
        sources += [("xpi", path) for path in sorted(root.glob("**/langpack-zh-TW@*.xpi"))]
    for package in ("django", "wagtail"):
        folder = Path(__import__(package).__file__).parent
        sources += [("mo", path) for path in sorted(folder.glob("**/zh_Hant/LC_MESSAGES/*.mo"))]
    for kind, path in sources:
        if kind == "mo":
            for message in _mo_messages(path.read_bytes()):
                yield path.name, message
            continue
        with zipfile.ZipFile(path) as pack:
            for name in sorted(pack.namelist()):
                if name.endswith((".ftl", ".properties", ".dtd")):
                    for message in _langpack_messages(name, pack.read(name)):
                        yield name, message


def l10n_texts(root: Path | None, exclude: set[str]) -> list[str]:
    """The messages as clean runs of text, deduplicated, none of them in ``exclude``."""
    seen = set()
    texts = []
    for _, message in l10n_messages(root):
        text = re.sub(r"\s+", " ", _PLACEHOLDER_RE.sub(" ", html.unescape(message))).strip()
        if len(_CJK_RE.findall(text)) < 2 or text in seen or text in exclude:
            continue
        seen.add(text)
        texts.append(text)
    return texts


def is_eval_document(document: str) -> bool:
    digest = hashlib.sha256(document.encode("utf-8")).digest()
    return digest[0] % EVAL_SHARE == 0


def build_context(sentences: list[str]) -> list[str]:
    """Neighbour counts: ``char TAB side TAB neighbour TAB form:count form:count``."""
    to_simplified = _converter("tw2s")
    table = ambiguous_characters("tw")
    counts = collections.defaultdict(collections.Counter)
    for sentence in sentences:
        simplified = to_simplified.convert(sentence)
        if len(simplified) != len(sentence):
            continue
        for i, ch in enumerate(simplified):
            if ch not in CONTEXT_CHARS or sentence[i] not in table.get(ch, ()):
                continue
            form = sentence[i]
            counts[(ch, "*", "")][form] += 1
            if i > 0:
                counts[(ch, "L", simplified[i - 1])][form] += 1
            if i + 1 < len(simplified):
                counts[(ch, "R", simplified[i + 1])][form] += 1
    rows = []
    for (ch, side, neighbour), counter in sorted(counts.items()):
        # One sighting says nothing; a neighbour seen with one form only twice still does.
        if side != "*" and sum(counter.values()) < 2:
            continue
        forms = " ".join(f"{form}:{n}" for form, n in counter.most_common())
        rows.append(f"{ch}\t{side}\t{neighbour}\t{forms}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="the …/usr/share folder")
    parser.add_argument("--l10n", type=Path, help="folder the l10n packages are unpacked in")
    args = parser.parse_args()

    phrases = build_phrases()
    PHRASES_FILE.write_text(
        "# OpenCC STPhrases keys whose rendition differs from their characters one by one.\n"
        f"# OpenCC {opencc.__version__}; regenerate with python -m tongxin.scripts.build_tables\n"
        + "\n".join(phrases)
        + "\n",
        encoding="utf-8",
    )
    build, evaluation = [], []
    for document, sentence in corpus_sentences(args.corpus):
        (evaluation if is_eval_document(document) else build).append(sentence)
    interface = l10n_texts(args.l10n, set(evaluation))
    CONTEXT_FILE.write_text(
        "# Neighbour counts of one-to-many characters in Taiwan-standard text: the build half\n"
        "# of libreoffice-help-zh-tw (MPL-2.0) and debian-reference-zh-tw (GPL-2+); the\n"
        "# interface translations of libreoffice-l10n-zh-tw, firefox-esr-l10n-zh-tw and\n"
        "# thunderbird-l10n-zh-tw (MPL-2.0) and Django's and Wagtail's zh_Hant catalogues\n"
        "# (BSD-3-Clause). Sources: benchmarks/README.md.\n"
        "# char TAB side (L: neighbour before, R: after, *: all) TAB neighbour TAB form:count\n"
        "# Regenerate with python -m tongxin.scripts.build_tables\n"
        + "\n".join(build_context(build + interface))
        + "\n",
        encoding="utf-8",
    )
    EVAL_FILE.parent.mkdir(parents=True, exist_ok=True)
    EVAL_FILE.write_text("\n".join(evaluation) + "\n", encoding="utf-8")
    print(
        f"{len(phrases)} phrases, {len(build)} build / {len(evaluation)} eval sentences, "
        f"{len(interface)} interface messages"
    )


if __name__ == "__main__":
    main()
