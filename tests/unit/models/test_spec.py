"""The SQL model files: headers (purpose, key, scope, rows, materialized) and what they declare."""
from __future__ import annotations

import pytest

from vnclaims.errors import WarehouseError
from vnclaims.models.spec import load_models
from vnclaims.settings import Settings


def _write(tmp_path, layer: str, name: str, text: str):
    d = tmp_path / "sql" / layer
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{name}.sql").write_text(text, encoding="utf-8")
    return tmp_path / "sql"


def test_the_projects_scoped_marts_and_row_local_checks():
    models = {m.name: m for m in load_models(Settings.load().sql_dir)}
    assert models["documents"].scope == ("doc_id", "doc_id")
    assert models["dedup_decisions"].scope == ("removed_source_path", "source_path")
    assert models["documents"].scope_inputs == ("source_files", "stg_documents")
    assert models["conflicts"].scope is None            # a conflict depends on two documents' claims
    assert models["claims_quote_at_offsets"].rows == "claims"
    # uniqueness: judged on the rows sharing an id; a conflict: on its row and the two claims it names
    assert models["claims_unique_id"].also == (("claims", "claim_id", ("claim_id",)),)
    assert models["conflicts_distinct_sources"].rows == "conflicts"
    assert models["conflicts_distinct_sources"].also == (("claims", "claim_id", ("claim_id_a", "claim_id_b")),)
    assert models["estimate_members"].kind == models["estimate_claims"].kind == "ephemeral"
    assert models["estimates"].kind == "model"
    assert models["review_decisions"].rows_from == ("reviews",)
    assert models["claim_reviews"].rows_from == ("review_decisions",)


@pytest.mark.parametrize("header,expected", [
    ("-- scope: doc_id", ("doc_id", "doc_id")),
    ("-- scope: kept_path (source_path)", ("kept_path", "source_path")),
])
def test_scope_header(tmp_path, header, expected):
    sql = _write(tmp_path, "40_marts", "m", f"-- purpose: p\n-- key: k\n{header}\nSELECT 1 AS k")
    assert load_models(sql)[0].scope == expected


@pytest.mark.parametrize("layer,header,why", [
    ("40_marts", "-- scope: metric", "must be '<column>' or '<column> (<kind>)'"),
    ("40_marts", "-- scope: a (doc)", "with a kind in doc_id, source_path"),
    ("40_marts", "-- rows: claims", "belongs on a check"),
    ("90_checks", "-- rows: claims, documents", "names one table"),
    ("40_marts", "-- scope_inputs: source_files", "needs a '-- scope:' header"),
    ("90_checks", "-- also: claims.claim_id = claim_id", "on a check with a '-- rows:' header"),
    ("90_checks", "-- rows: conflicts\n-- also: claims = claim_id_a", "'<table>.<column> = <column>"),
    ("40_marts", "-- materialized: view", "must be 'table' or 'ephemeral'"),
    ("90_checks", "-- materialized: ephemeral", "must be 'table' or 'ephemeral'"),
    ("40_marts", "-- materialized: ephemeral\n-- key: k", "no '-- scope:' or '-- key:'"),
    ("40_marts", "-- rows_from: a b", "names tables, comma-separated"),
    ("90_checks", "-- rows_from: claims", "belongs on a SELECT model stored as a table"),
    ("40_marts", "-- materialized: ephemeral\n-- rows_from: claims", "belongs on a SELECT model stored as a table"),
])
def test_bad_scope_or_rows_header_names_the_file(tmp_path, layer, header, why):
    sql = _write(tmp_path, layer, "m", f"-- purpose: p\n{header}\nSELECT 1 AS k")
    with pytest.raises(WarehouseError, match="m.sql") as e:
        load_models(sql)
    assert why in str(e.value)


def test_the_models_fingerprint_changes_when_a_model_stops_being_stored(tmp_path):
    from vnclaims.models.plan import models_fingerprint
    table = _write(tmp_path / "a", "40_marts", "m", "-- purpose: p\nSELECT 1 AS k")
    ephemeral = _write(tmp_path / "b", "40_marts", "m", "-- purpose: p\n-- materialized: ephemeral\nSELECT 1 AS k")
    a, b = load_models(table), load_models(ephemeral)
    assert a[0].sql == b[0].sql and (a[0].kind, b[0].kind) == ("model", "ephemeral")
    assert models_fingerprint(a) != models_fingerprint(b)
