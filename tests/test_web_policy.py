"""The policy room: systems and rule sets as tables, one rule set's indicators, the diff memo,
impact with its flips, lint, and variants linted before they enter the policy folder; who may
read, who may write, and the browser's view of every page."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from demozone import api
from demozone.web.app import create_app
from demozone.web.settings import Settings

from .browser_helpers import screenshot
from .web_helpers import PASSWORD, log_in

ROOT = Path(__file__).resolve().parent.parent
IMPACT = ROOT / "examples" / "impact"

ROLES = ("assessor", "policy", "auditor", "admin")
PAGES = (
    "/policy/",
    "/policy/rules/national-2022",
    "/policy/diff?a=national-2022&b=national-2024-draft",
    "/policy/impact",
    "/policy/lint",
    "/policy/upload",
)

# lint refuses it: indicator 3 is worth 2 points, this override awards up to 5
BAD_VARIANT = """\
system: national-2022-bad
title: 超出分值的变体
extends: national-2022
kb_system: national-2022
override:
  n22-3:
    bands:
      - {from: "10%", to: "15%", points: 1}
      - {from: "15%", points: 5}
"""
GOOD_VARIANT = """\
system: national-2022-looser
title: 网络市场监管与服务示范区创建评估指标体系（试行）计分规则（从宽假设）
extends: national-2022
kb_system: national-2022
pass_rule:
  first_level_rate_at_least: "70%"
