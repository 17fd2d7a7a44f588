"""Login throttling behind the TLS proxy: the client's address comes from X-Forwarded-For
for exactly TRUSTED_PROXY_COUNT proxies; lockouts key on username + that address."""

import pytest
from django.test import RequestFactory, override_settings

from tongxin.core.clientip import client_ip, client_key

PROXY = "10.0.0.2"


def request_from(forwarded=None, remote=PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


class TestClientAddress:
    def test_without_trusted_proxies_the_header_is_ignored(self):
        with override_settings(TRUSTED_PROXY_COUNT=0):
            assert client_ip(request_from("203.0.113.5")) == PROXY

    @pytest.mark.parametrize(
        ("count", "header", "expected"),
        [
            (1, "203.0.113.5", "203.0.113.5"),
            # A client's own header is kept by the proxy, which appends the real address.
            (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
            (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
            (1, "2001:db8::1", "2001:db8::1"),
            (1, "not-an-address", PROXY),
            (1, "", PROXY),
            (3, "203.0.113.5, 10.0.0.9", "203.0.113.5"),
        ],
    )
    def test_the_nth_address_from_the_right(self, count, header, expected):
        with override_settings(TRUSTED_PROXY_COUNT=count):
            assert client_ip(request_from(header)) == expected

    def test_ipv6_clients_count_by_their_64(self):
        with override_settings(TRUSTED_PROXY_COUNT=1):
            one = client_key(request_from("2001:db8:1:2::1"))
            other = client_key(request_from("2001:db8:1:2:ffff::9"))
        assert one == other == "2001:db8:1:2::/64"


@pytest.mark.django_db
class TestLoginLockout:
    @pytest.fixture
    def editor(self, django_user_model):
        with override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3):
            user = django_user_model.objects.create_user("editor", password="right-password-123")
            user.is_staff = True
            user.is_superuser = True
            user.save()
            yield user

    def login(self, client, address, password):
        return client.post(
            "/admin/login/",
            {"username": "editor", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    def test_a_stranger_locks_only_himself(self, client, editor):
        for _ in range(3):
            self.login(client, "203.0.113.5", "wrong")
        locked = self.login(client, "203.0.113.5", "right-password-123")
        assert locked.status_code == 429
        # When to try again: the cool-off.
        assert 0 < int(locked["Retry-After"]) <= 3600
        # Forging the header does not get the stranger out either.
        assert self.login(client, "1.2.3.4, 203.0.113.5", "right-password-123").status_code == 429
        # The editor, elsewhere, behind the same proxy, still logs in.
        response = self.login(client, "198.51.100.7", "right-password-123")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/")

    def test_the_cool_off_is_short(self):
        from django.conf import settings

        assert settings.AXES_COOLOFF_TIME.total_seconds() <= 3600
        assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
