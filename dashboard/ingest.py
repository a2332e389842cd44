"""Read an article (a file, an upload or pasted text) into a Document.

A Document's text is the text every figure offset refers to, so it is kept as the user gave it: only
line endings are normalised, and for HTML the text is the article's main text as extracted. Every
problem with the input is an IngestError whose message is one line naming the file.
"""

import copy
import datetime
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import DEFAULT_CONFIG

from dashboard.schema import document_id_for, published_problem

MAX_BYTES = 5 * 1024 * 1024
_LIMIT = f"the limit of {MAX_BYTES:,} bytes ({MAX_BYTES / 2**20:g} MB)"

_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}

_UTF8_BOM = b"\xef\xbb\xbf"
# UTF-32 LE before UTF-16 LE: its mark starts with the UTF-16 LE one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32", "LE"),
    (b"\x00\x00\xfe\xff", "UTF-32", "BE"),
    (b"\xff\xfe", "UTF-16", "LE"),
    (b"\xfe\xff", "UTF-16", "BE"),
)
_MAGIC_NUMBERS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, as are .docx and .xlsx files"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_SNIFF_BYTES = 8192
# Text has almost no control characters; a tenth of the first 8 KB is far beyond any real article.
_CONTROL_SHARE = 0.1
_CONTROL_BYTES = frozenset(range(0x20)) - frozenset(b"\t\n\v\f\r") | {0x7F}

# Their content is code or fallback for old browsers, never article text.
_INERT_TAGS = ("script", "style", "noscript", "template", "iframe")
# Elements that start a new line when a page is rendered as plain text.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip

# trafilatura's own threshold: under it, it no longer trusts its article extraction.
_SHORT_EXTRACTION = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")

# Characters lxml refuses in the text of a tree (XML's): C0 controls other than tab and the line
# ends, and the non-characters U+FFFE and U+FFFF. In a page they are white space or junk.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# libxml2 checks each attribute of a tag against the others: 16,000 attributes on one tag took
# seconds, 868 KB of them minutes. A tag keeps its first MAX_ATTRIBUTES attributes within
# MAX_TAG_CHARS before any parser sees the page (no article needs more; a page's metadata has
# two or three a tag).
MAX_ATTRIBUTES = 64
MAX_TAG_CHARS = 8_192
# A tag up to its end, quoted "<" and all; one match never fails, so one pass is linear.
_TAG = re.compile(r"<[^>]*")
_TAG_NAME = re.compile(r"<[^\s<>]*")
# Elements whose text is not markup: a "<" in a script is no tag, and is passed over.
_RAW_TEXT = re.compile(r"<(script|style)\b")
_ATTRIBUTE = re.compile(r"""\s+[^\s=<>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]*))?""")
# Halves of a UTF-16 pair standing alone: a browser's string may hold them, UTF-8 cannot.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TEXT_FIELDS = ("title", "publisher", "language", "url")


class IngestError(ValueError):
    """Bad input. str(err) is one line, fit for a CLI error, naming the file and what was found."""

    def __init__(self, message: str) -> None:
        # File names may hold newlines or control characters; escaped, the message stays one line.
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))


@dataclass(frozen=True)
class Document:
    """An article's text and provenance. Figure offsets index into `text`."""

    document_id: str
    text: str
    format: str
    title: str | None = None
    publisher: str | None = None
    published: datetime.date | None = None
    url: str | None = None
    language: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()


def parse_date(value: str | datetime.date | None) -> datetime.date | None:
    """The date of an ISO `YYYY-MM-DD` string; a date as it is; None for None or a blank string."""
    date = _as_date(value)
    if problem := published_problem(date):
        raise IngestError(problem)
    return date


