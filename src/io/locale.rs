//! Locale-aware typing of a column (files issue 21 item 2): runs only for columns that
//! the plain readers left as text (or when the caller stated a decimal comma), so plain
//! numeric columns never pay for it. The conventions are decided once per column from a
//! sample, then every cell is read under them; a column where any cell does not fit stays
//! text. Ambiguities are written into the column's warnings, never resolved silently.

use super::dates::DateStats;
use super::options::DateOrder;
use super::raw::{RawColumn, TextCells};
use crate::cells::locale::{
    decimal_evidence, normalize_date, parse_locale_number, strip_number, DateStyle, NumberLocale,
};
use crate::table::{ColumnData, Validity};

/// A column read as numbers under a regional convention.
pub struct LocaleColumn {
    pub data: ColumnData,
    pub format: String,
    pub currency: Option<String>,
    pub warnings: Vec<String>,
}

/// Cells looked at to decide the convention.
const SAMPLE: usize = 1000;

/// ISO code (or the symbol, when it names several currencies) of a written currency mark.
pub fn currency_code(mark: &str) -> &str {
    match mark {
        "US$" | "USD" => "USD",
        "€" | "EUR" => "EUR",
        "£" | "GBP" => "GBP",
        "RMB" | "CNY" | "元" => "CNY",
        "JPY" => "JPY",
        "CHF" => "CHF",
        "￥" | "¥" => "¥ (CNY or JPY)",
        other => other, // "$": dollars of some country
    }
}

/// Reads the column as numbers: under `forced` (the `decimal`/`thousands`/`locale`
/// options), else under the convention its sampled cells show. `semicolon`: the file is
/// `;`-separated, the usual sign of a decimal-comma locale, used only to break a tie,
/// with a warning.
#[inline(never)]
pub fn numbers(
    raw: &TextCells,
    valid: &Validity,
    forced: Option<NumberLocale>,
    semicolon: bool,
) -> Option<LocaleColumn> {
    let n = raw.len();
    let mut warnings = Vec::new();
    let loc = match forced {
        Some(l) => l,
        None => {
            let (mut comma, mut point, mut seen) = (0usize, 0usize, 0usize);
            let mut group_chars: Vec<char> = Vec::new();
            let mut ambiguous: Option<String> = None;
            for i in (0..n).filter(|&i| valid.is_valid(i)) {
                let (core, _, _) = strip_number(raw.get(i))?;
                match decimal_evidence(core) {
                    Some(b',') => comma += 1,
                    Some(_) => point += 1,
                    None if core.contains([',', '.']) && ambiguous.is_none() => ambiguous = Some(core.to_string()),
                    None => {}
                }
                for c in core.chars().filter(|c| !c.is_ascii_digit()) {
                    if !group_chars.contains(&c) {
                        group_chars.push(c);
                    }
                }
                seen += 1;
                if seen >= SAMPLE {
                    break;
                }
            }
            if comma > 0 && point > 0 {
                return None; // both conventions in one column: not one number column
            }
            let decimal = if comma > 0 {
                b','
            } else if point > 0 {
                b'.'
            } else if let Some(example) = &ambiguous {
                let d = if semicolon { b',' } else { b'.' };
                warnings.push(format!(
                    "number format is ambiguous ({example:?} has one separator followed by three digits); read {} as the decimal mark{}; set decimal to {:?} if that is wrong",
                    if d == b',' { "','" } else { "'.'" },
                    if semicolon { " because the file is ';'-separated" } else { "" },
                    if d == b',' { "." } else { "," }
                ));
                d
            } else {
                b'.'
            };
            let thousands = group_chars
                .iter()
                .copied()
                .find(|&c| c != decimal as char && matches!(c, ',' | '.' | ' ' | '\'' | '\u{a0}' | '\u{202f}' | '’'))
                .map(|c| {
                    if matches!(c, '\u{a0}' | '\u{202f}') {
                        ' '
                    } else if c == '’' {
                        '\''
                    } else {
                        c
                    }
                });
            NumberLocale { decimal, thousands }
        }
    };
    let mut out = Vec::with_capacity(n);
    let (mut currencies, mut percent, mut accounting, mut grouped) = (Vec::<&str>::new(), false, false, false);
    for i in 0..n {
        if !valid.is_valid(i) {
            out.push(0.0);
            continue;
        }
        let (v, marks) = parse_locale_number(raw.get(i), loc)?;
        if let Some(c) = marks.currency.map(currency_code) {
            if !currencies.contains(&c) {
                currencies.push(c);
            }
        }
        percent |= marks.percent;
        accounting |= marks.accounting;
        grouped |= marks.grouped;
        out.push(v);
    }
    let mut parts = Vec::new();
    if loc.decimal == b',' {
        parts.push("decimal-comma".to_string());
    }
    if grouped {
        let g = match loc.thousands {
            Some(' ') => "space".to_string(),
            Some(c) => format!("{c}"),
            None => String::new(),
        };
        parts.push(format!("thousands={g}"));
    }
    if !currencies.is_empty() {
        parts.push("currency".into());
    }
    if percent {
        parts.push("percent".into());
    }
    if accounting {
        parts.push("accounting-negatives".into());
    }
    let currency = match currencies.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        many => {
            warnings
                .push(format!("several currencies in one column ({}): amounts are not comparable", many.join(", ")));
            None
        }
    };
    Some(LocaleColumn { data: ColumnData::Float64(out), format: parts.join(","), currency, warnings })
}

/// Reads the column as dates written in a regional form (AM/PM, month names, 年月日,
/// two-digit years), through the main date reader after rewriting each cell.
#[inline(never)]
pub fn dates(raw: &TextCells, valid: &Validity, order: DateOrder) -> Option<LocaleColumn> {
    let n = raw.len();
    // A cheap look at the first cells before rewriting the column.
    let mut style = DateStyle::default();
    for i in (0..n).filter(|&i| valid.is_valid(i)).take(20) {
        normalize_date(raw.get(i))?;
    }
    let mut col = RawColumn::new(String::new());
    let mut ds = DateStats::new();
    for i in 0..n {
        if !valid.is_valid(i) {
            col.push(b"");
            ds.push_null();
            continue;
        }
        let (t, st) = normalize_date(raw.get(i))?;
        style.chinese |= st.chinese;
        style.month_name |= st.month_name;
        style.twelve_hour |= st.twelve_hour;
        style.two_digit_year |= st.two_digit_year;
        ds.classify(&t);
        if !ds.ok {
            return None;
        }
        col.push(t.as_bytes());
    }
    let text = col.into_text();
    let mut warnings = Vec::new();
    let day_first = ds.day_first(order, &mut warnings);
    let data = ds.convert(&text, valid, day_first)?;
    if style.two_digit_year {
        warnings.push("two-digit years read with the POSIX pivot: 69–99 → 1969–1999, 00–68 → 2000–2068".to_string());
    }
    let base = ds.format(day_first);
    let format = if style.chinese {
        base.replace("YYYY-MM-DD", "YYYY年M月D日")
    } else if style.month_name {
        base.replace("YYYY-MM-DD", "MONTH D, YYYY / D MONTH YYYY")
    } else {
        let b = if style.two_digit_year { base.replace("YYYY", "YY") } else { base };
        if style.twelve_hour {
            b.replace("HH:MM", "h:mm AM/PM")
        } else {
            b
        }
    };
    let format =
        if style.twelve_hour && !format.contains("AM/PM") { format.replace("HH:MM", "h:mm AM/PM") } else { format };
    Some(LocaleColumn { data, format, currency: None, warnings })
}
