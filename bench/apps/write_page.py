"""The floor of bench.page_cost: a page with only st.write, served by the same config as app.py."""
import streamlit as st

st.write("Halaman kosong")
