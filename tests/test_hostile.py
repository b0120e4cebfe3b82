"""The hostile corpus as a suite: every payload in every outside text field.

The payloads of ``tests/hostile/payloads.json`` (reStructuredText, HTML,
link schemes, control and bidirectional characters, calendar line breaks,
100,000 characters) go into one site build:

* upstream data of every kind of ``crosswork.kinds.KINDS``, through the
  kind's record: :meth:`~crosswork.datakind.DataKind.hostile_recordings`
  makes the fake upstream serve one payload per item in every text field
  of the kind, and the site tracks all of the kind's example tracks;
* contributor files: one charter per payload (name, mission, scope,
  deliverable, chair, status note, meeting title and agenda) and one spec
  per payload and field (title, authors). A contributor file that the
  loader or the linter refuses never reaches a page; the suite checks that
  it was refused with located findings.

Then every HTML, SVG, Atom, ICS and JSON file the build wrote is parsed
(lxml, icalendar, json) and searched for live markup: script elements,
event handler attributes, links or sources with a javascript:, data: or
vbscript: scheme, foreignObject, elements or attributes that came from a
payload, calendar lines split by a raw CR or LF, files that do not parse.
The counts are printed after the test summary.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import icalendar
import lxml.etree
import lxml.html
import pytest
import yaml
from sphinx.testing.util import SphinxTestApp

from browsing import served, visit
from crosswork.diagnostics import Diagnostic, Severity
from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.links import normalise_url
from crosswork.lintcache import LintCache
from crosswork.site.csp import script_hash
from crosswork.site.data import load_site
from crosswork.site.sphinxext import LINT_CACHE
from crosswork.testing import loopback_only
from crosswork.testing.required import CORPUS_VARIABLE, required_folder
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.textclean import UNSAFE, clean_line
from crosswork.workgroups.registry import load_registry
from fetching import FAST

HERE = Path(__file__).parent
CORPUS = HERE.parents[1] / "shared" / "corpus"
ROOT = HERE / "roots" / "test-site"

FETCHED_AT = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
#: Bodies of 100,000 characters in several fields of one item: megabytes.
POLICY = dataclasses.replace(FAST, max_bytes=16 * 1024 * 1024, deadline=30.0)


@dataclasses.dataclass(frozen=True)
class Payload:
    name: str
    text: str


def load_payloads() -> list[Payload]:
    document = json.loads((HERE / "hostile" / "payloads.json").read_text())
    return [
        Payload(
            item["name"],
            item.get("text", "") + item.get("repeat", "") * item.get("times", 0),
        )
        for item in document["payloads"]
    ]


PAYLOADS = load_payloads()


# --- Contributor files ----------------------------------------------------------

#: Charter fields that take a payload, with their schema's length limits and
#: whether they are one line.
CHARTER_FIELDS = {
    "name": (3, 60, True),
    "mission": (40, 1500, False),
    "scope.in": (1, 200, True),
    "scope.out": (1, 200, True),
    "deliverables.title": (1, 200, True),
    "deliverables.description": (1, 1000, False),
    "deliverables.owner": (1, 200, True),
    "exit_criteria": (1, 200, True),
    "liaison.name": (1, 200, True),
    "chairs.name": (1, 200, True),
    "status_history.note": (1, 200, True),
    "meetings.title": (1, 200, True),
    "meetings.agenda": (0, 500, True),
}
SPEC_FIELDS = ("title", "Authors", "Reviewers", "Review", "Discussion", "Tracking")


def fit(text: str, low: int, high: int, one_line: bool) -> str:
    """The payload as far as a field allows: one line, padded, cut."""
    if one_line:
        text = text.replace("\n", " ")
    if len(text) < low:
        text += " " + "x" * low
    return text[:high]


def hostile_charter(base: dict[str, Any], slug: str, payload: str) -> dict[str, Any]:
    charter = json.loads(json.dumps(base))
    value = {name: fit(payload, *limits) for name, limits in CHARTER_FIELDS.items()}
    charter["name"] = value["name"]
    charter["mission"] = value["mission"]
    charter["scope"] = {"in": [value["scope.in"]], "out": [value["scope.out"]]}
    charter["deliverables"] = [
        {
            "title": value["deliverables.title"],
            "description": value["deliverables.description"],
            "status": "in-progress",
            "owner": value["deliverables.owner"],
        }
    ]
    charter["exit_criteria"] = [value["exit_criteria"]]
    charter["liaison"] = {"name": value["liaison.name"]}
    charter["chairs"] = [{"name": value["chairs.name"], "handles": {"irc": "chair"}}]
    charter["status_history"][-1]["note"] = value["status_history.note"]
    meeting = charter["meetings"][0]
    meeting["title"] = value["meetings.title"]
    agenda = "https://etherpad.opendev.org/p/" + value["meetings.agenda"]
    if re.fullmatch(r"https://[^\s/@]+(/[^\s]*)?", agenda) and len(agenda) <= 500:
        meeting["agenda"] = agenda
    charter["tracks"] = {}
    charter["communication"]["tag"] = f"[{slug}]"
    charter["communication"]["chat"] = f"#openstack-{slug}"
    meeting["channel"] = f"#openstack-{slug}"
    return charter


SPEC = """\
{rule}
{title}
{rule}

