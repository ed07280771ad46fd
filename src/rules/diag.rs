//! Turning a [`Diag`] into a [`CrmError`] (`RULE_ERROR`) with the rule id, the line and
//! column in the expression text (or the JSON path of a JSON Logic rule), and the "did you
//! mean" hints shared by the parser and the type checker.

use super::ast::Diag;
use crate::error::{CrmError, Location};

/// Where the rule being compiled came from.
pub enum Source<'a> {
    Text(&'a str),
    /// JSON Logic: the path of each node (its `Span::start` indexes this table).
    Json(&'a [String]),
}

/// 1-based line and character column of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(src.len());
    let mut line = 1;
    let mut col = 1;
    for (i, c) in src.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// The `RULE_ERROR` for `d` in rule `rule`.
pub fn to_error(rule: &str, src: &Source, d: Diag) -> CrmError {
    match src {
        Source::Text(text) => {
            let (line, column) = line_col(text, d.at.start as usize);
            CrmError::Rule {
                message: format!("rule `{}`: {}", short(rule), d.message),
                location: Location::at(line, column).with_field(rule),
            }
        }
        Source::Json(paths) => {
            let path = paths.get(d.at.start as usize).map(String::as_str).unwrap_or("");
            let at = if path.is_empty() { String::new() } else { format!(" at {path}") };
            CrmError::Rule {
                message: format!("rule `{}`{at}: {}", short(rule), d.message),
                location: Location::field(rule),
            }
        }
    }
}

/// `s` cut to 40 characters for messages (hostile input must not make a 1 MB message).
pub fn short(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    }
}

/// The candidate `word` most likely meant: the same ignoring case, else the closest by edit
/// distance (at most a third of the word's length, at least 1).
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    if word.chars().count() > 64 {
        return None;
    }
    let lw = word.to_lowercase();
    if let Some(c) = candidates.clone().find(|c| c.to_lowercase() == lw) {
        return Some(c);
    }
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.chars().count() > 64 {
            continue;
        }
        let d = crate::clean::levenshtein(&lw, &c.to_lowercase());
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_and_positions() {
        let cols = ["CLV", "pAlive", "lastPurchase"];
        assert_eq!(closest("clv", cols.iter().copied()), Some("CLV"));
        assert_eq!(closest("palve", cols.iter().copied()), Some("pAlive"));
        assert_eq!(closest("lastpurchse", cols.iter().copied()), Some("lastPurchase"));
        assert_eq!(closest("zzz", cols.iter().copied()), None);
        assert_eq!(line_col("a = 1\nand 客户 > 2", 10), (2, 5));
        assert_eq!(line_col("abc", 99), (1, 4));
        assert_eq!(short(&"x".repeat(100)).chars().count(), 41);
    }
}
