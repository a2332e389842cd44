"""The bench corpus: about 1 MB of article-sized documents built from real text found offline.

Three sources, each read as it is, never edited:

- `seed`: the paragraphs (non-empty lines) of the seed article in `seeds/`;
- `test cases`: the `text` of every `[[case]]` in `tests/corpus/*.toml`, when that folder exists;
- `quantulum3 tests`: the `req` sentences quantulum3 ships for its own tests
  (`_lang/en_US/tests/quantities.json`, `quantities.ambiguity.json` and `expand.json`).

Every distinct passage goes into one pool. The pool is shuffled with a fixed seed and dealt out,
one passage per line, into documents of 5,000 to 8,000 bytes; when the pool runs out it is shuffled
again, so every passage is used once before any is used twice. Documents are added until the corpus
holds at least 1 MiB of UTF-8. The same files give the same corpus, byte for byte (`Corpus.digest`).
"""

from __future__ import annotations

import hashlib
import json
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO / "seeds" / "000_20713228fd6701a2.txt"
TEST_CASES = REPO / "tests" / "corpus"
QUANTULUM_TEST_FILES = ("quantities.json", "quantities.ambiguity.json", "expand.json")

TARGET_BYTES = 1_048_576
DOCUMENT_BYTES = (5_000, 8_000)
SHUFFLE_SEED = 20251118


@dataclass(frozen=True)
class Passage:
    source: str
    text: str


@dataclass(frozen=True)
class Document:
    document_id: str
    text: str

    @property
    def size(self) -> int:
        """Size in bytes of UTF-8."""
        return len(self.text.encode("utf-8"))


@dataclass
class SourceUse:
    """How much of one source exists, and how much of the corpus it makes."""

    passages: int = 0
    passage_bytes: int = 0
    uses: int = 0
    corpus_bytes: int = 0


@dataclass
class Corpus:
    documents: list[Document]
    sources: dict[str, SourceUse]
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(document.size for document in self.documents)

    @property
    def digest(self) -> str:
        """A short fingerprint of the corpus text: equal digests, same text."""
        sha = hashlib.sha256()
        for document in self.documents:
            sha.update(document.text.encode("utf-8") + b"\0")
        return sha.hexdigest()[:12]

    def describe(self) -> dict:
        """What the corpus is made of, as the bench prints it and writes it to JSON."""
        sizes = [document.size for document in self.documents]
        return {
            "documents": len(self.documents),
            "bytes": sum(sizes),
            "document_bytes": [min(sizes), max(sizes)],
            "digest": self.digest,
            "shuffle_seed": SHUFFLE_SEED,
            "sources": {name: vars(use) for name, use in self.sources.items()},
            "notes": self.notes,
        }

    def sample(self, step: int) -> list[Document]:
        """Every `step`-th document, starting from the first: a fixed, evenly spread sample."""
        return self.documents[:: max(1, step)]


def seed_passages() -> list[Passage]:
    lines = SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
    return [Passage("seed", line.strip()) for line in lines if line.strip()]


def test_case_passages(notes: list[str]) -> list[Passage]:
    """The labelled sentences of tests/corpus; a file that does not parse is skipped with a note."""
    if not TEST_CASES.is_dir():
        notes.append("tests/corpus/ is absent: no test-case sentences in the corpus")
        return []
    passages = []
    for path in sorted(TEST_CASES.glob("*.toml")):
        try:
            cases = tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            notes.append(f"skipped tests/corpus/{path.name}: {error}")
            continue
        for case in cases:
            text = case.get("text") if isinstance(case, dict) else None
            if isinstance(text, str) and text.strip():
                passages.append(Passage("test cases", text.strip()))
    return passages


def quantulum_passages(notes: list[str]) -> list[Passage]:
    try:
        import quantulum3
    except ImportError:
        notes.append("quantulum3 is not installed: no quantulum3 test sentences in the corpus")
        return []
    folder = Path(quantulum3.__file__).parent / "_lang" / "en_US" / "tests"
    passages = []
    for name in QUANTULUM_TEST_FILES:
        path = folder / name
        if not path.is_file():
            notes.append(f"quantulum3 ships no {name} here")
            continue
        for item in json.loads(path.read_text(encoding="utf-8")):
            text = item.get("req") if isinstance(item, dict) else None
            if isinstance(text, str) and text.strip():
                passages.append(Passage("quantulum3 tests", text.strip()))
    return passages


def distinct(passages: list[Passage]) -> list[Passage]:
    """Drop repeated texts, keeping the first passage (and so its source)."""
    seen: set[str] = set()
    kept = []
    for passage in passages:
        if passage.text not in seen:
            seen.add(passage.text)
            kept.append(passage)
    return kept


def deal(pool: list[Passage], rng: random.Random, target_bytes: int) -> list[list[Passage]]:
    """Deal the pool into documents of DOCUMENT_BYTES until `target_bytes` is reached."""
    documents: list[list[Passage]] = []
    deck: list[Passage] = []
    total = 0
    while total < target_bytes:
        want = rng.randint(*DOCUMENT_BYTES)
        lines: list[Passage] = []
        size = 0
        while size < want:
            if not deck:
                deck = list(pool)
                rng.shuffle(deck)
            passage = deck.pop()
            lines.append(passage)
            size += len(passage.text.encode("utf-8")) + 1  # one newline per passage
        documents.append(lines)
        total += size
    return documents


def build_corpus(target_bytes: int = TARGET_BYTES) -> Corpus:
    """Build the bench corpus deterministically from the files in the checkout and quantulum3."""
    notes: list[str] = []
    pool = distinct(seed_passages() + test_case_passages(notes) + quantulum_passages(notes))
    sources: dict[str, SourceUse] = {}
    for passage in pool:
        use = sources.setdefault(passage.source, SourceUse())
        use.passages += 1
        use.passage_bytes += len(passage.text.encode("utf-8"))

    documents = []
    for number, lines in enumerate(deal(pool, random.Random(SHUFFLE_SEED), target_bytes), 1):
        for passage in lines:
            use = sources[passage.source]
            use.uses += 1
            use.corpus_bytes += len(passage.text.encode("utf-8")) + 1
        text = "".join(passage.text + "\n" for passage in lines)
        documents.append(Document(f"bench-{number:04d}", text))
    return Corpus(documents, sources, notes)
