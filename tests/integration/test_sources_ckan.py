"""The CKAN client against a local portal serving recorded answers (never the network): paging, a 500 then
success, the token header, the snapshot replayed with the server stopped, and the same dataset-level
completeness from the snapshot as from the same datasets in a ``ckanapi dump`` file."""

from __future__ import annotations

import json

import pytest

from satudata.reference.catalogue import load_reference
from satudata.reference.settings import SourceSettings, load_settings
from satudata.sources.ckan import (
    SNAPSHOT_INDEX,
    CkanClient,
    CkanError,
    fetch_snapshot,
    load_snapshot,
    packages_inventory,
    read_dump,
)
from satudata.sources.portal import portal_completeness
from tests.ckan_server import FakeCkan
from tests.sources_reference import write_reference


def _source(url: str, **kw) -> SourceSettings:
    return SourceSettings(name="portal", kind="ckan", url=url, delay=0.0, rows=2, retries=2, **kw)


def test_package_search_pages_with_the_organisation_filter():
    with FakeCkan() as portal:
        client = CkanClient(portal.url, delay=0.0, sleep=lambda s: None)
        found, responses = client.package_search("dinas-kesehatan", rows=2)
        orgs, _ = client.organization_list()
    assert [p["name"] for p in found] == ["daftar-rumah-sakit-swasta", "jumlah-puskesmas", "jumlah-tenaga-kesehatan"]
    assert len(responses) == 2  # count 3 > rows 2: two pages
    searches = [q for a, q in portal.actions() if a == "package_search"]
    assert [(q["fq"], q["rows"], q["start"]) for q in searches] == [
        ("organization:dinas-kesehatan", "2", "0"), ("organization:dinas-kesehatan", "2", "2")]
    assert orgs == ["dinas-kesehatan", "dinas-pendidikan"]
    assert json.loads(responses[1].body)["result"]["count"] == 3


def test_requests_are_paced_by_jeda_detik():
    pauses: list[float] = []
    with FakeCkan() as portal:
        client = CkanClient(portal.url, delay=5.0, sleep=pauses.append)
        client.package_search("dinas-kesehatan", rows=2)
    assert client.requests == 2
    assert len(pauses) == 1 and 4.0 < pauses[0] <= 5.0  # the second page waits for the rest of the pause


def test_a_500_is_retried_with_a_pause_then_succeeds():
    pauses: list[float] = []
    with FakeCkan(fail_first={"/api/3/action/organization_list"}) as portal:
        client = CkanClient(portal.url, delay=0.0, retries=2, sleep=pauses.append)
        orgs, _ = client.organization_list()
    assert orgs == ["dinas-kesehatan", "dinas-pendidikan"]
    assert client.requests == 2
    assert pauses == [0.5]  # the first backoff pause (at least half a second even without jeda_detik)


def test_a_timeout_is_retried():
    pauses: list[float] = []
    with FakeCkan(slow_first={"/api/3/action/package_search"}) as portal:
        client = CkanClient(portal.url, delay=0.0, retries=1, timeout=0.5, sleep=pauses.append)
        found, _ = client.package_search("dinas-pendidikan")
    assert [p["name"] for p in found] == ["jumlah-sekolah-dasar"]
    assert client.requests == 2 and pauses == [0.5]


def test_errors_name_the_portal_and_what_to_do():
    with FakeCkan(fail_first={"/api/3/action/organization_list"}) as portal:
        client = CkanClient(portal.url, delay=0.0, retries=0, sleep=lambda s: None)
        with pytest.raises(CkanError, match="Portal menjawab 500"):
            client.organization_list()
        with pytest.raises(CkanError, match="404 .*periksa url"):
            client.call("tidak_ada")
    with pytest.raises(CkanError, match="tidak dapat dihubungi .* setelah 2 percobaan"):
        CkanClient(portal.url, delay=0.0, retries=1, timeout=2, sleep=lambda s: None).organization_list()


