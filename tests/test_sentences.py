"""Sentence and paragraph spans."""

from __future__ import annotations

import pytest

from dashboard.extract.sentences import MAX_SENTENCE_CHARS, paragraphs, sentences


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


# -- hostile shapes: bounded sentences, linear time ---------------------------------------------
def test_an_over_long_sentence_is_cut_at_line_breaks_first():
    lines = [f"about {i} people died" for i in range(400)]
    text = "Intro.\n\n" + "\n".join(lines)  # blank lines: single breaks are hard wraps
    spans = sentences(text)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert all(text[end - 1] != " " for _, end in spans)
    cut_at = {text[end] for _, end in spans[:-1] if end < len(text)}
    assert cut_at <= {"\n"}, cut_at  # every cut fell on a line break


def test_an_over_long_sentence_without_breaks_is_cut_after_a_clause_then_a_space():
    clauses = ", ".join(f"item {i}" for i in range(400))
    spans = sentences(clauses)
    assert len(spans) > 1
    assert all(clauses[start - 2:start] == ", " for start, _ in spans[1:])
    words = " ".join(str(i) for i in range(1000))
    spans = sentences(words)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert " ".join(words[s:e] for s, e in spans) == words  # cut only at spaces


def test_a_run_without_spaces_is_cut_at_the_limit():
    text = "x" * (3 * MAX_SENTENCE_CHARS + 5)
    assert [e - s for s, e in sentences(text)] == [MAX_SENTENCE_CHARS] * 3 + [5]


def test_paragraphs_of_a_hard_wrapped_file_of_many_lines_take_linear_work():
    # Once quadratic: every line break copied the text before it. 200,000 lines now split at
    # once; a quadratic split would copy about 10**11 characters.
    text = "Intro.\n\n" + "\n".join(["a line"] * 200_000)
    assert len(paragraphs(text)) == 2
