//! Type inference: turns a column of text cells into a typed column.
//!
//! One pass classifies every non-missing cell (keeping parsed numbers while the column
//! still looks numeric); a second pass, only when needed, converts dates or builds the
//! category dictionary. Identifiers stay intact: integers with leading zeros or beyond
//! ±2^53 and numeric-looking phone/postal columns stay text.

use rustc_hash::FxHashMap;

use super::dates::DateStats;
use super::options::DateOrder;
use super::raw::{RawColumn, TextCells};
use super::roles::{detect_role, name_tokens, NameHint};
use crate::cells::values::{parse_bool, parse_int, parse_number, NumberStyle};
use crate::table::{Column, ColumnData, Validity};

/// Tunables of inference.
#[derive(Debug, Clone)]
pub struct InferOptions {
    pub missing: Vec<String>,
    pub date_order: DateOrder,
    /// The number convention stated by the options (`decimal`, `thousands`, `locale`).
    pub number_locale: Option<crate::cells::locale::NumberLocale>,
    /// The file is `;`-separated (breaks a decimal-mark tie, with a warning).
    pub semicolon: bool,
    /// A type decided across the shards of a file (`ShardType::Auto`: this column's own).
    pub force: super::shard::ShardType,
}

struct Missing<'a> {
    tokens: &'a [String],
    max_len: usize,
    /// Bit b set when some token starts with byte b (bit 0 stands for the empty token).
    first: [u64; 4],
}

impl<'a> Missing<'a> {
    fn new(tokens: &'a [String]) -> Self {
        let mut first = [0u64; 4];
        for t in tokens {
            let b = t.as_bytes().first().copied().unwrap_or(0) as usize;
            first[b / 64] |= 1 << (b % 64);
        }
        Missing { tokens, max_len: tokens.iter().map(String::len).max().unwrap_or(0), first }
    }
    /// Index of the token `s` (already trimmed) matches, if any.
    #[inline]
    fn find(&self, s: &str) -> Option<usize> {
        let b = s.as_bytes().first().copied().unwrap_or(0) as usize;
        if s.len() > self.max_len || self.first[b / 64] & (1 << (b % 64)) == 0 {
            return None;
        }
        self.tokens.iter().position(|t| t == s)
    }
}

