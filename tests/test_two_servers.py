"""Two app servers sharing one database and one Redis (issue 11, point 6).

Two gunicorn servers are started on this test's database (PostgreSQL's test database as it
is; on SQLite, a file copy of the in-memory test database) and one Redis (REDIS_URL for
the test run, else 127.0.0.1:6379, else a redis-server started here), under a key prefix
of their own. Both caches are warmed in both scripts; an editor publishes through the first
server's admin; the second serves the new content at once, in both scripts, and after an
unpublish through the first, a 404 at once. No stale page from either's cache.

Ports: TWO_SERVERS_PORTS (default "8101 8102"; redis-server, when started, on 8103).
"""

import http.cookiejar
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from .factories import build_site_tree

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)
PORTS = [int(p) for p in os.environ.get("TWO_SERVERS_PORTS", "8101 8102").split()]
REDIS_PORT = PORTS[-1] + 1
OLD, NEW = "童心守护行动启动", "新闻已经更新"
OLD_HANT, NEW_HANT = "童心守護行動啟動", "新聞已經更新"


def listening(host, port):
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


@pytest.fixture
def redis_url():
    """A Redis both servers share; a key prefix of this run's own keeps other users' keys."""
    configured = os.environ.get("REDIS_URL", "")
    if configured:
        yield configured
        return
    if listening("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/0"
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no Redis: set REDIS_URL, run one on 6379 or install redis-server")
    process = subprocess.Popen(
        [server, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            if listening("127.0.0.1", REDIS_PORT):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{REDIS_PORT}/0"
    finally:
        process.terminate()
        process.wait(10)


def database_url(tmp_path):
    """The test database, for processes of their own."""
    info = connection.settings_dict
    if connection.vendor == "postgresql":
        user = info.get("USER") or ""
        password = f":{info['PASSWORD']}" if info.get("PASSWORD") else ""
        host = info.get("HOST") or "127.0.0.1"
        port = info.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{info['NAME']}"
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    pytest.skip(f"no recipe for {connection.vendor}")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A reader or an editor: cookies, and nothing cached on the client side."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects()
        )

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def post(self, path, data):
        token = next(c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def start(port, env, log):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "tongxin.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--timeout",
        "60",
    ]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)


def wait_until_up(port, process, log_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(Path(log_path).read_text()[-3000:])
        if listening("127.0.0.1", port):
            return
        time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start:\n{Path(log_path).read_text()[-3000:]}")


def test_a_publish_through_one_server_is_on_the_other_at_once(
    tmp_path, redis_url, django_user_model
):
    for port in PORTS:
        if listening("127.0.0.1", port):
            pytest.skip(f"port {port} is taken (TWO_SERVERS_PORTS)")
    tree = build_site_tree()
    news = tree.news
    assert OLD in news.title
    # The editor's draft, waiting for someone to publish it.
    news.title = news.title.replace(OLD, NEW)
    news.save_revision()
    editor = django_user_model.objects.create_superuser("bianji", "bj@example.cn")
    # Hashed as the servers' settings verify it (the test settings hash with MD5).
    editor.password = PBKDF2PasswordHasher().encode("two-servers-pw", "twoservers")
    editor.save()

    prefix = f"tongxin-two-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_ENV": "dev",
        # pytest-django put the test settings here; the servers run the dev settings (Redis).
        "DJANGO_SETTINGS_MODULE": "tongxin.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1 localhost",
        "PAGE_CACHE_SECONDS": "600",
        "RELEASE_ID": "two-servers",
        "AXES_FAILURE_LIMIT": "100",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DB_CONN_MAX_AGE": "0",
    }
    processes = []
    try:
        for port in PORTS:
            log_path = tmp_path / f"server-{port}.log"
            processes.append((port, start(port, env, log_path.open("w")), log_path))
        for port, process, log_path in processes:
            wait_until_up(port, process, log_path)

        page = "/" + news.url_path[len("/home/") :]
        urls = {"/zh-hans" + page: (OLD, NEW), "/zh-hant" + page: (OLD_HANT, NEW_HANT)}
        readers = [Browser(port) for port in PORTS]
        # Warm both servers' caches: the second request of each is a hit.
        for reader in readers:
            for url, (old, _) in urls.items():
                for expected in ("miss", "hit"):
                    status, headers, html = reader.get(url)
                    assert status == 200 and old in html, (reader.base, url)
                    assert headers.get("X-Page-Cache") == expected, (reader.base, url, headers)

        # An editor publishes the draft through the first server's admin.
        editor = Browser(PORTS[0])
        editor.get("/admin/login/")
        login = {"username": "bianji", "password": "two-servers-pw"}
        assert editor.post("/admin/login/", login) == 302
        action = f"/admin/bulk/wagtailcore/page/publish/?id={news.pk}&next=/admin/"
        assert editor.get(action)[0] == 200
        assert editor.post(action, {}) == 302

        # Both servers share the cache: the content version moved in Redis.
        # Both servers, the other one first, show the new title at once, in both scripts.
        for reader in reversed(readers):
            for url, (old, new) in urls.items():
                status, headers, html = reader.get(url)
                assert status == 200, (reader.base, url)
                assert new in html and old not in html, (reader.base, url, headers)

        # Withdrawn through the first server: gone from the second at once.
        assert editor.get(f"/admin/pages/{news.pk}/unpublish/")[0] == 200
        assert editor.post(f"/admin/pages/{news.pk}/unpublish/", {}) == 302
        for reader in reversed(readers):
            for url in urls:
                assert reader.get(url)[0] == 404, (reader.base, url)
    finally:
        for _, process, _ in processes:
            process.terminate()
        for _, process, _ in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        _forget(redis_url, prefix)


def _forget(redis_url, prefix):
    try:
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    except Exception:  # noqa: BLE001 (cleanup only; the keys expire or are harmless)
        pass
