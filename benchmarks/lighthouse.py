"""Lighthouse accessibility score of every public page type in both scripts (issue 16 point 7).

Runs against a server that is already up with the demo content (`make demo`, then
`runserver`); Lighthouse is not a dependency of the repository: install it on demand into a
temporary folder and point `--lighthouse` at it (default /tmp/lh):

    mkdir -p /tmp/lh && (cd /tmp/lh && npm install lighthouse@13.5.0)
    .venv/bin/python benchmarks/lighthouse.py --base http://127.0.0.1:8000

Lighthouse refuses to audit a page answered with an error status, so the error pages (404, a
closed fund's 410) are audited through a small local proxy that relays the server's answer,
headers and body unchanged, with status 200 (`--proxy-port`, default any free port).

Mobile (Lighthouse's default) emulation, Chromium from CHROME_PATH (default /usr/bin/chromium).
Prints one row per page: score per script and the failing audits. Exit status 1 when a page
scores below 100. `--json DIR` keeps the reports.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Paths under /<script>/ for the demo content (site/demo/content.json); absolute ones are
# outside the script prefixes and get the script from Accept-Language.
PAGES = [
    ("home", ""),
    ("campaign", "qingyun-tongxin/"),
    ("series", "qingyun-tongxin/weizhuanti/"),
    ("episode", "qingyun-tongxin/weizhuanti/ep-1/"),
    ("fund launch", "qingyun-tongxin/fund-launch/"),
    ("news index", "qingyun-tongxin/xinwen/"),
    ("news", "qingyun-tongxin/xinwen/tongxin-shouhu-qidong/"),
    ("story index", "qingyun-tongxin/gushi/"),
    ("story", "qingyun-tongxin/gushi/xiaoyu/"),
    ("site news index", "xinwen/"),
    ("site story index", "gushi/"),
    ("search", "search/?q=童心"),
    ("404", "no-such-page/", "proxy"),
    ("closed fund (410)", "/donate/chunji-zhuxue-2026/", "proxy"),
    ("embed campaign", "qingyun-tongxin/embed/"),
    ("embed series", "qingyun-tongxin/weizhuanti/embed/"),
    ("embed episode", "qingyun-tongxin/weizhuanti/ep-1/embed/"),
    ("embed fund launch", "qingyun-tongxin/fund-launch/embed/"),
    ("embed news index", "qingyun-tongxin/xinwen/embed/"),
    ("embed news", "qingyun-tongxin/xinwen/tongxin-shouhu-qidong/embed/"),
    ("embed story index", "qingyun-tongxin/gushi/embed/"),
    ("embed story", "qingyun-tongxin/gushi/xiaoyu/embed/"),
]
SCRIPTS = ("zh-hans", "zh-hant")


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


def status_200_proxy(base, port):
    """Relay GETs to `base`, answering 200 whatever the server said (for Lighthouse only)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            request = urllib.request.Request(
                base + self.path,
                headers={
                    key: value for key, value in self.headers.items() if key.lower() != "host"
                },
            )
            try:
                answer = urllib.request.urlopen(request, timeout=60)
            except urllib.error.HTTPError as error:
                answer = error
            body = answer.read()
            self.send_response(200)
            for key, value in answer.headers.items():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def url_for(base, script, path):
    if path.startswith("/"):
        return base + path
    return f"{base}/{script}/{path}"


ACCEPT_LANGUAGE = {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}


def run(lighthouse, url, out, script):
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(
        [
            str(lighthouse),
            url,
            "--only-categories=accessibility",
            "--chrome-flags=--headless=new --no-sandbox",
            "--output=json",
            f"--output-path={out}",
            "--extra-headers=" + json.dumps({"Accept-Language": ACCEPT_LANGUAGE[script]}),
            "--quiet",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        report = json.loads(Path(out).read_text())
    except (OSError, ValueError):
        return None, ["(no report)"]
    category = report["categories"]["accessibility"]
    failing = [
        ref["id"]
        for ref in category["auditRefs"]
        if ref["weight"] and report["audits"][ref["id"]]["score"] not in (1, None)
    ]
    score = category["score"]
    return (None if score is None else round(score * 100)), failing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--lighthouse", default="/tmp/lh", help="folder of the npm install")
    parser.add_argument("--json", help="keep the JSON reports in this folder")
    parser.add_argument("--proxy-port", type=int, default=0)
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    binary = Path(args.lighthouse) / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        sys.exit(
            f"{binary} not found: mkdir -p {args.lighthouse} && "
            f"(cd {args.lighthouse} && npm install lighthouse@13.5.0)"
        )
    outdir = Path(args.json or tempfile.mkdtemp(prefix="lighthouse-"))
    outdir.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    base = args.base.rstrip("/")
    proxy = status_200_proxy(base, args.proxy_port)
    proxied = f"http://127.0.0.1:{proxy.server_address[1]}"
    below = 0
    print(f"{'page':<20} {'zh-hans':>7} {'zh-hant':>7}  failing audits")
    for name, path, *how in PAGES:
        if only and name not in only:
            continue
        scores, failing = [], set()
        for script in SCRIPTS:
            out = outdir / f"{re.sub(r'[^a-z0-9]+', '-', name).strip('-')}-{script}.json"
            score, fails = run(binary, url_for(proxied if how else base, script, path), out, script)
            scores.append(score)
            failing.update(fails)
            below += score != 100
        cells = " ".join(f"{'-' if s is None else s:>7}" for s in scores)
        print(f"{name:<20} {cells}  {', '.join(sorted(failing))}", flush=True)
    print(f"reports: {outdir}")
    sys.exit(1 if below else 0)


if __name__ == "__main__":
    main()
