"""Builds the compact VADER data files crmlens ships (src/sentiment/data/) from the MIT-licensed
vaderSentiment lexicons in ../shared/data/vader_hutto_icwsm2014 (cjhutto/vaderSentiment @ 44fc044,
identical to the vaderSentiment 3.3.2 wheel apart from line endings).

    vader_lexicon.tsv  token <TAB> mean valence, one line per distinct token, in file order; a token
                       listed twice keeps its last value (vaderSentiment builds a dict the same way).
    vader_emoji.tsv    emoji <TAB> description, only the entries that are one code point: the
                       analyser replaces text character by character, so longer sequences never match.

Standard library only. Run from the repository root: python3 scripts/sentiment/vader_data.py
"""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "..", "shared", "data", "vader_hutto_icwsm2014")
OUT = os.path.join(ROOT, "src", "sentiment", "data")


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l for l in f.read().replace("\r", "").rstrip("\n").split("\n")]


def main():
    lex = {}
    for line in lines(os.path.join(SRC, "vader_lexicon.txt")):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        float(measure)
        lex[word] = measure
    with open(os.path.join(OUT, "vader_lexicon.tsv"), "w", encoding="utf-8", newline="\n") as out:
        for word, measure in lex.items():
            out.write("%s\t%s\n" % (word, measure))
    emoji = {}
    for line in lines(os.path.join(SRC, "emoji_utf8_lexicon.txt")):
        e, description = line.strip().split("\t")[0:2]
        emoji[e] = description
    with open(os.path.join(OUT, "vader_emoji.tsv"), "w", encoding="utf-8", newline="\n") as out:
        for e, description in emoji.items():
            if len(e) == 1:
                out.write("%s\t%s\n" % (e, description))
    print(len(lex), "lexicon entries,", sum(1 for e in emoji if len(e) == 1), "single-code-point emoji")


if __name__ == "__main__":
    main()
