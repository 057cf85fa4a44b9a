"""The metric vocabulary of the submission contract (kb/metrics.yaml)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from demozone.common.paths import KB_DIR

METRICS_FILE = KB_DIR / "metrics.yaml"


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    label_en: str
    unit: str
    kind: str  # amount | count | rate
    per_year: bool


@functools.lru_cache(maxsize=4)
def metric_vocabulary(path: Path = METRICS_FILE) -> dict[str, Metric]:
    """Every metric id the contract knows, with its Chinese label, unit and kind."""
    from demozone.common.yamlio import load_yaml  # here: the commands that never read YAML skip it

    doc = load_yaml(path)
    return {
        metric_id: Metric(
            metric_id,
            spec["label"],
            spec["label_en"],
            spec["unit"],
            spec["kind"],
            bool(spec["per_year"]),
        )
        for metric_id, spec in doc["metrics"].items()
    }


def is_rate(metric_id: str) -> bool:
    """The one rate test: a metric of kind rate (a fraction in [0, 1], shown as a percentage)."""
    metric = metric_vocabulary().get(metric_id)
    return metric is not None and metric.kind == "rate"


def metric_label(metric_id: str, lang: str = "zh") -> str:
    metric = metric_vocabulary().get(metric_id)
    if metric is None:
        return metric_id
    return metric.label if lang == "zh" else metric.label_en
