#!/usr/bin/env python3
"""Writes the churn example's data sets (standard library only, seeded: the same bytes every run).

  data/train.csv     3,000 rows: one row per customer-month snapshot of a subscription
                     business, the training split.
  data/holdout.csv   800 rows of other customers, the evaluation split.
  broken/train.csv   data/train.csv with one deliberate defect: an upstream join bug wrote
                     monthly_charges in cents for 25 rows of March (values 100x too large).

Run from this folder: python3 generate.py
"""
import csv
import random
from datetime import datetime, timedelta, timezone

rng = random.Random(2024)
CONTRACTS = ["month-to-month", "one-year", "two-year"]
PLANS = ["basic", "standard", "premium"]
PRICE = {"basic": 19.0, "standard": 39.0, "premium": 69.0}
COLUMNS = ["customer_id", "snapshot_at", "tenure_months", "contract", "plan", "monthly_charges",
           "total_charges", "support_tickets", "email", "churned"]


def rows(customers, count, start):
    out = []
    moment = start
    for i in range(count):
        customer = customers[i % len(customers)]
        plan = rng.choice(PLANS)
        contract = rng.choices(CONTRACTS, weights=[5, 3, 2])[0]
        tenure = rng.randint(1, 72)
        monthly = round(PRICE[plan] * rng.uniform(0.85, 1.25), 2)
        total = round(monthly * tenure * rng.uniform(0.95, 1.0), 2)
        tickets = min(12, int(rng.expovariate(0.8)))
        risk = 0.08 + 0.25 * (contract == "month-to-month") + 0.04 * tickets - 0.002 * tenure
        moment += timedelta(seconds=rng.randint(30, 900))
        out.append({
            "customer_id": f"C{customer:05d}",
            "snapshot_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tenure_months": tenure,
            "contract": contract,
            "plan": plan,
            "monthly_charges": f"{monthly:.2f}",
            "total_charges": f"{total:.2f}",
            "support_tickets": tickets,
            # About 2 % of customers never gave an email address.
            "email": "" if rng.random() < 0.02 else f"user{customer}@example.com",
            "churned": int(rng.random() < max(0.02, min(0.9, risk))),
        })
    return out


def write(path, table):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


start = datetime(2024, 3, 1, tzinfo=timezone.utc)
train_customers = list(range(1, 1201))
holdout_customers = list(range(5001, 5401))
train = rows(train_customers, 3000, start)
holdout = rows(holdout_customers, 800, start + timedelta(days=40))
write("data/train.csv", train)
write("data/holdout.csv", holdout)

broken = [dict(r) for r in train]
for row in rng.sample([r for r in broken if r["snapshot_at"].startswith("2024-03")], 25):
    row["monthly_charges"] = f"{float(row['monthly_charges']) * 100:.0f}"
write("broken/train.csv", broken)
