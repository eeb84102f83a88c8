"""MinHash signatures (text/minhash.py, clean's) and the LSH search over them (dedup/lsh.py, dedup's):
near-duplicates found, deterministic, sub-quadratic candidates, figures kept distinct."""
from __future__ import annotations

import numpy as np

from vnclaims.dedup.lsh import (FreshBuckets, band_keys, cluster_ids, clusters, differing_numbers, find_near_pairs, lsh_candidates,
                                near_duplicates, sharing_a_bucket)
from vnclaims.text.minhash import MinHasher

STORY = ("Kim ngạch thương mại song phương giữa Việt Nam và Liên bang Nga năm 2019 đạt 4,9 tỷ USD, tăng 8% so với "
         "năm trước. Hai bên nhất trí thúc đẩy hợp tác trong các lĩnh vực năng lượng, dầu khí, giáo dục và đào tạo, "
         "khoa học công nghệ, du lịch và hợp tác giữa các địa phương. Cộng đồng người Việt tại Nga có khoảng 80.000 "
         "người, đóng góp tích cực cho quan hệ hữu nghị giữa hai nước. Hai nước cũng nhất trí sớm hoàn tất các thủ "
         "tục để triển khai dự án trung tâm nghiên cứu khoa học và công nghệ hạt nhân tại Việt Nam.")


def test_figure_changed_is_a_near_duplicate_not_an_exact_one():
    other = STORY.replace("80.000", "100.000")
    unrelated = "Đội tuyển bóng đá quốc gia chuẩn bị cho vòng loại với nhiều cầu thủ trẻ được triệu tập lần đầu tiên."
    pairs = near_duplicates([("a", STORY), ("b", other), ("c", unrelated)], threshold=0.7)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]
    assert 0.7 <= pairs[0][2] < 1.0
    assert differing_numbers(STORY, other) == (["80.000"], ["100.000"])


def test_signatures_are_deterministic_and_whitespace_insensitive():
    mh = MinHasher(64)
    s1 = mh.signature(STORY)
    s2 = MinHasher(64).signature(STORY.replace(" ", "  ").replace("hòa", "hoà"))
    assert s1.dtype == np.uint32 and s1.shape == (64,)
    assert (s1 == s2).all()


def test_lsh_is_subquadratic_on_unrelated_documents():
    rng = np.random.Generator(np.random.PCG64(1))
    sigs = rng.integers(0, 2**32 - 1, size=(3000, 64), dtype=np.uint64).astype(np.uint32)
    cands = lsh_candidates(sigs, bands=16)
    assert len(cands) < 3000          # random documents almost never collide (all pairs would be 4.5 M)


def test_clusters_link_chains():
    ids = ["d1", "d2", "d3", "d4"]
    base = MinHasher(64).signature(STORY)
    sigs = np.stack([base, base, base, MinHasher(64).signature("hoàn toàn khác biệt về nội dung và chủ đề của bài báo này")])
    pairs = find_near_pairs(ids, sigs, 0.8, 16)
    cl = clusters(pairs)
    assert cl["d1"] == cl["d2"] == cl["d3"] == "d1" and "d4" not in cl


def _planted(n_clusters=12, size=6, noise=150, perm=64, seed=3):
    rng = np.random.Generator(np.random.PCG64(seed))
    rows = []
    for _ in range(n_clusters):
        base = rng.integers(0, 2**32 - 1, size=perm, dtype=np.uint64)
        for _ in range(size):
            s = base.copy()
            flip = rng.choice(perm, size=6, replace=False)      # ~90 % of the values shared
            s[flip] = rng.integers(0, 2**32 - 1, size=6, dtype=np.uint64)
            rows.append(s)
    rows += list(rng.integers(0, 2**32 - 1, size=(noise, perm), dtype=np.uint64))
    order = rng.permutation(len(rows))
    return np.stack(rows)[order].astype(np.uint32)


def test_lsh_candidates_equal_a_brute_force_band_comparison():
    sigs, bands = _planted(), 16
    rows = sigs.shape[1] // bands
    n = len(sigs)
    brute = {(i, j) for i in range(n) for j in range(i + 1, n)
             if any((sigs[i, b * rows:(b + 1) * rows] == sigs[j, b * rows:(b + 1) * rows]).all() for b in range(bands))}
    got = {tuple(p) for p in lsh_candidates(sigs, bands).tolist()}
    assert brute and got == brute


