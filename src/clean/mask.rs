//! `dataset.mask({ columns | "auto", method })`: personal data replaced by a label, a
//! salted SHA-256 pseudonym or a partial view, with a count of what changed per column.

use serde::{Deserialize, Serialize};

use super::sha256::{hex, sha256};
use crate::cells::detect::{self as pii, PiiKind};
use crate::error::{CrmError, Result};
use crate::table::{Column, ColumnData, Dataset, Role, StrVec, Validity};

/// Which columns `mask` treats.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum MaskColumns {
    /// These columns, every non-missing value.
    List(Vec<String>),
    /// `"auto"`: every personal-data value (or word of free text) found in text columns,
    /// and whole columns whose role is email or phone.
    Keyword(String),
}

/// How values are masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum MaskMethod {
    /// `[EMAIL]`, `[PHONE]`, `[ID]`, `[CARD]`, `[IP]` or `[REDACTED]`.
    Redact,
    /// `#` + 16 hex digits of SHA-256(salt, value): equal values stay equal (joins and
    /// counts still work). Without a salt, short values such as phone numbers can be found
    /// again by trying them all: pass a secret `salt`.
    Hash,
    /// Enough left to recognise the value: `a***@example.com`, `*******5678`,
    /// `110***********002X`, `************1111`, `192.168.*.*`, `A***`.
    Partial,
}

/// Options of `dataset.mask`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct MaskOptions {
    /// Column names, or `"auto"` (default).
    #[cfg_attr(feature = "ts", tsify(optional, type = "string[] | \"auto\""))]
    pub columns: MaskColumns,
    /// `"redact"` (default), `"hash"` or `"partial"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub method: MaskMethod,
    /// Secret mixed into `"hash"` (default empty).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub salt: String,
}

impl Default for MaskOptions {
    fn default() -> Self {
        MaskOptions { columns: MaskColumns::Keyword("auto".into()), method: MaskMethod::Redact, salt: String::new() }
    }
}

/// What `mask` changed in one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MaskedColumn {
    pub name: String,
    /// The most frequent kind of personal data found (null if none was recognised).
    #[cfg_attr(feature = "ts", tsify(type = "PiiKind | null"))]
    pub kind: Option<PiiKind>,
    /// Cells whose value changed.
    pub cells: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MaskReport {
    pub method: MaskMethod,
    pub columns: Vec<MaskedColumn>,
}

fn redact_label(kind: Option<PiiKind>) -> &'static str {
    match kind {
        Some(PiiKind::Email) => "[EMAIL]",
        Some(PiiKind::Phone) => "[PHONE]",
        Some(PiiKind::NationalId) => "[ID]",
        Some(PiiKind::Card) => "[CARD]",
        Some(PiiKind::Ip) => "[IP]",
        None => "[REDACTED]",
    }
}

