"""The command line, run as users run it: `python -m dashboard ...` in a fresh process.

Each run costs a second of start-up (pandas, pint), so every command of this file is started at
once by the `runs` fixture and each test reads the result it is about.
"""

import io
import os
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli import main, write_extracted
from dashboard.schema import FIGURE_COLUMN_NAMES

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_20713228fd6701a2.txt"
SEED_ID = SEED.stem
COMMITTED = REPO / "data" / "extracted"
FIVE_MB = 5 * 1024 * 1024

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Coast guard rescues record number at sea | The Harbour Post</title>
  <script>var pageViews = 987654; document.title = "PAYLOAD";</script>
  <style>.price:after { content: "4,321"; }</style>
</head>
<body>
  <header><nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>Coast guard rescues record number at sea</h1>
      <p>The coast guard said it rescued at least 1,200 migrants in the Mediterranean last month,
        the highest monthly figure since records began, according to its annual report.</p>
      <p>&ldquo;Our crews are working around the clock,&rdquo; said the service&rsquo;s spokesman,
        Luca Bianchi, adding that two new patrol vessels would join the fleet before the summer.</p>
      <p>Aid groups say the true number of crossings is far higher than the official count.</p>
    </article>
  </main>
  <footer><p>&copy; The Harbour Post. All rights reserved.</p></footer>
</body>
</html>
"""

ARTICLE_MD = """# Drought deepens in the valley

Reservoirs held **41 percent** of their capacity on Monday, the basin authority said.

