//! Value normalisers used by `clean`: whitespace, case, emails, phone numbers, names.

use crate::cells::detect as pii;

/// Trimmed, inner whitespace runs collapsed to one space.
pub fn normalize_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Title Case` for each word (letters after a space, `-` or `'` are upper-cased).
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c.is_whitespace() || c == '-' || c == '\'';
    }
    out
}

/// An email trimmed, without a `mailto:` prefix or inner spaces, lower-cased; `None` if the
/// result is not an email address.
pub fn standard_email(s: &str) -> Option<String> {
    let t = s.trim();
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("mailto:") => &t[7..],
        _ => t,
    };
    let e: String = t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    pii::is_email(&e).then_some(e)
}

/// A phone number in one form: a Chinese mobile number as `+86` + 11 digits; a number
/// written with `+` or `00` as `+` + digits; otherwise its digits (7–15 of them). `None`
/// when it does not look like a phone number.
pub fn standard_phone(s: &str) -> Option<String> {
    if let Some(m) = pii::cn_mobile(s) {
        return Some(format!("+86{m}"));
    }
    let t = s.trim();
    if !t.chars().all(|c| c.is_ascii_digit() || " -.()+/".contains(c)) {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let international = t.starts_with('+') || digits.starts_with("00");
    let digits = if !t.starts_with('+') && digits.starts_with("00") { digits[2..].to_string() } else { digits };
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    Some(if international { format!("+{digits}") } else { digits })
}

/// A person's name for comparison: lower-case letters and digits, punctuation dropped,
/// words sorted (so "Lee, Ann" equals "ann lee").
pub fn name_key(s: &str) -> String {
    let cleaned: String =
        s.chars().map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' }).collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    crate::sort::ord(&mut words);
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisers() {
        assert_eq!(normalize_whitespace("  Ann \t  Lee "), "Ann Lee");
        assert_eq!(title_case("o'neil-SMITH ann"), "O'Neil-Smith Ann");
        assert_eq!(standard_email(" MailTo:Ann.Lee@Example.COM ").as_deref(), Some("ann.lee@example.com"));
        assert_eq!(standard_email("ann lee@example.com").as_deref(), Some("annlee@example.com"));
        assert_eq!(standard_email("not an email"), None);
        assert_eq!(standard_phone("138 1234 5678").as_deref(), Some("+8613812345678"));
        assert_eq!(standard_phone("+86-138-1234-5678").as_deref(), Some("+8613812345678"));
        assert_eq!(standard_phone("(555) 123-4567").as_deref(), Some("5551234567"));
        assert_eq!(standard_phone("0044 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(standard_phone("12ab"), None);
        assert_eq!(name_key("Lee, Ann"), name_key("ann  LEE"));
    }
}
