"""The database itself refuses results outside the rules."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assurance.models import Assessment, AssessmentYear, CompetencyScore
from tests.factories import AssessmentFactory, AssessmentYearFactory, CompetencyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("score", [0, 5])
def test_it_rejects_a_score_outside_1_to_4(score):
    assessment = AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyScore.objects.create(
            assessment=assessment, competency=CompetencyFactory(number=1), score=score
        )
    assert not CompetencyScore.objects.exists()


@pytest.mark.parametrize("score", [1, 4])
def test_it_accepts_scores_at_the_ends_of_the_range(score):
    assessment = AssessmentFactory()
    CompetencyScore.objects.create(
        assessment=assessment, competency=CompetencyFactory(number=1), score=score
    )
    assert CompetencyScore.objects.get().score == score


@pytest.mark.parametrize("area", ["strategy", "finance", "board_governance"])
def test_it_rejects_a_rating_other_than_red_amber_green(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(**{area: "X"})
    assert not Assessment.objects.exists()


def test_it_rejects_a_second_assessment_of_a_pct_in_the_same_year():
    first = AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(pct=first.pct, year=first.year)
    assert Assessment.objects.count() == 1


def test_the_same_pct_can_be_assessed_in_two_years():
    first = AssessmentFactory(year=AssessmentYearFactory(start_year=2008))
    AssessmentFactory(pct=first.pct, year=AssessmentYearFactory(start_year=2009))
    assert Assessment.objects.filter(pct=first.pct).count() == 2


def test_it_rejects_two_scores_for_one_competency():
    assessment = AssessmentFactory(scores={1: 2})
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyScore.objects.create(
            assessment=assessment, competency=CompetencyFactory(number=1), score=3
        )


def test_a_year_is_labelled_as_a_financial_year():
    year = AssessmentYear(start_year=2009)
    assert (year.label, year.slug) == ("2009/10", "2009-10")
    assert AssessmentYear(start_year=1999).label == "1999/00"


@pytest.mark.parametrize(
    ("slug", "start_year"),
    [
        *[("2009-10", 2009), ("1999-00", 1999), ("2009-11", None), ("2009", None)],
        ("abcd-ef", None),
        # Superscript and other non-ASCII digits: str.isdigit() says yes, int() says no.
        *[("²²²²-10", None), ("2009-¹⁰", None), ("２００９-10", None), (" 2009-10", None)],
    ],
)
def test_a_year_slug_is_parsed_strictly(slug, start_year):
    assert AssessmentYear.start_year_from_slug(slug) == start_year


@pytest.mark.parametrize(
    ("status", "embargo_days", "public_now", "public_in_a_week"),
    [
        ("draft", None, False, False),
        ("published", None, True, True),
        ("published", 3, False, True),  # under embargo for three more days
        ("published", -3, True, True),  # its embargo lifted three days ago
        ("withdrawn", None, False, False),
    ],
)
def test_the_query_and_the_instance_give_one_answer_to_is_this_year_public(
    status, embargo_days, public_now, public_in_a_week
):
    now = timezone.now()
    year = AssessmentYearFactory(
        start_year=2009,
        status=status,
        public_from=None if embargo_days is None else now + datetime.timedelta(days=embargo_days),
    )
    in_a_week = now + datetime.timedelta(days=7)
    assert year.is_public() is public_now
    assert year.is_public(at=in_a_week) is public_in_a_week
    assert AssessmentYear.objects.public().filter(pk=year.pk).exists() is public_now
    assert AssessmentYear.objects.public(at=in_a_week).filter(pk=year.pk).exists() is (
        public_in_a_week
    )


def test_by_slug_finds_the_year_it_names_and_none_for_other_text():
    AssessmentYearFactory(start_year=2009)
    assert [y.start_year for y in AssessmentYear.objects.by_slug("2009-10")] == [2009]
    assert not AssessmentYear.objects.by_slug("2009-11").exists()
    assert not AssessmentYear.objects.by_slug("2008-09").exists()


@pytest.mark.parametrize("url", ["/league/2009-11/", "/league/09-10/", "/assurance/2009-11/"])
def test_urls_name_years_only_as_financial_years(client, url):
    assert client.get(url).status_code == 404


def test_year_urls_are_built_from_a_year_or_its_slug():
    year = AssessmentYear(start_year=2009)
    assert reverse("leaguetable:league", args=[year]) == "/league/2009-10/"
    assert reverse("assurance:year", args=["2010-11"]) == "/assurance/2010-11/"


@pytest.mark.parametrize(
    "url", ["/assurance/%C2%B2%C2%B2%C2%B2%C2%B2-10/", "/assurance/2010-11/pct/5K55/"]
)
def test_odd_years_and_pct_codes_in_urls_are_not_found(admin_client, url):
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/assurance/pct/%00/history/",
        "/assurance/2010-11/pct/%00/",
        "/assurance/2010-11/pct/5K%00/",
        "/flags/new/2009-10/%00/",
    ],
)
def test_a_nul_byte_in_a_url_is_a_bad_request(admin_client, url):
    """On PostgreSQL a NUL byte in a query is an error, so it must never reach one."""
    assert admin_client.get(url).status_code == 400


def test_import_results_names_a_year_with_odd_digits_as_unknown(tmp_path):
    sheet = tmp_path / "results.csv"
    sheet.write_text("pct_code\n")
    with pytest.raises(CommandError, match="No assurance year '²²²²-10'"):
        call_command("import_results", str(sheet), "--year", "²²²²-10", "--by", "nobody")
