"""`extract_figures(..., lang=...)`: the article is read with the word lists of its language."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.extract import extract_figures
from dashboard.extract.lang import UnknownLanguage, available

TEXT = 'Officials said about 1,200 people were evacuated on Monday. "It was 40 percent," she said.'


def test_english_is_the_default_and_can_be_named():
    assert "en" in available()
    pd.testing.assert_frame_equal(extract_figures(TEXT, "2024-07-09"),
                                  extract_figures(TEXT, "2024-07-09", lang="en"))


@pytest.mark.parametrize("lang", ["xx", "../en", "", None])
def test_an_unknown_language_is_a_clear_error(lang):
    with pytest.raises(UnknownLanguage, match="no word lists for language"):
        extract_figures(TEXT, "2024-07-09", lang=lang)
