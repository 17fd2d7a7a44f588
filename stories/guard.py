"""The privacy guard: may this story be published, and if not, what must the editor fix?

It runs wherever a story can go live: the admin's publish button (StoryForm), workflow
approval and scheduled publishing (StoryPage.publish), and import (tongxin.exchange).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import opencc
from django.utils import timezone
from django.utils.translation import gettext

from tongxin.core.bulk import remembered

from .privacy import collect_private_values, find_leaks, find_name_warnings


@dataclass(frozen=True)
class Problem:
    field: str
    kind: str
    message: str

    def __str__(self):
        return f"{self.field}: {self.message}"


BLOCK_TEXT_KEYS = {
    "quote": [("text", "引语"), ("attribution", "引语出处")],
    "image": [("alt", "替代文字"), ("caption", "图注"), ("credit", "署名")],
    "video": [("caption", "视频说明")],
    "donate": [("heading", "捐款标题"), ("text", "捐款说明")],
}


def block_fields(body):
    """(label, text) for every piece of text a reader can see in a StreamField body."""
    for position, block in enumerate(body or [], start=1):
        prefix = f"正文第 {position} 块"
        value = block.value
        if block.block_type == "paragraph":
            yield f"{prefix}（段落）", value.source if hasattr(value, "source") else str(value)
        elif block.block_type == "heading":
            yield f"{prefix}（小标题）", str(value)
        elif block.block_type == "figures":
            for item in value.get("items", []):
                yield (
                    f"{prefix}（数据）",
                    " ".join(str(item.get(k) or "") for k in ("value", "unit", "label")),
                )
        elif block.block_type == "wishes":
            for item in value.get("items", []):
                yield f"{prefix}（心愿）", f"{item.get('wish', '')} {item.get('recipient', '')}"
        for key, label in BLOCK_TEXT_KEYS.get(block.block_type, []):
            yield f"{prefix}（{label}）", str(value.get(key) or "")
        if block.block_type == "image" and value.get("image") is not None:
            image = value["image"]
            yield f"{prefix}（图片标题）", image.title
            yield f"{prefix}（图片文件名）", image.file.name.rsplit("/", 1)[-1]


def public_fields(story):
    fields = {
        "标题": story.title,
        "网址别名": story.slug,
        "SEO 标题": story.seo_title,
        "搜索描述": story.search_description,
        "摘要": story.summary,
        "化名": story.pseudonym,
        "地区": story.region,
        "困境类型": "、".join(story.circumstances),
        "标签": "、".join(story.tags),
        "获得的帮助": story.support,
    }
    rules = " ".join(f"{r.value['hans']} {r.value['hant']}" for r in story.conversion_rules)
    fields["转换规则"] = rules
    for label, text in block_fields(story.body):
        fields[label] = f"{fields.get(label, '')}\n{text}".strip()
    return {label: text for label, text in fields.items() if text}


def consent_problems(identity, today=None):
    today = today or timezone.localdate()
    if identity is None or not identity.consent_obtained_on or not identity.consent_expires_on:
        return [
            Problem("授权同意", "consent_missing", gettext("没有登记监护人的书面同意，不能发布"))
        ]
    if identity.consent_obtained_on > today:
        return [Problem("授权同意", "consent_future", gettext("同意书的签署日期晚于今天"))]
    if identity.consent_expires_on < today:
        return [Problem("授权同意", "consent_expired", gettext("同意书已过期，不能发布"))]
    if not identity.consent_web:
        return [Problem("授权同意", "consent_scope", gettext("同意范围不包括在本站发布"))]
    return []


def image_consent_problems(story):
    problems = [
        Problem(label, "image_consent", gettext("图片没有注明肖像授权（人物已同意或示意图）"))
        for position, block in enumerate(story.body or [], start=1)
        if block.block_type == "image" and not block.value.get("consent")
        for label in [f"正文第 {position} 块（图片）"]
    ]
    # A video's poster has no portrait-consent field: a story's videos use the title card.
    problems += [
        Problem(
            label,
            "image_consent",
            gettext("故事页中的视频不能使用封面图片，请留空（显示标题卡片）"),
        )
        for position, block in enumerate(story.body or [], start=1)
        if block.block_type == "video" and block.value.get("poster") is not None
        for label in [f"正文第 {position} 块（视频封面）"]
    ]
    return problems


def identity_record(identity):
    if identity is None:
        return {}
    return {
        "real_name": identity.real_name,
        "guardians": identity.guardians,
        "school": identity.school,
        "address": identity.address,
        "notes": identity.notes,
        "birth_date": identity.birth_date,
        "id_number": identity.id_number,
        "phones": list(identity.phones),
        "chat_ids": list(identity.chat_ids),
        "other_identifiers": list(identity.other_identifiers),
    }


def public_numbers():
    """The organisations' public phone numbers: printed on purpose, not a family's. Read
    once per batch of bulk changes (an import checks every story against the same list)."""
    return remembered("guard.public_numbers", _read_public_numbers)


def _read_public_numbers():
    from campaigns.models import Organization

    numbers = []
    for value in Organization.objects.exclude(public_phone="").values_list(
        "public_phone", flat=True
    ):
        numbers += [n for n in re.split(r"[、，,;；/]+", value) if n.strip()]
    return numbers


# A public region names the county (县, 区, 县级市, 旗) at most. What ends in a unit below it
# (石桥镇, 幸福村, 城关街道, 人民路) is too precise. Only the end is looked at: county names
# may contain such characters (镇远县, 乡城县, 西乡塘区).
_TOO_FINE_RE = re.compile(r"(?:镇|乡|街道|村|社区|小区|组|屯|路|街|巷|弄|号|栋|幢|单元|室)$")


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def region_problems(story):
    region = _t2s().convert((story.region or "").strip())
    if region and _TOO_FINE_RE.search(region):
        return [
            Problem(
                "地区",
                "region_too_fine",
                gettext("地区“%(region)s”太具体：最多写到县（市、区）一级，不写乡镇、街道、村")
                % {"region": story.region},
            )
        ]
    return []


def check_story(story, identity=None, today=None):
    """Every reason `story` (as it would be published) may not go live; empty when it may."""
    if identity is None and story.pk:
        from .models import StoryIdentity

        identity = StoryIdentity.objects.filter(story_id=story.pk).first()
    problems = consent_problems(identity, today) + image_consent_problems(story)
    problems += region_problems(story)
    record = {**identity_record(identity), "pseudonym": story.pseudonym}
    private_values = collect_private_values(record)
    for leak in find_leaks(public_fields(story), private_values, public_numbers()):
        message = f"{leak.message}。{leak.advice}" if leak.advice else leak.message
        problems.append(Problem(leak.field, leak.kind, message))
    return problems


def name_warnings(story, identity=None):
    """Possible person names in the story that the record does not know: for the privacy
    reviewer to look at, never a reason to refuse publication."""
    if identity is None and story.pk:
        from .models import StoryIdentity

        identity = StoryIdentity.objects.filter(story_id=story.pk).first()
    record = {**identity_record(identity), "pseudonym": story.pseudonym}
    known = collect_private_values(record)
    return find_name_warnings(public_fields(story), known, story.pseudonym)
