"""The release named in cache keys: the same code gives the same name, changed code another."""

from wcc.release import source_digest


def a_checkout(root, template="<h1>League table</h1>"):
    (root / "templates").mkdir(parents=True)
    (root / "leaguetable").mkdir()
    (root / "templates" / "league.html").write_text(template)
    (root / "leaguetable" / "views.py").write_text("def league(request): ...\n")
    return root


def test_two_checkouts_of_the_same_code_name_the_same_release(tmp_path):
    assert source_digest(a_checkout(tmp_path / "a")) == source_digest(a_checkout(tmp_path / "b"))


def test_a_changed_template_names_a_new_release(tmp_path):
    before = source_digest(a_checkout(tmp_path / "a"))
    after = source_digest(a_checkout(tmp_path / "b", template="<h1>League table!</h1>"))
    assert before != after


def test_a_new_static_manifest_names_a_new_release(tmp_path):
    root = a_checkout(tmp_path)
    before = source_digest(root)
    (root / "staticfiles").mkdir()
    (root / "staticfiles" / "staticfiles.json").write_text('{"paths": {"app.css": "app.1.css"}}')
    assert source_digest(root) != before
