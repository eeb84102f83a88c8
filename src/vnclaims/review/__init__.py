"""The reviewer's loop: decisions on claims and conflicts, kept in the lake's ``reviews`` table.

A decision points at its target by content (the claim keys of the ``claim_keys`` mart: the document's
content hash, the metric, the quoted figure and its place in the sentence), so that it still finds its
claim after a re-extraction, a re-clean, a rollback or a renamed file. The SQL marts apply the decisions on
every run (``review_decisions``, ``claim_reviews``, ``conflicts``, ``estimates``); a decision whose target is
gone or now says something else is stale, and is never applied to another figure.

No Prefect or Great Expectations here: :mod:`.model` (the decision vocabulary), :mod:`.store` (writing and
listing decisions: one snapshot per decision, under the writer lock), :mod:`.queue` (what a reviewer has
to look at) and :mod:`.web` (``vnclaims review serve``, a local page with buttons for the same decisions).
"""
from .model import CLAIM_DECISIONS, CONFLICT_DECISIONS, Decision, ReviewError, conflict_decision, pair_key
from .store import list_decisions, record, undo

__all__ = ["CLAIM_DECISIONS", "CONFLICT_DECISIONS", "Decision", "ReviewError", "conflict_decision", "list_decisions",
           "pair_key", "record", "undo"]