:Status: draft
:Workgroup: alpha
:Authors: {Authors}
:Reviewers: {Reviewers}
:Created: 2026-05-04
:Cycle: 2026.2
:Review: {Review}
:Discussion: {Discussion}
:Tracking: {Tracking}
"""
SPEC_VALUES = {
    "title": "Hostile",
    "Authors": "Ana Silva",
    "Reviewers": "Li Wei",
    "Review": "https://review.opendev.org/c/openstack/crosswork-specs/+/900303",
    "Discussion": "https://lists.openstack.org/t/hostile/1",
    "Tracking": "nova#2001234",
}


def hostile_spec(template: str, field: str, payload: str) -> str:
    """The repository's example spec with the payload in one of its fields."""
    body = template.split("\n:Superseded-By:", 1)[1].split("\n", 1)[1]
    values = {**SPEC_VALUES, field: " ".join(payload.splitlines())}
    rule = "=" * max(3, 2 * len(values["title"]))
    return SPEC.format(rule=rule, **values) + body


# --- The build ---------------------------------------------------------------------


def refuse(
    layout: Layout, problems: Iterable[Diagnostic], refused: dict[str, list[str]]
) -> None:
    """Note the errors of each file and remove the files that have any."""
    for problem in problems:
        if problem.severity is Severity.ERROR:
            refused.setdefault(problem.path, []).append(str(problem))
    for path in refused:
        (layout.root / path).unlink(missing_ok=True)


def refuse_bad_files(site: Path) -> dict[str, list[str]]:
    """Remove the contributor files the build would refuse, as it would find
    them (charters first: the specs name workgroups); their errors by path.

    The lint results of the specs kept go into the build's own cache, so the
    build does not lint them again.
    """
    layout = Layout(site / "repo")
    refused: dict[str, list[str]] = {}
    _, charter_problems = load_registry(layout.workgroups, layout.root, kinds=KINDS)
    refuse(layout, charter_problems, refused)
    cache = LintCache()
    spec_problems = load_site(layout, dt.date.today(), KINDS, cache).spec_problems
    refuse(layout, spec_problems, refused)
    cache_file = site / "_build" / "doctrees" / LINT_CACHE
    cache_file.parent.mkdir(parents=True)
    cache.save(cache_file)
    return refused


@dataclasses.dataclass
class HostileSite:
    outdir: Path
    warnings: str
    #: Contributor files refused, by path, with their findings.
    refused: dict[str, list[str]]
    #: Fields that got payloads: upstream ones by kind, contributor ones.
    fields: dict[str, set[str]]
    #: Sources fetched, and their states.
    states: dict[str, str]


def upstream_fields(snapshot: Path, kinds: dict[str, str]) -> dict[str, set[str]]:
    """Paths of snapshot item fields that hold a payload's first words, by kind."""
    probes = {
        probe
        for payload in PAYLOADS
        if len(probe := " ".join(payload.text.split())[:16]) >= 8
    }
    found: dict[str, set[str]] = {}
    for path in snapshot.glob("*.*.*.json"):
        kind = kinds[path.stem]
        document = json.loads(path.read_text(encoding="utf-8"))
        for item in document["items"]:
            for where, value in leaves(item, ""):
                if any(probe in " ".join(value.split()) for probe in probes):
                    found.setdefault(kind, set()).add(where)
    return found


