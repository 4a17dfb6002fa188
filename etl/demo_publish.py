"""Publish the demo warehouse: synthetic levels for every instansi, plus Kota Serang's 2021 levels
under their real source (its LHE), so the one real per-instansi record is not labelled synthetic."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from domain.instrument import load_registry
from etl.demo import DEMO_SEED, SERANG_2021_LEVELS, SERANG_ID, SERANG_YEAR, generate_demo_levels
from etl.publish import PublishResult, Source, load_master_frame, publish

SERANG_SOURCE = Source(
    sumber_id="lhe-kota-serang-2021",
    nama="LHE SPBE 2021 Pemerintah Kota Serang (KemenPANRB) — 47 level indikator (nyata)",
    jenis="lhe", sintetis=False, berkas="etl/demo.py: SERANG_2021_LEVELS",
)


def serang_levels() -> pd.DataFrame:
    """Kota Serang's 47 indicator levels from its 2021 LHE, in the warehouse's level layout."""
    ins = load_registry().for_year(SERANG_YEAR)
    return pd.DataFrame({"tahun": SERANG_YEAR, "instansi_id": SERANG_ID, "instrument_id": ins.id,
                         "no_indikator": list(SERANG_2021_LEVELS), "level": list(SERANG_2021_LEVELS.values())})


def publish_demo(root: Path, *, scale: int = 1, seed: int = DEMO_SEED, keep: int = 3,
                 progress: Callable[[str], None] | None = None) -> PublishResult:
    """Replace the warehouse content with the demo dataset (the old snapshot stays available)."""
    levels, master = generate_demo_levels(load_master_frame(), scale=scale, seed=seed)
    real = (levels["instansi_id"] == SERANG_ID) & (levels["tahun"] == SERANG_YEAR)
    synthetic = Source(sumber_id=f"demo-{seed}-x{scale}",
                       nama=f"Data demo SINTETIS (dibangkitkan kode, seed {seed}, skala {scale}×)",
                       jenis="demo", sintetis=True, berkas="etl/demo.py")
    publish(root, source=synthetic, levels=levels[~real], master=master, keep=keep,
            progress=progress, carry_previous=False)
    return publish(root, source=SERANG_SOURCE, levels=levels[real], master=master, keep=keep, progress=progress)
