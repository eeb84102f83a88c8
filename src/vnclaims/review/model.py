"""What a decision is: its target, its verdict, who took it and why."""
from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass, field

# a claim: the reviewer accepts it (it wins its estimate) or rejects it (wrong metric, value, scope or
# period: it stays in claims with its status but leaves conflicts, agreements and estimates)
CLAIM_DECISIONS = ("accept", "reject")
# a conflict: trust claim a, trust claim b, both (not comparable: another scope or time, so no conflict),
# neither (both leave the estimate)
CONFLICT_DECISIONS = ("trust_a", "trust_b", "both", "neither")
TARGET_KINDS = ("claim", "conflict", "review")


class ReviewError(ValueError):
    """A decision that cannot be recorded; the message says why."""


def conflict_decision(trust: str) -> str:
    """``--trust a|b|both|neither`` -> the stored decision."""
    t = trust.strip().lower()
    if t in ("a", "b"):
        return f"trust_{t}"
    if t in ("both", "neither"):
        return t
    raise ReviewError(f"--trust must be a, b, both or neither (not {trust!r})")


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class Decision:
    target_kind: str          # claim | conflict | review (an undo)
    target_id: str            # a claim id, a conflict id (or a unique prefix of one), a review id
    decision: str             # accept | reject | trust_a | trust_b | both | neither | undo
    reason: str
    reviewer: str = field(default_factory=default_reviewer)
    via: str = "cli"

    def __post_init__(self) -> None:
        allowed = {"claim": CLAIM_DECISIONS, "conflict": CONFLICT_DECISIONS, "review": ("undo",)}
        if self.target_kind not in allowed:
            raise ReviewError(f"a decision is about a claim, a conflict or a review (not {self.target_kind!r})")
        if self.decision not in allowed[self.target_kind]:
            raise ReviewError(f"a {self.target_kind} decision is one of {', '.join(allowed[self.target_kind])} "
                              f"(not {self.decision!r})")
        if not str(self.target_id).strip():
            raise ReviewError(f"which {self.target_kind}? (an id is needed)")
        if not self.reason.strip():
            raise ReviewError("a decision needs a reason (--reason \"...\"): the next reviewer reads it")
        if not self.reviewer.strip():
            raise ReviewError("who decides? (--by NAME)")


def pair_key(key_a: str, key_b: str) -> str:
    """A pairwise conflict's content key: its two claims' keys, in either order (md5 hex as DuckDB's md5)."""
    a, b = sorted((key_a, key_b))
    return hashlib.md5(f"{a}|{b}".encode()).hexdigest()
