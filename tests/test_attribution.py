"""Attribution, one rule at a time: who asserts each figure (speaker, in_quote, stance).

The sentence shapes come from published news (wire copy, local papers, weather and quake
reports); names and numbers are changed, institutions are real.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.extract import attribution, extract_figures
from dashboard.extract.attribution import Attributor
from dashboard.extract.lang import Lexicon, lexicon
from dashboard.extract.sentences import paragraphs, sentences


def row(text: str, surface: str, publisher: str = "Desk") -> dict:
    table = extract_figures(text, publisher=publisher)
    found = table[table["surface"] == surface]
    assert len(found) == 1, f"{surface!r}: {list(table['surface'])}"
    return found.iloc[0].to_dict()


def who(text: str, surface: str) -> tuple[str, bool, str]:
    found = row(text, surface)
    return found["speaker"], found["in_quote"], found["stance"]


# -- names ----------------------------------------------------------------------------------
def test_a_name_ends_at_the_full_stop_that_ends_its_sentence():
    text = '"It is 5 percent," said Tom Ruiz. She said 30 more would follow.'
    assert who(text, "5 percent")[:2] == ("Tom Ruiz", True)


@pytest.mark.parametrize("text, speaker", [
    ("Figures from the U.S. Geological Survey show 12 quakes.", "U.S. Geological Survey"),
    ('"We lost 12 boats," said J. R. Okafor of the group.', "J. R. Okafor"),
])
def test_initials_and_abbreviations_keep_their_dots_inside_a_name(text, speaker):
    assert row(text, "12")["speaker"] == speaker


# -- pronouns: the latest subject of their kind ----------------------------------------------
def test_a_pronoun_after_reported_speech_is_the_person_just_named_not_the_last_quoted():
    text = ('"That\'s a bottomless pit," Gov. Harold Wexler said of the request.\n'
            "Sen. Dana Okafor, D-Tulsa, head of the Senate's Human Resources Committee, said the "
            "department can't get by with only a $12 million supplemental appropriation.\n"
            "He said he was told that 40 percent of the shortfall relates to the Medicaid program.")
    assert who(text, "$12 million") == ("Dana Okafor", False, "claim")
    assert who(text, "40 percent") == ("Dana Okafor", False, "claim")


def test_he_added_after_reported_speech():
    text = ("“We saw 5 boats,” Maria Lopez said.\n"
            "Councilman Jorge Ruiz said the city counted 3 boats. He added that 2 more sank.")
    assert who(text, "2") == ("Jorge Ruiz", False, "claim")


def test_a_quotation_attributed_by_a_pronoun_takes_the_last_subject_not_the_last_quote():
    text = ("“We lost 40 homes,” Mayor Jane Doe said.\n"
            "Fire Chief Omar Haddad said crews had worked through the night.\n"
            "“We pulled 12 people from the water,” he said.")
    assert who(text, "12") == ("Omar Haddad", True, "claim")


def test_a_subject_that_says_nothing_is_still_what_he_refers_to():
    text = ("Mayor Victor Alvarez defended the police budget on Monday.\n"
            "He said the city had hired 240 new officers.")
    assert who(text, "240") == ("Victor Alvarez", False, "claim")


def test_a_subject_after_an_opening_phrase():
    text = ("“We lost 40 homes,” Mayor Jane Doe said.\n"
            "At a news conference Tuesday morning, Senator Ana Quiroga was asked about the toll.\n"
            "She said 17 people were still missing.")
    assert who(text, "17") == ("Ana Quiroga", False, "claim")


def test_a_possessive_opening_is_not_the_subject():
    text = ("Mayor Jane Doe toured the site.\n"
            "Doe’s deputy, Carl Brandt, visited the shelters.\n"
            "She said 30 families had been moved.")
    assert who(text, "30")[0] == "Jane Doe"


def test_it_is_the_latest_body_and_they_the_latest_speaker():
    text = "The company said it would cut 1,200 jobs. It added that 300 would be in Ohio."
    assert who(text, "300") == ("company", False, "claim")
    text = "Police said 62 people were detained. They added that 4 officers were hurt."
    assert who(text, "4") == ("Police", False, "claim")


def test_it_is_never_a_person():
    text = "Ana Ruiz visited the dam. It holds 40 million cubic meters, officials said."
    assert who(text, "40 million cubic meters")[0] == "officials"
    found = row("Ana Ruiz spoke first. It said 40 boats sank.", "40")
    assert found["speaker"] != "Ana Ruiz"


def test_a_role_subject_is_what_she_refers_to():
    text = "The mayor said 40 homes were destroyed. She added that 12 were rebuilt."
    assert who(text, "12") == ("mayor", False, "claim")


def test_the_same_subject_goes_on_through_a_chain_of_pronouns():
    text = ("Chief Economist Lena Brooks presented the outlook on Monday.\n"
            "She said growth would slow to 1.2 percent. She added that prices would rise "
            "2.9 percent. She also said 40,000 jobs were at risk.")
    assert {who(text, s)[0] for s in ("1.2 percent", "2.9 percent", "40,000")} == {"Lena Brooks"}


# -- reported speech without quotation marks -------------------------------------------------
@pytest.mark.parametrize("text", [
    "Webb said the agency needed $12 million to repair the levee.",
    "Webb said Tuesday that the agency needed $12 million to repair the levee.",
    "In an interview, Webb said the agency needed $12 million to repair the levee.",
    "Webb told lawmakers the agency needed $12 million to repair the levee.",
    "Webb, the agency's director, said the agency needed $12 million to repair the levee.",
    "Webb, who has run the agency since 2019, said it needed $12 million to repair the levee.",
    "Webb also said the agency needed $12 million to repair the levee.",
    "But Webb said the agency needed $12 million to repair the levee.",
    "Webb, 54, said the agency needed $12 million to repair the levee.",
    "Webb later told The Associated Press the agency needed $12 million to repair the levee.",
])
def test_reported_speech_is_a_claim_of_its_subject(text):
    assert who(text, "$12 million") == ("Webb", False, "claim")


def test_a_figure_in_an_apposition_before_the_verb_is_the_reporters():
    text = "Webb, who oversees 1,200 employees, said the agency needed $12 million."
    assert who(text, "1,200") == ("Desk", False, "reported")
    assert who(text, "$12 million") == ("Webb", False, "claim")


def test_a_participle_clause_speaks_for_the_sentences_subject():
    text = ("The state Department of Human Services handed the Legislature more financial "
            "problems Tuesday, saying it needs $25.6 million to operate this fiscal year.")
    assert who(text, "$25.6 million") == ("Department of Human Services", False, "claim")
    assert who(text, "Tuesday") == ("Desk", False, "reported")


def test_a_second_verb_speaks_for_the_sentences_subject():
    text = ("The National Weather Service also did a damage survey, and found that winds "
            "reached 200 mph.")
    assert who(text, "200 mph") == ("National Weather Service", False, "data")


def test_an_adverb_between_a_body_and_its_verb():
    text = ("The Department of Human Services (DHS) earlier projected it would need a "
            "$16.3 million supplemental appropriation.")
    assert who(text, "$16.3 million") == ("Department of Human Services", False, "claim")


# -- bodies as speakers --------------------------------------------------------------------
@pytest.mark.parametrize(("text", "surface", "speaker"), [
    ("The National Weather Service said 14 inches of snow fell in Buffalo.", "14 inches",
     "National Weather Service"),
    ("The quake had a magnitude of 6.1, according to the U.S. Geological Survey.", "6.1",
     "U.S. Geological Survey"),
    ("An earthquake measuring 5.8 struck off the coast on Saturday, the US Geological Survey "
     "(USGS) said.", "5.8", "US Geological Survey"),
    ("The tremor was shallow, at 10.7 miles below the seabed, the USGS said.", "10.7 miles",
     "USGS"),
    ("CDC says 1,240 measles cases were confirmed this year.", "1,240", "CDC"),
    ("There were 1,240 measles cases this year, the CDC says.", "1,240", "CDC"),
    ("The Centers for Disease Control and Prevention (CDC) says 1,240 measles cases were "
     "confirmed.", "1,240", "Centers for Disease Control and Prevention"),
    ("Several inches of snow fell in the mountains before the storm left the state Saturday "
     "morning, according to the National Weather Service.", "Several", "National Weather Service"),
    ("Preliminary measurements from the National Weather Service show Lexington received as "
     "much as 16 inches.", "as much as 16 inches", "National Weather Service"),
])
def test_measuring_and_statistical_bodies_are_data_in_their_full_name_as_written(
        text, surface, speaker):
    assert who(text, surface) == (speaker, False, "data")


def test_data_named_by_an_unnamed_service():
    text = "Madison County recorded up to 8 inches, weather service data said."
    assert who(text, "up to 8 inches") == ("weather service", False, "data")


@pytest.mark.parametrize(("text", "surface", "speaker"), [
    ("The state Department of Transportation said over 1,800 crews worked overnight.",
     "over 1,800", "Department of Transportation"),
    ("Los Angeles International Airport said that 4 runways were inspected.", "4",
     "Los Angeles International Airport"),
    ("The San Bernardino County Fire Department reported no injuries, but stated that 12 "
     "buildings had cracks.", "12", "San Bernardino County Fire Department"),
])
def test_other_bodies_are_claims(text, surface, speaker):
    assert who(text, surface) == (speaker, False, "claim")


def test_a_closing_attribution_with_a_tail():
    assert who("Nineteen people remain missing, the sheriff told reporters.",
               "Nineteen") == ("sheriff", False, "claim")
    assert who("Nineteen people remain missing, the sheriff said Tuesday in a statement.",
               "Nineteen") == ("sheriff", False, "claim")


def test_what_follows_a_closing_verb_is_what_was_said_not_a_tail():
    text = "After 12 floods, Webb said the agency needed more money."
    assert who(text, "12") == ("Desk", False, "reported")


# -- what is not a speaker -----------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "The United States recorded 1,200 tornadoes last year.",
    "The United States has more than 1,200 tornadoes reported each year.",
    "In the United States, over 80 deaths are associated with tornadoes each year.",
])
def test_a_place_in_a_capitalised_name_is_not_a_speaker(text):
    table = extract_figures(text, publisher="Desk")
    assert set(table["speaker"]) == {"Desk"}
    assert set(table["stance"]) == {"reported"}


@pytest.mark.parametrize(("text", "surface", "speaker"), [
    # Once "240 measles cases were", then "agency needed $12 million": the words between a
    # comma and a verb of saying, or after an inverted "said", taken for a speaker.
    ("The Centers for Disease Control and Prevention (CDC) says 1,240 measles cases were "
     "confirmed.", "1,240", "Centers for Disease Control and Prevention"),
    ("Webb, the agency's director, said the agency needed $12 million.", "$12 million", "Webb"),
    ("More than 40 homes burned, going so far as to claim the whole street.", "More than 40",
     "Desk"),
    ("About 300 residents left, said the agency needed more buses.", "About 300", "Desk"),
])
def test_a_clause_is_never_a_speaker(text, surface, speaker):
    assert row(text, surface)["speaker"] == speaker


def test_the_publisher_only_when_nobody_is_named():
    text = ("The storm flattened 300 homes along the coast.\n"
            "Rescuers said 14 people were missing.")
    assert who(text, "300") == ("Desk", False, "reported")
    assert who(text, "14") == ("Rescuers", False, "claim")


# -- the lexicon -------------------------------------------------------------------------------
def spans(text: str):
    paragraph_spans = paragraphs(text)
    return paragraph_spans, sentences(text, paragraph_spans)


def test_the_attributor_reads_its_words_from_the_lexicon_it_is_given():
    english = lexicon("en")
    tables = {name: dict(table) for name, table in english.tables.items()}
    words = {key: dict(value) for key, value in english["attribution"].items()}
    words["speech"] = {**words["speech"], "verbs": [*words["speech"]["verbs"], "grumbled"]}
    tables["attribution"] = words
    text = "Webb grumbled that the agency needed $12 million."
    start = text.index("$12")
    end = start + len("$12 million")
    plain = Attributor(text, *spans(text), "Desk")
    assert plain.attribute(start, end, "money").speaker == "Desk"
    taught = Attributor(text, *spans(text), "Desk", lexicon=Lexicon("en", tables))
    assert taught.attribute(start, end, "money") == attribution.Attribution(
        "Webb", False, "claim")


def test_the_default_lexicon_is_english():
    text = "Webb said the agency needed $12 million."
    start = text.index("$12")
    given = Attributor(text, *spans(text), "Desk", lexicon=lexicon("en"))
    default = Attributor(text, *spans(text), "Desk")
    assert given.attribute(start, start + 11, "money") == default.attribute(
        start, start + 11, "money")


NAME_PIECES = ["Ana", "Ruiz", "Ruiz’s", "Dr.", "Mr", "de", "la", "The", "Bureau", "×Ruiz", "Webb",
               "said", "U.S.", " ", " ", "\n", ", ", ". ", "(", "“", "-", "'", "5", "a" * 30]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=40), st.sampled_from(NAME_PIECES))
def test_a_surname_looked_up_alone_is_one_of_the_names_of_the_whole_text(pieces, pad):
    # is_surname reads only the names around the word's occurrences; surnames, every name.
    text = " ".join(pieces) + pad * 30
    spans_ = spans(text)
    for word in ("Ruiz", "Webb", "Ana", "la", "Bureau", "×Ruiz", "Dr"):
        alone = Attributor(text, *spans_, "Desk")
        assert alone.is_surname(word) == (word in Attributor(text, *spans_, "Desk").surnames)


# -- one pass --------------------------------------------------------------------------------
def test_each_sentence_is_read_once_however_many_figures_ask(monkeypatch):
    calls = {"source": 0, "opening": 0}
    find_source, opening = Attributor._find_source, Attributor._opening_subject

    def counted_source(self, *args, **kwargs):
        calls["source"] += 1
        return find_source(self, *args, **kwargs)

    def counted_opening(self, *args, **kwargs):
        calls["opening"] += 1
        return opening(self, *args, **kwargs)

    monkeypatch.setattr(Attributor, "_find_source", counted_source)
    monkeypatch.setattr(Attributor, "_opening_subject", counted_opening)
    sentence = "Mayor Ana Ruiz said 12 boats sank and 40 more were damaged. He added 3 more. "
    count = 400
    table = extract_figures(sentence * count, publisher="Desk")
    assert len(table) == 3 * count
    assert set(table["speaker"]) == {"Ana Ruiz"}
    # Each source once; an opening subject only where "He" looks back from its own sentence:
    # the sentence before answers it with its source, and its opening is never needed.
    assert calls == {"source": 2 * count, "opening": count}


# -- sentences read only when asked for ---------------------------------------------------------
def test_a_sentence_without_figures_that_no_pronoun_looks_back_through_is_never_read(
        monkeypatch):
    read = []
    find_source = Attributor._find_source

    def counted_source(self, start, end, *args, **kwargs):
        read.append(self.text[start:end])
        return find_source(self, start, end, *args, **kwargs)

    monkeypatch.setattr(Attributor, "_find_source", counted_source)
    text = ("Officials said the storm was over. Webb told reporters it was calm. "
            "Ana Ruiz said 12 boats sank. The harbour is closed.")
    assert who(text, "12") == ("Ana Ruiz", False, "claim")
    assert read == ["Ana Ruiz said 12 boats sank."]


def test_a_pronoun_reads_back_through_sentences_without_figures_to_its_subject():
    text = ("Mayor Ana Ruiz spoke on Monday. The harbour is closed. The Coast Guard said the "
            "storm was over. She said 12 boats sank.")
    assert who(text, "12") == ("Ana Ruiz", False, "claim")
    text = ("The Coast Guard said the storm was over. Webb told reporters the harbour is shut. "
            "It said 12 boats sank.")
    assert who(text, "12")[0] == "Coast Guard"


def test_figures_asked_for_in_any_order_get_the_speakers_of_reading_in_order():
    text = ('Mayor Ana Ruiz spoke on Monday. "We lost 12 boats," she said. The Coast Guard '
            'said the storm was over. It said 30 people were rescued. "Another 4 are missing," '
            'it added. Officials said 2 ports were shut. They said 5 more would reopen. '
            '"We will rebuild 20 of them," Ruiz said.')
    spans_ = spans(text)
    table = extract_figures(text, publisher="Desk")
    figures = list(zip(table["char_start"], table["char_end"], table["quantity_kind"],
                       strict=True))
    in_order = [Attributor(text, *spans_, "Desk").attribute(*figure) for figure in figures]
    backwards = Attributor(text, *spans_, "Desk")
    reversed_ = [backwards.attribute(*figure) for figure in reversed(figures)][::-1]
    assert reversed_ == in_order
    assert [a.speaker for a in in_order] == list(table["speaker"])
    columns = Attributor(text, *spans_, "Desk").attribute_all(figures)
    assert list(zip(*columns, strict=True)) == [
        (a.speaker, a.in_quote, a.stance) for a in in_order]


def test_a_long_chain_of_pronouns_without_figures_reads_back_without_deep_recursion():
    count = 3000  # far deeper than Python's recursion limit, were each read inside the next
    text = "Mayor Ana Ruiz spoke on Monday. " + "She said it rained. " * count + (
        "She said 12 boats sank.")
    assert who(text, "12") == ("Ana Ruiz", False, "claim")
