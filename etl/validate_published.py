"""Row checks for published results (domain scores, index, predikat), as etl.validate does for
indicator levels: nothing is dropped or fixed silently, every problem is an Issue, and a row
whose index disagrees with its domains is reported (not corrected).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from domain.instrument import Instrument
from domain.scoring import index_from_domains
from etl.cells import to_number
from etl.report import PERINGATAN, Issue, Report, fmt_num
from etl.validate import DOMAIN_COLUMNS, MISSING_MARKS, TOLERANCE, emit


def check_published(rows: pd.DataFrame, instrument: Instrument, *, domain_cols: dict[int, str],
                    labels: dict[str, str], berkas: str, report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate published rows of one instrument; return (index, domains) of the rows that load.

    rows: baris, tahun, instansi_id, indeks_raw, predikat_raw (optional), d<no>_raw per domain column.
    domain_cols: no_domain -> column label as written; labels: role -> column label as written.
    """
    rows = rows.reset_index(drop=True)
    kol_indeks = labels["indeks"]
    itext, indeks, bad = _check_index(rows, instrument, kol_indeks=kol_indeks, berkas=berkas, report=report)
    values, missing_any, missing_by_row = _check_domains(rows, instrument, domain_cols, bad,
                                                         berkas=berkas, report=report)
    _warn_missing_domains(rows, instrument, domain_cols, missing_by_row, bad, indeks, berkas=berkas, report=report)
    _check_index_vs_domains(rows, instrument, domain_cols, values, itext, indeks, bad | missing_any,
                            kol_indeks=kol_indeks, berkas=berkas, report=report)
    predikat = None
    if "predikat_raw" in rows:
        predikat = _check_predikat(rows, instrument, indeks, bad, kol_p=labels.get("predikat"),
                                   berkas=berkas, report=report)
    return _loaded(rows, instrument, indeks, predikat, values, load=~bad)


