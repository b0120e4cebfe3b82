"""The search index stems each word once a build, with Sphinx's own English
stemmer, and so holds what Sphinx alone would put in it."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.search import en

from crosswork.site.searchindex import SearchEnglish

REPO = Path(__file__).resolve().parents[2]


def words_of_the_repository() -> list[str]:
    """Every word of the README, the docs and the specs, in order, repeats kept."""
    paths = [REPO / "README.rst", *sorted((REPO / "doc" / "source").rglob("*.rst"))]
    paths += sorted((REPO / "specs").rglob("*.rst"))
    text = "\n".join(path.read_text(encoding="utf-8") for path in paths)
    return re.findall(r"\w+", text)


def test_every_word_stems_as_sphinx_stems_it():
    words = words_of_the_repository()
    assert len(set(words)) > 2000
    ours, sphinx = SearchEnglish({}), en.SearchEnglish({})
    assert [ours.stem(word) for word in words] == [sphinx.stem(word) for word in words]


def test_each_word_is_stemmed_once_for_all_the_pages_that_hold_it():
    words = words_of_the_repository()
    language = SearchEnglish({})
    stemmer = language.stemmer.stemWord
    stemmed: list[str] = []
    language.stemmer.stemWord = lambda word: stemmed.append(word) or stemmer(word)
    for _page in range(3):
        for word in words:
            language.stem(word)
    # Once per spelling: the stemmer reads ``Spec`` and ``spec`` alike.
    assert sorted(stemmed) == sorted(word.lower() for word in set(words))


def test_the_site_indexes_with_it(make_app, copy_root):
    app = make_app("html", srcdir=copy_root("test-site"))
    app.build()
    assert type(app.builder.indexer.lang) is SearchEnglish
