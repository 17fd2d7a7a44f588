"""Money, counts and dates the way Chinese reports write them: one formatter for each,
used by templates (through tongxin_tags' filters), feeds, blocks and models alike."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone


def _decimal(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _plain(number):
    """A Decimal without trailing zeros, thousands separated: 3500 → 3,500; 186.240 → 186.24."""
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def yuan(value):
    """An amount in yuan, written the way Chinese reports write money.

    - Below 10,000: exact, thousands separated, cents only when there are any:
      0 → "0 元", 1234 → "1,234 元", 12.5 → "12.50 元".
    - From 10,000, when exact to the hundred yuan (so at most two decimals of 万): in 万元,
      trailing zeros dropped: 360000 → "36 万元", 1862400 → "186.24 万元",
      35000000 → "3,500 万元".
    - From 100,000,000, when exact to the million: in 亿元: 250000000 → "2.5 亿元".
    - Anything else stays exact in 元 rather than being rounded, because these figures are
      donation disclosures: 12345.5 → "12,345.50 元", 1862437 → "1,862,437 元".
    - None or "" → ""; a value that is not a number is returned unchanged.
    """
    amount = _decimal(value)
    if amount is None:
        return "" if value is None or value == "" else value
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 100_000_000 and amount % 1_000_000 == 0:
        return f"{sign}{_plain(amount / 100_000_000)} 亿元"
    if amount >= 10_000 and amount % 100 == 0:
        return f"{sign}{_plain(amount / 10_000)} 万元"
    if amount == amount.to_integral_value():
        return f"{sign}{int(amount):,} 元"
    return f"{sign}{amount:,.2f} 元"


def format_amount(value, currency="CNY"):
    """An amount the way Chinese reports write money (36 万元, 3,500 万元, 1,234 元); other
    currencies exact with their code (1,234.50 HKD). None → ""."""
    if value is None or value == "":
        return ""
    currency = (currency or "CNY").upper()
    if currency in ("CNY", "RMB"):
        return yuan(value)
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{int(amount):,} {currency}"
    return f"{amount:,.2f} {currency}"


def figure_value(raw):
    """A key figure's value as shown: long whole numbers grouped (10760 → 10,760), anything
    an editor wrote otherwise (3500, 3.5, 约 300) as written."""
    value = str(raw or "").strip()
    if value.isdigit() and len(value) > 4:
        return f"{int(value):,}"
    return value


def cn_date(value):
    """A date the Chinese way, no leading zeros: 2026-03-01 → "2026年3月1日".

    Aware datetimes are shown in the site's time zone (Asia/Shanghai); ISO strings are read.
    """
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, date):
        return value
    return f"{value.year}年{value.month}月{value.day}日"
