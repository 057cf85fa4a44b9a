"""The content digest from N-Triples lines (store.seal_lines' way) is the digest line by line,
whatever the lines hold: the one-piece text is a shortcut, never another result."""

from __future__ import annotations

import pytest

from demozone.provenance.digest import _digest_line_by_line, content_digest_of_text

GRAPH = "https://w3id.org/demozone/id/assessment/x"
SEALED = f'<{GRAPH}> <https://w3id.org/demozone/def#tripleCount> "3"^^<http://www.w3.org/2001/XMLSchema#integer>'


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ['<a:s> <a:p> "x"', '<a:s> <a:p> "x"@en', '<a:s> <a:p> "x"@en-us'],  # one begins another
        ['<a:s> <a:p> "tab\there"', '<a:s> <a:p> "y"'],  # a control character
        ['<a:s> <a:p> "bell\x07"', '<a:s> <a:p> "y"'],
        [SEALED, '<a:s> <a:p> "y"'],  # a seal predicate, left out of the digest
        ['<a:s> <a:p> "names <https://w3id.org/demozone/def#signature> in text"'],
        ['<a:s> <a:p> "中文"', '<a:s> <a:p> "ab"', '<a:s> <a:p> "é"'],  # sorted by UTF-8 bytes
        ['<a:s> <a:p> "x"', '<a:s> <a:p> "x"', '<a:s> <a:q> "x"'],  # repeated
    ],
)
def test_the_digest_of_text_is_the_digest_line_by_line(lines):
    assert content_digest_of_text(iter(lines), GRAPH) == _digest_line_by_line(lines, GRAPH)
