"""The CKAN client against a hostile local portal (tests/ckan_server.py): redirects to another origin, a
trickle, a truncated body, endless pages, 200,000 levels of nesting, a count that is a word, too many
organisations, an answer too large. Each is an Indonesian CkanError naming the limit; the token never leaves
the portal's origin; a failed download leaves nothing in raw/."""

from __future__ import annotations

import json
import time

import pytest

from satudata.reference.settings import SourceSettings
from satudata.reference.settings_check import settings_problems
from satudata.sources.ckan import SNAPSHOT_INDEX, CkanClient, CkanError, fetch_snapshot
from tests.ckan_server import (
    SEKOLAH_CSV,
    FakeCkan,
    answer,
    endless_pages,
    raw_answer,
    redirect_to,
    trickle,
    trickle_headers,
    truncated,
)

TOKEN = "rahasia-123"


def _client(portal: FakeCkan, **kw) -> CkanClient:
    kw = {"delay": 0.0, "retries": 0, "sleep": lambda s: None, **kw}
    return CkanClient(portal.url, token=kw.pop("token", TOKEN), **kw)


def _auth(log: list[dict], path: str) -> list[str | None]:
    return [e["headers"].get("Authorization") for e in log if e["path"] == path]


def test_the_token_is_dropped_on_a_redirect_to_another_host_or_port_and_kept_on_its_own_origin():
    with FakeCkan() as other, FakeCkan() as portal:
        portal.hostile = {
            "/files/ke-port-lain.csv": redirect_to(f"{other.url}/files/sekolah.csv"),  # another port
            "/files/ke-host-lain.csv": redirect_to(f"http://localhost:{portal.port}/files/sekolah.csv"),
            "/files/di-portal.csv": redirect_to("/files/sekolah.csv"),  # the portal's own origin
        }
        client = _client(portal)
        for name in ("ke-port-lain", "ke-host-lain", "di-portal"):
            assert client.download(f"{portal.url}/files/{name}.csv") == SEKOLAH_CSV.encode()
    assert _auth(portal.log, "/files/ke-port-lain.csv") == [TOKEN]
    assert _auth(other.log, "/files/sekolah.csv") == [None]  # another port: another origin, no token
    # localhost is another host name than 127.0.0.1 (same server): no token; the portal's own redirect: token
    assert _auth(portal.log, "/files/sekolah.csv") == [None, TOKEN]


