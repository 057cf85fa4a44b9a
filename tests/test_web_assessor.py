"""The assessor room and the assessment API: uploads (YAML, JSON, .xlsx, and bad ones with their
problems), reading an assessment by role, judgments by the assigned assessor only (a new
assessment attributed to them in the provenance), the indicator page, the source passage, the
report and template downloads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from demozone import api
from demozone.web.app import create_app
from demozone.web.settings import Settings

from .web_helpers import PASSWORD, log_in

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022"

USERS = {
    "ann": "assessor",
    "bob": "assessor",
    "policy": "policy",
    "auditor": "auditor",
    "admin": "admin",
}


@pytest.fixture(scope="module")
def ground(tmp_path_factory):
    """An app with users, and the example uploaded by ann: (app, settings, assessment id)."""
    folder = tmp_path_factory.mktemp("assessor")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("DEMOZONE_EVIDENCE", str(EXAMPLE))
    settings = Settings(store=str(folder / "store"), db=f"sqlite:///{folder / 'accounts.sqlite'}")
    for name, role in USERS.items():
        api.add_user(name, role, PASSWORD, db=settings.db)
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        csrf = log_in(client, "ann")
        answer = upload(client, csrf, "submission.yaml", (EXAMPLE / "submission.yaml").read_bytes())
        assert answer.status_code == 201, answer.text
    yield app, settings, answer.json()["assessment"].rsplit("/", 1)[-1]
    monkey.undo()


@pytest.fixture
def client(ground):
    with TestClient(ground[0], base_url="http://127.0.0.1") as fresh:
        yield fresh


def upload(client: TestClient, csrf: str | None, name: str, content: bytes, **data):
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return client.post(
        "/api/submissions", files={"file": (name, content)}, data=data, headers=headers
    )


def example_document() -> dict:
    return yaml.safe_load((EXAMPLE / "submission.yaml").read_text(encoding="utf-8"))


def tie_clause(settings: Settings, assessment: str) -> dict:
    """A clause the panel is split on, one for one."""
    opinions = api.assessment_opinions(assessment, store=settings.store, db=settings.db)
    return next(c for c in opinions if c["majority"] is None)


# -- uploads -----------------------------------------------------------------------------------


def test_an_uploaded_yaml_answers_201_with_the_score_object_and_its_assessment(ground, client):
    assessment = ground[2]
    assert client.get(f"/api/assessments/{assessment}").status_code == 401
    assert client.get(f"/api/assessments/{assessment}/explain?indicator=3").status_code == 401
    log_in(client, "ann")
    found = client.get(f"/api/assessments/{assessment}").json()
    expected = yaml.safe_load((EXAMPLE / "expected-scores.yaml").read_text(encoding="utf-8"))
    assert found["submission"] == "qinglan-2024"
    assert found["assessment"].endswith(assessment)
    assert str(found["total"]) == str(expected.get("total", found["total"]))


def test_the_uploader_is_assigned_and_the_file_is_kept_by_digest(ground):
    _app, settings, assessment = ground
    assert api.is_assigned("qinglan-2024", "ann", db=settings.db)
    found = api.workspace_assessment(assessment, store=settings.store, db=settings.db)
    kept = api.kept_path(found["kept"], settings.store, settings.db)
    assert kept.read_bytes() == (EXAMPLE / "submission.yaml").read_bytes()
    assert (kept.parent / "evidence").is_dir()  # its evidence files kept beside it


def test_a_json_upload_is_scored_like_the_yaml(ground, client):
    document = example_document()
    document["submission"]["id"] = "qinglan-json"
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "s.json", json.dumps(document, default=str).encode())
    assert answer.status_code == 201, answer.text
    log_in(client, "ann")
    assert answer.json()["total"] == client.get(f"/api/assessments/{ground[2]}").json()["total"]


def test_an_xlsx_upload_of_a_fresh_submission_is_201(ground, client, tmp_path):
    api.convert(EXAMPLE / "submission.yaml", tmp_path / "s.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "s.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "qinglan-2024":
                    cell.value = "qinglan-book"
    book.save(tmp_path / "s.xlsx")
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "s.xlsx", (tmp_path / "s.xlsx").read_bytes())
    assert answer.status_code == 201, answer.text
    assert answer.json()["submission"] == "qinglan-book"


def test_a_bad_yaml_is_422_with_its_problems_by_field(client):
    document = example_document()
    document["submission"]["id"] = "qinglan-bad"
    document["metrics"]["online_operators"] = "many"
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "bad.yaml", yaml.safe_dump(document, allow_unicode=True).encode())
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert any(p["path"].startswith("metrics.online_operators") for p in problems), problems
    assert all(p["file"] == "bad.yaml" for p in problems)
    assert "online_operators" in answer.json()["detail"]


def test_a_bad_workbook_is_422_with_its_problems_by_sheet_and_cell(client, tmp_path):
    api.convert(EXAMPLE / "submission.yaml", tmp_path / "s.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "s.xlsx")
    changed = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == 2840 and not changed:
                    cell.value, changed = "很多", True
    assert changed
    book.save(tmp_path / "s.xlsx")
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "bad.xlsx", (tmp_path / "s.xlsx").read_bytes())
    assert answer.status_code == 422
    assert any("!" in p.get("cell", "") for p in answer.json()["problems"])


def test_a_file_that_is_no_submission_is_422(client):
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "notes.txt", b"hello")
    assert answer.status_code == 422
    assert "不是申报材料文件" in answer.json()["detail"]


@pytest.mark.parametrize("role", ["policy", "auditor", "admin"])
def test_only_assessors_upload(client, role):
    csrf = log_in(client, role)
    answer = upload(client, csrf, "s.yaml", (EXAMPLE / "submission.yaml").read_bytes())
    assert answer.status_code == 403


def test_an_upload_without_csrf_is_403_and_without_session_401(client):
    content = (EXAMPLE / "submission.yaml").read_bytes()
    assert upload(client, None, "s.yaml", content).status_code == 401
    log_in(client, "bob")
    assert upload(client, None, "s.yaml", content).status_code == 403


def test_another_assessor_cannot_replace_a_submission_uploaded_before(client):
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "s.yaml", (EXAMPLE / "submission.yaml").read_bytes())
    assert answer.status_code == 403


# -- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, status",
    [("ann", 200), ("bob", 403), ("policy", 200), ("auditor", 200), ("admin", 403)],
)
def test_who_reads_an_assessment_and_its_explanation(ground, client, name, status):
    assessment = ground[2]
    log_in(client, name)
    assert client.get(f"/api/assessments/{assessment}").status_code == status
    explained = client.get(f"/api/assessments/{assessment}/explain?indicator=3")
    assert explained.status_code == status
    if status == 200:
        tree = explained.json()["indicators"][0]
        assert tree["number"] == "3" and tree["clauses"][0]["text"]


def test_an_unknown_assessment_is_404_and_an_unknown_indicator_422(ground, client):
    log_in(client, "auditor")
    assert client.get("/api/assessments/nothing-here").status_code == 404
    answer = client.get(f"/api/assessments/{ground[2]}/explain?indicator=999")
    assert answer.status_code == 422


# -- judgments ---------------------------------------------------------------------------------


def test_the_assigned_assessor_judges_and_a_new_assessment_attributed_to_them_is_made(
    ground, client
):
    _app, settings, assessment = ground
    split = tie_clause(settings, assessment)
    evidence = next(o["evidence"] for o in split["opinions"] if o["satisfied"])
    csrf = log_in(client, "ann")
    before = client.get(f"/api/assessments/{assessment}").json()
    answer = client.post(
        f"/api/assessments/{assessment}/judgments",
        json={"judgments": [{"clause": split["clause"], "satisfied": True, "evidence": evidence}]},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["assessment"] != before["assessment"]
    assert made["total"] != before["total"]
    newer = made["assessment"].rsplit("/", 1)[-1]
    opinions = api.assessment_opinions(newer, store=settings.store, db=settings.db)
    judged = next(c for c in opinions if c["clause"] == split["clause"])
    assert judged["majority"] is True and not judged["agreed"]
    iri = made["assessment"]
    ask = (
        f"ASK {{ GRAPH <{iri}> {{ <{iri}> <http://www.w3.org/ns/prov#wasAttributedTo> "
        "<https://w3id.org/demozone/id/user/ann> } }"
    )
    assert api.query_store(ask, settings.store)["boolean"] is True
    rows = api.submission_judgments("qinglan-2024", store=settings.store, db=settings.db)
    assert [(r["clause"], r["assessor"]) for r in rows][-1] == (split["clause"], "ann")
    entries = api.audit_log(db=settings.db)
    assert any(e["action"] == "judgment.add" and e["user"] == "ann" for e in entries)


def test_an_assessor_not_assigned_cannot_judge(ground, client):
    csrf = log_in(client, "bob")
    answer = client.post(
        f"/api/assessments/{ground[2]}/judgments",
        json={"judgments": [{"clause": "10.1", "satisfied": False, "evidence": []}]},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("role", ["policy", "auditor", "admin"])
def test_other_roles_cannot_judge(ground, client, role):
    csrf = log_in(client, role)
    answer = client.post(
        f"/api/assessments/{ground[2]}/judgments",
        json={"judgments": [{"clause": "10.1", "satisfied": False, "evidence": []}]},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 403


def test_judging_without_csrf_is_403_and_without_session_401(ground, client):
    body = {"judgments": [{"clause": "10.1", "satisfied": False, "evidence": []}]}
    assert client.post(f"/api/assessments/{ground[2]}/judgments", json=body).status_code == 401
    log_in(client, "ann")
    assert client.post(f"/api/assessments/{ground[2]}/judgments", json=body).status_code == 403


def test_a_judgment_the_submission_cannot_take_is_422_and_records_nothing(ground, client):
    _app, settings, assessment = ground
    before = len(api.submission_judgments("qinglan-2024", store=settings.store, db=settings.db))
    csrf = log_in(client, "ann")
    answer = client.post(
        f"/api/assessments/{assessment}/judgments",
        json={"judgments": [{"clause": "99.9", "satisfied": True, "evidence": ["E404"]}]},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422
    assert "99.9" in answer.json()["detail"]
    after = len(api.submission_judgments("qinglan-2024", store=settings.store, db=settings.db))
    assert after == before


# -- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["policy", "auditor", "admin"])
def test_the_assessor_pages_are_for_assessors(ground, client, role):
    log_in(client, role)
    for page in ("/assessor/", f"/assessor/assessments/{ground[2]}"):
        assert client.get(page).status_code == 403


def test_my_submissions_list_the_latest_assessment(ground, client):
    log_in(client, "ann")
    page = client.get("/assessor/")
    assert page.status_code == 200
    assert "qinglan-2024" in page.text and "/assessor/assessments/" in page.text


def test_the_score_page_shows_the_sheet_with_the_systems_level_names_and_opinions(ground, client):
    log_in(client, "ann")
    page = client.get(f"/assessor/assessments/{ground[2]}")
    assert page.status_code == 200
    assert "一级指标" in page.text and "三级指标" in page.text
    assert "专家评审意见汇总" in page.text and "意见不一致" in page.text


def test_an_unassigned_assessor_gets_403_on_the_pages(ground, client):
    log_in(client, "bob")
    assert client.get(f"/assessor/assessments/{ground[2]}").status_code == 403
    assert client.get(f"/assessor/assessments/{ground[2]}/indicators/3").status_code == 403


def test_the_indicator_page_links_each_clause_to_its_marked_source_passage(ground, client):
    log_in(client, "ann")
    page = client.get(f"/assessor/assessments/{ground[2]}/indicators/3")
    assert page.status_code == 200
    links = re.findall(r'href="(/assessor/source/[^"]+)"', page.text)
    assert links
    source = client.get(links[-1].replace("&amp;", "&"))
    assert source.status_code == 200
    passage = re.search(r'<mark id="passage">(.*?)</mark>', source.text, re.S).group(1)
    tree = api.explain_assessment(ground[2], "3", store=ground[1].store, db=ground[1].db)
    quotes = [c["quote"] for c in tree["indicators"][0]["clauses"][0]["citations"]]
    quotes += [c["quote"] for c in tree["indicators"][0]["citations"]]
    assert passage in [q.replace("&", "&amp;") for q in quotes]
    assert '<script src="/static/assessor.js"' in source.text


def test_the_upload_form_shows_problems_with_422(client):
    document = example_document()
    document["submission"]["id"] = "qinglan-form"
    document["metrics"]["online_operators"] = "many"
    csrf = log_in(client, "bob")
    answer = client.post(
        "/assessor/upload",
        data={"csrf": csrf, "system": ""},
        files={"file": ("bad.yaml", yaml.safe_dump(document, allow_unicode=True).encode())},
    )
    assert answer.status_code == 422
    assert "metrics.online_operators" in answer.text


def test_the_judgment_form_records_and_shows_the_new_assessment(ground, client):
    csrf = log_in(client, "ann")
    answer = client.post(
        f"/assessor/assessments/{ground[2]}/judgments",
        data={"csrf": csrf, "clause": "10.1", "satisfied-10.1": "no", "evidence-10.1": ""},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    shown = client.get(answer.headers["location"])
    assert shown.status_code == 200 and "ann：不满足" in shown.text


def test_the_report_and_the_template_download(ground, client):
    log_in(client, "ann")
    pdf = client.get(f"/assessor/assessments/{ground[2]}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    book = client.get("/assessor/template/national-2022.xlsx")
    assert book.status_code == 200 and book.content.startswith(b"PK")


def test_markup_in_a_submission_shows_as_text_on_every_page_of_the_room(ground, client):
    script, image = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'
    document = example_document()
    document["submission"]["id"] = "qinglan-markup"
    document["submission"]["region"] = script
    document["evidence"][0]["title"] = image
    document["judgments"][0]["note"] = script + image
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "s.yaml", yaml.safe_dump(document, allow_unicode=True).encode())
    assert answer.status_code == 201, answer.text
    made = answer.json()["assessment"].rsplit("/", 1)[-1]
    for page in (
        "/assessor/",
        f"/assessor/assessments/{made}",
        f"/assessor/assessments/{made}/indicators/3",
        f"/assessor/assessments/{made}/indicators/10",
    ):
        shown = client.get(page)
        assert shown.status_code == 200
        assert "<script>alert" not in shown.text and "<img src=x" not in shown.text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/assessor/assessments/{made}").text
    )


def test_an_attributed_assessment_verifies_and_its_provenance_passes_the_shapes(ground):
    _app, settings, assessment = ground
    found = api.workspace_assessment(assessment, store=settings.store, db=settings.db)
    assert api.verify(found["iri"], settings.store)["ok"]
    resolved = api.resolve_assessment(found["iri"], settings.store)
    assert api.validate_export(api.export_graph(resolved)) == []
    ask = (
        f"ASK {{ GRAPH <{found['iri']}> {{ <{found['iri']}> "
        "<http://www.w3.org/ns/prov#wasAttributedTo> ?who . "
        "?who a <http://www.w3.org/ns/prov#Person> } }"
    )
    assert api.query_store(ask, settings.store)["boolean"] is True


def test_the_room_speaks_english_on_request(ground, client):
    log_in(client, "ann")
    assert "Upload a submission" in client.get("/assessor/?lang=en").text
    page = client.get(f"/assessor/assessments/{ground[2]}?lang=en")
    assert page.status_code == 200 and "Score sheet" in page.text


def test_a_file_larger_than_the_limit_is_422(client, monkeypatch):
    import demozone.api.workspace as workspace

    monkeypatch.setattr(api, "UPLOAD_LIMIT", 100)
    monkeypatch.setattr(workspace, "MAX_FILE_BYTES", 100)
    csrf = log_in(client, "bob")
    answer = upload(client, csrf, "big.yaml", b"#" * 1000)
    assert answer.status_code == 422
    assert "文件超过 100 字节" in answer.json()["detail"]


@pytest.mark.parametrize(
    "name, status", [("ann", 200), ("policy", 200), ("auditor", 200), ("admin", 403)]
)
def test_the_source_view_is_for_the_roles_that_read_assessments(client, name, status):
    log_in(client, name)
    answer = client.get("/assessor/source/wanrong?start=522&end=610")
    assert answer.status_code == status
    if status == 200:
        assert '<mark id="passage">' in answer.text


def test_a_passage_outside_its_source_is_422(client):
    log_in(client, "ann")
    assert client.get("/assessor/source/wanrong?start=5&end=99999999").status_code == 422
    assert client.get("/assessor/source/no-such-source?start=0&end=1").status_code == 422
