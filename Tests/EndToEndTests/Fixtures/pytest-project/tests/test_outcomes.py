import os
import random

import pytest

from pkg.core import add


def test_passes(session_resource, module_resource):
    print("hello from the test")
    assert add(1, 2) == 3


def test_fails(session_resource):
    assert add(2, 2) == 5, "two and two"


@pytest.mark.slow
@pytest.mark.dataset(name="iris")
@pytest.mark.parametrize("a,b", [(1, 2), (3, 4)])
def test_parametrized(a, b, session_resource):
    assert a < b


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known bug")
def test_xfails():
    assert False


@pytest.mark.xfail(reason="fixed already", strict=True)
def test_xpasses_strictly():
    pass


@pytest.fixture
def broken():
    raise RuntimeError("setup went wrong")


def test_setup_error(broken):
    pass


class TestGroup:
    def test_in_class(self, session_resource):
        assert True


def test_seed_is_exported():
    print(f"seed={os.environ['MLRUN_TEST_SEED']} random={random.random()}")
