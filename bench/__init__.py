"""Extraction benchmark: our extractor against quantulum3, in the same run (`python -m bench`).

Speed is measured here, never asserted in unit tests: the bench prints numbers and ratios next to
the project's aims and always exits 0 when the measurements complete.
"""
