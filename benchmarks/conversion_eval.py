"""How right the traditional rendition is: Tongxin against plain OpenCC s2tw, on real text.

    .venv/bin/python benchmarks/conversion_eval.py [--set tw|news|news-heldout|all]
                                                   [--misses N]
                                                   [--sentences FILE]

Each sentence is real Taiwan-standard text (or, for the news set, a hand-checked rendition);
its simplified form (OpenCC ``tw2s``, for the real text) is converted back by both engines
and compared with the original. 台 and 臺 count as the same character. Prints, per set:
sentence accuracy, character error rate, and the sentences each engine gets wrong. Then the
speed of both on a 10,000-character article made of the evaluation text.

The sets, their sources and licences are in benchmarks/README.md. The shipped tables are
built from the other half of the same corpus (``tongxin.scripts.build_tables``): nothing
here was used to build or tune them. No Django, no database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from tongxin.scripts.domain import domain_pairs  # noqa: E402
from tongxin.scripts.engine import HANS, HANT, Rules, convert_text  # noqa: E402
from tongxin.scripts.words import clear_caches  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "tw": DATA / "tw_eval.txt",
    "news": DATA / "news_names.tsv",
    "news-heldout": DATA / "news_names_heldout.tsv",
}
ARTICLE_CHARS = 10_000
SAME = str.maketrans({"臺": "台"})


def load(path: Path) -> list[tuple[str, str]]:
    """``(simplified, expected traditional)`` pairs."""
    to_simplified = opencc.OpenCC("tw2s")
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if "\t" in line:
            simplified, expected = line.split("\t")
        else:
            simplified, expected = to_simplified.convert(line), line
        pairs.append((simplified, expected))
    return pairs


def edit_distance(a: str, b: str) -> int:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True))
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def engines():
    plain = opencc.OpenCC("s2tw")
    rules = Rules(domain_pairs())

    def tongxin(text: str) -> str:
        return convert_text(text, source=HANS, target=HANT, variant="tw", rules=rules)

    return {"OpenCC s2tw": plain.convert, "Tongxin": tongxin}


def score(name: str, pairs, convert, misses: int) -> None:
    right = errors = chars = 0
    wrong = []
    for simplified, expected in pairs:
        got = convert(simplified).translate(SAME)
        want = expected.translate(SAME)
        chars += len(want)
        if got == want:
            right += 1
            continue
        errors += edit_distance(got, want)
        wrong.append((want, got))
    print(
        f"  {name:12} sentences right {right}/{len(pairs)} = {right / len(pairs):.2%}"
        f"   character error rate {errors / max(chars, 1):.4%}"
    )
    for want, got in wrong[:misses]:
        marks = "".join("^" if a != b else "　" for a, b in zip(want, got, strict=False))
        print(f"      want {want}\n      got  {got}\n           {marks.rstrip('　')}")
    if len(wrong) > misses:
        print(f"      … {len(wrong) - misses} more")


def articles(pairs, count: int) -> list[str]:
    """``count`` different 10,000-character articles cut from the set's simplified text
    (starting at different sentences, wrapping round), so that no run repeats the last."""
    text = "".join(simplified for simplified, _ in pairs)
    while len(text) < ARTICLE_CHARS * 2:
        text += text
    step = max(1, (len(text) - ARTICLE_CHARS) // count)
    return [text[k * step : k * step + ARTICLE_CHARS] for k in range(count)]


def speed(label: str, pairs, convs, rounds: int = 15) -> None:
    """Both engines on the same article, one right after the other (alternating which goes
    first), on ``rounds`` different articles. Time is this thread's CPU time, so the other
    processes of a shared machine do not count; the ratio is taken per article."""
    texts = articles(pairs, rounds + 1)
    for convert in convs.values():
        convert(texts[-1])  # load dictionaries and jieba outside the timing
    names = list(convs)
    base_name = names[0]
    timings = {name: [] for name in names}
    ratios = {name: [] for name in names[1:]}
    for k, article in enumerate(texts[:rounds]):
        clear_caches()
        taken = {}
        for name in names if k % 2 == 0 else names[::-1]:
            start = time.thread_time()
            convs[name](article)
            taken[name] = time.thread_time() - start
        for name in names:
            timings[name].append(taken[name])
        for name in ratios:
            ratios[name].append(taken[name] / taken[base_name])
    print(
        f"\nspeed, {rounds} different {ARTICLE_CHARS:,}-character articles of {label} "
        "(CPU time, median; the ratio's median and range over the articles):"
    )
    for name in names:
        seconds = statistics.median(timings[name])
        line = f"  {name:12} {seconds * 1000:7.2f} ms"
        if name in ratios:
            got = sorted(ratios[name])
            line += f"   {statistics.median(got):4.2f}x OpenCC ({got[0]:.2f}x–{got[-1]:.2f}x)"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--misses", type=int, default=20, help="wrong sentences to print")
    parser.add_argument("--sentences", type=Path, help="another file of sentences to score")
    parser.add_argument("--speed-only", action="store_true", help="skip the scoring")
    args = parser.parse_args()

    chosen = {"file": args.sentences} if args.sentences else SETS
    if args.set != "all" and not args.sentences:
        chosen = {args.set: SETS[args.set]}
    convs = engines()
    loaded = {}
    for label, path in {} if args.speed_only else chosen.items():
        loaded[label] = pairs = load(path)
        print(f"\n{label}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        for name, convert in convs.items():
            score(name, pairs, convert, args.misses)
    for label in ("tw", "news"):
        if label in loaded or args.speed_only:
            pairs = loaded.get(label) or load(SETS[label])
            speed("tw_eval.txt" if label == "tw" else "name-dense news", pairs, convs)


if __name__ == "__main__":
    main()
