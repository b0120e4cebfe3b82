"""The parts of a built page that its head and policy tests read."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: ``<link rel>`` values whose ``href`` the browser fetches.
FETCHED_LINKS = frozenset({"stylesheet", "preload", "modulepreload", "icon"})


@dataclass
class PageParts(HTMLParser):
    """Inline scripts, fetched resources and meta tags of one HTML page."""

    inline_scripts: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    metas: list[dict[str, str]] = field(default_factory=list)
    html_attributes: dict[str, str] = field(default_factory=dict)
    #: Start tags in order, to check what comes before what.
    tags: list[str] = field(default_factory=list)
    _script: list[str] | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    @classmethod
    def of(cls, path: Path) -> PageParts:
        parts = cls()
        parts.feed(path.read_text(encoding="utf-8"))
        parts.close()
        return parts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        if tag == "html":
            self.html_attributes = attributes
        elif tag == "meta":
            self.metas.append(attributes)
        elif tag == "script":
            if "src" in attributes:
                self.resources.append(attributes["src"])
            else:
                self._script = []
        elif tag in {"img", "iframe", "source", "embed", "audio", "video"}:
            if "src" in attributes:
                self.resources.append(attributes["src"])
        elif tag == "link" and FETCHED_LINKS & set(attributes.get("rel", "").split()):
            self.resources.append(attributes["href"])

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None

    def meta(self, key: str, name: str) -> str | None:
        """The content of the meta tag whose ``key`` attribute is ``name``."""
        found = [m["content"] for m in self.metas if m.get(key) == name]
        assert len(found) <= 1, f"{len(found)} meta tags {key}={name}"
        return found[0] if found else None
