"""Province choropleth drawn fully offline (pure plotly, no Streamlit).

The polygons come from the committed ``data/reference/geo/provinsi.geojson`` (33 Natural Earth
provinces); ``provinsi_induk.csv`` says in which polygon each of the 38 provinces is drawn, so
provinces created after the map source (Kalimantan Utara, the 2022 Papua provinces) are drawn in
their parent's polygon and listed by name in its hover text. The trace is ``choroplethmap``
(MapLibre) with ``map_style="white-bg"``: no tiles, no topojson, nothing fetched from a CDN.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from domain.instrument import REFERENCE_DIR
from rendering import theme
from rendering.format import MISSING, integer, num
from rendering.safe_text import plot

GEO_DIR = REFERENCE_DIR / "geo"
GEOJSON_PATH = GEO_DIR / "provinsi.geojson"
# The outlines the dashboard draws: GEOJSON_PATH simplified ONCE, offline, and committed
# (`python -m rendering.maps` rewrites it; a unit test checks the committed file is that output).
SIMPLIFIED_PATH = GEO_DIR / "provinsi_sederhana.geojson"
PARENTS_PATH = GEO_DIR / "provinsi_induk.csv"
FEATURE_ID_KEY = "properties.kode_provinsi"
MAP_STYLE = "white-bg"
CENTER = {"lat": -2.6, "lon": 118.0}
ZOOM = 3.55
NO_DATA_COLOR = "#e4e7eb"
# sequential, colour-blind safe (light → Okabe–Ito blue → dark)
COLOR_SCALE = [[0.0, "#f0f7fc"], [0.35, "#9ecae1"], [0.7, "#0072B2"], [1.0, "#08306b"]]


# Douglas–Peucker tolerance for the outlines, in degrees (~2 km): at the dashboard's zoom a pixel is
# ~0.12°, in a 3× PNG export ~0.04°, so nothing visible changes; the JSON the map carries per trace
# (and that every rerun serialises and sends) drops from 253 KB to ~90 KB.
SIMPLIFY_DEGREES = 0.02


def _simplify_line(points: list, tolerance: float) -> list:
    """Douglas–Peucker: the points of `points` needed to stay within `tolerance` of it (ends kept)."""
    if len(points) < 3:
        return points
    keep = {0, len(points) - 1}
    stack, tol2 = [(0, len(points) - 1)], tolerance * tolerance
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a][:2], points[b][:2]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        far, far_d2 = -1, tol2
        for i in range(a + 1, b):
            px, py = points[i][:2]
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
            d2 = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2
            if d2 > far_d2:
                far, far_d2 = i, d2
        if far > 0:
            keep.add(far)
            stack += [(a, far), (far, b)]
    return [points[i] for i in sorted(keep)]


def simplify_geojson(geojson: dict, tolerance: float = SIMPLIFY_DEGREES) -> dict:
    """Copy of a (Multi)Polygon FeatureCollection with every ring simplified; a ring that would
    collapse (fewer than 4 points: a small island) is kept as it is, so no area disappears."""
    def ring(r: list) -> list:
        out = _simplify_line(r, tolerance)
        return out if len(out) >= 4 else r

    def polygon(rings: list) -> list:
        return [ring(r) for r in rings]

    features = []
    for f in geojson["features"]:
        geom = f["geometry"]
        coords = ([polygon(p) for p in geom["coordinates"]] if geom["type"] == "MultiPolygon"
                  else polygon(geom["coordinates"]) if geom["type"] == "Polygon" else geom["coordinates"])
        features.append({**f, "geometry": {**geom, "coordinates": coords}})
    return {**geojson, "features": features}


def simplified_text(path: Path | str = GEOJSON_PATH, tolerance: float = SIMPLIFY_DEGREES) -> str:
    """The committed form of the simplified outlines (compact JSON, one line)."""
    gj = json.loads(Path(path).read_text(encoding="utf-8"))
    return json.dumps(simplify_geojson(gj, tolerance) if tolerance else gj, separators=(",", ":")) + "\n"


@lru_cache(maxsize=4)
def _read_geojson(path: str, tolerance: float) -> str:
    if Path(path) == GEOJSON_PATH and tolerance == SIMPLIFY_DEGREES:
        return SIMPLIFIED_PATH.read_text(encoding="utf-8")      # simplified offline, committed
    return simplified_text(path, tolerance)


def load_geojson(path: Path | str = GEOJSON_PATH, tolerance: float = SIMPLIFY_DEGREES) -> dict:
    """The province FeatureCollection, outlines simplified to `tolerance` degrees (0: as in the file);
    the default is the committed, already simplified file. A fresh dict each call; each file is read
    once per process."""
    return json.loads(_read_geojson(str(path), float(tolerance)))


if __name__ == "__main__":   # python -m rendering.maps: rewrite the committed simplified outlines
    SIMPLIFIED_PATH.write_text(simplified_text(), encoding="utf-8")
    print(f"{SIMPLIFIED_PATH.name}: {SIMPLIFIED_PATH.stat().st_size} bita (toleransi {SIMPLIFY_DEGREES}°)")


def feature_subset(geojson: dict, ids) -> dict:
    """The FeatureCollection with only the features of `ids` (a trace carries only what it draws)."""
    wanted = {str(i) for i in ids}
    return {**geojson, "features": [f for f in geojson["features"]
                                     if str(f["properties"]["kode_provinsi"]) in wanted]}


def load_parents(path: Path | str = PARENTS_PATH) -> pd.DataFrame:
    """kode_provinsi → kode_provinsi_peta (polygon it is drawn in), with the reason."""
    return pd.read_csv(path, dtype={"kode_provinsi": str, "kode_provinsi_peta": str})


def feature_ids(geojson: dict) -> list[str]:
    return [str(f["properties"]["kode_provinsi"]) for f in geojson["features"]]


def mapped_children(parents: pd.DataFrame, present: set[str] | None = None) -> pd.DataFrame:
    """Provinces drawn in another province's polygon (optionally only those in `present`)."""
    kids = parents[parents["kode_provinsi"] != parents["kode_provinsi_peta"]]
    if present is not None:
        kids = kids[kids["kode_provinsi"].isin(present)]
    names = parents.set_index("kode_provinsi")["provinsi"]
    return kids.assign(provinsi_induk=kids["kode_provinsi_peta"].map(names)).reset_index(drop=True)


