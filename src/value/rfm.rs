//! RFM scoring and segmentation: quintile scores for recency, frequency and monetary value,
//! the three-digit RFM code (`"555"`), a named segment per customer, and a per-segment
//! summary.
//!
//! # Inputs
//!
//! One value per customer, in three slices of equal length:
//!
//! - `recency`: time since the last purchase at the analysis date (smaller is better);
//! - `frequency`: number of purchases or of repeat purchases (larger is better);
//! - `monetary`: mean or total spend (larger is better).
//!
//! Every value must be finite; `-0.0` counts as `0.0`. [`rfm_from_summary`] takes them from a
//! [`CustomerSummary`]: recency `T − t_x` (time from the last purchase to the calibration end,
//! in the summary's time unit), frequency `x` (repeat purchases) and monetary the mean repeat
//! spend (0 for customers with a single purchase occasion).
//!
//! # Quintile scores
//!
//! Each variable is scored 1–5 on its own, 5 being best. For customer *i*, let `worse_i` be
//! the number of customers whose value is strictly worse (larger recency, smaller frequency or
//! monetary) and `n` the number of customers; then
//!
//! ```text
//! score_i = 1 + floor(5 · worse_i / n)
//! ```
//!
//! Equivalently: sort the customers from worst to best, give the customer at 0-based position
//! `p` the score `1 + floor(5p / n)`, and give a group of equal values the score of its first
//! (worst) position. Without ties this splits the customers into five groups whose sizes
//! differ by at most one (`floor` or `ceil` of `n / 5`); with ties, equal values always get
//! the same score, so a tie group that straddles a boundary moves as a whole to the lower
//! score (and some scores can then be empty: e.g. when more than 40 % of customers have the
//! smallest frequency, all of them score 1 and nobody scores 2). The scores never depend on
//! the order of the input.
//!
//! # Segments
//!
//! A segment is read from the grid of R against FM, where `FM = (F + M + 1) / 2` in integer
//! arithmetic (the mean of F and M, halves rounded up), so every one of the 125 (R, F, M)
//! combinations maps to exactly one segment:
//!
//! | R \ FM | 1              | 2                  | 3                  | 4               | 5               |
//! |--------|----------------|--------------------|--------------------|-----------------|-----------------|
//! | **5**  | New            | Potential loyalist | Potential loyalist | Champions       | Champions       |
//! | **4**  | Promising      | Potential loyalist | Potential loyalist | Loyal           | Loyal           |
//! | **3**  | About to sleep | About to sleep     | Need attention     | Loyal           | Loyal           |
//! | **2**  | Hibernating    | Hibernating        | At risk            | At risk         | Can't lose them |
//! | **1**  | Lost           | Lost               | At risk            | At risk         | Can't lose them |
//!
//! As rules:
//!
//! | Segment            | Rule                         |
//! |--------------------|------------------------------|
//! | Champions          | R = 5 and FM ≥ 4             |
//! | Loyal              | R ∈ {3, 4} and FM ≥ 4        |
//! | Potential loyalist | R ∈ {4, 5} and FM ∈ {2, 3}   |
//! | New                | R = 5 and FM = 1             |
//! | Promising          | R = 4 and FM = 1             |
//! | Need attention     | R = 3 and FM = 3             |
//! | About to sleep     | R = 3 and FM ≤ 2             |
//! | At risk            | R ≤ 2 and FM ∈ {3, 4}        |
//! | Can't lose them    | R ≤ 2 and FM = 5             |
//! | Hibernating        | R = 2 and FM ≤ 2             |
//! | Lost               | R = 1 and FM ≤ 2             |
//!
//! The names and their intent follow the widely used 11-segment RFM scheme; the exact grid is
//! this crate's own definition.

use serde::Serialize;

use crate::error::{CrmError, Result};

use super::summary::CustomerSummary;

/// The number of score levels (quintiles).
pub const LEVELS: u8 = 5;

/// A named RFM segment. [`Segment::ALL`] lists them in their documented order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
// `RfmSegment` in the .d.ts: `Segment` there is segment's description of one cluster.
#[cfg_attr(feature = "ts", tsify(rename = "RfmSegment"))]
#[serde(rename_all = "camelCase")]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLoseThem,
    Hibernating,
    Lost,
}

