//! Features of a text for the trainable models: lower-cased words (with "not_" marking the
//! two words after an English negation) and word bigrams for English; Han characters and
//! character bigrams for Chinese (no dictionary needed, so a trained model never depends on
//! the lazily loaded Chinese data). Presence only: a feature counts once per text.

use rustc_hash::FxHashSet;

use crate::sentiment::detect::{chinese_weight, is_han, script};
use crate::sentiment::english::rules::is_negation;
use crate::sentiment::options::Language;

/// The distinct features of one text.
pub fn text_features(text: &str, language: Language) -> Vec<String> {
    let zh = match language {
        Language::En => false,
        Language::Zh => true,
        Language::Auto => chinese_weight(script(text)) > 0.0,
    };
    let mut out: FxHashSet<String> = FxHashSet::default();
    english_features(text, &mut out);
    if zh {
        chinese_features(text, &mut out);
    }
    let mut v: Vec<String> = out.into_iter().collect();
    crate::sort::ord(&mut v);
    v
}

fn english_features(text: &str, out: &mut FxHashSet<String>) {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'') || is_han(c))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect();
    let mut scope = 0;
    let mut prev: Option<String> = None;
    for w in words {
        let f = if scope > 0 {
            scope -= 1;
            format!("not_{w}")
        } else {
            w.to_string()
        };
        if is_negation(w) || w == "no" {
            scope = 2;
        }
        if let Some(p) = prev.take() {
            out.insert(format!("{p} {f}"));
        }
        out.insert(f.clone());
        prev = Some(f);
    }
    for c in text.chars().filter(|c| matches!(c, '!' | '?')) {
        out.insert(c.to_string());
    }
}

fn chinese_features(text: &str, out: &mut FxHashSet<String>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if is_han(c) {
            out.insert(c.to_string());
            if let Some(p) = prev {
                out.insert(format!("{p}{c}"));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_chinese() {
        let f = text_features("Not good at all!", Language::En);
        assert!(f.contains(&"not".to_string()) && f.contains(&"not_good".to_string()) && f.contains(&"!".to_string()));
        assert!(f.contains(&"not not_good".to_string()));
        let f = text_features("很好吃", Language::Zh);
        assert!(f.contains(&"好吃".to_string()) && f.contains(&"很".to_string()));
        assert!(!text_features("很好吃", Language::En).contains(&"很".to_string()));
    }
}
