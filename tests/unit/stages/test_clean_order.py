"""Clean reads its files in the order the scratch holds them, not in path order; a document that several
files give (the same words, other punctuation) still gets the sentences of its first file in path order,
the file dedup keeps as the document."""
from __future__ import annotations

import itertools

import pytest

from vnclaims.claims.as_of import infer_as_of
from vnclaims.run.context import RunContext
from vnclaims.run.scratch import put
from vnclaims.stages.clean import clean
from vnclaims.text.document import clean_document

TITLE = "Quan hệ Việt Nga\n\n"
# three texts with the same words: one document, three ways to cut it into sentences
TEXTS = {
    "a.txt": TITLE + "Việt Nam và Nga ký hiệp định mới. Thương mại hai nước tăng mạnh trong năm 2014.\n",
    "b.txt": TITLE + "Việt Nam và Nga ký hiệp định mới, thương mại hai nước tăng mạnh trong năm 2014!\n",
    "c.txt": TITLE + "Việt Nam và Nga ký hiệp định mới; Thương mại hai nước tăng mạnh. Trong năm 2014.\n",
}
OTHER = {"d.txt": TITLE + "Cộng đồng người Việt tại Nga có khoảng 60-80 nghìn người.\n"}


def _sentences(path: str) -> list[tuple]:
    r = clean_document(path, path, {**TEXTS, **OTHER}[path], None, None, None, 128, infer_as_of)
    return [(x["doc_id"], x["sentence_index"], x["char_start"], x["char_end"], x["text"]) for x in r["sentences"]]


@pytest.mark.parametrize("order", list(itertools.permutations(["a.txt", "b.txt", "c.txt", "d.txt"]))[::5])
def test_a_documents_sentences_come_from_its_first_file_in_path_order(make_settings, tmp_path, order):
    assert len({_sentences(p)[0][0] for p in TEXTS}) == 1 and len({tuple(_sentences(p)) for p in TEXTS}) == 3
    ctx = RunContext(make_settings(tmp_path / "seeds"), "r-test", log=lambda m: None)
    with ctx.work() as w:
        put(w, "in_text", [{"raw_id": f"raw-{p}", "source_path": p, "text": {**TEXTS, **OTHER}[p], "published": None,
                            "publisher": None, "url": None} for p in order])
    counts = clean(ctx)
    assert counts["in"] == counts["out"] == 4
    with ctx.work() as w:
        got = w.execute("SELECT doc_id, sentence_index, char_start, char_end, text FROM c_sentences "
                        "ORDER BY doc_id, sentence_index").fetchall()
        assert sorted(r[0] for r in w.execute("SELECT source_path FROM c_docs").fetchall()) == sorted(order)
        assert w.execute("SELECT count(*) FROM c_minhash").fetchone()[0] == 2
    assert got == sorted(_sentences("a.txt") + _sentences("d.txt"))
