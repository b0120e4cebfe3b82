"""The site's Content-Security-Policy: what it allows, and only that."""

from __future__ import annotations

from crosswork.site.csp import HEADER_POLICY, page_policy, script_hash

#: SHA-256 of the empty string, base64: the published test vector.
EMPTY_SHA256 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def test_a_script_is_allowed_by_the_sha256_of_its_exact_text():
    assert script_hash("") == f"'sha256-{EMPTY_SHA256}'"
    assert script_hash("a = 1;") != script_hash("a = 1; ")


def test_page_policy_allows_the_site_and_the_pages_own_scripts_only():
    policy = directives(page_policy(["a();", "b();", "a();"]))
    assert policy["script-src"] == ["'self'", script_hash("a();"), script_hash("b();")]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for sources in policy.values():
        assert "'unsafe-eval'" not in sources
        assert all(not s.startswith(("http:", "https:", "*")) for s in sources)
    assert "'unsafe-inline'" not in policy["script-src"]


def test_a_meta_policy_leaves_out_what_only_a_header_can_carry():
    assert "frame-ancestors" not in directives(page_policy([]))
    assert "report-uri" not in directives(page_policy([]))


def test_header_policy_forbids_framing_and_has_no_script_rule():
    header = directives(HEADER_POLICY)
    assert header["frame-ancestors"] == ["'none'"]
    assert "script-src" not in header
    assert "default-src" not in header
