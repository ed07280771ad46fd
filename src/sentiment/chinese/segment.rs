//! Forward maximum matching over a word list: at each Han character, the longest dictionary
//! word that starts there (else the single character). Runs of ASCII letters/digits are one
//! token; every other character (punctuation, emoji, symbols) is its own token; white space
//! separates tokens and is dropped.

use rustc_hash::FxHashSet;

use crate::sentiment::detect::is_han;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Han characters (a dictionary word or a single character).
    Han,
    /// ASCII letters and digits.
    Latin,
    /// One other character: punctuation, symbol, emoji.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: Kind,
}

/// The word list and the length (in characters) of its longest word.
pub struct Segmenter {
    words: FxHashSet<Box<str>>,
    max_chars: usize,
}

impl Segmenter {
    pub fn new<I: IntoIterator<Item = S>, S: Into<Box<str>>>(words: I) -> Segmenter {
        let words: FxHashSet<Box<str>> = words.into_iter().map(Into::into).collect();
        let max_chars = words.iter().map(|w| w.chars().count()).max().unwrap_or(1).clamp(1, 8);
        Segmenter { words, max_chars }
    }

    pub fn contains(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn segment<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        // Byte offsets of the characters, plus the end.
        let bounds: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |k: usize| bounds.get(k).map_or(text.len(), |b| b.0);
        let mut i = 0;
        while i < bounds.len() {
            let (start, c) = bounds[i];
            if is_han(c) {
                // Longest dictionary word of Han characters starting here.
                let mut run = 1;
                while run < self.max_chars && i + run < bounds.len() && is_han(bounds[i + run].1) {
                    run += 1;
                }
                let mut len = run;
                while len > 1 && !self.words.contains(&text[start..end_of(i + len)]) {
                    len -= 1;
                }
                out.push(Token { text: &text[start..end_of(i + len)], kind: Kind::Han });
                i += len;
            } else if c.is_ascii_alphanumeric() {
                let mut j = i + 1;
                while j < bounds.len() && bounds[j].1.is_ascii_alphanumeric() {
                    j += 1;
                }
                out.push(Token { text: &text[start..end_of(j)], kind: Kind::Latin });
                i = j;
            } else {
                if !c.is_whitespace() {
                    out.push(Token { text: &text[start..end_of(i + 1)], kind: Kind::Other });
                }
                i += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_first() {
        let s = Segmenter::new(["满意", "手机", "非常", "没有", "没"]);
        let toks: Vec<&str> = s.segment("我很满意这款手机！ok 123").iter().map(|t| t.text).collect();
        assert_eq!(toks, ["我", "很", "满意", "这", "款", "手机", "！", "ok", "123"]);
        let toks: Vec<&str> = s.segment("没有货").iter().map(|t| t.text).collect();
        assert_eq!(toks, ["没有", "货"]);
        assert!(s.segment("").is_empty());
    }
}
