"""Settings of a region, read from one TOML file in ``data/reference/``.

Everything a region changes to adopt the tool lives here: its name, the zone thresholds,
colours and labels, the files of its catalogue and register and the names of the columns
in its own catalogue. No code change is needed to adopt another region.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from satudata.formats import read_limits
from satudata.formats.read_limits import ReadLimits

ZONE_ORDER = ("hijau", "kuning", "merah")


@dataclass(frozen=True)
class ZoneSettings:
    """Zone thresholds (on the unrounded percent), colours and labels."""

    hijau: float = 90.0
    kuning: float = 50.0
    colours: dict[str, str] = field(
        default_factory=lambda: {"hijau": "#1B7F5F", "kuning": "#F0E442", "merah": "#C2410C"}
    )
    labels: dict[str, str] = field(
        default_factory=lambda: {"hijau": "Hijau", "kuning": "Kuning", "merah": "Merah"}
    )

    def __post_init__(self) -> None:
        if not 0 <= self.kuning < self.hijau <= 100:
            raise ValueError(
                "Ambang zona tidak masuk akal: harus 0 <= kuning < hijau <= 100 "
                f"(tertulis kuning={self.kuning}, hijau={self.hijau}). Perbaiki bagian [zona] "
                "di pengaturan.toml."
            )


@dataclass(frozen=True)
class CatalogueSettings:
    """Where the requirements catalogue is and how its columns are named."""

    file: str = "katalog.csv"
    sheet: str | None = None
    # region header -> standard column (kode_elemen, nama_elemen, satuan, kode_urusan,
    # nama_urusan, opd, tahun_awal, tahun_akhir, tahun, induk, tingkat)
    columns: dict[str, str] = field(default_factory=dict)
    # which hierarchy levels are owed: None = every row; e.g. [1] = top-level elements only
    levels_owed: list[int] | None = None
    # the evaluation window: the years owed (``tahun_wajib``, e.g. "2019-2023")
    default_years: str | None = None
    # [katalog.periode]: the region's frequency words (folded) -> how they are owed (satudata.reference.periods)
    frequencies: dict[str, Any] = field(default_factory=dict)
    # ``ketat = true``: a catalogue with any unusable row stops the round instead of excluding the row
    strict: bool = False


@dataclass(frozen=True)
class RegisterSettings:
    """Where the OPD register is and how its columns are named."""

    file: str = "opd.csv"
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MatchingSettings:
    """Thresholds of fuzzy matching (rapidfuzz scores, 0-100)."""

    element_threshold: float = 85.0
    opd_threshold: float = 85.0


# element names whose percent may exceed 100 (gross enrolment, growth, achievement against a target)
PERCENT_OVER_100 = ("partisipasi kasar", "apk", "pertumbuhan", "laju", "kenaikan", "perubahan", "capaian",
                    "realisasi", "rasio", "terhadap target")


@dataclass(frozen=True)
class UnitSettings:
    """``[satuan]``: the region's unit spellings (written -> canonical) and the percents that may pass 100."""

    spellings: dict[str, str] = field(default_factory=dict)
    percent_over_100: tuple[str, ...] = PERCENT_OVER_100


@dataclass(frozen=True)
class QualitySettings:
    """``[kualitas]``: thresholds of the plausibility checks (satudata.evaluation.plausibility)."""

    jump_ratio: float = 3.0  # rasio_lonjakan
    z_score: float = 3.5  # skor_z
    min_change: float = 10.0  # selisih_minimum
    copied_digits: int = 4  # digit_disalin
    total_tolerance: float = 0.5  # toleransi_jumlah_persen
    revision_pct: float = 1.0  # revisi_persen


