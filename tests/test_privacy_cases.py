"""The privacy check on our own set of story sentences (tests/privacy_cases/cases.json).

Each case is a realistic sentence from a story, in simplified or traditional characters, with
the identity record of its child; leaky ones hold one identifying item, clean ones the
vocabulary of welfare stories (officials with titles, hotlines, amounts, event dates, 山村,
农村…). The `tune` cases must each come out right; on the held-out splits, which the
patterns were not tuned on, the targets are those of issue 15: at least 95 % of leaky texts
held back, at most 5 % of clean ones. `benchmarks/privacy_eval.py` prints the figures.
"""

import json
import re
import sys
from pathlib import Path

import pytest

from stories.privacy import KINDS, collect_private_values, find_leaks

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from privacy_eval import CASES_DIR, evaluate, held_back, load_cases  # noqa: E402

RECORDS, CASES = load_cases()
TUNE = [c for c in CASES if c["split"] == "tune"]


def test_the_set_is_large_and_varied():
    assert len(CASES) >= 100
    assert sum(c["leaky"] for c in CASES) >= 50
    assert sum(not c["leaky"] for c in CASES) >= 40
    traditional = re.compile("[們這裡說學縣鄉鎮號書歲醫]")
    assert sum(bool(traditional.search(c["text"])) for c in CASES) >= 20
    assert {c["split"] for c in CASES} >= {"tune", "holdout"}


def test_every_kind_is_in_the_set():
    found = set()
    for case in CASES:
        if case["leaky"]:
            found |= {leak.kind for leak in held_back(RECORDS, case)}
    assert found >= set(KINDS) - {"id_card"}, set(KINDS) - found


@pytest.mark.parametrize("case", TUNE, ids=[f"{c['kind']}-{i}" for i, c in enumerate(TUNE)])
def test_tune_case(case):
    leaks = held_back(RECORDS, case)
    if case["leaky"]:
        assert leaks, f"not held back: {case['text']}"
    else:
        assert leaks == [], [leak.message for leak in leaks]


@pytest.mark.parametrize("split", sorted({c["split"] for c in CASES} - {"tune"}))
def test_held_out_targets(split):
    r = evaluate(RECORDS, [c for c in CASES if c["split"] == split])[split]
    recall = r["tp"] / (r["tp"] + r["fn"])
    false_alarms = r["fp"] / (r["fp"] + r["tn"])
    assert recall >= 0.95, [c["text"] for c in r["misses"] if c["leaky"]]
    assert false_alarms <= 0.05, [c["text"] for c in r["misses"] if not c["leaky"]]


def test_messages_of_the_set_never_show_the_identifier_whole():
    """Every finding is masked (a class, 五(2)班, is shown as is: it names no one alone): the
    person publishing may not know the identity."""
    for case in CASES:
        if not case["leaky"]:
            continue
        record = RECORDS.get(case["record"], {})
        values = [v for v in collect_private_values(record) if len(v) >= 3]
        for leak in find_leaks({"正文": case["text"]}, values):
            if leak.kind != "school_class":
                assert leak.match not in leak.message or len(leak.match) <= 2, leak.message
            assert leak.advice


def test_cases_file_is_valid_json_with_known_records():
    data = json.loads((Path(__file__).parent / "privacy_cases" / "cases.json").read_text())
    for case in data["cases"]:
        assert case["record"] in data["records"]
        assert set(case) == {"split", "leaky", "kind", "record", "text"}


# --- the second held-out set (holdout_a15.json) ----------------------------------------------
# Whole stories of three to six sentences written from issue 15 alone, before its misses
# were looked at: every kind the issue names, in both scripts, each leaky story with one
# identifying item, and clean ones with the public numbers, dates, counts, county-level
# places, officials, historical figures and pseudonyms of real welfare stories.

SECOND = CASES_DIR / "holdout_a15.json"
RECORDS2, CASES2 = load_cases(SECOND)


def test_the_second_set_is_large_and_varied():
    leaky = [c for c in CASES2 if c["leaky"]]
    clean = [c for c in CASES2 if not c["leaky"]]
    assert len(leaky) >= 80 and len(clean) >= 60
    traditional = re.compile("[們這裡說學縣鄉鎮號書歲醫]")
    assert sum(bool(traditional.search(c["text"])) for c in leaky) >= 20
    assert sum(bool(traditional.search(c["text"])) for c in clean) >= 10
    sentences = re.compile("[。！？!?]")
    assert all(3 <= len(sentences.findall(c["text"])) <= 6 for c in CASES2)
    found = set()
    for case in leaky:
        found |= {leak.kind for leak in held_back(RECORDS2, case)}
    assert found == set(KINDS), set(KINDS) - found


def test_the_second_set_meets_the_targets():
    r = evaluate(RECORDS2, CASES2)["holdout_a15"]
    recall = r["tp"] / (r["tp"] + r["fn"])
    false_alarms = r["fp"] / (r["fp"] + r["tn"])
    assert recall >= 0.95, [c["text"] for c in r["misses"] if c["leaky"]]
    assert false_alarms <= 0.05, [c["text"] for c in r["misses"] if not c["leaky"]]


def test_the_second_set_file_is_valid():
    data = json.loads(SECOND.read_text(encoding="utf-8"))
    for case in data["cases"]:
        assert case["record"] in data["records"]
        assert set(case) == {"split", "leaky", "kind", "record", "text"}
        assert case["split"] == "holdout_a15"