def test_the_token_comes_from_the_environment_and_is_sent_as_authorization(tmp_path):
    from satudata.sources.ckan import client_for

    with FakeCkan() as portal:
        source = _source(portal.url, token_env="SATUDATA_TES_TOKEN", organisations=("dinas-pendidikan",))
        with pytest.raises(CkanError, match="SATUDATA_TES_TOKEN .*kosong"):
            client_for(source, environ={})
        client = client_for(source, environ={"SATUDATA_TES_TOKEN": "rahasia-123"}, sleep=lambda s: None)
        folder = fetch_snapshot(source, tmp_path / "portal" / "portal", client)
    assert {e["headers"].get("Authorization") for e in portal.log} == {"rahasia-123"}
    assert [q.get("include_private") for a, q in portal.actions() if a == "package_search"] == ["true"]
    assert all("rahasia-123" not in p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


def test_snapshot_is_kept_and_replayed_offline_byte_for_byte(tmp_path):
    folder = tmp_path / "raw" / "2024-04-01" / "portal" / "portal"
    with FakeCkan() as portal:
        source = _source(portal.url, organisations=("dinas-kesehatan", "dinas-pendidikan"))
        fetch_snapshot(source, folder, CkanClient(portal.url, delay=0.0, sleep=lambda s: None))
        sent = len(portal.log)
    # 3 package_search pages (2 + 1), 2 resource files fetched, 1 missing file (404) noted
    assert sent == 6
    index = json.loads((folder / SNAPSHOT_INDEX).read_text(encoding="utf-8"))
    assert [e["aksi"] for e in index["jawaban"]] == ["package_search"] * 3
    assert sorted(index["berkas_sumber_daya"]) == ["res-puskesmas", "res-sd"]
    assert list(index["berkas_gagal"]) == ["res-nakes"]
    before = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    # the server is stopped: an existing snapshot never goes to the network
    again = fetch_snapshot(source, folder, CkanClient(portal.url, delay=0.0, retries=0, sleep=lambda s: None))
    assert again == folder
    after = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    snap = load_snapshot(folder)
    assert [p["name"] for p in snap.packages] == ["daftar-rumah-sakit-swasta", "jumlah-puskesmas",
                                                   "jumlah-sekolah-dasar", "jumlah-tenaga-kesehatan"]  # fmt: skip
    assert snap.resources["res-puskesmas"].read_text(encoding="utf-8").startswith("Uraian,Satuan,2021")
    inventory = packages_inventory(snap.packages, snap.index["url"])
    row = inventory.set_index("judul_tabel").loc["Jumlah Puskesmas di Kabupaten Demak"]
    assert (row["kode_elemen"], row["tahun"], row["tanggal_terbit"], row["produsen"]) == (
        "1.02.0001", (2021, 2022, 2023), "2024-03-04", "Dinas Kesehatan")
    assert inventory.set_index("judul_tabel").loc["Jumlah Tenaga Kesehatan", "tahun"] == (2022,)


def test_no_snapshot_and_no_portal_is_a_clear_error(tmp_path):
    with pytest.raises(CkanError, match="belum ada. Jalankan `satudata sumber"):
        load_snapshot(tmp_path / "portal" / "x")


def test_snapshot_and_ckanapi_dump_give_the_same_completeness(tmp_path):
    ref = write_reference(tmp_path)
    settings = load_settings(ref / "pengaturan.toml")
    register, catalogue = load_reference(ref, settings)
    folder = tmp_path / "portal" / "portal"
    with FakeCkan() as portal:
        source = _source(portal.url, organisations=())  # no organisation named: organization_list first
        fetch_snapshot(source, folder, CkanClient(portal.url, delay=0.0, sleep=lambda s: None))
        assert portal.actions()[0][0] == "organization_list"
    snap = load_snapshot(folder)
    dump = tmp_path / "datasets.jsonl"
    # ckanapi writes one dataset per line, in its own order
    dump.write_text("\n".join(json.dumps(p) for p in reversed(snap.packages)) + "\n", encoding="utf-8")
    from_snapshot = portal_completeness(packages_inventory(snap.packages), register, catalogue, settings)
    from_dump = portal_completeness(packages_inventory(read_dump(dump)), register, catalogue, settings)
    assert from_snapshot.per_opd.to_dict("records") == from_dump.per_opd.to_dict("records")
    per = from_dump.per_opd.set_index("kode_opd")
    # DINKES: puskesmas by code (2021-2023), tenaga kesehatan by title (2022); DISDIK: sekolah dasar by title
    assert per.loc["DINKES", ["dataset", "cocok_kode", "cocok_judul", "item_tercakup", "item_wajib"]].tolist() == [
        3, 1, 1, 4, 6]
    assert per.loc["DISDIK", ["dataset", "cocok_judul", "item_tercakup", "item_wajib"]].tolist() == [1, 1, 2, 6]


def test_a_bad_dump_line_is_named(tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"name": "a"}\nbukan json\n', encoding="utf-8")
    with pytest.raises(ValueError, match="baris 2: bukan JSON"):
        read_dump(dump)


def test_the_token_is_not_sent_to_a_resource_on_another_host():
    with FakeCkan() as portal, FakeCkan() as other:
        client = CkanClient(portal.url, token="rahasia-123", delay=0.0, sleep=lambda s: None)
        client.organization_list()
        assert client.download(f"{other.url}/files/sekolah.csv").startswith(b"Uraian,Satuan")
    assert portal.log[0]["headers"].get("Authorization") == "rahasia-123"
    assert "Authorization" not in other.log[0]["headers"]
