"""AppTest helper: rerun only the `st.fragment` holding a widget, as the browser does when that widget
changes (AppTest itself always reruns the whole script)."""
from __future__ import annotations

from unittest import mock

from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest, local_script_runner


def fragment_ids(at: AppTest) -> list[str]:
    """The fragments the last full run registered."""
    return list(at._fragment_storage._fragments)


def rerun_fragment(at: AppTest, fragment_id: str) -> AppTest:
    """Run the app once more as a rerun of fragment `fragment_id` alone, with the widget values set on
    `at` (e.g. ``at.radio(key=...).set_value(...)``). Afterwards `at`'s element tree holds only what the
    fragment drew: a page part outside it is absent (the browser keeps showing it from the last full run)."""
    def rerun_data(**kwargs):   # also the runner's initial request, which the run request is merged into
        return RerunData(**kwargs, fragment_id_queue=[fragment_id])

    with mock.patch.object(local_script_runner, "RerunData", rerun_data):
        return at.run()
