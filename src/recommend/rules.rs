//! `associationRules`: baskets from a transaction table (one row per (transaction, item)),
//! frequent itemsets by [FP-growth](super::fpgrowth), and every rule A → C between a frequent
//! itemset's parts, with the measures of Agrawal et al. and Brin et al. in the definitions of
//! mlxtend's `association_rules`:
//! support = s(A∪C); confidence = s(A∪C)/s(A); lift = confidence/s(C);
//! leverage = s(A∪C) − s(A)s(C); conviction = (1 − s(C))/(1 − confidence) (null when the
//! confidence is 1, i.e. infinite).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::fpgrowth::Miner;
use crate::error::{CrmError, Result};
use crate::table::{Dataset, Value};
use crate::task::{self, Ctl, Work};

/// Options of `associationRules`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct AssociationRuleOptions {
    /// Column holding the transaction (basket, invoice) id.
    pub transaction: String,
    /// Column holding the item.
    pub item: String,
    /// Share of transactions an itemset must appear in (default 0.01).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub min_support: Option<f64>,
    /// Default 0.5.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub min_confidence: Option<f64>,
    /// Default 0: every rule that passes minSupport and minConfidence, as in arules and
    /// mlxtend; 1 keeps only rules at least as likely as chance.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub min_lift: Option<f64>,
    /// Largest itemset (antecedent + consequent) size (default: no limit).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_len: Option<usize>,
}

/// One rule A → C.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Sorted.
    pub antecedents: Vec<String>,
    pub consequents: Vec<String>,
    pub antecedent_support: f64,
    pub consequent_support: f64,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
    pub leverage: f64,
    /// `null` = infinite (confidence 1).
    pub conviction: Option<f64>,
    /// Transactions holding antecedents and consequents.
    pub count: u32,
}

/// Rows used and left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BasketReport {
    pub rows: usize,
    pub used: usize,
    pub missing_transaction: usize,
    pub missing_item: usize,
    /// Rows repeating an item already in their basket (a basket is a set).
    pub repeated_items: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AssociationRules {
    pub transactions: usize,
    pub items: usize,
    pub frequent_itemsets: usize,
    /// Best first: lift, then confidence, then support descending.
    pub rules: Vec<Rule>,
    pub report: BasketReport,
}

/// Most frequent itemsets mined before giving up with `TOO_LARGE` (raise minSupport or lower
/// maxLen). Each costs its items plus a map entry, so this bounds mining to ~50 MB.
pub const MAX_ITEMSETS: usize = 100_000;

/// Most candidate rules (2^k − 2 splits of every frequent k-itemset) examined before giving up
/// with `TOO_LARGE`: the rule step's time is proportional to it (about a second natively).
pub const MAX_RULE_CANDIDATES: u64 = 5_000_000;

/// Most rules returned: past it the call fails with `TOO_LARGE` (raise minConfidence,
/// minLift or minSupport, or lower maxLen) instead of building a list no one can read.
pub const MAX_RULES: usize = 100_000;

/// The smallest count `c` with `c / n ≥ min_support`, compared exactly as the support the
/// rules report (`c as f64 / n as f64`), so an itemset at exactly `minSupport` is kept.
pub fn min_count_for(min_support: f64, n: usize) -> u32 {
    let nf = n as f64;
    let mut c = (min_support * nf).floor().clamp(0.0, n as f64) as u64;
    while c > 0 && (c - 1) as f64 / nf >= min_support {
        c -= 1;
    }
    while (c as f64) / nf < min_support {
        c += 1;
    }
    c.clamp(1, u32::MAX as u64) as u32
}

type Baskets = (Vec<Vec<u32>>, Vec<String>, BasketReport);

/// Baskets (distinct item ids) and item names from `ds`.
pub fn baskets(ds: &Dataset, transaction: &str, item: &str) -> Result<Baskets> {
    task::run(baskets_async(ds, transaction, item, &mut Ctl::none()))
}

