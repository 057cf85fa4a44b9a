"""Every page of every role, in Chinese and in English, reads as a page an official can sign:
a <title> and one <h1>, no Python or JSON leaking into the text, no interface word of the other
language, and the same header and navigation on every page of a user.

The pages are found as tests/test_web_xss.py finds them (the app's route table, filled with the
stored ids, and the links of every page followed), so a page added later is covered too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from demozone.web import i18n
from demozone.web.app import create_app  # noqa: F401  (loads every room's words into i18n)

from .test_web_xss import (
    ROLES,
    SKIPPED_SUFFIXES,
    filled,
    get_routes,
    is_html,
    links,
    route_pattern,
    workspace,  # noqa: F401  (the fixture: the hostile workspace, filled once per module)
)

PER_ROUTE = 2  # pages of one route each user opens per language: each kind, not every one
LEAKS = ("None", "True", "False", "{'", '{"', "Traceback")
# interface words that are the same in both languages, or meant to show the other language
SHARED_KEYS = {"lang.switch"}


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style or attribute; the <title> and <h1>s apart."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.nodes: list[str] = []  # each piece of text on its own: a label, a cell, a button
        self.titles: list[str] = []
        self.h1s: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "input", "img", "meta", "link", "hr", "col"):
            self.stack.append(tag)
        if tag == "h1":
            self.h1s.append("")

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if "script" in self.stack or "style" in self.stack:
            return
        if "title" in self.stack:
            self.titles.append(data.strip())
            return
        if "h1" in self.stack and self.h1s:
            self.h1s[-1] += data
        self.parts.append(data)
        if data.strip():
            self.nodes.append(data.strip().rstrip(":：").strip())

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def ui_words(lang: str) -> list[str]:
    """demozone's own interface words in `lang` that differ from the other language's."""
    other = "en" if lang == "zh" else "zh"
    found = set()
    for key, words in i18n.UI_STRINGS.items():
        if key in SHARED_KEYS or lang not in words or words[lang] == words.get(other):
            continue
        found.add(words[lang].strip())
    return sorted(w for w in found if w)


def leaked_words(page: VisibleText, lang: str) -> list[str]:
    """The interface words of the other language on this page. On a Chinese page an English
    word of 4 letters or more anywhere (English prose is what leaks); on an English page a
    Chinese word standing alone as a label, cell or button: the verbatim Chinese sources the
    English pages quote use the same words inside their sentences, and those stay."""
    leaked = []
    for word in ui_words("en" if lang == "zh" else "zh"):
        if lang == "zh":
            # a file's name (submission.yaml, rules/x.yaml) is a name, not a word
            pattern = rf"(?<![A-Za-z./_-]){re.escape(word)}(?![A-Za-z./_-])"
            if len(word) >= 4 and re.search(pattern, page.text):
                leaked.append(word)
        elif word.rstrip(":：") in page.nodes:
            leaked.append(word)
    return leaked


@pytest.fixture(scope="module")
def pages(workspace) -> dict[tuple[str, str, str], str]:  # noqa: F811  (the imported fixture)
    """The HTML of every page each role opens, in each language: {(role, lang, path): html}."""
    table = [(route, route_pattern(route)) for route, _ in get_routes(workspace.app)]
    start = ["/"] + [
        p for route, query in get_routes(workspace.app) for p in filled(workspace, route, query)
    ]
    seen: dict[tuple[str, str, str], str] = {}
    for role in ROLES:
        client = workspace.client(role)
        for lang in ("zh", "en"):
            client.cookies.set(i18n.COOKIE, lang)
            opened: dict[str, int] = {}
            done: set[str] = set()
            todo = list(reversed(start))
            while todo:
                path = todo.pop()
                bare = path.split("?")[0]
                if (
                    path in done
                    or bare.startswith(("/api/", "/static/"))
                    or bare.endswith(SKIPPED_SUFFIXES)
                    or "logout" in path
                    or "lang=" in path
                ):
                    continue
                done.add(path)
                route = next((r for r, p in table if p.match(bare)), bare)
                if opened.get(route, 0) >= PER_ROUTE:
                    continue
                answer = client.get(path, follow_redirects=False)
                if answer.status_code != 200 or not is_html(answer):
                    continue
                opened[route] = opened.get(route, 0) + 1
                seen[(role, lang, path)] = answer.text
                todo += reversed(links(answer.text, "http://127.0.0.1" + path))
        client.cookies.set(i18n.COOKIE, "zh")
    return seen


def test_every_role_opens_pages_in_both_languages(pages):
    for role in ROLES:
        for lang in ("zh", "en"):
            assert sum(1 for r, g, _ in pages if (r, g) == (role, lang)) >= 2, (role, lang)


def test_every_page_has_a_title_and_one_h1(pages):
    wrong = []
    for (role, lang, path), html in pages.items():
        seen = read(html)
        if not "".join(seen.titles).strip() or len(seen.h1s) != 1 or not seen.h1s[0].strip():
            wrong.append((role, lang, path, seen.titles, seen.h1s))
    assert not wrong, "\n".join(map(str, wrong))


def test_no_page_shows_python_or_json_to_people(pages):
    leaks = [
        (role, lang, path, leak)
        for (role, lang, path), html in pages.items()
        for leak in LEAKS
        # a word as Python prints it, not the English sentence "None of clauses ... was met"
        if re.search(rf"(?<![A-Za-z]){re.escape(leak)}(?![A-Za-z]| [a-z])", read(html).text)
    ]
    assert not leaks, "\n".join(map(str, leaks))


def test_chinese_pages_hold_no_english_interface_word_and_english_pages_no_chinese(pages):
    leaks = [
        (role, lang, path, leaked_words(read(html), lang))
        for (role, lang, path), html in pages.items()
        if leaked_words(read(html), lang)
    ]
    assert not leaks, "\n".join(map(str, leaks))


REPORTS = ("/report.html",)  # the HTML report: the document itself, as the PDF, not a page
HEADER = re.compile(r'<header class="top">.*?</header>', re.S)


def test_every_page_of_a_user_has_the_same_header_and_navigation(pages):
    headers: dict[tuple[str, str], set[str]] = {}
    for (role, lang, path), html in pages.items():
        if path.split("?")[0].endswith(REPORTS):
            continue
        found = HEADER.findall(html)
        assert len(found) == 1, (role, lang)
        headers.setdefault((role, lang), set()).add(found[0])
    different = {key: len(found) for key, found in headers.items() if len(found) != 1}
    assert not different, "\n".join(map(str, different))
