# SHIM (layout move): remove at integration
"""Old home of the claim extractor: it now lives in :mod:`vnclaims.claims`."""
from .claims.as_of import infer_as_of  # noqa: F401
from .claims.extract import _Ctx, _extract_sentence, extract_document  # noqa: F401
from .claims.metrics import REGISTRY_PATH, Metric, Registry, _load_registry, extractor_version, load_registry  # noqa: F401
from .claims.model import QUALIFIERS, Claim, _claim_id  # noqa: F401
from .claims.periods import _period_for, _relative_years  # noqa: F401
from .claims.qualifiers import _qualifier  # noqa: F401
from .claims.sentence import COUNTRY_RU, COUNTRY_VN, _direction, _Sent, clause_bounds  # noqa: F401
