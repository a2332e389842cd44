import datetime
import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import ingest
from dashboard.ingest import (
    MAX_BYTES,
    Document,
    IngestError,
    decode_bytes,
    document_from_bytes,
    document_from_text,
    html_to_text,
    parse_date,
    read_document,
    read_html,
    read_metadata,
)

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
SEED_SHA256 = "6f1838e0d00df83be2282519d5f5b3e51109d6347e6d0e46b9e05253a914c3e3"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

PAYLOADS = ("PAYLOAD", "alert", "fetch", "document.write", "javascript", "example.invalid")


def bad_input_message(path: Path) -> str:
    """The error read_document gives for `path`, checked to be one line that names the file."""
    with pytest.raises(IngestError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert str(path) in message
    return message


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# Bad input, in the order the checks run


def test_missing_file_is_named(tmp_path):
    assert "no such file" in bad_input_message(tmp_path / "absent.txt")


def test_path_through_a_file_is_missing(tmp_path):
    write(tmp_path / "plain.txt", b"text")
    assert "no such file" in bad_input_message(tmp_path / "plain.txt" / "inner.txt")


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "articles.txt"
    folder.mkdir()
    assert "is a directory, not a file" in bad_input_message(folder)


def test_unreadable_file_says_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", b"Some text.")
    path.chmod(0)
    if os.geteuid() == 0:
        # Root reads any file, so make open() answer as the OS does for everyone else.
        real_open = Path.open

        def refuse(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    assert "permission denied" in bad_input_message(path)


def test_oversize_file_is_refused_by_size_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        # Sparse and all NUL: only the size check, which comes first, can name the problem.
        file.truncate(MAX_BYTES + 1)
    message = bad_input_message(path)
    assert f"{MAX_BYTES + 1:,} bytes" in message
    assert f"{MAX_BYTES:,} bytes (5 MB)" in message


def test_file_at_the_size_limit_is_read(tmp_path):
    line = b"The fleet had 12 ships.\n"
    data = line * (MAX_BYTES // len(line))
    path = write(tmp_path / "big.txt", data + b"x" * (MAX_BYTES - len(data)))
    assert len(read_document(path).text) == MAX_BYTES


def test_oversize_bytes_are_refused():
    with pytest.raises(IngestError, match=r"upload\.txt: is 5,242,881 bytes, over the limit"):
        document_from_bytes(b"a" * (MAX_BYTES + 1), "upload.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_or_blank_file_is_empty(tmp_path, data):
    assert "is empty" in bad_input_message(write(tmp_path / "blank.txt", data))


@pytest.mark.parametrize(
    ("encoding", "found"),
    [
        ("utf-16-le", "UTF-16 text (found a UTF-16 LE byte-order mark); save it as UTF-8"),
        ("utf-16-be", "UTF-16 text (found a UTF-16 BE byte-order mark); save it as UTF-8"),
        ("utf-32-le", "UTF-32 text (found a UTF-32 LE byte-order mark); save it as UTF-8"),
        ("utf-32-be", "UTF-32 text (found a UTF-32 BE byte-order mark); save it as UTF-8"),
    ],
)
def test_utf16_and_utf32_are_refused_with_advice(tmp_path, encoding, found):
    data = "\ufeffAt least 21 people died.".encode(encoding)
    assert found in bad_input_message(write(tmp_path / "wide.txt", data))


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document)"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary file (a ZIP archive"),
        (b"Some text\x00with a NUL", "binary file (NUL byte at offset 9)"),
        (b"\x01\x02\x03\x04 mostly control bytes \x05\x06\x07\x08", "binary file (8 control"),
    ],
)
def test_binary_file_is_refused(tmp_path, data, found):
    assert found in bad_input_message(write(tmp_path / "article.txt", data))


def test_latin1_text_names_the_first_invalid_byte_and_a_guess(tmp_path):
    prefix = "Le café".encode("cp1252")
    data = b"First line.\n" + prefix + b" co\xfbte 3 euros, a pr\xe9cis\xe9 le minist\xe8re."
    message = bad_input_message(write(tmp_path / "cafe.txt", data))
    offset = len(b"First line.\n") + len("Le caf")
    assert f"is not UTF-8 (invalid byte 0xe9 at offset {offset}, line 2; looks like cp" in message
    assert message.endswith("save it as UTF-8")