"""


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    """A store holding one assessment of a near-miss example (copied, so its file stays), and
    one user per role named for the role."""
    folder = tmp_path_factory.mktemp("policy")
    settings = Settings(store=str(folder / "store"), db=f"sqlite:///{folder / 'accounts.sqlite'}")
    for role in ROLES:
        api.add_user(role, role, PASSWORD, db=settings.db)
    kept = folder / "submissions"
    kept.mkdir()
    for name in ("02-regulate-76.yaml", "01-strong.yaml"):
        shutil.copy(IMPACT / name, kept / name)
        api.assess(kept / name, store=settings.store)
    yield settings
    api.use_rules([])  # the policy folder is searched process-wide: later tests must not see it


@pytest.fixture(scope="module")
def server(settings):
    return create_app(settings)


@pytest.fixture
def client(server):
    with TestClient(server, base_url="http://127.0.0.1") as fresh:
        yield fresh


def policy_folder(settings) -> Path:
    return Path(settings.store + "-rules")


def upload(client, csrf: str | None, name: str, data: bytes, **fields):
    form = {k: v for k, v in fields.items()} | ({"csrf": csrf} if csrf else {})
    return client.post(
        "/policy/upload", data=form, files={"file": (name, data)}, follow_redirects=False
    )


# -- who may enter -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_without_a_session_every_policy_page_goes_to_the_login(client, page):
    answer = client.get(page, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    "path", ["/api/policy/rule-sets", "/api/policy/lint", "/api/policy/diff?a=x&b=y"]
)
def test_without_a_session_the_policy_api_is_401(client, path):
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_policy_admin_and_auditor_read_every_page_and_an_assessor_is_refused(client, role, page):
    log_in(client, role)
    answer = client.get(page)
    assert answer.status_code == (403 if role == "assessor" else 200), (role, page)


@pytest.mark.parametrize("role", ("assessor", "auditor"))
def test_an_assessor_or_auditor_posting_a_variant_is_403_and_nothing_is_written(
    client, settings, role
):
    csrf = log_in(client, role)
    answer = upload(client, csrf, "v.yaml", GOOD_VARIANT.encode())
    assert answer.status_code == 403
    api_answer = client.post(
        "/api/policy/variants",
        files={"file": ("v.yaml", GOOD_VARIANT.encode())},
        headers={"X-CSRF-Token": csrf},
    )
    assert api_answer.status_code == 403
    assert not (policy_folder(settings) / "national-2022-looser.yaml").exists()


def test_a_variant_posted_without_the_csrf_token_is_403(client, settings):
    log_in(client, "policy")
    assert upload(client, None, "v.yaml", GOOD_VARIANT.encode()).status_code == 403
    assert upload(client, "forged", "v.yaml", GOOD_VARIANT.encode()).status_code == 403
    answer = client.post("/api/policy/variants", files={"file": ("v.yaml", b"x")})
    assert answer.status_code == 403
    assert not (policy_folder(settings) / "national-2022-looser.yaml").exists()


def test_an_impact_run_without_the_csrf_token_is_403(client):
    log_in(client, "policy")
    fields = {"a": "national-2022", "b": "national-2022-strict", "examples": "impact"}
    assert client.post("/policy/impact", data=fields).status_code == 403
    assert (
        client.post("/api/policy/impact", json=fields | {"examples": ["impact"]}).status_code == 403
    )


def test_the_room_is_in_the_nav_of_policy_admin_and_auditor_only(client):
    for role in ROLES:
        log_in(client, role)
        assert ('href="/policy/"' in client.get("/").text) == (role != "assessor"), role


# -- what the pages show -------------------------------------------------------------------------


def test_the_systems_table_shows_titles_status_and_pass_rules_in_the_systems_words(client):
    log_in(client, "auditor")
    page = client.get("/policy/").text
    assert "网络市场监管与服务示范区创建评估指标体系（试行）" in page
    assert "征求意见稿" in page and "试行" in page and "地方分解" in page
    assert "总分不低于85分，且每个一级指标得分率不低于75%" in page
    assert "修订自 national-2022" in page


def test_the_rule_set_table_gives_base_and_origin_of_each_rule_set(client):
    log_in(client, "policy")
    page = client.get("/policy/").text
    row = re.search(
        r"<tr>\s*<td><a href=\"/policy/rules/national-2022-strict\">.*?</tr>", page, re.S
    )
    assert row, "national-2022-strict is listed with a link to its table"
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    assert "（从严假设）" in cells[1]
    assert cells[2].strip() == "national-2022" and cells[4].strip() == "rules/"


def test_one_rule_sets_table_has_levels_points_verbatim_clauses_and_its_rules(client):
    log_in(client, "policy")
    page = client.get("/policy/rules/national-2022-strict").text
    assert "一级指标" in page and "促进发展" in page and "发展规模" in page
    assert "网络交易经营者数量占市场主体比重" in page
    assert "网络交易经营者数量/市场主体数量。占比8%-15%得1分，15%以上得2分。" in page  # verbatim
    assert "10%–15% 1分，≥15% 2分" in page  # the variant's own rule, in diff's words
    assert "总分不低于85分，且每个一级指标得分率不低于80%" in page


def test_an_unknown_rule_set_is_404_on_the_page(client):
    log_in(client, "policy")
    assert client.get("/policy/rules/no-such-rules").status_code == 404
    assert client.get("/policy/diff?a=national-2022&b=nope").status_code == 404


def test_the_diff_page_shows_the_memo_between_the_two_shipped_systems(client):
    log_in(client, "policy")
    form = client.get("/policy/diff").text
    assert form.count("<select") == 2
    page = client.get("/policy/diff?a=national-2022&b=national-2024-draft").text
    memo = api.render_memo(api.diff_systems("national-2022", "national-2024-draft"), "zh")
    shown = re.search(r'<pre class="memo">(.*?)</pre>', page, re.S).group(1)
    assert html.unescape(shown) == memo
    answer = client.get("/api/policy/diff?a=national-2022&b=national-2024-draft")
    assert answer.status_code == 200 and answer.json()["memo"] == memo


def test_impact_over_the_shipped_examples_shows_the_ten_flips_with_their_causes(client):
    csrf = log_in(client, "auditor")  # auditors may run it: it writes nothing
    fields = {"csrf": csrf, "a": "national-2022", "b": "national-2022-strict", "examples": "impact"}
    page = client.post("/policy/impact", data=fields).text
    assert page.count('<tr class="flip">') == 10
    assert "合格标准变化" in page and "合格标准与得分共同变化" in page and "得分变化" in page
    assert "n22-3 分档：8%–15% 1分，≥15% 2分 → 10%–15% 1分，≥15% 2分" in page  # attribution
    assert "每个一级指标得分率：≥75% → ≥80%" in page
    assert "<code>examples/impact/02-regulate-76.yaml</code>" in page


def test_impact_over_a_stored_submission_uses_its_recorded_file(client):
    csrf = log_in(client, "policy")
    page = client.get("/policy/impact").text
    assert 'name="stored" value="impact-02"' in page
    fields = {
        "csrf": csrf,
        "a": "national-2022",
        "b": "national-2022-strict",
        "stored": "impact-02",
    }
    page = client.post("/policy/impact", data=fields).text
    assert page.count('<tr class="flip">') == 1 and "合格标准变化" in page
    answer = client.post(
        "/api/policy/impact",
        json={"a": "national-2022", "b": "national-2022-strict", "stored": ["impact-02"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200
    assert answer.json()["summary"]["pass_to_fail"] == 1


def test_impact_over_an_uploaded_submission_names_it_by_its_own_name(client):
    csrf = log_in(client, "policy")
    fields = {"csrf": csrf, "a": "national-2022", "b": "national-2022-strict"}
    data = (IMPACT / "06-total-85-share-9.yaml").read_bytes()
    page = client.post("/policy/impact", data=fields, files={"files": ("县.yaml", data)}).text
    assert page.count('<tr class="flip">') == 1 and "县.yaml" in page


def test_the_policy_folder_is_beside_the_store_which_stays_usable(settings):
    assert api.policy_rules_dir(settings.store) == Path(settings.store + "-rules").resolve()
    assert api.store_info(settings.store)["assessments"] == 2


def test_a_stored_submission_whose_file_changed_is_listed_as_unusable(settings, tmp_path):
    rows = {row["submission"]: row for row in api.stored_submissions(settings.store)}
    assert rows["impact-01"]["usable"]
    recorded = Path(rows["impact-01"]["file"])
    original = recorded.read_bytes()
    try:
        recorded.write_bytes(original + b"\n# edited\n")
        changed = {r["submission"]: r for r in api.stored_submissions(settings.store)}
        assert not changed["impact-01"]["usable"] and "修改" in changed["impact-01"]["why"]
    finally:
        recorded.write_bytes(original)


def test_impact_with_nothing_chosen_is_422_on_the_page(client):
    csrf = log_in(client, "policy")
    fields = {"csrf": csrf, "a": "national-2022", "b": "national-2022-strict"}
    answer = client.post("/policy/impact", data=fields)
    assert answer.status_code == 422 and "请至少选择一份申报材料" in answer.text


def test_lint_shows_every_rule_set_or_one_with_its_findings(client):
    log_in(client, "auditor")
    page = client.get("/policy/lint").text
    for rule_set in ("national-2022", "national-2024-draft", "national-2022-strict"):
        assert f"<code>{rule_set}</code>：" in page
    one = client.get("/policy/lint?target=national-2022-strict").text
    assert one.count('class="lint-report"') == 1
    assert "合格标准 first_level_rate_at_least 在此为 80%" in one
    assert client.get("/api/policy/lint?target=national-2022-strict").json()["ok"] is True


# -- adding a variant ----------------------------------------------------------------------------


def test_a_bad_variant_is_refused_with_its_findings_and_the_folder_stays_empty(client, settings):
    csrf = log_in(client, "policy")
    before = sorted(policy_folder(settings).iterdir())
    answer = upload(client, csrf, "超分.yaml", BAD_VARIANT.encode())
    assert answer.status_code == 422
    assert "规则检查发现错误，变体未被采用" in answer.text
    assert "规则 n22-3 最多可得 5 分，超过所属指标的 2 分" in answer.text
    assert "超分.yaml:7" in answer.text  # the finding names the uploaded file and line
    assert sorted(policy_folder(settings).iterdir()) == before == []  # runs before any good one
    log = api.audit_log(db=settings.db)
    assert any(e["action"] == "policy.variant.refused" and e["user"] == "policy" for e in log)


def test_a_file_that_is_not_a_rule_set_is_422_with_the_problem(client, settings):
    csrf = log_in(client, "policy")
    before = sorted(policy_folder(settings).iterdir())
    answer = upload(client, csrf, "x.yaml", b"system: [unclosed\n")
    assert answer.status_code == 422 and "x.yaml" in answer.text
    answer = upload(client, csrf, "x.txt", b"hello")
    assert answer.status_code == 422 and "不是规则文件" in answer.text
    answer = upload(client, csrf, "x.yaml", GOOD_VARIANT.replace("-looser", "/../x").encode())
    assert answer.status_code == 422
    answer = upload(
        client, csrf, "x.yaml", GOOD_VARIANT.replace("extends: ", "extends: /").encode()
    )
    assert answer.status_code == 422 and "extends" in answer.text
    assert sorted(policy_folder(settings).iterdir()) == before


def test_a_good_variant_is_added_audited_and_selectable_everywhere(client, settings):
    csrf = log_in(client, "policy")
    answer = upload(client, csrf, "从宽.yaml", GOOD_VARIANT.encode())
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/policy/?added=national-2022-looser"
    assert (policy_folder(settings) / "national-2022-looser.yaml").read_text("utf-8") == (
        GOOD_VARIANT
    )
    index = client.get("/policy/").text
    assert 'href="/policy/rules/national-2022-looser"' in index and "--rules" in index
    assert "（从宽假设）" in index
    assert 'value="national-2022-looser"' in client.get("/policy/diff").text
    assert client.get("/policy/rules/national-2022-looser").status_code == 200
    log = api.audit_log(db=settings.db)
    assert any(
        e["action"] == "policy.variant.add"
        and e["user"] == "policy"
        and e["object"] == "national-2022-looser"
        for e in log
    )
    again = upload(client, csrf, "从宽.yaml", GOOD_VARIANT.encode())
    assert again.status_code == 422 and "已存在" in again.text


def test_a_rule_workbook_becomes_a_variant_of_its_base(client, settings, tmp_path):
    csrf = log_in(client, "admin")
    workbook = api.export_rules("national-2022", tmp_path / "规则.xlsx")
    answer = client.post(
        "/api/policy/variants",
        data={"base": "national-2022", "id": "national-2022-wb"},
        files={"file": ("规则.xlsx", workbook.read_bytes())},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["system"] == "national-2022-wb" and answer.json()["lint"]["ok"]
    assert "extends: national-2022" in (
        policy_folder(settings) / "national-2022-wb.yaml"
    ).read_text("utf-8")
    ids = [r["id"] for r in client.get("/api/policy/rule-sets").json()["rule_sets"]]
    assert "national-2022-wb" in ids


def test_the_api_refuses_a_bad_variant_with_lints_findings(client, settings):
    csrf = log_in(client, "policy")
    answer = client.post(
        "/api/policy/variants",
        files={"file": ("bad.yaml", BAD_VARIANT.encode())},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422
    codes = {f["code"] for f in answer.json()["lint"]["findings"]}
    assert "exceeds-indicator" in codes
    assert not (policy_folder(settings) / "national-2022-bad.yaml").exists()


# -- the browser's view --------------------------------------------------------------------------


def test_every_policy_page_draws_in_chromium(chrome, live_server, settings, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    base = live_server(settings.store, settings.db)
    chrome.get(base + "/login?next=/policy/")
    chrome.find_element(By.NAME, "username").send_keys("policy")
    chrome.find_element(By.NAME, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "form.login button").click()
    WebDriverWait(chrome, 30).until(lambda d: "/policy/" in d.current_url)
    for page in PAGES:
        chrome.get(base + page)
        assert "政策工作室" in chrome.find_element(By.TAG_NAME, "h1").text, page
        screenshot(chrome, "policy" + page.replace("?", "-"))
    chrome.get(base + "/policy/impact")
    chrome.find_element(By.CSS_SELECTOR, 'input[name="examples"][value="impact"]').click()
    Select(chrome.find_element(By.NAME, "a")).select_by_value("national-2022")
    Select(chrome.find_element(By.NAME, "b")).select_by_value("national-2022-strict")
    chrome.find_element(By.CSS_SELECTOR, "form.impact button").click()
    WebDriverWait(chrome, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".impact-result"))
    assert len(chrome.find_elements(By.CSS_SELECTOR, "tr.flip")) == 10
    result = chrome.find_element(By.CSS_SELECTOR, ".impact-result")
    assert result.location_once_scrolled_into_view  # scrolls the result into the screenshot
    screenshot(chrome, "policy/impact-result")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_VARIANT, encoding="utf-8")
    chrome.get(base + "/policy/upload")
    chrome.find_element(By.NAME, "file").send_keys(str(bad))
    chrome.find_element(By.CSS_SELECTOR, "form.upload button").click()
    WebDriverWait(chrome, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".refused"))
    assert "变体未被采用" in chrome.find_element(By.CSS_SELECTOR, ".refused").text
    screenshot(chrome, "policy/upload-refused")


def test_the_english_switch_uses_the_systems_english_words(client):
    log_in(client, "policy")
    page = client.get("/policy/?lang=en").text
    assert "Indicator systems" in page and "Rule sets and variants" in page
    assert "a total of at least 85 points, and at least 75% in every first-level indicator" in page
    table = client.get("/policy/rules/national-2022?lang=en").text
    assert "Online trading operators as a share of market entities" in table
    assert "8%-15%得1分" in table  # clause text stays verbatim Chinese


def test_systems_and_show_print_the_same_words_the_room_shows():
    from click.testing import CliRunner

    from demozone.cli import main_group

    printed = CliRunner().invoke(main_group, ["show", "national-2022"]).output
    rule = api.systems()[0]["pass_rule"]
    assert api.pass_rule_text(rule, "zh") in printed


@pytest.mark.parametrize(
    "path",
    [
        "/api/policy/rule-sets",
        "/api/policy/rule-sets/national-2022",
        "/api/policy/lint",
        "/api/policy/diff?a=national-2022&b=national-2024-draft",
    ],
)
def test_the_policy_api_reads_for_policy_admin_auditor_and_is_403_for_an_assessor(client, path):
    for role in ROLES:
        log_in(client, role)
        assert client.get(path).status_code == (403 if role == "assessor" else 200), role


def test_the_policy_api_answers_404_for_an_unknown_rule_set_and_422_for_no_submissions(client):
    csrf = log_in(client, "policy")
    assert client.get("/api/policy/rule-sets/nope").status_code == 404
    answer = client.post(
        "/api/policy/impact",
        json={"a": "national-2022", "b": "national-2022-strict"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422 and "请至少选择一份申报材料" in answer.json()["detail"]


def test_impact_across_systems_lists_what_could_not_be_carried(client):
    csrf = log_in(client, "policy")
    fields = {"csrf": csrf, "a": "national-2022", "b": "national-2024-draft"}
    fields["examples"] = "national-2022"
    answer = client.post("/policy/impact", data=fields)
    assert answer.status_code == 200
    result = api.impact_json(
        api.impact("national-2022", "national-2024-draft", [ROOT / "examples" / "national-2022"])
    )
    (item,) = result["submissions"]
    assert item["not_carried"], "the example has facts the draft does not read"
    assert item["not_carried"][0]["message_zh"] in html.unescape(answer.text)
