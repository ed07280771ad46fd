//! VADER's scoring, rule for rule as vaderSentiment 3.3.2 `polarity_scores` does it: emoji to
//! words, tokens with their punctuation stripped, per-token valence (lexicon, "no", ALL CAPS,
//! boosters within three words, negation window, idioms, "least"), the "but" contrast, then
//! "!"/"?" emphasis and the normalised compound. Quirks of the original are kept on purpose
//! (they are noted where they matter), because agreement with it is the contract.

use std::borrow::Cow;

use super::lexicon::Lexicon;
use super::pytext::{py_isupper, py_lower, py_split, strip_punctuation_if_word};
use super::rules::{booster, is_negation, special_case, BOOSTER_BIGRAMS, C_INCR, N_SCALAR};

/// VADER's four scores of one text. `compound` is in [-1, 1]; `positive`, `neutral` and
/// `negative` are proportions that sum to 1 (all 0 for a text without tokens). Unlike
/// vaderSentiment they are not rounded.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub compound: f64,
    pub positive: f64,
    pub neutral: f64,
    pub negative: f64,
}

/// One token and what it added to the text's sum of valences (0 for neutral tokens).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenValence {
    pub token: String,
    pub valence: f64,
}

struct Tok<'a> {
    text: &'a str,
    lower: Cow<'a, str>,
}

/// Scores of one text.
pub fn polarity_scores(text: &str) -> Scores {
    let lex = Lexicon::get();
    let text = replace_emoji(text, lex);
    let toks = tokens(&text);
    let sentiments = valences(&toks, lex);
    score_valence(&sentiments, &text)
}

/// Scores of one text with each token's contribution.
pub fn explain(text: &str) -> (Scores, Vec<TokenValence>) {
    let lex = Lexicon::get();
    let text = replace_emoji(text, lex);
    let toks = tokens(&text);
    let sentiments = valences(&toks, lex);
    let scores = score_valence(&sentiments, &text);
    let contributions =
        toks.iter().zip(&sentiments).map(|(t, &v)| TokenValence { token: t.text.to_string(), valence: v }).collect();
    (scores, contributions)
}

