"""CVSS vectors become scores and ratings; anything else is "not rated"."""

from __future__ import annotations

import pytest

from crosswork.kinds.advisories.severity import (
    NOT_RATED,
    Rating,
    best_rating,
    database_rating,
    rate_vector,
)


def vector_of(record: dict, kind: str) -> str:
    return next(item["score"] for item in record["severity"] if item["type"] == kind)


class TestRealVectors:
    """Scores checked by hand against the CVSS 3.1 calculator (and NVD)."""

    def test_horizon_open_redirect_is_medium_6_1(self, record):
        data = record("pypa-advisory-database/horizon__PYSEC-2023-153.yaml")
        rating = rate_vector(vector_of(data, "CVSS_V3"))
        assert rating == Rating(
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "3.1", 6.1, "Medium"
        )
        assert rating.text == "Medium (6.1, CVSS 3.1)"

    def test_urllib3_body_leak_is_medium_4_2(self, record):
        data = record("pypa-advisory-database/urllib3__PYSEC-2023-212.yaml")
        rating = rate_vector(vector_of(data, "CVSS_V3"))
        assert (rating.score, rating.label, rating.version) == (4.2, "Medium", "3.1")

    def test_oslo_utils_ghsa_has_v3_and_v4(self, record):
        data = record("github-advisory-database/GHSA-wmqq-r32m-87c5_oslo-utils.json")
        v3 = rate_vector(vector_of(data, "CVSS_V3"))
        v4 = rate_vector(vector_of(data, "CVSS_V4"))
        assert (v3.score, v3.label) == (4.9, "Medium")
        assert (v4.score, v4.label, v4.version) == (6.9, "Medium", "4.0")

    def test_legacy_ossa_v2_vector_matches_its_stated_score(self):
        rating = rate_vector("AV:N/AC:L/Au:S/C:N/I:N/A:P")
        assert (rating.score, rating.label, rating.version) == (4.0, "Medium", "2.0")


class TestCritical:
    def test_worst_v3_vector_is_critical_10(self):
        rating = rate_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
        assert (rating.score, rating.label) == (10.0, "Critical")


@pytest.mark.parametrize(
    "vector",
    [
        "",
        "   ",
        "garbage",
        "CVSS:3.1/AV:N",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/AV:N",
        "CVSS:4.0/AV:N",
        "CVSS:9.9/AV:N",
        "AV:N/AC:L/Au:S",
        "CVSS:3.1/" + "AV:N/" * 100,
        "<script>alert(1)</script>",
    ],
)
def test_what_is_not_a_vector_is_not_rated(vector):
    assert rate_vector(vector) is None


class TestBestRating:
    def test_newest_cvss_version_wins(self):
        v3 = rate_vector("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N")
        v4 = rate_vector(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"
        )
        assert best_rating([v3, v4]) == v4
        assert best_rating([v4, v3]) == v4

    def test_within_a_version_the_higher_score_wins(self):
        low = rate_vector("CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N")
        high = rate_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")
        assert best_rating([high, low]) == best_rating([low, high]) == high

    def test_nothing_rated_is_not_rated(self):
        assert best_rating([]) is NOT_RATED
        assert NOT_RATED.text == "Not rated"
        assert not NOT_RATED.rated


class TestDatabaseRatings:
    """Without any vector, the database's own rating, named as such."""

    def test_github_moderate_groups_as_medium_in_githubs_words(self):
        rating = database_rating("GitHub", "MODERATE")
        assert (rating.label, rating.word, rating.database) == (
            "Medium",
            "Moderate",
            "GitHub",
        )
        assert rating.rated and not rating.scored
        assert rating.text == "Moderate (GitHub's rating)"
        assert rating.detail == "GitHub's rating"

    @pytest.mark.parametrize("word", ["", "UNKNOWN", "severe", "<script>"])
    def test_an_unknown_word_is_no_rating(self, word):
        assert database_rating("GitHub", word) is None

    def test_any_score_beats_a_database_rating(self):
        low = rate_vector("CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N")
        stated = database_rating("GitHub", "CRITICAL")
        assert best_rating([stated, low]) == low

    def test_of_two_database_ratings_the_more_severe_wins(self):
        high = database_rating("GitHub", "HIGH")
        low = database_rating("PyPA", "LOW")
        assert best_rating([low, high]) == high

    def test_a_scored_rating_says_its_score_as_detail(self):
        rating = rate_vector("CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N")
        assert rating.detail == "4.2, CVSS 3.1"
        assert NOT_RATED.detail == ""
