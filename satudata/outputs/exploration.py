"""Questions across rounds, for ``notebooks/05_eksplorasi.ipynb``: tables computed from the
processed outputs (``progres_urusan``, ``progres_jenis``, ``riwayat``, ``kekurangan`` of every round).

Every function is pure: DataFrames in, a DataFrame out. Percents stay unrounded; the views format them.
"""

from __future__ import annotations

import pandas as pd

from satudata.common.names import fold


def _rounds(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["putaran"].astype(str).unique())


def over_rounds(frame: pd.DataFrame, keys: list[str], value: str = "persen") -> pd.DataFrame:
    """One row per ``keys``, one column per round holding ``value`` (the table's ``persen`` by default)."""
    if frame.empty:
        return pd.DataFrame(columns=keys)
    data = frame.assign(putaran=frame["putaran"].astype(str))
    for key in keys:
        data[key] = data[key].astype("object")
    wide = data.groupby([*keys, "putaran"], dropna=False, sort=True)[value].first().unstack("putaran")
    wide = wide.reindex(columns=_rounds(data)).reset_index()
    wide.columns.name = None
    return wide


def urusan_over_rounds(progres_urusan: pd.DataFrame) -> pd.DataFrame:
    """Pooled percent of each urusan per round, lowest in the latest round first."""
    wide = over_rounds(progres_urusan, ["kode_urusan", "nama_urusan"])
    rounds = [c for c in wide.columns if c not in ("kode_urusan", "nama_urusan")]
    if rounds:
        wide = wide.sort_values([rounds[-1], "kode_urusan"], na_position="first", kind="stable")
    return wide.reset_index(drop=True)


def jenis_over_rounds(progres_jenis: pd.DataFrame) -> pd.DataFrame:
    """Pooled percent of each kind of producer per round."""
    return over_rounds(progres_jenis, ["jenis"]).sort_values("jenis").reset_index(drop=True)


def movers(riwayat: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The producers whose percent changed most between their first and their latest round."""
    columns = ["kode_opd", "nama_opd", "jenis", "putaran_awal", "persen_awal", "zona_awal", "putaran_akhir",
               "persen_akhir", "zona_akhir", "perubahan"]
    if riwayat.empty:
        return pd.DataFrame(columns=columns)
    hist = riwayat.assign(putaran=riwayat["putaran"].astype(str)).dropna(subset=["persen"])
    hist = hist.sort_values(["kode_opd", "putaran"], kind="stable")
    first = hist.groupby("kode_opd", sort=False).head(1).set_index("kode_opd")
    last = hist.groupby("kode_opd", sort=False).tail(1).set_index("kode_opd")
    out = pd.DataFrame({
        "nama_opd": last["nama_opd"], "jenis": last["jenis"],
        "putaran_awal": first["putaran"], "persen_awal": first["persen"], "zona_awal": first["zona"],
        "putaran_akhir": last["putaran"], "persen_akhir": last["persen"], "zona_akhir": last["zona"],
    })
    out["perubahan"] = out["persen_akhir"] - out["persen_awal"]
    out = out.reset_index()
    out["_abs"] = out["perubahan"].abs()
    out = out.sort_values(["_abs", "kode_opd"], ascending=[False, True], kind="stable").head(n)
    return out[columns].reset_index(drop=True)


def find_opd(riwayat: pd.DataFrame, opd: str) -> str:
    """The ``kode_opd`` of a producer named by code, abbreviation or name (case and spacing ignored)."""
    wanted = fold(str(opd))
    for column in ("kode_opd", "singkatan", "nama_opd"):
        if column not in riwayat.columns:
            continue
        hits = riwayat.loc[riwayat[column].astype(str).map(fold) == wanted, "kode_opd"].unique()
        if len(hits):
            return str(hits[0])
    raise KeyError(f"OPD '{opd}' tidak ada di riwayat. Tulis kode_opd, singkatan atau nama OPD yang ada.")


def opd_history(riwayat: pd.DataFrame, kode_opd: str) -> pd.DataFrame:
    """One producer's rounds: owed, fulfilled, percent, zone, change, oldest first."""
    columns = ["putaran", "wajib", "terpenuhi", "persen", "zona", "selisih"]
    rows = riwayat[riwayat["kode_opd"].astype(str) == str(kode_opd)]
    rows = rows.assign(putaran=rows["putaran"].astype(str)).sort_values("putaran", kind="stable")
    return rows[columns].reset_index(drop=True)


def missing_longest(kekurangan: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The items (element x year of a producer) missing in the most rounds, still missing in the latest."""
    columns = ["kode_opd", "nama_opd", "kode_elemen", "nama_elemen", "tahun", "jumlah_putaran",
               "kurang_sejak", "status_terakhir"]
    if kekurangan.empty:
        return pd.DataFrame(columns=columns)
    data = kekurangan.assign(putaran=kekurangan["putaran"].astype(str))
    for column in ("kode_opd", "nama_opd", "kode_elemen", "nama_elemen", "status_terakhir"):
        data[column] = data[column].astype("object")
    latest = max(data["putaran"])
    keys = ["kode_opd", "kode_elemen", "tahun"]
    grouped = data.sort_values("putaran", kind="stable").groupby(keys, sort=False)
    out = grouped.agg(nama_opd=("nama_opd", "last"), nama_elemen=("nama_elemen", "last"),
                      jumlah_putaran=("putaran", "nunique"), kurang_sejak=("putaran", "min"),
                      terakhir=("putaran", "max"), status_terakhir=("status_terakhir", "last")).reset_index()
    out = out[out["terakhir"] == latest]
    out = out.sort_values(["jumlah_putaran", "kode_opd", "kode_elemen", "tahun"],
                          ascending=[False, True, True, True], kind="stable").head(n)
    return out[columns].reset_index(drop=True)