def test_invalid_utf8_offset_counts_the_byte_order_mark(tmp_path):
    message = bad_input_message(write(tmp_path / "bom.txt", b"\xef\xbb\xbfab\xff"))
    assert "invalid byte 0xff at offset 5, line 1" in message


def test_error_message_stays_one_line_when_the_file_name_has_a_newline(tmp_path):
    with pytest.raises(IngestError) as caught:
        read_document(tmp_path / "two\nlines.txt")
    assert "\n" not in str(caught.value)
    assert "two\\nlines.txt: no such file" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><head><script>var figures = 12;</script></head><body> </body></html>",
        b"<html><head><title>Only a title</title></head></html>",
        b"<!-- a comment and nothing else -->",
    ],
)
def test_html_without_text_has_no_article_text(tmp_path, data):
    assert "has no article text" in bad_input_message(write(tmp_path / "empty.html", data))


# Decoding


def test_utf8_byte_order_mark_is_dropped(tmp_path):
    path = write(tmp_path / "bom.txt", "\ufeffAt least 21 people.".encode())
    assert read_document(path).text == "At least 21 people."


def test_line_endings_become_newlines_and_nothing_else_changes():
    data = "  Line one\r\nLine two\rLine three\n\n\u2028 tab\tend  ".encode()
    assert decode_bytes(data) == "  Line one\nLine two\nLine three\n\n\u2028 tab\tend  "


def test_markdown_is_kept_as_written(tmp_path):
    source = "# Strikes\n\n* **21** strikes, [source](https://example.org)\n<b>raw</b>\n"
    document = read_document(write(tmp_path / "notes.md", source.encode()))
    assert (document.format, document.text) == ("md", source)


@pytest.mark.parametrize(
    ("name", "format"),
    [("a.txt", "txt"), ("a.TEXT", "txt"), ("a.md", "md"), ("a.markdown", "md")],
)
def test_format_follows_the_extension(name, format):
    assert document_from_bytes(b"<html><p>Seen as text.</p>", name).format == format


@pytest.mark.parametrize(
    ("data", "format"),
    [
        (b"  \n<!DOCTYPE HTML><html><body><p>Ten ships.</p></body></html>", "html"),
        (b"<HTML><body><p>Ten ships.</p></body></HTML>", "html"),
        (b"Ten ships <b>sank</b>.", "txt"),
    ],
)
def test_unknown_extension_is_sniffed(data, format):
    assert document_from_bytes(data, "article.dat").format == format


# Metadata


def test_seed_reads_with_its_metadata_and_exact_text():
    document = read_document(SEED)
    assert document.document_id == "000_20713228fd6701a2"
    assert document.format == "txt"
    assert document.source == str(SEED)
    assert document.title.startswith("'Not going to happen': Sheinbaum dismisses Trump threat")
    assert document.publisher == "Al Jazeera"
    assert document.published == datetime.date(2025, 11, 18)
    assert document.language == "en"
    assert document.url is None
    assert len(document.notes) == 3
    assert document.text == SEED.read_bytes().decode("utf-8")
    assert hashlib.sha256(document.text.encode()).hexdigest() == SEED_SHA256


def test_source_is_the_path_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "story.txt", b"Nine boats.")
    document = read_document("story.txt")
    assert (document.source, document.document_id) == ("story.txt", "story")


def sidecar(tmp_path: Path, content: str) -> Path:
    (tmp_path / "story.meta.json").write_text(content, encoding="utf-8")
    return write(tmp_path / "story.txt", b"Nine boats were struck on Monday.")


def test_sidecar_fills_in_metadata(tmp_path):
    meta = {
        "title": "Nine boats",
        "publisher": "The Ledger",
        "published": "2025-09-03",
        "language": "en",
        "url": "https://example.org/nine-boats",
        "notes": ["Copied by hand."],
        "sha256": "kept but unused",
    }
    path = sidecar(tmp_path, json.dumps(meta))
    document = read_document(path)
    assert document == Document(
        document_id="story",
        text="Nine boats were struck on Monday.",
        format="txt",
        title="Nine boats",
        publisher="The Ledger",
        published=datetime.date(2025, 9, 3),
        url="https://example.org/nine-boats",
        language="en",
        source=str(path),
        notes=("Copied by hand.",),
    )
    assert read_metadata(path) == meta


