import not_a_module_anywhere  # noqa: F401


def test_never_collected():
    pass
