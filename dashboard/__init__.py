"""Quantitative claims dashboard: every figure in a news article, who asserted it, and the data."""

__version__ = "0.1.0"
