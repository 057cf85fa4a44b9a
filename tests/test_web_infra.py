"""The ground the web workspace's tests stand on: PostgreSQL, Chrome, screenshots, a live server."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .browser_helpers import artefacts, blank, downloaded, screenshot
from .prerequisites import Prerequisite, found
from .web_helpers import _answers, free_port, serve_command, serving


def png(width: int = 64, height: int = 48, *, draw: bool = False) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    if draw:
        pen = ImageDraw.Draw(image)
        for x in range(0, width, 4):
            pen.line([(x, 0), (width - x, height)], fill=(x * 3 % 256, 40, 200 - x))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- PostgreSQL ------------------------------------------------------------------------------


def test_postgres_url_takes_a_table_a_row_and_gives_it_back(postgres_url):
    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            assert connection.dialect.name == "postgresql"
            connection.execute(sqlalchemy.text("DROP TABLE IF EXISTS infra_check"))
            connection.execute(
                sqlalchemy.text("CREATE TABLE infra_check (id serial PRIMARY KEY, label text)")
            )
            connection.execute(
                sqlalchemy.text("INSERT INTO infra_check (label) VALUES (:label)"),
                {"label": "网络市场监管与服务示范区"},
            )
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text("SELECT label FROM infra_check")).all()
            connection.execute(sqlalchemy.text("DROP TABLE infra_check"))
            connection.commit()
    finally:
        engine.dispose()
    assert rows == [("网络市场监管与服务示范区",)]


def test_postgres_url_is_the_demozone_user_on_the_loopback(postgres_url):
    assert postgres_url.startswith("postgresql+psycopg://demozone@127.0.0.1:")
    assert postgres_url.endswith("/postgres")


def test_postgres_database_is_a_new_empty_database_of_the_cluster(postgres_url, postgres_database):
    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres_database)
    try:
        with engine.connect() as connection:
            name = connection.execute(sqlalchemy.text("SELECT current_database()")).scalar()
            tables = connection.execute(
                sqlalchemy.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar()
    finally:
        engine.dispose()
    assert postgres_database.endswith("/" + name) and name != "postgres"
    assert tables == 0


# --- Chrome and screenshots ------------------------------------------------------------------


def test_chrome_draws_a_local_page_in_chinese_and_its_screenshot_is_kept(chrome, tmp_path):
    from selenium.webdriver.common.by import By

    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>示范区</title>"
        "<body style='font-size:32px'><h1 id='t'>网络市场监管与服务示范区</h1>"
        "<p>指标 3：网络交易监测</p></body></html>",
        encoding="utf-8",
    )
    chrome.get(page.as_uri())
    assert chrome.find_element(By.ID, "t").text == "网络市场监管与服务示范区"
    assert chrome.title == "示范区"
    path = screenshot(chrome, "web-infra/chinese page")
    assert path == artefacts() / "screenshots" / "web-infra-chinese-page.png"
    assert blank(path.read_bytes()) is None


def test_chrome_window_is_1280_by_900(chrome):
    size = chrome.get_window_size()
    assert (size["width"], size["height"]) == (1280, 900)


def test_chrome_saves_a_download_in_its_download_dir_without_asking(chrome, tmp_path):
    from selenium.webdriver.common.by import By

    page = tmp_path / "download.html"
    page.write_text(
        "<!doctype html><meta charset='utf-8'>"
        "<a id='d' href='data:text/plain;charset=utf-8,%E6%8A%A5%E5%91%8A' download='报告.txt'>下载</a>",
        encoding="utf-8",
    )
    chrome.get(page.as_uri())
    chrome.find_element(By.ID, "d").click()
    assert downloaded(chrome, "报告.txt").read_text("utf-8") == "报告"


def test_blank_says_blank_for_an_all_white_png():
    assert blank(png()) == "only 1 colour(s): #ffffff"


def test_blank_says_nothing_for_a_drawn_png():
    assert blank(png(draw=True)) is None


class FakeDriver:
    def __init__(self, image: bytes) -> None:
        self.image = image

    def get_screenshot_as_png(self) -> bytes:
        return self.image


def test_a_blank_screenshot_fails_and_names_its_file(monkeypatch, tmp_path):
    monkeypatch.setenv("DEMOZONE_ARTEFACTS", str(tmp_path))
    with pytest.raises(AssertionError, match=r"screenshots/empty\.png is blank"):
        screenshot(FakeDriver(png()), "empty")
    assert (tmp_path / "screenshots" / "empty.png").exists()


# --- The live server: argv, waiting, teardown (a stand-in server until `demozone serve` lands) -


def test_serve_command_is_demozone_serve_with_host_port_store_db_and_workers():
    assert serve_command(8123, Path("/data/store"), "sqlite:///x.db", workers=2) == [
        *(sys.executable, "-m", "demozone.cli", "serve", "--host", "127.0.0.1"),
        *("--port", "8123", "--store", "/data/store", "--db", "sqlite:///x.db"),
        *("--workers", "2"),
    ]
    assert "--workers" not in serve_command(8123, "/s", "sqlite:///x.db")


def test_python_m_demozone_cli_is_the_demozone_command():
    done = subprocess.run(
        [sys.executable, "-m", "demozone.cli", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "Usage: demozone" in done.stdout


def stand_in(folder: Path, port: int, *, delay: float = 0.0) -> list[str]:
    """`python -m http.server` serving folder (which holds a `login` file), after a delay."""
    (folder / "login").write_text("登录", encoding="utf-8")
    script = (
        "import runpy, sys, time; time.sleep(float(sys.argv[1])); "
        "sys.argv = ['http.server', *sys.argv[2:]]; "
        "runpy.run_module('http.server', run_name='__main__')"
    )
    return [
        *(sys.executable, "-c", script, str(delay)),
        *("--bind", "127.0.0.1", "--directory", str(folder), str(port)),
    ]


def test_serving_waits_until_login_answers_and_stops_the_server_at_the_end(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(stand_in(tmp_path, port, delay=1.0), base) as url:
        assert url == base
        with urllib.request.urlopen(url + "/login", timeout=5) as answer:
            assert answer.read().decode("utf-8") == "登录"
    assert not _answers(base + "/login")


def test_a_server_that_exits_before_answering_fails_with_its_stderr():
    argv = [sys.executable, "-c", "import sys; sys.stderr.write('端口已被占用'); sys.exit(3)"]
    with (
        pytest.raises(pytest.fail.Exception, match=r"(?s)exited \(3\).*端口已被占用"),
        serving(argv, f"http://127.0.0.1:{free_port()}"),
    ):
        pass


def test_a_server_that_never_answers_fails_at_the_timeout_and_is_stopped(tmp_path):
    pid_file = tmp_path / "pid"
    script = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"
    argv = [sys.executable, "-c", script, str(pid_file)]
    with (
        pytest.raises(pytest.fail.Exception, match=r"did not answer .* within 1 s"),
        serving(argv, f"http://127.0.0.1:{free_port()}", timeout=1),
    ):
        pass
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_a_failing_test_body_prints_the_server_stderr_and_stops_it(tmp_path, capsys):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with pytest.raises(RuntimeError), serving(stand_in(tmp_path, port), base, log=log):
        raise RuntimeError("the test failed")
    # http.server logs each request on stderr: the readiness probe's GET /login
    assert "GET /login" in capsys.readouterr().err
    assert "GET /login" in log.read_text()
    assert not _answers(base + "/login")


# --- Prerequisites kept off PATH -------------------------------------------------------------


def test_a_program_off_path_is_found_in_the_newest_versioned_folder(tmp_path, monkeypatch):
    for version in ("9", "15", "16"):
        folder = tmp_path / "postgresql" / version / "bin"
        folder.mkdir(parents=True)
        (folder / "pg_ctl").write_text("#!/bin/sh\n")
        (folder / "pg_ctl").chmod(0o755 if version != "16" else 0o644)  # 16: not executable
    on_path = tmp_path / "local-bin"
    on_path.mkdir()
    (on_path / "pg_ctl").write_text("#!/bin/sh\n")
    (on_path / "pg_ctl").chmod(0o755)
    monkeypatch.setenv("PATH", str(on_path))
    prerequisite = Prerequisite(
        "a test", ("pg_ctl",), ("postgresql",), directories=(f"{tmp_path}/postgresql/*/bin",)
    )
    assert found(prerequisite) == str(tmp_path / "postgresql" / "15" / "bin" / "pg_ctl")
    assert found(Prerequisite("a test", ("pg_ctl",), ("postgresql",))) == str(on_path / "pg_ctl")