def _check_index(rows: pd.DataFrame, instrument: Instrument, *, kol_indeks: str, berkas: str,
                 report: Report) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Index cells: blank, not a number, outside the instrument's level scale (errors, in that order).
    Returns (index text, index value, rows refused)."""
    lo, hi = instrument.scale  # the index and the domains lie on the instrument's level scale
    rentang = f"{fmt_num(lo)}–{fmt_num(hi)}"
    itext = rows["indeks_raw"].fillna("").astype(str).str.strip()
    indeks = to_number(itext)
    frame = rows.assign(nilai=itext)
    blank = (itext == "").to_numpy()
    not_num = ~blank & indeks.isna().to_numpy()
    out = ~blank & ~not_num & ~indeks.between(lo, hi).to_numpy()
    emit(report, berkas, frame[blank], lambda r: f"indeks kosong; diharapkan {instrument.nama_indeks} {rentang}",
         kolom=kol_indeks)
    emit(report, berkas, frame[not_num], lambda r: f"indeks '{r.nilai}' bukan angka; diharapkan {rentang}",
         kolom=kol_indeks)
    emit(report, berkas, frame[out], lambda r: f"indeks {r.nilai} di luar rentang {rentang}", kolom=kol_indeks)
    return itext, indeks, blank | not_num | out


def _check_domains(rows: pd.DataFrame, instrument: Instrument, domain_cols: dict[int, str], bad: np.ndarray, *,
                   berkas: str, report: Report) -> tuple[dict[int, pd.Series], np.ndarray, dict[int, list[int]]]:
    """Domain cells, one domain column after the other: not a number (error; `bad` is updated in place),
    outside the scale (warning, for rows not refused so far). A missing mark is kept as NaN.
    Returns (value per domain, rows with a missing domain, missing domains per row)."""
    lo, hi = instrument.scale
    values, missing_any = {}, np.zeros(len(rows), dtype=bool)
    missing_by_row: dict[int, list[int]] = {}
    for no, label in sorted(domain_cols.items()):
        dom = instrument.domain(no)
        text = rows[f"d{no}_raw"].fillna("").astype(str).str.strip()
        val = to_number(text)
        miss = text.isin(MISSING_MARKS).to_numpy()
        d_not_num = ~miss & val.isna().to_numpy()
        d_out = ~miss & ~d_not_num & ~val.between(lo, hi).to_numpy()
        dframe = rows.assign(nilai=text)
        emit(report, berkas, dframe[d_not_num],
             lambda r, d=dom: f"nilai domain {d.kode} ({d.label}) '{r.nilai}' bukan angka; diharapkan {lo}–{hi} atau kosong",
             kolom=label)
        emit(report, berkas, dframe[d_out & ~bad],
             lambda r, d=dom: f"nilai domain {d.kode} ({d.label}) {r.nilai} di luar rentang {lo}–{hi}; "
                              "dimuat seperti dipublikasikan, periksa sumbernya", kolom=label, tingkat=PERINGATAN)
        bad |= d_not_num
        values[no] = val.where(~miss, np.nan)
        for i in np.flatnonzero(miss):
            missing_by_row.setdefault(int(i), []).append(no)
        missing_any |= miss
    return values, missing_any, missing_by_row


def _warn_missing_domains(rows: pd.DataFrame, instrument: Instrument, domain_cols: dict[int, str],
                          missing_by_row: dict[int, list[int]], bad: np.ndarray, indeks: pd.Series, *,
                          berkas: str, report: Report) -> None:
    """Missing domains: one warning per row, also saying that consistency cannot be checked."""
    for i, nos in sorted(missing_by_row.items()):
        if bad[i]:
            continue
        names = ", ".join(f"{instrument.domain(x).kode} ({instrument.domain(x).label})" for x in nos)
        v = rows.loc[i, f"d{nos[0]}_raw"]
        report.add(Issue(berkas, int(rows.loc[i, "baris"]), domain_cols[nos[0]], str(v).strip(),
                         f"nilai domain {names} kosong: dibiarkan kosong (bukan 0); konsistensi indeks "
                         f"{fmt_num(indeks.iloc[i])} dengan domain tidak dapat diperiksa", PERINGATAN))


def _check_index_vs_domains(rows: pd.DataFrame, instrument: Instrument, domain_cols: dict[int, str],
                            values: dict[int, pd.Series], itext: pd.Series, indeks: pd.Series,
                            skip: np.ndarray, *, kol_indeks: str, berkas: str, report: Report) -> None:
    """Index vs Σ domain × bobot / 100 (warning), when every domain has a column; rows in `skip`
    (refused, or with a missing domain) are not checked."""
    complete = len(domain_cols) == len(instrument.domains)
    if not (complete and len(rows)):
        return
    weights = {d.no: float(d.bobot) for d in instrument.domains}
    implied = sum(values[no].to_numpy() * weights[no] for no in values) / 100
    check = ~skip & (np.abs(indeks.to_numpy() - implied) > TOLERANCE - 1e-4)
    for i in np.flatnonzero(check):
        exact = index_from_domains(instrument, {no: float(values[no].iloc[i]) for no in values})
        diff = float(indeks.iloc[i]) - exact
        if round(abs(diff), 6) > TOLERANCE:
            report.add(Issue(berkas, int(rows.loc[i, "baris"]), kol_indeks, itext.iloc[i],
                             f"indeks {fmt_num(indeks.iloc[i])} ≠ {fmt_num(exact)} dari domain "
                             f"(selisih {fmt_num(abs(diff))}; Σ domain × bobot {instrument.nama} / 100); "
                             "dimuat seperti dipublikasikan, periksa sumbernya", PERINGATAN))


def _check_predikat(rows: pd.DataFrame, instrument: Instrument, indeks: pd.Series, bad: np.ndarray, *,
                    kol_p: str | None, berkas: str, report: Report) -> pd.Series:
    """Predikat as published vs the instrument's bands: not a band name (error; `bad` is updated in
    place), not the band of the index (warning). KemenPANRB bands the unrounded index, so a
    predikat is consistent when it is the band of some value that rounds to the printed index
    (2,60 "Cukup" = an unrounded 2,596…): Instrument.predikat_printed. Returns the predikat to store."""
    ptext = rows["predikat_raw"].fillna("").astype(str).str.strip()
    predikat, not_band = band_names(ptext, rows, instrument, kolom=kol_p, berkas=berkas, report=report)
    bad |= not_band
    accepted = {v: _bands_of_printed(instrument, v) for v in indeks[~bad].unique()}
    norm = ptext.str.casefold().str.split().str.join(" ")
    ok = {(v, name.casefold()) for v, names in accepted.items() for name in names}
    mismatch = ~bad & ~np.array([(v, p) in ok for v, p in zip(indeks, norm)], dtype=bool)
    for i in np.flatnonzero(mismatch):
        got, value = ptext.iloc[i], float(indeks.iloc[i])
        expect = " atau ".join(accepted[indeks.iloc[i]])
        if not got:
            why = f"predikat kosong; menurut indeks {fmt_num(value)}: {expect}"
        else:
            why = f"predikat '{got}' tidak sesuai indeks {fmt_num(value)} (menurut {instrument.nama}: {expect})"
        report.add(Issue(berkas, int(rows.loc[i, "baris"]), kol_p, got or None,
                         why + "; dimuat seperti dipublikasikan", PERINGATAN))
    return predikat


def _loaded(rows: pd.DataFrame, instrument: Instrument, indeks: pd.Series, predikat: pd.Series | None,
            values: dict[int, pd.Series], *, load: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The (index, domains) frames of the rows that load; domains ordered by row then domain number."""
    index = pd.DataFrame({
        "tahun": rows["tahun"][load].astype("int64"),
        "instansi_id": rows["instansi_id"][load].astype(object),
        "instrument_id": instrument.id,
        "indeks": indeks[load].astype("float64"),
        "predikat": (predikat[load] if predikat is not None else pd.Series(None, index=rows.index)[load]).astype(object),
        "baris": rows["baris"][load].astype("int64"),
    }).reset_index(drop=True)
    domains = pd.concat([
        pd.DataFrame({"tahun": rows["tahun"][load].astype("int64"),
                      "instansi_id": rows["instansi_id"][load].astype(object),
                      "instrument_id": instrument.id, "no_domain": no,
                      "nilai": values[no][load].astype("float64"),
                      "baris": rows["baris"][load].astype("int64")})
        for no in sorted(values)] or [pd.DataFrame(columns=DOMAIN_COLUMNS)], ignore_index=True)
    if not domains.empty:
        domains = domains.sort_values(["baris", "no_domain"], kind="stable").reset_index(drop=True)
    return index, domains[DOMAIN_COLUMNS]