/// `str::trim`, with a fast exit for the usual cell that starts and ends with a visible
/// ASCII character.
#[inline]
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Converts one raw column; `raw` is consumed so its text can be reused or freed.
pub fn infer_column(raw: RawColumn, opts: &InferOptions) -> Column {
    use super::shard::ShardType;
    let raw = raw.into_text();
    let date_order = match opts.force {
        ShardType::Dmy => DateOrder::Dmy,
        ShardType::Mdy => DateOrder::Mdy,
        _ => opts.date_order,
    };
    let n = raw.len();
    let missing = Missing::new(&opts.missing);
    let hint = NameHint::from_tokens(&name_tokens(&raw.name));
    let mut valid = Validity::with_capacity(n);
    let mut missing_counts = vec![0usize; opts.missing.len()];
    let mut explicit_nulls = 0usize;

    let mut nonnull = 0usize;
    let (mut all_int, mut ident_trait, mut all_num, mut all_bool) = (true, false, true, true);
    let mut style = NumberStyle::default();
    let mut ints: Vec<i64> = Vec::with_capacity(n);
    let mut floats: Vec<f64> = Vec::new();
    let mut bools: Vec<bool> = Vec::new();
    let mut ds = DateStats::new();
    let mut text_bytes = 0usize;

    for i in 0..n {
        let cell = trim(raw.get(i));
        if raw.is_explicit_null(i) {
            explicit_nulls += 1;
            valid.push(false);
            push_default(all_int, all_num, all_bool, &mut ints, &mut floats, &mut bools);
            ds.push_null();
            continue;
        }
        if let Some(t) = missing.find(cell) {
            missing_counts[t] += 1;
            valid.push(false);
            push_default(all_int, all_num, all_bool, &mut ints, &mut floats, &mut bools);
            ds.push_null();
            continue;
        }
        if cell.is_empty() {
            // "" is not in the user's missing list: the column holds an empty string.
            all_int = false;
            all_num = false;
            all_bool = false;
            ds.ok = false;
        }
        valid.push(true);
        nonnull += 1;
        text_bytes += cell.len();
        if all_int {
            match parse_int(cell) {
                Ok(v) => ints.push(v),
                Err(ident) => {
                    ident_trait |= ident;
                    all_int = false;
                    if ident {
                        // An identifier (leading zero, beyond ±2^53) never becomes a number
                        // column: stop parsing its cells as numbers.
                        all_num = false;
                    }
                    if all_num {
                        floats = ints.iter().map(|&v| v as f64).collect();
                    }
                    ints = Vec::new();
                }
            }
        }
        if !all_int && all_num {
            match parse_number(cell) {
                Some((v, st)) => {
                    floats.push(v);
                    style.currency |= st.currency;
                    style.percent |= st.percent;
                    style.thousands |= st.thousands;
                }
                None => {
                    all_num = false;
                    floats = Vec::new();
                }
            }
        }
        if all_bool {
            match parse_bool(cell) {
                Some(b) => {
                    if bools.is_empty() && i > 0 {
                        bools = vec![false; i];
                    }
                    bools.push(b)
                }
                None => {
                    all_bool = false;
                    bools = Vec::new();
                }
            }
        }
        if ds.ok {
            ds.classify(cell);
        }
    }
    // Another shard of the file has fractions: integers are read as numbers.
    if opts.force == ShardType::Float && all_int {
        all_int = false;
        all_bool = false;
        if all_num {
            floats = ints.iter().map(|&v| v as f64).collect();
        }
        ints = Vec::new();
    }
    // `bools` may be shorter when the first cells were missing; pad to length.
    if all_bool {
        bools.resize(n, false);
    }

    let missing_tokens: Vec<(String, usize)> = opts
        .missing
        .iter()
        .zip(&missing_counts)
        .filter(|(_, &c)| c > 0)
        .map(|(t, &c)| (if t.is_empty() { "(empty)".to_string() } else { t.clone() }, c))
        .chain((explicit_nulls > 0).then(|| ("(null)".to_string(), explicit_nulls)))
        .collect();

    let name = raw.name.clone();
    let mut format = None;
    let mut currency = None;
    let mut warnings = Vec::new();
    let data = if nonnull == 0 || opts.force == ShardType::Text {
        ColumnData::Text(raw.cells)
    } else if opts.force == ShardType::String {
        string_column(&raw, &valid, nonnull, text_bytes).unwrap_or(ColumnData::Text(raw.cells))
    } else if all_bool {
        ColumnData::Bool(bools)
    } else if all_int && !hint.keeps_text() {
        if ds.ok && ds.compact {
            format = Some("YYYYMMDD".to_string());
            ds.convert(&raw, &valid, true).unwrap_or(ColumnData::Text(raw.cells))
        } else {
            ColumnData::Int64(ints)
        }
    } else if all_num && !ident_trait && !hint.keeps_text() {
        match opts.number_locale.filter(|l| l.decimal == b',') {
            // A stated decimal comma: `1.234` is 1234, not 1.234.
            Some(l) => match super::locale::numbers(&raw, &valid, Some(l), opts.semicolon) {
                Some(lc) => {
                    format = Some(lc.format).filter(|f| !f.is_empty());
                    currency = lc.currency;
                    warnings.extend(lc.warnings);
                    lc.data
                }
                None => {
                    warnings
                        .push("values do not fit the stated decimal comma; read with '.' as the decimal mark".into());
                    format = number_format(style);
                    ColumnData::Float64(floats)
                }
            },
            // `1,234` in a `;`-separated file: a thousands comma or a decimal comma? The
            // values decide if they can; otherwise a warning says which was taken.
            None if style.thousands && opts.semicolon => match super::locale::numbers(&raw, &valid, None, true) {
                Some(lc) => {
                    format = Some(lc.format).filter(|f| !f.is_empty());
                    currency = lc.currency;
                    warnings.extend(lc.warnings);
                    lc.data
                }
                None => {
                    format = number_format(style);
                    ColumnData::Float64(floats)
                }
            },
            None => {
                format = number_format(style);
                if style.currency {
                    currency = currency_of(&raw, &valid, &mut warnings);
                }
                ColumnData::Float64(floats)
            }
        }
    } else if let Some(lc) = (!ident_trait && !hint.keeps_text() && !ds.ok)
        .then(|| {
            super::locale::numbers(&raw, &valid, opts.number_locale, opts.semicolon)
                .or_else(|| super::locale::dates(&raw, &valid, date_order))
        })
        .flatten()
    {
        format = Some(lc.format).filter(|f| !f.is_empty());
        currency = lc.currency;
        warnings.extend(lc.warnings);
        lc.data
    } else if ds.ok && !hint.keeps_text() {
        let day_first = ds.day_first(date_order, &mut warnings);
        match ds.convert(&raw, &valid, day_first) {
            Some(converted) => {
                format = Some(ds.format(day_first));
                converted
            }
            None => ColumnData::Text(raw.cells),
        }
    } else {
        string_column(&raw, &valid, nonnull, text_bytes).unwrap_or(ColumnData::Text(raw.cells))
    };

    let mut col = Column::new(name, data, valid);
    col.format = format;
    col.currency = currency;
    col.missing_tokens = missing_tokens;
    col.warnings = warnings;
    col.utc = ds.ok && ds.any_offset && col.dtype() == crate::table::DataType::Datetime;
    col.role = detect_role(&col, &hint, style);
    col
}