def test_a_trickling_portal_is_cut_off_at_batas_waktu_detik():
    body = answer("organization_list", ["dinas-kesehatan"])
    with FakeCkan(hostile={"/api/3/action/organization_list": trickle(body, 0.05)}) as portal:
        client = _client(portal, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(CkanError) as err:
            client.organization_list()
        elapsed = time.monotonic() - started
    assert elapsed < 2.0  # the whole answer would take about 4 s
    assert "tidak selesai menjawab dalam 1 detik (batas_waktu_detik)" in str(err.value)


def test_a_portal_trickling_its_headers_is_cut_off_at_batas_waktu_detik():
    """The status line and headers a byte every 0.05 s (about 14 s in all): each read is quick, so a read timeout
    never trips; the answer's deadline covers the headers too."""
    body = answer("organization_list", ["dinas-kesehatan"])
    with FakeCkan(hostile={"/api/3/action/organization_list": trickle_headers(body, 0.05)}) as portal:
        client = _client(portal, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(CkanError) as err:
            client.organization_list()
        elapsed = time.monotonic() - started
    assert elapsed < 2.5
    assert "tidak selesai menjawab dalam 1 detik (batas_waktu_detik)" in str(err.value)
    assert client.requests == 1


def test_the_whole_source_deadline_covers_trickling_headers():
    body = answer("organization_list", ["dinas-kesehatan"])
    with FakeCkan(hostile={"/api/3/action/organization_list": trickle_headers(body, 0.05)}) as portal:
        client = _client(portal, timeout=30.0, total_seconds=0.8, retries=3)
        started = time.monotonic()
        with pytest.raises(CkanError, match=r"batas waktu seluruh sumber \(0.8 detik, batas_waktu_total_detik\)"):
            client.organization_list()
    assert time.monotonic() - started < 2.5 and client.requests == 1  # not retried


def test_the_whole_source_stops_at_batas_waktu_total_detik():
    body = answer("organization_list", ["dinas-kesehatan"])
    with FakeCkan(hostile={"/api/3/action/organization_list": trickle(body, 0.05)}) as portal:
        client = _client(portal, timeout=5.0, total_seconds=0.6, retries=3)
        started = time.monotonic()
        with pytest.raises(CkanError, match=r"batas waktu seluruh sumber \(0.6 detik, batas_waktu_total_detik\)"):
            client.organization_list()
    assert time.monotonic() - started < 1.5 and client.requests == 1  # not retried


def test_a_truncated_resource_is_not_kept_and_the_snapshot_says_so(tmp_path):
    folder = tmp_path / "raw" / "2024-04-01" / "portal" / "portal"
    with FakeCkan(hostile={"/files/sekolah.csv": truncated(SEKOLAH_CSV.encode()[:20], 500)}) as portal:
        source = SourceSettings(name="portal", kind="ckan", url=portal.url, delay=0.0, retries=1,
                                organisations=("dinas-pendidikan",))  # fmt: skip
        fetch_snapshot(source, folder, _client(portal, retries=1, token=None))
    index = json.loads((folder / SNAPSHOT_INDEX).read_text(encoding="utf-8"))
    assert index["berkas_sumber_daya"] == {}
    assert "terpotong: hanya 20 bita diterima dari 500 bita yang dinyatakan (Content-Length)" in \
        index["berkas_gagal"]["res-sd"]  # fmt: skip
    assert not (folder / "berkas").exists() or not list((folder / "berkas").iterdir())


def test_endless_paging_stops_at_maks_halaman_and_leaves_nothing_in_raw(tmp_path):
    round_raw = tmp_path / "raw" / "2024-04-01"
    with FakeCkan(hostile={"/api/3/action/package_search": endless_pages()}) as portal:
        source = SourceSettings(name="portal", kind="ckan", url=portal.url, delay=0.0, organisations=("opd",))
        client = _client(portal, max_pages=5, token=None)
        with pytest.raises(CkanError, match="organisasi opd: lebih dari 5 halaman package_search .maks_halaman."):
            fetch_snapshot(source, round_raw / "portal" / "portal", client)
    assert client.requests == 5
    assert [p.name for p in (round_raw / "portal").iterdir()] == []  # no snapshot, no hidden work folder


def test_too_many_organisations_stop_at_maks_organisasi():
    orgs = answer("organization_list", [f"org-{i}" for i in range(50)])
    with FakeCkan(hostile={"/api/3/action/organization_list": raw_answer(orgs)}) as portal, \
            pytest.raises(CkanError, match="mendaftar 50 organisasi, lebih dari maks_organisasi = 10"):
        _client(portal, max_organisations=10).organization_list()


@pytest.mark.parametrize("length", [True, False])
def test_an_answer_larger_than_maks_mb_per_jawaban_is_refused(length):
    big = answer("organization_list", ["x" * 5000])
    with FakeCkan(hostile={"/api/3/action/organization_list": raw_answer(big, length=length)}) as portal, \
            pytest.raises(CkanError, match=r"lebih besar dari .* MB .*maks_mb_per_jawaban.*tidak disimpan"):
        _client(portal, max_bytes=1000).organization_list()


def test_deep_nesting_and_a_count_in_words_are_indonesian_errors():
    deep = b'{"success": true, "result": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    words = answer("package_search", {"count": "banyak", "results": [{"id": "a", "name": "a"}]})
    with FakeCkan(hostile={"/api/3/action/organization_list": raw_answer(deep),
                           "/api/3/action/package_search": raw_answer(words)}) as portal:  # fmt: skip
        client = _client(portal)
        with pytest.raises(CkanError, match="organization_list bersarang terlalu dalam untuk dibaca"):
            client.organization_list()
        with pytest.raises(CkanError, match="count = 'banyak' bukan bilangan bulat tidak negatif"):
            client.package_search("opd")


def test_the_limits_are_settings_checked_with_their_names():
    base = {"jenis": "ckan", "url": "https://data.demakkab.go.id"}
    problems = settings_problems({"sumber": {"portal": {**base, "maks_halaman": 0, "maks_organisasi": 2.5,
                                                        "maks_mb_per_jawaban": 5000,
                                                        "batas_waktu_total_detik": "lama"}}})  # fmt: skip
    text = "\n".join(problems)
    assert "[sumber.portal] maks_halaman = 0 di luar rentang 1-100000." in text
    assert "[sumber.portal] maks_organisasi = 2.5 harus bilangan bulat 1-100000." in text
    assert "[sumber.portal] maks_mb_per_jawaban = 5000 di luar rentang 1-2048." in text
    assert "[sumber.portal] batas_waktu_total_detik = 'lama' bukan angka." in text


def test_snapshot_names_are_read_only_inside_the_snapshot_folder(tmp_path):
    import hashlib

    round_raw = tmp_path / "raw" / "2024-04-01"
    folder = round_raw / "portal" / "portal"
    with FakeCkan() as portal:
        source = SourceSettings(name="portal", kind="ckan", url=portal.url, delay=0.0,
                                organisations=("dinas-pendidikan",))  # fmt: skip
        fetch_snapshot(source, folder, _client(portal, token=None))
    secret = round_raw / "lain.json"  # another file's answer, outside the snapshot
    secret.write_bytes(answer("package_search", {"count": 1, "results": [{"id": "luar", "name": "data-luar"}]}))
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    index = json.loads((folder / SNAPSHOT_INDEX).read_text(encoding="utf-8"))
    index["jawaban"] += [{"berkas": "../../lain.json", "aksi": "package_search"},
                         {"berkas": str(secret), "aksi": "package_search"}]  # fmt: skip
    index["berkas_sumber_daya"]["res-luar"] = "../../lain.json"
    (folder / SNAPSHOT_INDEX).write_text(json.dumps(index), encoding="utf-8")

    from satudata.sources.ckan import load_snapshot

    snapshot = load_snapshot(folder)
    assert [p["name"] for p in snapshot.packages] == ["jumlah-sekolah-dasar"]  # data-luar is not counted
    assert sorted(snapshot.resources) == ["res-sd"]
    assert snapshot.problems == [
        "Snapshot portal (snapshot.json): jawaban ke-2 berkas = '../../lain.json' menunjuk ke luar folder snapshot "
        "(nama mutlak, '..' atau tautan); entri ini tidak dibaca.",
        f"Snapshot portal (snapshot.json): jawaban ke-3 berkas = '{secret}' menunjuk ke luar folder snapshot "
        "(nama mutlak, '..' atau tautan); entri ini tidak dibaca.",
        "Snapshot portal (snapshot.json): berkas sumber daya res-luar = '../../lain.json' menunjuk ke luar folder "
        "snapshot (nama mutlak, '..' atau tautan); entri ini tidak dibaca.",
    ]
    assert hashlib.sha256(secret.read_bytes()).hexdigest() == digest
