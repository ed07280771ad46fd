//! `customerValue`: one call from a transaction table to the per-customer value table —
//! the RFM summary, R/F/M scores and segment, BG/NBD P(alive) and expected purchases,
//! Gamma-Gamma expected spend and discounted CLV — plus the fitted models and the monthly
//! cohort retention matrix.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbd;
use super::bgnbd::{self, BgNbdFit};
use super::cohort::CohortMatrix;
use super::gamma_gamma::{self, ClvOptions, GammaGammaFit};
use super::holdout::{self, HoldoutQuality};
use super::predict::predict;
use super::rfm::{rfm_from_summary, SegmentSummary};
use super::summary::{CustomerSummary, SummaryBuilder};
use super::summary::{RowReport, SummaryOptions, TimeUnit};
use super::transactions::{summary_builder_async, TransactionColumns};
use super::validity;
use crate::error::{CrmError, Result};
use crate::table::{Column, ColumnData, Dataset, Role, StrVec, Validity};
use crate::task::{Ctl, Work};
use crate::warning::Warning;

/// Options of `customerValue` (column names are the user's).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CustomerValueOptions {
    /// Column holding the customer id.
    pub customer: String,
    /// Column holding the purchase date (date, datetime, or ISO / YYYYMMDD text).
    pub date: String,
    /// Column holding the amount spent (omit to model purchases only).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub amount: Option<String>,
    /// Instead of `amount`, order lines: the amount of a row is `quantity` × `price`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quantity: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub price: Option<String>,
    /// Invoice-number column: invoices starting with "C" are cancellations (UCI Online Retail
    /// convention), counted in `model.rows.cancelled` and left out.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub invoice: Option<String>,
    /// Last day of the calibration period, `YYYY-MM-DD` (default: the last purchase day).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub calibration_end: Option<String>,
    /// End of a holdout period (`YYYY-MM-DD`, after `calibrationEnd`, which it requires): the
    /// model fitted on the calibration period is graded on the purchases in between.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub observation_end: Option<String>,
    /// `"days"` or `"weeks"` (default `"weeks"`), the unit of recency, T and the model.
    #[cfg_attr(feature = "ts", tsify(optional, type = "\"days\" | \"weeks\""))]
    pub time_unit: Option<String>,
    /// Months ahead for expected purchases and CLV (default 12, at most 600).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub horizon: Option<u32>,
    /// Monthly discount rate of the CLV (default 0.01).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub discount_rate: Option<f64>,
    /// L2 penalty of both fits (default 0), as in lifetimes.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub penalizer: Option<f64>,
}

/// Largest `horizon` in months.
pub const MAX_HORIZON_MONTHS: u32 = 600;

/// The fitted models and what the fits said.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "ts", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ValueModel {
    pub bg_nbd: BgNbdFit,
    /// `None` when no customer has a repeat purchase with positive spend.
    pub gamma_gamma: Option<GammaGammaFit>,
    pub gamma_gamma_diagnostic: Option<String>,
    pub time_unit: TimeUnit,
    pub calibration_end: String,
    pub horizon_months: u32,
    pub discount_rate: f64,
    pub segments: Vec<SegmentSummary>,
    /// Transaction rows used and left out, by reason.
    pub rows: RowReport,
    /// With `observationEnd`: the holdout comparison and its A / B / C grade.
    pub quality: Option<HoldoutQuality>,
    /// What the data supports, in plain language (`NO_REPEAT_CUSTOMERS`, `FEW_REPEAT_CUSTOMERS`,
    /// `SHORT_SPAN`, `FIT_AT_BOUND`, `NOT_CONVERGED`, `NO_SPEND_MODEL`, `FEW_CUSTOMERS`,
    /// `RFM_NO_SPREAD`); see `value::validity`.
    pub warnings: Vec<Warning>,
    /// False when BG/NBD cannot be trusted: `pAlive`, `expectedPurchases`, `expectedSpend` and
    /// `clv` are then null for every customer.
    pub predictions_available: bool,
    /// False when spend cannot be predicted: `expectedSpend` and `clv` are null.
    pub spend_available: bool,
    /// Milliseconds per step (all 0 when no clock was given).
    pub timings: ValueTimings,
}

/// Where `customerValue` spent its time, in milliseconds (from the clock the caller gives:
/// `Date.now()` in the browser, a monotonic clock natively).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ValueTimings {
    /// Reading the transaction rows and building the per-customer summary.
    pub summary: f64,
    pub bg_nbd: f64,
    pub gamma_gamma: f64,
    /// RFM scores and segments.
    pub rfm: f64,
    /// P(alive), expected purchases, spend and CLV (and the holdout comparison).
    pub predictions: f64,
    /// The customer table and the cohorts.
    pub table: f64,
    pub total: f64,
}

