//! Python `str` behaviour the VADER rules depend on, reproduced exactly: what `split()` and
//! `strip()` call whitespace, `strip(string.punctuation)`, `isupper()` and `lower()`.

/// Python's `str.isspace()`: Unicode white space plus the four ASCII separators U+001C..U+001F
/// (which Rust's `char::is_whitespace` does not count).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
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
    if s.chars().all(|c| c.is_ascii() && !c.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// `token.strip(string.punctuation)`, but the token itself when two or fewer characters
/// would remain (VADER keeps short emoticons such as ":)" whole).
pub fn strip_punctuation_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(is_py_punctuation);
    if stripped.chars().count() <= 2 {
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
    fn python_whitespace() {
        assert!(is_py_space('\u{1f}'));
        assert!(is_py_space('\u{3000}'));
        assert!(!is_py_space('\u{200b}'));
    }
}