- Farmers say at least 2,400 hectares of orchards have gone unwatered.
"""

BRIEF = "Officials said 12 boats were struck near the coast.\n"


def write_inputs(folder: Path) -> None:
    """Every article the runs below read, good and bad, written into `folder`."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (folder / "latin1.txt").write_bytes("Le café a coûté 25 000 €.\n".encode("cp1252"))
    (folder / "utf16.txt").write_bytes("Officials said 12 boats were struck.\n".encode("utf-16"))
    (folder / "huge.txt").write_bytes(b"12 boats. " * (FIVE_MB // 10 + 1))
    (folder / "folder.txt").mkdir()
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BRIEF.encode("utf-8"))
    (folder / "sidecar.txt").write_text(BRIEF, encoding="utf-8")
    (folder / "sidecar.meta.json").write_text('{"publisher": "Desk", "published": ', "utf-8")
    (folder / "drought.md").write_text(ARTICLE_MD, encoding="utf-8")
    (folder / "rescue.html").write_text(ARTICLE_HTML, encoding="utf-8")
    # Folders for the batch runs: the three formats again, nested; and good beside bad files.
    articles = folder / "articles"
    (articles / "nested").mkdir(parents=True)
    (articles / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BRIEF.encode("utf-8"))
    (articles / "drought.md").write_text(ARTICLE_MD, encoding="utf-8")
    (articles / "nested" / "rescue.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (articles / "nested" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    mixed = folder / "mixed"
    mixed.mkdir()
    (mixed / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BRIEF.encode("utf-8"))
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "utf16.txt").write_bytes("Officials said 12 boats were struck.\n".encode("utf-16"))


# name -> the arguments after `python -m dashboard`, run in the inputs' folder.
BAD_RUNS = {
    "empty file": ["extract", "empty.txt"],
    "binary file": ["extract", "chart.png"],
    "cp1252 file": ["extract", "latin1.txt"],
    "UTF-16 file": ["extract", "utf16.txt"],
    "file over 5 MB": ["extract", "huge.txt"],
    "folder without articles": ["extract", "folder.txt"],
    "missing file": ["extract", "absent.txt"],
    "broken sidecar": ["extract", "sidecar.txt"],
    "bad file after a good one": ["extract", "bom.txt", "empty.txt"],
    "impossible --published": ["extract", "bom.txt", "--published", "2025-02-30"],
    "--published not ISO": ["extract", "bom.txt", "--published", "18/11/2025"],
}
# What the error line must name for each bad run.
NAMED = {
    "empty file": "empty.txt",
    "binary file": "chart.png",
    "cp1252 file": "latin1.txt",
    "UTF-16 file": "utf16.txt",
    "file over 5 MB": "huge.txt",
    "folder without articles": "folder.txt",
    "missing file": "absent.txt",
    "broken sidecar": "sidecar.meta.json",
    "bad file after a good one": "empty.txt",
    "impossible --published": "2025-02-30",
    "--published not ISO": "18/11/2025",
}
GOOD_RUNS = {
    "seed": ["extract", str(SEED)],
    "seed --out": ["extract", str(SEED), "--out", "out/seed.csv"],
    "seed --published": ["extract", str(SEED), "--published", "2025-11-26"],
    "three formats": ["extract", "bom.txt", "drought.md", "rescue.html"],
    "data": ["data", "--out", "extracted"],
}
# A folder makes `extract` a batch: bad files reported and skipped, a summary line on stderr.
BATCH_RUNS = {
    "folder": ["extract", "articles"],
    "folder --jobs 2": ["extract", "articles", "--jobs", "2"],
    "folder with bad files": ["extract", "mixed"],
}


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # This checkout's package first, whatever the environment has installed.
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    write_inputs(folder)
    (folder / "out").mkdir()
    return folder


@pytest.fixture(scope="module")
def runs(folder) -> dict[str, subprocess.CompletedProcess]:
    commands = BAD_RUNS | GOOD_RUNS | BATCH_RUNS
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        done = {name: pool.submit(run_cli, args, folder) for name, args in commands.items()}
        return {name: future.result() for name, future in done.items()}


def table_of(run: subprocess.CompletedProcess, document_id: str | None = None) -> pd.DataFrame:
    """The CSV a successful run printed, read as an analyst would; one document's rows if given."""
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    text_columns = {"figure_id": str, "document_id": str, "surface": str, "sentence": str}
    table = pd.read_csv(io.StringIO(run.stdout), dtype=text_columns)
    if document_id is None:
        return table
    return table[table["document_id"] == document_id].reset_index(drop=True)


# Bad input: one line on standard error, exit status 2, never a traceback


@pytest.mark.parametrize("name", BAD_RUNS)
def test_bad_input_gives_one_error_line_naming_it_and_exit_status_2(runs, name):
    run = runs[name]
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error:")
    assert NAMED[name] in lines[0]
    assert "Traceback" not in run.stderr
    assert run.returncode == 2
    assert run.stdout == "", "no partial table on bad input"


def test_a_file_with_a_utf8_byte_order_mark_is_read_without_it(runs):
    table = table_of(runs["three formats"], "bom")
    assert table["surface"].tolist() == ["12"]
    row = table.iloc[0]
    assert (row["value"], row["unit"]) == (12, "vessel")
    # Offsets index the text without its byte-order mark.
    assert BRIEF[row["char_start"] : row["char_end"]] == "12"


# Success


def test_the_seed_prints_the_contract_columns_and_the_boat_claim(runs):
    run = runs["seed"]
    assert run.stdout.splitlines()[0] == ",".join(FIGURE_COLUMN_NAMES)
    table = table_of(run)
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    claims = table[table["unit"] == "person / vessel"]
    assert claims["value"].tolist() == [25000.0]
    assert claims["surface"].tolist() == ["25,000"]
    assert (table["document_id"] == SEED_ID).all()
    assert (table["published"] == "2025-11-18").all(), "the sidecar's date"
    assert (table["publisher"] == "Al Jazeera").all()
    text = SEED.read_text(encoding="utf-8")
    for row in table.itertuples(index=False):
        assert text[row.char_start : row.char_end] == row.surface


def test_out_writes_the_same_csv_as_standard_output(runs, folder):
    run = runs["seed --out"]
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    written = (folder / "out" / "seed.csv").read_bytes()
    # The runs read stdout as text, which folds the CSV's CRLF row ends into "\n".
    assert written.endswith(b"\r\n") and b"\r\n" in written.split(b"\n", 1)[0] + b"\n"
    assert written.decode("utf-8").splitlines() == runs["seed"].stdout.splitlines()


def test_several_files_give_one_table_in_the_order_given(runs):
    run = runs["three formats"]
    assert run.stdout.count("figure_id,") == 1, "one header for all files"
    table = table_of(run)
    assert tuple(table.columns) == FIGURE_COLUMN_NAMES
    assert list(table["document_id"].unique()) == ["bom", "drought", "rescue"]
    assert table["figure_id"].is_unique
    assert table["published"].isna().all(), "no sidecars, no --published"


def test_published_overrides_the_sidecar_date_and_moves_the_weekdays(runs):
    sidecar = table_of(runs["seed"])
    overridden = table_of(runs["seed --published"])
    assert (overridden["published"] == "2025-11-26").all()
    mondays = overridden.loc[overridden["surface"] == "Monday", "date"]
    assert len(mondays) >= 2
    # 26 November 2025 is a Wednesday, the 18th (the sidecar's date) a Tuesday.
    assert set(mondays) == {"2025-11-24"}
    assert set(sidecar.loc[sidecar["surface"] == "Monday", "date"]) == {"2025-11-17"}
    assert sidecar["figure_id"].tolist() == overridden["figure_id"].tolist()


def test_markdown_is_read_as_written(runs):
    table = table_of(runs["three formats"], "drought").set_index("surface")
    assert table.loc["41 percent", "value"] == 41
    assert table.loc["41 percent", "unit"] == "percent"
    assert table.loc["at least 2,400 hectares", "value_low"] == 2400
    for surface, row in table.iterrows():
        assert ARTICLE_MD[row["char_start"] : row["char_end"]] == surface


def test_html_figures_come_from_the_article_paragraphs(runs):
    table = table_of(runs["three formats"], "rescue")
    rescued = table.set_index("surface").loc["at least 1,200"]
    assert rescued["value_low"] == 1200
    assert rescued["qualifier"] == "at least"
    assert rescued["sentence"].startswith("The coast guard said it rescued at least 1,200 migrants")
    # Scripts and styles never reach the text.
    assert not table["value"].isin([987654, 4321]).any()
    assert not table["sentence"].str.contains("PAYLOAD").any()


# Folders: the batch path


def test_a_folder_gives_the_table_of_its_articles_in_path_order_and_a_summary(runs):
    run = runs["folder"]
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("extracted 3 of 3 files (0 failed): ")
    table = pd.read_csv(io.StringIO(run.stdout), dtype={"figure_id": str, "document_id": str})
    assert list(table["document_id"].unique()) == ["bom", "drought", "rescue"]
    # The same rows as the same files named one by one.
    assert run.stdout == runs["three formats"].stdout


def test_jobs_2_prints_the_same_table_as_one_job(runs):
    assert runs["folder --jobs 2"].returncode == 0, runs["folder --jobs 2"].stderr
    assert runs["folder --jobs 2"].stdout == runs["folder"].stdout


def test_a_folder_with_bad_files_writes_the_good_ones_and_exits_1(runs):
    run = runs["folder with bad files"]
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert [line.split(": ")[:2] for line in lines[:-1]] == [
        ["error", os.path.join("mixed", "empty.txt")],
        ["error", os.path.join("mixed", "utf16.txt")],
    ]
    assert lines[-1].startswith("extracted 1 of 3 files (2 failed): ")
    table = pd.read_csv(io.StringIO(run.stdout), dtype=str)
    assert set(table["document_id"]) == {"bom"}
    assert table["surface"].tolist() == ["12"]


def test_data_writes_one_csv_per_seed_into_out(runs, folder):
    run = runs["data"]
    assert run.returncode == 0, run.stderr
    written = folder / "extracted" / f"{SEED_ID}.csv"
    assert written.is_file()
    assert written.read_text(encoding="utf-8") == runs["seed"].stdout
    assert sorted(p.name for p in (folder / "extracted").iterdir()) == [f"{SEED_ID}.csv"]


def test_committed_extracted_tables_are_up_to_date(tmp_path):
    fresh = {path.name: path.read_bytes() for path in write_extracted(tmp_path)}
    committed = {path.name: path.read_bytes() for path in COMMITTED.glob("*.csv")}
    assert f"{SEED_ID}.csv" in fresh
    assert committed == fresh, "data/extracted is stale: run `make data`"


# The console script


def test_the_console_script_is_main():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["claims-dashboard"] == "dashboard.cli:main"


def test_console_script_main_returns_2_with_one_error_line(tmp_path, capsys):
    missing = tmp_path / "absent.txt"
    assert main(["extract", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:") and str(missing) in lines[0]


def test_console_script_main_returns_0_and_prints_the_table(capsys):
    assert main(["extract", str(SEED)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines()[0] == ",".join(FIGURE_COLUMN_NAMES)
    assert "25,000" in captured.out
