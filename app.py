"""SPBE Dashboard entry point: page config, navigation and global filters only."""
import streamlit as st

from ui import theme, widgets

# the icon is an emoji: a material-icon favicon would be fetched from the internet
st.set_page_config(page_title="Dasbor SPBE", page_icon="📊", layout="wide")
theme.register()

PAGES = {
    "Gambaran": [
        st.Page("pages/ringkasan_nasional.py", title="Ringkasan nasional", icon=":material/public:", default=True),
        st.Page("pages/profil_instansi.py", title="Profil instansi", icon=":material/account_balance:"),
        st.Page("pages/bandingkan.py", title="Bandingkan", icon=":material/compare_arrows:"),
        st.Page("pages/tren.py", title="Tren", icon=":material/show_chart:"),
    ],
    "Analisis": [
        st.Page("pages/kesenjangan_target.py", title="Kesenjangan target", icon=":material/flag:"),
        st.Page("pages/peringkat_sebaran.py", title="Peringkat & sebaran", icon=":material/leaderboard:"),
        st.Page("pages/peta.py", title="Peta", icon=":material/map:"),
    ],
    "Perencanaan": [
        st.Page("pages/penilaian_mandiri.py", title="Penilaian mandiri & rencana", icon=":material/upload_file:"),
    ],
    "Tentang": [
        st.Page("pages/metodologi.py", title="Metodologi & data", icon=":material/menu_book:"),
    ],
}

page = st.navigation(PAGES)
widgets.global_filters()
page.run()