#[inline]
fn push_default(
    all_int: bool,
    all_num: bool,
    all_bool: bool,
    ints: &mut Vec<i64>,
    floats: &mut Vec<f64>,
    bools: &mut Vec<bool>,
) {
    if all_int {
        ints.push(0);
    } else if all_num {
        floats.push(0.0);
    }
    if all_bool && !bools.is_empty() {
        bools.push(false);
    }
}

/// The currency of a column the plain reader took as money (`$12.00`, `¥8`): from its
/// cells' symbols; several in one column is a warning, not a currency.
#[inline(never)]
fn currency_of(raw: &TextCells, valid: &Validity, warnings: &mut Vec<String>) -> Option<String> {
    let mut found: Vec<&str> = Vec::new();
    for i in (0..raw.len()).filter(|&i| valid.is_valid(i)) {
        if let Some(c) = crate::cells::locale::strip_number(raw.get(i)).and_then(|(_, _, m)| m.currency) {
            let c = super::locale::currency_code(c);
            if !found.contains(&c) {
                found.push(c);
            }
        }
    }
    match found.as_slice() {
        [one] => Some(one.to_string()),
        [] => None,
        many => {
            warnings
                .push(format!("several currencies in one column ({}): amounts are not comparable", many.join(", ")));
            None
        }
    }
}