def leaves(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, f"{where}[]")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    corpus = required_folder(CORPUS, "shared corpus not available", CORPUS_VARIABLE)
    site = tmp_path_factory.mktemp("hostile") / "site"
    shutil.copytree(ROOT, site)
    # The home page's cards show charter and upstream text too.
    with (site / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\n.. workgroup-dashboard::\n")
    repo = site / "repo"
    texts = [payload.text for payload in PAYLOADS]

    workgroups = repo / "workgroups"
    alpha = yaml.safe_load((workgroups / "alpha.yaml").read_text(encoding="utf-8"))
    spec_base = (repo / "specs/2026.2/shared-logging-format.rst").read_text()
    names: set[str] = set()
    for index, text in enumerate(texts):
        charter = hostile_charter(alpha, f"h{index:03d}", text)
        if charter["name"].casefold() in names:  # names are unique, in any case
            charter["name"] = charter["name"][:50] + f" h{index:03d}"
        names.add(charter["name"].casefold())
        (workgroups / f"h{index:03d}.yaml").write_text(
            yaml.safe_dump(charter, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        for field in SPEC_FIELDS:
            spec = hostile_spec(spec_base, field, text)
            path = repo / f"specs/2026.2/h{index:03d}-{field.lower()}.rst"
            path.write_text(spec, encoding="utf-8")
    alpha["tracks"] = {kind.name: [dict(t) for t in kind.examples] for kind in KINDS}
    (workgroups / "alpha.yaml").write_text(yaml.safe_dump(alpha), encoding="utf-8")
    refused = refuse_bad_files(site)

    recordings = Recordings.from_corpus(corpus)
    for kind in KINDS:
        recordings = kind.hostile_recordings(recordings, texts)
    registry, problems = load_registry(workgroups, kinds=KINDS)
    assert problems == []
    sources = collect_sources(registry, KINDS)
    with loopback_only() as attempts, FakeUpstream(recordings) as fake:
        report = fetch_all(
            sources,
            repo / "snapshot",
            clock=lambda: FETCHED_AT,
            endpoints=parse_endpoints(fake.endpoints()),
            policy=POLICY,
            environ={},
            sleep=lambda seconds: None,
        )
    assert attempts == []
    kinds = {source.id: source.kind for source in sources}
    fields = upstream_fields(repo / "snapshot", kinds)
    fields["charters"] = set(CHARTER_FIELDS)
    fields["specs"] = set(SPEC_FIELDS)

    # A site address, so that the feeds are written and scanned too.
    app = SphinxTestApp(
        "html", srcdir=site, confoverrides={"html_baseurl": f"{SITE_ADDRESS}/"}
    )
    try:
        app.build()
    finally:
        app.cleanup()
    yield HostileSite(
        outdir=Path(app.outdir),
        warnings=app.warning.getvalue(),
        refused=refused,
        fields=fields,
        states={o.source: o.status.state for o in report.outcomes},
    )


# --- Looking for live markup ----------------------------------------------------

#: The hostile site's address; the 404 page's <base> is its root.
SITE_ADDRESS = "https://site.example.org"

#: Text that only a payload puts in a page: seen in code or a link, it ran.
CANARIES = ("alert(", "msgbox(", "evil.example", "/etc/passwd")
BAD_SCHEMES = ("javascript", "data", "vbscript")
#: Elements that no page of the site has of its own.
FOREIGN = frozenset(
    {
        "iframe",
        "object",
        "embed",
        "applet",
        "frame",
        "frameset",
        "foreignobject",
        "base",
        "textarea",
        "details",
        "math",
        "mglyph",
        "template",
    }
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "srcset"}
)


def bad_scheme(url: str) -> bool:
    cleaned = normalise_url(url).lower()
    cleaned = re.sub(r"&#x?[0-9a-f]+;?", "", cleaned)  # entities left as text
    return cleaned.startswith(tuple(f"{scheme}:" for scheme in BAD_SCHEMES))


def external(url: str) -> bool:
    return "://" in url or url.strip().startswith("//")


def evil_host(url: str) -> bool:
    """A link to the payloads' host. Only spec pages may have one: a spec is
    reviewed reStructuredText, which may link to any https address."""
    try:
        host = urlsplit(normalise_url(url)).hostname or ""
    except ValueError:
        return False
    return host.endswith("evil.example")


def local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


@dataclasses.dataclass
class Scan:
    """Live markup found, by output file; and how many files were read."""

    findings: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    scanned: dict[str, int] = dataclasses.field(default_factory=dict)
    #: Fingerprints of the elements the HTML payloads hold: (tag, attributes).
    injected: frozenset[tuple[str, tuple[tuple[str, str], ...]]] = frozenset()
    #: The text of every page, white space runs as one space.
    shown: list[str] = dataclasses.field(default_factory=list)

    def found(self, where: str, what: str) -> None:
        self.findings.setdefault(where, []).append(what)

    def elements(self, where: str, root: Any) -> None:
        """Element checks shared by HTML, SVG and Atom."""
        for element in root.iter():
            tag = local_name(element.tag)
            if not tag:
                continue
            attributes = {local_name(k): v for k, v in element.attrib.items()}
            if tag in FOREIGN and not is_site_root_base(where, tag, attributes):
                self.found(where, f"<{tag}> element")
            if tag == "script":
                src = attributes.get("src", "")
                code = (element.text or "") + src
                if "://" in src or src.startswith("//") or bad_scheme(src):
                    self.found(where, f"script from {src!r}")
                if any(canary in code for canary in CANARIES):
                    self.found(where, f"script running {code[:60]!r}")
            if tag == "style" and any(c in (element.text or "") for c in CANARIES):
                self.found(where, "style element from a payload")
            if tag == "meta" and "refresh" in attributes.get("http-equiv", "").lower():
                target = attributes.get("content", "").partition("url=")[2]
                if bad_scheme(target) or external(target):
                    self.found(where, f"meta refresh to {target[:60]!r}")
            for name, value in attributes.items():
                if name.startswith("on"):
                    self.found(where, f"{name} attribute on <{tag}>")
                elif name in URL_ATTRIBUTES and (
                    bad_scheme(value)
                    or (evil_host(value) and not where.startswith("specs/"))
                ):
                    self.found(where, f"{name}={value[:60]!r} on <{tag}>")
                elif name == "style" and any(c in value for c in CANARIES):
                    self.found(where, f"style attribute {value[:60]!r}")
            fingerprint = (tag, tuple(sorted(attributes.items())))
            if attributes and fingerprint in self.injected:
                self.found(where, f"element of a payload: <{tag} {attributes}>")

    def unsafe_text(self, where: str, text: str) -> None:
        found = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})
        if found:
            self.found(where, f"unsafe characters {', '.join(found[:8])}")


