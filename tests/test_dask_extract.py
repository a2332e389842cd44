"""dashboard/dask_extract.py: the batch on Dask's local schedulers gives the batch's result.

The comparison is with dashboard.batch on the same files, so these tests hold whatever figures
the extractor finds.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

dask = pytest.importorskip("dask", reason="the `dask` extra is not installed")
fsspec = pytest.importorskip("fsspec")

from test_batch import write_tree  # noqa: E402

from dashboard import batch  # noqa: E402
from dashboard.dask_extract import extract_with_dask  # noqa: E402

FILES: dict[str, str | bytes] = {
    "a.txt": "Officials said 12 boats were struck near the coast on Monday.\n",
    "a.meta.json": '{"publisher": "Harbour Post", "published": "2025-11-18"}',
    "2025/a.txt": "At least 21 strikes killed 83 people, the ministry said.\n",
    "2025/b.md": "# Drought\n\nReservoirs held **41 percent** of their capacity.\n",
    # Sorts before 2025/ as a string, after it by path parts: URL folders sort as local ones.
    "2025-extra/d.txt": "Officials said 9 boats were struck.\n",
    "2025/c.html": "<html><body><p>The coast guard rescued at least 1,200 migrants last month."
                   "</p></body></html>",
    "bad/empty.txt": b"",
    "bad/utf16.txt": "12 boats were struck.\n".encode("utf-16"),
    "bad/sidecar.txt": "Officials said 40 homes were lost.\n",
    "bad/sidecar.meta.json": "[1, 2",
    ".hidden/d.txt": "Officials said 7 boats were struck.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dask") / "corpus"
    write_tree(root, FILES)
    return root


@pytest.fixture(scope="module")
def local(corpus) -> batch.BatchResult:
    result = batch.extract_many(batch.collect_articles([str(corpus)]), jobs=1)
    assert len(result.table) > 0 and len(result.failures) == 3
    return result


@pytest.mark.parametrize("scheduler", ["synchronous", "threads", "processes"])
def test_each_local_scheduler_gives_the_batch_table_and_failures(corpus, local, scheduler):
    # forkserver rather than Dask's default spawn: workers fork from a server that has imported
    # the extractor, instead of each importing it (seconds on a loaded machine).
    multiprocessing.get_context("forkserver").set_forkserver_preload(["dashboard.dask_extract"])
    with dask.config.set({"multiprocessing.context": "forkserver"}):
        # One article per partition: many tasks, which the parallel schedulers run out of order.
        result = extract_with_dask([str(corpus)], scheduler=scheduler, partition_size=1)
    pd.testing.assert_frame_equal(result.table, local.table)
    assert result.failures == local.failures
    assert (result.files, result.bytes) == (local.files, local.bytes)


def test_partition_size_does_not_change_the_result(corpus, local):
    result = extract_with_dask([str(corpus)], scheduler="synchronous", partition_size=3)
    pd.testing.assert_frame_equal(result.table, local.table)


def test_a_file_url_of_the_folder_gives_the_same_table(corpus, local):
    result = extract_with_dask([corpus.as_uri()], scheduler="synchronous")
    pd.testing.assert_frame_equal(result.table, local.table)
    assert [f.path for f in result.failures] == [
        (corpus / relative).as_uri() for relative in ("bad/empty.txt", "bad/sidecar.txt",
                                                      "bad/utf16.txt")]


def test_articles_on_an_fsspec_filesystem_are_read_with_their_sidecars(corpus, local):
    memory = fsspec.filesystem("memory")
    root = "/claims-dashboard-test"
    try:
        for path in corpus.rglob("*"):
            if path.is_file():
                memory.pipe(f"{root}/{path.relative_to(corpus).as_posix()}", path.read_bytes())
        # The memory filesystem lives in this process: the threads scheduler shares it.
        result = extract_with_dask([f"memory://{root}"], scheduler="threads")
    finally:
        memory.rm(root, recursive=True)
    pd.testing.assert_frame_equal(result.table, local.table)
    assert set(result.table.loc[result.table["document_id"] == "a", "publisher"]) == {
        "Harbour Post"}
    messages = {Path(f.path).name: f.message for f in result.failures}
    assert set(messages) == {"empty.txt", "sidecar.txt", "utf16.txt"}
    assert "is empty" in messages["empty.txt"]
    assert "UTF-16" in messages["utf16.txt"]
    assert "sidecar.meta.json" in messages["sidecar.txt"]


def test_a_folder_with_no_articles_is_an_ingest_error(tmp_path):
    from dashboard.ingest import IngestError

    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no article files"):
        extract_with_dask([str(tmp_path)], scheduler="synchronous")
