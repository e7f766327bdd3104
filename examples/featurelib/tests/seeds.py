"""mlrun's per-test seed, in Python (the formula of the root README's "Seeds" section).

    test_seed(run_seed, "suite::name") == splitmix64(run_seed XOR fnv1a64(utf8("suite::name")))

FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) and one SplitMix64 step,
all mod 2^64. mlrun reports this seed for every test and, for a ``[[pytest]]`` suite with
``seed_random = true``, exports it as ``MLRUN_TEST_SEED``; ``conftest.py`` derives the same
value itself when the tests run under plain pytest, so both give a test the same numbers.
"""

MASK64 = (1 << 64) - 1


def test_seed(run_seed, full_id):
    """mlrun's per-test seed: splitmix64(run_seed ^ fnv1a64(utf8(full_id)))."""
    h = 0xCBF29CE484222325
    for byte in full_id.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK64
    z = ((run_seed ^ h) + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


# Not a test, though its name (kept for the callers that import it) says so.
test_seed.__test__ = False
