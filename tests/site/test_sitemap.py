"""The sitemap and robots.txt, as text."""

from __future__ import annotations

from xml.etree import ElementTree

from crosswork.site.sitemap import robots_txt, sitemap_xml

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_every_address_escaped():
    xml = sitemap_xml(["https://site.test/a.html", "https://site.test/b&c.html"])
    root = ElementTree.fromstring(xml)
    assert root.tag == f"{NS}urlset"
    assert [loc.text for loc in root.iter(f"{NS}loc")] == [
        "https://site.test/a.html",
        "https://site.test/b&c.html",
    ]


def test_robots_points_at_the_sitemap_when_there_is_one():
    assert robots_txt("https://site.test/sitemap.xml").splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://site.test/sitemap.xml",
    ]


def test_robots_names_no_sitemap_without_one():
    assert "Sitemap" not in robots_txt(None)