/// Keeps the last `keep` digits (and every non-digit), stars for the others.
fn star_digits(s: &str, keep_first: usize, keep_last: usize) -> String {
    let total = s.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= keep_first || seen > total.saturating_sub(keep_last) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

fn partial(s: &str, kind: Option<PiiKind>) -> String {
    let t = s.trim();
    match kind {
        Some(PiiKind::Email) => match t.split_once('@') {
            Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
            None => "***".into(),
        },
        Some(PiiKind::Phone) | Some(PiiKind::Card) => star_digits(t, 0, 4),
        Some(PiiKind::NationalId) => star_digits(t, 3, 4),
        Some(PiiKind::Ip) => {
            if t.contains(':') {
                format!("{}:*", t.split(':').next().unwrap_or(""))
            } else {
                let parts: Vec<&str> = t.split('.').collect();
                format!("{}.{}.*.*", parts[0], parts.get(1).unwrap_or(&"*"))
            }
        }
        None => match t.chars().next() {
            Some(c) => format!("{c}***"),
            None => String::new(),
        },
    }
}

/// One value masked as a whole.
pub fn mask_value(s: &str, kind: Option<PiiKind>, method: MaskMethod, salt: &str) -> String {
    match method {
        MaskMethod::Redact => redact_label(kind).to_string(),
        MaskMethod::Hash => {
            let mut v = s.trim().to_string();
            if kind == Some(PiiKind::Email) {
                v = v.to_lowercase();
            }
            let mut input = salt.as_bytes().to_vec();
            input.push(0x1f);
            input.extend_from_slice(v.as_bytes());
            format!("#{}", hex(&sha256(&input), 8))
        }
        MaskMethod::Partial => partial(s, kind),
    }
}

/// The personal data inside free text masked word by word; `None` if there is none.
fn mask_words(s: &str, method: MaskMethod, salt: &str, kinds: &mut [u64; 5]) -> Option<String> {
    if let Some(k) = pii::classify(s) {
        kinds[k.index()] += 1;
        return Some(mask_value(s, Some(k), method, salt));
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut rest = s;
    while !rest.is_empty() {
        let start = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        let core = word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '.' | '(' | ')' | '<' | '>' | '"' | '\''));
        match pii::classify(core).filter(|_| !core.is_empty()) {
            Some(k) => {
                kinds[k.index()] += 1;
                let at = word.find(core).unwrap_or(0);
                out.push_str(&word[..at]);
                out.push_str(&mask_value(core, Some(k), method, salt));
                out.push_str(&word[at + core.len()..]);
                changed = true;
            }
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    changed.then_some(out)
}

/// Masks personal data; returns the new table and what changed.
pub fn mask(ds: &Dataset, opts: &MaskOptions) -> Result<(Dataset, MaskReport)> {
    // (column index, whole-value mode)
    let targets: Vec<(usize, bool)> = match &opts.columns {
        MaskColumns::Keyword(k) if k == "auto" => ds
            .columns()
            .iter()
            .enumerate()
            .filter_map(|(j, c)| match (&c.data, c.role) {
                (_, Some(Role::Email | Role::Phone)) => Some((j, true)),
                (ColumnData::Text(_) | ColumnData::Category { .. }, _) => Some((j, false)),
                _ => None,
            })
            .collect(),
        MaskColumns::Keyword(k) => {
            return Err(CrmError::invalid_option(
                "columns",
                format!("expected \"auto\" or a list of names, got \"{k}\""),
            ))
        }
        MaskColumns::List(names) => {
            let mut v = Vec::new();
            for n in names {
                let j = ds
                    .column_names()
                    .iter()
                    .position(|x| x == n)
                    .ok_or_else(|| CrmError::UnknownColumn { name: n.clone() })?;
                v.push((j, true));
            }
            v
        }
    };
    let mut columns: Vec<Column> = ds.columns().to_vec();
    let mut report = MaskReport { method: opts.method, columns: Vec::new() };
    for (j, whole) in targets {
        let col = &ds.columns()[j];
        let mut kinds = [0u64; 5];
        let mut cells = 0u64;
        let mut values = StrVec::with_capacity(col.len(), 16 * col.len());
        let mut validity = Validity::with_capacity(col.len());
        for i in 0..col.len() {
            let Some(text) = col.get(i).to_text() else {
                values.push("");
                validity.push(false);
                continue;
            };
            let masked = if whole {
                let k = pii::classify(&text);
                if let Some(k) = k {
                    kinds[k.index()] += 1;
                }
                Some(mask_value(&text, k, opts.method, &opts.salt))
            } else {
                mask_words(&text, opts.method, &opts.salt, &mut kinds)
            };
            match masked {
                Some(m) => {
                    cells += (m != text) as u64;
                    values.push(&m);
                }
                None => values.push(&text),
            }
            validity.push(true);
        }
        if cells == 0 && !whole {
            continue;
        }
        let kind = PiiKind::ALL.iter().copied().filter(|k| kinds[k.index()] > 0).max_by_key(|k| kinds[k.index()]);
        let mut c = Column::new(col.name.clone(), ColumnData::Text(values), validity);
        c.role = col.role;
        c.missing_tokens = col.missing_tokens.clone();
        columns[j] = c;
        report.columns.push(MaskedColumn { name: col.name.clone(), kind, cells });
    }
    let mut out = Dataset::new(columns)?;
    out.source = ds.source.clone();
    out.issues = ds.issues.clone();
    out.issue_counts = ds.issue_counts.clone();
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv_str;
    use crate::table::Value;

    #[test]
    fn partial_views() {
        assert_eq!(partial("ann.lee@example.com", Some(PiiKind::Email)), "a***@example.com");
        assert_eq!(partial("+86 138-1234-5678", Some(PiiKind::Phone)), "+** ***-****-5678");
        assert_eq!(partial("11010519491231002X", Some(PiiKind::NationalId)), "110***********002X");
        assert_eq!(partial("4111 1111 1111 1111", Some(PiiKind::Card)), "**** **** **** 1111");
        assert_eq!(partial("192.168.3.4", Some(PiiKind::Ip)), "192.168.*.*");
        let a = mask_value("Ann@Example.com", Some(PiiKind::Email), MaskMethod::Hash, "s");
        assert_eq!(a, mask_value("ann@example.com ", Some(PiiKind::Email), MaskMethod::Hash, "s"));
        assert_ne!(a, mask_value("ann@example.com", Some(PiiKind::Email), MaskMethod::Hash, "t"));
        assert_eq!(a.len(), 17);
    }

    #[test]
    fn auto_masks_found_values_and_words_only() {
        let ds = read_csv_str(
            "id,contact,note,amount\n1,ann@example.com,call 13812345678 today,5\n2,bob@example.org,fine,-5\n3,,ok,7\n",
            Default::default(),
        )
        .unwrap();
        let (m, rep) = mask(&ds, &MaskOptions::default()).unwrap();
        assert_eq!(m.column("contact").unwrap().get(0), Value::Str("[EMAIL]"));
        assert_eq!(m.column("contact").unwrap().get(2), Value::Null);
        assert_eq!(m.column("note").unwrap().get(0), Value::Str("call [PHONE] today"));
        assert_eq!(m.column("note").unwrap().get(1), Value::Str("fine"));
        assert_eq!(m.column("amount").unwrap().get(1), Value::Int(-5));
        let names: Vec<_> = rep.columns.iter().map(|c| (c.name.as_str(), c.kind, c.cells)).collect();
        assert_eq!(names, vec![("contact", Some(PiiKind::Email), 2), ("note", Some(PiiKind::Phone), 1)]);
        let opts = MaskOptions {
            columns: MaskColumns::List(vec!["id".into()]),
            method: MaskMethod::Partial,
            ..Default::default()
        };
        let (m, _) = mask(&ds, &opts).unwrap();
        assert_eq!(m.column("id").unwrap().get(0), Value::Str("1***"));
        let bad = MaskOptions { columns: MaskColumns::List(vec!["nope".into()]), ..Default::default() };
        assert_eq!(mask(&ds, &bad).unwrap_err().code(), "UNKNOWN_COLUMN");
        let bad = MaskOptions { columns: MaskColumns::Keyword("all".into()), ..Default::default() };
        assert_eq!(mask(&ds, &bad).unwrap_err().code(), "INVALID_OPTION");
    }
}