/// Every emoji character replaced by its description, separated from a preceding non-space
/// character by one space (only U+0020 counts as a space here, as in the original).
fn replace_emoji<'a>(text: &'a str, lex: &Lexicon) -> Cow<'a, str> {
    if text.is_ascii() || !text.chars().any(|c| lex.emoji(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut prev_space = true;
    for c in text.chars() {
        if let Some(d) = lex.emoji(c) {
            if !prev_space {
                out.push(' ');
            }
            out.push_str(d);
            prev_space = false;
        } else {
            out.push(c);
            prev_space = c == ' ';
        }
    }
    Cow::Owned(out)
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    py_split(text)
        .map(|w| {
            let t = strip_punctuation_if_word(w);
            Tok { text: t, lower: py_lower(t) }
        })
        .collect()
}

/// The valence of every token after all word-level rules and the "but" contrast.
fn valences(toks: &[Tok<'_>], lex: &Lexicon) -> Vec<f64> {
    let upper: Vec<bool> = toks.iter().map(|t| py_isupper(t.text)).collect();
    let n_upper = upper.iter().filter(|&&u| u).count();
    // Some but not all tokens are ALL CAPS.
    let cap_diff = n_upper > 0 && n_upper < toks.len();
    let mut s = Vec::with_capacity(toks.len());
    for i in 0..toks.len() {
        let lower = &*toks[i].lower;
        let v = if booster(lower).is_some() || (i + 1 < toks.len() && lower == "kind" && toks[i + 1].lower == "of") {
            0.0
        } else {
            word_valence(toks, &upper, i, cap_diff, lex)
        };
        s.push(v);
    }
    but_check(toks, &mut s);
    s
}

fn word_valence(toks: &[Tok<'_>], upper: &[bool], i: usize, cap_diff: bool, lex: &Lexicon) -> f64 {
    let w = |k: usize| -> &str { &toks[k].lower };
    let Some(base) = lex.valence(w(i)) else { return 0.0 };
    let mut v = base;
    // "no" before another lexicon word negates it rather than counting itself.
    if w(i) == "no" && i + 1 < toks.len() && lex.contains(w(i + 1)) {
        v = 0.0;
    }
    if (i > 0 && w(i - 1) == "no")
        || (i > 1 && w(i - 2) == "no")
        || (i > 2 && w(i - 3) == "no" && matches!(w(i - 1), "or" | "nor"))
    {
        v = base * N_SCALAR;
    }
    if upper[i] && cap_diff {
        v += if v > 0.0 { C_INCR } else { -C_INCR };
    }
    for start in 0..3 {
        // Preceding non-lexicon words: boosters (dampened with distance), negation, idioms.
        if i > start && !lex.contains(w(i - start - 1)) {
            let k = i - start - 1;
            let mut b = scalar_inc_dec(toks[k].text, w(k), upper[k], v, cap_diff);
            if start == 1 && b != 0.0 {
                b *= 0.95;
            }
            if start == 2 && b != 0.0 {
                b *= 0.9;
            }
            v += b;
            v = negation_check(v, toks, start, i);
            if start == 2 {
                v = special_idioms_check(v, toks, i);
            }
        }
    }
    least_check(v, toks, i, lex)
}

fn scalar_inc_dec(_word: &str, lower: &str, is_upper: bool, valence: f64, cap_diff: bool) -> f64 {
    let Some(mut scalar) = booster(lower) else { return 0.0 };
    if valence < 0.0 {
        scalar = -scalar;
    }
    if is_upper && cap_diff {
        scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    scalar
}

fn negation_check(v: f64, toks: &[Tok<'_>], start: usize, i: usize) -> f64 {
    let w = |k: usize| -> &str { &toks[k].lower };
    match start {
        0 if is_negation(w(i - 1)) => v * N_SCALAR,
        1 if w(i - 2) == "never" && matches!(w(i - 1), "so" | "this") => v * 1.25,
        1 if w(i - 2) == "without" && w(i - 1) == "doubt" => v,
        1 if is_negation(w(i - 2)) => v * N_SCALAR,
        // Python precedence: (never and (so|this)) or (w[i-1] is so|this).
        2 if (w(i - 3) == "never" && matches!(w(i - 2), "so" | "this")) || matches!(w(i - 1), "so" | "this") => {
            v * 1.25
        }
        2 if w(i - 3) == "without" && (w(i - 2) == "doubt" || w(i - 1) == "doubt") => v,
        2 if is_negation(w(i - 3)) => v * N_SCALAR,
        _ => v,
    }
}

/// Special-case idioms around token i (needs i ≥ 3) and booster bigrams just before it.
fn special_idioms_check(mut v: f64, toks: &[Tok<'_>], i: usize) -> f64 {
    let w = |k: usize| -> &str { &toks[k].lower };
    let sequences: [&[&str]; 5] = [
        &[w(i - 1), w(i)],
        &[w(i - 2), w(i - 1), w(i)],
        &[w(i - 2), w(i - 1)],
        &[w(i - 3), w(i - 2), w(i - 1)],
        &[w(i - 3), w(i - 2)],
    ];
    if let Some(x) = sequences.iter().find_map(|s| special_case(s)) {
        v = x;
    }
    if toks.len() - 1 > i {
        if let Some(x) = special_case(&[w(i), w(i + 1)]) {
            v = x;
        }
    }
    if toks.len() - 1 > i + 1 {
        if let Some(x) = special_case(&[w(i), w(i + 1), w(i + 2)]) {
            v = x;
        }
    }
    // n-grams [i-3 i-2 i-1] (never a bigram key), [i-3 i-2], [i-2 i-1] against the boosters.
    for pair in [[w(i - 3), w(i - 2)], [w(i - 2), w(i - 1)]] {
        if let Some(&(_, b)) = BOOSTER_BIGRAMS.iter().find(|(k, _)| *k == pair) {
            v += b;
        }
    }
    v
}

fn least_check(v: f64, toks: &[Tok<'_>], i: usize, lex: &Lexicon) -> f64 {
    let w = |k: usize| -> &str { &toks[k].lower };
    if i > 0 && w(i - 1) == "least" && !lex.contains("least") {
        if i > 1 {
            if w(i - 2) != "at" && w(i - 2) != "very" {
                return v * N_SCALAR;
            }
            return v;
        }
        return v * N_SCALAR;
    }
    v
}

/// "but": valences before the first "but" halve, after it grow by half. As in the original,
/// each value is looked up by equality (`list.index`), so when two tokens share a value the
/// first of them is the one rescaled -- possibly twice.
fn but_check(toks: &[Tok<'_>], s: &mut [f64]) {
    let Some(bi) = toks.iter().position(|t| t.lower == "but") else { return };
    for k in 0..s.len() {
        let value = s[k];
        let Some(si) = s.iter().position(|&x| x == value) else { continue };
        if si < bi {
            s[si] = value * 0.5;
        } else if si > bi {
            s[si] = value * 1.5;
        }
    }
}

fn punctuation_emphasis(text: &str) -> f64 {
    let ep = text.bytes().filter(|&b| b == b'!').count().min(4);
    let qm = text.bytes().filter(|&b| b == b'?').count();
    let qm_amp = match qm {
        0 | 1 => 0.0,
        2 | 3 => qm as f64 * 0.18,
        _ => 0.96,
    };
    ep as f64 * 0.292 + qm_amp
}

/// VADER's normalisation of a sum of valences into (-1, 1).
pub fn normalize(score: f64) -> f64 {
    let n = score / (score * score + 15.0).sqrt();
    n.clamp(-1.0, 1.0)
}

fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let mut sum: f64 = sentiments.iter().sum();
    let amp = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += amp;
    } else if sum < 0.0 {
        sum -= amp;
    }
    let compound = normalize(sum);
    let (mut pos, mut neg, mut neu) = (0.0f64, 0.0f64, 0usize);
    for &s in sentiments {
        if s > 0.0 {
            pos += s + 1.0;
        }
        if s < 0.0 {
            neg += s - 1.0;
        }
        if s == 0.0 {
            neu += 1;
        }
    }
    if pos > neg.abs() {
        pos += amp;
    } else if pos < neg.abs() {
        neg -= amp;
    }
    let total = pos + neg.abs() + neu as f64;
    Scores {
        compound,
        positive: (pos / total).abs(),
        neutral: (neu as f64 / total).abs(),
        negative: (neg / total).abs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_examples() {
        // vaderSentiment 3.3.2's own demo sentences and their published compounds.
        let cases = [
            ("VADER is smart, handsome, and funny.", 0.8316),
            ("VADER is very smart, handsome, and funny.", 0.8545),
            ("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342),
            ("VADER is not smart, handsome, nor funny.", -0.7424),
            ("At least it isn't a horrible book.", 0.431),
            ("The plot was good, but the characters are uncompelling and the dialog is not great.", -0.7042),
            ("Today only kinda sux! But I'll get by, lol", 0.5249),
            ("Catch utf-8 emoji such as 💘 and 💋 and 😁", 0.875),
            ("Not bad at all", 0.431),
            // Tricky sentences; values printed by vaderSentiment 3.3.2.
            ("Sentiment analysis has never been this good!", 0.5672),
            ("With VADER, sentiment analysis is the shit!", 0.6476),
            ("On the other hand, VADER is quite bad ass", 0.802),
            ("Without a doubt, excellent idea.", 0.7013),
            ("Roger Dodger is one of the least compelling variations on this theme.", -0.1695),
            ("Roger Dodger is at least compelling as a variation on the theme.", 0.2263),
            ("good good but good bad bad", -0.5789),
            ("no good, no bad, no or nor love", 0.716),
            ("The service was kind of good", 0.3832),
            ("Wow\u{1f}great ©", 0.836),
            ("GREAT ΣΑΣ love", 0.876),
            ("I didn't like it at all???", -0.3919),
            ("sort of nice just enough fun", 0.7269),
        ];
        for (text, want) in cases {
            let got = polarity_scores(text).compound;
            assert!((got - want).abs() < 5e-5, "{text}: {got} vs {want}");
        }
    }

    #[test]
    fn empty_and_neutral() {
        assert_eq!(polarity_scores(""), Scores::default());
        assert_eq!(polarity_scores("   "), Scores::default());
        let s = polarity_scores("the table");
        assert_eq!((s.compound, s.neutral), (0.0, 1.0));
    }
}
