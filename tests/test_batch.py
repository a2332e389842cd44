"""The large-corpus path: `extract DIR --jobs N` (dashboard/batch.py) over folders of articles.

Expected tables come from the extractor called directly on each file, so these tests hold
whatever figures the extractor finds; they check the walking, the order, the failures, the
output formats and that worker processes change nothing.
"""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from dashboard import batch, csvout
from dashboard.cli import main
from dashboard.extract import extract_document
from dashboard.ingest import IngestError, read_document
from dashboard.schema import FIGURE_COLUMN_NAMES, figures_frame

FIVE_MB = 5 * 1024 * 1024
BRIEF = "Officials said 12 boats were struck near the coast on Monday.\n"
MARKDOWN = "# Drought\n\nReservoirs held **41 percent** of their capacity, the authority said.\n"
HTML = """<!DOCTYPE html><html><head><title>Rescue</title><script>var n = 987654;</script></head>
<body><article><p>The coast guard said it rescued at least 1,200 migrants last month.</p>
<p>Aid groups say the true number is far higher.</p></article></body></html>
"""

GOOD = {
    "a.txt": BRIEF,
    "news/b.md": MARKDOWN,
    "news/2025/c.html": HTML,
    "news/2025/a.txt": "At least 21 strikes killed 83 people, the ministry said.\n",
}
# Relative path -> the bytes of a file the batch must report and skip.
BAD = {
    "bad/empty.txt": b"",
    "bad/binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "bad/latin1.txt": "Le café a coûté 25 000 €.\n".encode("cp1252"),
    "bad/utf16.txt": "Officials said 12 boats were struck.\n".encode("utf-16"),
    "bad/huge.txt": b"12 boats. " * (FIVE_MB // 10 + 1),
    "bad/sidecar.txt": BRIEF.encode(),
    "bad/blank.html": b"<html><body><script>var x = 1;</script></body></html>",
}
# What each failure line must say, beyond the file's path.
REASONS = {
    "bad/empty.txt": "is empty",
    "bad/binary.txt": "binary",
    "bad/latin1.txt": "not UTF-8",
    "bad/utf16.txt": "UTF-16",
    "bad/huge.txt": "over",
    "bad/sidecar.txt": "sidecar.meta.json",
    "bad/blank.html": "no article text",
}
# Never read: sidecars, hidden files and folders, other suffixes.
IGNORED = {
    "a.meta.json": '{"publisher": "Harbour Post", "published": "2025-11-18"}',
    "bad/sidecar.meta.json": '{"publisher": "Desk", "published": ',
    ".cache/stale.txt": BRIEF,
    "news/.draft.txt": BRIEF,
    "notes.csv": "a,b\n1,2\n",
    "README": "12 boats\n",
}


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("batch") / "corpus"
    write_tree(root, GOOD | BAD | IGNORED)
    return root


@pytest.fixture(scope="module")
def good_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("good") / "corpus"
    write_tree(root, GOOD | {"a.meta.json": IGNORED["a.meta.json"]})
    return root


def expected_table(root: Path, ids: dict[str, str]) -> pd.DataFrame:
    """The table of the good files, in path order, from the extractor called on each file."""
    tables = []
    for relative in sorted(GOOD, key=lambda r: Path(r).parts):
        document = read_document(root / relative)
        document = dataclasses.replace(document, document_id=ids[relative])
        tables.append(extract_document(document))
    return pd.concat(tables, ignore_index=True)


IDS = {"a.txt": "a", "news/b.md": "b", "news/2025/c.html": "c", "news/2025/a.txt": "news/2025/a"}


# Walking folders


def test_a_folder_is_walked_recursively_in_path_order_skipping_sidecars_and_hidden_files(corpus):
    articles = batch.collect_articles([str(corpus)])
    relatives = [a.relative for a in articles]
    assert relatives == sorted(relatives, key=lambda r: Path(r).parts)
    assert set(relatives) == set(GOOD) | set(BAD)
    assert all(a.path == os.path.join(str(corpus), a.relative) for a in articles)


def test_files_that_share_a_name_take_their_paths_as_document_ids(corpus, tmp_path):
    ids = {a.relative: a.document_id for a in batch.collect_articles([str(corpus)])}
    assert {r: ids[r] for r in GOOD} == IDS
    write_tree(tmp_path, {"x/report.txt": BRIEF, "x/report.md": BRIEF, "y/report.txt": BRIEF})
    ids = [a.document_id for a in batch.collect_articles([str(tmp_path)])]
    # Same folder, same name: only the extension tells them apart.
    assert ids == ["x/report.md", "x/report.txt", "y/report"]


def test_files_and_folders_mix_in_the_order_given_and_a_file_is_read_once(corpus):
    single = str(corpus / "news" / "b.md")
    articles = batch.collect_articles([single, str(corpus / "news"), single])
    assert [a.path for a in articles] == [
        single,
        str(corpus / "news" / "2025" / "a.txt"),
        str(corpus / "news" / "2025" / "c.html"),
    ]
    assert [a.document_id for a in articles] == ["b", "a", "c"]


@pytest.mark.parametrize("contents", [{}, {"only.meta.json": "{}", "table.csv": "1\n"}])
def test_a_folder_without_articles_is_one_clear_error(tmp_path, capsys, contents):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_tree(folder, contents)
    with pytest.raises(IngestError, match="no article files"):
        batch.collect_articles([str(folder)])
    assert main(["extract", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and str(folder) in lines[0]


# Extraction


def test_every_bad_file_is_a_failure_naming_it_and_the_good_ones_are_all_kept(corpus):
    result = batch.extract_many(batch.collect_articles([str(corpus)]), jobs=1)
    expected = expected_table(corpus, IDS)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(result.table, expected)
    assert result.files == len(GOOD) + len(BAD)
    failed = {Path(f.path).relative_to(corpus).as_posix(): f for f in result.failures}
    assert set(failed) == set(BAD)
    for relative, failure in failed.items():
        assert failure.kind == "input"
        assert failure.message.startswith(failure.path)
        assert "\n" not in failure.message
        assert REASONS[relative] in failure.message
    # The sidecar beside a.txt was read by ingest, not taken for an article.
    assert set(result.table.loc[result.table["document_id"] == "a", "publisher"]) == {
        "Harbour Post"}


def test_an_extractor_bug_fails_that_file_only(good_corpus, monkeypatch):
    def extract(document):
        if document.document_id == "b":
            raise KeyError("boom")
        return extract_document(document)

    monkeypatch.setattr(batch, "extract_document", extract)
    result = batch.extract_many(batch.collect_articles([str(good_corpus)]), jobs=1)
    assert [f.kind for f in result.failures] == ["extractor"]
    message = result.failures[0].message
    assert message.startswith(str(good_corpus / "news" / "b.md"))
    assert "KeyError" in message and "please report this file" in message
    assert set(result.table["document_id"]) == {"a", "c", "news/2025/a"}


def test_one_job_and_two_jobs_give_identical_tables_and_failures(tmp_path):
    # Enough files for many chunks, so that workers finish them out of order.
    files: dict[str, str | bytes] = {
        f"day-{n:02d}/brief-{n:02d}.txt": BRIEF.replace("12", str(n + 2)) for n in range(40)}
    files |= {f"day-{n:02d}/empty.txt": b"" for n in range(0, 40, 9)}
    files |= {"day-05/b.md": MARKDOWN, "day-07/c.html": HTML}
    write_tree(tmp_path, files)
    articles = batch.collect_articles([str(tmp_path)])
    assert batch.chunk_size(len(articles), 2) < len(articles) // 4
    one = batch.extract_many(articles, jobs=1)
    two = batch.extract_many(articles, jobs=2)
    pd.testing.assert_frame_equal(two.table, one.table)
    assert two.failures == one.failures
    assert [f.path.rsplit(os.sep, 2)[-2] for f in one.failures] == [
        "day-00", "day-09", "day-18", "day-27", "day-36"]
    assert (two.files, two.bytes) == (one.files, one.bytes)


def test_files_given_one_by_one_that_share_a_name_take_their_paths_as_given(corpus):
    paths = [str(corpus / r) for r in ("a.txt", "news/2025/a.txt", "news/b.md")]
    result = batch.extract_many(paths)
    assert list(result.table["document_id"].unique()) == [
        Path(corpus / "a").as_posix(), Path(corpus / "news/2025/a").as_posix(), "b"]


def test_hostile_file_names_give_one_line_failures_and_usable_ids(tmp_path):
    # Linux file names may hold a newline and bytes that are not UTF-8.
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/odd\nfolder"))
    folder.mkdir()
    (folder / os.fsdecode(b"empty\xff.txt")).write_bytes(b"")
    (folder / os.fsdecode(b"brief\xff.txt")).write_text(BRIEF, encoding="utf-8")
    result = batch.extract_many(batch.collect_articles([str(folder)]))
    [failure] = result.failures
    assert "\n" not in failure.message and failure.message.endswith("is empty")
    assert set(result.table["document_id"]) == {"brief\ufffd"}
    assert csvout.to_csv(result.table).encode("utf-8")


# The command line


def test_the_cli_reports_each_failure_writes_the_rest_and_exits_1(corpus, tmp_path, capsys):
    out = tmp_path / "figures.csv"
    assert main(["extract", str(corpus), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    errors, summary = lines[:-1], lines[-1]
    bad_paths = [str(corpus / r) for r in sorted(BAD, key=lambda r: Path(r).parts)]
    assert [line.split(": ", 2)[1] for line in errors] == bad_paths
    assert all(line.startswith("error: ") for line in errors)
    expected = expected_table(corpus, IDS)
    assert summary.startswith(
        f"extracted {len(GOOD)} of {len(GOOD) + len(BAD)} files ({len(BAD)} failed): "
        f"{len(expected)} figures in ")
    assert "files/s" in summary and "MB/s" in summary
    # CSV through csvout, the project's one CSV writer: the same bytes.
    assert out.read_bytes() == csvout.to_csv(expected).encode("utf-8")


def test_a_clean_folder_exits_0_with_only_the_summary_on_stderr(good_corpus, capsys):
    assert main(["extract", str(good_corpus), "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == csvout.to_csv(expected_table(good_corpus, IDS))
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith(f"extracted {len(GOOD)} of {len(GOOD)} files (0 failed)")


def test_parquet_keeps_the_schema_dtypes_and_every_value(good_corpus, tmp_path, capsys):
    out = tmp_path / "figures.parquet"
    assert main(["extract", str(good_corpus), "--out", str(out)]) == 0
    capsys.readouterr()
    table = pd.read_parquet(out)
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    assert table.dtypes.to_dict() == figures_frame([]).dtypes.to_dict()
    pd.testing.assert_frame_equal(table, expected_table(good_corpus, IDS))
    # Missing values stay missing, not NaN or "None".
    assert table["value"].isna().any() or table["unit"].isna().any()


def test_format_flag_chooses_the_format_whatever_the_suffix(good_corpus, tmp_path, capsys):
    out = tmp_path / "figures.bin"
    assert main(["extract", str(good_corpus), "--out", str(out), "--format", "parquet"]) == 0
    assert out.read_bytes()[:4] == b"PAR1"
    csv_out = tmp_path / "figures.parquet"
    assert main(["extract", str(good_corpus), "--out", str(csv_out), "--format", "csv"]) == 0
    assert csv_out.read_bytes().startswith(b"figure_id,document_id,")
    capsys.readouterr()


def test_the_progress_bar_is_drawn_when_asked_and_not_on_a_pipe(good_corpus, capsys):
    assert main(["extract", str(good_corpus), "--progress"]) == 0
    drawn = capsys.readouterr().err.splitlines()
    assert drawn[-2].startswith("[########################] 4/4 files")
    assert main(["extract", str(good_corpus)]) == 0
    assert "[" not in capsys.readouterr().err


def test_the_progress_bar_redraws_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = batch.ProgressBar(4, stream, width=4)
    bar.interval = 0
    for done in range(1, 5):
        bar(done, 1 if done > 2 else 0)
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 5 and text.endswith("\n") and text.count("\n") == 1
    assert text.rsplit("\r", 1)[1].startswith("[####] 4/4 files 1 failed")


def test_a_file_list_without_folders_stays_all_or_nothing(corpus, capsys):
    good, bad = str(corpus / "a.txt"), str(corpus / "bad" / "empty.txt")
    assert main(["extract", good, bad]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [f"error: {bad}: is empty"]
    # With --jobs the same files are a batch: the good one is written.
    assert main(["extract", good, bad, "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(",".join(FIGURE_COLUMN_NAMES))
    assert captured.err.splitlines()[0] == f"error: {bad}: is empty"


@pytest.mark.parametrize("value", ["0", "auto"])
def test_jobs_zero_or_auto_mean_one_per_core(value, good_corpus, monkeypatch, capsys):
    used = []
    real = batch.extract_many

    def spy(articles, jobs=1, **kwargs):
        used.append(jobs)
        return real(articles, jobs=1, **kwargs)

    monkeypatch.setattr(batch, "extract_many", spy)
    assert main(["extract", str(good_corpus), "--jobs", value]) == 0
    assert used == [os.cpu_count()]
    capsys.readouterr()


def test_negative_jobs_is_a_usage_error(good_corpus, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(good_corpus), "--jobs", "-1"])
    assert exit_info.value.code == 2
    assert "--jobs" in capsys.readouterr().err