def _as_date(value: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        if _ISO_DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
    raise IngestError(f"published date {value!r} is not a valid date in the form YYYY-MM-DD")


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """The UTF-8 text of `data` with "\\n" line endings and no byte-order mark.

    Raises IngestError when the bytes are empty, UTF-16/32, binary or not UTF-8.
    """
    if not data:
        raise IngestError(f"{name}: is empty")
    for bom, encoding, order in _WIDE_BOMS:
        if data.startswith(bom):
            raise IngestError(
                f"{name}: is {encoding} text (found a {encoding} {order} byte-order mark); "
                "save it as UTF-8"
            )
    _reject_binary(data, name)
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as err:
        found = _describe_invalid(data, start + err.start, start + err.end)
        raise IngestError(f"{name}: is not UTF-8 ({found}); save it as UTF-8") from None
    text = _normalise_newlines(text)
    if not text.strip():
        raise IngestError(f"{name}: is empty (only whitespace)")
    return text


def _reject_binary(data: bytes, name: str) -> None:
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            raise IngestError(f"{name}: is a binary file ({kind}), not text")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(f"{name}: is a binary file (NUL byte at offset {nul}), not text")
    head = data[:_SNIFF_BYTES]
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    if controls > _CONTROL_SHARE * len(head):
        raise IngestError(
            f"{name}: is a binary file ({controls} control characters in the first "
            f"{len(head)} bytes), not text"
        )


def _describe_invalid(data: bytes, start: int, end: int) -> str:
    invalid = data[start:end]
    noun = "byte" if len(invalid) == 1 else "bytes"
    hex_bytes = " ".join(f"0x{byte:02x}" for byte in invalid)
    line = data.count(b"\n", 0, start) + 1
    guess = charset_normalizer.from_bytes(data).best()
    looks = f"looks like {guess.encoding}" if guess else "encoding not recognised"
    return f"invalid {noun} {hex_bytes} at offset {start}, line {line}; {looks}"


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str) -> str:
    """The main text of an HTML page, one paragraph a line; "" when the page holds no text.

    trafilatura separates the article from the page furniture, favouring recall. When it finds no
    article, or one too short to tell from the furniture (a fragment, a news brief), the whole body
    is rendered as plain text instead. Scripts, styles and embedded frames never reach the text,
    and nothing is executed or fetched.
    """
    return read_html(html)[0]


def read_html(html: str) -> tuple[str, dict]:
    """An HTML page's main text (html_to_text) and its own metadata: title, publisher (the site's
    name), published (its publication date, YYYY-MM-DD) and url, each None when the page does
    not give it. The metadata is read by trafilatura (htmldate for the date) from the page's meta
    tags and JSON-LD, never guessed from the article's text."""
    # A fresh parser each call: lxml parsers must not be shared between threads.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    # The parser keeps such characters, but dropping an element moves its tail into its parent's
    # text, and lxml then refuses them (a form feed after a <script> was a ValueError).
    html = _bounded_tags(_NOT_XML.sub(" ", html))
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except lxml.etree.ParserError:
        return "", dict.fromkeys(PAGE_FIELDS)
    # Before the scripts go: JSON-LD, where many news sites put their metadata, is a script.
    page = _page_metadata(tree)
    return _main_text(tree), page


PAGE_FIELDS = ("title", "publisher", "published", "url")


def _page_metadata(tree: lxml.html.HtmlElement) -> dict:
    try:
        found = trafilatura.extract_metadata(copy.deepcopy(tree), extensive=False)
    except Exception:  # metadata is a convenience: a page trafilatura cannot read still has text
        return dict.fromkeys(PAGE_FIELDS)
    values = {"title": found.title, "publisher": found.sitename, "published": found.date,
              "url": found.url}
    clean = {k: " ".join(v.split())[:300] if isinstance(v, str) and v.strip() else None
             for k, v in values.items()}
    try:
        clean["published"] = parse_date(clean["published"]) and clean["published"]
    except IngestError:
        clean["published"] = None
    return clean


def _bounded_tags(html: str) -> str:
    """`html` with every tag cut to its first MAX_ATTRIBUTES whole attributes within
    MAX_TAG_CHARS characters, in one pass: each attribute is matched where the last one ended,
    never searched for, and a script's or style's text is skipped to its closing tag."""
    lower = html.lower()
    pieces, at = [], 0
    while found := _TAG.search(html, at):
        start, end = found.span()
        pieces += [html[at:start], _bounded_tag(found.group())]
        at = end
        raw = _RAW_TEXT.match(lower, start)
        if raw:
            close = lower.find("</" + raw.group(1), end)
            at = len(html) if close < 0 else close
            pieces.append(html[end:at])
    pieces.append(html[at:])
    return "".join(pieces)


