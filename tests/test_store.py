"""The upload store: the same promises on SQLite (the default) and on a real redis-server.

Round trip, bounds in count and bytes with the oldest evicted first, two processes writing at the
bound at once, a writer killed mid-write, corrupt entries, refused and read-only folders, foreign
files left alone, and keys that depend on every field and on the deployment's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import stat
import string
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis_server import redis_server

from dashboard import store
from dashboard.store.sqlite_store import DATABASE, OWN_FILES

REPO = Path(__file__).resolve().parents[1]
ENVIRONMENT = ("CLAIMS_DASHBOARD_STORE", "CLAIMS_DASHBOARD_STORE_URL", "CLAIMS_DASHBOARD_SECRET",
               "CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "CLAIMS_DASHBOARD_STORE_MAX_BYTES")
SPAWN = multiprocessing.get_context("spawn")
# Generous: a spawned child imports the package on a machine other work keeps busy.
CHILD_SECONDS = 300


def article(text: str, **fields) -> store.StoredArticle:
    return store.StoredArticle(**{"text": text, "published": "2025-11-18", "name": "rain.txt",
                                  "format": "txt", "publisher": "The Paper",
                                  "title": "Rain", **fields})


def noise(size: int, seed: int) -> str:
    """Text that compresses little, so that stored sizes follow the text's size."""
    return "".join(random.Random(seed).choices(string.ascii_letters + string.digits, k=size))


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def backend(request, tmp_path, monkeypatch) -> str:
    """An empty store of the test's own on each backend; its name."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    if request.param == "sqlite":
        monkeypatch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path / "store"))
    else:
        import redis

        url = request.getfixturevalue("redis_url")
        with redis.Redis.from_url(url) as client:
            client.flushdb()
        monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_URL", url)
    return request.param


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """The SQLite store's folder (not yet created), with the environment pointing at it."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE", str(tmp_path / "store"))
    return tmp_path / "store"


def corrupt(backend: str, key: str) -> None:
    """Flip bytes in the middle of the entry stored under `key`, behind the store's back."""
    if backend == "sqlite":
        path = Path(os.environ["CLAIMS_DASHBOARD_STORE"]) / DATABASE
        with sqlite3.connect(path) as db:
            (entry,) = db.execute("SELECT entry FROM entries WHERE key = ?", (key,)).fetchone()
            broken = entry[:40] + bytes(b ^ 0xFF for b in entry[40:48]) + entry[48:]
            db.execute("UPDATE entries SET entry = ? WHERE key = ?", (broken, key))
        db.close()
    else:
        import redis

        from dashboard.store.redis_store import ENTRY

        with redis.Redis.from_url(os.environ["CLAIMS_DASHBOARD_STORE_URL"]) as client:
            entry = client.get(ENTRY + key)
            client.set(ENTRY + key, entry[:40] + b"garbage" + entry[47:])


# -- round trip and bounds ------------------------------------------------------------------
def test_an_article_comes_back_as_it_was_saved(backend):
    tricky = article('He said "3 boats" \\ \x00\x1f \ud800 caf\u00e9 \U0001f6a4 ' * 50,
                     title="\u201cQuotes\u201d & <b>", publisher=None, published=None)
    key = store.save(tricky)
    assert store.load(key) == tricky
    assert store.save(tricky) == key
    assert store.stats().articles == 1


def test_an_upload_is_stored_compactly(backend):
    # Quotes, backslashes and control characters were 6 JSON bytes each on disk.
    text = '"\\\x01' * 500_000
    store.save(article(text))
    assert store.stats().bytes < len(text) // 10


def test_the_oldest_go_past_the_count_bound(backend, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "3")
    keys = [store.save(article(f"Article {i}.")) for i in range(5)]
    assert [store.load(key) is not None for key in keys] == [False, False, True, True, True]
    assert store.stats().articles == 3


def test_the_store_says_whether_it_holds_a_key_without_reading_it(backend, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "2")
    keys = [store.save(article(f"Article {i}.")) for i in range(3)]
    assert [store.holds(key) for key in keys] == [False, True, True]
    assert not store.holds("f" * 32) and not store.holds(None) and not store.holds("../x")


def test_saving_again_makes_an_article_the_newest(backend, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "3")
    first, second, _ = (store.save(article(f"Article {i}.")) for i in range(3))
    assert store.save(article("Article 0.")) == first
    store.save(article("Article 3."))
    assert store.load(first) is not None
    assert store.load(second) is None


