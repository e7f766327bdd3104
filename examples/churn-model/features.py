"""The churn models' input: ten numeric features of a customer, as float32.

tenure_months, monthly_charges, total_charges, support_tickets, then one-hot contract
(month-to-month, one-year, two-year) and plan (basic, standard, premium).
"""

import csv

import numpy as np

CONTRACTS = ["month-to-month", "one-year", "two-year"]
PLANS = ["basic", "standard", "premium"]


def read(path):
    """(features, labels) of a churn CSV file."""
    rows, labels = [], []
    with open(path, newline="") as file:
        for row in csv.DictReader(file):
            numbers = [float(row[name]) for name in ("tenure_months", "monthly_charges", "total_charges", "support_tickets")]
            contract = [1.0 if row["contract"] == c else 0.0 for c in CONTRACTS]
            plan = [1.0 if row["plan"] == p else 0.0 for p in PLANS]
            rows.append(numbers + contract + plan)
            labels.append(int(row["churned"]))
    return np.array(rows, dtype=np.float32), np.array(labels, dtype=np.int64)
