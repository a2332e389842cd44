"""The load bench's client (bench/dash_client.py, which bench/locustfile.py sends through locust)
against the real app, through Flask's test client.

The bench builds every callback request from the app's own /_dash-dependencies and /_dash-layout;
these tests send exactly those requests to the app in this process and run the bench's own checks
on the answers, so a change to the app that the bench no longer follows fails here, fast, rather
than as a wall of errors in a load run. locust itself is not imported here (it patches the
standard library with gevent); a subprocess checks that the locustfile loads. No timing is
asserted.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # plain `pytest` (unlike `python -m pytest`) leaves it off
    sys.path.insert(0, str(REPO))

from bench import dash_client, load  # noqa: E402
from dashboard.app import (  # noqa: E402
    DEFAULT_VIEW,
    SEED_KEY,
    analysis,
    charts_by_view,
    download_stem,
    server,
)


@pytest.fixture(scope="module")
def client():
    return server.test_client()


@pytest.fixture(autouse=True)
def upload_store(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path / "store"))


class Requests:
    """`dash_client`'s request over Flask's test client, as the locustfile's `send` does it over
    locust's: status, then the check; what went wrong is kept by kind."""

    def __init__(self, client) -> None:
        self.client = client
        self.kinds: set[str] = set()
        self.errors: dict[str, list[str]] = {}

    def __call__(self, kind, method, path, body=None, check=None):
        self.kinds.add(kind)
        response = self.client.open(path, method=method, json=body)
        problem = None if response.status_code == 200 else f"HTTP {response.status_code}"
        parsed = None
        if problem is None:
            data = response.get_data()
            try:
                parsed = dash_client.response_of(data) if body is not None else data
                problem = check(parsed) if check else None
            except Exception as error:
                problem = f"wrong content: {type(error).__name__}: {error}"
        if problem:
            self.errors.setdefault(kind, []).append(problem)
        return None if problem else parsed


@pytest.fixture(scope="module")
def seed():
    return dash_client.seed_article()


@pytest.fixture(scope="module")
def app_and_asset(client):
    return dash_client.fetch_app(Requests(client))


def expect(seed):
    return dash_client.Expect(seed, charts_by_view(SEED_KEY), DEFAULT_VIEW)


