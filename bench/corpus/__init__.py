"""The benchmark corpus generator behind bench/generate.py (standard library only, deterministic).

numbers -> vocabulary -> world -> numeric / filler (paragraph templates) -> articles (Plan, render)
-> duplicates (near-duplicates) -> schedule (kinds, documents, truth entries) -> writer (files, truth file).
"""
