"""The floor for page benchmarks: an empty Streamlit page (title only)."""
import streamlit as st

st.title("Halaman kosong")
