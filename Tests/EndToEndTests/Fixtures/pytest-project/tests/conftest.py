import os

import pytest


@pytest.fixture(scope="session")
def session_resource():
    # One line per set-up, with the process id: the tests count them per process.
    log = os.environ.get("SESSION_LOG")
    if log:
        with open(log, "a") as file:
            file.write(f"setup {os.getpid()}\n")
    yield "resource"


@pytest.fixture(scope="module")
def module_resource():
    yield []


def pytest_collection_finish(session):
    # One line per collection of the tree, with the process id.
    log = os.environ.get("COLLECT_LOG")
    if log:
        with open(log, "a") as file:
            file.write(f"collected {os.getpid()}\n")
