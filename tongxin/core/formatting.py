"""Money, counts and dates the way Chinese reports write them: one formatter for each,
used by templates (through tongxin_tags' filters), feeds, blocks and models alike."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


# The units money is written in: (threshold, divisor, suffix), largest first.
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _unit_for(amount):
    """The unit an amount is written in: 亿 from 100 million when exact to the million, 万
    from ten thousand, otherwise 元."""
    if amount >= YI and amount % 1_000_000 == 0:
        return YI, "亿元"
    if amount >= WAN:
        return WAN, "万元"
    return Decimal(1), "元"


def _in_unit(amount, unit):
    divisor, suffix = unit
    if divisor == 1 or amount == 0 or amount < 100:
        # Exact yuan: below ten thousand, and the odd few yuan beside a figure in 万.
        if amount == amount.to_integral_value():
            return f"{int(amount):,} 元"
        return f"{amount:,.2f} 元"
    scaled = (amount / divisor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{_plain(scaled)} {suffix}"


def yuan(value, unit_of=None):
    """An amount in yuan, written the way Chinese reports write money: one style for every
    figure on every page, feed and widget.

    - Below 10,000: exact, thousands separated, cents only when there are any:
      0 → "0 元", 1234 → "1,234 元", 12.5 → "12.50 元".
    - From 10,000: in 万元, at most two decimals (to the hundred yuan, rounded half up),
      trailing zeros dropped: 360000 → "36 万元", 312560 → "31.26 万元",
      35000000 → "3,500 万元".
    - From 100,000,000, when exact to the million: in 亿元: 250000000 → "2.5 亿元".
    - `unit_of`: another amount on the same line (raised / target) whose unit this one is
      written in, so a line never mixes 元 and 万元: yuan(5000, unit_of=300000) → "0.5 万元".
    - None or "" → ""; a value that is not a number is returned unchanged.
    """
    amount = _decimal(value)
    if amount is None:
        return "" if value is None or value == "" else value
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    other = _decimal(unit_of)
    unit = _unit_for(max(amount, abs(other)) if other is not None else amount)
    if unit[0] == YI and amount % 1_000_000:
        unit = (WAN, "万元")
    return f"{sign}{_in_unit(amount, unit)}"


def format_amount(value, currency="CNY", unit_of=None):
    """An amount the way Chinese reports write money (36 万元, 3,500 万元, 1,234 元; `unit_of`
    as for `yuan`); other currencies exact with their code (1,234.50 HKD). None → ""."""
    if value is None or value == "":
        return ""
    currency = (currency or "CNY").upper()
    if currency in ("CNY", "RMB"):
        return yuan(value, unit_of)
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{int(amount):,} {currency}"
    return f"{amount:,.2f} {currency}"


def format_amounts(values, currency="CNY"):
    """Amounts shown side by side (a donation's suggested amounts) in one unit: in 元 when
    any of them is below ten thousand (30 元, 100 元, 10,000 元), each as `format_amount`
    otherwise (1 万元, 5 万元)."""
    amounts = [_decimal(value) for value in values]
    currency = (currency or "CNY").upper()
    if currency in ("CNY", "RMB") and any(a is not None and abs(a) < WAN for a in amounts):
        return [
            "" if a is None else ("-" if a < 0 else "") + _in_unit(abs(a), (Decimal(1), "元"))
            for a in amounts
        ]
    return [format_amount(value, currency) for value in values]


def figure_value(raw):
    """A key figure's value as shown, grouped like money (10760 → 10,760, 1286 → 1,286,
    3500 → 3,500, 1234.5 → 1,234.5); anything else an editor wrote (3.5, 约 300) as written.
    Counts stay exact (10,760 名): only money switches to 万 (see `yuan`)."""
    value = str(raw or "").strip()
    whole, dot, fraction = value.partition(".")
    if whole.isdigit() and (not dot or fraction.isdigit()) and len(whole) > 3:
        return f"{int(whole):,}{dot}{fraction}"
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