def test_only_mask_gives_the_pairs_of_the_new_documents():
    """An incremental run looks for pairs of its new documents only: the same pairs a full pass finds
    for them, nothing else."""
    sigs = _planted()
    ids = [f"d{i:03d}" for i in range(len(sigs))]
    full = find_near_pairs(ids, sigs, 0.8, 16)
    new = np.zeros(len(ids), dtype=bool)
    new[::7] = True
    part = find_near_pairs(ids, sigs, 0.8, 16, only=new)
    new_ids = {d for d, f in zip(ids, new) if f}
    assert part and part == [p for p in full if p.doc_a in new_ids or p.doc_b in new_ids]


def test_big_buckets_are_chained_not_expanded():
    base = np.arange(64, dtype=np.uint32)
    sigs = np.stack([base] * 200)                     # 200 identical documents: one bucket per band
    cands = lsh_candidates(sigs, bands=16, max_bucket=64)
    assert len(cands) == 199                          # a chain, not 19,900 pairs
    assert clusters(find_near_pairs([f"d{i:03d}" for i in range(200)], sigs, 0.8, 16))["d199"] == "d000"


def _with_big_bucket(seed=5):
    """Planted clusters, noise, and 150 documents sharing one band's values (a bucket past the 64 that
    are expanded in full: chained), some of them near-identical."""
    sigs = _planted(seed=seed)
    rng = np.random.Generator(np.random.PCG64(seed))
    big = rng.integers(0, 2**32 - 1, size=(150, 64), dtype=np.uint64).astype(np.uint32)
    big[:, :4] = 7                                    # band 0 equal in all 150
    big[100:] = big[99]                               # 50 copies of one: near pairs inside the big bucket
    big[100:, 60:] = np.arange(4, dtype=np.uint32)
    return np.concatenate([sigs, big])


def test_documents_sharing_a_bucket_with_the_new_ones_give_the_pairs_of_all_documents():
    """Incremental dedup reads only the documents that share an LSH bucket with a new one; banding over
    them alone finds the same pairs for the new documents as banding over every document (chained big
    buckets included: such a bucket is read whole)."""
    sigs = _with_big_bucket()
    ids = [f"d{i:03d}" for i in range(len(sigs))]
    for step in (7, 40, 149):
        new = np.zeros(len(ids), dtype=bool)
        new[::step] = True
        new[-3:] = True                               # in the big bucket
        full = find_near_pairs(ids, sigs, 0.8, 16, only=new)
        fresh = FreshBuckets([np.unique(band_keys(sigs[new], 16, b)) for b in range(16)])
        keep = sharing_a_bucket(sigs, 16, fresh)
        rows = sigs.shape[1] // 16
        brute = [any((sigs[new][:, b * rows:(b + 1) * rows] == sigs[i, b * rows:(b + 1) * rows]).all(axis=1).any()
                     for b in range(16)) for i in range(len(ids))]
        assert keep.tolist() == brute and keep[new].all() and keep.sum() < len(ids)
        sub_ids = [d for d, k in zip(ids, keep) if k]
        part = find_near_pairs(sub_ids, sigs[keep], 0.8, 16, only=new[keep])
        assert full and part == full


def _reference_signature(toks: list[str], num_perm: int) -> np.ndarray:
    """The signature as first written: shingles de-duplicated (np.unique), each value shifted before the minimum."""
    import zlib
    th = np.array([zlib.crc32(t.encode()) for t in toks], dtype=np.uint64)
    if len(th) == 0:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    k = min(5, len(th))
    sh = np.zeros(len(th) - k + 1, dtype=np.uint64)
    for i in range(k):
        sh = sh * np.uint64(1_000_003) + th[i:len(th) - k + 1 + i]
    a, b = MinHasher(num_perm)._params()
    return ((np.outer(np.unique(sh), a) + b) >> np.uint64(32)).min(axis=0).astype(np.uint32)


def test_signature_equals_the_reference_formula_with_repeats_and_short_texts():
    words = STORY.lower().replace(",", " ").replace(".", " ").split()
    for toks in (words, words + words[:40] + words, words[:1], words[:3], words[:5], [], ["a"] * 30):
        assert (MinHasher(64).signature_of_tokens(toks) == _reference_signature(toks, 64)).all(), len(toks)


def test_token_hashes_remembered_and_forgotten_give_the_same_signatures(monkeypatch):
    import vnclaims.text.minhash as M
    monkeypatch.setattr(M, "_TOKEN_CRC_MAX", 10)         # emptied every few documents
    words = STORY.lower().replace(",", " ").replace(".", " ").split()
    for i in range(0, len(words), 7):
        toks = words[i:] + [str(i)]
        assert (MinHasher(32).signature_of_tokens(toks) == _reference_signature(toks, 32)).all()
        assert len(M._TOKEN_CRC) <= 10 + len(toks)


