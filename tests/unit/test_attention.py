"""Perlu perhatian: the round facts' list of OPDs to act on (merah, kuning, stalled, falling), what they owe, deadline and next round, headline."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from satudata.evaluation.zones import zone_series
from satudata.outputs import report
from satudata.outputs.attention import BOTH, FALLING, NEVER_SENT, RED, STALLED, YELLOW, attention
from satudata.reference.settings import settings_from_dict

CALENDAR = {"putaran": {"jadwal": ["2020-08-13", "2020-08-27", "2020-09-10"], "batas_kirim": "2020-09-07"}}


def _rounds(settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    # kode: (nama, wajib, percent before, percent now)
    opds = {"A": ("Dinas A", 10, 30.0, 30.0), "B": ("Dinas B", 20, 80.0, 70.0), "C": ("Dinas C", 20, 85.0, 95.0),
            "D": ("Dinas D", 10, 100.0, 100.0), "E": ("Kecamatan <E>", 5, 60.0, 60.0), "F": ("Dinas F", 0, np.nan, np.nan)}
    frames = []
    for putaran, column in (("2020-08-13", 2), ("2020-08-27", 3)):
        rows = [{"putaran": putaran, "kode_opd": k, "nama_opd": v[0], "singkatan": k, "jenis": "dinas",
                 "wajib": v[1], "persen": v[column],
                 "terpenuhi": int(round((v[column] if v[column] == v[column] else 0) * v[1] / 100))}
                for k, v in opds.items()]
        frame = pd.DataFrame(rows)
        frame["zona"] = zone_series(frame["persen"], settings.zones)
        frames.append(frame)
    now = frames[1].assign(selisih=frames[1]["persen"] - frames[0]["persen"])
    return now, pd.concat(frames, ignore_index=True)


def test_merah_stalled_and_falling_lowest_first_with_items_owed():
    settings = settings_from_dict(CALENDAR)
    now, history = _rounds(settings)
    found = attention(now, history, "2020-08-27", settings)
    got = [(i.kode_opd, i.alasan, i.kurang, i.wajib) for i in found.items]
    assert got == [("A", (RED, STALLED), 7, 10), ("E", (YELLOW, STALLED), 2, 5), ("B", (YELLOW, FALLING), 6, 20)]
    assert found.counts == {NEVER_SENT: 0, RED: 1, YELLOW: 2, STALLED: 2, FALLING: 1, BOTH: 1}
    # hijau needs 90 %: A (3 of 10) lacks 6 for hijau and 2 for kuning; E (3 of 5) 2; B (14 of 20) 4, not 6
    assert [(i.facts.ke_hijau, i.facts.ke_kuning) for i in found.items] == [(6, 2), (2, 0), (4, 0)]
    assert found.batas_kirim == "Senin, 7 September 2020" and found.batas_tersendiri
    assert found.putaran_berikutnya == "Kamis, 10 September 2020"
    assert found.rata_rata == (30 + 70 + 95 + 100 + 60) / 5  # the mean of the OPD percents
    assert (found.terpenuhi, found.wajib) == (3 + 14 + 19 + 10 + 3, 65)
    html = report.attention_html(now, history, "2020-08-27", settings)
    assert re.findall(r'href="#opd-(\w+)"', html) == ["A", "E", "B"]
    assert "Kecamatan &lt;E&gt;" in html
    assert ("3 OPD perlu tindakan: 1 di zona merah, 2 di zona kuning, 2 tidak bergerak dan 1 turun sejak putaran "
            "sebelumnya (1 OPD merah juga tidak naik).") in html
    assert "kurang 4 butir ke hijau; masih kurang <strong>6</strong> dari 20 butir" in html
    assert "tindakan: kirim 2 butir ke kuning (6 butir ke hijau)" in html
    assert "Batas kirim: <strong class=\"batas-kirim\">Senin, 7 September 2020</strong>" in html
    assert "belum hijau, turun (−10,0 poin)" in html and "masih kurang <strong>6</strong> dari 20 butir" in html
    assert "71,0 %" in html and "gabungan butir 75,4 % (49 dari 65 butir)" in html


def test_first_round_lists_merah_and_kuning_and_says_why():
    settings = settings_from_dict({"putaran": {"selang_hari": 14}})
    now, history = _rounds(settings)
    first = history[history["putaran"] == "2020-08-13"]
    found = attention(first, first, "2020-08-13", settings)
    assert [i.kode_opd for i in found.items] == ["A", "E", "B", "C"] and found.putaran_pertama
    assert not found.batas_tersendiri and found.putaran_berikutnya == "Kamis, 27 Agustus 2020"
    html = report.attention_html(first, first, "2020-08-13", settings)
    assert "kekurangan dikirim sebelum tanggal itu" in html
    assert "baru dapat dikenali mulai putaran kedua" in html


def test_without_a_calendar_the_block_says_what_to_set():
    settings = settings_from_dict({})
    now, history = _rounds(settings)
    html = report.attention_html(now, history, "2020-08-27", settings)
    assert "Tanggal putaran berikutnya dan batas kirim belum diatur" in html
