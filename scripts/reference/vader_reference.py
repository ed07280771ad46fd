"""Reference compound scores from vaderSentiment 3.3.2 for crmlens' English sentiment (VADER port).

Scores every text of the two human-rated ground-truth corpora of Hutto & Gilbert (ICWSM 2014)
that are in ../shared/data/vader_hutto_icwsm2014/hutto_ICWSM_2014/ (tweets: 4,200 texts,
movie-review snippets: 10,605 texts) with vaderSentiment's SentimentIntensityAnalyzer and writes

    tests/fixtures/sentiment/vader_tweets_3.3.2.tsv
    tests/fixtures/sentiment/vader_movies_3.3.2.tsv
        id <TAB> compound (vaderSentiment's own 4-decimal rounding) <TAB> neg <TAB> neu <TAB> pos

Lines of the ground-truth files are read as bytes, decoded as UTF-8, split on "\\n", a trailing
"\\r" removed, then split on the first two tabs into id, human mean, text -- exactly what
tests/sentiment_vader.rs does, so both sides score the same strings.

Run from the repository root (Python 3.11; vaderSentiment 3.3.2 pulls in requests, unused here):

    python3 -m venv /tmp/venv-sentiment && /tmp/venv-sentiment/bin/pip install vaderSentiment==3.3.2
    /tmp/venv-sentiment/bin/python scripts/reference/vader_reference.py
"""

import os
from importlib import metadata

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "vader_hutto_icwsm2014", "hutto_ICWSM_2014")
OUT = os.path.join(ROOT, "tests", "fixtures", "sentiment")


def read_ground_truth(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    rows = []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        ident, mean, body = line.split("\t", 2)
        rows.append((ident, float(mean), body))
    return rows


def main():
    assert metadata.version("vaderSentiment") == "3.3.2", metadata.version("vaderSentiment")
    analyzer = SentimentIntensityAnalyzer()
    for name, file in [("tweets", "tweets_GroundTruth.txt"), ("movies", "movieReviewSnippets_GroundTruth.txt")]:
        rows = read_ground_truth(os.path.join(DATA, file))
        out_path = os.path.join(OUT, "vader_%s_3.3.2.tsv" % name)
        with open(out_path, "w", encoding="utf-8", newline="\n") as out:
            for ident, _mean, body in rows:
                s = analyzer.polarity_scores(body)
                out.write("%s\t%s\t%s\t%s\t%s\n" % (ident, s["compound"], s["neg"], s["neu"], s["pos"]))
        print("wrote", out_path, len(rows), "rows")


if __name__ == "__main__":
    main()
