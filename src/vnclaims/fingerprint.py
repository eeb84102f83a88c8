# SHIM (layout move): remove at integration
"""Old home of the fingerprint helpers: they now live in :mod:`vnclaims.versions`."""
from .versions import PACKAGE, _fingerprint, fingerprint, package_files, package_tree, stamp  # noqa: F401
