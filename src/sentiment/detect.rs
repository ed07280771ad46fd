//! Language of one text, from its characters: Han ideographs against Latin words.

use serde::Serialize;

/// The language a text was scored as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum TextLanguage {
    /// English (also texts of emoji / emoticons / punctuation only: VADER scores those).
    En,
    /// Chinese.
    Zh,
    /// Chinese and English words both carry the text: scored by both, weighted by length.
    Mixed,
    /// A missing value (null): not scored.
    None,
}

impl TextLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            TextLanguage::En => "en",
            TextLanguage::Zh => "zh",
            TextLanguage::Mixed => "mixed",
            TextLanguage::None => "none",
        }
    }
}

/// CJK unified ideographs (with extension A, compatibility ideographs and the supplementary planes).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Counts of Han characters and of Latin words (runs of two or more ASCII letters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Script {
    pub han: usize,
    pub latin_words: usize,
}

pub fn script(text: &str) -> Script {
    let mut s = Script::default();
    let mut run = 0usize;
    if text.is_ascii() {
        // No Han here: only the Latin words, byte by byte (no UTF-8 decoding in the hot loop).
        for &b in text.as_bytes() {
            if b.is_ascii_alphabetic() {
                run += 1;
                continue;
            }
            if run >= 2 {
                s.latin_words += 1;
            }
            run = 0;
        }
        if run >= 2 {
            s.latin_words += 1;
        }
        return s;
    }
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            run += 1;
            continue;
        }
        if run >= 2 {
            s.latin_words += 1;
        }
        run = 0;
        if is_han(c) {
            s.han += 1;
        }
    }
    if run >= 2 {
        s.latin_words += 1;
    }
    s
}

/// The weight of the Chinese reading of a text (1 = Chinese only, 0 = English only). A Chinese
/// word is about 1.5 characters, so Han characters count two thirds of a word each. A text is
/// mixed when each side has at least a quarter of the words and at least two of them, so a
/// brand name in a Chinese review ("我很喜欢这款iPhone") stays Chinese and one Chinese
/// character in an English review stays English.
pub fn chinese_weight(s: Script) -> f64 {
    if s.han == 0 {
        return 0.0;
    }
    let zh = s.han as f64 / 1.5;
    let en = s.latin_words as f64;
    let w = zh / (zh + en);
    if s.latin_words < 2 || w >= 0.75 {
        1.0
    } else if s.han < 2 || w <= 0.25 {
        0.0
    } else {
        w
    }
}

/// The language of a text.
pub fn detect(text: &str) -> TextLanguage {
    let w = chinese_weight(script(text));
    if w == 0.0 {
        TextLanguage::En
    } else if w == 1.0 {
        TextLanguage::Zh
    } else {
        TextLanguage::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(detect("Great service, thanks!"), TextLanguage::En);
        assert_eq!(detect("我很满意这款手机！"), TextLanguage::Zh);
        assert_eq!(detect("我很喜欢这款iPhone"), TextLanguage::Zh);
        assert_eq!(detect("😀 :)"), TextLanguage::En);
        assert_eq!(detect("The delivery was fast 但是 质量 很差 really bad"), TextLanguage::Mixed);
        assert_eq!(detect("Very nice hotel, the staff were friendly and the room was clean 好"), TextLanguage::En);
    }
}