def injected_elements() -> frozenset[tuple[str, tuple[tuple[str, str], ...]]]:
    """The elements an HTML parser makes of the payloads themselves."""
    fingerprints = set()
    for payload in PAYLOADS:
        if "<" not in payload.text:
            continue
        for element in lxml.html.fragment_fromstring(
            payload.text, create_parent="div"
        ).iter():
            attributes = {local_name(k): v for k, v in element.attrib.items()}
            if attributes and local_name(element.tag) != "div":
                fingerprints.add(
                    (local_name(element.tag), tuple(sorted(attributes.items())))
                )
    return frozenset(fingerprints)


def is_site_root_base(where: str, tag: str, attributes: dict[str, str]) -> bool:
    """The 404 page's own ``<base>``: the site's root, so that it works at
    any depth."""
    return (
        where == "404.html"
        and tag == "base"
        and attributes == {"href": f"{SITE_ADDRESS}/"}
    )


#: The attributes of the head's meta tags, all written by the site or theme.
META_ATTRIBUTES = frozenset({"charset", "name", "property", "http-equiv", "content"})


def scan_head(scan: Scan, where: str, page: Any) -> None:
    """Meta tags carry data only as attribute values, and on a page with a
    Content-Security-Policy every inline script is allowed by its hash."""
    policy = ""
    for meta in page.iter("meta"):
        extra = set(meta.attrib) - META_ATTRIBUTES
        if extra:
            scan.found(where, f"meta tag with {sorted(extra)}")
        if meta.get("http-equiv") == "Content-Security-Policy":
            policy = meta.get("content", "")
    if not policy:
        return
    for script in page.iter("script"):
        if script.get("src") is None and script_hash(script.text or "") not in policy:
            scan.found(
                where, f"inline script outside the policy {(script.text or '')[:60]!r}"
            )


def scan_html(scan: Scan, outdir: Path, path: Path) -> None:
    where = path.relative_to(outdir).as_posix()
    page = lxml.html.parse(str(path)).getroot()
    scan.elements(where, page)
    if not page.xpath("//meta[@http-equiv='refresh']"):
        scan_head(scan, where, page)
    body = page.find("body")
    text = body.text_content() if body is not None else ""
    scan.unsafe_text(where, text)
    scan.shown.append(" ".join(text.split()))
    if page.xpath('//*[contains(@class, "system-message")]'):
        scan.found(where, "docutils system message")


