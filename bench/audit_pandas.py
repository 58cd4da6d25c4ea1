"""Singleton rate of a facts TSV (subject, relation, answer) with pandas.

The way a pandas user would count it: read in chunks (the file may not fit
in memory as Python objects), value_counts of the prompt per chunk, added
up. Prints "singletons records".
"""
import csv
import sys

import pandas as pd

path = sys.argv[1]
counts = None
records = 0
for df in pd.read_csv(path, sep="\t", header=None, names=["s", "r", "a"], dtype=str,
                      chunksize=5_000_000, na_filter=False, quoting=csv.QUOTE_NONE):
    records += len(df)
    answered = df[df["a"] != "IDK"]
    vc = (answered["s"] + "\t" + answered["r"]).value_counts()
    counts = vc if counts is None else counts.add(vc, fill_value=0)
singletons = 0 if counts is None else int((counts == 1).sum())
print(singletons, records)
