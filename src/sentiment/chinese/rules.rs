//! The Chinese rule words (issue 7's lists plus close synonyms): negators, degree adverbs
//! with their multipliers (contrast and irrealis words: `clauses`); and the features a text
//! gives its model:
//! every Han word, with a word inside a negator's scope marked "!word" so that the model
//! learns what negation does to it, and every pair of adjacent Han words ("性价比+不高").

use super::clauses::{CONTRAST, IRREALIS};
use super::segment::{Kind, Token};

/// Negators. A negator's scope is the next two words, up to punctuation.
pub const NEGATORS: &[&str] = &[
    "不",
    "没",
    "没有",
    "别",
    "未",
    "无",
    "非",
    "不是",
    "不太",
    "不会",
    "不能",
    "不够",
    "并不",
    "从不",
    "毫不",
    "绝不",
    "不怎么",
    "没什么",
    "未必",
    "无法",
];

/// Degree adverbs and what they multiply the next sentiment word by.
pub const DEGREE: &[(&str, f64)] = &[
    ("极", 2.0),
    ("极其", 2.0),
    ("极为", 2.0),
    ("超级", 1.8),
    ("非常", 1.8),
    ("十分", 1.7),
    ("特别", 1.7),
    ("太", 1.6),
    ("很", 1.5),
    ("相当", 1.5),
    ("挺", 1.3),
    ("比较", 1.2),
    ("较", 1.2),
    ("还算", 0.9),
    ("有点", 0.8),
    ("有些", 0.8),
    ("稍微", 0.7),
    ("略", 0.7),
];

/// Scope of a negator, in words.
pub const NEGATION_SCOPE: usize = 2;

pub fn is_negator(w: &str) -> bool {
    NEGATORS.contains(&w)
}

pub fn degree(w: &str) -> Option<f64> {
    DEGREE.iter().find(|(k, _)| *k == w).map(|&(_, m)| m)
}

/// The rule words, for the segmenter's dictionary.
pub fn rule_words() -> impl Iterator<Item = &'static str> {
    let clause_words = CONTRAST.iter().chain(IRREALIS).copied();
    NEGATORS.iter().copied().chain(DEGREE.iter().map(|d| d.0)).chain(clause_words)
}

/// For every token: its model feature (`None` for non-Han tokens), negation-marked when in
/// a negator's scope. Degree adverbs do not use up the scope ("不很好" → 不, 很, !好).
pub fn features(tokens: &[Token<'_>]) -> Vec<Option<String>> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut scope = 0usize;
    for t in tokens {
        if t.kind != Kind::Han {
            if t.kind == Kind::Other {
                scope = 0;
            }
            out.push(None);
            continue;
        }
        if is_negator(t.text) {
            scope = NEGATION_SCOPE;
            out.push(Some(t.text.to_string()));
        } else if scope > 0 && degree(t.text).is_none() {
            scope -= 1;
            out.push(Some(format!("!{}", t.text)));
        } else {
            out.push(Some(t.text.to_string()));
        }
    }
    out
}

/// For every token: the pair feature "previous+this" of two adjacent Han features (the pair
/// "性价比+不高" tells more than 性价比 and 不高 apart), else `None`.
pub fn pairs(tokens: &[Token<'_>], feats: &[Option<String>]) -> Vec<Option<String>> {
    let mut out = Vec::with_capacity(tokens.len());
    for i in 0..tokens.len() {
        out.push(match (i.checked_sub(1).and_then(|j| feats[j].as_ref()), &feats[i]) {
            (Some(a), Some(b)) => Some([a.as_str(), "+", b.as_str()].concat()),
            _ => None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::segment::Segmenter;
    use super::*;

    #[test]
    fn negation_scope() {
        let s = Segmenter::new(rule_words().chain(["满意", "服务"]));
        let toks = s.segment("不很满意服务，好");
        let f: Vec<Option<String>> = features(&toks);
        let f: Vec<&str> = f.iter().map(|x| x.as_deref().unwrap_or("-")).collect();
        assert_eq!(f, ["不", "很", "!满意", "!服务", "-", "好"]);
        let p = pairs(&toks, &features(&toks));
        let p: Vec<&str> = p.iter().map(|x| x.as_deref().unwrap_or("-")).collect();
        assert_eq!(p, ["-", "不+很", "很+!满意", "!满意+!服务", "-", "-"]);
    }
}
