//! What a segmentation says about its own validity (`report.warnings`): segments too small to
//! mean anything, a k chosen at the edge of `kRange`, and rows that look like the
//! transactions of repeated customers rather than one row per customer. Also the smallest
//! segment `"auto"` accepts when it chooses k.

use rustc_hash::FxHashSet;

use crate::table::{Dataset, Role};
use crate::warning::Warning;

/// Segments with fewer rows than this are flagged (too few to describe), whatever the share.
pub const FEW_MEMBERS: usize = 5;
/// Segments under this share of the segmented rows are flagged.
pub const SMALL_SHARE: f64 = 0.01;

/// The smallest segment `"auto"` accepts when it chooses k: 1% of the rows, and at least 2
/// (a segment of one row is an outlier, not a group — however high its silhouette).
pub fn min_auto_size(n: usize) -> usize {
    n.div_ceil(100).max(2)
}

/// Rows per segment of labels `0..k`.
pub fn sizes(labels: &[u32], k: usize) -> Vec<usize> {
    let mut s = vec![0usize; k];
    labels.iter().for_each(|&l| {
        if let Some(c) = s.get_mut(l as usize) {
            *c += 1
        }
    });
    s
}

/// `SMALL_SEGMENT`: every segment under 1% of the rows or with fewer than 5 members.
pub fn small_segments(sizes: &[usize], n: usize, out: &mut Vec<Warning>) {
    let small: Vec<String> = sizes
        .iter()
        .enumerate()
        .filter(|(_, &s)| s < FEW_MEMBERS || (s as f64) < SMALL_SHARE * n as f64)
        .map(|(i, &s)| format!("segment {i} ({s} row{})", if s == 1 { "" } else { "s" }))
        .collect();
    if !small.is_empty() {
        out.push(Warning::new(
            "SMALL_SEGMENT",
            format!(
                "{} of {n} rows: {} under 1% of the rows or fewer than {FEW_MEMBERS} members — \
                 likely outliers rather than a customer group; read their descriptions with care \
                 or remove the outliers and segment again",
                small.join(", "),
                if small.len() == 1 { "is" } else { "are" }
            ),
        ));
    }
}

/// `K_AT_EDGE`: `"auto"` chose the largest k it tried (a larger one might score higher), or
/// the smallest when that is above 2.
pub fn k_at_edge(k: usize, lo: usize, hi: usize, out: &mut Vec<Warning>) {
    if lo == hi {
        return;
    }
    if k == hi {
        out.push(Warning::new(
            "K_AT_EDGE",
            format!(
                "k = {k} is the largest value tried (kRange {lo}–{hi}); a larger k might fit better: \
                 widen kRange to check"
            ),
        ));
    } else if k == lo && lo > 2 {
        out.push(Warning::new(
            "K_AT_EDGE",
            format!(
                "k = {k} is the smallest value tried (kRange {lo}–{hi}); lower kRange's start to check a smaller k"
            ),
        ));
    }
}

/// `TRANSACTION_ROWS`: an id column (role id, or a name starting with "customer") whose
/// values repeat over the segmented rows — on average 1.5 rows or more per id — so the rows
/// are transactions and segment groups purchases, not customers.
pub fn transaction_rows(ds: &Dataset, rows: &[usize], out: &mut Vec<Warning>) {
    if rows.len() < 4 {
        return;
    }
    // Customer-like names first (an invoice number repeats on order lines too, but the
    // customer is what a segment should be made of), then any id column.
    let customer_like = |name: &str| {
        let lower = name.to_lowercase();
        lower.starts_with("customer") || lower.starts_with("client") || lower == "user_id" || lower == "userid"
    };
    let mut candidates: Vec<&crate::table::Column> = ds.columns().iter().filter(|c| customer_like(&c.name)).collect();
    candidates.extend(ds.columns().iter().filter(|c| c.role == Some(Role::Id) && !customer_like(&c.name)));
    for col in candidates {
        let mut seen: FxHashSet<String> = FxHashSet::default();
        let mut present = 0usize;
        for &r in rows {
            if let Some(t) = col.get(r).to_text() {
                present += 1;
                seen.insert(t);
            }
        }
        let ids = seen.len();
        if ids > 0 && present as f64 >= 1.5 * ids as f64 {
            out.push(Warning::new(
                "TRANSACTION_ROWS",
                format!(
                    "the {present} rows hold only {ids} distinct `{}` values ({:.1} rows each): they look like \
                     transactions of repeated customers, so these segments group rows, not customers. Build one \
                     row per customer first (e.g. customerValue's table of recency, frequency and spend) and \
                     segment that",
                    col.name,
                    present as f64 / ids as f64
                ),
            ));
            return;
        }
    }
}
