"""Scalar values of the exchange format: parsed on import, formatted on export.

Both directions meet in one "canonical" Python form (date, aware datetime, Decimal,
ImageFile), so the importer can tell whether a page changed by comparing the canonical form
of the file with the canonical form of what the site holds.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone


class Invalid(ValueError):
    """A value of the wrong shape; the message names what was expected."""


DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# ISO 8601 with a time; seconds, fractions and the offset optional ("Z" allowed).
DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?"
)
# Amounts fit the models' DecimalField(max_digits=14, decimal_places=2).
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class ImageFile:
    """An image in a body. Two are the same image when their SHA-1 hashes match.

    `path` (a file to import) and `image` (a stored image to export) ride along without
    taking part in comparisons.
    """

    sha1: str
    path: str | None = field(default=None, compare=False)
    image: object = field(default=None, compare=False, repr=False)


def parse_date(value):
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        raise Invalid("not a date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid("not a date") from exc


def parse_datetime(value):
    """An ISO datetime; one without an offset is in the site's time zone."""
    if not isinstance(value, str) or not DATETIME_RE.fullmatch(value):
        raise Invalid("not a datetime")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise Invalid("not a datetime") from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def parse_date_or_datetime(value):
    """`date` of a page: a day, or a moment. A moment at local midnight is just a day."""
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        return parse_date(value)
    try:
        return page_date(parse_datetime(value))
    except Invalid as exc:
        raise Invalid("not a date") from exc


def page_date(value):
    """Canonical form of a page's date: a date when it is local midnight, else a datetime."""
    if value is None or not isinstance(value, dt.datetime):
        return value
    local = timezone.localtime(value)
    if local.time() == dt.time(0, 0):
        return local.date()
    return local


def to_datetime(value):
    """The aware datetime a DateTimeField stores for a canonical date or datetime."""
    if isinstance(value, dt.datetime) or value is None:
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time(0, 0)))


def parse_amount(value):
    # bool is an int in Python; true is not an amount.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid("not a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise Invalid("not a number") from exc
    if not amount.is_finite():
        raise Invalid("not a number")
    if amount < 0:
        raise Invalid("must not be negative")
    if amount > MAX_AMOUNT:
        raise Invalid(f"must be at most {MAX_AMOUNT}")
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid("at most two decimal places (fen)")
    return amount


def format_amount(amount):
    """Yuan as a JSON number: 1280000 rather than "1280000.00"."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def to_json(value, image_ref):
    """Canonical values → JSON-ready values. `image_ref(ImageFile)` gives an image's `file`."""
    if isinstance(value, dict):
        return {key: to_json(item, image_ref) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item, image_ref) for item in value]
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, ImageFile):
        return image_ref(value)
    return value


def compact(**items):
    """A dict without the keys whose value is empty, the way both sides leave them out."""
    return {key: value for key, value in items.items() if value not in (None, "", [], {})}
