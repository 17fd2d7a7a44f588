"""S3-compatible object storage from the environment (docs/operators.md).

`object_storage(environ)` returns the storages and the media origin to use, or None when no
bucket is configured (local disk). Pure: the settings call it with os.environ, the tests with
their own emulator's values.
"""

from django.core.exceptions import ImproperlyConfigured


def object_storage(environ):
    """{"default": …, "private": …, "media_origin": …} for STORAGES and the CSP, or None."""

    def env(name):
        return (environ.get(name) or "").strip()

    public, private = env("AWS_STORAGE_BUCKET_NAME"), env("AWS_PRIVATE_STORAGE_BUCKET_NAME")
    if not (public or private):
        return None
    # Both buckets or neither: consent forms never fall back to a disk the other app servers
    # cannot see, and never go to the public bucket.
    if not (public and private):
        raise ImproperlyConfigured(
            "Set both AWS_STORAGE_BUCKET_NAME and AWS_PRIVATE_STORAGE_BUCKET_NAME, or neither."
        )
    if public == private:
        raise ImproperlyConfigured("The private bucket must not be the public one.")
    connection = {
        key: value
        for key, value in {
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE"),
        }.items()
        if value
    }
    custom_domain = env("AWS_S3_CUSTOM_DOMAIN")
    # Pages show images from the bucket (or its custom domain): the CSP must allow it.
    media_origin = env("MEDIA_ORIGIN")
    if not media_origin:
        if custom_domain:
            media_origin = f"https://{custom_domain}"
        elif connection.get("endpoint_url"):
            media_origin = connection["endpoint_url"].rstrip("/")
        else:
            media_origin = f"https://{public}.s3.amazonaws.com"
    return {
        "default": {
            "BACKEND": "tongxin.core.s3storage.PublicS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": public,
                "custom_domain": custom_domain or None,
                # None: the bucket's policy makes objects readable; "public-read" where ACLs
                # are how the provider does it.
                "default_acl": env("AWS_DEFAULT_ACL") or None,
                "object_parameters": {"CacheControl": "public, max-age=31536000"},
            },
        },
        "private": {
            "BACKEND": "tongxin.core.s3storage.PrivateS3Storage",
            "OPTIONS": {**connection, "bucket_name": private},
        },
        "media_origin": media_origin,
    }


def allow_media_origin(policy, origin):
    """`policy` (CONTENT_SECURITY_POLICY) with `origin` added to img-src, when there is one."""
    if not origin:
        return policy
    directives = dict(policy["DIRECTIVES"])
    directives["img-src"] = [*directives["img-src"], origin]
    return {**policy, "DIRECTIVES": directives}
