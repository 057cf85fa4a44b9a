"""Shared test fixtures."""

from __future__ import annotations

import contextlib
import http.server
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of kb/ that a test may break; the loader takes it as its kb directory."""
    target = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", target)
    return target


# ---------------------------------------------------------------------------------------------
# The store: a SPARQL server started by the tests, fake assessments, a template embedded store

import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from fractions import Fraction  # noqa: E402
from types import SimpleNamespace  # noqa: E402


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The `oxigraph` command of this virtual environment (PyPI package `oxigraph`, a dev dependency)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail(
            "the `oxigraph` server binary is missing: it comes from the PyPI package `oxigraph`, a "
            "dev dependency (.venv/bin/pip install -e '.[dev]')",
            pytrace=False,
        )
    return found


class OxigraphServer:
    """`oxigraph serve` on 127.0.0.1 with a free port and its data in a temporary directory."""

    def __init__(self, location: Path, log: Path) -> None:
        self.location, self.log = location, log
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self, attempts: int = 3) -> str:
        binary = oxigraph_binary()
        for _ in range(attempts):
            port = free_port()
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [
                        binary,
                        "serve",
                        "--location",
                        str(self.location),
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            self.url = f"http://127.0.0.1:{port}"
            if self._wait_until_up():
                return self.url
            self.stop()
        pytest.fail(
            f"oxigraph serve did not start; its log:\n{self.log.read_text()}", pytrace=False
        )

    def _wait_until_up(self, seconds: float = 20.0) -> bool:
        probe = self.url + "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    if answer.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> OxigraphServer:
    """A real SPARQL server for the whole session, with the knowledge base loaded; stopped at the end."""
    from demozone.store.remote import RemoteStore

    base = tmp_path_factory.mktemp("oxigraph")
    server = OxigraphServer(base / "data", base / "server.log")
    server.start()
    try:
        RemoteStore(server.url).load_kb()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def kb_store_template(tmp_path_factory) -> Path:
    """An embedded store holding only the knowledge base graph, built once; copy it, never open it."""
    from demozone.store.embedded import EmbeddedStore

    location = tmp_path_factory.mktemp("template") / "store"
    store = EmbeddedStore(location)
    try:
        store.load_kb()
    finally:
        store.close()
    return location


def copy_store(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    (target / "LOCK").unlink(missing_ok=True)
    return target


def fake_assessment(
    submission_id: str = "sub-1",
    *,
    indicators: int = 6,
    clauses: int = 2,
    shift: int = 0,
    bonus: int = 0,
    judgments: tuple[tuple[str, str, bool], ...] = (("expert-li", "1.1", True),),
    assessment_id: str | None = None,
    time_stamp: str = "2026-01-01T00:00:00Z",
    system: str = "national-2022",
    evidence: str = "E1",
):
    """(assessment id, quads) of an assessment over a made-up score result, built by the real
    AssessmentGraph. `shift` moves indicator scores (so two runs differ); judgments are
    (assessor, clause, satisfied); `bonus` adds points to every indicator (6 indicators: bonus=1 passes);
    `evidence` is the id of the one evidence item, which the satisfied judgments cite."""
    from demozone.provenance.graph import AssessmentGraph
    from demozone.scoring.derive import Case, FactUse
    from demozone.scoring.facts import FactId
    from demozone.scoring.outcome import (
        ClauseScore,
        Firing,
        IndicatorScore,
        LevelScore,
        RuleOutcome,
        ScoreResult,
    )

    rows = []
    for n in range(1, indicators + 1):
        score = Fraction((n + shift) % 5, 2) + bonus
        rule = SimpleNamespace(id=f"r{n}")
        facts = [
            FactUse(
                FactId.metric(f"m{n}", 2023),
                f"指标{n} 2023",
                Fraction(n * 10 + shift),
                "submission",
                f"metrics.m{n}.2023",
            )
        ]
        if n == 1:
            facts += [
                FactUse(
                    FactId.judgment(k, clause, who),
                    f"{who} on {clause}",
                    ok,
                    "submission",
                    f"judgments[{k}]",
                    evidence=(evidence,) if ok else (),
                    assessor=who,
                )
                for k, (who, clause, ok) in enumerate(judgments)
            ]
        case = Case(rule=rule, key="2023", inputs=facts)
        outcome = RuleOutcome(
            rule=rule,
            cases=[case],
            firings=[Firing(rule.id, "b1", "2023", score)],
            raw=score,
            score=score,
        )
        rows.append(
            IndicatorScore(
                number=str(n),
                label=f"指标{n}",
                points=Fraction(3),
                score=score,
                first_level="L1",
                second_level=None,
                rules=[outcome],
                clauses=[
                    ClauseScore(f"{n}.{c}", f"条款{n}.{c}", Fraction(1), Fraction(0), [rule.id])
                    for c in range(1, clauses + 1)
                ],
                reasons=["差1分"] if score < 3 else [],
            )
        )
    total = sum((r.score for r in rows), Fraction(0))
    result = ScoreResult(
        submission_id=submission_id,
        region="测试县",
        system=system,
        rule_set=system,
        rule_files=(),
        indicators=rows,
        first_level=[LevelScore("L1", 1, "一级", Fraction(3 * indicators), total)],
        second_level=[],
        total=total,
        max_total=Fraction(3 * indicators),
        passed=total * 2 >= 3 * indicators,
        pass_reasons=[],
        engine="test",
    )
    submission = SimpleNamespace(
        sha256="ab" * 32,
        file="fake-submission.yaml",
        evidence={evidence: SimpleNamespace(title="证明材料1", sha256="cd" * 32)},
        judgments=tuple(
            SimpleNamespace(index=k, clause=clause)
            for k, (_who, clause, _ok) in enumerate(judgments)
        ),
    )
    receipt = {"time": time_stamp, "submission": "ab" * 32, "kb": "ef" * 32}
    if assessment_id is None:
        assessment_id = (
            f"{submission_id}/{time_stamp.replace(':', '').replace('-', '')}-{os.urandom(3).hex()}"
        )
    return assessment_id, AssessmentGraph(assessment_id, result, submission, receipt).build()


def reset_server(url: str):
    """The session server with only the knowledge base graph (loaded again if a test dropped it)."""
    from demozone.store.remote import RemoteStore
    from demozone.store.seal import current_kb_digest
    from demozone.store.terms import KB_GRAPH, sparql_term

    remote = RemoteStore(url)
    kb = sparql_term(KB_GRAPH)
    remote.update(
        f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {kb}) }}"
    )
    remote.update("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    if remote.kb_digest() != current_kb_digest():
        remote.load_kb()
    return remote


def tamper(store, *, add=(), drop=()) -> None:
    """Change a store's quads behind demozone's back, as another program or a write cut short
    could: through pyoxigraph on the embedded store, through SPARQL Update on the server."""
    if store.kind == "embedded":
        store.ox.extend(add)
        for graph in drop:
            store.ox.remove_graph(graph)
        return
    statements = [f"DROP SILENT GRAPH {graph}" for graph in drop]
    if add:
        body = " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in add
        )
        statements.append(f"INSERT DATA {{ {body} }}")
    store.update(" ; ".join(statements))


STORE_BACKENDS = ["embedded", pytest.param("remote", marks=pytest.mark.server)]


@pytest.fixture(params=STORE_BACKENDS)
def store(request, tmp_path: Path, kb_store_template: Path):
    """A store holding the knowledge base graph and nothing else: embedded, and on the server."""
    from demozone.store.location import open_store

    if request.param == "embedded":
        opened = open_store(str(copy_store(kb_store_template, tmp_path / "store")))
    else:
        opened = reset_server(request.getfixturevalue("oxigraph_server").url)
    yield opened
    opened.close()


@pytest.fixture(params=STORE_BACKENDS)
def empty_store(request, tmp_path: Path):
    """An empty store of each kind: a new directory, or a second server started for the test."""
    from demozone.store.location import open_store

    if request.param == "embedded":
        opened = open_store(str(tmp_path / "empty"))
        yield opened
        opened.close()
        return
    server = OxigraphServer(tmp_path / "server-data", tmp_path / "server.log")
    server.start()
    try:
        yield open_store(server.url)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def national_submission(tmp_path_factory) -> Path:
    """The example national-2022 submission, or a synthetic one while examples/ has none."""
    example = ROOT / "examples" / "national-2022" / "submission.yaml"
    if example.exists():
        return example
    import yaml

    from demozone.rules.load import rule_set_for
    from demozone.rules.lookup import renumbering
    from demozone.submission.synthetic import synthetic_document

    document = synthetic_document(rule_set_for("national-2022", renumbering=renumbering), 7)
    path = tmp_path_factory.mktemp("submission") / "submission.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Provenance graphs, exports and the HTML view: the example submissions scored once, Chromium

EXAMPLES = {
    "national-2022": ROOT / "examples" / "national-2022" / "submission.yaml",
    "national-2024-draft": ROOT / "examples" / "national-2024-draft" / "submission.yaml",
}


@pytest.fixture(scope="session")
def scored_examples() -> dict:
    """name -> demozone.assessment.resolve.Resolved for each example, scored once without writing."""
    from demozone.assessment.resolve import resolve_assessment

    return {name: resolve_assessment(path) for name, path in EXAMPLES.items()}


def installed(prerequisite) -> str:
    """The prerequisite's command (installed with apt-get when missing, see tests/prerequisites.py);
    a failure under CI=true when it cannot be had, a skip elsewhere."""
    from .prerequisites import Missing, ensure, in_ci

    try:
        return ensure(prerequisite)
    except Missing as missing:
        if in_ci():
            pytest.fail(f"CI=true and {missing}", pytrace=False)
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, with a CJK font so Chinese labels are drawn."""
    from .prerequisites import CHROMIUM

    return installed(CHROMIUM)