/// [`baskets`] as long work: progress `baskets` over the rows.
async fn baskets_async(ds: &Dataset, transaction: &str, item: &str, ctl: &mut Ctl<'_>) -> Result<Baskets> {
    let tcol = ds.column(transaction)?;
    let icol = ds.column(item)?;
    let mut report = BasketReport { rows: ds.num_rows(), ..Default::default() };
    let mut t_index: FxHashMap<String, usize> = FxHashMap::default();
    let mut i_index: FxHashMap<String, u32> = FxHashMap::default();
    let mut names = Vec::new();
    let mut baskets: Vec<Vec<u32>> = Vec::new();
    let text = |v: Value<'_>| -> Option<String> {
        let s = match v {
            Value::Null => return None,
            Value::Str(s) => s.trim().to_string(),
            v => v.to_text()?,
        };
        (!s.is_empty()).then_some(s)
    };
    let rows = ds.num_rows();
    for r in 0..rows {
        if r % 4096 == 0 {
            ctl.tick("baskets", r as u64, rows as u64).await?;
        }
        let Some(t) = text(tcol.get(r)) else {
            report.missing_transaction += 1;
            continue;
        };
        let Some(i) = text(icol.get(r)) else {
            report.missing_item += 1;
            continue;
        };
        let next = baskets.len();
        let b = *t_index.entry(t).or_insert(next);
        if b == baskets.len() {
            baskets.push(Vec::new());
        }
        let id = match i_index.get(&i) {
            Some(&id) => id,
            None => {
                let id = names.len() as u32;
                i_index.insert(i.clone(), id);
                names.push(i);
                id
            }
        };
        if baskets[b].contains(&id) {
            report.repeated_items += 1;
        } else {
            baskets[b].push(id);
        }
        report.used += 1;
    }
    Ok((baskets, names, report))
}

/// `associationRules(dataset, options)`.
pub fn association_rules(ds: &Dataset, opts: &AssociationRuleOptions) -> Result<AssociationRules> {
    task::run(association_rules_async(ds, opts, &mut Ctl::none()))
}

/// [`association_rules`] as long work: progress `baskets` (rows), `mine` (frequent items, each
/// mined with its conditional tree) and `rules` (frequent itemsets split into rules); abort is
/// seen between those units.
pub fn association_rules_async<'a>(
    ds: &'a Dataset,
    opts: &'a AssociationRuleOptions,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, AssociationRules> {
    Box::pin(association_rules_inner(ds, opts, ctl))
}

