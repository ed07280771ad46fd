//! `transactionFeatures`: labels built from time when a table has none. From an order log,
//! one row per customer as of a cutoff date — recency, frequency, monetary, tenure, trend,
//! inter-purchase time, BG/NBD P(alive) and expected purchases (fitted by [`crate::value`])
//! — plus what happened after the cutoff: `purchasedInHorizon` and `spendInHorizon`.

use serde::{Deserialize, Serialize};

use crate::cells::values::parse_day;
use crate::error::{CrmError, Result};
use crate::table::date::format_date;
use crate::table::{Column, ColumnData, Dataset, Interner, Role, Validity};
use crate::value::{
    fit_bg_nbd, predict_customers as value_predict, summary_builder, BgNbdFit, BgNbdFitOptions as FitOptions,
    ClvOptions, RowReport, SummaryOptions, TimeUnit, TransactionColumns, Txn, TxnReader,
};

/// Days after the cutoff, or the last day of the horizon as a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Horizon {
    Days(u32),
    Until(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TransactionFeatureOptions {
    pub customer: String,
    pub date: String,
    /// Order value; without it spend features are 0.
    #[serde(default)]
    pub amount: Option<String>,
    /// Last day of the history the features see (`YYYY-MM-DD`).
    pub cutoff: String,
    /// The window whose purchases are the labels.
    pub horizon: Horizon,
    /// Days in each of the two windows compared by `trend` (default 90, at most 3,660).
    #[serde(default)]
    pub trend_days: Option<u32>,
}

impl TransactionFeatureOptions {
    pub fn from_json(text: &str) -> Result<Self> {
        crate::options::options_from_json(text)
    }
}

/// What the feature table was built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionFeatureReport {
    pub cutoff: String,
    pub horizon_end: String,
    pub horizon_days: u32,
    pub customers: usize,
    /// Rows read, used before the cutoff, and left out by reason.
    pub rows: RowReport,
    /// Rows after the cutoff of customers first seen after it (not in the table).
    pub rows_of_new_customers: usize,
    /// The BG/NBD fit behind `pAlive` and `expectedPurchases` (time in days).
    pub bg_nbd: BgNbdFit,
    pub warnings: Vec<String>,
}

pub struct TransactionFeatures {
    pub customers: Dataset,
    pub report: TransactionFeatureReport,
}

fn day(text: &str, field: &str) -> Result<i32> {
    parse_day(text.trim())
        .ok_or_else(|| CrmError::invalid_option(field, format!("expected a date like 2011-09-01, got {text:?}")))
}

