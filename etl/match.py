"""Find the master instansi a file means: by id, by Kemendagri code, by name, by alias, else fuzzily.

Only id/code/exact-name/alias matches are used. A fuzzy match is never merged silently: the row is
not loaded and a "tinjau" issue names the candidates with their similarity (rapidfuzz ratio on the
normalised names). Normalising removes "Pemerintah"/"Pemkab"/"Pemkot", punctuation, case and spacing
and writes "Kabupaten" as "kab" — but keeps "kab" and "kota" apart: Kab. Serang is not Kota Serang.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from etl.report import GALAT, PERINGATAN, TINJAU, Report

MASTER_COLUMNS = ("instansi_id", "nama", "alias", "kelompok", "kategori", "kategori_ringkas",
                  "provinsi", "kode_provinsi", "kode_wilayah")
FUZZY_CUTOFF = 60
FUZZY_LIMIT = 3
MATCH_COLUMNS = ["nama_berkas", "instansi_id", "metode", "kemiripan", "kandidat"]

_PUNCT = re.compile(r"[\W_]+")
_TOKEN_MAP = {"kabupaten": "kab", "pemkab": "kab", "pemkot": "kota", "pemprov": "provinsi",
              "prov": "provinsi", "propinsi": "provinsi", "kot": "kota"}
_DROP_PREFIX = re.compile(r"^(?:pemerintah daerah |pemerintah |pemda )")
_KODE = re.compile(r"^\d{2}(?:\.\d{2})?$")    # a Kemendagri code given where an id or name is expected: 18, 18.71


_ENUM_PREFIX = re.compile(r"^\s*(?:[a-z]|[ivx]+|\d+)\s*[.)]\s+|^\s*(?:[ivx]+)\s+", re.IGNORECASE)
_KATEGORI_LABELS = [  # (pattern on the normalised label, kelompok, kategori_ringkas)
    (r"^(?:instansi pusat|pemerintah pusat|k l)$", "Instansi Pusat", None),
    (r"^(?:pemerintah daerah|pemda|instansi daerah)$", "Pemerintah Daerah", None),
    (r"^kementerian$", "Instansi Pusat", "Kementerian"),
    (r"^(?:lpnk|lembaga pemerintah non kementerian(?: lpnk)?)$", "Instansi Pusat", "LPNK"),
    (r"^(?:lns|lembaga non struktural(?: lns)?|lembaga lain(?:nya)?|instansi lain(?:nya)?|lns dan instansi lainnya"
     r"|lembaga negara|alat negara|lembaga penyiaran publik|sekretariat jenderal lembaga negara"
     r"|lembaga pemerintah lainnya|sekretariat kabinet)$", "Instansi Pusat", "Lembaga Lain"),
    (r"^(?:pemerintah )?provinsi$", "Pemerintah Daerah", "Provinsi"),
    (r"^(?:pemerintah )?(?:kabupaten|kab)$", "Pemerintah Daerah", "Kabupaten"),
    (r"^(?:pemerintah )?kota$", "Pemerintah Daerah", "Kota"),
]


def strip_enumeration(label: str) -> str:
    """'A. KEMENTERIAN' -> 'KEMENTERIAN'; 'II Pemerintah Daerah' -> 'Pemerintah Daerah'."""
    return _ENUM_PREFIX.sub("", str(label))


def kategori_label(label: str) -> tuple[str, str | None] | None:
    """(kelompok, kategori_ringkas) named by a kategori label or section row, else None."""
    h = _PUNCT.sub(" ", strip_enumeration(label).casefold()).strip()
    for pattern, kelompok, ringkas in _KATEGORI_LABELS:
        if re.match(pattern, h):
            return kelompok, ringkas
    return None


def kategori_ringkas(label: str) -> str | None:
    """Roll-up kategori of a label ('Lembaga Pemerintah Non Kementerian (LPNK)' -> 'LPNK')."""
    found = kategori_label(label)
    return found[1] if found else None


def normalise_name(name: str) -> str:
    """'Pemerintah Kab. Serang' -> 'kab serang'; 'Pemkot  Serang' -> 'kota serang'."""
    s = _PUNCT.sub(" ", str(name).casefold()).strip()
    s = " ".join(_TOKEN_MAP.get(t, t) for t in s.split())
    return _DROP_PREFIX.sub("", s + " ").strip()


def normalise_kode(kode: str) -> str:
    return re.sub(r"[\s.]", "", str(kode))


@dataclass
class Resolution:
    instansi_id: str | None
    metode: str | None                # "id" | "kode" | "nama" | "alias" | "fuzzy" | None
    kemiripan: int
    kandidat: list[tuple[str, str, int]] = field(default_factory=list)  # (id, nama, score)
    alasan: str | None = None         # why unresolved (tinjau), or a note on a resolved match
    tingkat: str | None = None


class Matcher:
    def __init__(self, master: pd.DataFrame):
        missing = [c for c in ("instansi_id", "nama") if c not in master.columns]
        if missing:
            raise ValueError(f"master instansi tidak punya kolom {missing}")
        m = master.fillna("").astype(str)
        self.nama = dict(zip(m["instansi_id"], m["nama"]))
        ringkas = m["kategori_ringkas"] if "kategori_ringkas" in m else m.get("kategori", pd.Series("", index=m.index))
        self.kategori = {i: (kategori_ringkas(k) or k or None) for i, k in zip(m["instansi_id"], ringkas)}
        prov = m["provinsi"] if "provinsi" in m else pd.Series("", index=m.index)
        self.provinsi = {i: normalise_name(p) if p else None for i, p in zip(m["instansi_id"], prov)}
        self.by_kode: dict[str, list[str]] = {}
        if "kode_wilayah" in m:
            for i, k in zip(m["instansi_id"], m["kode_wilayah"]):
                if k.strip():
                    self.by_kode.setdefault(normalise_kode(k), []).append(i)
        self.by_nama: dict[str, list[str]] = {}
        self.by_alias: dict[str, list[str]] = {}
        for i, n in zip(m["instansi_id"], m["nama"]):
            self.by_nama.setdefault(normalise_name(n), []).append(i)
        if "alias" in m:
            for i, aliases in zip(m["instansi_id"], m["alias"]):
                for a in aliases.split("|"):
                    if a.strip():
                        self.by_alias.setdefault(normalise_name(a), []).append(i)
        self._choices = {**{k: v for k, v in self.by_alias.items()}, **self.by_nama}
        self._keys = list(self._choices)

    # -- helpers --------------------------------------------------------------------------------
    def _fits(self, iid: str, kategori: str | None, provinsi: str | None) -> bool:
        ok = kategori is None or self.kategori.get(iid) in (None, kategori)
        return ok and (provinsi is None or self.provinsi.get(iid) in (None, normalise_name(provinsi)))

    def _pick(self, ids: list[str], kategori, provinsi) -> list[str]:
        ids = list(dict.fromkeys(ids))
        if len(ids) > 1:
            narrowed = [i for i in ids if self._fits(i, kategori, provinsi)]
            ids = narrowed or ids
        return ids

    def _label(self, iid: str) -> str:
        return f"{self.nama.get(iid, iid)}"

    def candidates(self, nama: str, kategori=None, provinsi=None) -> list[tuple[str, str, int]]:
        key = normalise_name(nama)
        found = process.extract(key, self._keys, scorer=fuzz.ratio, limit=FUZZY_LIMIT * 3, score_cutoff=FUZZY_CUTOFF)
        best: dict[str, int] = {}
        for choice, score, _ in found:
            for iid in self._choices[choice]:
                best[iid] = max(best.get(iid, 0), int(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], not self._fits(kv[0], kategori, provinsi), kv[0]))
        return [(iid, self._label(iid), score) for iid, score in ranked[:FUZZY_LIMIT]]

    # -- the lookup -----------------------------------------------------------------------------
    def resolve(self, *, instansi_id: str | None = None, kode: str | None = None, nama: str | None = None,
                kategori: str | None = None, provinsi: str | None = None) -> Resolution:
        kategori = kategori_ringkas(kategori) if kategori else None
        as_kode = next((v.strip() for v in (instansi_id, nama) if not kode and v and _KODE.match(v.strip())), None)
        kode = kode or as_kode
        if not (instansi_id or kode or nama):
            return Resolution(None, None, 0, alasan="nama instansi kosong; diharapkan nama, kode wilayah atau "
                              "instansi_id di setiap baris data", tingkat=GALAT)
        if instansi_id:
            if instansi_id.strip() in self.nama:
                return self._checked(Resolution(instansi_id.strip(), "id", 100), kategori, nama)
            if not (kode or nama):
                return Resolution(None, None, 0, alasan=f"instansi_id '{instansi_id}' tidak ada di master instansi; "
                                  "tambahkan ke data/reference/instansi.csv atau perbaiki id", tingkat=TINJAU)
        if kode and normalise_kode(kode) in self.by_kode:
            ids = self._pick(self.by_kode[normalise_kode(kode)], kategori, provinsi)
            if len(ids) == 1:
                return self._checked(Resolution(ids[0], "kode", 100), kategori, None if as_kode else nama)
        if as_kode:
            return Resolution(None, None, 0, [], f"kode wilayah '{as_kode}' tidak ada di master instansi "
                              "(data/reference/instansi.csv); diharapkan kode Kemendagri, mis. 36.73 (Kota Serang)",
                              TINJAU)
        if nama:
            key = normalise_name(nama)
            keys = [key]
            if kategori in ("Provinsi", "Kabupaten", "Kota") and not key.startswith(("kab ", "kota ", "provinsi ")):
                keys.append({"Provinsi": "provinsi ", "Kabupaten": "kab ", "Kota": "kota "}[kategori] + key)
            for metode, table in (("nama", self.by_nama), ("alias", self.by_alias)):
                ids = [i for k in keys for i in table.get(k, [])]
                if ids:
                    ids = self._pick(ids, kategori, provinsi)
                    if len(ids) == 1:
                        return self._checked(Resolution(ids[0], metode, 100), kategori, nama)
                    listed = "; ".join(f"{self._label(i)} ({i})" for i in ids)
                    return Resolution(None, None, 100, [(i, self._label(i), 100) for i in ids],
                                      f"nama '{nama}' cocok dengan beberapa instansi: {listed}; "
                                      "tambahkan kolom kategori/provinsi atau pakai instansi_id", TINJAU)
        shown = nama or kode or instansi_id or ""
        cands = self.candidates(shown, kategori, provinsi) if nama else []
        if cands:
            listed = "; ".join(f"{n} (kemiripan {s})" for _, n, s in cands)
            return Resolution(None, "fuzzy", cands[0][2], cands,
                              f"nama '{shown}' tidak dikenal; kandidat: {listed} — tidak digabung otomatis: "
                              "perbaiki nama di berkas atau tambahkan alias di master instansi", TINJAU)
        what = "nama" if nama else ("kode wilayah" if kode else "instansi")
        return Resolution(None, None, 0, [],
                          f"{what} '{shown}' tidak dikenal dan tidak ada kandidat yang mirip; "
                          "tambahkan instansi ini ke master instansi (data/reference/instansi.csv)", TINJAU)

    def _checked(self, res: Resolution, kategori: str | None, nama: str | None) -> Resolution:
        have = self.kategori.get(res.instansi_id)
        if kategori and have and have != kategori:
            res.alasan = (f"'{nama or res.instansi_id}' cocok dengan {self._label(res.instansi_id)} ({have}), "
                          f"tetapi baris ini berada di kategori '{kategori}'; periksa apakah instansinya benar")
            res.tingkat = PERINGATAN
        return res


def resolve_rows(matcher: Matcher, keys: pd.DataFrame, *, berkas: str, kolom: str | None,
                 report: Report) -> tuple[pd.Series, pd.DataFrame]:
    """Resolve every row of `keys` (columns baris, id, kode, nama, kategori, provinsi; absent = None).

    Returns the instansi_id per row (None where not resolved) and the matches table (one row per
    distinct name). Issues go to `report`, once per distinct name, on the first row it appears.
    """
    cols = [c for c in ("id", "kode", "nama", "kategori", "provinsi") if c in keys.columns]
    combined = np.zeros(len(keys), dtype=np.int64)
    col_codes, col_values = {}, {}
    for c in cols:
        c_codes, c_uniques = pd.factorize(keys[c], use_na_sentinel=False)
        col_codes[c] = c_codes
        col_values[c] = [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip() or None
                         for v in c_uniques]
        combined = pd.factorize(combined * max(len(c_uniques), 1) + c_codes)[0]
    codes, combo_uniques = pd.factorize(combined)
    first_pos = pd.Series(np.arange(len(codes))).groupby(codes).min().to_numpy() if len(codes) else []
    decoded = [{c: col_values[c][col_codes[c][pos]] for c in cols} for pos in first_pos]
    baris = keys["baris"].to_numpy()
    counts = np.bincount(codes, minlength=len(combo_uniques))
    resolved_ids, match_rows = [], {}
    for u, key in enumerate(decoded):
        rid, kode, nama, kategori, provinsi = (key.get(c) for c in ("id", "kode", "nama", "kategori", "provinsi"))
        res = matcher.resolve(instansi_id=rid, kode=kode, nama=nama, kategori=kategori, provinsi=provinsi)
        resolved_ids.append(res.instansi_id)
        shown = nama or kode or rid
        if res.alasan:
            n = int(counts[u])
            extra = f" ({n} baris memakai nama ini; tidak dimuat)" if n > 1 and res.tingkat == TINJAU else ""
            report.add(berkas, int(baris[first_pos[u]]), kolom, shown, res.alasan + extra, res.tingkat)
        kandidat = "; ".join(f"{n} [{i}] ({s})" for i, n, s in res.kandidat) or None
        row = {"nama_berkas": shown, "instansi_id": res.instansi_id, "metode": res.metode,
               "kemiripan": int(res.kemiripan), "kandidat": kandidat}
        match_rows.setdefault((shown, res.instansi_id), row)
    lookup = np.array(resolved_ids, dtype=object)
    resolved = pd.Series(lookup[codes] if len(codes) else [], index=keys.index, dtype=object)
    matches = pd.DataFrame(list(match_rows.values()), columns=MATCH_COLUMNS, dtype=object)
    matches["kemiripan"] = matches["kemiripan"].astype("int64")
    return resolved, matches

