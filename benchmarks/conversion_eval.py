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


def speed(pairs, convs) -> None:
    article = "".join(simplified for simplified, _ in pairs)
    while len(article) < ARTICLE_CHARS:
        article += article
    article = article[:ARTICLE_CHARS]
    for convert in convs.values():
        convert(article)  # load dictionaries and jieba outside the timing
    timings = {}
    for name, convert in convs.items():
        runs = []
        for _ in range(15):
            start = time.perf_counter()
            convert(article)
            runs.append(time.perf_counter() - start)
        timings[name] = statistics.median(runs)
    base = timings["OpenCC s2tw"]
    print(f"\nspeed, one {ARTICLE_CHARS:,}-character article (median of 15):")
    for name, seconds in timings.items():
        print(f"  {name:12} {seconds * 1000:7.2f} ms   {seconds / base:4.2f}x OpenCC")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--misses", type=int, default=20, help="wrong sentences to print")
    parser.add_argument("--sentences", type=Path, help="another file of sentences to score")
    args = parser.parse_args()

    chosen = {"file": args.sentences} if args.sentences else SETS
    if args.set != "all" and not args.sentences:
        chosen = {args.set: SETS[args.set]}
    convs = engines()
    loaded = {}
    for label, path in chosen.items():
        loaded[label] = pairs = load(path)
        print(f"\n{label}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        for name, convert in convs.items():
            score(name, pairs, convert, args.misses)
    speed(next(iter(loaded.values())), convs)


if __name__ == "__main__":
    main()
