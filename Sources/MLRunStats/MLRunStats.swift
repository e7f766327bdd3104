// Two-sample drift statistics equal to SciPy's (work in progress, being written).
