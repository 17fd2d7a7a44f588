"""Uploads on S3-compatible object storage (issue 11, point 6), against moto's server mode.

With the buckets named in the environment (tongxin.settings.objectstorage), an image uploaded
in the admin and its renditions go to the public bucket and pages link them there, readable
by anyone; a consent form uploaded in the identity admin goes to the separate private bucket,
with no public grant, no URL, and only the permission-checked download view reads it back.
Skipped only when moto or boto3 is not installed (CI installs both).
"""

import io
import re
import socket
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from wagtail.rich_text import RichText

from stories.models import StoryIdentity
from tongxin.core.models import TongxinImage
from tongxin.settings.objectstorage import allow_media_origin, object_storage

from .factories import NewsPageFactory, StoryPageFactory, build_site_tree
from .test_story_identity_admin import PDF, identity_form, make_user

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

PUBLIC = "tongxin-media"
PRIVATE = "tongxin-consent"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    """moto's S3 server on a free port, for this module."""
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint):
    """Both buckets, as an operator sets them up: the public one readable through its
    policy, the private one with every public access blocked."""
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for bucket in (PUBLIC, PRIVATE):
        client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(
        Bucket=PUBLIC,
        Policy=(
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
            f'"Action": "s3:GetObject", "Resource": "arn:aws:s3:::{PUBLIC}/*"}}]}}'
        ),
    )
    client.put_public_access_block(
        Bucket=PRIVATE,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    environ = {
        "AWS_STORAGE_BUCKET_NAME": PUBLIC,
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": PRIVATE,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    configured = object_storage(environ)
    storages = {
        **settings.STORAGES,
        "default": configured["default"],
        "private": configured["private"],
    }
    policy = allow_media_origin(settings.CONTENT_SECURITY_POLICY, configured["media_origin"])
    with override_settings(STORAGES=storages, CONTENT_SECURITY_POLICY=policy):
        yield client
    for bucket in (PUBLIC, PRIVATE):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def keys(client, bucket):
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def fetch(url):
    """An anonymous GET, as a reader's browser makes it: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_images_and_renditions_are_served_from_the_public_bucket(client, db, s3, endpoint):
    tree = build_site_tree()
    client.force_login(make_user("chief", superuser=True))
    upload = SimpleUploadedFile("lamp.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "台灯", "file": upload})
    assert response.status_code == 302, response.context["form"].errors
    image = TongxinImage.objects.get(title="台灯")
    assert image.file.name in keys(s3, PUBLIC)
    assert image.file.name not in keys(s3, PRIVATE)
    client.logout()

    news = NewsPageFactory(
        parent=tree.news_index,
        slug="with-image",
        body=[
            ("paragraph", RichText("<p>正文。</p>")),
            (
                "image",
                {"image": image, "alt": "台灯", "caption": "", "credit": "", "consent": "none"},
            ),
        ],
    )
    html = client.get("/zh-hans" + news.url_path[len("/home") :]).content.decode()
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    rendition_urls = [url for url in sources if "/images/" in url]
    assert rendition_urls, sources
    for url in rendition_urls:
        # The public bucket, an unsigned address anyone can open.
        assert url.startswith(f"{endpoint}/{PUBLIC}/images/"), url
        assert "Signature" not in url
        status, body = fetch(url.replace("&amp;", "&"))
        assert status == 200
        assert body[:3] == b"\xff\xd8\xff" or body[:4] == b"RIFF"  # JPEG or WebP
    # The renditions are in the bucket, next to the original.
    assert any(key.startswith("images/") for key in keys(s3, PUBLIC))
    # The page's CSP lets browsers load them.
    csp = client.get("/zh-hans" + news.url_path[len("/home") :])["Content-Security-Policy"]
    img_src = next(d for d in csp.split(";") if d.strip().startswith("img-src"))
    assert endpoint in img_src


def test_consent_forms_go_to_the_private_bucket_and_are_never_public(client, db, s3, endpoint):
    tree = build_site_tree()
    story = StoryPageFactory(parent=tree.story_index, slug="s3-story", identity=None)
    client.force_login(make_user("officer", "隐私专员"))
    upload = SimpleUploadedFile("王小明同意书.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("story_identities:add"), identity_form(story, consent_form=upload)
    )
    assert response.status_code == 302, response.context["form"].errors
    identity = StoryIdentity.objects.get(story=story)
    name = identity.consent_form.name

    # In the private bucket only, under its random name.
    assert name in keys(s3, PRIVATE)
    assert name not in keys(s3, PUBLIC)
    # No public grant on the object, every public access blocked on the bucket.
    grants = s3.get_object_acl(Bucket=PRIVATE, Key=name)["Grants"]
    grantees = {grant["Grantee"].get("URI") for grant in grants}
    assert ALL_USERS not in grantees and AUTHENTICATED not in grantees
    # Nobody reads it at its bucket address without credentials.
    assert fetch(f"{endpoint}/{PRIVATE}/{name}")[0] == 403
    block = s3.get_public_access_block(Bucket=PRIVATE)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    # No address to hand out, and the admin never prints the bucket's.
    with pytest.raises(ValueError):
        identity.consent_form.url  # noqa: B018
    edit = client.get(reverse("story_identities:edit", args=[identity.pk])).content.decode()
    assert PRIVATE not in edit and endpoint not in edit

    # The permission-checked view streams it back, uncached, to the privacy officer only.
    download = reverse("story_identity_consent_form", args=[identity.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    client.logout()
    client.force_login(make_user("editor", "编辑"))
    response = client.get(download)
    assert response.status_code in (302, 403)  # Wagtail's refusal: 403 or back to the dashboard
    assert not getattr(response, "streaming", False)
