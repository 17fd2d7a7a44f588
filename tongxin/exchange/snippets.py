"""Upserting the site-wide items: settings, conversion rules, organizations, funds.

Items are found by their key (a rule by its simplified phrase) and only saved when a value
differs, so a repeated import writes nothing. Items the file does not mention are left
alone: an import adds and updates, it never deletes.
"""

from collections import Counter

from campaigns.models import DonationHost, Fund, Organization
from tongxin.scripts.models import ConversionRule, ScriptSettings


def upsert(model, lookup, values, counts):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        counts["created"] += 1
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        counts["unchanged"] += 1
        return
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    counts["updated"] += 1


def write_settings(document, counts):
    for host in document.hosts:
        _, created = DonationHost.objects.get_or_create(host=host)
        counts["created" if created else "unchanged"] += 1
    if document.hant_variant:
        settings = ScriptSettings.load()
        if settings.hant_variant != document.hant_variant:
            settings.hant_variant = document.hant_variant
            settings.save(update_fields=["hant_variant"])
            counts["updated"] += 1


def write_snippets(document):
    """Write everything but pages; return the counts of created/updated/unchanged items."""
    counts = Counter()
    write_settings(document, counts)
    for rule in document.rules:
        upsert(ConversionRule, {"hans": rule["hans"]}, {"hant": rule["hant"]}, counts)
    for org in document.organizations:
        values = {k: v for k, v in org.items() if k != "key"}
        upsert(Organization, {"key": org["key"]}, values, counts)
    org_pks = dict(Organization.objects.values_list("key", "pk"))
    for fund in document.funds:
        values = {k: v for k, v in fund.items() if k not in ("key", "organization", "custodian")}
        values["organization_id"] = org_pks[fund["organization"]]
        values["custodian_id"] = org_pks.get(fund["custodian"])
        upsert(Fund, {"key": fund["key"]}, values, counts)
    return counts
