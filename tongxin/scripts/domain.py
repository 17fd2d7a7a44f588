"""The phrase rules shipped with Tongxin (``domain_rules.txt``), read without Django."""

import functools
from pathlib import Path

DOMAIN_RULES_FILE = Path(__file__).with_name("domain_rules.txt")


@functools.cache
def domain_pairs() -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in DOMAIN_RULES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            hans, hant = line.split("\t")
            pairs.append((hans.strip(), hant.strip()))
    return tuple(pairs)