pub struct CustomerValue {
    /// One row per customer.
    pub customers: Dataset,
    pub model: ValueModel,
    pub cohorts: CohortMatrix,
}

fn parse_day(s: &str, field: &str) -> Result<i32> {
    crate::cells::values::parse_day(s)
        .ok_or_else(|| CrmError::invalid_option(field, format!("expected a date such as 1997-09-30, got {s:?}")))
}

fn float_col(name: &str, v: Vec<f64>) -> Column {
    let mut valid = Validity::with_capacity(v.len());
    for x in &v {
        valid.push(x.is_finite());
    }
    let v = v.into_iter().map(|x| if x.is_finite() { x } else { 0.0 }).collect();
    Column::new(name, ColumnData::Float64(v), valid)
}

fn money(mut c: Column) -> Column {
    c.role = Some(Role::Money);
    c
}

fn int_col(name: &str, v: Vec<i64>) -> Column {
    let n = v.len();
    Column::new(name, ColumnData::Int64(v), Validity::all_valid(n))
}

/// Actual and predicted repeat purchases of the calibration customers in (cal, obs], the
/// naive baseline, and the graded comparison.
fn holdout_quality(
    builder: &SummaryBuilder,
    s: &CustomerSummary,
    bg: &BgNbd,
    (cal, obs): (i32, i32),
    unit: TimeUnit,
) -> Result<(HoldoutQuality, Vec<f64>, Vec<f64>)> {
    // The builder already holds every usable row (the summary's calibration window is applied
    // in `finish`), so the holdout is counted from it rather than from a second pass.
    let (actual, rows_of_new) = builder.occasions_between(s, cal, obs);
    let length = (obs - cal) as f64 / unit.days() as f64;
    let none = ClvOptions { months: 0, ..ClvOptions::new(0, 0.0, unit) };
    let predicted = predict(bg, None, (&s.frequency, &s.recency, &s.t, &s.monetary), length, &none)?.expected_purchases;
    let baseline: Vec<f64> =
        (0..s.len()).map(|i| if s.t[i] > 0.0 { s.frequency[i] / s.t[i] * length } else { 0.0 }).collect();
    let (m, b) = holdout::evaluate(&actual, &predicted, &baseline);
    let (grade, explanation) = holdout::grade(&m, &b);
    let q = HoldoutQuality {
        holdout_start: crate::table::date::format_date(cal + 1),
        holdout_end: crate::table::date::format_date(obs),
        holdout_length: length,
        customers: s.len(),
        rows_of_new_customers: rows_of_new,
        actual_purchases: m.total_actual,
        predicted_purchases: m.total_predicted,
        baseline_purchases: b.total_predicted,
        aggregate_error: m.aggregate_error,
        baseline_aggregate_error: b.aggregate_error,
        mae: m.mae,
        baseline_mae: b.mae,
        rmse: m.rmse,
        baseline_rmse: b.rmse,
        correlation: m.correlation,
        baseline_correlation: b.correlation,
        grade,
        explanation,
    };
    Ok((q, actual, predicted))
}

/// Computes the customer value table of a transaction table.
pub fn customer_value(ds: &Dataset, opts: &CustomerValueOptions) -> Result<CustomerValue> {
    crate::task::run(customer_value_async(ds, opts, &mut Ctl::none()))
}

/// [`customer_value`] as long work: progress `rows` (the transaction rows read), then the
/// phases `fit`, `predict` and `table`. `model.timings` come from the host clock.
pub fn customer_value_async<'a>(
    ds: &'a Dataset,
    opts: &'a CustomerValueOptions,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, CustomerValue> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(customer_value_async_inner(ds, opts, ctl))
}

async fn customer_value_async_inner(
    ds: &Dataset,
    opts: &CustomerValueOptions,
    ctl: &mut Ctl<'_>,
) -> Result<CustomerValue> {
    let t0 = crate::host::now_ms();
    let settings = Settings::of(opts)?;
    let cols = TransactionColumns {
        customer: &opts.customer,
        date: &opts.date,
        amount: opts.amount.as_deref(),
        quantity: opts.quantity.as_deref(),
        price: opts.price.as_deref(),
        invoice: opts.invoice.as_deref(),
    };
    let builder = summary_builder_async(ds, &cols, ctl).await?;
    value_of_builder(&builder, opts, &settings, t0, ctl).await
}

