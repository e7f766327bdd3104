#!/usr/bin/env python3
"""Writes defects.csv: 240 rows of a training set with planted defects, and expected.json:
for each test of runner.toml, the unexpected_count the plants make (0 for clean columns).

Run from this folder: python3 generate.py (standard library only; seeded, so the output is
the same every time). The end-to-end test DataPluginTests compares mlrun's report with
expected.json and, when pandas is installed, with oracle.py (pandas on the same file).
"""
import json
import random

rng = random.Random(5)
ROWS = 240
rows = []
users = [1000 + i for i in range(60)]
user_split = {u: ("test" if rng.random() < 0.25 else "train") for u in users}
for i in range(ROWS):
    user = users[i % 60] if i % 3 else rng.choice(users)
    rows.append({
        "user_id": str(user),
        "timestamp": f"2024-01-{1 + i // 24:02d}T{i % 24:02d}:{rng.randrange(60):02d}:00Z",
        "feature_a": f"{rng.random():.6f}",
        "feature_b": f"{rng.uniform(-1, 1):.4f}",
        "category": rng.choice(["a", "b", "c"]),
        "label": "1" if rng.random() < 0.35 else "0",
        "split": user_split[user],
        "name": "".join(rng.choice("abcdefghij") for _ in range(rng.randint(3, 8))),
        "score": str(10 * i + rng.randrange(5)),
    })
plants = {}
picks = rng.sample(range(2, ROWS - 4), 30)
# feature_a: 3 nulls, 4 out of range, 2 unparsable.
for k in picks[0:3]:
    rows[k]["feature_a"] = ""
for k, v in zip(picks[3:7], ["1.5", "-0.25", "2", "1.000001"]):
    rows[k]["feature_a"] = v
for k in picks[7:9]:
    rows[k]["feature_a"] = "n/a"
plants["feature_a::not_null"] = 3
plants["feature_a::between"] = 4
plants["feature_a::type"] = 2
# category: 5 values outside the set.
for k, v in zip(picks[9:14], ["d", "x", "A", "d", "b "]):
    rows[k]["category"] = v
plants["category::in"] = 5
# timestamp: one unsorted adjacent pair (swap), and 2 future dates in the last rows.
k = picks[14]
rows[k]["timestamp"], rows[k + 1]["timestamp"] = rows[k + 1]["timestamp"], rows[k]["timestamp"]
plants["timestamp::increasing"] = 1
rows[-2]["timestamp"] = "2099-01-01T00:00:00Z"
rows[-1]["timestamp"] = "2099-06-01T12:00:00+02:00"
plants["timestamp::not_future"] = 2
# Duplicate composite keys: 2 rows copy the (user_id, timestamp) of the row before them.
for k in picks[16:18]:
    rows[k]["user_id"] = rows[k - 1]["user_id"]
    rows[k]["timestamp"] = rows[k - 1]["timestamp"]
    rows[k]["split"] = rows[k - 1]["split"]
plants["user_id,timestamp::unique"] = 4
# Leakage: 3 users get one row in the other split.
leaked = [u for u in users if sum(r["user_id"] == str(u) for r in rows) >= 2][:3]
for u in leaked:
    k = next(i for i, r in enumerate(rows) if r["user_id"] == str(u))
    rows[k]["split"] = "test" if rows[k]["split"] == "train" else "train"
plants["user_id::leakage"] = 3

columns = list(rows[0])
with open("defects.csv", "w", newline="") as f:
    f.write(",".join(columns) + "\n")
    for r in rows:
        f.write(",".join(r[c] for c in columns) + "\n")

tests = ["user_id::type", "timestamp::type", "timestamp::increasing", "timestamp::not_future",
         "feature_a::type", "feature_a::not_null", "feature_a::between", "feature_b::type", "feature_b::between",
         "category::in", "label::type", "label::in", "label::min_classes", "label::min_class_frequency",
         "split::in", "name::regex", "name::length", "score::type", "score::increasing", "score::unique",
         "user_id,timestamp::unique", "user_id::leakage"]
with open("expected.json", "w") as f:
    json.dump({t: plants.get(t, 0) for t in tests}, f, indent=1, sort_keys=True)
    f.write("\n")
