"""The files at the root of a built site: sitemap, robots.txt, 404 page."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from pageparts import PageParts

ADDRESS = "https://crosswork.site.test"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_addresses(outdir: Path) -> list[str]:
    root = ElementTree.parse(outdir / "sitemap.xml").getroot()
    return [loc.text for loc in root.iter(f"{NS}loc")]


def test_sitemap_lists_every_page_by_its_absolute_address(build_site, copy_root):
    app, _ = build_site(
        copy_root("test-site"), confoverrides={"html_baseurl": f"{ADDRESS}/"}
    )
    out = Path(app.outdir)
    expected = [f"{ADDRESS}/{doc}.html" for doc in sorted(app.env.all_docs)]
    assert sitemap_addresses(out) == expected
    assert f"{ADDRESS}/workgroups/alpha.html" in expected
    assert f"{ADDRESS}/404.html" not in expected
    robots = (out / "robots.txt").read_text()
    assert f"Sitemap: {ADDRESS}/sitemap.xml" in robots.splitlines()


def test_without_a_site_address_there_is_no_sitemap(build_site, copy_root):
    app, _ = build_site(copy_root("test-site"))
    out = Path(app.outdir)
    assert not (out / "sitemap.xml").exists()
    robots = (out / "robots.txt").read_text()
    assert robots.startswith("User-agent: *\n")
    assert "Sitemap" not in robots


def test_sitemap_and_robots_are_rewritten_only_when_they_change(build_site, copy_root):
    site = copy_root("test-site")
    options = {"confoverrides": {"html_baseurl": f"{ADDRESS}/"}}
    app, _ = build_site(site, **options)
    files = [Path(app.outdir) / name for name in ("sitemap.xml", "robots.txt")]
    before = [path.stat().st_mtime_ns for path in files]
    build_site(site, **options)
    assert [path.stat().st_mtime_ns for path in files] == before


def test_not_found_page_offers_search_and_the_sections(build_site, copy_root):
    app, _ = build_site(copy_root("test-site"))
    page = Path(app.outdir) / "404.html"
    text = page.read_text()
    assert "Page not found" in text
    assert 'action="search.html"' in text
    for link in ("index.html", "workgroups/index.html", "specs/index.html"):
        assert f'href="{link}"' in text
    assert "<base" not in text


def test_not_found_page_resolves_from_the_site_root_at_any_depth(build_site, copy_root):
    app, _ = build_site(
        copy_root("test-site"), confoverrides={"html_baseurl": f"{ADDRESS}/"}
    )
    text = (Path(app.outdir) / "404.html").read_text()
    head = text.split("</head>")[0]
    assert head.index(f'<base href="{ADDRESS}/">') < head.index("<link")
    parts = PageParts.of(Path(app.outdir) / "404.html")
    assert parts.meta("property", "og:url") is None
    assert 'rel="canonical"' not in text
