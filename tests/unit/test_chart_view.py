"""ui.chart_view: a frozen figure is drawn with the same JSON plotly makes, made once, never per draw."""
import gc
import json

import plotly.graph_objects as go
import plotly.io as pio

from ui import chart_view


def _fig() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1.5, float("nan")], uid="u1"), layout={"title": {"text": "Judul"}})


def test_plotly_chart_gets_the_same_json_without_encoding_again(monkeypatch):
    plain = _fig()
    frozen = chart_view.FrozenFigure(_fig())
    expected = pio.to_json(plain.to_dict(), validate=False)   # what st.plotly_chart sent before
    calls = []
    monkeypatch.setattr(chart_view, "_plotly_to_json", lambda *a, **k: calls.append(a) or "encoded again")
    d = frozen.to_dict()
    assert d is frozen.to_dict()                               # no deep copy per draw
    assert pio.to_json(d, validate=False) == expected          # the call st.plotly_chart makes
    assert calls == []
    assert json.loads(expected)["data"][0]["y"][1] is None     # NaN → null, as plotly makes it
    # anything else is plotly's own call
    assert pio.to_json(d, validate=False, pretty=True) == "encoded again"
    assert pio.to_json(plain.to_dict(), validate=False) == "encoded again"


def test_stored_json_is_forgotten_with_its_figure():
    frozen = chart_view.FrozenFigure(_fig())
    key = id(frozen.to_dict())
    assert key in chart_view._SPECS
    del frozen
    gc.collect()
    assert key not in chart_view._SPECS


def test_st_plotly_chart_element_is_unchanged():
    from streamlit.testing.v1 import AppTest

    def app():
        import plotly.graph_objects as go
        import streamlit as st

        from ui.chart_view import FrozenFigure
        fig = go.Figure(go.Scatter(x=[1, 2], y=[3, None], name="x"), layout={"title": {"text": "T"}})
        st.plotly_chart(fig, theme=None, key="a")
        st.plotly_chart(FrozenFigure(fig), theme=None, key="b")

    at = AppTest.from_function(app).run()
    assert not at.exception, at.exception
    specs = [e.proto.spec for e in at.get("plotly_chart")]
    assert len(specs) == 2 and specs[0] == specs[1]


def test_frozen_builder_decorates_like_show_chart(monkeypatch):
    from rendering.export import decorate, source_line
    from ui import session_data

    monkeypatch.setattr(session_data, "covered", lambda: False)
    fig = chart_view.frozen(_fig, 2024, synthetic=True)()
    assert isinstance(fig, chart_view.FrozenFigure)
    plain = decorate(_fig(), source=source_line(2024, synthetic=True), synthetic=True)
    assert pio.to_json(fig.to_dict(), validate=False) == pio.to_json(plain.to_dict(), validate=False)
    monkeypatch.setattr(session_data, "covered", lambda: True)
    monkeypatch.setattr(session_data, "short_summary", lambda: "1 berkas unggahan")
    meta = chart_view.frozen(_fig, 2024)().layout.meta
    assert meta["source"].endswith("termasuk 1 berkas unggahan")
