"""The two S3-compatible buckets (django-storages), used only when the environment names them
(tongxin.settings.base). Imported by the storage handler on first use, so a site on local
disk never loads boto3."""

from storages.backends.s3 import S3Storage

from .storage import NO_URL


class PublicS3Storage(S3Storage):
    """Images, documents and renditions: plain (unsigned) URLs on the bucket or its custom
    domain; an upload never overwrites a file of the same name."""

    def __init__(self, **options):
        options.setdefault("querystring_auth", False)
        options.setdefault("file_overwrite", False)
        super().__init__(**options)


class PrivateS3Storage(S3Storage):
    """Consent forms: a separate bucket that is never public. No ACL header is sent (objects
    stay private, as the bucket is), there is no URL to hand out, and the permission-checked
    admin view streams the file through the app."""

    def __init__(self, **options):
        options.update(default_acl=None, querystring_auth=True, file_overwrite=False)
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