@dataclass(frozen=True)
class RoundSettings:
    """``[putaran]``: the round calendar and the deadline for the next submissions.

    ``schedule`` (``jadwal``) lists the rounds' ISO dates; ``interval_days`` (``selang_hari``) the days
    between rounds, used past the end of the schedule (or alone). ``deadline`` (``batas_kirim``) is the
    ISO date by which the OPDs send what they still owe.
    """

    schedule: tuple[str, ...] = ()
    interval_days: int | None = None
    deadline: str | None = None

    @property
    def known(self) -> bool:
        """Whether the calendar tells the rounds after a given one."""
        return bool(self.schedule) or self.interval_days is not None

    def next_round(self, putaran: str) -> str | None:
        """The ISO date of the round after ``putaran`` by the calendar (None when it is not known)."""
        later = [d for d in self.schedule if d > str(putaran)[:10]]
        if later:
            return later[0]
        if self.interval_days is None:
            return None
        from datetime import timedelta

        last = max([str(putaran)[:10], *self.schedule])
        return (date.fromisoformat(last) + timedelta(days=self.interval_days)).isoformat()


@dataclass(frozen=True)
class ContactSettings:
    """``[kontak]``: who the OPDs ask about the evaluation."""

    name: str | None = None  # nama
    phone: str | None = None  # telepon
    email: str | None = None  # surel

    def text(self) -> str:
        """``Nama · telepon · surel`` (the parts that are set), or an empty text."""
        return " · ".join(p for p in (self.name, self.phone, self.email) if p)


@dataclass(frozen=True)
class OutputSettings:
    """``[keluaran]``: how CSV files are written (``csv_pemisah = ";"`` writes ``,`` decimals too)."""

    csv_separator: str = ","

    @property
    def csv_decimal(self) -> str:
        return "," if self.csv_separator == ";" else "."


# what each kind of source stands for in the reconciliation: the OPD's files, SIPD, or the open-data portal
SOURCE_ROLES = {"folder": "berkas", "dssd": "sipd", "ewalidata": "sipd", "ckan": "portal", "ckan_dump": "portal",
                "inventaris": "portal"}  # fmt: skip


@dataclass(frozen=True)
class SourceSettings:
    """One named source of ``[sumber.<nama>]`` (see ``pengaturan-contoh.toml``).

    ``files`` (``berkas``): glob patterns relative to the round folder ``data/raw/<round>/`` (``dssd``,
    ``ewalidata``, ``ckan_dump``, ``inventaris``). A ``ckan`` source keeps its snapshot in
    ``data/raw/<round>/portal/<nama>/``; its API token is read from the environment variable named by
    ``token_env`` (never written in the settings).
    """

    name: str
    kind: str
    files: tuple[str, ...] = ()
    url: str | None = None
    organisations: tuple[str, ...] = ()
    token_env: str | None = None
    rows: int = 100  # baris_per_halaman
    delay: float = 1.0  # jeda_detik between requests
    retries: int = 3  # percobaan_ulang after a 5xx or a timeout
    timeout: float = 30.0  # batas_waktu_detik
    resources: bool = True  # unduh_berkas: keep the resource files (CSV, XLSX) in the snapshot
    max_pages: int = 1000  # maks_halaman: package_search pages per organisation
    max_organisations: int = 1000  # maks_organisasi: organisations from organization_list
    max_mb: int = 50  # maks_mb_per_jawaban: the largest answer or resource file kept
    total_seconds: float = 3600.0  # batas_waktu_total_detik: the whole download of the source

    @property
    def role(self) -> str:
        """``berkas``, ``sipd`` or ``portal``."""
        return SOURCE_ROLES[self.kind]


@dataclass(frozen=True)
class ReportSettings:
    """``[laporan]``: the letterhead lines (``kop``) and who compiled the report (``disusun_oleh``)."""

    letterhead: tuple[str, ...] = ()  # kop
    compiled_by: str | None = None  # disusun_oleh


