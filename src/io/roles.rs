//! Semantic roles: what a column means, from its name and its values.

use crate::cells::detect::{self, PiiKind};
use crate::cells::values::NumberStyle;
use crate::table::{Column, ColumnData, DataType, Role, Value};

/// Splits a column name into lower-case words: `CustomerID` → [customer, id],
/// `number_of_cds` → [number, of, cds], `手机号码` → [手机号码].
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = i > 0 && c.is_uppercase() && {
            let prev = chars[i - 1];
            prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase()))
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// What the column name suggests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NameHint {
    pub id: bool,
    pub phone: bool,
    pub postal: bool,
    pub email: bool,
    pub money: bool,
    pub percent: bool,
    pub country: bool,
    pub city: bool,
    pub url: bool,
}

impl NameHint {
    pub fn from_tokens(tokens: &[String]) -> Self {
        let has = |words: &[&str]| tokens.iter().any(|t| words.iter().any(|w| t == w));
        let has_cjk = |words: &[&str]| tokens.iter().any(|t| words.iter().any(|w| t.contains(w)));
        let last = tokens.last().map(String::as_str).unwrap_or("");
        NameHint {
            id: matches!(last, "id" | "uuid" | "guid" | "key" | "no" | "code" | "number" | "编号" | "号")
                || tokens.iter().any(|t| {
                    t.ends_with("id")
                        && t.len() > 2
                        && (t.starts_with("customer")
                            || t.starts_with("user")
                            || t.starts_with("client")
                            || t.starts_with("order")
                            || t.starts_with("member"))
                })
                || has_cjk(&["编号", "客户号", "会员号"]),
            phone: has(&["phone", "mobile", "tel", "telephone", "cell", "cellphone", "fax"])
                || has_cjk(&["手机", "电话", "联系方式"]),
            postal: has(&["zip", "zipcode", "postal", "postcode"]) || has_cjk(&["邮编", "邮政编码"]),
            email: has(&["email", "mail", "e-mail"]) || has_cjk(&["邮箱", "电子邮件"]),
            money: has(&[
                "price", "amount", "charge", "charges", "revenue", "spend", "cost", "dollar", "sales", "payment",
                "balance", "income", "salary", "fee", "fees", "value", "total", "monetary",
            ]) || has_cjk(&["金额", "价格", "消费", "收入", "费用"]),
            percent: has(&["pct", "percent", "percentage"]),
            country: has(&["country", "nation"]) || has_cjk(&["国家"]),
            city: has(&["city", "town"]) || has_cjk(&["城市"]),
            url: has(&["url", "website", "link", "homepage"]) || has_cjk(&["网址"]),
        }
    }

    /// Numeric-looking values in such a column are identifiers, not quantities.
    pub fn keeps_text(&self) -> bool {
        self.phone || self.postal
    }
}

/// A value of a phone column: what [`detect::classify`] calls a phone, or, when the column's
/// name says phone, a bare run of 7-15 digits (with separators) too.
fn is_phone(s: &str, hinted: bool) -> bool {
    detect::classify(s) == Some(PiiKind::Phone)
        || (hinted && detect::phone_digit_count(s).is_some_and(|n| (7..=15).contains(&n)))
}

/// Share of sampled non-null string values that satisfy `pred` (sample: first 1,000).
fn share(col: &Column, pred: impl Fn(&str) -> bool) -> f64 {
    let (mut seen, mut hit) = (0usize, 0usize);
    for i in 0..col.len() {
        if let Value::Str(s) = col.get(i) {
            seen += 1;
            hit += pred(s) as usize;
            if seen == 1000 {
                break;
            }
        }
    }
    if seen == 0 {
        0.0
    } else {
        hit as f64 / seen as f64
    }
}

/// Picks the role of an inferred column.
pub fn detect_role(col: &Column, hint: &NameHint, style: NumberStyle) -> Option<Role> {
    let dtype = col.dtype();
    let stringy = matches!(dtype, DataType::Text | DataType::Category);
    if col.null_count() == col.len() {
        return None;
    }
    if stringy {
        if share(col, |v| detect::classify(v) == Some(PiiKind::Email)) >= 0.9 {
            return Some(Role::Email);
        }
        if share(col, detect::is_url) >= 0.9 {
            return Some(Role::Url);
        }
        if share(col, |s| is_phone(s, hint.phone)) >= 0.9 {
            return Some(Role::Phone);
        }
        if hint.postal {
            return Some(Role::PostalCode);
        }
        if hint.country {
            return Some(Role::Country);
        }
        if hint.city {
            return Some(Role::City);
        }
    }
    if dtype.is_numeric() {
        if style.percent || hint.percent {
            return Some(Role::Percent);
        }
        if style.currency || (hint.money && !hint.id) {
            return Some(Role::Money);
        }
    }
    let id_like_type = matches!(dtype, DataType::Int64 | DataType::Text | DataType::Category);
    if hint.id && id_like_type {
        return Some(Role::Id);
    }
    if let ColumnData::Text(s) = &col.data {
        let nonnull = col.len() - col.null_count();
        let avg = s.byte_len() / nonnull.max(1);
        let spaced = share(col, |v| {
            v.trim().contains(char::is_whitespace) || v.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        });
        if avg >= 20 && spaced >= 0.5 {
            return Some(Role::FreeText);
        }
        if nonnull >= 20 && avg <= 40 && spaced < 0.05 && all_distinct(col) {
            return Some(Role::Id);
        }
    }
    None
}

fn all_distinct(col: &Column) -> bool {
    let mut seen = rustc_hash::FxHashSet::default();
    (0..col.len()).all(|i| match col.get(i) {
        Value::Str(s) => seen.insert(s),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(name_tokens("CustomerID"), vec!["customer", "id"]);
        assert_eq!(name_tokens("customerID"), vec!["customer", "id"]);
        assert_eq!(name_tokens("number_of_cds"), vec!["number", "of", "cds"]);
        assert_eq!(name_tokens("Annual Income (k$)"), vec!["annual", "income", "k"]);
        assert_eq!(name_tokens("TotalCharges"), vec!["total", "charges"]);
        assert_eq!(name_tokens("手机号码"), vec!["手机号码"]);
        let h = NameHint::from_tokens(&name_tokens("InvoiceNo"));
        assert!(h.id);
        assert!(!NameHint::from_tokens(&name_tokens("number_of_cds")).id);
        assert!(!NameHint::from_tokens(&name_tokens("paid")).id);
    }

    #[test]
    fn value_patterns() {
        let is_email = |s| detect::classify(s) == Some(PiiKind::Email);
        assert!(is_email("li.wei@example.cn") && !is_email("a@b") && !is_email("x y@z.com"));
        assert!(is_phone("+86 138-0013-8000", false) && is_phone("13800138000", false));
        assert!(!is_phone("17850", false) && !is_phone("12345678", false) && is_phone("12345678", true));
        assert!(detect::is_url("https://crmlens.example/x") && !detect::is_url("hello"));
    }
}