def test_candidates_for_some_documents_are_those_of_all_documents_that_touch_them():
    """With ``only``, banding sorts only the rows of the buckets that hold one of them: the candidate pairs
    are exactly those of banding over every row that have a member in ``only`` (chained big buckets too)."""
    sigs = _with_big_bucket()
    every = lsh_candidates(sigs, 16).tolist()
    for step in (5, 31, 97):
        only = np.zeros(len(sigs), dtype=bool)
        only[::step] = True
        only[-2] = True                               # in the big bucket (chained)
        want = [p for p in every if only[p[0]] or only[p[1]]]
        assert want and lsh_candidates(sigs, 16, only=only).tolist() == want
    assert lsh_candidates(sigs, 16, only=np.zeros(len(sigs), dtype=bool)).tolist() == []


def test_fresh_buckets_find_exactly_the_fresh_keys():
    rng = np.random.default_rng(3)
    keys = [np.unique(rng.integers(0, 2**63, size=n, dtype=np.uint64)) for n in (0, 1, 5000)]
    fresh = FreshBuckets(keys)
    for b, f in enumerate(keys):
        probe = np.concatenate([f, rng.integers(0, 2**63, size=20000, dtype=np.uint64), keys[2][:100]])
        assert fresh.contains(probe, b).tolist() == np.isin(probe, f).tolist()


def test_signatures_read_in_any_order_give_the_pairs_of_signatures_in_doc_id_order():
    """``find_near_pairs(..., at=)`` reads ``doc_ids[i]``'s signature at row ``at[i]`` (dedup leaves the rows as
    read): the same pairs as the matrix in doc_id order, chained big buckets included. Two documents here
    share band 0 with 98 others (a bucket of 100: chained in doc_id order) and 7 of 8 values in every
    other band: only the chain, followed in doc_id order, pairs them."""
    rng = np.random.Generator(np.random.PCG64(21))
    sigs = rng.integers(0, 2**32 - 1, size=(100, 64), dtype=np.uint64).astype(np.uint32)
    sigs[:, :8] = 3                                   # band 0 (8 bands of 8): one bucket of 100
    sigs[41] = sigs[40]
    sigs[41, 8::8] += 1                               # one value of each other band differs: 57/64
    ids = [f"d{i:03d}" for i in range(100)]
    want = find_near_pairs(ids, sigs, 0.8, 8)
    assert [(p.doc_a, p.doc_b) for p in want] == [("d040", "d041")]
    shuffled = rng.permutation(100)                   # row r of the read matrix holds document shuffled[r]
    at = np.argsort(shuffled)                         # document i is at row at[i]
    read = sigs[shuffled]
    assert find_near_pairs(ids, read, 0.8, 8, at=at) == want
    only = np.zeros(100, dtype=bool)
    only[41] = True
    assert find_near_pairs(ids, read, 0.8, 8, only=only, at=at) == want
    # the rows taken in the order read instead (the chain in another order) lose the pair
    assert find_near_pairs([ids[i] for i in shuffled], read, 0.8, 8) != want


def _union_find(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The reference: a union-find in Python, each root the smallest doc id of its component."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def test_cluster_ids_are_the_smallest_doc_id_of_each_connected_component():
    """Random graphs (isolated pairs, stars, long chains whose smallest id sits in the middle, cycles) give
    the components a union-find gives; no pair, no cluster."""
    rng = np.random.Generator(np.random.PCG64(8))
    for trial in range(30):
        n = int(rng.integers(2, 400))
        names = [f"{int(x):06x}" for x in rng.permutation(10 * n)[:n]]
        edges = [(names[int(i)], names[int(j)]) for i, j in rng.integers(0, n, size=(int(rng.integers(1, n)), 2)) if i != j]
        chain = [names[int(i)] for i in rng.permutation(n)[:int(rng.integers(2, n + 1))]]
        edges += list(zip(chain, chain[1:]))
        docs, cl = cluster_ids(np.array([a for a, _ in edges], dtype=object), np.array([b for _, b in edges], dtype=object))
        assert dict(zip(docs.tolist(), cl.tolist())) == _union_find(edges), trial
    docs, cl = cluster_ids(np.array([], dtype=object), np.array([], dtype=object))
    assert len(docs) == 0 and len(cl) == 0 and clusters([]) == {}
