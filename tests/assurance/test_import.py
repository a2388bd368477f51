"""Importing spreadsheets through the web and the command: all rows or nothing, and audited."""

import datetime
import hashlib
import io
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts import roles
from assurance import actions, importers
from assurance.actions import assessments as assessment_actions
from assurance.decisions import PanelDecision
from assurance.management.commands.import_results import Command as ImportCommand
from assurance.models import PCT, Assessment, AssessmentYear, CompetencyScore, ImportBatch
from tests.assurance.test_importers import HEADER, csv_file, xlsx_file
from tests.pages import csv_rows, soup

pytestmark = pytest.mark.django_db

GOOD = csv_file("5C4,3,3,G,A,R", "5PG,1,2,A,A,A")
BAD_FILES = {
    "unknown PCT": ("results.csv", csv_file("ZZZ,1,1,G,G,G"), "unknown PCT code 'ZZZ'"),
    "same PCT twice": ("results.csv", csv_file("5PG,1,1,G,G,G", "5PG,1,1,G,G,G"), "twice"),
    "score of five": ("results.csv", csv_file("5C4,5,1,G,G,G"), "whole number from 1 to 4"),
    "decimal score": ("results.csv", csv_file("5C4,2.5,1,G,G,G"), "whole number from 1 to 4"),
    "rating X": ("results.csv", csv_file("5C4,1,1,X,G,G"), "R, A or G"),
    "missing column": (
        "results.csv",
        csv_file("5C4,1,G,G,G", header="pct_code,c1,strategy,finance,board_governance"),
        "missing column",
    ),
    "unknown column": ("results.csv", csv_file("5C4,1,1,G,G,G,4", header=f"{HEADER},c3"), "c3"),
    "empty file": ("results.csv", b"", "The file is empty."),
    "heading only": ("results.csv", csv_file(), "heading but no results"),
    "not CSV or XLSX": ("results.pdf", b"%PDF-1.4 whatever", "only those are accepted"),
    "broken workbook": ("results.xlsx", b"PK\x03\x04 not really", "not a readable Excel"),
    "latin-1 CSV": (
        "results.csv",
        f"{HEADER},notes\n5C4,1,1,G,G,G,Café\n".encode("latin-1"),
        "UTF-8",
    ),
    "utf-16 CSV": ("results.csv", csv_file("5C4,1,1,G,G,G").decode().encode("utf-16"), "UTF-8"),
}


