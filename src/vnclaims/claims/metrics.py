"""The metric registry (``data/metrics.toml``): what each metric counts and how it is recognised, loaded
once per file version; and the extractor version, a fingerprint of the rules and the registry in use."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..versions import REGISTRY_PATH, stamp
from ..text.textnorm import hoist_lookbehinds



@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    subject: str
    unit: str
    units: tuple[str, ...]
    cues: tuple[re.Pattern, ...]
    requires: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    kind: str
    direction: str | None
    target_of: str | None
    tolerance_rel: float
    tolerance_abs: float
    lead: tuple[re.Pattern, ...] = ()     # must match the clause text right before the number ($-anchored)
    exclude_sentence: tuple[re.Pattern, ...] = ()   # none may occur anywhere in the sentence


@dataclass(frozen=True)
class Registry:
    metrics: tuple[Metric, ...]
    other_countries: tuple[re.Pattern, ...] = ()   # a figure about another country pair stays unclassified

    def by_name(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def rows(self) -> list[dict]:
        return [{"metric": m.name, "label": m.label, "subject": m.subject, "unit": m.unit, "kind": m.kind,
                 "direction": m.direction, "target_of": m.target_of, "tolerance_rel": m.tolerance_rel,
                 "tolerance_abs": m.tolerance_abs} for m in self.metrics]


def load_registry(path: Path | str | None = None) -> Registry:
    path = str(path or REGISTRY_PATH)
    return _load_registry(path, stamp((path,)))


@lru_cache(maxsize=8)
def _load_registry(path: str, _stamp: tuple = ()) -> Registry:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    metrics = []
    for d in data.get("metric", []):
        def rx(key: str) -> tuple[re.Pattern, ...]:
            return tuple(re.compile(p) for p in d.get(key, []))
        metrics.append(Metric(
            name=d["name"], label=d.get("label", d["name"]), subject=d.get("subject", d.get("label", d["name"])),
            unit=d["unit"], units=tuple(d.get("units", [d["unit"]])), cues=rx("cues"), requires=rx("requires"),
            exclude=rx("exclude"), kind=d.get("kind", "stock"), direction=d.get("direction"),
            target_of=d.get("target_of"), tolerance_rel=float(d.get("tolerance_rel", 0.0)),
            tolerance_abs=float(d.get("tolerance_abs", 0.0)), lead=rx("lead"),
            exclude_sentence=rx("exclude_sentence"),
        ))
    names = [m.name for m in metrics]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: duplicate metric names")
    pats = data.get("other_countries", [])
    others = (re.compile("|".join(f"(?:{hoist_lookbehinds(p)})" for p in pats)),) if pats else ()   # one pass
    return Registry(tuple(metrics), others)