def scan_xml(scan: Scan, outdir: Path, path: Path) -> Any:
    where = path.relative_to(outdir).as_posix()
    try:
        root = lxml.etree.parse(str(path), lxml.etree.XMLParser(resolve_entities=False))
    except lxml.etree.XMLSyntaxError as error:
        scan.found(where, f"not well-formed XML: {error}")
        return None
    scan.elements(where, root.getroot())
    scan.unsafe_text(where, "".join(root.getroot().itertext()))
    return root.getroot()


ATOM = "{http://www.w3.org/2005/Atom}"


def scan_atom(scan: Scan, outdir: Path, path: Path) -> None:
    where = path.relative_to(outdir).as_posix()
    root = scan_xml(scan, outdir, path)
    if root is None:
        return
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith(ATOM):
            scan.found(where, f"element outside Atom: {element.tag}")
        kind = element.get("type")
        if kind == "html" and element.text:  # a reader renders it as HTML
            fragment = lxml.html.fragment_fromstring(element.text, create_parent="div")
            scan.elements(f"{where} ({local_name(element.tag)} as HTML)", fragment)
        elif kind == "xhtml":
            scan.elements(f"{where} ({local_name(element.tag)})", element)
    for link in root.iter(f"{ATOM}link"):
        if not link.get("href", "").startswith(("https://", "http://")):
            scan.found(where, f"feed link {link.get('href')!r}")


def scan_ics(scan: Scan, outdir: Path, path: Path, properties: set[str]) -> None:
    where = path.relative_to(outdir).as_posix()
    raw = path.read_bytes()
    for number, line in enumerate(raw.split(b"\r\n"), start=1):
        if b"\r" in line or b"\n" in line:
            scan.found(where, f"line {number} split by a raw CR or LF")
    scan.unsafe_text(where, raw.decode("utf-8"))
    calendar = icalendar.Calendar.from_ical(raw)
    for component in calendar.walk():
        if component.name not in {"VCALENDAR", "VEVENT", "VTIMEZONE"}:
            scan.found(where, f"component {component.name}")
        for name in component:
            if name not in properties:
                scan.found(where, f"property {name} in {component.name}")


def calendar_properties(outdir: Path) -> set[str]:
    """The properties the calendars of the test site's own charters use."""
    properties: set[str] = set()
    for name in ("alpha", "beta"):
        raw = (outdir / "calendars" / f"{name}.ics").read_bytes()
        for component in icalendar.Calendar.from_ical(raw).walk():
            properties.update(component)
    return properties


def scan_json(scan: Scan, outdir: Path, path: Path) -> None:
    where = path.relative_to(outdir).as_posix()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        scan.found(where, f"not JSON: {error}")
        return
    for key, value in json_strings(document, ""):
        if key.rsplit(".", 1)[-1] in {"url", "href", "link", "uri"} and bad_scheme(
            value
        ):
            scan.found(where, f"{key}: {value[:60]!r}")
        scan.unsafe_text(f"{where} {key}", value)


def json_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from json_strings(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, where)


@pytest.fixture(scope="module")
def scan(hostile_site: HostileSite) -> Scan:
    outdir = hostile_site.outdir
    result = Scan(injected=injected_elements())
    properties = calendar_properties(outdir)
    readers = {
        ".html": lambda path: scan_html(result, outdir, path),
        ".svg": lambda path: scan_xml(result, outdir, path),
        ".atom": lambda path: scan_atom(result, outdir, path),
        ".ics": lambda path: scan_ics(result, outdir, path, properties),
        ".json": lambda path: scan_json(result, outdir, path),
    }
    for path in sorted(outdir.rglob("*")):
        read = readers.get(path.suffix)
        if read is None or not path.is_file() or "_static" in path.parts:
            continue
        read(path)
        result.scanned[path.suffix[1:]] = result.scanned.get(path.suffix[1:], 0) + 1
    return result


# --- The checks ------------------------------------------------------------------


def test_there_are_enough_payloads_of_every_family() -> None:
    assert len(PAYLOADS) >= 70
    assert len({payload.name for payload in PAYLOADS}) == len(PAYLOADS)
    families = {payload.name.split("-")[0] for payload in PAYLOADS}
    assert families >= {"rst", "html", "link", "char", "ics", "size"}
    assert max(len(payload.text) for payload in PAYLOADS) >= 100_000


def test_every_source_is_fetched(hostile_site: HostileSite) -> None:
    assert set(hostile_site.states.values()) == {"fresh"}, hostile_site.states
    assert len(hostile_site.states) == sum(len(kind.examples) for kind in KINDS)