def import_via_command(path, year="2009-10", *extra):
    """Run the command as manage.py would; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    command = ImportCommand(stdout=out, stderr=err)
    # run_from_argv closes every database connection as it ends, which the test still needs.
    with mock.patch("django.core.management.base.connections.close_all"):
        try:
            command.run_from_argv(
                ["manage.py", "import_results", str(path), "--year", year, *extra]
            )
            code = 0
        except SystemExit as exit:
            code = exit.code
    return code, out.getvalue(), err.getvalue()


def upload(client, name, content, year="2009-10"):
    return client.post(
        "/assurance/import/", {"year": year, "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize("case", BAD_FILES)
def test_the_command_rejects_a_bad_file_writing_nothing(tmp_path, draft_year, snapshot, case):
    name, content, message = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    code, out, err = import_via_command(path)
    assert code != 0
    assert message in err and "Nothing was imported" in err
    assert "Traceback" not in err + out
    assert snapshot() == before


@pytest.mark.parametrize("case", BAD_FILES)
def test_the_web_upload_rejects_a_bad_file_listing_every_problem(
    client, users, draft_year, snapshot, case
):
    name, content, message = BAD_FILES[case]
    client.force_login(users["admin"])
    before = snapshot()
    response = upload(client, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    # Django's own form refuses an empty upload before the importer sees it.
    expected = "The submitted file is empty" if content == b"" else message
    assert expected in page.replace("&#x27;", "'")
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_by_command_and_web(
    client, users, draft_year, snapshot, settings, tmp_path
):
    settings.IMPORT_MAX_BYTES = len(GOOD) - 1
    before = snapshot()
    path = tmp_path / "big.csv"
    path.write_bytes(GOOD)
    code, _, err = import_via_command(path)
    assert code != 0 and "IMPORT_MAX_BYTES" in err
    client.force_login(users["admin"])
    page = upload(client, "big.csv", GOOD).content.decode()
    assert f"largest accepted is {len(GOOD) - 1:,} bytes" in page
    assert snapshot() == before


def test_an_upload_far_over_the_limit_is_reported_at_its_real_size(
    client, users, draft_year, settings
):
    settings.IMPORT_MAX_BYTES = 100
    big = GOOD + b"\n" * 10_000
    client.force_login(users["admin"])
    page = upload(client, "big.csv", big).content.decode()
    assert f"The file is {len(big):,} bytes; the largest accepted is 100 bytes." in page


def test_an_upload_of_two_files_is_refused_before_the_second_is_read(
    client, users, draft_year, snapshot
):
    before = snapshot()
    client.force_login(users["admin"])
    files = [SimpleUploadedFile(f"r{n}.csv", GOOD) for n in (1, 2)]
    client.raise_request_exception = False
    response = client.post("/assurance/import/", {"year": "2009-10", "file": files})
    assert response.status_code == 400
    assert snapshot() == before


def test_a_request_body_over_the_cap_is_refused_before_it_is_read(
    client, users, draft_year, snapshot, settings
):
    settings.REQUEST_MAX_BYTES = 10_000
    before = snapshot()
    client.force_login(users["admin"])
    response = upload(client, "big.csv", GOOD + b"\n" * 10_000)
    assert response.status_code == 413
    assert "accepts at most 10,000 bytes" in response.content.decode()
    assert snapshot() == before


def test_the_command_imports_a_good_file_and_prints_a_summary(tmp_path, draft_year):
    path = tmp_path / "results.csv"
    path.write_bytes(GOOD)
    code, out, err = import_via_command(path)
    assert code == 0
    assert "Imported results.csv into 2009/10: 1 new, 1 changed, 0 unchanged" in out
    assert "Writing" in err and "rows" in err  # the progress bar
    assert scores_of("5C4") == {1: 3, 2: 3} and scores_of("5PG") == {1: 1, 2: 2}


def scores_of(code, start_year=2009):
    return dict(
        CompetencyScore.objects.filter(
            assessment__pct__code=code, assessment__year__start_year=start_year
        ).values_list("competency__number", "score")
    )


def test_a_dry_run_writes_nothing(tmp_path, draft_year, snapshot):
    path = tmp_path / "results.csv"
    path.write_bytes(GOOD)
    before = snapshot()
    code, out, _ = import_via_command(path, "2009-10", "--dry-run")
    assert code == 0 and "Would import results.csv into 2009/10: 1 new, 1 changed" in out
    assert snapshot() == before


def test_the_command_refuses_an_unknown_year_or_a_by_user_who_is_not_an_admin(
    tmp_path, draft_year, users
):
    path = tmp_path / "results.csv"
    path.write_bytes(GOOD)
    assert import_via_command(path, "2011-12")[0] != 0
    code, _, err = import_via_command(path, "2009-10", "--by", users["analyst"].username)
    assert code != 0 and "not an assurance admin" in err


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, draft_year):
    path = tmp_path / "results.csv"
    path.write_bytes(GOOD)
    import_via_command(path)
    results = {code: scores_of(code) for code in ("5C4", "5PG")}
    history = (Assessment.history.count(), CompetencyScore.history.count())
    revision = AssessmentYear.objects.get(start_year=2009).revision
    code, out, _ = import_via_command(path)
    assert code == 0 and "0 new, 0 changed, 2 unchanged" in out
    assert {code: scores_of(code) for code in ("5C4", "5PG")} == results
    assert (Assessment.history.count(), CompetencyScore.history.count()) == history
    assert AssessmentYear.objects.get(start_year=2009).revision == revision


def full_year_file(codes=None) -> bytes:
    """A row for each PCT of 2010/11: 151, the two Hertfordshire PCTs having merged into 5QV."""
    numbers = range(1, 12)
    codes = codes or PCT.objects.exclude(code__in=["5P3", "5P4"]).order_by("code")
    header = ",".join(
        ["pct_code", *(f"c{n}" for n in numbers), "strategy,finance,board_governance"]
    )
    rows = [
        ",".join([code, *(str(1 + (i + n) % 4) for n in numbers), "G,A,R"])
        for i, code in enumerate(codes.values_list("code", flat=True))
    ]
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def empty_2010_11(reference_data):
    return actions.create_year(start_year=2010, competency_numbers=list(range(1, 12)))


def test_a_valid_file_of_every_pct_of_the_year_lands_whole(tmp_path, empty_2010_11):
    # The 152 PCTs of 2008-10, less the two merged into Hertfordshire PCT (5QV), and 5QV.
    path = tmp_path / "all.csv"
    path.write_bytes(full_year_file())
    code, out, _ = import_via_command(path, "2010-11")
    assert code == 0 and "151 new" in out
    assert Assessment.objects.for_year(empty_2010_11).count() == 151
    assert CompetencyScore.objects.filter(assessment__year=empty_2010_11).count() == 151 * 11


@pytest.mark.parametrize(
    ("year", "code", "why"),
    [
        ("2010-11", "5P3", "had merged into Hertfordshire PCT (5QV) on 1 April 2010"),
        ("2009-10", "5QV", "was formed on 1 April 2010 (from 5P3, 5P4), after 2009/10 began"),
    ],
)
def test_a_pct_that_did_not_exist_in_the_year_is_refused_on_its_row(
    tmp_path, reference_data, snapshot, year, code, why
):
    start = int(year[:4])
    actions.create_year(start_year=start, competency_numbers=list(range(1, 12)))
    path = tmp_path / "all.csv"
    path.write_bytes(full_year_file(PCT.objects.filter(code__in=[code, "5C4"])))
    before = snapshot()
    exit_code, _, err = import_via_command(path, year)
    assert exit_code != 0 and why in err
    assert "1 problem(s)" in err  # its row alone: Tower Hamlets' row is fine
    assert snapshot()["assessments"] == before["assessments"]


def test_a_failure_mid_write_leaves_nothing_of_a_full_file(
    tmp_path, empty_2010_11, snapshot, monkeypatch
):
    """Written in chunks of 50, the third chunk fails: the first two must not survive."""
    monkeypatch.setattr(assessment_actions, "WRITE_CHUNK", 50)
    real_create, calls = assessment_actions._create_new, []

    def failing_create(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_create(*args)

    monkeypatch.setattr(assessment_actions, "_create_new", failing_create)
    path = tmp_path / "all.csv"
    path.write_bytes(full_year_file())
    before = snapshot()
    with pytest.raises(RuntimeError):
        call_command(
            "import_results",
            str(path),
            "--year",
            "2010-11",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert len(calls) == 3
    assert snapshot() == before


def test_upload_preview_and_confirm_write_the_previewed_changes(client, users, draft_year):
    client.force_login(users["admin"])
    response = upload(client, "results.csv", GOOD)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/assurance/import/{batch.pk}/"
    assert bytes(batch.content) == GOOD and batch.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert scores_of("5C4") == {1: 2, 2: 3}  # nothing written before the confirmation

    preview = client.get(response.url).content.decode()
    assert "<dt>New</dt><dd>1</dd>" in preview and "<dt>Changed</dt><dd>1</dd>" in preview
    assert "<td>c1</td><td>2</td><td>3</td>" in preview  # 5C4's C1 goes from 2 to 3

    revision = AssessmentYear.objects.get(start_year=2009).revision
    confirmed = client.post(f"/assurance/import/{batch.pk}/confirm/", {"revision": revision})
    assert confirmed.status_code == 302
    assert scores_of("5C4") == {1: 3, 2: 3}
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


def test_the_file_is_read_once_at_upload_and_never_again(client, users, draft_year):
    client.force_login(users["admin"])
    with mock.patch.object(importers, "read_spreadsheet", wraps=importers.read_spreadsheet) as read:
        batch_url = upload(client, "results.csv", GOOD).url
        assert client.get(batch_url).status_code == 200
        revision = AssessmentYear.objects.get(start_year=2009).revision
        client.post(f"{batch_url}confirm/", {"revision": revision})
    assert read.call_count == 1
    assert scores_of("5C4") == {1: 3, 2: 3} and scores_of("5PG") == {1: 1, 2: 2}
    batch = ImportBatch.objects.get()
    assert [(item["row"], item["pct_code"]) for item in batch.decisions] == [(2, "5C4"), (3, "5PG")]


def test_a_pct_removed_after_the_upload_is_named_by_its_row_and_nothing_is_written(
    client, users, draft_year, snapshot
):
    client.force_login(users["admin"])
    batch_url = upload(client, "results.csv", csv_file("5C4,3,3,G,A,R", "5QL,1,2,A,A,A")).url
    PCT.objects.filter(code="5QL").delete()  # the reference data reloaded without it
    preview = client.get(batch_url).content.decode()
    assert "row 3, column pct_code: PCT code &#x27;5QL&#x27; is no longer on record" in preview
    before = snapshot()
    revision = AssessmentYear.objects.get(start_year=2009).revision
    response = client.post(f"{batch_url}confirm/", {"revision": revision}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before


def test_a_batch_stored_before_uploads_kept_their_results_is_read_from_its_file(
    client, users, draft_year
):
    client.force_login(users["admin"])
    batch_url = upload(client, "results.csv", GOOD).url
    ImportBatch.objects.update(decisions=None)
    revision = AssessmentYear.objects.get(start_year=2009).revision
    client.post(f"{batch_url}confirm/", {"revision": revision})
    assert scores_of("5C4") == {1: 3, 2: 3} and scores_of("5PG") == {1: 1, 2: 2}


def test_a_batch_cannot_be_confirmed_twice(client, users, draft_year, snapshot):
    client.force_login(users["admin"])
    batch_url = upload(client, "results.csv", GOOD).url
    revision = AssessmentYear.objects.get(start_year=2009).revision
    client.post(f"{batch_url}confirm/", {"revision": revision})
    after_first = snapshot()
    again = client.post(f"{batch_url}confirm/", {"revision": after_first["years"][0][2]})
    assert again.status_code == 302
    assert snapshot() == after_first


def test_a_preview_gone_stale_is_refused_and_writes_nothing(client, users, draft_year, snapshot):
    client.force_login(users["admin"])
    batch_url = upload(client, "results.csv", GOOD).url
    previewed = AssessmentYear.objects.get(start_year=2009).revision
    assessment = Assessment.objects.get(pct__code="5C4")
    actions.save_assessment(
        year=draft_year,
        pct=assessment.pct,
        result=PanelDecision("5C4", "R", "R", "R", {1: 1, 2: 1}),
        opened_version=assessment.version,
        by=users["admin"],
    )
    before = snapshot()
    response = client.post(f"{batch_url}confirm/", {"revision": previewed}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before


def test_the_import_records_its_file_in_the_audit_trail(client, users, draft_year):
    client.force_login(users["admin"])
    batch_url = upload(client, "panel-results.csv", GOOD).url
    revision = AssessmentYear.objects.get(start_year=2009).revision
    client.post(f"{batch_url}confirm/", {"revision": revision})
    batch = ImportBatch.objects.get()
    rows = CompetencyScore.history.filter(import_batch=batch)
    assert rows.count() == 3  # 5C4's C1 changed; 5PG's two scores are new
    assert {row.history_user for row in rows} == {users["admin"]}
    assert {row.route for row in rows} == {"import"}
    history = client.get("/assurance/pct/5C4/history/").content.decode()
    assert "panel-results.csv" in history and batch.sha256[:12] in history


def test_an_xlsx_file_imports_like_a_csv(client, users, draft_year):
    client.force_login(users["admin"])
    content = xlsx_file([HEADER.split(","), ["5QL", 4, 4, "Green", "green", "G"]])
    batch_url = upload(client, "results.xlsx", content).url
    revision = AssessmentYear.objects.get(start_year=2009).revision
    client.post(f"{batch_url}confirm/", {"revision": revision})
    assert scores_of("5QL") == {1: 4, 2: 4}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_the_years_columns_and_imports_back_unchanged(
    client, users, draft_year, fmt
):
    client.force_login(users["admin"])
    response = client.get(f"/assurance/2009-10/template.{fmt}")
    assert response.status_code == 200
    assert f"wcc-results-2009-10-template.{fmt}" in response["Content-Disposition"]
    frame = importers.read_spreadsheet(f"t.{fmt}", response.content, max_bytes=10**6)
    columns = importers.columns_for([1, 2])
    assert list(frame.iloc[0]) == [columns[0], "pct_name", *columns[1:]]
    assert list(frame.iloc[1:, 0]) == ["5C4", "5PG", "5QL"]


FORMULA_NOTES = '=HYPERLINK("http://example.invalid","minutes")'


def preview_counts(response) -> dict[str, int]:
    """The import preview's summary: New, Changed, Unchanged."""
    summary = soup(response).select(".headline dl div")
    return {item.dt.get_text(strip=True): int(item.dd.get_text(strip=True)) for item in summary}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_uploaded_unchanged_imports_as_nothing_changed(client, users, draft_year, fmt):
    """The template lists every PCT, those without results as rows with only a code; formula-like
    notes come back as the text the admin wrote."""
    Assessment.objects.filter(pct__code="5C4").update(
        notes=FORMULA_NOTES, panel_date=datetime.date(2010, 4, 21)
    )
    client.force_login(users["admin"])
    template = client.get(f"/assurance/2009-10/template.{fmt}").content
    response = upload(client, f"template.{fmt}", template)
    assert response.status_code == 302, soup(response).select(".errors")
    assert preview_counts(client.get(response.url)) == {"New": 0, "Changed": 0, "Unchanged": 1}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_notes_are_text_in_the_template_and_read_back_as_written(
    client, users, draft_year, fmt
):
    Assessment.objects.filter(pct__code="5C4").update(notes=FORMULA_NOTES)
    client.force_login(users["admin"])
    content = client.get(f"/assurance/2009-10/template.{fmt}").content
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        notes = next(row[-1] for row in sheet.iter_rows() if row[0].value == "5C4")
        assert (notes.data_type, notes.value) == ("s", "'" + FORMULA_NOTES)  # text, not formula
    else:
        row = next(line for line in content.decode("utf-8-sig").splitlines() if "5C4" in line)
        assert "'=HYPERLINK" in row
    results = importers.parse_for_year(draft_year, f"t.{fmt}", content, max_bytes=10**6)
    assert [r.notes for r in results] == [FORMULA_NOTES]


