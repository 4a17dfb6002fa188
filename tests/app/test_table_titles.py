"""AppTest (issue 13, item 4): a table exported from a page about one instansi names it and its
year, even when the table has no name column (the walkthrough's 'Pembanding 2024' CSV did not)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def test_a_table_named_after_an_instansi_says_which_and_its_year(demo_warehouse):
    def page():
        import pandas as pd
        import streamlit as st

        from ui import downloads

        df = pd.DataFrame({"Komponen": ["Indeks"], "Nilai": [2.5]})
        st.write(downloads._table_title(df, "pembanding_kota-36.73_2024"))
        st.write(str(downloads._single_year(df, "pembanding_kota-36.73_2024")))
        st.write(downloads._table_title(df, "pembanding_kota-99.99_2024"))   # unknown id: named as it is

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["Pembanding 2024 · instansi: Pemerintah Kota Serang", "2024",
                                              "Pembanding 2024 · instansi: kota-99.99"]