/// [`customer_value`] from a merged [`SummaryBuilder`] (the rows of many partitions, read
/// with the same columns): the fit, predictions, table and cohorts, as `customer_value`
/// computes them after reading the rows. `opts` names the columns the builder was read with
/// (the customer column's name heads the table).
pub fn customer_value_from_builder(builder: &SummaryBuilder, opts: &CustomerValueOptions) -> Result<CustomerValue> {
    let settings = Settings::of(opts)?;
    let t0 = crate::host::now_ms();
    crate::task::run(Box::pin(value_of_builder(builder, opts, &settings, t0, &mut Ctl::none())))
}

/// The options checked and read.
#[derive(Clone, Copy)]
struct Settings {
    time_unit: TimeUnit,
    horizon: u32,
    discount: f64,
    penalizer: f64,
    calibration_end: Option<i32>,
    holdout: Option<(i32, i32)>,
}

impl Settings {
    fn of(opts: &CustomerValueOptions) -> Result<Settings> {
        if opts.customer.is_empty() || opts.date.is_empty() {
            return Err(CrmError::invalid_option("customer", "the `customer` and `date` column names are required"));
        }
        let time_unit = match opts.time_unit.as_deref() {
            None | Some("weeks") => TimeUnit::Weeks,
            Some("days") => TimeUnit::Days,
            Some(other) => {
                return Err(CrmError::invalid_option(
                    "timeUnit",
                    format!("expected \"days\" or \"weeks\", got {other:?}"),
                ))
            }
        };
        let horizon = opts.horizon.unwrap_or(12);
        // The CLV sums month by month: its time is linear in the horizon (finding 07: 10^7 months
        // ran 55 s on 30 rows; 10^5 gave NaN).
        if horizon > MAX_HORIZON_MONTHS {
            return Err(CrmError::too_large(
                "horizon",
                format!("{horizon} months; at most {MAX_HORIZON_MONTHS} (50 years)"),
            ));
        }
        let discount = opts.discount_rate.unwrap_or(0.01);
        if !(discount.is_finite() && discount > -1.0 && discount <= 1.0) {
            return Err(CrmError::invalid_option("discountRate", format!("a monthly rate in (-1, 1], got {discount}")));
        }
        let penalizer = opts.penalizer.unwrap_or(0.0);
        if !(penalizer.is_finite() && penalizer >= 0.0) {
            return Err(CrmError::invalid_option("penalizer", "must be a finite number ≥ 0"));
        }
        let calibration_end = opts.calibration_end.as_deref().map(|s| parse_day(s, "calibrationEnd")).transpose()?;
        let observation_end = opts.observation_end.as_deref().map(|s| parse_day(s, "observationEnd")).transpose()?;
        let holdout = match (calibration_end, observation_end) {
            (_, None) => None,
            (None, Some(_)) => {
                return Err(CrmError::invalid_option("observationEnd", "a holdout period needs `calibrationEnd` too"))
            }
            (Some(c), Some(o)) if o <= c => {
                return Err(CrmError::invalid_option("observationEnd", "must be after `calibrationEnd`"))
            }
            (Some(c), Some(o)) => Some((c, o)),
        };
        Ok(Settings { time_unit, horizon, discount, penalizer, calibration_end, holdout })
    }
}

