//! Alerts with a severity, read off the finished column profiles.

use super::report::{Alert, ColumnProfile, DatasetProfile, Severity};
use crate::table::{DataType, Role};

/// Numeric values that usually stand for "unknown".
pub const SENTINEL_NUMBERS: [f64; 9] = [-1.0, -9.0, -99.0, -999.0, -9999.0, 999.0, 9999.0, 99999.0, 999999.0];

fn alert(kind: &str, severity: Severity, column: Option<&str>, value: f64, message: String) -> Alert {
    Alert { kind: kind.into(), severity, column: column.map(str::to_string), message, value }
}

/// Every alert for the table, most severe first (then in column order).
pub fn alerts(ds: &DatasetProfile, columns: &[ColumnProfile]) -> Vec<Alert> {
    let mut out = Vec::new();
    if ds.duplicate_rows > 0 {
        let share = 100.0 * ds.duplicate_rows as f64 / ds.rows.max(1) as f64;
        let sev = if share >= 5.0 { Severity::High } else { Severity::Warning };
        out.push(alert(
            "duplicateRows",
            sev,
            None,
            ds.duplicate_rows as f64,
            format!("{} rows ({share:.2} %) repeat an earlier row exactly", ds.duplicate_rows),
        ));
    }
    for c in columns {
        column_alerts(c, &mut out);
    }
    crate::sort::by_key(&mut out, |a| a.severity);
    out
}

fn column_alerts(c: &ColumnProfile, out: &mut Vec<Alert>) {
    let name = Some(c.name.as_str());
    if c.missing_pct >= 5.0 {
        let sev = match c.missing_pct {
            p if p >= 50.0 => Severity::High,
            p if p >= 20.0 => Severity::Warning,
            _ => Severity::Info,
        };
        out.push(alert(
            "highMissing",
            sev,
            name,
            c.missing_pct,
            format!("{:.1} % of values are missing", c.missing_pct),
        ));
    }
    if c.count > 0 && c.distinct == 1 {
        let v = c.top.first().map_or(String::new(), |t| t.value.clone());
        out.push(alert("constant", Severity::High, name, 1.0, format!("every non-missing value is `{v}`")));
        return;
    }
    let categorical = matches!(c.dtype, DataType::Text | DataType::Category);
    let integral = matches!(c.dtype, DataType::Int64) || categorical;
    let all_different =
        if c.distinct_exact { c.distinct == c.count } else { c.distinct as f64 >= 0.98 * c.count as f64 };
    if c.count > 1 && all_different && integral {
        let how =
            if c.distinct_exact { "every value is different" } else { "about every value is different (estimated)" };
        out.push(alert("unique", Severity::Info, name, c.distinct as f64, format!("{how} (likely an identifier)")));
    } else if categorical && c.distinct > 50 && c.distinct_pct > 50.0 && c.role != Some(Role::FreeText) {
        out.push(alert(
            "highCardinality",
            Severity::Warning,
            name,
            c.distinct as f64,
            format!("{} distinct values ({:.1} % of values)", c.distinct, c.distinct_pct),
        ));
    }
    if let Some(n) = &c.numeric {
        if let Some(s) = n.skewness.filter(|s| s.abs() > 2.0) {
            let sev = if s.abs() > 10.0 { Severity::Warning } else { Severity::Info };
            out.push(alert("skewed", sev, name, s, format!("skewness {s:.2}")));
        }
        let mad = n.outliers_mad.unwrap_or(0);
        let worst = n.outliers_iqr.max(mad);
        if worst > 0 {
            let share = 100.0 * worst as f64 / c.count as f64;
            let sev = if share >= 5.0 { Severity::Warning } else { Severity::Info };
            let mad_text = n.outliers_mad.map_or("n/a (MAD is 0)".to_string(), |m| m.to_string());
            out.push(alert(
                "outliers",
                sev,
                name,
                worst as f64,
                format!("{} values outside 1.5·IQR, {mad_text} with modified z-score > 3.5", n.outliers_iqr),
            ));
        }
        for t in &c.top {
            if let Ok(v) = t.value.parse::<f64>() {
                let share = 100.0 * t.count as f64 / c.count as f64;
                if SENTINEL_NUMBERS.contains(&v) && share >= 1.0 {
                    out.push(alert(
                        "sentinel",
                        Severity::Warning,
                        name,
                        t.count as f64,
                        format!("`{}` occurs {} times ({share:.1} %), possibly a code for unknown", t.value, t.count),
                    ));
                }
            }
        }
    }
    if let Some(t) = &c.text {
        // Mixed: numbers or dates among other text (booleans such as Yes/No count as text).
        let kinds = [t.spelled_number, t.spelled_date, t.spelled_bool + t.spelled_text];
        let total: u64 = kinds.iter().sum();
        let major = kinds.iter().copied().max().unwrap_or(0);
        if total > 0 && major < total && (total - major) * 1000 >= total && kinds[2] < total {
            let share = 100.0 * (total - major) as f64 / total as f64;
            out.push(alert(
                "mixedTypes",
                Severity::Warning,
                name,
                share,
                format!(
                    "values mix kinds: {} numbers, {} dates, {} booleans, {} other text",
                    t.spelled_number, t.spelled_date, t.spelled_bool, t.spelled_text
                ),
            ));
        }
        if t.padded > 0 {
            out.push(alert(
                "whitespace",
                Severity::Warning,
                name,
                t.padded as f64,
                format!("{} values have leading or trailing whitespace", t.padded),
            ));
        }
        if !t.case_variants.is_empty() {
            let ex = t.case_variants[0].iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" / ");
            out.push(alert(
                "caseVariants",
                Severity::Warning,
                name,
                t.case_variants.len() as f64,
                format!("{} values are spelt several ways, e.g. {ex}", t.case_variants.len()),
            ));
        }
        for s in &t.sentinels {
            out.push(alert(
                "sentinel",
                Severity::Warning,
                name,
                s.count as f64,
                format!("`{}` occurs {} times, possibly a code for unknown", s.value, s.count),
            ));
        }
        if let Some(p) = t.pii.iter().max_by_key(|p| p.count) {
            let share = 100.0 * p.count as f64 / c.count.max(1) as f64;
            if share >= 50.0 || (p.count >= 1 && share >= 1.0) {
                let sev = if share >= 50.0 { Severity::High } else { Severity::Warning };
                out.push(alert(
                    "pii",
                    sev,
                    name,
                    share,
                    format!("{share:.1} % of values hold personal data ({})", p.kind.name()),
                ));
            }
        }
    }
    if c.text.is_none() && matches!(c.role, Some(Role::Email | Role::Phone)) {
        out.push(alert("pii", Severity::High, name, 100.0, "column holds personal data (by its role)".into()));
    }
}