def test_the_oldest_go_past_the_byte_bound(backend, monkeypatch):
    # Entries large enough that SQLite's pages and index file are small beside them.
    store.save(article(noise(200_000, 0)))
    size = store.stats().bytes
    # On SQLite the bound is the folder's disk use, where a write stands twice (in the log and
    # in the database) until the log is emptied: room for two entries and a third being written.
    bound = size * (7 if backend == "sqlite" else 5) // 2
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_BYTES", str(bound))
    keys = [store.save(article(noise(200_000, seed))) for seed in range(1, 5)]
    assert [store.load(key) is not None for key in keys] == [False, False, True, True]
    held = store.stats()
    assert held.articles == 2
    assert held.bytes <= bound


def test_an_article_larger_than_the_byte_bound_is_refused_and_evicts_nothing(backend,
                                                                             monkeypatch):
    kept = store.save(article("A short one."))
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_BYTES", "5000")
    with pytest.raises(store.EntryTooLarge) as refused:
        store.save(article(noise(20_000, 1)))
    assert "larger" in refused.value.reason
    assert store.load(kept) is not None


@pytest.mark.parametrize("name, value", [("MAX_ARTICLES", "many"), ("MAX_BYTES", "0")])
def test_a_bound_that_is_not_a_number_is_named(backend, monkeypatch, name, value):
    monkeypatch.setenv(f"CLAIMS_DASHBOARD_STORE_{name}", value)
    with pytest.raises(store.StoreError, match=f"CLAIMS_DASHBOARD_STORE_{name}"):
        store.save(article("Text."))


# -- keys -----------------------------------------------------------------------------------
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(key=st.one_of(st.text(), st.from_regex(r"[0-9a-fA-F]{16,40}", fullmatch=True),
                     st.none(), st.integers(), st.binary()))
def test_any_key_loads_an_article_or_nothing(backend, key):
    assert store.load(key) is None


@settings(max_examples=300, deadline=None)  # a busy machine is no failure
@given(data=st.binary(), metadata=st.one_of(st.binary(), st.text(), st.recursive(
    st.none() | st.integers() | st.text(), lambda inner: st.lists(inner) | st.dictionaries(
        st.sampled_from(["text", "name", "format", "title", "x"]), inner))))
def test_any_stored_bytes_read_as_an_article_or_nothing(data, metadata):
    key = "0" * 32
    assert store.unpacked(key, data) is None  # no checksum: refused before anything is parsed
    if not isinstance(metadata, bytes):
        metadata = json.dumps(metadata).encode()
    # Bytes that pass the checksum, as if the store itself had written them.
    laid_out = store._FORMAT + len(metadata).to_bytes(4, "big") + metadata + data
    for payload in (data, laid_out):
        found = store.unpacked(key, store.packed(key, payload))
        assert found is None or isinstance(found, store.StoredArticle)


def test_deeply_nested_metadata_reads_as_nothing():
    metadata = b"[" * 100_000 + b"]" * 100_000
    laid_out = store._FORMAT + len(metadata).to_bytes(4, "big") + metadata + b"text"
    assert store.unpacked("0" * 32, store.packed("0" * 32, laid_out)) is None