def test_procfile_command_binds_loopback_on_the_given_port(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("release: true\nweb: gunicorn a.b:server --bind 0.0.0.0:$PORT "
                        "--workers 3 --timeout 120\n", encoding="utf-8")
    argv = load.procfile_command(procfile, 4321)
    assert argv[1:] == ["a.b:server", "--bind", "127.0.0.1:4321", "--workers", "3",
                        "--timeout", "120"]
    assert Path(argv[0]).name == "gunicorn"
    assert load.workers_of(argv) == 3


def test_the_projects_procfile_is_read(tmp_path):
    argv = load.procfile_command(load.PROCFILE, 4321)
    assert "127.0.0.1:4321" in argv and "0.0.0.0" not in " ".join(argv)
    assert not any("$PORT" in token for token in argv)


def test_procfile_without_a_web_process_is_an_error(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("worker: python -m jobs\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="no web: process"):
        load.procfile_command(procfile, 1)


def test_ids_and_outputs_are_written_as_dash_writes_them():
    from dash._utils import stringify_id

    component_id = {"type": "chart", "chart": "claim", "n": 2}
    assert dash_client.stringify_id(component_id) == stringify_id(component_id)
    output = "..a.b...{\"chart\":[\"ALL\"],\"type\":\"chart\"}.figure.."
    assert dash_client.split_output(output) == [
        ("a", "b"), ({"chart": ["ALL"], "type": "chart"}, "figure")]
    assert dash_client.split_output("url.search@0a1b") == [("url", "search@0a1b")]


def test_a_readers_loops_are_all_answered_right(client, seed, app_and_asset):
    """Every view of the loop, both CSV downloads, the upload and its key: no error at all."""
    app, asset = app_and_asset
    assert asset and asset.startswith("/assets/")
    requests = Requests(client)
    reader = dash_client.Reader(0, requests, app, asset, expect(seed),
                                dash_client.upload_figures(dash_client.upload_text(0)))
    for _ in range(len(reader.views)):
        reader.iteration()
    assert requests.errors == {}
    assert {f"draw_charts ({view})" for view in charts_by_view(SEED_KEY)} <= requests.kinds
    assert {"show_article", "grid rows", "grid rows (stance filter)", "show_text",
            "download_checks (CSV)", "download_figures (CSV)", "read_another_article (paste)",
            "show_article (upload)", "grid rows (upload)"} <= requests.kinds


def test_the_checks_catch_another_articles_answer(client, seed, app_and_asset):
    app, asset = app_and_asset
    requests = Requests(client)
    reader = dash_client.Reader(0, requests, app, asset, expect(seed), 0)
    values = {("article-key", "data"): "0" * 32}  # a key that names no article
    reader.call("heading", "article-heading", "children", values,
                check=lambda r: reader.expect.article(r, seed))
    reader.grid("rows", values, (), seed.figure_ids, len(seed.figure_ids))
    assert set(requests.errors) == {"heading", "rows"}


@pytest.mark.parametrize("in_store", [True, False])
def test_a_gone_answer_is_right_only_when_the_store_evicted_the_article(client, seed,
                                                                        app_and_asset, in_store):
    """The page's "no longer stored" and the grid's no rows pass for a reader's own paste only
    when the store itself no longer holds it; a server that loses what it holds still fails."""
    app, asset = app_and_asset
    requests = Requests(client)
    asked = []

    def evicted(kind: str, key: str) -> bool:
        asked.append((kind, key))
        return not in_store

    reader = dash_client.Reader(0, requests, app, asset, expect(seed), 0, evicted=evicted)
    key = "0" * 32  # names no stored article: the app answers that it is gone
    values = {("article-key", "data"): key}
    shown = reader.or_evicted("heading", key, lambda r: reader.expect.article(r, seed))
    reader.call("heading", "article-heading", "children", values, check=shown)
    reader.grid("rows", values, (), seed.figure_ids, len(seed.figure_ids), key=key)
    assert asked == [("heading", key), ("rows", key)]
    assert set(requests.errors) == (set() if not in_store else {"heading", "rows"})
    assert shown.gone == ([] if in_store else [True])


def test_a_bulk_upload_is_acknowledged_and_opens_by_its_key(client, app_and_asset):
    app, _ = app_and_asset
    requests = Requests(client)
    text = dash_client.bulk_text("1 2 3", 20_000)
    key, document_id, search = dash_client.upload(requests, app, text, "upload (bulk)")
    assert f"article={key}" in search
    assert dash_client.article_loads(requests, app, key, document_id)
    assert not dash_client.article_loads(requests, app, "f" * 32, document_id, "gone")
    assert set(requests.errors) == {"gone"}


def test_bulk_texts_differ_by_tag_and_hold_no_figure():
    first, second = dash_client.bulk_text("7 0 1", 5_000), dash_client.bulk_text("7 0 2", 5_000)
    assert first != second and len(first) >= 5_000
    assert not any(character.isdigit() for character in first)
    assert dash_client.upload_figures(first) == 0


def test_the_locustfile_loads_with_its_users():
    # In a process of its own: locust's gevent patches must not reach this test session.
    script = ("import bench.locustfile as f; "
              "print(sorted(c.__name__ for c in (f.Reader, f.Uploader)), f.Uploader.fixed_count,"
              " f.EXPECT.seed.key == f.SEED.key)")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == "['Reader', 'Uploader'] 2 True"


def test_the_locust_command_is_headless_and_bounded():
    command = load.locust_command(4321, 52, 60, Path("out"), ("Uploader",))
    assert command[1:3] == ["-m", "locust"] and "--headless" in command
    assert command[command.index("--host") + 1] == "http://127.0.0.1:4321"
    assert command[command.index("--run-time") + 1] == "60s"
    assert command[-1] == "Uploader"


def test_in_flight_requests_at_the_end_count_as_errors(tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_text('{"t": 1.0, "kind": "a", "ms": 5.0, "error": null}\n'
                      '{"t": 1.1, "ack": "k", "document_id": "d"}\n'
                      '{"in_flight": "b", "seconds": 12.0}\n', encoding="utf-8")
    requests, acks = load.read_events(events)
    assert acks == [{"t": 1.1, "ack": "k", "document_id": "d"}]
    report = load.request_report(requests, 0)
    assert report["errors"] == 1 and report["by_kind"]["b"]["errors"] == 1


def test_chart_download_body_names_the_right_chart(client, seed, app_and_asset):
    # The CSV button of the same MATCH callback as the PNG one: no browser needed.
    app, _ = app_and_asset
    for chart in charts_by_view(SEED_KEY)["strikes"]:
        body = load.chart_download_body(app, seed.key, chart, "linear", button="chart-csv")
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        download = dash_client.response_of(response.get_data())[
            dash_client.stringify_id({"chart": chart, "type": "chart-download"})]["data"]
        assert download["filename"] == f"{download_stem(analysis(seed.key))}-{chart}.csv"
        assert len(dash_client.csv_rows(download)) > 1


def test_png_info_reads_size_and_image_data():
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    pixels = b"\x00\xff\x00\x00" * 2  # two rows of one RGB pixel, filter byte first
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 2, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))
    assert load.png_info(png) == (1, 2, pixels)
    with pytest.raises(ValueError):
        load.png_info(b"GIF89a")


def test_upload_texts_differ_but_add_no_figure():
    assert dash_client.upload_text(0) != dash_client.upload_text(1)
    assert dash_client.upload_figures(dash_client.upload_text(0)) == \
        dash_client.upload_figures(dash_client.upload_text(987))