def _bounded_tag(tag: str) -> str:
    if len(tag) <= MAX_TAG_CHARS and tag.count("=") <= MAX_ATTRIBUTES:
        return tag
    end = _TAG_NAME.match(tag).end()
    for _ in range(MAX_ATTRIBUTES):
        attribute = _ATTRIBUTE.match(tag, end)
        if attribute is None or attribute.end() > MAX_TAG_CHARS:
            break
        end = attribute.end()
    return tag[:end]


def _main_text(tree: lxml.html.HtmlElement) -> str:
    for element in list(tree.iter(*_INERT_TAGS)):
        element.drop_tree()
    # trafilatura prunes the tree it is given; the plain rendering needs it whole.
    text = trafilatura.extract(
        copy.deepcopy(tree), include_comments=False, include_tables=True, favor_recall=True
    )
    if text and len(text) >= _SHORT_EXTRACTION:
        return text
    # Below this size trafilatura may fall back to the whole body, one text run a line, breaking a
    # sentence at every link or bold word. The plain rendering keeps each sentence whole.
    return _render_body(tree)


def _render_body(tree: lxml.html.HtmlElement) -> str:
    body = tree.find("body")
    if body is None:
        return ""
    pieces = []
    # iterwalk rather than recursion: hostile pages can nest elements thousands deep.
    for event, element in lxml.etree.iterwalk(body, events=("start", "end")):
        if element.tag in _BLOCK_TAGS:
            pieces.append("\n")
        if event == "start":
            pieces.append(element.text or "")
        elif element is not body:
            pieces.append(element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)


def document_from_bytes(
    data: bytes,
    name: str,
    *,
    published: datetime.date | str | None = None,
    metadata: dict | None = None,
) -> Document:
    """A Document from a file's bytes; `name` is the file's name or path, as the user gave it.

    The format comes from the name's extension, or from the content when the extension is unknown.
    `metadata` has a sidecar's shape (see read_metadata); `published` overrides its date.
    """
    if len(data) > MAX_BYTES:
        raise IngestError(f"{name}: is {len(data):,} bytes, over {_LIMIT}")
    text = decode_bytes(data, name)
    format = _FORMATS.get(PurePath(name).suffix.lower()) or _sniff_format(text)
    text, page = _article_text(text, format, name)
    checked = _checked_metadata(metadata or {}, name)
    # What the user or a sidecar gives wins; a saved page's own metadata fills the rest.
    from_page = [key for key in PAGE_FIELDS if checked[key] is None and page.get(key)
                 and not (key == "published" and published is not None)]
    for key in from_page:
        checked[key] = parse_date(page[key]) if key == "published" else page[key]
    if from_page:
        checked["notes"] = (*checked["notes"],
                            f"{', '.join(from_page)} read from the page's own metadata")
    return _document(
        text,
        format,
        document_id=PurePath(name).stem,
        source=name,
        metadata=checked,
        published=published,
    )


def _article_text(text: str, format: str, name: str) -> tuple[str, dict]:
    """The document text (an HTML page's main text, anything else as it is) and, for a page,
    its own metadata (read_html)."""
    if format != "html":
        return text, {}
    text, page = read_html(text)
    if not text.strip():
        raise IngestError(f"{name}: has no article text (the HTML holds no readable text)")
    return text, page


def _sniff_format(text: str) -> str:
    head = text.lstrip()[:14].lower()
    return "html" if head.startswith(("<!doctype html", "<html")) else "txt"


def document_from_text(
    text: str,
    *,
    document_id: str | None = None,
    published: datetime.date | str | None = None,
    publisher: str | None = None,
    title: str | None = None,
    format: str = "txt",
) -> Document:
    """A Document from pasted text. Its id, unless given, is "doc-" and a hash of its text.

    Line endings become "\\n", and a lone surrogate (half a UTF-16 pair) U+FFFD, as a browser
    encoding the text as UTF-8 would write it.
    """
    if format not in ("txt", "md", "html"):
        raise ValueError(f"format must be 'txt', 'md' or 'html', not {format!r}")
    name = "pasted text"
    text = _LONE_SURROGATE.sub("\ufffd", _normalise_newlines(text))
    if not text.strip():
        raise IngestError(f"{name}: is empty")
    text, _ = _article_text(text, format, name)
    return _document(
        text,
        format,
        document_id=document_id,
        source=None,
        metadata=_checked_metadata({"title": title, "publisher": publisher}, name),
        published=published,
    )