def test_an_unreadable_redis_url_is_named(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_URL", "redis://127.0.0.1:notaport/0")
    with pytest.raises(store.StoreError, match="CLAIMS_DASHBOARD_STORE_URL"):
        store.save(article("Text."))
    assert store.load("0" * 32) is None


def test_keys_are_32_hex_characters(backend):
    key = store.save(article("Text."))
    assert len(key) == 32
    assert set(key) <= set("0123456789abcdef")


@pytest.mark.parametrize("field, value", [
    ("title", "Another title"), ("publisher", "Another paper"), ("name", "other.txt"),
    ("format", "md"), ("published", "2025-11-19"), ("published", None), ("title", None)])
def test_the_same_text_with_other_metadata_gets_another_key(backend, field, value):
    one = store.save(article("The same text: 3 boats."))
    other = store.save(article("The same text: 3 boats.", **{field: value}))
    assert one != other
    assert store.load(one).text == store.load(other).text


def test_a_key_depends_on_the_deployment_secret(backend, monkeypatch):
    text = article("It rained for 3 days.")
    made = store.key_for(text)
    assert store.key_for(text) == made  # the secret made once is kept
    monkeypatch.setenv("CLAIMS_DASHBOARD_SECRET", "one deployment's long secret")
    first = store.save(text)
    monkeypatch.setenv("CLAIMS_DASHBOARD_SECRET", "another deployment's long secret")
    assert store.save(text) not in (first, made)
    # What someone who knows the text alone could compute is none of these.
    guesses = {hashlib.sha256(text.text.encode()).hexdigest()[:32],
               hashlib.sha256(f"{text.published}\n{text.text}".encode()).hexdigest()[:32],
               hmac.new(b"", store.encoded(text), hashlib.sha256).hexdigest()[:32]}
    assert not guesses & {made, first}


def test_a_short_secret_is_refused(backend, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_SECRET", "short")
    with pytest.raises(store.StoreError, match="CLAIMS_DASHBOARD_SECRET"):
        store.save(article("Text."))


def test_keys_survive_a_restart(backend):
    text = article("It rained for 3 days.")
    key = store.save(text)
    store.backend().close()
    store._OPEN.clear()  # as a new process would
    assert store.key_for(text) == key
    assert store.load(key) == text


# -- corrupt entries ------------------------------------------------------------------------
def test_a_corrupt_entry_is_gone_and_the_next_upload_repairs_it(backend):
    text = article("It rained for 3 days.")
    key = store.save(text)
    other = store.save(article("Other text."))
    corrupt(backend, key)
    assert store.load(key) is None
    assert store.stats().articles == 1  # removed, and counted out
    assert store.save(text) == key
    assert store.load(key) == text
    assert store.load(other) is not None


# -- several processes ----------------------------------------------------------------------
def _upload_many(barrier, tag: str, count: int, answers) -> None:
    """A worker process: uploads `count` articles at once with another worker, each loaded
    right after it was saved; sends (keys, failures, shared key)."""
    failures, keys = [], []
    try:
        barrier.wait()
        shared = store.save(article("Both workers upload this one."))
        for i in range(count):
            sent = article(f"{tag} article {i}: {i} boats.")
            key = store.save(sent)
            keys.append(key)
            if store.load(key) != sent:
                failures.append(f"{key} did not load right after it was saved")
    except Exception as err:  # what the worker would have answered with a 500
        failures.append(repr(err))
        shared = None
    answers.put((keys, failures, shared))


def _present(keys: list[str], answers) -> None:
    answers.put([store.load(key) is not None for key in keys])


def run_children(target, arguments: list[tuple]) -> list:
    answers = SPAWN.Queue()
    children = [SPAWN.Process(target=target, args=(*args, answers)) for args in arguments]
    for child in children:
        child.start()
    found = [answers.get(timeout=CHILD_SECONDS) for _ in children]
    for child in children:
        child.join(CHILD_SECONDS)
        assert child.exitcode == 0
    return found


def test_two_processes_uploading_at_the_bound_see_the_same_store(backend, monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "5")
    for i in range(5):  # the store starts full
        store.save(article(f"Before {i}."))
    barrier = SPAWN.Barrier(2)
    found = run_children(_upload_many, [(barrier, "one", 40), (barrier, "two", 40)])
    assert [failures for _, failures, _ in found] == [[], []]
    assert found[0][2] == found[1][2]  # both workers compute the same key for the same article
    keys = found[0][0] + found[1][0]
    seen = run_children(_present, [(keys,), (keys,)])
    assert seen[0] == seen[1] == [store.load(key) is not None for key in keys]
    assert sum(seen[0]) == 5
    assert store.stats().articles == 5


def _upload_until_killed(channel) -> None:
    for i in range(10_000):
        channel.send(store.save(article(noise(200_000, i))))


def test_a_writer_killed_mid_write_loses_nothing_acknowledged(backend):
    parent, child_end = SPAWN.Pipe(duplex=False)
    child = SPAWN.Process(target=_upload_until_killed, args=(child_end,))
    child.start()
    child_end.close()
    acknowledged = []
    for _ in range(6):
        assert parent.poll(CHILD_SECONDS), "the writer acknowledged nothing"
        acknowledged.append(parent.recv())
    os.kill(child.pid, signal.SIGKILL)
    child.join(CHILD_SECONDS)
    assert child.exitcode == -signal.SIGKILL
    for i, key in enumerate(acknowledged):
        assert store.load(key) == article(noise(200_000, i))
    assert store.load(store.save(article("After the kill."))) is not None
    if backend == "sqlite":
        folder = Path(os.environ["CLAIMS_DASHBOARD_STORE"])
        assert {path.name for path in folder.iterdir()} <= OWN_FILES


# -- the folder -----------------------------------------------------------------------------
def test_the_store_makes_a_private_folder_and_private_files(folder):
    store.save(article("Text."))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / DATABASE).stat().st_mode) == 0o600


def test_the_store_never_touches_a_file_it_did_not_write(folder, monkeypatch):
    folder.mkdir(mode=0o700)
    foreign = {"datapackage.json": '{"name": "catalog"}', "notes.txt": "mine",
               "0123456789abcdef.json": "{}", "tmpabc.tmp": "half", f"{DATABASE}.bak": "x"}
    for name, text in foreign.items():
        (folder / name).write_text(text)
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_ARTICLES", "3")
    keys = [store.save(article(f"Article {i}.")) for i in range(10)]
    corrupt("sqlite", keys[-1])
    assert store.load(keys[-1]) is None
    assert {name: (folder / name).read_text() for name in foreign} == foreign
    assert {path.name for path in folder.iterdir()} <= OWN_FILES | set(foreign)