@pytest.fixture(scope="session")
def valgrind() -> str:
    """Debian's valgrind, for the memory check of the durable-rules engine."""
    from .prerequisites import VALGRIND

    return installed(VALGRIND)


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """Debian's LibreOffice Calc (headless), to re-save workbooks as an office program does."""
    from .prerequisites import LIBREOFFICE

    return installed(LIBREOFFICE)


@pytest.fixture
def listener():
    """A local HTTP server that counts the requests it gets (none must come)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<urn:a> <urn:b> <urn:c> .")

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------------------------------------
# The web workspace: PostgreSQL started by the tests, Chrome through Selenium, a live server


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A throwaway PostgreSQL cluster for the whole session (Debian's server, 127.0.0.1, a free
    port, trust for the user `demozone`): its SQLAlchemy URL
    "postgresql+psycopg://demozone@127.0.0.1:PORT/postgres"; stopped and removed at the end."""
    from .postgres_helpers import PostgresCluster
    from .prerequisites import POSTGRESQL

    cluster = PostgresCluster(installed(POSTGRESQL))
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def postgres_database(postgres_url: str) -> str:
    """The SQLAlchemy URL of a new empty database in the session's cluster, dropped after the test."""
    import sqlalchemy

    name = f"test_{os.urandom(6).hex()}"
    admin = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def chromedriver(chromium: str) -> str:
    """Debian's chromedriver, of the same version as Debian's chromium."""
    from .prerequisites import CHROMEDRIVER

    return installed(CHROMEDRIVER)