async fn association_rules_inner(
    ds: &Dataset,
    opts: &AssociationRuleOptions,
    ctl: &mut Ctl<'_>,
) -> Result<AssociationRules> {
    let unit = |name: &str, v: f64| {
        if v.is_finite() && v > 0.0 && v <= 1.0 {
            Ok(v)
        } else {
            Err(CrmError::invalid_option(name, format!("must be in (0, 1], got {v}")))
        }
    };
    let min_support = unit("minSupport", opts.min_support.unwrap_or(0.01))?;
    let min_confidence = opts.min_confidence.unwrap_or(0.5);
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(CrmError::invalid_option("minConfidence", format!("must be in [0, 1], got {min_confidence}")));
    }
    let min_lift = opts.min_lift.unwrap_or(0.0);
    if !(min_lift.is_finite() && min_lift >= 0.0) {
        return Err(CrmError::invalid_option("minLift", format!("must be ≥ 0, got {min_lift}")));
    }
    let max_len = opts.max_len.unwrap_or(usize::MAX);
    if max_len < 2 {
        return Err(CrmError::invalid_option("maxLen", "must be ≥ 2 (a rule has two sides)"));
    }
    if opts.transaction.is_empty() || opts.item.is_empty() {
        let f = if opts.transaction.is_empty() { "transaction" } else { "item" };
        return Err(CrmError::invalid_option(f, "the column is required"));
    }
    let (baskets, names, report) = baskets_async(ds, &opts.transaction, &opts.item, ctl).await?;
    let n = baskets.len();
    if n == 0 {
        return Err(CrmError::empty("no row has both a transaction and an item"));
    }
    // As mlxtend and arules: an itemset is frequent when count / n ≥ minSupport.
    let min_count = min_count_for(min_support, n);
    let too_many = |limit: usize| {
        CrmError::too_large(
            "minSupport",
            format!(
                "more than {limit} frequent itemsets (or more than {} mining steps) at minSupport {min_support}{}; \
                 raise minSupport or set maxLen",
                super::fpgrowth::MAX_STEPS,
                if max_len == usize::MAX { String::new() } else { format!(" and maxLen {max_len}") }
            ),
        )
    };
    let mut miner = Miner::new(&baskets, names.len(), min_count, max_len, MAX_ITEMSETS);
    let ranks = miner.ranks();
    ctl.phase("mine", 0, ranks as u64).await?;
    for (done, r) in (0..ranks).rev().enumerate() {
        ctl.tick("mine", done as u64, ranks as u64).await?;
        miner.mine_rank(r).map_err(too_many)?;
    }
    let sets = miner.finish();
    ctl.phase("rules", 0, sets.len() as u64).await?;
    // Every split of every itemset is a candidate rule: 2^k − 2 of a k-itemset. Checked
    // before any is built, so a basket of 40 items cannot run for hours.
    let mut candidates: u64 = 0;
    for (set, _) in sets.iter().filter(|s| s.0.len() >= 2) {
        let k = set.len() as u32;
        candidates = candidates.saturating_add(if k >= 63 { u64::MAX } else { (1u64 << k) - 2 });
        if candidates > MAX_RULE_CANDIDATES {
            return Err(CrmError::too_large(
                "maxLen",
                format!(
                    "the {} frequent itemsets split into more than {MAX_RULE_CANDIDATES} candidate rules \
                     (a k-item set gives 2^k − 2); set maxLen (e.g. 3) or raise minSupport",
                    sets.len()
                ),
            ));
        }
    }
    let support_of: FxHashMap<&[u32], u32> = sets.iter().map(|(s, c)| (s.as_slice(), *c)).collect();
    let nf = n as f64;
    let s = |c: u32| c as f64 / nf;
    let mut rules = Vec::new();
    let (mut a, mut c) = (Vec::new(), Vec::new());
    for (at, (set, count)) in sets.iter().enumerate() {
        if set.len() < 2 {
            continue;
        }
        ctl.tick("rules", at as u64, sets.len() as u64).await?;
        let k = set.len();
        for mask in 1u64..(1u64 << k) - 1 {
            a.clear();
            c.clear();
            for (b, &i) in set.iter().enumerate() {
                if mask & (1 << b) != 0 {
                    a.push(i)
                } else {
                    c.push(i)
                }
            }
            // Every subset of a frequent itemset is frequent and was mined (FP-growth is exact).
            let (Some(&ca), Some(&cc)) = (support_of.get(a.as_slice()), support_of.get(c.as_slice())) else {
                return Err(CrmError::state("association rules: a subset of a frequent itemset was not counted"));
            };
            let (sa, sc, sac) = (s(ca), s(cc), s(*count));
            // From the counts, each measure rounded once: a confidence of exactly 1/4 is 0.25 and
            // an independent pair has a lift of exactly 1, so thresholds at those values keep them.
            let confidence = *count as f64 / ca as f64;
            let lift = (*count as f64 * nf) / (ca as f64 * cc as f64);
            if confidence < min_confidence || lift < min_lift {
                continue;
            }
            if rules.len() >= MAX_RULES {
                return Err(CrmError::too_large(
                    "minConfidence",
                    format!(
                        "more than {MAX_RULES} rules pass minSupport {min_support}, minConfidence \
                         {min_confidence} and minLift {min_lift}; raise one of them or set maxLen"
                    ),
                ));
            }
            let name = |v: &[u32]| {
                let mut x: Vec<String> = v.iter().map(|&i| names[i as usize].clone()).collect();
                crate::sort::ord(&mut x);
                x
            };
            rules.push(Rule {
                antecedents: name(&a),
                consequents: name(&c),
                antecedent_support: sa,
                consequent_support: sc,
                support: sac,
                confidence,
                lift,
                leverage: sac - sa * sc,
                conviction: (confidence < 1.0).then(|| (1.0 - sc) / (1.0 - confidence)),
                count: *count,
            });
        }
    }
    // A total order (each antecedent/consequent pair occurs once), so an unstable sort is exact.
    crate::sort::by(&mut rules, &|x, y| {
        y.lift
            .total_cmp(&x.lift)
            .then(y.confidence.total_cmp(&x.confidence))
            .then(y.support.total_cmp(&x.support))
            .then_with(|| x.antecedents.cmp(&y.antecedents))
            .then_with(|| x.consequents.cmp(&y.consequents))
    });
    Ok(AssociationRules { transactions: n, items: names.len(), frequent_itemsets: sets.len(), rules, report })
}