def polygon_values(df: pd.DataFrame, value_col: str, parents: pd.DataFrame, *, how: str = "induk",
                   weight_col: str | None = None) -> pd.DataFrame:
    """One row per map polygon with the value it is coloured by and the provinces drawn in it.

    df: one row per province (kode_provinsi, provinsi, value_col[, weight_col]).
    how="induk": a shared polygon shows its own (parent) province's value; the child provinces'
    values go to the hover text only, so no province is shown as if it had the parent's area.
    how="gabungan": the mean over the provinces drawn in it, weighted by weight_col when given
    (e.g. number of kab/kota, giving the mean over all kab/kota of the area).
    Columns: kode_provinsi_peta, provinsi_peta, nilai, jumlah_provinsi, jumlah_bernilai, anggota.
    """
    if how not in ("induk", "gabungan"):
        raise ValueError(f"how harus 'induk' atau 'gabungan', bukan {how!r}")
    m = df.merge(parents[["kode_provinsi", "kode_provinsi_peta"]], on="kode_provinsi", how="left")
    m["kode_provinsi_peta"] = m["kode_provinsi_peta"].fillna(m["kode_provinsi"])
    names = parents.set_index("kode_provinsi")["provinsi"].to_dict()
    rows = []
    for kode, part in m.groupby("kode_provinsi_peta", sort=True):
        has = part[part[value_col].notna()]
        if weight_col:
            has = has[has[weight_col].fillna(0) > 0]
        if how == "induk":
            own = has[has["kode_provinsi"] == kode]
            nilai = float(own[value_col].iloc[0]) if len(own) else None
        elif weight_col:
            w = has[weight_col].astype(float)
            nilai = float((has[value_col] * w).sum() / w.sum()) if len(has) else None
        else:
            nilai = float(has[value_col].mean()) if len(has) else None
        members = part.sort_values("kode_provinsi")
        lines = [f"{plot(r.provinsi)}: {num(getattr(r, value_col))}"
                 + (f" ({integer(getattr(r, weight_col))} kab/kota)" if weight_col else "")
                 for r in members.itertuples()]
        rows.append({"kode_provinsi_peta": kode, "provinsi_peta": plot(names.get(kode, kode)), "nilai": nilai,
                     "jumlah_provinsi": len(members), "jumlah_bernilai": len(has),
                     "anggota": "<br>".join(lines) if len(lines) > 1 or weight_col else ""})
    return pd.DataFrame(rows, columns=["kode_provinsi_peta", "provinsi_peta", "nilai", "jumlah_provinsi",
                                       "jumlah_bernilai", "anggota"])