def _document(
    text: str,
    format: str,
    *,
    document_id: str | None,
    source: str | None,
    metadata: dict,
    published: datetime.date | str | None,
) -> Document:
    if not document_id:
        document_id = document_id_for(text)
    return Document(
        document_id=document_id,
        text=text,
        format=format,
        title=metadata["title"],
        publisher=metadata["publisher"],
        published=parse_date(published) if published is not None else metadata["published"],
        url=metadata["url"],
        language=metadata["language"],
        source=source,
        notes=metadata["notes"],
    )


def _checked_metadata(metadata: dict, name: str) -> dict:
    """The fields a Document takes from `metadata`, checked; errors name `name`."""
    checked = {}
    for key in _TEXT_FIELDS:
        value = metadata.get(key)
        if value is not None and not isinstance(value, str):
            raise IngestError(f'{name}: "{key}" must be a string or null, found {value!r:.40}')
        checked[key] = value
    notes = metadata.get("notes") or ()
    if isinstance(notes, str):
        notes = (notes,)
    if not isinstance(notes, list | tuple) or not all(isinstance(note, str) for note in notes):
        raise IngestError(f'{name}: "notes" must be a list of strings, found {notes!r:.40}')
    checked["notes"] = tuple(notes)
    try:
        checked["published"] = parse_date(metadata.get("published"))
    except IngestError as err:
        raise IngestError(f"{name}: {err}") from None
    return checked


def _sidecar_path(path: Path) -> Path:
    """Where the metadata of `path` lives: `NAME.meta.json` beside `NAME.ext`."""
    return path.with_suffix(".meta.json")


def read_metadata(path: Path) -> dict:
    """The JSON object in the sidecar of the article at `path`, checked; {} when there is none.

    Keys a Document uses: title, publisher, published (YYYY-MM-DD), language, url, notes (list of
    strings). Other keys are returned as they are.
    """
    sidecar = _sidecar_path(Path(path))
    if not sidecar.exists():
        return {}
    name = str(sidecar)
    text = decode_bytes(_read_bytes(sidecar), name)
    try:
        metadata = json.loads(text)
    except json.JSONDecodeError as err:
        raise IngestError(
            f"{name}: is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from None
    except RecursionError:
        raise IngestError(f"{name}: is not valid metadata (JSON nested too deeply)") from None
    if not isinstance(metadata, dict):
        found = text.strip()[:40]
        raise IngestError(f"{name}: must hold a JSON object, found {found!r}")
    _checked_metadata(metadata, name)
    return metadata


def read_document(path: str | Path, *, published: datetime.date | str | None = None) -> Document:
    """The Document in the file at `path`, with the metadata of its sidecar if it has one.

    `published` (the command line's --published) overrides the sidecar's date.
    """
    name = str(path)
    data = _read_bytes(Path(path))
    metadata = read_metadata(Path(path))
    return document_from_bytes(data, name, published=published, metadata=metadata)


def _read_bytes(path: Path) -> bytes:
    """The bytes of the file at `path`, read only after its size is known to be within the limit."""
    name = str(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise IngestError(f"{name}: no such file") from None
    except ValueError:
        raise IngestError(f"{name}: is not a valid file name") from None
    except OSError as err:
        raise IngestError(f"{name}: cannot be read ({_reason(err)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(f"{name}: is a directory, not a file")
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_BYTES:
                raise IngestError(f"{name}: is {size:,} bytes, over {_LIMIT}")
            # Capped: pipes and devices report no size, and a file may grow after the check.
            data = file.read(MAX_BYTES + 1)
    except OSError as err:
        raise IngestError(f"{name}: cannot be read ({_reason(err)})") from None
    if len(data) > MAX_BYTES:
        raise IngestError(f"{name}: is over {_LIMIT}")
    return data


def _reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()
