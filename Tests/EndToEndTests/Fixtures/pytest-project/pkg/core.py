"""The code under test."""


def add(a, b):
    return a + b