@dataclass(frozen=True)
class Settings:
    """All settings of one region."""

    region: str = "Kabupaten Demak"
    region_short: str = "Demak"
    timezone: str = "Asia/Jakarta"
    zones: ZoneSettings = field(default_factory=ZoneSettings)
    catalogue: CatalogueSettings = field(default_factory=CatalogueSettings)
    register: RegisterSettings = field(default_factory=RegisterSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    units: UnitSettings = field(default_factory=UnitSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    rounds: RoundSettings = field(default_factory=RoundSettings)
    contact: ContactSettings = field(default_factory=ContactSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    limits: ReadLimits | None = None  # [batas]: the limits files are read under (None: satudata.formats.read_limits.LIMITS)
    report: ReportSettings = field(default_factory=ReportSettings)
    source: Path | None = None
    # [sumber]: the named sources of a round; empty = the round folder only (as before [sumber] existed)
    sources: tuple[SourceSettings, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for provenance in reports and manifests (``sources`` only when configured)."""
        from dataclasses import asdict

        out = asdict(self)
        out["source"] = str(self.source) if self.source else None
        if not self.sources:
            out.pop("sources")
        return out


def load_settings(path: str | Path | None) -> Settings:
    """Read ``pengaturan.toml``. ``None`` gives the defaults (the demo region, 90/50); a path that does not
    exist is an error, never another region's defaults; bad settings raise
    :class:`satudata.reference.settings_check.SettingsError` listing every problem."""
    if path is None:
        return Settings()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"Berkas pengaturan {path} tidak ada. Salin satudata/reference/pengaturan-contoh.toml ke sana "
                                "lalu sesuaikan nama wilayah, berkas katalog dan daftar OPD.")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"Berkas pengaturan {path} tidak dapat dibaca: {exc}. Periksa penulisan TOML.") from exc
    return settings_from_dict(raw, source=path)


def settings_from_dict(raw: dict[str, Any], source: Path | None = None) -> Settings:
    """Build settings from the TOML structure (Indonesian section and key names); every problem is
    raised at once (:class:`satudata.reference.settings_check.SettingsError`)."""
    from satudata.reference.settings_check import SettingsError, settings_problems

    problems = settings_problems(raw)
    if problems:
        raise SettingsError(problems, source)
    region = raw.get("wilayah", {})
    zona = raw.get("zona", {})
    default_zones = ZoneSettings()
    zones = ZoneSettings(
        hijau=float(zona.get("hijau", default_zones.hijau)),
        kuning=float(zona.get("kuning", default_zones.kuning)),
        colours={**default_zones.colours, **zona.get("warna", {})},
        labels={**default_zones.labels, **zona.get("label", {})},
    )
    kat = raw.get("katalog", {})
    from satudata.reference.periods import frequencies_from_settings

    try:
        frequencies = frequencies_from_settings(dict(kat.get("periode", {})))
    except ValueError as exc:
        raise SettingsError([str(exc)], source) from None
    catalogue = CatalogueSettings(
        file=kat.get("berkas", "katalog.csv"),
        sheet=kat.get("sheet"),
        columns=dict(kat.get("kolom", {})),
        levels_owed=list(kat["tingkat_wajib"]) if "tingkat_wajib" in kat else None,
        default_years=kat.get("tahun_wajib", kat.get("jendela_tahun")),
        frequencies=frequencies,
        strict=bool(kat.get("ketat", False)),
    )
    sat = raw.get("satuan", {})
    units = UnitSettings(
        spellings={str(k): str(v) for k, v in sat.items() if isinstance(v, str)},
        percent_over_100=tuple(sat.get("persen_boleh_lebih_100", PERCENT_OVER_100)),
    )
    reg = raw.get("register", {})
    register = RegisterSettings(file=reg.get("berkas", "opd.csv"), columns=dict(reg.get("kolom", {})))
    cocok = raw.get("pencocokan", {})
    matching = MatchingSettings(
        element_threshold=float(cocok.get("ambang_elemen", 85)),
        opd_threshold=float(cocok.get("ambang_opd", 85)),
    )
    kual = raw.get("kualitas", {})
    dq = QualitySettings()
    quality = QualitySettings(
        jump_ratio=float(kual.get("rasio_lonjakan", dq.jump_ratio)),
        z_score=float(kual.get("skor_z", dq.z_score)),
        min_change=float(kual.get("selisih_minimum", dq.min_change)),
        copied_digits=int(kual.get("digit_disalin", dq.copied_digits)),
        total_tolerance=float(kual.get("toleransi_jumlah_persen", dq.total_tolerance)),
        revision_pct=float(kual.get("revisi_persen", dq.revision_pct)),
    )
    return Settings(
        region=region.get("nama", "Kabupaten Demak"),
        rounds=_round_settings(raw.get("putaran", {})),
        contact=_contact_settings(raw.get("kontak", {})),
        output=_output_settings(raw.get("keluaran", {})),
        limits=read_limits.from_settings(raw["batas"]) if raw.get("batas") else None,
        report=_report_settings(raw.get("laporan", {})),
        region_short=region.get("nama_singkat", region.get("nama", "Demak")),
        timezone=region.get("zona_waktu", "Asia/Jakarta"),
        zones=zones,
        catalogue=catalogue,
        register=register,
        matching=matching,
        units=units,
        quality=quality,
        source=source,
        sources=_source_settings(raw.get("sumber", {})),
    )


def _source_settings(raw: dict[str, Any]) -> tuple[SourceSettings, ...]:
    """``[sumber.<nama>]`` tables (already checked by :func:`satudata.reference.settings_check.source_problems`)."""
    out = []
    for name, table in raw.items():
        files = table.get("berkas", ())
        organisations = table.get("organisasi", ())
        default = SourceSettings(name, table["jenis"])
        out.append(SourceSettings(
            name=str(name), kind=str(table["jenis"]),
            files=(files,) if isinstance(files, str) else tuple(files),
            url=str(table["url"]).rstrip("/") if table.get("url") else None,
            organisations=(organisations,) if isinstance(organisations, str) else tuple(organisations),
            token_env=table.get("token_env"),
            rows=int(table.get("baris_per_halaman", default.rows)),
            delay=float(table.get("jeda_detik", default.delay)),
            retries=int(table.get("percobaan_ulang", default.retries)),
            timeout=float(table.get("batas_waktu_detik", default.timeout)),
            resources=bool(table.get("unduh_berkas", default.resources)),
            max_pages=int(table.get("maks_halaman", default.max_pages)),
            max_organisations=int(table.get("maks_organisasi", default.max_organisations)),
            max_mb=int(table.get("maks_mb_per_jawaban", default.max_mb)),
            total_seconds=float(table.get("batas_waktu_total_detik", default.total_seconds)),
        ))  # fmt: skip
    return tuple(out)


def _iso_date(value: object, key: str) -> str:
    text = str(value)[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            f"Tanggal {value!r} pada {key} di pengaturan.toml tidak dapat dibaca. Tulis sebagai TTTT-BB-HH, "
            'misalnya "2020-10-08".'
        ) from None


def _round_settings(raw: dict[str, Any]) -> RoundSettings:
    schedule = tuple(sorted(_iso_date(v, "[putaran] jadwal") for v in raw.get("jadwal", [])))
    interval = raw.get("selang_hari")
    if interval is not None and (not isinstance(interval, int) or isinstance(interval, bool) or interval < 1):
        raise ValueError(
            f"[putaran] selang_hari di pengaturan.toml harus bilangan bulat hari lebih dari 0 (tertulis {interval!r})."
        )
    deadline = raw.get("batas_kirim")
    return RoundSettings(
        schedule=schedule,
        interval_days=interval,
        deadline=_iso_date(deadline, "[putaran] batas_kirim") if deadline is not None else None,
    )


def _contact_settings(raw: dict[str, Any]) -> ContactSettings:
    def text(key: str) -> str | None:
        value = raw.get(key)
        return str(value).strip() or None if value is not None else None

    return ContactSettings(name=text("nama"), phone=text("telepon"), email=text("surel"))


def _report_settings(raw: dict[str, Any]) -> ReportSettings:
    kop = raw.get("kop", ())
    lines = (kop,) if isinstance(kop, str) else tuple(kop)
    compiled = str(raw.get("disusun_oleh") or "").strip() or None
    return ReportSettings(letterhead=tuple(str(v).strip() for v in lines if str(v).strip()), compiled_by=compiled)


def _output_settings(raw: dict[str, Any]) -> OutputSettings:
    separator = str(raw.get("csv_pemisah", ","))
    if separator not in {",", ";"}:
        raise ValueError(
            f'[keluaran] csv_pemisah di pengaturan.toml harus "," atau ";" (tertulis {separator!r}).'
        )
    return OutputSettings(csv_separator=separator)
