"""Reading the sitemap as a crawler does: `/sitemap.xml` is an index of sitemap files."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_files(client):
    """The responses of every sitemap file the index at /sitemap.xml lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = ElementTree.fromstring(index.content)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    files = []
    for loc in root.findall("s:sitemap/s:loc", NS):
        parts = urlsplit(loc.text)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, loc.text
        files.append(response)
    return files


def sitemap_text(client):
    """Index and files as one text, for `path in sitemap_text(client)`."""
    return "\n".join(
        [client.get("/sitemap.xml").content.decode()]
        + [f.content.decode() for f in sitemap_files(client)]
    )


def sitemap_entries(client):
    """`{location: {hreflang: href}}` of every URL in every file."""
    found = {}
    for response in sitemap_files(client):
        for url in ElementTree.fromstring(response.content).findall("s:url", NS):
            loc = url.find("s:loc", NS).text
            assert loc not in found, f"{loc} listed twice"
            found[loc] = {
                link.get("hreflang").lower(): link.get("href") for link in url.findall("x:link", NS)
            }
    return found
