"""Sentence and paragraph spans."""

from __future__ import annotations

import pytest

from dashboard.extract.sentences import paragraphs, sentences


def split(text: str) -> list[str]:
    return [text[start:end] for start, end in sentences(text)]


@pytest.mark.parametrize("text", [
    "The U.S. military struck a boat. It sank.",
    "Mr. Smith met Dr. Jones on Oct. 15 at noon. They talked.",
    "Strikes began on Sept. 2 in the Caribbean. More followed.",
    "J. Edgar Hoover ran the bureau for decades. He died in 1972.",
    "The meeting was at 10 a.m. Tuesday in Washington. Nobody came.",
    "Prices rose 3.5 percent in No. 5 district. Then they fell.",
])
def test_abbreviations_do_not_end_sentences(text):
    assert len(split(text)) == 2


def test_a_dotted_abbreviation_ends_a_sentence_before_a_new_one():
    assert split("He moved to the U.S. The family followed.") == [
        "He moved to the U.S.", "The family followed."]


def test_quotations_end_and_continue_sentences():
    text = "“To stop drugs? I’m fine with that,” he said. “We will.” Then he left."
    assert split(text) == [
        "“To stop drugs?", "I’m fine with that,” he said.", "“We will.”", "Then he left."]


def test_a_question_inside_a_quote_before_attribution_does_not_split():
    assert len(split("“Why now?” she asked. Nobody knew.")) == 2


def test_every_line_is_a_paragraph_when_the_text_has_no_blank_lines():
    text = "Reply to Trump\nHer comments came later. They were short.\nRead more"
    spans = paragraphs(text)
    assert [text[s:e] for s, e in spans] == [
        "Reply to Trump", "Her comments came later. They were short.", "Read more"]
    assert split(text) == [
        "Reply to Trump", "Her comments came later.", "They were short.", "Read more"]


def test_hard_wrapped_paragraphs_are_joined_when_blank_lines_separate_paragraphs():
    text = "The agency said 40\nhomes were lost in the\nfire.\n\nA second paragraph."
    assert [text[s:e] for s, e in paragraphs(text)] == [
        "The agency said 40\nhomes were lost in the\nfire.", "A second paragraph."]


def test_spans_are_stripped_and_ordered():
    text = "  One.   Two!  \n\n  Three?  "
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ["One.", "Two!", "Three?"]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