def test_payloads_reach_every_kinds_fields(hostile_site: HostileSite) -> None:
    for kind in KINDS:
        assert len(hostile_site.fields.get(kind.name, ())) >= 3, kind.name


def test_every_payload_is_shown_on_a_page(scan: Scan) -> None:
    """As text: the first words of each payload, after the text policy."""
    shown = "\n".join(scan.shown)
    missing = [
        payload.name
        for payload in PAYLOADS
        if " ".join(clean_line(payload.text).split())[:16] not in shown
    ]
    assert missing == []


def test_refused_contributor_files_are_refused_with_located_findings(
    hostile_site: HostileSite,
) -> None:
    for path, findings in hostile_site.refused.items():
        assert findings, path
        for finding in findings:
            assert re.match(rf"{re.escape(path)}:\d+:\d+: [A-Z]\d{{3}} ", finding)


@pytest.mark.parametrize("kind", ["html", "svg", "atom", "ics", "json"])
def test_no_output_holds_live_markup(scan: Scan, kind: str) -> None:
    assert scan.scanned.get(kind, 0) >= 1, f"no {kind} output to scan"
    found = {
        where: findings
        for where, findings in scan.findings.items()
        if where.split(" ")[0].endswith(f".{kind}")
    }
    assert found == {}


def test_no_warning_comes_from_upstream_data(hostile_site: HostileSite) -> None:
    """Contributor files may draw warnings (a spec's :ref: to nothing);
    upstream data never makes docutils or the sanitizer say anything."""
    lines = [line for line in hostile_site.warnings.splitlines() if "WARNING" in line]
    for line in lines:
        contributor = re.search(r"/repo/(specs|workgroups)/|^(specs|workgroups)/", line)
        structure = "[toc.not_included]" in line  # a kind's section, unlisted here
        assert contributor or structure or "[crosswork." in line, line
        assert "[crosswork.sanitize]" not in line, line


def test_the_counts_are_printed(
    hostile_site: HostileSite, scan: Scan, suite_counts: dict[str, dict[str, int]]
) -> None:
    live = sum(len(findings) for findings in scan.findings.values())
    suite_counts["hostile suite"] = {
        "payloads": len(PAYLOADS),
        "fields": sum(len(fields) for fields in hostile_site.fields.values()),
        "contributor files refused": len(hostile_site.refused),
        "outputs scanned": sum(scan.scanned.values()),
        **{f"{kind} files": count for kind, count in sorted(scan.scanned.items())},
        "live markup found": live,
    }
    assert live == 0


#: Run before any page script, in every frame: whatever a payload calls to
#: show it ran sets the sentinel instead of opening a dialog.
SENTINEL_TRAP = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = () => { window.crossworkSentinel = name; };
}
"""


def sentinel_after_load(page: Any, url: str) -> str:
    """The sentinel's value once ``url`` and any page it redirects to (an
    alias page moves on to its advisory) have loaded."""
    from playwright.sync_api import Error

    # A redirect may interrupt the load: then wait for its target.
    with contextlib.suppress(Error):
        page.goto(url, wait_until="load")
    for _ in range(50):
        page.wait_for_load_state("load")
        try:
            return page.evaluate("String(window.crossworkSentinel)")
        except Error:  # navigated while asked: ask the next page
            page.wait_for_timeout(100)
    raise AssertionError(f"{url} never settled")


def test_no_payload_runs_in_a_browser(browser, hostile_site: HostileSite) -> None:
    """Every page of the hostile site, opened in Chromium: the sentinel a
    payload's script would set stays undefined and no dialog opens."""
    pages = sorted(
        path.relative_to(hostile_site.outdir).as_posix()
        for path in hostile_site.outdir.rglob("*.html")
        if "_static" not in path.parts
    )
    ran: dict[str, str] = {}
    with served(hostile_site.outdir) as base:
        seen = visit(browser, f"{base}/index.html")
        seen.page.add_init_script(SENTINEL_TRAP)
        for name in pages:
            sentinel = sentinel_after_load(seen.page, f"{base}/{name}")
            if sentinel != "undefined" or not seen.page.url.startswith(base):
                ran[name] = f"{sentinel} at {seen.page.url}"
    # Requests may fail (the 404 page's base is the real site's address):
    # what matters here is that nothing ran.
    dialogs = [line for line in seen.problems if line.startswith("dialog:")]
    assert len(pages) > 100
    assert ran == {}
    assert dialogs == []
