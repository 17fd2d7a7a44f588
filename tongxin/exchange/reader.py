"""Reading JSON objects field by field, collecting every problem instead of stopping.

An error reads `<item>: <field>: <problem>`, e.g.
`pages[4] /gushi/xiaoshan/: consent.expires_on: not a date`: the item's index and its path
or key, then the field's path inside the item.
"""

import re
from urllib.parse import urlsplit

from .values import Invalid, parse_amount, parse_date, parse_datetime

# StringListField stores one item per line and splits on these when reading back, so an
# item containing one would come back as two.
LIST_SEPARATORS = re.compile(r"[\n,，、;；]")


class DuplicateKeysDict(dict):
    """A JSON object that remembers the keys it had more than once (json keeps the last)."""

    duplicate_keys = ()


def object_pairs_hook(pairs):
    result = DuplicateKeysDict(pairs)
    if len(result) != len(pairs):
        seen, duplicates = set(), []
        for key, _ in pairs:
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        result.duplicate_keys = tuple(duplicates)
    return result


class Report:
    def __init__(self):
        self.errors = []

    def add(self, where, field, message):
        self.errors.append(": ".join(part for part in (where, field, message) if part))


class Reader:
    """One JSON object of the file; `where` names its item, `prefix` its place inside it."""

    def __init__(self, report, where, data, keys, prefix=""):
        self.report, self.where, self.data, self.prefix = report, where, data, prefix
        for key in data:
            if key not in keys:
                self.error(key, "unknown key")
        for key in getattr(data, "duplicate_keys", ()):
            self.error(key, "duplicate key")

    def error(self, key, message):
        self.report.add(self.where, f"{self.prefix}{key}", message)

    def has(self, key):
        return self.data.get(key) is not None

    def get(self, key, parse, required=False, default=None):
        """The parsed value; `default` when absent (null counts as absent) or invalid."""
        if not self.has(key):
            if required:
                self.error(key, "required")
            return default
        try:
            return parse(self.data[key])
        except Invalid as exc:
            self.error(key, str(exc))
            return default

    def child(self, key, keys, required=False):
        """A nested object as a Reader, or None."""
        value = self.get(key, as_object, required=required)
        if value is None:
            return None
        return Reader(self.report, self.where, value, keys, prefix=f"{self.prefix}{key}.")

    def children(self, key, keys, required=False, min_items=0):
        """A list of objects as Readers; problems with the list itself are reported here."""
        items = self.get(key, as_list, required=required, default=[])
        if self.has(key) and len(items) < min_items:
            self.error(key, f"needs at least {min_items} item(s)")
        readers = []
        for index, item in enumerate(items):
            name = f"{key}[{index}]"
            if not isinstance(item, dict):
                self.error(name, "not an object")
                continue
            readers.append(Reader(self.report, self.where, item, keys, f"{self.prefix}{name}."))
        return readers


def as_object(value):
    if not isinstance(value, dict):
        raise Invalid("not an object")
    return value


def as_list(value):
    if not isinstance(value, list):
        raise Invalid("not a list")
    return value


def text(max_length=None, blank=True):
    def parse(value):
        if not isinstance(value, str):
            raise Invalid("not a string")
        if not blank and not value.strip():
            raise Invalid("must not be empty")
        if max_length and len(value) > max_length:
            raise Invalid(f"longer than {max_length} characters")
        return value

    return parse


def choice(options):
    def parse(value):
        if value not in options:
            raise Invalid("must be one of " + ", ".join(f'"{o}"' for o in options))
        return value

    return parse


def boolean(value):
    if not isinstance(value, bool):
        raise Invalid("not true or false")
    return value


def integer(minimum=None, maximum=None):
    def parse(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("not an integer")
        if minimum is not None and value < minimum:
            raise Invalid(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise Invalid(f"must be at most {maximum}")
        return value

    return parse


def strings(max_length=None, separators_allowed=False, blank=False):
    """A list of strings; stored lists cannot hold separators, so those are refused."""
    item = text(max_length, blank=blank)

    def parse(value):
        values = []
        for index, entry in enumerate(as_list(value)):
            try:
                entry = item(entry)
            except Invalid as exc:
                raise Invalid(f"item {index + 1}: {exc}") from exc
            if not separators_allowed and LIST_SEPARATORS.search(entry):
                raise Invalid(f"item {index + 1}: must not contain , 、 ; or a line break")
            if entry not in values:
                values.append(entry)
        return values

    return parse


def url(schemes=("https",), max_length=500):
    def parse(value):
        value = text(max_length)(value)
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError as exc:
            raise Invalid("not a URL") from exc
        if parts.scheme not in schemes or not parts.hostname:
            raise Invalid("not a URL starting with " + " or ".join(f"{s}://" for s in schemes))
        if any(c.isspace() for c in value):
            raise Invalid("URLs cannot contain spaces")
        return value

    return parse


date = parse_date
datetime = parse_datetime
amount = parse_amount
