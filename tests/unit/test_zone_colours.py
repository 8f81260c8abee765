"""Zone colours stay apart for readers with deuteranopia, and the zone is never told by colour alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from satudata.outputs.zone_view import zone_cell, zone_text, zone_view
from satudata.reference.settings import Settings, load_settings

# Machado, Oliveira and Fernandes (2009): deuteranopia at severity 1.0, on linear RGB
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
EXAMPLE = Path(__file__).resolve().parents[2] / "satudata" / "reference" / "pengaturan-contoh.toml"


def _linear(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_with_deuteranopia(colour: str) -> np.ndarray:
    """CIE Lab of ``colour`` as a reader with deuteranopia sees it."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return _lab(np.clip(DEUTERANOPIA @ _linear(rgb), 0, 1))


@pytest.mark.parametrize("settings", [Settings(), load_settings(EXAMPLE)], ids=["bawaan", "contoh"])
def test_zone_colours_stay_apart_for_deuteranopia(settings):
    c = settings.zones.colours
    pairs = [("hijau", "merah"), ("hijau", "kuning"), ("kuning", "merah")]
    distances = {p: float(np.linalg.norm(seen_with_deuteranopia(c[p[0]]) - seen_with_deuteranopia(c[p[1]])))
                 for p in pairs}
    assert all(d >= 40 for d in distances.values()), distances  # CIE76 ΔE: clearly different colours


def test_the_old_green_and_red_were_confused():
    # the palette before issue 12: dark green and dark red look alike (ΔE 15.8) to a deuteranope
    d = np.linalg.norm(seen_with_deuteranopia("#2E7D32") - seen_with_deuteranopia("#C62828"))
    assert 15 < d < 17


def test_every_zone_mark_carries_a_symbol_and_a_word():
    s = Settings()
    assert [zone_text(s, z) for z in ("hijau", "kuning", "merah")] == ["● Hijau", "▲ Kuning", "■ Merah"]
    assert zone_text(s, None) == "–"
    view = zone_view(s, "kuning")
    assert view == {"key": "kuning", "label": "Kuning", "symbol": "▲", "bg": "#F0E442", "ink": "#000000"}
    assert zone_view(s, "merah")["ink"] == "#FFFFFF" and zone_view(s, "hijau")["ink"] == "#FFFFFF"
    assert zone_cell(s, "merah", "46,7")["zone"]["symbol"] == "■"
