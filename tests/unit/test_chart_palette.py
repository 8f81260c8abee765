"""Charts are embedded as palette PNGs: the most used colours exactly, the rest (anti-aliasing) to the nearest."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from satudata.outputs.charts import palette_png, png_bytes

ZONES = {"hijau": "#1B7F5F", "kuning": "#F0E442", "merah": "#C2410C"}


def _rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _bars() -> Figure:
    fig = Figure(figsize=(8, 5), dpi=100)
    ax = fig.subplots()
    for i, colour in enumerate(ZONES.values()):
        ax.barh([i * 3 + k for k in range(3)], [95 - 30 * i, 80 - 20 * i, 60 - 10 * i], color=colour)
    ax.set_title("Capaian per OPD: zona hijau, kuning dan merah")
    for y in range(9):
        ax.text(1, y, f"OPD nomor {y} dengan nama yang panjang", fontsize=9)
    return fig


def test_a_chart_in_a_palette_keeps_its_main_colours_and_shrinks():
    fig = _bars()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    full = buffer.getvalue()
    small = png_bytes(fig)
    assert Image.open(io.BytesIO(small)).mode == "P" and len(small) < len(full)
    before, after = _rgb(full), _rgb(small)
    assert before.shape == after.shape == (500, 800, 3)
    colours = {tuple(c) for c in after.reshape(-1, 3)}
    assert len(colours) <= 256
    for hex_colour in ZONES.values():  # every bar colour kept exactly
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours
        assert ((before == rgb).all(axis=2) == (after == rgb).all(axis=2)).all()
    changed = (np.abs(before - after).sum(axis=2) > 0).mean()
    assert changed < 0.02  # only shades at the edges of letters and bars moved


def test_few_colours_are_kept_exactly_and_transparency_is_left_alone():
    grid = np.zeros((40, 60, 3), dtype=np.uint8)
    grid[:, :20] = (27, 127, 95)
    grid[:, 20:40] = (240, 228, 66)
    grid[:, 40:] = (255, 255, 255)
    buffer = io.BytesIO()
    Image.fromarray(grid, mode="RGB").save(buffer, format="PNG")
    out = palette_png(buffer.getvalue())
    assert (_rgb(out) == grid).all()
    transparent = io.BytesIO()
    Image.fromarray(np.dstack([grid, np.full((40, 60), 128, np.uint8)]), mode="RGBA").save(transparent, format="PNG")
    assert palette_png(transparent.getvalue()) == transparent.getvalue()