/// Builds the per-customer table (see the module docs). Customers first seen after the
/// cutoff are not in it; every unusable row is counted in `report.rows`.
pub fn transaction_features(orders: &Dataset, opts: &TransactionFeatureOptions) -> Result<TransactionFeatures> {
    let cutoff = day(&opts.cutoff, "cutoff")?;
    let end = match &opts.horizon {
        Horizon::Days(0) => return Err(CrmError::invalid_option("horizon", "must be at least 1 day")),
        Horizon::Days(d) => cutoff.saturating_add(*d as i32),
        Horizon::Until(s) => day(s, "horizon")?,
    };
    if end <= cutoff {
        return Err(CrmError::invalid_option("horizon", "the horizon must end after the cutoff"));
    }
    let trend = opts.trend_days.unwrap_or(90).clamp(1, 3660) as i32;
    let cols = TransactionColumns {
        customer: &opts.customer,
        date: &opts.date,
        amount: opts.amount.as_deref(),
        ..Default::default()
    };
    // The summary as of the cutoff (x, t_x, T in days) from crate::value.
    let builder = summary_builder(orders, &cols)?;
    let sopts = SummaryOptions { calibration_end: Some(cutoff), time_unit: TimeUnit::Days, ..Default::default() };
    let s = builder
        .finish(&sopts)
        .map_err(|e| CrmError::empty(format!("no purchases on or before the cutoff {}: {e}", opts.cutoff)))?;
    let n = s.len();
    let (bought, rows_of_new) = builder.occasions_between(&s, cutoff, end);
    let (recent, _) = builder.occasions_between(&s, cutoff - trend, cutoff);
    let (before, _) = builder.occasions_between(&s, cutoff - 2 * trend, cutoff - trend);

    // Spend before and after the cutoff, per customer of the summary.
    let mut ids = Interner::new();
    for c in s.customer.iter() {
        ids.intern(c);
    }
    let (mut spend_before, mut spend_after) = (vec![0.0; n], vec![0.0; n]);
    let mut reader = TxnReader::new(orders, &cols)?;
    let mut buf = String::new();
    let mut last_day = i32::MIN;
    for row in 0..orders.num_rows() {
        let (k, d, a) = match reader.read(row) {
            Txn::Purchase(id, d, a) => (ids.get(id), d, a),
            Txn::PurchaseInt(id, d, a) => {
                use std::fmt::Write;
                buf.clear();
                let _ = write!(buf, "{id}");
                (ids.get(&buf), d, a)
            }
            Txn::Skipped(_) => continue,
        };
        last_day = last_day.max(d);
        let Some(k) = k else { continue };
        if d <= cutoff {
            spend_before[k as usize] += a;
        } else if d <= end {
            spend_after[k as usize] += a;
        }
    }
    let mut warnings = Vec::new();
    if last_day < end {
        warnings.push(format!(
            "the log ends on {}, before the horizon ends on {}: labels count only what the log holds",
            format_date(last_day),
            format_date(end)
        ));
    }

    // BG/NBD fitted on the summary; P(alive) and expected purchases over the horizon.
    let fit = fit_bg_nbd(&s.frequency, &s.recency, &s.t, &FitOptions::default())?;
    if !fit.converged {
        warnings.push(format!("the BG/NBD fit did not converge: {}", fit.diagnostic));
    }
    let horizon_days = (end - cutoff) as u32;
    let pred = value_predict(
        &fit.params,
        None,
        (&s.frequency, &s.recency, &s.t, &s.monetary),
        horizon_days as f64,
        &ClvOptions::new(0, 0.0, TimeUnit::Days),
    )?;

    let occasions: Vec<f64> = s.frequency.iter().map(|x| x + 1.0).collect();
    let f64col = |name: &str, v: Vec<f64>| {
        let mut val = Validity::with_capacity(v.len());
        for x in &v {
            val.push(x.is_finite());
        }
        let v = v.into_iter().map(|x| if x.is_finite() { x } else { 0.0 }).collect();
        Column::new(name, ColumnData::Float64(v), val)
    };
    let mut customer = Column::new("customer", ColumnData::Text(s.customer.clone()), Validity::all_valid(n));
    customer.role = Some(Role::Id);
    let columns = vec![
        customer,
        f64col("recency", (0..n).map(|i| s.t[i] - s.recency[i]).collect()),
        f64col("frequency", occasions.clone()),
        f64col("monetary", (0..n).map(|i| spend_before[i] / occasions[i]).collect()),
        f64col("totalSpend", spend_before),
        f64col("tenure", s.t.clone()),
        f64col("trend", (0..n).map(|i| recent[i] - before[i]).collect()),
        f64col(
            "interPurchaseDays",
            (0..n).map(|i| if s.frequency[i] > 0.0 { s.recency[i] / s.frequency[i] } else { f64::NAN }).collect(),
        ),
        f64col("pAlive", pred.p_alive),
        f64col("expectedPurchases", pred.expected_purchases),
        Column::new(
            "purchasedInHorizon",
            ColumnData::Bool(bought.iter().map(|&b| b > 0.0).collect()),
            Validity::all_valid(n),
        ),
        f64col("spendInHorizon", spend_after),
    ];
    Ok(TransactionFeatures {
        customers: Dataset::new(columns)?,
        report: TransactionFeatureReport {
            cutoff: format_date(cutoff),
            horizon_end: format_date(end),
            horizon_days,
            customers: n,
            rows: s.report.clone(),
            rows_of_new_customers: rows_of_new,
            bg_nbd: fit,
            warnings,
        },
    })
}
