import os
import signal


def test_before(session_resource):
    pass


def test_exits():
    os._exit(1)


def test_segfaults():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_after(session_resource):
    pass
