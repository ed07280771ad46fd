//! Per-customer roll-up of text scores: a mergeable state per customer (count, compound sum,
//! label counts), then one columnar table in order of first appearance.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::text::Label;

/// One row per customer, columns as arrays. `meanCompound` is the mean compound of the
/// customer's scored texts and `label` its label under the same thresholds.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CustomerRollup {
    pub customer: Vec<String>,
    /// Scored texts per customer (missing texts are not counted).
    #[cfg_attr(feature = "ts", tsify(type = "Uint32Array"))]
    pub texts: Vec<u32>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub mean_compound: Vec<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "Uint32Array"))]
    pub positive: Vec<u32>,
    #[cfg_attr(feature = "ts", tsify(type = "Uint32Array"))]
    pub neutral: Vec<u32>,
    #[cfg_attr(feature = "ts", tsify(type = "Uint32Array"))]
    pub negative: Vec<u32>,
    /// null for a customer without a scored text.
    pub label: Vec<Option<Label>>,
    /// Texts whose customer id was missing (not in any row).
    pub missing_customer: u32,
    /// Texts of known customers that were missing themselves (not in `texts`).
    pub missing_text: u32,
}

#[derive(Default, Clone, Copy)]
struct State {
    n: u32,
    sum: f64,
    pos: u32,
    neu: u32,
    neg: u32,
}

/// Builds the roll-up; `label_of` turns a mean compound into a label.
pub fn rollup(
    ids: &[Option<String>],
    compound: &[f64],
    labels: &[Option<Label>],
    label_of: impl Fn(f64) -> Label,
) -> CustomerRollup {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut order: Vec<&str> = Vec::new();
    let mut states: Vec<State> = Vec::new();
    let mut out = CustomerRollup::default();
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id.as_deref() else {
            out.missing_customer += 1;
            continue;
        };
        let k = *index.entry(id).or_insert_with(|| {
            order.push(id);
            states.push(State::default());
            states.len() - 1
        });
        let s = &mut states[k];
        match labels[i] {
            None => out.missing_text += 1,
            Some(l) => {
                s.n += 1;
                s.sum += compound[i];
                match l {
                    Label::Positive => s.pos += 1,
                    Label::Neutral => s.neu += 1,
                    Label::Negative => s.neg += 1,
                }
            }
        }
    }
    for (id, s) in order.iter().zip(&states) {
        let mean = if s.n > 0 { s.sum / s.n as f64 } else { f64::NAN };
        out.customer.push(id.to_string());
        out.texts.push(s.n);
        out.mean_compound.push(mean);
        out.positive.push(s.pos);
        out.neutral.push(s.neu);
        out.negative.push(s.neg);
        out.label.push(if s.n > 0 { Some(label_of(mean)) } else { None });
    }
    out
}
