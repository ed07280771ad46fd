//! What makes a segment different, in numbers and in words: per numeric column the segment
//! mean and its z-score against the whole table; per category the segment's most common
//! level, its share and its lift over the overall share; and a short plain-language
//! description built from the features that stand out ("older, high annual income, low
//! spending score; mostly female").

use serde::Serialize;

use super::features::Features;

/// |z| from which a numeric column is mentioned, and from which it is "very" high/low.
pub const Z_MENTION: f64 = 0.5;
pub const Z_VERY: f64 = 1.0;
/// A category level is mentioned when it holds at least this share of the segment...
pub const SHARE_MENTION: f64 = 0.5;
/// ...and is at least this many times as common as in the whole table.
pub const LIFT_MENTION: f64 = 1.15;
/// At most this many numeric columns are named in a description.
pub const MAX_NUMERIC_WORDS: usize = 3;

/// One column of one segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SegmentFeature {
    pub column: String,
    /// `"numeric"` or `"category"`.
    pub kind: String,
    /// Numeric: the segment mean, in the column's units.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub mean: Option<f64>,
    /// Numeric: the mean over all segmented rows.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub overall_mean: Option<f64>,
    /// Numeric: (segment mean − overall mean) / overall standard deviation.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub z: Option<f64>,
    /// Category: the segment's most common level.
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub level: Option<String>,
    /// Category: share of the segment with that level.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub share: Option<f64>,
    /// Category: share of all segmented rows with that level.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub overall_share: Option<f64>,
    /// Category: share / overall share.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub lift: Option<f64>,
}

/// One segment: its id (= its label), size, share of the segmented rows, description and features.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub id: u32,
    pub size: usize,
    pub share: f64,
    pub description: String,
    pub features: Vec<SegmentFeature>,
}

/// A column name as words: `annual_income_thousands` → "annual income", `SpendingScore` →
/// "spending score" (unit words at the end are dropped).
pub fn humanize(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            if ch.is_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = ch.is_lowercase() || ch.is_numeric();
            cur.extend(ch.to_lowercase());
        } else {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    const UNITS: [&str; 12] = ["thousands", "k", "usd", "eur", "gbp", "cny", "rmb", "1", "100", "pct", "percent", "in"];
    while words.len() > 1 && UNITS.contains(&words.last().map(String::as_str).unwrap_or("")) {
        words.pop();
    }
    if words.is_empty() {
        name.to_string()
    } else {
        words.join(" ")
    }
}

fn numeric_phrase(column: &str, z: f64) -> String {
    let words = humanize(column);
    let very = z.abs() >= Z_VERY;
    if words == "age" {
        return match (z > 0.0, very) {
            (true, true) => "much older".into(),
            (true, false) => "older".into(),
            (false, true) => "much younger".into(),
            (false, false) => "younger".into(),
        };
    }
    let level = if z > 0.0 { "high" } else { "low" };
    if very {
        format!("very {level} {words}")
    } else {
        format!("{level} {words}")
    }
}

fn category_phrase(column: &str, level: &str) -> String {
    let col = humanize(column);
    match level.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" => return format!("mostly {col}"),
        "no" | "n" | "false" | "none" => return format!("mostly no {col}"),
        _ => {}
    }
    // "Female" → "female"; codes such as "DSL" or "Fiber optic" keep their case.
    let mut chars = level.chars();
    let simple = chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase);
    let level = if simple { level.to_lowercase() } else { level.to_string() };
    if matches!(col.as_str(), "gender" | "sex") {
        format!("mostly {level}")
    } else {
        format!("mostly {level} {col}")
    }
}

/// A numeric column holding only 0 and 1 is a flag: "more often senior citizen".
fn flag_phrase(column: &str, z: f64) -> String {
    let col = humanize(column);
    match (z > 0.0, z.abs() >= Z_VERY) {
        (true, true) => format!("much more often {col}"),
        (true, false) => format!("more often {col}"),
        (false, true) => format!("much less often {col}"),
        (false, false) => format!("less often {col}"),
    }
}

