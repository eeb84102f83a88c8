# SHIM (layout move): remove at integration
"""Old home of the entity finder: it now lives in :mod:`vnclaims.claims.entities`."""
from .claims.entities import GAZETTEER, _closest_org, _load, find_mentions  # noqa: F401
