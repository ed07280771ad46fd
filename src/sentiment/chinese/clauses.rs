//! Rules that work on sentences and clauses rather than on single words:
//!
//! - contrast (但是 不过 可是 然而 但 却) reaches to the edges of its own sentence: the last
//!   contrast word of a sentence halves what comes before it in that sentence (the whole previous
//!   sentence when the contrast word opens its sentence) and raises the rest of the sentence by
//!   half, VADER's weights for "but". (A contrast word used to reweigh the whole text, so one
//!   但 in a long review halved every complaint before it.)
//! - irrealis: after a conditional or wish (如果 假如 要是 希望 但愿 应该 …) the words up to the
//!   end of the clause describe what is not the case, and carry no valence ("如果重新装修，应该
//!   还不错" does not say that anything is good). Taboada et al. (2011), "Lexicon-based methods
//!   for sentiment analysis", Computational Linguistics 37(2), block sentiment in irrealis
//!   contexts the same way.
//! - questions: positive words in a sentence that ends with ？ / ? are not asserted ("这也叫
//!   五星级？"), so they count half.

use super::segment::{Kind, Token};

/// Contrast conjunctions.
pub const CONTRAST: &[&str] = &["但是", "不过", "可是", "然而", "但", "却"];
/// What precedes a contrast word is multiplied by this, what follows it by `CONTRAST_AFTER`.
const CONTRAST_BEFORE: f64 = 0.5;
const CONTRAST_AFTER: f64 = 1.5;

/// Conditionals and wishes: the rest of their clause carries no valence.
pub const IRREALIS: &[&str] = &["如果", "如果说", "假如", "要是", "希望", "但愿", "应该", "应当", "以为"];

/// Positive valence in a question sentence is multiplied by this.
const QUESTION: f64 = 0.5;

pub fn is_contrast(w: &str) -> bool {
    CONTRAST.contains(&w)
}

fn is_irrealis(w: &str) -> bool {
    IRREALIS.contains(&w)
}

/// Marks that end a sentence.
fn ends_sentence(t: &Token<'_>) -> bool {
    t.kind == Kind::Other && matches!(t.text, "。" | "！" | "？" | "!" | "?" | "；" | ";" | "…" | "." | "～" | "~")
}

/// Marks that end a clause (besides those that end a sentence).
fn ends_clause(t: &Token<'_>) -> bool {
    ends_sentence(t) || (t.kind == Kind::Other && matches!(t.text, "，" | "," | "、" | "：" | ":"))
}

/// Sentence spans `[start, end)`; `end` takes in the run of end marks.
pub fn sentences(toks: &[Token<'_>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < toks.len() {
        if ends_sentence(&toks[i]) {
            while i + 1 < toks.len() && ends_sentence(&toks[i + 1]) {
                i += 1;
            }
            out.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < toks.len() {
        out.push((start, toks.len()));
    }
    out
}

/// Applies the three rules to the token valences `vals` (one per token).
pub fn apply(toks: &[Token<'_>], vals: &mut [f64]) {
    irrealis(toks, vals);
    let sents = sentences(toks);
    for (k, &(s, e)) in sents.iter().enumerate() {
        if let Some(ci) = (s..e).rev().find(|&j| toks[j].kind == Kind::Han && is_contrast(toks[j].text)) {
            let opens = (s..e).find(|&j| toks[j].kind == Kind::Han) == Some(ci);
            let from = if opens && k > 0 { sents[k - 1].0 } else { s };
            vals[from..ci].iter_mut().for_each(|v| *v *= CONTRAST_BEFORE);
            vals[ci + 1..e].iter_mut().for_each(|v| *v *= CONTRAST_AFTER);
        }
        if e > s && matches!(toks[e - 1].text, "?" | "？") {
            vals[s..e].iter_mut().filter(|v| **v > 0.0).for_each(|v| *v *= QUESTION);
        }
    }
}

/// Zeroes the valence of the words after an irrealis marker, up to the end of its clause.
fn irrealis(toks: &[Token<'_>], vals: &mut [f64]) {
    let mut on = false;
    for (t, v) in toks.iter().zip(vals.iter_mut()) {
        if ends_clause(t) {
            on = false;
        } else if t.kind == Kind::Han && is_irrealis(t.text) {
            on = true;
        } else if on {
            *v = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::segment::Segmenter;
    use super::*;

    fn run(text: &str) -> Vec<f64> {
        let s = Segmenter::new(CONTRAST.iter().chain(IRREALIS).copied().chain(["好", "差"]));
        let toks = s.segment(text);
        let mut vals: Vec<f64> =
            toks.iter().map(|t| if t.text == "好" { 1.0 } else { -f64::from(t.text == "差") }).collect();
        apply(&toks, &mut vals);
        vals
    }

    #[test]
    fn contrast_stays_in_its_sentence() {
        // 差 。 好 ， 但是 差 。 差
        assert_eq!(run("差。好，但是差。差"), [-1.0, 0.0, 0.5, 0.0, 0.0, -1.5, 0.0, -1.0]);
        // A sentence opened by the contrast word halves the previous sentence.
        assert_eq!(run("好。但差"), [0.5, 0.0, 0.0, -1.5]);
    }

    #[test]
    fn irrealis_and_questions() {
        assert_eq!(run("如果好，差"), [0.0, 0.0, 0.0, -1.0]);
        assert_eq!(run("好？差"), [0.5, 0.0, -1.0]);
    }
}
