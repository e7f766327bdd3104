#!/usr/bin/env python3
"""pandas' unexpected_count for every test of runner.toml on defects.csv, as JSON.

The semantics mlrun documents, written the way a pandas user would: nulls are skipped by
every check but not_null; values that do not parse are left to the type check.
Usage: python3 oracle.py defects.csv
"""
import json
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, na_values=[""])
now = pd.Timestamp.now(tz="UTC")
out = {}


def number(name, integer=False):
    s = df[name]
    x = pd.to_numeric(s, errors="coerce")
    if integer:
        x = x.where(s.dropna().str.fullmatch(r"[+-]?\d+").reindex(s.index, fill_value=False))
    return s, x


s, uid = number("user_id", integer=True)
out["user_id::type"] = int((uid.isna() & s.notna()).sum())
ts_text = df["timestamp"]
ts = pd.to_datetime(ts_text, errors="coerce", utc=True, format="ISO8601")
out["timestamp::type"] = int((ts.isna() & ts_text.notna()).sum())
valid = ts.dropna()
out["timestamp::increasing"] = int((valid.diff() < pd.Timedelta(0)).sum())
out["timestamp::not_future"] = int((valid > now).sum())
s, a = number("feature_a")
out["feature_a::type"] = int((a.isna() & s.notna()).sum())
out["feature_a::not_null"] = int(s.isna().sum())
out["feature_a::between"] = int(((a < 0) | (a > 1)).sum())
s, b = number("feature_b")
out["feature_b::type"] = int((b.isna() & s.notna()).sum())
out["feature_b::between"] = int(((b < -1) | (b > 1)).sum())
cat = df["category"]
out["category::in"] = int((~cat.isin(["a", "b", "c"]) & cat.notna()).sum())
s, label = number("label", integer=True)
out["label::type"] = int((label.isna() & s.notna()).sum())
out["label::in"] = int((~label.isin([0, 1]) & label.notna()).sum())
counts = label.dropna().value_counts(normalize=True)
out["label::min_classes"] = max(0, 2 - len(counts))
out["label::min_class_frequency"] = int((counts < 0.1).sum())
split = df["split"]
out["split::in"] = int((~split.isin(["train", "test"]) & split.notna()).sum())
name = df["name"].dropna()
out["name::regex"] = int((~name.str.contains(r"^[a-j]+$", regex=True)).sum())
out["name::length"] = int(((name.str.len() < 3) | (name.str.len() > 8)).sum())
s, score = number("score", integer=True)
out["score::type"] = int((score.isna() & s.notna()).sum())
out["score::increasing"] = int((score.dropna().diff() <= 0).sum())
out["score::unique"] = int(score.dropna().duplicated(keep=False).sum())
key = pd.DataFrame({"u": uid, "t": ts}).dropna()
out["user_id,timestamp::unique"] = int(key.duplicated(keep=False).sum())
pairs = pd.DataFrame({"u": uid, "s": split}).dropna(subset=["u"])
out["user_id::leakage"] = int((pairs.groupby("u")["s"].nunique(dropna=False) > 1).sum())
print(json.dumps(out, sort_keys=True))
