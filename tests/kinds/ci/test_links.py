"""Build links: each build links to its page on the Zuul web UI, which
passes the link allowlist; log links only when their host is allowed; a
hostile uuid or tenant never shapes a link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docutils import nodes

from crosswork.kinds.ci.model import CI_HOSTS, build_page_url, normalize_build
from crosswork.kinds.ci.views import build_link
from crosswork.links import DEFAULT_HOSTS, safe_https_url


def recorded(corpus: Path) -> dict:
    """The Zuul 10 build of the corpus (zuul/nodepool change 908952)."""
    path = corpus / "apis" / "zuul" / "build_detail_opendev_2024_v10.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_build_links_to_its_zuul_page(corpus: Path) -> None:
    build = normalize_build(recorded(corpus))
    url = build_page_url("zuul", build.uuid)
    assert (
        url == "https://zuul.opendev.org/t/zuul/build/e09e82136d714711a5d01051bc633e65"
    )
    # The page passes the default allowlist too: no new host is opened.
    assert safe_https_url(url or "", DEFAULT_HOSTS) == url
    link = build_link("failed", build, "zuul")
    assert isinstance(link, nodes.reference)
    assert link["refuri"] == url


def test_a_log_link_is_kept_only_when_its_host_is_allowed(corpus: Path) -> None:
    payload = recorded(corpus)  # its log_url is https://localhost/log_url
    assert normalize_build(payload).log_url is None
    payload["log_url"] = "https://zuul.opendev.org/logs/908952/1/"
    assert normalize_build(payload).log_url == payload["log_url"]
    # A skipped build has no uuid, hence no page: its allowed log link stays.
    payload["uuid"] = None
    link = build_link("log", normalize_build(payload), "zuul")
    assert isinstance(link, nodes.reference)
    assert link["refuri"] == payload["log_url"]


@pytest.mark.parametrize(
    "uuid",
    [
        "javascript:alert(1)",
        "x/../../@evil.example",
        "../../..//evil.example",
        "e09e8213 onmouseover=alert(1)",
        "%2F%2Fevil.example",
        "",
    ],
)
def test_a_hostile_uuid_makes_no_link(uuid: str, corpus: Path) -> None:
    payload = recorded(corpus) | {"uuid": uuid, "log_url": "http://evil.example/"}
    build = normalize_build(payload)
    assert build_page_url("zuul", build.uuid) is None
    assert isinstance(build_link("failed", build, "zuul"), nodes.Text)


@pytest.mark.parametrize(
    "tenant", ["evil.example", "a@evil.example", "t/../../x", "javascript:", ""]
)
def test_a_hostile_tenant_makes_no_link(tenant: str) -> None:
    assert build_page_url(tenant, "e09e82136d714711a5d01051bc633e65") is None


def test_every_page_link_is_https_to_an_allowed_host() -> None:
    url = build_page_url("openstack", "0123456789abcdef0123456789abcdef") or ""
    assert url.startswith("https://zuul.opendev.org/t/openstack/build/")
    assert safe_https_url(url, CI_HOSTS) == url
