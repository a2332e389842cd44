"""The load bench's client (bench/load.py) against the real app, through Flask's test client.

The bench builds every callback request from the app's own /_dash-dependencies and /_dash-layout;
these tests send exactly those requests to the app in this process and run the bench's own checks
on the answers, so a change to the app that the bench no longer follows fails here, fast, rather
than as a wall of errors in a load run. No timing is asserted.
"""

from __future__ import annotations

import struct
import sys
import time
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # plain `pytest` (unlike `python -m pytest`) leaves it off
    sys.path.insert(0, str(REPO))

from bench import load  # noqa: E402
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


def sender(client):
    """The bench's `send` over Flask's test client instead of a socket."""

    def send(method, path, body=None, timeout=None):
        started = time.perf_counter()
        response = client.open(path, method=method, json=body)
        return load.Reply(response.status_code, response.get_data(),
                          time.perf_counter() - started)

    return send


@pytest.fixture(scope="module")
def seed():
    return load.seed_article()


@pytest.fixture(scope="module")
def app_and_asset(client):
    return load.fetch_app(sender(client))


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
    assert load.stringify_id(component_id) == stringify_id(component_id)
    assert load.split_output("..a.b...{\"chart\":[\"ALL\"],\"type\":\"chart\"}.figure..") == [
        ("a", "b"), ({"chart": ["ALL"], "type": "chart"}, "figure")]
    assert load.split_output("url.search@0a1b") == [("url", "search@0a1b")]


def test_a_users_loops_are_all_answered_right(client, seed, app_and_asset):
    """Every view of the loop, both CSV downloads, the upload and its key: no error at all."""
    app, asset = app_and_asset
    assert asset and asset.startswith("/assets/")
    recorder = load.Recorder()
    expect = load.Expect(seed, charts_by_view(SEED_KEY), DEFAULT_VIEW)
    user = load.User(0, sender(client), app, asset, expect, recorder,
                     load.upload_figures(load.upload_text(0)))
    for _ in range(len(user.views)):
        user.iteration()
        user.iterations += 1
    assert recorder.error_examples == []
    kinds = set(recorder.seconds)
    assert {f"draw_charts ({view})" for view in charts_by_view(SEED_KEY)} <= kinds
    assert {"show_article", "grid rows", "grid rows (stance filter)", "show_text",
            "download_checks (CSV)", "download_figures (CSV)", "read_another_article (paste)",
            "show_article (upload)", "grid rows (upload)"} <= kinds


def test_the_checks_catch_another_articles_answer(client, seed, app_and_asset):
    app, asset = app_and_asset
    recorder = load.Recorder()
    expect = load.Expect(seed, charts_by_view(SEED_KEY), DEFAULT_VIEW)
    user = load.User(0, sender(client), app, asset, expect, recorder, 0)
    values = {("article-key", "data"): "0000000000000000"}  # a key that names no article
    user.call("heading", "article-heading", "children", values,
              check=lambda r: user.expect.article(r, seed))
    user.grid("rows", values, (), seed.figure_ids, len(seed.figure_ids))
    assert recorder.errors == {"heading": 1, "rows": 1}


def test_chart_download_body_names_the_right_chart(client, seed, app_and_asset):
    # The CSV button of the same MATCH callback as the PNG one: no browser needed.
    app, _ = app_and_asset
    send = sender(client)
    for chart in charts_by_view(SEED_KEY)["strikes"]:
        body = load.chart_download_body(app, seed.key, chart, "linear", button="chart-csv")
        reply = send("POST", "/_dash-update-component", body)
        assert reply.status == 200
        download = load.response_of(reply.data)[
            load.stringify_id({"chart": chart, "type": "chart-download"})]["data"]
        assert download["filename"] == f"{download_stem(analysis(seed.key))}-{chart}.csv"
        assert len(load.csv_rows(download)) > 1


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
    assert load.upload_text(0) != load.upload_text(1)
    assert load.upload_figures(load.upload_text(0)) == load.upload_figures(load.upload_text(987))