def band_names(ptext: pd.Series, rows: pd.DataFrame, instrument: Instrument, *, kolom: str | None, berkas: str,
               report: Report) -> tuple[pd.Series, np.ndarray]:
    """Predikat cells against the instrument's band names (issue 16: a predikat is shown as a badge,
    printed in briefs and counted per band). A band name in any letter case or spacing is stored as
    the band's own spelling; any other non-blank text is an error naming file, row, column, value and
    the bands expected, and its row is not loaded. Returns (predikat to store, rows refused)."""
    canonical = {" ".join(b.nama.split()).casefold(): b.nama for b in instrument.bands}
    norm = ptext.str.split().str.join(" ").str.casefold()
    stored = norm.map(canonical)
    refused = ((ptext != "") & stored.isna()).to_numpy()
    expected = ", ".join(b.nama for b in instrument.bands)
    emit(report, berkas, rows.assign(nilai=ptext)[refused],
         lambda r: f"predikat '{r.nilai}' bukan predikat {instrument.nama}; diharapkan salah satu dari: {expected} "
                   "(atau kosong); baris ini tidak dimuat", kolom=kolom)
    return stored.where(ptext != "", None).astype(object), refused


def _bands_of_printed(instrument: Instrument, value: float) -> tuple[str, ...]:
    """Predikat a published index can carry: printed with 2 decimals, any band of the unrounded
    values that round to it; given more precisely, the band of the value itself."""
    if round(value, 2) == value:
        return instrument.predikat_printed(value, decimals=2)
    return (instrument.predikat(value),)