def test_a_folder_of_another_user_is_refused(folder, monkeypatch):
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    with pytest.raises(store.StoreRefused) as refused:
        store.save(article("Text."))
    assert str(folder) in str(refused.value)
    assert str(folder) not in refused.value.reason
    assert store.load("0" * 32) is None  # logged, never raised to a page
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_folder_others_may_write_is_refused(folder, mode):
    folder.mkdir()
    folder.chmod(mode)
    with pytest.raises(store.StoreRefused, match="writable by others"):
        store.save(article("Text."))
    assert list(folder.iterdir()) == []


def test_the_default_folder_is_the_users_own(monkeypatch, tmp_path):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    key = store.save(article("Text."))
    assert store.load(key) is not None
    assert [path.name for path in tmp_path.iterdir()] == [f"claims-dashboard-store-{os.getuid()}"]


READ_ONLY_SAVE = """
import sys
from dashboard import store
try:
    store.save(store.StoredArticle("A new article.", None, "new.txt", "txt"))
except store.StoreUnwritable as err:
    print("unwritable:", err.reason)
else:
    print("saved")
"""


def without_override() -> None:
    """In a child about to run as root: give up the capabilities that let root write through
    any file mode (DAC override, read-search, owner), so that a read-only folder is read-only."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_store_raises_a_named_error(folder):
    """In a process of its own (an open connection would keep writing)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}

    def save(**options):
        return subprocess.run([sys.executable, "-c", READ_ONLY_SAVE], env=environment,
                              capture_output=True, text=True, cwd=REPO, **options)

    saved = save()
    assert saved.stdout.strip() == "saved", saved.stderr
    for path in folder.iterdir():
        path.chmod(0o400)
    folder.chmod(0o500)
    try:
        refused = save(preexec_fn=without_override if os.geteuid() == 0 else None)
    finally:
        folder.chmod(0o700)
    assert refused.stdout.strip() == \
        "unwritable: the upload store is read-only or cannot be written", refused.stderr


def test_an_unreachable_redis_raises_a_named_error(monkeypatch):
    from redis_server import free_port

    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_URL", f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(store.StoreUnwritable):
        store.save(article("Text."))
    assert store.load("0" * 32) is None


def test_an_unknown_store_url_is_named(monkeypatch):
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_URL", "ftp://somewhere/")
    with pytest.raises(store.StoreError, match="CLAIMS_DASHBOARD_STORE_URL"):
        store.save(article("Text."))
    assert store.load("0" * 32) is None


# -- the upload view ------------------------------------------------------------------------
def test_an_upload_the_store_cannot_keep_gets_an_alert(folder, monkeypatch):
    from dashboard import app as dashboard_app

    def unwritable(article):
        raise store.StoreUnwritable("the store in /somewhere cannot be written: readonly",
                                    "the upload store is read-only or cannot be written")

    monkeypatch.setattr(store, "save", unwritable)
    client = dashboard_app.create_app().server.test_client()
    (dependency,) = [d for d in client.get("/_dash-dependencies").get_json()
                     if d["output"].startswith("..upload-message.children")]
    values = {"paste-text.value": "The council closed 14 bridges.", "paste-submit.n_clicks": 1}

    def filled(items):
        return [{**item, **({"value": values[f"{item['id']}.{item['property']}"]}
                            if f"{item['id']}.{item['property']}" in values else {})}
                for item in items]

    parts = dependency["output"][2:-2].split("...")
    response = client.post("/_dash-update-component", json={
        "output": dependency["output"],
        "outputs": [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts],
        "inputs": filled(dependency["inputs"]), "state": filled(dependency["state"]),
        "changedPropIds": ["paste-submit.n_clicks"]})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    answer = response.get_json()["response"]
    message = answer["upload-message"]["children"]["props"]
    assert message["className"] == "alert"
    assert "read-only" in message["children"]
    assert "/somewhere" not in message["children"]
    assert "url" not in answer  # the page stays where it was


def test_the_folder_on_disk_stays_within_the_byte_bound(folder, monkeypatch):
    """The bound is the operator's disk budget: the database and its write-ahead log together,
    after every write, not the entries alone (the log once doubled the folder)."""
    bound = 400_000
    monkeypatch.setenv("CLAIMS_DASHBOARD_STORE_MAX_BYTES", str(bound))
    sizes = []
    for seed in range(60):
        store.save(article(noise(30_000, seed)))
        sizes.append(sum(path.stat().st_size for path in folder.iterdir()))
    assert store.stats().articles < 60  # the bound was reached and the oldest evicted
    assert max(sizes) <= bound, max(sizes)
