#!/usr/bin/env python3
"""Writes data/serving.csv: a month of the churn model's serving traffic (standard library only,
seeded: the same bytes every run).

The customers are drawn as in ../churn-data/generate.py (same plans, contracts, tenure and
support tickets), with one change: a price rise. Every plan costs 15 % more, so
monthly_charges has drifted away from the training set and nothing else has.

Run from this folder: python3 generate.py
Then the reference snapshot of the training set (what the drift suites compare against):
    mlrun snapshot ../churn-data/data/train.csv -o snapshots/train.json \\
        --columns tenure_months,contract,plan,monthly_charges,support_tickets
"""
import csv
import random

rng = random.Random(2025)
CONTRACTS = ["month-to-month", "one-year", "two-year"]
PLANS = ["basic", "standard", "premium"]
PRICE = {"basic": 19.0, "standard": 39.0, "premium": 69.0}
PRICE_RISE = 1.15

with open("data/serving.csv", "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["request_id", "tenure_months", "contract", "plan", "monthly_charges", "support_tickets"])
    for i in range(2000):
        plan = rng.choice(PLANS)
        contract = rng.choices(CONTRACTS, weights=[5, 3, 2])[0]
        tenure = rng.randint(1, 72)
        monthly = round(PRICE[plan] * PRICE_RISE * rng.uniform(0.85, 1.25), 2)
        tickets = min(12, int(rng.expovariate(0.8)))
        writer.writerow([f"R{i + 1:06d}", tenure, contract, plan, f"{monthly:.2f}", tickets])