fn number_format(style: NumberStyle) -> Option<String> {
    let mut parts = Vec::new();
    if style.currency {
        parts.push("currency");
    }
    if style.percent {
        parts.push("percent");
    }
    if style.thousands {
        parts.push("thousands-separated");
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

/// Most distinct values a category column may have.
const CATEGORY_MAX_DISTINCT: usize = 10_000;

/// Category when values repeat a lot and are short; `None` (text) otherwise. Text keeps
/// the cell as written (untrimmed; null slots keep their source token, hidden by the
/// validity bitmap, so the text buffer moves over without a copy); categories are keyed
/// on the cell as written too.
fn string_column(raw: &TextCells, valid: &Validity, nonnull: usize, text_bytes: usize) -> Option<ColumnData> {
    let avg_len = text_bytes / nonnull.max(1);
    let limit = CATEGORY_MAX_DISTINCT.min((nonnull / 10).max(50));
    if avg_len <= 64 && nonnull >= 2 {
        // The row where each value first appears; the strings are copied only if the column
        // turns out to be a category (an id column gives up at `limit`, nothing copied).
        let mut first: Vec<usize> = Vec::new();
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let mut codes: Vec<u32> = Vec::with_capacity(raw.len());
        let mut too_many = false;
        // The previous row's value and code: exports list a customer's or an invoice's rows
        // together, so a run of equal cells skips the hash lookup.
        let mut prev: Option<(&str, u32)> = None;
        for i in 0..raw.len() {
            if !valid.is_valid(i) {
                codes.push(0);
                continue;
            }
            let cell = raw.get(i);
            if let Some((p, code)) = prev {
                if p == cell {
                    codes.push(code);
                    continue;
                }
            }
            let next = index.len() as u32;
            let code = *index.entry(cell).or_insert(next);
            if code == next {
                if index.len() > limit {
                    too_many = true;
                    break;
                }
                first.push(i);
            }
            prev = Some((cell, code));
            codes.push(code);
        }
        if !too_many && first.len() < nonnull {
            let mut dict: Vec<String> = first.iter().map(|&i| raw.get(i).to_string()).collect();
            if dict.is_empty() {
                dict.push(String::new());
            }
            return Some(ColumnData::Category { codes, dict });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::options::DEFAULT_MISSING;
    use crate::table::{DataType, Role, Value};

    fn col(name: &str, cells: &[&str]) -> Column {
        let mut raw = RawColumn::new(name.to_string());
        for c in cells {
            raw.push(c.as_bytes());
        }
        let opts = InferOptions {
            missing: DEFAULT_MISSING.iter().map(|s| s.to_string()).collect(),
            date_order: DateOrder::Auto,
            number_locale: None,
            semicolon: false,
            force: Default::default(),
        };
        infer_column(raw, &opts)
    }

    #[test]
    fn blank_numeric_cells_are_missing_and_column_stays_numeric() {
        let c = col("TotalCharges", &["29.85", " ", "1889.5", "NA", ""]);
        assert_eq!(c.dtype(), DataType::Float64);
        assert_eq!(c.null_count(), 3);
        assert_eq!(c.role, Some(Role::Money));
        assert_eq!(c.missing_tokens, vec![("(empty)".to_string(), 2), ("NA".to_string(), 1)]);
    }

    #[test]
    fn identifiers_stay_text() {
        assert_eq!(col("id", &["0001", "0002", "0003"]).dtype(), DataType::Text);
        assert_eq!(col("x", &["9007199254740993", "1"]).dtype(), DataType::Text);
        let p = col("contact", &["+86 138-0013-8000", "+86 139-1234-5678", "+1 (555) 010-9999"]);
        assert_eq!((p.dtype(), p.role), (DataType::Text, Some(Role::Phone)));
        let m = col("mobile", &["13800138000", "13912345678"]);
        assert_eq!((m.dtype(), m.role), (DataType::Text, Some(Role::Phone)));
        let c = col("CustomerID", &["17850", "", "13047"]);
        assert_eq!((c.dtype(), c.role, c.null_count()), (DataType::Int64, Some(Role::Id), 1));
    }

    #[test]
    fn dates_in_many_shapes() {
        let c = col("InvoiceDate", &["1/12/2010 8:26", "1/12/2010 8:28", "2/12/2010 9:01"]);
        assert_eq!(c.dtype(), DataType::Datetime);
        assert_eq!(c.format.as_deref(), Some("DD/MM/YYYY HH:MM"));
        assert_eq!(c.get(2).to_text().unwrap(), "2010-12-02T09:01:00");
        let c = col("InvoiceDate", &["1/12/2010 8:26", "1/12/2010 9:00"]);
        assert_eq!(c.format.as_deref(), Some("MM/DD/YYYY HH:MM"));
        assert!(c.warnings[0].contains("ambiguous"), "{:?}", c.warnings);
        let c = col("d", &["12/31/2023", "01/02/2024"]);
        assert!(c.warnings.is_empty());
        assert_eq!(c.get(0).to_text().unwrap(), "2023-12-31");
        assert_eq!(c.get(1).to_text().unwrap(), "2024-01-02");
        let c = col("at", &["2024-01-02T13:45:12+02:00", "2024-01-02T10:00:00Z"]);
        assert_eq!(c.get(0).to_text().unwrap(), "2024-01-02T11:45:12Z");
        assert_eq!(c.get(1).to_text().unwrap(), "2024-01-02T10:00:00Z");
        assert!(c.format.as_deref().unwrap().contains("UTC"));
        let c = col("date", &["19970101", "19970112"]);
        assert_eq!((c.dtype(), c.get(1).to_text().unwrap().as_str()), (DataType::Date, "1997-01-12"));
        let c = col("release", &["01-Jan-1995", "31-OCT-2023", ""]);
        assert_eq!((c.dtype(), c.null_count()), (DataType::Date, 1));
        assert_eq!(
            col("d", &["2024/12/12", "2024/01/05"]).get(0),
            Value::Date(crate::table::date::days_from_civil(2024, 12, 12))
        );
        // Mixed separators or an impossible date: text, not a wrong date.
        assert_eq!(col("d", &["2024-01-01", "2024/01/02"]).dtype(), DataType::Text);
        assert_eq!(col("d", &["31/01/2024", "01/31/2024"]).dtype(), DataType::Text);
    }

    #[test]
    fn bools_categories_and_text() {
        let b = col("Churn", &["No", "Yes", "", "no"]);
        assert_eq!((b.dtype(), b.get(1), b.get(2)), (DataType::Bool, Value::Bool(true), Value::Null));
        let many: Vec<String> = (0..300).map(|i| ["DSL", "Fiber optic", "No"][i % 3].to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let c = col("InternetService", &refs);
        assert_eq!(c.dtype(), DataType::Category);
        assert_eq!(c.get(1), Value::Str("Fiber optic"));
        let uniq: Vec<String> = (0..300).map(|i| format!("customer note number {i}")).collect();
        let refs: Vec<&str> = uniq.iter().map(String::as_str).collect();
        assert_eq!(col("note", &refs).dtype(), DataType::Text);
        assert_eq!(col("n", &["1", "2", "unknown", "2", "1"]).dtype(), DataType::Category);
        assert_eq!(col("n", &["1", "2", "unknown"]).dtype(), DataType::Text);
        let e = col("x", &["", "NA"]);
        assert_eq!((e.dtype(), e.null_count()), (DataType::Text, 2));
    }
}