def test_the_years_template_and_entry_form_offer_only_the_pcts_of_that_year(
    client, users, empty_2010_11
):
    client.force_login(users[roles.ADMIN])
    actions.create_year(start_year=2009, competency_numbers=list(range(1, 12)))
    template = csv_rows(client.get("/assurance/2010-11/template.csv"))
    assert len(template) == 151
    assert {"5P3", "5P4"}.isdisjoint(template["pct_code"]) and "5QV" in set(template["pct_code"])
    assert client.get("/assurance/2010-11/pct/5P3/").status_code == 404
    assert client.get("/assurance/2009-10/pct/5QV/").status_code == 404


def test_an_upload_with_nothing_to_import_is_marked_so_not_left_awaiting(client, users, draft_year):
    client.force_login(users[roles.ADMIN])
    upload(client, "same.csv", csv_file("5C4,2,3,A,A,A"))  # as recorded (tests conftest)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.NOTHING
    row = soup(client.get("/assurance/imports/")).select_one("table tbody tr")
    assert "Nothing to import" in row.get_text(" ", strip=True)
    preview = soup(client.get(f"/assurance/import/{batch.pk}/"))
    assert preview.select("form[action$='/confirm/']") == []


def test_the_upload_form_names_the_year_by_its_slug_as_every_url_does(client, users, draft_year):
    client.force_login(users["admin"])
    form = soup(client.get("/assurance/import/?year=2009-10")).find(
        "select", attrs={"name": "year"}
    )
    chosen = form.find("option", selected=True)
    assert chosen["value"] == "2009-10" and "2009/10" in chosen.get_text()
    # The start year alone, as the form once took it, names no year.
    refused = upload(client, "results.csv", GOOD, year="2009")
    assert refused.status_code == 200 and not ImportBatch.objects.exists()
    assert "Select a valid choice" in refused.content.decode()
