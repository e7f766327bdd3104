#!/usr/bin/env python3
"""pytest as the oracle for mlrun's -m marker expressions.

Two modes:

  pytest_oracle.py INPUT.json        (or "-" for stdin)
      INPUT is {"tests": [{"id": ..., "markers": [...]}, ...], "expressions": [...]}, markers
      spelled as the mlrun suite protocol spells them: "slow" or
      {"name": "device", "kwargs": {"serial": "1"}}.  For every expression, pytest's own
      Expression.compile and MarkMatcher.from_markers (over real Mark objects) decide which
      tests `pytest -m EXPR` would select.  Prints, as JSON:

        {"pytest_version": "9.2.0",
         "results": [{"expression": e, "selected": [ids, in test order]}
                     | {"expression": e, "error": {"column": c, "message": m}}, ...]}

      An empty expression selects every test (pytest's "no -m given"); a whitespace-only one
      compiles to False and selects none.  Anything other than a SyntaxError (pytest crashes
      on "foo(a=²)", say) is reported as {"error": {"column": null, "message": ...,
      "exception": "ValueError"}}.

  pytest_oracle.py --generate N [--seed S]
      Prints an INPUT file: a fixed set of ~40 tests with varied markers, the fixed
      expressions of FIXED_EXPRESSIONS, and random expressions up to N in all over the same
      marker vocabulary (random nesting, `not`, parentheses, kwargs calls, whitespace
      variation, names with `\`; about 15% deliberately broken).  The same N and S always
      give the same file.  Integer kwargs are never 0 or 1, so mlrun's deliberate
      type-strict comparison (1 != True) never differs from Python's `==`.

mlrun follows pytest 9.2.0, which reads `\` as an identifier character and refuses a
backslash only inside a string literal (9.0 refused one anywhere once a string was read).

Only the standard library and pytest are needed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys

# Marker names; "notebook" and "order" start with the keywords "not" and "or" on purpose, and
# `\` is an identifier character (pytest 9.2), also at either end and before "or".
PLAIN_MARKERS = ["slow", "gpu", "unit", "data", "integration", "nightly", "notebook", "order", "py3.11",
                 "\\nfoo\\n", "win\\path", "\\"]
# Marker names that also appear with keyword arguments.
KWARG_MARKERS = ["device", "model", "slow", "mark"]
# Names that no test carries.
UNKNOWN_NAMES = ["flaky", "smoke", "missing", "a:b", "sl\\ow", "\\or", "\\\\"]
# Keyword arguments and the values they take (never the ints 0 or 1).
KWARG_VALUES: dict[str, list[object]] = {
    "serial": ["1", "2"],
    "n": [2, 3],
    "flag": [True, False],
    "opt": [None],
    "x": ["y"],
}
# Values that expressions may ask for but no marker has.
EXTRA_VALUES: dict[str, list[object]] = {
    "serial": ["3", ""],
    "n": [-2, 5],
    "flag": [],
    "opt": ["None"],
    "x": ["z"],
}
# Expressions every generated file starts with: the empty one (no filter), a blank one
# (compiles to False, selects nothing), and backslashes: in names, next to string literals
# (fine since pytest 9.2) and inside them (an error at the backslash).
FIXED_EXPRESSIONS = [
    "",
    "  ",
    '\\nfoo\\n and mark(x="y")',
    "\\nfoo\\n and not mark(x='y')",
    "win\\path or \\",
    "a\\b or x(y='z')",
    "x(y='z') or a\\b",
    "\\ 'x",
    "device(serial='\\1')",
    'mark(x="y\\")',
    "\\nfoo\\n and mark(x='y', serial='a\\b')",
    "not\\ or \\and",
]


def pytest_version() -> str:
    import pytest

    return pytest.__version__


def make_marks(markers: list[object]):
    from _pytest.mark.structures import Mark

    marks = []
    for marker in markers:
        if isinstance(marker, str):
            marks.append(Mark(marker, (), {}, _ispytest=True))
        else:
            marks.append(Mark(marker["name"], (), dict(marker.get("kwargs") or {}), _ispytest=True))
    return marks


def evaluate(document: dict) -> dict:
    from _pytest.mark import MarkMatcher
    from _pytest.mark.expression import Expression

    tests = [(test["id"], make_marks(test.get("markers", []))) for test in document["tests"]]
    results = []
    for expression in document["expressions"]:
        if expression == "":
            # pytest skips deselection entirely when -m is empty.
            results.append({"expression": expression, "selected": [test_id for test_id, _ in tests]})
            continue
        try:
            compiled = Expression.compile(expression)
        except SyntaxError as error:
            results.append({"expression": expression, "error": {"column": error.offset, "message": error.msg}})
            continue
        except Exception as error:  # pytest itself would crash
            results.append({
                "expression": expression,
                "error": {"column": None, "message": str(error), "exception": type(error).__name__},
            })
            continue
        selected = [test_id for test_id, marks in tests if compiled.evaluate(MarkMatcher.from_markers(marks))]
        results.append({"expression": expression, "selected": selected})
    return {"pytest_version": pytest_version(), "results": results}


# --- generation ------------------------------------------------------------------------


def marker_json(name: str, kwargs: dict[str, object]) -> object:
    return {"name": name, "kwargs": kwargs} if kwargs else name


def generate_tests() -> list[dict]:
    """About forty tests; fixed, whatever the seed of the expressions."""
    rng = random.Random(20240611)
    tests: list[dict] = [
        {"id": "t00_none", "markers": []},
        {"id": "t01_all_plain", "markers": list(PLAIN_MARKERS)},
        {"id": "t02_two_devices", "markers": [
            marker_json("device", {"serial": "1", "n": 2}),
            marker_json("device", {"serial": "2", "flag": True}),
        ]},
        {"id": "t03_device_bare", "markers": ["device"]},
        {"id": "t04_slow_both", "markers": ["slow", marker_json("slow", {"n": 3})]},
        {"id": "t05_model_none", "markers": [marker_json("model", {"opt": None, "flag": False})]},
        {"id": "t06_backslash_mark", "markers": ["\\nfoo\\n", marker_json("mark", {"x": "y"})]},
        {"id": "t07_backslash", "markers": ["\\nfoo\\n", "\\"]},
    ]
    while len(tests) < 40:
        markers: list[object] = []
        for name in rng.sample(PLAIN_MARKERS, rng.randint(0, 4)):
            markers.append(name)
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            name = rng.choice(KWARG_MARKERS)
            keys = rng.sample(sorted(KWARG_VALUES), rng.randint(0, 3))
            kwargs = {key: rng.choice(KWARG_VALUES[key]) for key in keys}
            marker = marker_json(name, kwargs)
            if marker not in markers:
                markers.append(marker)
        tests.append({"id": f"t{len(tests):02d}", "markers": markers})
    return tests


class ExpressionGenerator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def space(self, required: bool) -> str:
        """Whitespace between tokens; may be empty unless `required`."""
        choice = self.rng.random()
        if choice < 0.75:
            return " "
        if choice < 0.85:
            return "  "
        if choice < 0.93:
            return "\t"
        return " " if required else ""

    def value(self, key: str) -> str:
        value = self.rng.choice(KWARG_VALUES[key] + EXTRA_VALUES[key])
        if isinstance(value, str):
            quote = self.rng.choice(["'", '"'])
            return f"{quote}{value}{quote}"
        if value is None:
            return "None"
        if isinstance(value, bool):
            return "True" if value else "False"
        return str(value)

    def call(self) -> str:
        name = self.rng.choice(KWARG_MARKERS * 3 + ["gpu", "flaky"])
        keys = self.rng.sample(sorted(KWARG_VALUES), self.rng.choice([1, 1, 1, 2, 2, 3]))
        arguments = []
        for key in keys:
            eq_left = "" if self.rng.random() < 0.8 else " "
            eq_right = "" if self.rng.random() < 0.8 else " "
            arguments.append(f"{key}{eq_left}={eq_right}{self.value(key)}")
        separator = "," + self.rng.choice(["", " ", " ", "  "])
        before = "" if self.rng.random() < 0.85 else " "
        inner = " " if self.rng.random() < 0.1 else ""
        return f"{name}{before}({inner}{separator.join(arguments)}{inner})"

    def atom(self) -> str:
        roll = self.rng.random()
        if roll < 0.25:
            return self.call()
        if roll < 0.35:
            return self.rng.choice(UNKNOWN_NAMES)
        return self.rng.choice(PLAIN_MARKERS + KWARG_MARKERS)

    def expr(self, depth: int) -> str:
        roll = self.rng.random()
        if depth <= 0 or roll < 0.3:
            return self.atom()
        if roll < 0.45:
            inner = self.expr(depth - 1)
            # "not(x)" needs no space, "not x" does.
            if inner.startswith("("):
                return "not" + self.space(False) + inner
            return "not" + self.space(True) + inner
        if roll < 0.6:
            pad_in = "" if self.rng.random() < 0.7 else " "
            return f"({pad_in}{self.expr(depth - 1)}{pad_in})"
        operator = self.rng.choice(["and", "or"])
        left = self.expr(depth - 1)
        right = self.expr(depth - 1)
        left_space = self.space(not left.endswith(")"))
        right_space = self.space(not right.startswith("("))
        return f"{left}{left_space}{operator}{right_space}{right}"

    def valid(self) -> str:
        expression = self.expr(self.rng.randint(0, 4))
        roll = self.rng.random()
        if roll < 0.05:
            expression = " " + expression
        elif roll < 0.1:
            expression = expression + "\t"
        return expression

    def broken(self) -> str:
        expression = self.valid()
        kind = self.rng.randrange(12)
        position = self.rng.randint(0, len(expression))
        if kind == 0:  # missing closing parenthesis
            return "(" + expression
        if kind == 1:  # a closing parenthesis too many, or an opening one dropped
            if "(" in expression:
                index = expression.index("(")
                return expression[:index] + expression[index + 1:]
            return expression + ")"
        if kind == 2:  # dangling operator
            return expression + " " + self.rng.choice(["and", "or", "not", "and not", "or ("])
        if kind == 3:  # leading operator
            return self.rng.choice(["and ", "or ", ") "]) + expression
        if kind == 4:  # a character outside the grammar
            return expression[:position] + self.rng.choice(["$", "@", "!", "&", "|", "#"]) + expression[position:]
        if kind == 5:  # unclosed quote
            return expression + " or device(serial=" + self.rng.choice(["'1", '"2', "'1\""])
        if kind == 6:  # empty parentheses, or a trailing comma
            return expression + " and " + self.rng.choice(["slow()", "device(n=2,)", "device( )", "()"])
        if kind == 7:  # keyword argument names pytest refuses
            name = self.rng.choice(["1a", "if", "a.b", "class", "x-y", "None"])
            return expression + f" or device({name}=2)"
        if kind == 8:  # values pytest refuses
            value = self.rng.choice(["b", "true", "+2", "--2", "2.5", "none"])
            return f"device(serial={value}) or " + expression
        if kind == 9:  # repeated keyword argument: a compile-time error at column 1
            return expression + " and device(n=2, serial='1', n=3)"
        if kind == 10:  # a backslash in a string literal, reported at its column
            if self.rng.random() < 0.5:
                return expression + " or sl\\ow or device(serial='1\\')"
            return "device(serial='\\1') or " + expression + " or a\\b"
        # a lexical error after a parse error: the parse error wins
        return expression + " and or $"


def generate(count: int, seed: int) -> dict:
    rng = random.Random(seed)
    generator = ExpressionGenerator(rng)
    expressions: list[str] = FIXED_EXPRESSIONS[:count]
    seen: set[str] = set(expressions)
    while len(expressions) < count:
        expression = generator.broken() if rng.random() < 0.15 else generator.valid()
        if expression in seen:
            continue
        seen.add(expression)
        expressions.append(expression)
    return {"tests": generate_tests(), "expressions": expressions}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", nargs="?", help="a JSON file of tests and expressions, or - for stdin")
    parser.add_argument("--generate", type=int, metavar="N", help="print N random expressions and a test set")
    parser.add_argument("--seed", type=int, default=0, help="seed for --generate (default 0)")
    arguments = parser.parse_args(argv)
    if arguments.generate is not None:
        if arguments.input is not None:
            parser.error("--generate takes no input file")
        json.dump(generate(arguments.generate, arguments.seed), sys.stdout, indent=1)
        print()
        return 0
    if arguments.input is None:
        parser.error("give an input file (or - for stdin), or --generate N")
    if arguments.input == "-":
        document = json.load(sys.stdin)
    else:
        with open(arguments.input, encoding="utf-8") as handle:
            document = json.load(handle)
    json.dump(evaluate(document), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
