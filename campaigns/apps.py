from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("活动与基金")

    def ready(self):
        from tongxin.core.contentversion import bump_content_version

        from .models import DonationBanner, DonationHost
        from .roles import ensure_fundraising_roles

        # No sender: it runs after each app's migration signal, so by the last one every
        # permission it needs (created by auth's own post_migrate receiver) exists.
        post_migrate.connect(ensure_fundraising_roles, dispatch_uid="tongxin-fundraising-roles")
        # Cached pages carry the banner and the donation buttons: switching the banner or
        # withdrawing a host's approval must show at once (funds bump it already).
        for model in (DonationBanner, DonationHost):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_content_version,
                    sender=model,
                    dispatch_uid=f"tongxin-donation-{model.__name__}-{signal is post_save}",
                )
