//! Python `str` behaviour the VADER rules depend on, reproduced exactly: what `split()` and
//! `strip()` call whitespace, `strip(string.punctuation)`, `isupper()` and `lower()`.

/// Python's `str.isspace()`: Unicode white space plus the four ASCII separators U+001C..U+001F
/// (which Rust's `char::is_whitespace` does not count).
#[inline]
pub fn is_py_space(c: char) -> bool {
    if c.is_ascii() {
        is_py_space_byte(c as u8)
    } else {
        c.is_whitespace()
    }
}

/// [`is_py_space`] of an ASCII byte: `\t \n \v \f \r`, U+001C..U+001F and the space.
#[inline]
fn is_py_space_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
}

/// Python's `str.split()`: the non-empty runs between white space. ASCII text is split byte by
/// byte (the same runs: every Python space of ASCII text is one ASCII byte), which keeps the
/// hot loop of scoring free of UTF-8 decoding calls at opt-level "s".
pub fn py_split(text: &str) -> impl Iterator<Item = &str> {
    let ascii = text.is_ascii();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut rest = text.split(is_py_space).filter(|w| !w.is_empty());
    std::iter::from_fn(move || {
        if !ascii {
            return rest.next();
        }
        while pos < bytes.len() && is_py_space_byte(bytes[pos]) {
            pos += 1;
        }
        let start = pos;
        while pos < bytes.len() && !is_py_space_byte(bytes[pos]) {
            pos += 1;
        }
        // Byte offsets of ASCII text are char boundaries.
        (pos > start).then(|| text.get(start..pos)).flatten()
    })
}

/// `string.punctuation`: the 32 ASCII punctuation characters.
pub fn is_py_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// Letters of general category Lt (titlecase); Python's `isupper()` fails on them.
fn is_titlecase(c: char) -> bool {
    matches!(c as u32, 0x01C5 | 0x01C8 | 0x01CB | 0x01F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF | 0x1FBC | 0x1FCC | 0x1FFC)
}

/// Python's `str.isupper()`: at least one cased character and none lowercase or titlecase.
pub fn py_isupper(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return !b.iter().any(u8::is_ascii_lowercase) && b.iter().any(u8::is_ascii_uppercase);
    }
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        if c.is_uppercase() {
            cased = true;
        }
    }
    cased
}

/// Python's `str.lower()` (full case mapping, final sigma); borrows when already lower case.
pub fn py_lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(s)
    } else if s.is_ascii() {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// `token.strip(string.punctuation)`, but the token itself when two or fewer characters
/// would remain (VADER keeps short emoticons such as ":)" whole).
pub fn strip_punctuation_if_word(token: &str) -> &str {
    // Punctuation is ASCII, so trimming bytes trims the same characters (the bytes of a
    // multi-byte character are all ≥ 0x80).
    let b = token.as_bytes();
    let start = b.iter().position(|c| !c.is_ascii_punctuation()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_punctuation()).map_or(start, |e| e + 1);
    let stripped = token.get(start..end.max(start)).unwrap_or(token);
    if stripped.len() <= 2 || stripped.chars().count() <= 2 {
        token
    } else {
        stripped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isupper_like_python() {
        assert!(py_isupper("GREAT!"));
        assert!(py_isupper("I'M"));
        assert!(!py_isupper(":)"));
        assert!(!py_isupper("Great"));
        assert!(!py_isupper("ǅX"));
        assert!(py_isupper("ÉTÉ"));
    }

    #[test]
    fn strip_keeps_emoticons() {
        assert_eq!(strip_punctuation_if_word(":)"), ":)");
        assert_eq!(strip_punctuation_if_word("(great!)"), "great");
        assert_eq!(strip_punctuation_if_word("ok!!"), "ok!!");
        assert_eq!(strip_punctuation_if_word("don't."), "don't");
    }

    #[test]
    fn split_like_python() {
        let v: Vec<&str> = py_split("  a\tbb\x1c c\u{b}d  ").collect();
        assert_eq!(v, ["a", "bb", "c", "d"]);
        let u: Vec<&str> = py_split("été\u{3000}x\x1fy ").collect();
        assert_eq!(u, ["été", "x", "y"]);
        assert_eq!(py_split("   ").count(), 0);
        assert!(py_isupper("A1!") && !py_isupper("1!") && !py_isupper("Ab"));
    }

    #[test]
    fn python_whitespace() {
        assert!(is_py_space('\u{1f}'));
        assert!(is_py_space('\u{3000}'));
        assert!(!is_py_space('\u{200b}'));
    }
}
