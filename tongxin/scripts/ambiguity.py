"""The ambiguity report: every one-to-many simplified character in a text and what the
traditional rendition made of it, for the editors' panel."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import opencc

from . import words
from .engine import (
    AMBIGUOUS_FILE,
    DEFAULT_VARIANT,
    HANS,
    HANT,
    Rules,
    _as_rules,
    _converter,
    _opencc,
    _Stream,
    config_for,
    plain_converter,
)
from .words import analyse, standalone

# --------------------------------------------------------------------------- ambiguity report


def _load_ambiguous(path: Path = AMBIGUOUS_FILE) -> dict[str, tuple[str, ...]]:
    table = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            char, _, candidates = line.partition("\t")
            table[char] = tuple(candidates.split())
    return table


@functools.cache
def ambiguous_characters(variant: str = DEFAULT_VARIANT) -> dict[str, tuple[str, ...]]:
    """Simplified character -> its traditional candidates in ``variant``'s character forms.

    Only characters that still have two or more candidates after the variant's form
    normalisation are listed (TW folds 着/著 into 著, for example).
    """
    config_for(HANS, HANT, variant)
    base = _load_ambiguous()
    # The candidates are OpenCC standard forms; show them as the variant will print them.
    normalise = {"tw": "t2tw", "hk": "t2hk"}.get(variant)
    normalise = _converter(normalise) if normalise else None
    table = {}
    for char, candidates in base.items():
        if normalise is not None:
            candidates = tuple(dict.fromkeys(normalise.convert(c) for c in candidates))
        if len(candidates) > 1:
            table[char] = candidates
    return table


# How much an editor should look at a row, most first. "" : a dictionary word decided it and
# nothing in the sentence disputes that word (后来, 头发): not context-dependent.
RISKS = ("high", "medium", "low", "")
CONTEXT_CHARS = 6
# Characters whose form on their own (outside any word) really depends on the sentence: the
# context model's and the surnames'. 了, 后, 里 standing alone are 了, 後, 裡 all but always.
CONTEXT_DEPENDENT = words.CONTEXT_CHARS | frozenset(words.SURNAME_FORMS)


def _rendered_chars(
    run: str, plain, indexes: list[int], open_left: bool = False, open_right: bool = False
):
    """``{index: (rendered, plain OpenCC, Decision or None)}`` for the word-aware rendition.

    ``plain``: OpenCC alone (``engine.plain_converter``); ``open_left``/``open_right``: a
    rule matched next to the run, as in the rendition (``words.analyse``)."""
    converted = plain(run)
    if len(converted) != len(run):
        # A phrase changed length somewhere: decide each character from its neighbourhood.
        result = {}
        for i in indexes:
            lo = max(0, i - 4)
            window = run[lo : i + 5]
            out = plain(window)
            ch = out[i - lo] if len(out) == len(window) else plain(run[i])
            result[i] = (ch, ch, None)
        return result
    rendered, decisions = analyse(run, plain, open_left, open_right)
    return {i: (rendered[i], converted[i], decisions.get(i)) for i in indexes}


def _risk(run: str, i: int, decision, by_rule: bool) -> tuple[str, str]:
    """``(risk, reason)`` of one one-to-many character of ``run``."""
    if by_rule:
        return "low", "转换规则或“原样”标记"
    if decision is not None:
        return "medium", decision.reason
    if run[i] in CONTEXT_DEPENDENT and standalone(run, i):
        return "high", "单字不成词，按 OpenCC 默认字形，请核对"
    return "", "词典词"


def ambiguous_report(
    text: str,
    *,
    variant: str = DEFAULT_VARIANT,
    rules: Rules | Iterable | None = None,
    only_context: bool = False,
) -> list[dict]:
    """Every one-to-many simplified character in ``text`` and how it will be rendered.

    ``text`` is simplified source (runs wrapped as traditional are skipped). Each item:
    ``char``, ``position`` (index in ``text``), ``context`` (up to 4 characters either side,
    markers removed), ``before``/``after`` (a wider context, cut at line ends),
    ``rendered`` (what the traditional rendition shows), ``opencc`` (what OpenCC alone
    would show), ``candidates``, ``by_rule`` (a rule or a ``-{...}-`` span decided it),
    ``risk`` (high: a lone character on OpenCC's default form; medium: the word-aware
    pass decided; low: a rule decided; "": an undisputed dictionary word) and ``reason``.

    ``only_context`` leaves out the "" rows and sorts the rest by risk: the editors' panel.
    """
    rules = _as_rules(rules)
    table = ambiguous_characters(variant)
    if not text or not any(ch in table for ch in text):
        return []
    conv = _converter(config_for(HANS, HANT, variant))
    found = rules.matcher(HANS) if rules else None
    stream = _Stream(HANS, HANT, variant, rules)
    report = []

    chunks = list(stream.chunks(text))
    # Context is cut from the marker-free text so it never shows half a marker.
    clean = "".join(chunk for _, chunk, _, _ in chunks)
    clean_at = {}
    cursor = 0
    for offset, chunk, _, _ in chunks:
        clean_at[offset] = cursor
        cursor += len(chunk)

    def add(position, chunk_offset, rendered, by_rule, opencc_form, risk, reason):
        at = clean_at[chunk_offset] + position - chunk_offset
        before = clean[max(0, at - CONTEXT_CHARS) : at].rpartition("\n")[2]
        after = clean[at + 1 : at + 1 + CONTEXT_CHARS].partition("\n")[0]
        report.append(
            {
                "char": text[position],
                "position": position,
                "context": clean[max(0, at - 4) : at + 5],
                "before": before,
                "after": after,
                "rendered": rendered,
                "opencc": opencc_form,
                "candidates": list(table[text[position]]),
                "by_rule": by_rule,
                "risk": risk,
                "reason": reason,
            }
        )

    for offset, chunk, origin, keeping in chunks:
        if origin != HANS:
            continue
        if keeping:
            for i, ch in enumerate(chunk):
                if ch in table:
                    add(
                        offset + i,
                        offset,
                        ch,
                        True,
                        _opencc(conv, ch),
                        *_risk(chunk, i, None, True),
                    )
            continue
        pieces = []  # (start in chunk, end, rule rendition or None)
        pos = 0
        if found is not None:
            regex, mapping = found
            for match in regex.finditer(chunk):
                pieces.append((pos, match.start(), None))
                pieces.append((match.start(), match.end(), mapping[match.group()]))
                pos = match.end()
        pieces.append((pos, len(chunk), None))
        for start, end, rendition in pieces:
            piece = chunk[start:end]
            indexes = [i for i, ch in enumerate(piece) if ch in table]
            if not indexes:
                continue
            if rendition is not None:
                plain = _opencc(conv, piece)
                for i in indexes:
                    same_length = len(rendition) == len(piece)
                    add(
                        offset + start + i,
                        offset,
                        rendition[i] if same_length else rendition,
                        True,
                        plain[i] if len(plain) == len(piece) else plain,
                        *_risk(piece, i, None, True),
                    )
                continue
            rendered = _rendered_chars(
                piece,
                plain_converter(config_for(HANS, HANT, variant)),
                indexes,
                start > 0,
                end < len(chunk),
            )
            for i in indexes:
                form, plain_form, decision = rendered[i]
                add(
                    offset + start + i,
                    offset,
                    form,
                    False,
                    plain_form,
                    *_risk(piece, i, decision, False),
                )
    if only_context:
        report = [item for item in report if item["risk"]]
        report.sort(key=lambda item: (RISKS.index(item["risk"]), item["position"]))
    return report


# --------------------------------------------------------------------------- data file


def build_ambiguous_file() -> str:
    """Regenerate ambiguous.txt from the STCharacters dictionary shipped with OpenCC.

    The wheel ships only the binary .ocd2 form; its ``opencc_dict`` tool dumps it as text.
    """
    import subprocess
    import tempfile

    share = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        dumped = Path(tmp) / "STCharacters.txt"
        subprocess.run(  # noqa: S603 - fixed argv, no shell, paths inside the wheel
            [
                str(share / "bin" / "opencc_dict"),
                "-i",
                str(share / "share" / "opencc" / "STCharacters.ocd2"),
                "-o",
                str(dumped),
                "-f",
                "ocd2",
                "-t",
                "text",
            ],
            check=True,
            capture_output=True,
        )
        lines = dumped.read_text(encoding="utf-8").splitlines()
    entries = []
    for line in lines:
        char, _, candidates = line.partition("\t")
        if len(candidates.split()) > 1:
            entries.append(f"{char}\t{candidates}")
    header = [
        "# Simplified characters with more than one traditional form (OpenCC STCharacters),",
        f"# OpenCC {opencc.__version__}. Format: simplified TAB candidates separated by spaces,",
        "# OpenCC standard forms; the variant's forms are derived at load time.",
        "# Regenerate: python -m tongxin.scripts.ambiguity > tongxin/scripts/ambiguous.txt",
    ]
    return "\n".join(header + sorted(entries)) + "\n"


if __name__ == "__main__":
    print(build_ambiguous_file(), end="")