CHROME_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",  # the tests run as root, where Chromium's sandbox cannot start
    "--disable-dev-shm-usage",  # a container's /dev/shm is small
    "--window-size=1280,900",
    "--lang=zh-CN",
)


@pytest.fixture
def chrome(chromium: str, chromedriver: str, tmp_path: Path):
    """A Selenium WebDriver of headless Debian chromium (1280x900 window), quit after the test.
    Downloads land, without a prompt, in `driver.download_dir` (a Path in the test's tmp_path).
    Save pages with tests/browser_helpers.screenshot(driver, name)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(
            "selenium is missing: a dev dependency (pip install -e '.[dev]')", pytrace=False
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in CHROME_ARGUMENTS:
        options.add_argument(argument)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    driver.download_dir = downloads
    try:
        yield driver
    finally:
        driver.quit()


SERVER_LOGS = pytest.StashKey[list]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that started servers with `live_server` shows their stderr in its report."""
    report = (yield).get_result()
    if report.failed:
        for log in item.stash.get(SERVER_LOGS, []):
            said = log.read_text("utf-8", errors="replace") if log.exists() else "(no log)"
            report.sections.append((f"stderr of demozone serve ({log.name})", said[-20000:]))


@pytest.fixture
def live_server(request, tmp_path: Path):
    """start(store, db, workers=None) -> base URL: `demozone serve` on 127.0.0.1 and a free
    port, returned once GET /login answers (60 s at most); every server started is stopped
    after the test. A server's stderr is printed when it fails to start, and shown in the
    report of a test that fails."""
    from .web_helpers import demozone_server

    logs = request.node.stash.setdefault(SERVER_LOGS, [])
    with contextlib.ExitStack() as servers:

        def start(store, db: str, workers: int | None = None) -> str:
            log = tmp_path / f"serve-{len(logs) + 1}.log"
            logs.append(log)
            return servers.enter_context(demozone_server(store, db, workers=workers, log=log))

        yield start
