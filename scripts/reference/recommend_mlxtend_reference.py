"""Reference association rules from mlxtend for crmlens' `associationRules`
(tests/recommend_rules.rs compares the rule sets).

Command (from the repository root, data beside it in ../shared/data):
    python3 -m venv /tmp/venv-recommend
    /tmp/venv-recommend/bin/pip install mlxtend==0.25.0 pandas==3.1.1 numpy==2.4.6
    /tmp/venv-recommend/bin/python scripts/reference/recommend_mlxtend_reference.py \
        > tests/fixtures/recommend/online_retail_mlxtend_rules.json
Versions used: Python 3.11.7, mlxtend 0.25.0, pandas 3.1.1, numpy 2.4.6.

Input: online_retail_uci_first5000/online_retail_small.csv (UCI Online Retail, first 5,000
rows; CC BY 4.0), every column read as text. Baskets: InvoiceNo -> set of StockCode (rows
missing either are dropped by dropna; there are none). One-hot with TransactionEncoder, then
fpgrowth(min_support, max_len, use_colnames=True) and association_rules(metric="confidence",
min_threshold=min_confidence, num_itemsets=number of baskets), then lift >= min_lift.
"""

import json
import os
import sys

import mlxtend
import pandas as pd
from mlxtend.frequent_patterns import association_rules, fpgrowth
from mlxtend.preprocessing import TransactionEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "online_retail_uci_first5000", "online_retail_small.csv")

CONFIGS = [
    {"minSupport": 0.05, "minConfidence": 0.6, "minLift": 2.0, "maxLen": 3},
    {"minSupport": 0.02, "minConfidence": 0.5, "minLift": 10.0, "maxLen": 2},
    {"minSupport": 0.06, "minConfidence": 0.5, "minLift": 1.0, "maxLen": None},
]


def main():
    df = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    df = df[(df["InvoiceNo"].str.strip() != "") & (df["StockCode"].str.strip() != "")]
    baskets = df.groupby("InvoiceNo", sort=False)["StockCode"].apply(lambda s: sorted(set(s))).tolist()
    te = TransactionEncoder()
    onehot = pd.DataFrame(te.fit(baskets).transform(baskets), columns=te.columns_)
    out = {"mlxtend_version": mlxtend.__version__, "transactions": len(baskets),
           "items": int(onehot.shape[1]), "configs": []}
    for cfg in CONFIGS:
        freq = fpgrowth(onehot, min_support=cfg["minSupport"], use_colnames=True, max_len=cfg["maxLen"])
        rules = association_rules(freq, num_itemsets=len(baskets), metric="confidence",
                                  min_threshold=cfg["minConfidence"])
        rules = rules[rules["lift"] >= cfg["minLift"]]
        # One compact row per rule: [antecedents, consequents, antecedent support, consequent
        # support, support, confidence, lift, leverage, conviction (null = infinite)], the
        # measures rounded to 12 significant digits to keep the fixture small.
        rows = []
        for _, r in rules.iterrows():
            conv = r["conviction"]
            sig = lambda x: float(f"{x:.12g}")
            rows.append([
                sorted(r["antecedents"]),
                sorted(r["consequents"]),
                sig(r["antecedent support"]),
                sig(r["consequent support"]),
                sig(r["support"]),
                sig(r["confidence"]),
                sig(r["lift"]),
                sig(r["leverage"]),
                None if conv == float("inf") else sig(conv),
            ])
        rows.sort(key=lambda r: (r[0], r[1]))
        out["configs"].append({"options": cfg, "frequentItemsets": len(freq), "rules": rows})
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