def province_choropleth(poly: pd.DataFrame, geojson: dict, *, value_label: str, title: str,
                        highlight_kode: str | None = None, range_color: tuple[float, float] | None = None,
                        color_note: str = "nilai provinsi induk", height: int = 540) -> go.Figure:
    """Choropleth of polygon values (frame from polygon_values) on the local GeoJSON.

    Polygons without a value stay light grey ("tidak ada nilai"); the province of the instansi
    under study (its polygon) gets a dark outline. Each layer carries only the features it draws: a
    polygon's outline is sent once, not once in a base layer and again in the value layer.
    """
    ids = feature_ids(geojson)
    fig = go.Figure()
    data = poly[poly["nilai"].notna() & poly["kode_provinsi_peta"].isin(ids)]
    valued = set(data["kode_provinsi_peta"].astype(str))
    missing = [i for i in ids if i not in valued]
    blank = feature_subset(geojson, missing)  # grey base layer: only the polygons without a value (may be none)
    fig.add_trace(go.Choroplethmap(
        geojson=blank, featureidkey=FEATURE_ID_KEY, locations=missing, z=[0] * len(missing),
        colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]], showscale=False, name="Tidak ada nilai",
        marker={"line": {"color": "#ffffff", "width": 0.6}},
        customdata=[f["properties"].get("provinsi", "") for f in blank["features"]],
        hovertemplate="<b>%{customdata}</b><br>tidak ada nilai<extra></extra>",
    ))
    if len(data):
        lo, hi = range_color or (float(data["nilai"].min()), float(data["nilai"].max()))
        if hi - lo < 0.1:
            lo, hi = lo - 0.05, hi + 0.05
        extra = ["" if n <= 1 else f"<br><i>{n} provinsi digambar pada poligon ini; warna = {color_note}</i>"
                 for n in data["jumlah_provinsi"]]
        fig.add_trace(go.Choroplethmap(
            geojson=feature_subset(geojson, data["kode_provinsi_peta"]), featureidkey=FEATURE_ID_KEY,
            locations=data["kode_provinsi_peta"], z=data["nilai"],
            zmin=lo, zmax=hi, colorscale=COLOR_SCALE, name=value_label,
            marker={"line": {"color": "#ffffff", "width": 0.6}, "opacity": 0.95},
            colorbar={"title": {"text": value_label, "side": "right"}, "tickformat": ".2f", "thickness": 14,
                      "len": 0.8},
            customdata=list(zip(data["provinsi_peta"], data["anggota"], extra)),
            hovertemplate="<b>%{customdata[0]}</b><br>" + value_label + ": %{z:.2f}%{customdata[2]}"
                          "<br>%{customdata[1]}<extra></extra>",
        ))
    if highlight_kode and highlight_kode in ids:
        fig.add_trace(go.Choroplethmap(
            geojson=feature_subset(geojson, [highlight_kode]), featureidkey=FEATURE_ID_KEY, locations=[highlight_kode], z=[0],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            name="Provinsi instansi yang dikaji", marker={"line": {"color": theme.PALETTE[3], "width": 3}},
            hoverinfo="skip",
        ))
    fig.update_layout(
        title=plot(title), template=theme.TEMPLATE, height=height,
        map={"style": MAP_STYLE, "center": CENTER, "zoom": ZOOM},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


def province_table(df: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """province_map rows with the polygon each province is drawn in ('—' for its own)."""
    names = parents.set_index("kode_provinsi")["provinsi"].to_dict()
    peta = df["kode_provinsi"].map(parents.set_index("kode_provinsi")["kode_provinsi_peta"]).fillna(df["kode_provinsi"])
    out = df.copy()
    out["digambar_pada"] = [MISSING if p == k else names.get(p, p) for k, p in zip(df["kode_provinsi"], peta)]
    return out