def test_published_argument_overrides_the_sidecar(tmp_path):
    path = sidecar(tmp_path, '{"published": "2025-09-03", "publisher": "The Ledger"}')
    document = read_document(path, published="2025-11-18")
    assert document.published == datetime.date(2025, 11, 18)
    assert document.publisher == "The Ledger"
    assert read_document(path, published=datetime.date(2024, 1, 2)).published.year == 2024


def test_no_sidecar_means_no_metadata(tmp_path):
    path = write(tmp_path / "story.txt", b"Nine boats.")
    assert read_metadata(path) == {}
    document = read_document(path)
    assert (document.title, document.published, document.notes) == (None, None, ())


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ('{"title": "Nine boats",}', "is not valid JSON (Expecting property name"),
        ('["Nine boats"]', "must hold a JSON object, found '[\"Nine boats\"]'"),
        ('{"published": "18/11/2025"}', "published date '18/11/2025' is not a valid date"),
        ('{"published": "2025-02-30"}', "published date '2025-02-30' is not a valid date"),
        ('{"title": 7}', '"title" must be a string or null, found 7'),
        ('{"notes": [1, 2]}', '"notes" must be a list of strings'),
        ("", "is empty"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_broken_sidecar_is_named(tmp_path, content, found):
    path = sidecar(tmp_path, content)
    with pytest.raises(IngestError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'story.meta.json'}: ")
    assert found in message


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01",
                                   datetime.date(1, 1, 1), datetime.datetime(9999, 1, 1)])
def test_a_publication_date_outside_1900_to_2100_is_refused(value):
    with pytest.raises(IngestError, match="outside the years 1900-2100"):
        parse_date(value)


def test_the_years_1900_and_2100_are_read():
    assert parse_date("1900-01-01") == datetime.date(1900, 1, 1)
    assert parse_date("2100-12-31") == datetime.date(2100, 12, 31)


def test_parse_date():
    assert parse_date("2025-11-18") == datetime.date(2025, 11, 18)
    assert parse_date(" 2025-11-18 ") == datetime.date(2025, 11, 18)
    assert parse_date(datetime.date(2025, 1, 2)) == datetime.date(2025, 1, 2)
    assert parse_date(datetime.datetime(2025, 1, 2, 13, 30)) == datetime.date(2025, 1, 2)
    assert parse_date(None) is None
    assert parse_date("") is None


@pytest.mark.parametrize("value", ["18 November 2025", "2025-11", "20251118", "2025-13-01", "x"])
def test_parse_date_refuses_anything_but_iso_dates(value):
    with pytest.raises(IngestError, match="in the form YYYY-MM-DD") as caught:
        parse_date(value)
    assert "\n" not in str(caught.value)


# HTML


def test_article_page_yields_its_main_text_without_page_furniture():
    document = read_document(FIXTURES / "article.html")
    assert document.format == "html"
    assert document.document_id == "article"
    lines = document.text.split("\n")
    assert "Reservoirs fall to 41 percent as drought enters third year" in lines
    assert lines[-1] == (
        "The authority expects restrictions to last until the autumn rains, and will review the "
        "quotas in June."
    )
    assert (
        "\u201cWe have lost about 120 million cubic metres in twelve months,\u201d said Marta "
        "Ibarra, the authority\u2019s director, at a briefing in the capital."
    ) in lines
    assert "at least 2,400 hectares" in document.text
    furniture = ("cookies", "Subscribe", "Share on", "Related stories", "Privacy", "dataLayer")
    for words in furniture:
        assert words not in document.text


def test_hostile_page_yields_only_inert_text():
    text = read_document(FIXTURES / "hostile.html").text
    assert "Officials counted 7 ships & 3" in text
    assert "planes <script> near the coast." in text
    assert "Read the report for 12 more figures." in text
    for payload in PAYLOADS:
        assert payload not in text


