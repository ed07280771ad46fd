//! The VADER lexicon (7,506 tokens with their mean valence) and the emoji lexicon (1,212
//! single-code-point emoji with a text description), compiled into the module from
//! `src/sentiment/data/` (MIT, © C.J. Hutto; see `data/README.md`) and indexed on first use.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

const LEXICON: &str = include_str!("../data/vader_lexicon.tsv");
const EMOJI: &str = include_str!("../data/vader_emoji.tsv");

/// Token → mean valence, and emoji → description.
pub struct Lexicon {
    words: FxHashMap<&'static str, f64>,
    emoji: FxHashMap<char, &'static str>,
}

impl Lexicon {
    /// The shared lexicon, parsed once.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::parse)
    }

    fn parse() -> Lexicon {
        let mut words = FxHashMap::default();
        words.reserve(7600);
        for line in LEXICON.lines() {
            if let Some((w, m)) = line.split_once('\t') {
                // The data file is generated and checked by tests; a bad number would be a build bug.
                words.insert(w, m.parse::<f64>().unwrap_or(0.0));
            }
        }
        let mut emoji = FxHashMap::default();
        for line in EMOJI.lines() {
            if let Some((e, d)) = line.split_once('\t') {
                let mut cs = e.chars();
                if let (Some(c), None) = (cs.next(), cs.next()) {
                    emoji.insert(c, d);
                }
            }
        }
        Lexicon { words, emoji }
    }

    /// The valence of a lower-cased token, if it is in the lexicon.
    #[inline]
    pub fn valence(&self, token: &str) -> Option<f64> {
        self.words.get(token).copied()
    }

    #[inline]
    pub fn contains(&self, token: &str) -> bool {
        self.words.contains_key(token)
    }

    /// The text description of an emoji character (e.g. 😁 → "beaming face with smiling eyes").
    #[inline]
    pub fn emoji(&self, c: char) -> Option<&'static str> {
        if c.is_ascii() {
            return None;
        }
        self.emoji.get(&c).copied()
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn emoji_len(&self) -> usize {
        self.emoji.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_loads_every_entry() {
        let lex = Lexicon::get();
        assert_eq!(lex.len(), 7506);
        assert_eq!(lex.emoji_len(), 1212);
        assert_eq!(lex.valence("good"), Some(1.9));
        assert_eq!(lex.valence(":)"), Some(2.0));
        assert!(lex.emoji('😁').is_some());
        assert_eq!(LEXICON.lines().count(), 7506);
    }
}