impl Segment {
    /// Every segment, in the documented order (also the order of [`Rfm::segments`]).
    pub const ALL: [Segment; 11] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalist,
        Segment::New,
        Segment::Promising,
        Segment::NeedAttention,
        Segment::AboutToSleep,
        Segment::AtRisk,
        Segment::CantLoseThem,
        Segment::Hibernating,
        Segment::Lost,
    ];

    /// The display name ("Champions", "Can't lose them", ...).
    pub fn name(self) -> &'static str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::PotentialLoyalist => "Potential loyalist",
            Segment::New => "New",
            Segment::Promising => "Promising",
            Segment::NeedAttention => "Need attention",
            Segment::AboutToSleep => "About to sleep",
            Segment::AtRisk => "At risk",
            Segment::CantLoseThem => "Can't lose them",
            Segment::Hibernating => "Hibernating",
            Segment::Lost => "Lost",
        }
    }

    /// Position in [`Segment::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The segment of an (R, F, M) score triple (see the module's rule table). Scores outside
    /// 1–5 are an `INVALID_OPTION` error.
    pub fn from_scores(r: u8, f: u8, m: u8) -> Result<Segment> {
        for (name, s) in [("r", r), ("f", f), ("m", m)] {
            if !(1..=LEVELS).contains(&s) {
                return Err(CrmError::invalid_option(name, format!("score {s} is outside 1–5")));
            }
        }
        Ok(segment_of(r, f, m))
    }
}

/// The grid of the module documentation: `GRID[5 − R][FM − 1]`.
const GRID: [[Segment; 5]; 5] = {
    use Segment::*;
    [
        [New, PotentialLoyalist, PotentialLoyalist, Champions, Champions],
        [Promising, PotentialLoyalist, PotentialLoyalist, Loyal, Loyal],
        [AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal],
        [Hibernating, Hibernating, AtRisk, AtRisk, CantLoseThem],
        [Lost, Lost, AtRisk, AtRisk, CantLoseThem],
    ]
};

/// The grid lookup; scores outside 1–5 are clamped into it (callers pass valid scores).
fn segment_of(r: u8, f: u8, m: u8) -> Segment {
    let clamp = |s: u8| s.clamp(1, LEVELS);
    let fm = (clamp(f) + clamp(m)).div_ceil(2);
    GRID[(LEVELS - clamp(r)) as usize][(fm - 1) as usize]
}

/// Size and mean inputs of one segment. The means are `None` for an empty segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ts", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct SegmentSummary {
    #[cfg_attr(feature = "ts", tsify(type = "RfmSegment"))]
    pub segment: Segment,
    pub name: &'static str,
    pub customers: usize,
    /// `customers / n`.
    pub share: f64,
    pub mean_recency: Option<f64>,
    pub mean_frequency: Option<f64>,
    pub mean_monetary: Option<f64>,
}

/// RFM scores, segments and the per-segment summary of `n` customers (input order).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rfm {
    /// Recency score 1–5 (5 = most recent).
    pub r: Vec<u8>,
    /// Frequency score 1–5 (5 = most frequent).
    pub f: Vec<u8>,
    /// Monetary score 1–5 (5 = highest spend).
    pub m: Vec<u8>,
    pub segment: Vec<Segment>,
    /// One entry per segment of [`Segment::ALL`], in that order, empty segments included.
    pub segments: Vec<SegmentSummary>,
}

impl Rfm {
    pub fn len(&self) -> usize {
        self.r.len()
    }
    pub fn is_empty(&self) -> bool {
        self.r.is_empty()
    }
    /// The three-digit RFM code of customer `i` (`"555"` is best); `None` out of range.
    pub fn code(&self, i: usize) -> Option<String> {
        Some(rfm_code(*self.r.get(i)?, *self.f.get(i)?, *self.m.get(i)?))
    }
    /// The codes of all customers.
    pub fn codes(&self) -> Vec<String> {
        (0..self.len()).map(|i| rfm_code(self.r[i], self.f[i], self.m[i])).collect()
    }
    /// How many customers have each score 1–5 of one variable (index 0 = score 1).
    pub fn score_counts(scores: &[u8]) -> [usize; 5] {
        let mut c = [0; 5];
        for &s in scores {
            if (1..=LEVELS).contains(&s) {
                c[(s - 1) as usize] += 1;
            }
        }
        c
    }
}

fn rfm_code(r: u8, f: u8, m: u8) -> String {
    if r < 10 && f < 10 && m < 10 {
        // The scores are digits: no formatting machinery (one call per customer).
        [r, f, m].iter().map(|&d| char::from(b'0' + d)).collect()
    } else {
        format!("{r}{f}{m}")
    }
}