def test_hostile_fragment_falls_back_to_inert_text():
    fragment = (
        "<p onclick=\"alert('CLICK-PAYLOAD')\">Tiny &amp; short: 3&nbsp;ships</p>"
        "<script>alert('SCRIPT-PAYLOAD')</script><style>p{color:red}</style>"
        "<noscript>NOSCRIPT-PAYLOAD</noscript><template>TEMPLATE-PAYLOAD</template>"
        "<iframe srcdoc=\"<script>alert('SRCDOC-PAYLOAD')</script>\">IFRAME-PAYLOAD</iframe>"
        "<a href=\"javascript:alert('LINK-PAYLOAD')\">a link</a><br>last line"
    )
    assert html_to_text(fragment) == "Tiny & short: 3 ships\na link\nlast line"


def test_fragment_keeps_block_elements_on_their_own_lines():
    fragment = "<h2>Toll</h2><ul><li>21 dead</li><li>3 missing</li></ul><p>Span <b>bold</b> end</p>"
    assert html_to_text(fragment) == "Toll\n21 dead\n3 missing\nSpan bold end"


def test_short_article_on_a_page_keeps_its_sentences_whole():
    page = (
        "<!doctype html><html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<p>At least <b>21</b> people died when <a href='/storm'>the storm</a> hit on Monday.</p>"
        "<footer>&copy; 2024 The Ledger</footer></body></html>"
    )
    assert "At least 21 people died when the storm hit on Monday." in html_to_text(page).split("\n")


def test_deeply_nested_html_is_not_an_error():
    assert isinstance(html_to_text("<div>" * 50_000 + "deep" + "</div>" * 50_000), str)


def test_html_text_has_no_comment_or_declaration_content():
    page = '<?xml version="1.0" encoding="utf-8"?><!-- COMMENT-PAYLOAD --><p>Four vessels.</p>'
    assert html_to_text(page) == "Four vessels."


# Pasted text


def test_pasted_text_gets_a_hash_id_and_metadata():
    document = document_from_text(
        "Nine boats.\r\n", published="2025-09-03", publisher="Desk", title="Boats"
    )
    assert document.text == "Nine boats.\n"
    digest = hashlib.sha256(b"Nine boats.\n").hexdigest()
    assert document.document_id == "doc-" + digest[:12]
    assert (document.format, document.source) == ("txt", None)
    assert (document.publisher, document.title) == ("Desk", "Boats")
    assert document.published == datetime.date(2025, 9, 3)


def test_pasted_text_keeps_a_given_id():
    assert document_from_text("Nine boats.", document_id="mine").document_id == "mine"


def test_pasted_html_is_reduced_to_its_text():
    document = document_from_text("<p>Nine <b>boats</b>.</p><script>x()</script>", format="html")
    assert (document.text, document.format) == ("Nine boats.", "html")


@pytest.mark.parametrize("text", ["", " \r\n\t"])
def test_blank_pasted_text_is_empty(text):
    with pytest.raises(IngestError, match="pasted text: is empty"):
        document_from_text(text)


def test_pasted_text_with_a_bad_date_is_refused():
    with pytest.raises(IngestError, match="published date 'Tuesday'"):
        document_from_text("Nine boats.", published="Tuesday")


# Properties

NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.dat", "a"])
HTMLISH = st.text(alphabet="<>/=\"'&;# !-abchlmpstxy\r\n\t\x00\x01é", max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000) | HTMLISH.map(str.encode), name=NAMES)
def test_any_bytes_give_a_document_or_an_ingest_error(data, name):
    try:
        document = document_from_bytes(data, name)
    except IngestError as err:
        assert "\n" not in str(err)
        assert str(err).startswith(name + ": ")
    else:
        assert isinstance(document.text, str)
        assert document.text.strip()


@settings(max_examples=100, deadline=None)
@given(page=st.builds("<html><body>{}</body></html>".format, HTMLISH))
def test_any_html_ish_page_gives_text(page):
    assert isinstance(html_to_text(page), str)


@settings(max_examples=300, deadline=None)
@given(text=st.text().filter(str.strip))
def test_pasted_text_round_trips_with_newlines_normalised(text):
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert document_from_text(text).text == expected


