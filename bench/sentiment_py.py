"""Python side of bench/sentiment.mjs: times vaderSentiment 3.3.2 (and optionally SnowNLP 0.12.3)
on texts given as a JSON file, prints JSON {versions, ms: {...}, n}.

    /tmp/venv-sentiment/bin/python bench/sentiment_py.py --en texts_en.json --zh texts_zh.json --runs 3
"""

import argparse
import json
import time
from importlib import metadata

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--en", required=True)
    ap.add_argument("--zh")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    out = {"versions": {"vaderSentiment": metadata.version("vaderSentiment")}, "ms": {}, "n": {}}
    en = json.load(open(a.en, encoding="utf-8"))
    analyzer = SentimentIntensityAnalyzer()
    times = []
    for _ in range(a.runs):
        t = time.perf_counter()
        for s in en:
            analyzer.polarity_scores(s)
        times.append((time.perf_counter() - t) * 1000)
    out["ms"]["vader"] = median(times)
    out["n"]["vader"] = len(en)
    if a.zh:
        from snownlp import SnowNLP

        out["versions"]["snownlp"] = metadata.version("snownlp")
        zh = json.load(open(a.zh, encoding="utf-8"))
        t = time.perf_counter()
        for s in zh:
            SnowNLP(s).sentiments
        out["ms"]["snownlp"] = (time.perf_counter() - t) * 1000
        out["n"]["snownlp"] = len(zh)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
