"""vnclaims: data-versioned ETL of numeric claims from Vietnamese news about Vietnam–Russia relations."""
__version__ = "0.1.0"
