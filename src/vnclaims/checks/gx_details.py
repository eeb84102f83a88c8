"""Great Expectations results as short plain text: an expectation's label, one result's details, and a
few offending rows of a failed SQL check."""
from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger(__name__)

_DETAILS_MAX = 300




def describe_expectation(etype: str, kwargs: dict, meta: dict | None) -> str:
    """``<expectation type>(<column or short description>)``."""
    meta = meta or {}
    if meta.get("check"):
        what = str(meta["check"])
    elif "column" in kwargs:
        what = str(kwargs["column"])
    elif "column_A" in kwargs and "column_B" in kwargs:
        what = f"{kwargs['column_A']}, {kwargs['column_B']}"
    elif "column_list" in kwargs:
        what = ", ".join(map(str, kwargs["column_list"]))
    elif "column_set" in kwargs:
        what = f"{len(kwargs['column_set'])} columns"
    else:
        what = "table"
    return f"{etype}({what})"


def _plain(value: Any) -> Any:
    """Integral floats as ints (4000000000 rather than 4000000000.0), recursively."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _short(value: Any, limit: int = 120) -> str:
    value = _plain(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sample_unexpected_rows(datasource, table, snapshot_id, kwargs, limit=3) -> list[dict] | None:
    """A few offending rows of a failed UnexpectedRowsExpectation.

    GX only returns them with result_format COMPLETE, which would also return *every* unexpected
    value of every column expectation; so they are fetched here, on GX's own (read-only)
    connection. DuckDB accepts an un-aliased subquery, so ``{batch}`` becomes one as is.
    """
    query = kwargs.get("unexpected_rows_query")
    if not isinstance(query, str):
        return None
    try:
        import sqlalchemy as sa

        batch = f'(SELECT * FROM "{table}" AT (VERSION => {int(snapshot_id)}))'
        sql = query.format(batch=batch)
        engine = datasource.get_execution_engine()
        res = engine.execute_query(sa.text(f"SELECT * FROM ({sql}) LIMIT {int(limit)}"))
        return [dict(row._mapping) for row in res.fetchall()]
    except Exception:  # noqa: BLE001 - a sample is a nicety; the count comes from GX
        log.debug("could not sample unexpected rows", exc_info=True)
        return None


def _details(res, sample: list[dict] | None = None, changed_since: int | None = None, part: str = "changed") -> str:
    """A short, human-readable summary of one ExpectationValidationResult."""
    text = _details_inner(res, sample)
    if changed_since is not None and part.startswith("keyed:"):
        text = (f"on the rows whose {part.split(':', 1)[1]} is that of a row new or changed in this snapshot (the "
                f"others were unique at snapshot {changed_since}): {text}")
    elif changed_since is not None:
        text = f"on the rows new or changed in this snapshot (the others passed at snapshot {changed_since}): {text}"
    return text if len(text) <= _DETAILS_MAX else text[: _DETAILS_MAX - 1] + "…"


def _details_inner(res, sample: list[dict] | None) -> str:
    if res.exception_info and res.exception_info.get("raised_exception"):
        msg = res.exception_info.get("exception_message") or "error"
        return "error: " + _short(msg.strip().splitlines()[0] if msg.strip() else msg, 250)
    exc_infos = [
        v for v in (res.exception_info or {}).values()
        if isinstance(v, dict) and v.get("raised_exception")
    ]
    if exc_infos:
        msg = str(exc_infos[0].get("exception_message") or "error")
        return "error: " + _short(msg.strip().splitlines()[0] if msg.strip() else msg, 250)

    r = res.result or {}
    etype = res.expectation_config.type
    if etype == "unexpected_rows_expectation":
        count = r.get("observed_value", 0)
        if not count:
            return "0 unexpected rows"
        rows = (r.get("details") or {}).get("unexpected_rows") or sample or []
        text = f"{count} unexpected row(s)"
        if rows:
            text += ": " + "; ".join(_short(_compact_row(row), 140) for row in rows[:2])
        return text
    if etype in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list"):
        mismatched = (r.get("details") or {}).get("mismatched") or {}
        missing = mismatched.get("missing") or []
        if missing:
            return "missing columns: " + ", ".join(map(str, missing))
        return f"{len(r.get('observed_value') or [])} columns present"
    if "unexpected_count" in r:
        n = r.get("unexpected_count") or 0
        total = r.get("element_count")
        text = f"{n} unexpected of {total} rows"
        if r.get("missing_count"):
            text += f" ({r['missing_count']} null, ignored)"
        sample = [v for v in (r.get("partial_unexpected_list") or []) if v is not None]
        if n and sample:
            text += ": " + _short(sample[:5])
        return text
    if "observed_value" in r:
        return "observed " + _short(r["observed_value"])
    return "ok" if res.success else "failed"


def _compact_row(row: Any) -> Any:
    """Keep the identifying columns of an unexpected row first; drop long text."""
    if not isinstance(row, dict):
        return row
    out = {}
    for key, value in row.items():
        if isinstance(value, str) and len(value) > 60:
            value = value[:59] + "…"
        out[key] = value
    keys = sorted(out, key=lambda k: (not k.endswith("_id"), list(out).index(k)))
    return {k: out[k] for k in keys[:6]}