/// Quintile scores 1–5 of `values` (see the module documentation for the tie rule).
/// `higher_is_better` is `false` for recency. Non-finite values are an `INVALID_OPTION` error
/// naming `field`; an empty slice gives an empty result.
pub fn quintile_scores(values: &[f64], higher_is_better: bool, field: &str) -> Result<Vec<u8>> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(CrmError::invalid_option(
            field,
            format!("value {} of customer {i} (0-based) is not a finite number", values[i]),
        ));
    }
    let n = values.len();
    // -0.0 + 0.0 == +0.0, so total_cmp treats the two zeros as equal.
    let v: Vec<f64> = values.iter().map(|x| x + 0.0).collect();
    // Worst first (0.0 - x keeps +0.0 for a zero, like the line above).
    let mut keyed: Vec<(f64, u32)> =
        v.iter().enumerate().map(|(i, &x)| (if higher_is_better { x } else { 0.0 - x }, i as u32)).collect();
    crate::sort::f64_keyed(&mut keyed);
    let order: Vec<usize> = keyed.iter().map(|&(_, i)| i as usize).collect();
    let mut scores = vec![0u8; n];
    let mut start = 0;
    while start < n {
        let value = v[order[start]];
        let mut end = start;
        while end < n && v[order[end]] == value {
            end += 1;
        }
        // start < n, so the score is at most 5.
        let score = 1 + (LEVELS as u64 * start as u64 / n as u64) as u8;
        for &i in &order[start..end] {
            scores[i] = score;
        }
        start = end;
    }
    Ok(scores)
}

/// RFM scores, segments and segment summary of customers given by their recency (smaller is
/// better), frequency and monetary value. Slices of different length are an `INVALID_OPTION`
/// error, no customers an `EMPTY_INPUT` error.
pub fn rfm(recency: &[f64], frequency: &[f64], monetary: &[f64]) -> Result<Rfm> {
    let n = recency.len();
    if frequency.len() != n || monetary.len() != n {
        return Err(CrmError::invalid_option(
            "rfm",
            format!("recency, frequency and monetary differ in length ({n}, {}, {})", frequency.len(), monetary.len()),
        ));
    }
    if n == 0 {
        return Err(CrmError::empty("no customers to score"));
    }
    let r = quintile_scores(recency, false, "recency")?;
    let f = quintile_scores(frequency, true, "frequency")?;
    let m = quintile_scores(monetary, true, "monetary")?;
    let segment: Vec<Segment> = (0..n).map(|i| segment_of(r[i], f[i], m[i])).collect();

    let mut count = [0usize; 11];
    let mut sums = [[0.0f64; 3]; 11];
    for i in 0..n {
        let k = segment[i].index();
        count[k] += 1;
        sums[k][0] += recency[i];
        sums[k][1] += frequency[i];
        sums[k][2] += monetary[i];
    }
    let segments = Segment::ALL
        .iter()
        .map(|&s| {
            let k = s.index();
            let c = count[k];
            let mean = |j: usize| if c > 0 { Some(sums[k][j] / c as f64) } else { None };
            SegmentSummary {
                segment: s,
                name: s.name(),
                customers: c,
                share: c as f64 / n as f64,
                mean_recency: mean(0),
                mean_frequency: mean(1),
                mean_monetary: mean(2),
            }
        })
        .collect();
    Ok(Rfm { r, f, m, segment, segments })
}

/// The three RFM inputs read from a summary: recency `T − t_x` (time from the last purchase
/// to the calibration end, in the summary's time unit), frequency `x` (repeat purchases),
/// monetary the mean repeat spend (0 for single-purchase customers).
pub fn rfm_inputs(s: &CustomerSummary) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let recency = s.t.iter().zip(&s.recency).map(|(t, tx)| t - tx).collect();
    (recency, s.frequency.clone(), s.monetary.clone())
}

/// [`rfm`] of a summary's customers (in the summary's order), with the inputs of
/// [`rfm_inputs`].
pub fn rfm_from_summary(s: &CustomerSummary) -> Result<Rfm> {
    let (r, f, m) = rfm_inputs(s);
    rfm(&r, &f, &m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_three_scores() {
        assert_eq!(rfm_code(5, 5, 5), "555");
        assert_eq!(rfm_code(1, 2, 3), "123");
        assert_eq!(rfm_code(12, 1, 0), "1210");
    }

    #[test]
    fn grid_corners() {
        assert_eq!(segment_of(5, 5, 5), Segment::Champions);
        assert_eq!(segment_of(1, 1, 1), Segment::Lost);
        assert_eq!(segment_of(1, 5, 5), Segment::CantLoseThem);
        assert_eq!(segment_of(5, 1, 1), Segment::New);
        assert_eq!(segment_of(5, 3, 4), Segment::Champions); // FM = 4
        assert_eq!(segment_of(5, 3, 3), Segment::PotentialLoyalist);
    }

    #[test]
    fn bad_scores_are_errors() {
        assert_eq!(Segment::from_scores(0, 1, 1).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(Segment::from_scores(1, 6, 1).unwrap_err().code(), "INVALID_OPTION");
    }
}
