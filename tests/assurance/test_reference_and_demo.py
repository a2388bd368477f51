"""Reference data loads idempotently; the illustrative demo follows the reported pattern."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg

from assurance import demo
from assurance.models import (
    PCT,
    SHA,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    OrganisationChange,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_fixtures_hold_the_152_pcts_of_2008_10_and_their_successor_in_the_10_shas():
    with (FIXTURES / "pcts.csv").open(encoding="utf-8") as handle:
        pcts = list(csv.DictReader(handle))
    with (FIXTURES / "shas.csv").open(encoding="utf-8") as handle:
        sha_codes = {row["code"] for row in csv.DictReader(handle)}
    assert len(pcts) == 152 + 1  # Hertfordshire PCT (5QV), formed on 1 April 2010
    assert len({row["code"] for row in pcts}) == 153
    assert all(len(row["code"]) == 3 for row in pcts)
    assert {row["sha_code"] for row in pcts} == sha_codes
    assert len(sha_codes) == 10


@pytest.mark.django_db
def test_loading_reference_data_twice_changes_nothing():
    call_command("load_reference_data", stdout=io.StringIO())
    first = list(PCT.objects.values_list("code", "name", "sha__code").order_by("code"))
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert list(PCT.objects.values_list("code", "name", "sha__code").order_by("code")) == first
    assert (SHA.objects.count(), PCT.objects.count(), Competency.objects.count()) == (10, 153, 11)
    assert "10 SHAs, 153 PCTs, 11 competencies, 2 organisation changes" in out.getvalue()
    assert PCT.objects.get(code="5C4").name == "Tower Hamlets PCT"


@pytest.mark.django_db
def test_the_reference_loader_records_the_hertfordshire_merger_once_however_often_it_runs():
    def changes():
        return sorted(
            OrganisationChange.objects.values_list(
                "predecessor__code", "successor__code", "kind", "effective"
            )
        )

    call_command("load_reference_data", stdout=io.StringIO())
    year = AssessmentYear.objects.create(start_year=2008)
    call_command("load_reference_data", stdout=io.StringIO())
    expected = [
        ("5P3", "5QV", "merger", datetime.date(2010, 4, 1)),
        ("5P4", "5QV", "merger", datetime.date(2010, 4, 1)),
    ]
    assert changes() == expected
    assert AssessmentYear.objects.get(pk=year.pk).revision == year.revision  # nothing changed
    assert all("ons_pco_sha_2012" in source for source in OrganisationChange.objects.values_list(
        "source", flat=True))  # fmt: skip
    successor = PCT.objects.get(code="5QV")
    assert (successor.name, successor.sha.code) == ("Hertfordshire PCT", "Q35")
    # A change edited by hand is put back, and the ranked tables refreshed.
    OrganisationChange.objects.filter(predecessor__code="5P3").update(kind="renaming")
    edited = AssessmentYear.objects.get(pk=year.pk).revision  # the edit moved it too (issue 24)
    call_command("load_reference_data", stdout=io.StringIO())
    assert changes() == expected
    assert AssessmentYear.objects.get(pk=year.pk).revision == edited + 1


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("5PJ", "Stoke on Trent PCT"),
        ("5MX", "Heart of Birmingham Teaching PCT"),
        ("5NW", "East Riding of Yorkshire PCT"),
        ("5QP", "Cornwall and Isles of Scilly PCT"),
        ("5QT", "Isle of Wight NHS PCT"),
        ("5CC", "Blackburn with Darwen PCT"),
    ],
)
def test_fixture_names_are_capitalised_as_the_ons_list_writes_them(code, name):
    with (FIXTURES / "pcts.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    assert names[code] == name


@pytest.mark.django_db
def test_loading_reference_data_corrects_a_name_and_refreshes_the_ranked_tables():
    call_command("load_reference_data", stdout=io.StringIO())
    PCT.objects.filter(code="5PJ").update(name="Stoke On Trent PCT")
    year = AssessmentYear.objects.create(start_year=2008)
    call_command("load_reference_data", stdout=io.StringIO())
    assert PCT.objects.get(code="5PJ").name == "Stoke on Trent PCT"
    year_revision = AssessmentYear.objects.get(pk=year.pk).revision
    assert year_revision == year.revision + 1
    call_command("load_reference_data", stdout=io.StringIO())  # nothing to correct now
    assert AssessmentYear.objects.get(pk=year.pk).revision == year_revision


def ratings_of(results):
    return [r.ratings for r in results]


def count_green(results, area):
    return sum(getattr(r, area) == "G" for r in results)


CODES = [f"P{n:02d}" for n in range(152)] + list(demo.YEAR_ONE_LEADERS)


def test_demo_generation_is_deterministic():
    first = demo.generate_year(demo.SHAPES[2008], CODES, list(range(1, 11)))
    again = demo.generate_year(demo.SHAPES[2008], list(reversed(CODES)), list(range(1, 11)))
    assert first == again
    other_seed = demo.generate_year(demo.SHAPES[2008], CODES, list(range(1, 11)), seed=7)
    assert other_seed != first


@pytest.mark.parametrize("start_year", sorted(demo.SHAPES))
def test_demo_reproduces_the_reported_rating_counts(start_year):
    shape = demo.SHAPES[start_year]
    results = demo.generate_year(shape, CODES, list(range(1, 12)))
    for area, greens in shape.greens.items():
        assert count_green(results, area) == greens
    assert ratings_of(results).count(("G", "G", "G")) == shape.triple_green
    assert ratings_of(results).count(("R", "R", "R")) == shape.triple_red
    assert sum(r.ratings.count("R") for r in results) == shape.reds


def test_year_one_demo_has_no_fours_and_mostly_ones_and_twos_with_the_leaders_on_top():
    results = demo.generate_year(demo.SHAPES[2008], CODES, list(range(1, 11)))
    scores = [s for r in results for s in r.scores.values()]
    assert max(scores) == 3
    assert sum(s <= 2 for s in scores) / len(scores) > 0.75
    leaders = [r for r in results if r.pct_code in demo.YEAR_ONE_LEADERS]
    assert all(r.ratings == ("G", "G", "G") for r in leaders)


@pytest.mark.django_db
def test_load_demo_data_twice_gives_the_same_results(reference_data):
    def snapshot():
        return sorted(
            CompetencyScore.objects.values_list(
                "assessment__year__start_year",
                "assessment__pct__code",
                "competency__number",
                "score",
            )
        )

    call_command("load_demo_data", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == first
    # 2008/09: the 152 PCTs of the time; 2009/10: 146 of them analysed; 2010/11: 5QV instead of
    # 5P3 and 5P4.
    assert Assessment.objects.count() == 152 + 146 + 151
    assessed = set(Assessment.objects.values_list("year__start_year", "pct__code"))
    assert {(2010, "5QV"), (2008, "5P3"), (2009, "5P4")} <= assessed
    assert not {(2008, "5QV"), (2009, "5QV"), (2010, "5P3"), (2010, "5P4")} & assessed


def test_adding_the_merged_successor_changes_no_other_pcts_demo_results():
    without = demo.generate_year(demo.SHAPES[2009], CODES, list(range(1, 12)))
    with_successor = demo.generate_year(demo.SHAPES[2009], [*CODES, "5QV"], list(range(1, 12)))
    assert with_successor == without  # 5QV is not assessed before it was formed


@pytest.mark.django_db
def test_demo_years_are_labelled_illustrative_and_only_the_real_years_are_published(demo_data):
    years = {y.start_year: y for y in AssessmentYear.objects.all()}
    assert all(y.is_illustrative for y in years.values())
    assert [y.start_year for y in AssessmentYear.objects.public()] == [2008, 2009]
    assert "Hypothetical" in years[2010].note
    assert years[2008].competencies.count() == 10
    assert years[2009].competencies.count() == 11


@pytest.mark.django_db
def test_demo_competency_11_comes_lowest_in_year_two(demo_data):
    averages = dict(
        CompetencyScore.objects.filter(assessment__year__start_year=2009)
        .values_list("competency__number")
        .annotate(Avg("score"))
    )
    assert min(averages, key=averages.get) == 11
    assert 1.3 <= averages[11] <= 1.6  # reported: 1.46


@pytest.mark.django_db
def test_the_demo_never_overwrites_results_that_are_not_illustrative(reference_data):
    AssessmentYear.objects.create(start_year=2009, is_illustrative=False)
    with pytest.raises(CommandError, match="not illustrative"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_the_demo_needs_reference_data_first():
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("load_demo_data", stdout=io.StringIO())


def test_no_demo_panel_sits_for_a_pct_after_it_ceased(demo_data):
    ceased = dict(OrganisationChange.objects.values_list("predecessor__code", "effective"))
    assert ceased, "the reference data records the Hertfordshire merger"
    late = [
        (a.pct.code, a.year.label, a.panel_date)
        for a in Assessment.objects.filter(pct__code__in=ceased).select_related("pct", "year")
        if a.panel_date is not None and a.panel_date >= ceased[a.pct.code]
    ]
    assert late == []