/// Sizes, features and descriptions of segments `0..k` of the prepared rows.
pub fn describe(f: &Features, labels: &[u32], k: usize) -> Vec<Segment> {
    let n = f.len();
    let (p, q) = (f.numeric.len(), f.categories.len());
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l as usize] += 1);
    // Numeric: overall mean/std and per-segment sums, in original units.
    let mut seg_sum = vec![0.0; k * p];
    let (mut all_mean, mut all_sd) = (vec![0.0; p], vec![0.0; p]);
    // Scaling round trips are not exact: a flag value reads back as 0.9999999999999999.
    let is_flag = |v: f64| v.abs() < 1e-9 || (v - 1.0).abs() < 1e-9;
    let flags: Vec<bool> = (0..p).map(|j| (0..n).all(|i| is_flag(f.original(i, j)))).collect();
    for j in 0..p {
        let mean = (0..n).map(|i| f.original(i, j)).sum::<f64>() / n as f64;
        let var = (0..n).map(|i| (f.original(i, j) - mean).powi(2)).sum::<f64>() / n as f64;
        all_mean[j] = mean;
        all_sd[j] = var.sqrt();
        for i in 0..n {
            seg_sum[labels[i] as usize * p + j] += f.original(i, j);
        }
    }
    // Category: level counts overall and per segment.
    let mut counts: Vec<Vec<usize>> = Vec::with_capacity(q);
    let mut overall: Vec<Vec<usize>> = Vec::with_capacity(q);
    for (t, c) in f.categories.iter().enumerate() {
        let l = c.levels.len();
        let mut per = vec![0usize; k * l];
        let mut all = vec![0usize; l];
        for i in 0..n {
            let code = f.cats[i * q + t] as usize;
            per[labels[i] as usize * l + code] += 1;
            all[code] += 1;
        }
        counts.push(per);
        overall.push(all);
    }
    (0..k)
        .map(|s| {
            let size = sizes[s];
            let mut features = Vec::with_capacity(p + q);
            let mut numeric_words: Vec<(f64, String)> = Vec::new();
            for j in 0..p {
                let name = &f.numeric[j].name;
                let mean = if size > 0 { seg_sum[s * p + j] / size as f64 } else { f64::NAN };
                let z = if all_sd[j] > 0.0 { (mean - all_mean[j]) / all_sd[j] } else { 0.0 };
                if z.abs() >= Z_MENTION {
                    let phrase = if flags[j] { flag_phrase(name, z) } else { numeric_phrase(name, z) };
                    numeric_words.push((z, phrase));
                }
                features.push(SegmentFeature {
                    column: name.clone(),
                    kind: "numeric".into(),
                    mean: Some(mean),
                    overall_mean: Some(all_mean[j]),
                    z: Some(z),
                    level: None,
                    share: None,
                    overall_share: None,
                    lift: None,
                });
            }
            let mut category_words = Vec::new();
            for (t, c) in f.categories.iter().enumerate() {
                let l = c.levels.len();
                let per = &counts[t][s * l..(s + 1) * l];
                let mode = (0..l).max_by_key(|&v| (per[v], std::cmp::Reverse(v))).unwrap_or(0);
                let share = if size > 0 { per[mode] as f64 / size as f64 } else { 0.0 };
                let overall_share = overall[t][mode] as f64 / n as f64;
                let lift = if overall_share > 0.0 { share / overall_share } else { 0.0 };
                if share >= SHARE_MENTION && lift >= LIFT_MENTION {
                    category_words.push((lift, category_phrase(&c.name, &c.levels[mode])));
                }
                features.push(SegmentFeature {
                    column: c.name.clone(),
                    kind: "category".into(),
                    mean: None,
                    overall_mean: None,
                    z: None,
                    level: Some(c.levels[mode].clone()),
                    share: Some(share),
                    overall_share: Some(overall_share),
                    lift: Some(lift),
                });
            }
            crate::sort::by(&mut numeric_words, &|a, b| b.0.abs().total_cmp(&a.0.abs()));
            numeric_words.truncate(MAX_NUMERIC_WORDS);
            crate::sort::by(&mut category_words, &|a, b| b.0.total_cmp(&a.0));
            let num_text: Vec<String> = numeric_words.into_iter().map(|(_, w)| w).collect();
            let cat_text: Vec<String> = category_words.into_iter().map(|(_, w)| w).collect();
            let description = match (num_text.is_empty(), cat_text.is_empty()) {
                (true, true) => "close to the overall average".to_string(),
                (false, true) => num_text.join(", "),
                (true, false) => cat_text.join(", "),
                (false, false) => format!("{}; {}", num_text.join(", "), cat_text.join(", ")),
            };
            Segment { id: s as u32, size, share: size as f64 / n as f64, description, features }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_phrases() {
        assert_eq!(humanize("annual_income_thousands"), "annual income");
        assert_eq!(humanize("SpendingScore"), "spending score");
        assert_eq!(humanize("Spending Score (1-100)"), "spending score");
        assert_eq!(humanize("Annual Income (k$)"), "annual income");
        assert_eq!(numeric_phrase("age", 1.2), "much older");
        assert_eq!(numeric_phrase("spending_score", -0.7), "low spending score");
        assert_eq!(category_phrase("gender", "Female"), "mostly female");
        assert_eq!(category_phrase("InternetService", "DSL"), "mostly DSL internet service");
        assert_eq!(category_phrase("InternetService", "No"), "mostly no internet service");
        assert_eq!(category_phrase("Contract", "Month-to-month"), "mostly Month-to-month contract");
        assert_eq!(category_phrase("Churn", "true"), "mostly churn");
        assert_eq!(flag_phrase("SeniorCitizen", 1.3), "much more often senior citizen");
    }
}