# -- a saved page's own metadata ------------------------------------------------------------
PAGE = ("<html><head><title>Budget approved | The Boston Globe</title>"
        '<meta property="og:site_name" content="The Boston Globe">'
        '<meta property="og:title" content="City Council approves $258 million budget">'
        '<meta property="article:published_time" content="2013-06-29T10:00:00Z">'
        "</head><body><article><p>City councilors unanimously approved the $258 million budget "
        "for fiscal 2014, which begins Monday, a 4.4 percent increase from this year. No cuts "
        "were made to the budget, which provides increases in nearly every department.</p>"
        "</article></body></html>")
JSON_LD_PAGE = ('<html><head><script type="application/ld+json">{"@context": '
                '"https://schema.org", "@type": "NewsArticle", "headline": "Heat wave", '
                '"datePublished": "2024-07-10", "publisher": {"@type": "Organization", '
                '"name": "Desert Sun"}}</script></head><body><p>'
                + "Temperatures reached 117 degrees on Tuesday, the weather service said. " * 4
                + "</p></body></html>")


def test_a_saved_page_gives_its_title_publisher_and_date():
    document = document_from_bytes(PAGE.encode(), "budget.html")
    assert (document.title, document.publisher, document.published) == (
        "City Council approves $258 million budget", "The Boston Globe", datetime.date(2013, 6, 29))
    assert document.notes == ("title, publisher, published read from the page's own metadata",)
    assert document.text.startswith("City councilors")


def test_json_ld_in_a_script_gives_the_date_though_scripts_never_reach_the_text():
    document = document_from_bytes(JSON_LD_PAGE.encode(), "heat.html")
    assert document.published == datetime.date(2024, 7, 10)
    assert "@context" not in document.text and "117 degrees" in document.text


def test_what_the_user_gives_wins_over_the_pages_metadata():
    document = document_from_bytes(PAGE.encode(), "budget.html", published="2013-07-01",
                                   metadata={"publisher": "Patriot Ledger"})
    assert (document.publisher, document.published) == ("Patriot Ledger",
                                                        datetime.date(2013, 7, 1))
    assert document.title == "City Council approves $258 million budget"
    assert document.notes == ("title read from the page's own metadata",)


def test_a_page_without_metadata_leaves_the_fields_empty():
    text, page = read_html("<html><body><p>" + "Forty homes were lost. " * 20
                           + "</p></body></html>")
    assert text.startswith("Forty homes") and page == dict.fromkeys(
        ("title", "publisher", "published", "url"))


# -- HTML bounded before any parser sees it ---------------------------------------------------
def test_a_tag_of_80_000_attributes_keeps_its_first_64_and_the_page_its_text():
    attributes = " ".join(f'a{n}="<"' for n in range(80_000))
    page = (f"<html><head><title>Budget</title></head><body><p {attributes}>The council said "
            "40 homes burned.</p></body></html>")
    bounded = ingest._bounded_tags(page)
    assert bounded.count("=") == ingest.MAX_ATTRIBUTES
    assert len(bounded) < 2_000
    document = document_from_bytes(page.encode(), "budget.html")
    assert document.text == "The council said 40 homes burned."
    assert document.title == "Budget"


def test_an_attribute_past_the_tags_length_bound_is_dropped_whole():
    page = f'<p id="lead" src="{"x" * 20_000}" class="c">40 homes</p>'
    assert ingest._bounded_tags(page) == '<p id="lead">40 homes</p>'


def test_ordinary_tags_and_a_scripts_comparisons_are_left_as_they_are():
    script = "<script>" + "if (a < b) { x = 1; }" * 2_000 + "</script>"
    page = f'<html><body><a href="/x" title="t">40</a>{script}<p>Hi</p></body></html>'
    assert ingest._bounded_tags(page) == page


@given(st.text(alphabet="<>=\"' ab/", max_size=400))
def test_bounding_tags_never_adds_text(html):
    bounded = ingest._bounded_tags(html)
    assert len(bounded) <= len(html)
    assert ingest._bounded_tags(bounded) == bounded
