from hypothesis import given, strategies as st


@given(st.integers())
def test_bounded(x):
    assert x < 1000
