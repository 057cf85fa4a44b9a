"""`unfix:` in a variant: fixed entries of a base it changes on purpose, each with its reason.

The reasons travel with the rule set (`RuleSet.unfixed`): lint reports them in place of a
`fixed-changed` error, the diff memo lists them and every assessment's provenance records them.
"""

from __future__ import annotations

from demozone.common.errors import InputError, Problem
from demozone.rules.model import Unfix


def read_unfix(variant: dict) -> dict[str, Unfix]:
    """`unfix: {pass_rule.total_at_least: "省级提高合格线，见某某文件"}`: entry -> Unfix."""
    spec, file = variant.get("unfix"), variant.get("_file", "")
    if spec is None:
        return {}
    line = variant.line_of("unfix") if hasattr(variant, "line_of") else None
    if not isinstance(spec, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in spec.items()
    ):
        raise InputError(
            [
                Problem(
                    file,
                    "unfix",
                    "unfix maps each fixed entry to the reason it is changed",
                    "unfix 应写明每个要修改的固定项及其理由",
                    '{pass_rule.total_at_least: "省级提高合格线，见某某文件"}',
                    line=line,
                )
            ]
        )
    lines = spec.line_of if hasattr(spec, "line_of") else (lambda _key: line)
    return {k: Unfix(k, v.strip(), file, lines(k)) for k, v in spec.items()}
