//! The VADER lexicon (7,506 tokens with their mean valence) and the emoji lexicon (1,212
//! single-code-point emoji with a text description), from `src/sentiment/data/` (MIT,
//! © C.J. Hutto; see `data/README.md`), indexed once.
//!
//! With the `embedded-lexicon` feature (default) the data is compiled in. The wasm package
//! builds without it: the data (≈ 41 KB gzipped) is a lazily loaded module of the package
//! (`crmlens_en.js`), installed with [`install`] on the first English text, as the Chinese
//! data is; until then [`loaded`] is false and scoring says so (`INVALID_STATE`).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

#[cfg(feature = "embedded-lexicon")]
const LEXICON: &str = include_str!("../data/vader_lexicon.tsv");
#[cfg(feature = "embedded-lexicon")]
const EMOJI: &str = include_str!("../data/vader_emoji.tsv");

static LEX: OnceLock<Lexicon> = OnceLock::new();

/// Installs the lexicon (the texts of `vader_lexicon.tsv` and `vader_emoji.tsv`). Once
/// installed it stays; installing again is a no-op.
pub fn install(lexicon: &str, emoji: &str) {
    if LEX.get().is_none() {
        let (l, e): (&'static str, &'static str) =
            (Box::leak(lexicon.to_owned().into_boxed_str()), Box::leak(emoji.to_owned().into_boxed_str()));
        let _ = LEX.set(Lexicon::parse(l, e));
    }
}

/// Whether the lexicon is available (compiled in, or installed).
pub fn loaded() -> bool {
    cfg!(feature = "embedded-lexicon") || LEX.get().is_some()
}

/// An empty lexicon: what scoring sees if a caller skipped the [`loaded`] check.
#[cfg(not(feature = "embedded-lexicon"))]
static EMPTY: OnceLock<Lexicon> = OnceLock::new();

/// Token → mean valence, and emoji → description.
pub struct Lexicon {
    words: FxHashMap<&'static str, f64>,
    emoji: FxHashMap<char, &'static str>,
}

impl Lexicon {
    /// The shared lexicon, parsed once (empty when neither compiled in nor installed: the
    /// scoring entry point checks [`loaded`] first and reports that).
    pub fn get() -> &'static Lexicon {
        #[cfg(feature = "embedded-lexicon")]
        return LEX.get_or_init(|| Lexicon::parse(LEXICON, EMOJI));
        #[cfg(not(feature = "embedded-lexicon"))]
        return LEX.get().unwrap_or_else(|| EMPTY.get_or_init(|| Lexicon::parse("", "")));
    }

    fn parse(lexicon: &'static str, emoji_text: &'static str) -> Lexicon {
        let mut words = FxHashMap::default();
        words.reserve(7600);
        for line in lexicon.lines() {
            if let Some((w, m)) = line.split_once('\t') {
                // The data file is generated and checked by tests; a bad number would be a build bug.
                words.insert(w, m.parse::<f64>().unwrap_or(0.0));
            }
        }
        let mut emoji = FxHashMap::default();
        for line in emoji_text.lines() {
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

#[cfg(all(test, feature = "embedded-lexicon"))]
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
