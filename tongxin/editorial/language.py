"""Every admin user starts in simplified Chinese.

Wagtail otherwise follows the language the request negotiated (a browser sending zh-TW gets
traditional, and English is never negotiated at all because the public site only offers the
two scripts). The user can still choose 繁體中文 or English in their account.
"""

from django.conf import settings


def default_admin_language(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(instance)
    if not profile.preferred_language:
        profile.preferred_language = settings.TONGXIN_ADMIN_LANGUAGE
        profile.save(update_fields=["preferred_language"])