async fn value_of_builder(
    builder: &SummaryBuilder,
    opts: &CustomerValueOptions,
    settings: &Settings,
    t0: f64,
    ctl: &mut Ctl<'_>,
) -> Result<CustomerValue> {
    let clock = crate::host::now_ms;
    let Settings { time_unit, horizon, discount, penalizer, calibration_end, holdout } = *settings;
    let sopts = SummaryOptions { calibration_end, time_unit, ..Default::default() };
    ctl.phase("fit", 0, 2).await?;
    let s = builder.finish(&sopts)?;
    if s.is_empty() {
        return Err(CrmError::empty("no usable transactions (see the row report)"));
    }
    let mut timings = ValueTimings::default();
    let mut mark = t0;
    let mut lap = |slot: &mut f64| {
        let now = clock();
        *slot = now - mark;
        mark = now;
    };
    lap(&mut timings.summary);

    let bg = bgnbd::fit(&s.frequency, &s.recency, &s.t, &bgnbd::FitOptions { penalizer, ..Default::default() })?;
    lap(&mut timings.bg_nbd);
    ctl.phase("fit", 1, 2).await?;
    let gg_fit =
        gamma_gamma::fit(&s.frequency, &s.monetary, &gamma_gamma::FitOptions { penalizer, ..Default::default() });
    lap(&mut timings.gamma_gamma);
    let (gg, gg_diag) = match gg_fit {
        Ok(f) => (Some(f), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let scores = rfm_from_summary(&s)?;
    lap(&mut timings.rfm);

    let n = s.len();
    ctl.phase("predict", 0, n as u64).await?;
    let ahead = horizon as f64 * time_unit.per_month();
    let clv_opts = ClvOptions::new(horizon, discount, time_unit);
    // What the data supports, decided before predicting: predictions the fits cannot back are
    // withheld (null), with the reason in `model.warnings`, rather than shown as numbers that
    // look like results — and not computed (a degenerate fit can make them very slow).
    let verdict = validity::check(&s, &bg, gg.as_ref(), gg_diag.as_deref());
    let pred = if verdict.purchases_ok {
        let mut pred = predict(
            &bg.params,
            gg.as_ref().filter(|_| verdict.spend_ok).map(|g| &g.params),
            (&s.frequency, &s.recency, &s.t, &s.monetary),
            ahead,
            &clv_opts,
        )?;
        if !verdict.spend_ok {
            pred.expected_spend.fill(f64::NAN);
            pred.clv.fill(f64::NAN);
        }
        pred
    } else {
        super::predict::Predictions {
            p_alive: vec![f64::NAN; n],
            expected_purchases: vec![f64::NAN; n],
            expected_spend: vec![f64::NAN; n],
            clv: vec![f64::NAN; n],
        }
    };

    let quality = match holdout {
        Some((cal, obs)) => Some(holdout_quality(builder, &s, &bg.params, (cal, obs), time_unit)?),
        None => None,
    };
    lap(&mut timings.predictions);
    ctl.phase("table", 0, 1).await?;

    let ids = s.customer.clone();
    let unit_days = time_unit.days() as f64;
    let last: Vec<i32> = (0..n).map(|i| s.first_purchase[i] + (s.recency[i] * unit_days).round() as i32).collect();
    let mut id_col = Column::new(opts.customer.clone(), ColumnData::Text(ids), Validity::all_valid(n));
    id_col.role = Some(Role::Id);
    let mut seg_codes = Vec::with_capacity(n);
    let names: Vec<String> = super::rfm::Segment::ALL.iter().map(|s| s.name().to_string()).collect();
    for seg in &scores.segment {
        seg_codes.push(super::rfm::Segment::ALL.iter().position(|s| s == seg).unwrap_or(0) as u32);
    }
    let mut codes = StrVec::default();
    for i in 0..n {
        codes.push(&scores.code(i).unwrap_or_default());
    }
    let columns = vec![
        id_col,
        Column::new("firstPurchase", ColumnData::Date(s.first_purchase.clone()), Validity::all_valid(n)),
        Column::new("lastPurchase", ColumnData::Date(last), Validity::all_valid(n)),
        int_col("frequency", s.frequency.iter().map(|&x| x as i64).collect()),
        float_col("recency", s.recency.clone()),
        float_col("T", s.t.clone()),
        money(float_col("monetary", s.monetary.clone())),
        int_col("rScore", scores.r.iter().map(|&v| v as i64).collect()),
        int_col("fScore", scores.f.iter().map(|&v| v as i64).collect()),
        int_col("mScore", scores.m.iter().map(|&v| v as i64).collect()),
        Column::new("rfm", ColumnData::Text(codes), Validity::all_valid(n)),
        Column::new("segment", ColumnData::Category { codes: seg_codes, dict: names }, Validity::all_valid(n)),
        float_col("pAlive", pred.p_alive),
        float_col("expectedPurchases", pred.expected_purchases),
        money(float_col("expectedSpend", pred.expected_spend)),
        money(float_col("clv", pred.clv)),
    ];
    let mut columns = columns;
    if let Some((_, actual, predicted)) = &quality {
        columns.push(float_col("holdoutPurchases", actual.clone()));
        columns.push(float_col("holdoutPredicted", predicted.clone()));
    }
    let customers = Dataset::new(columns)?;

    // Cohorts over every purchase row (cancellations and other unusable rows left out, as in
    // the summary), whatever the calibration window.
    let cohorts = builder.cohorts()?;
    lap(&mut timings.table);
    timings.total = clock() - t0;

    let model = ValueModel {
        bg_nbd: bg,
        gamma_gamma: gg,
        gamma_gamma_diagnostic: gg_diag,
        time_unit,
        calibration_end: crate::table::date::format_date(s.calibration_end),
        horizon_months: horizon,
        discount_rate: discount,
        segments: scores.segments.clone(),
        rows: s.report.clone(),
        quality: quality.map(|q| q.0),
        warnings: verdict.warnings,
        predictions_available: verdict.purchases_ok,
        spend_available: verdict.spend_ok,
        timings,
    };
    Ok(CustomerValue { customers, model, cohorts })
}
