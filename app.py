"""SPBE Dashboard entry point: page config, navigation and global filters only."""
import streamlit as st

from rendering import theme
from ui import public, widgets

# the icon is an emoji: a material-icon favicon would be fetched from the internet
st.set_page_config(page_title="Dasbor SPBE", page_icon="📊", layout="wide")
public.apply()  # SPBE_PUBLIC=1: error details off, no shared cache flush, session files swept (ui/public.py)
theme.register()

# The default page is served at the root URL "/" only: Streamlit never routes a path to it, so its
# file-name link /ringkasan_nasional would open a "Page not found" dialog. That link is a hidden page
# that switches to "/" (query string kept); the default page's own url_path only has to differ from it.
HOME = st.Page("pages/ringkasan_nasional.py", title="Ringkasan nasional", icon=":material/public:", default=True,
               url_path="beranda")


def _to_home() -> None:
    st.switch_page(HOME, query_params=st.query_params.to_dict())


PAGES = {
    "Gambaran": [
        HOME,
        st.Page(_to_home, title="Ringkasan nasional (tautan)", url_path="ringkasan_nasional", visibility="hidden"),
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
