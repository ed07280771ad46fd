//! Ready-made CRM rules over the columns crmlens' own results have: `customerValue`
//! (`lastPurchase`, `firstPurchase`, `frequency`, `pAlive`, `clv`, `segment`, `rScore`,
//! `mScore`), the sentiment roll-up (`meanCompound`, `negative`) and a churn model's score
//! (`probability`). A template's `when` has `{name}` placeholders filled from its parameters.

use serde::Serialize;
use serde_json::Value;

use super::options::{Rule, Then, When};
use crate::error::{CrmError, Result};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateParam {
    pub name: String,
    pub description: String,
    /// A number or a text; the value used when none is given.
    pub default: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleTemplate {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The condition with `{param}` placeholders.
    pub when: String,
    pub params: Vec<TemplateParam>,
    /// Columns the condition expects (and which crmlens result has them).
    pub columns: Vec<String>,
    pub source: String,
    pub then: Then,
    /// The rule with every parameter at its default.
    pub rule: Rule,
}

struct Def {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    when: &'static str,
    params: &'static [(&'static str, &'static str, f64)],
    columns: &'static [&'static str],
    source: &'static str,
    action: &'static str,
    priority: i64,
}

const DEFS: [Def; 9] = [
    Def {
        id: "inactive",
        name: "Inactive customer",
        description: "No purchase for more than `days` days before asOf.",
        when: "days_since(lastPurchase) > {days}",
        params: &[("days", "days without a purchase", 90.0)],
        columns: &["lastPurchase"],
        source: "customerValue",
        action: "Send a reminder",
        priority: 2,
    },
    Def {
        id: "at-risk-high-value",
        name: "High value at risk",
        description: "A customer worth more than `clv` who is probably no longer active (P(alive) below `pAlive`).",
        when: "pAlive < {pAlive} and clv > {clv}",
        params: &[("pAlive", "P(alive) below which a customer is at risk", 0.3), ("clv", "lifetime value above which a customer counts as high value", 200.0)],
        columns: &["pAlive", "clv"],
        source: "customerValue",
        action: "Call with a retention offer",
        priority: 1,
    },
    Def {
        id: "win-back",
        name: "Win back",
        description: "Valuable, probably lapsed, and silent for `days` days.",
        when: "pAlive < {pAlive} and clv > {clv} and days_since(lastPurchase) > {days}",
        params: &[("pAlive", "P(alive) threshold", 0.3), ("clv", "lifetime value threshold", 200.0), ("days", "days since the last purchase", 90.0)],
        columns: &["pAlive", "clv", "lastPurchase"],
        source: "customerValue",
        action: "Send a win-back offer",
        priority: 1,
    },
    Def {
        id: "new-customer-follow-up",
        name: "New customer follow-up",
        description: "First purchase within the last `days` days and no repeat purchase yet.",
        when: "days_since(firstPurchase) <= {days} and frequency = 0",
        params: &[("days", "days since the first purchase", 14.0)],
        columns: &["firstPurchase", "frequency"],
        source: "customerValue",
        action: "Send a welcome follow-up",
        priority: 2,
    },
    Def {
        id: "purchase-anniversary",
        name: "Purchase anniversary",
        description: "asOf is the anniversary of the first purchase (one year or more ago).",
        when: "month(firstPurchase) = month() and day(firstPurchase) = day() and years_since(firstPurchase) >= 1",
        params: &[],
        columns: &["firstPurchase"],
        source: "customerValue",
        action: "Send an anniversary greeting",
        priority: 3,
    },
    Def {
        id: "slipping-big-spender",
        name: "Slipping big spender",
        description: "Spent a lot (M score at least `m`) but has not bought recently (R score at most `r`): RFM's \"Can't lose them\".",
        when: "mScore >= {m} and rScore <= {r}",
        params: &[("m", "lowest monetary score (1–5)", 4.0), ("r", "highest recency score (1–5)", 2.0)],
        columns: &["mScore", "rScore"],
        source: "customerValue",
        action: "Personal outreach from the account manager",
        priority: 1,
    },
    Def {
        id: "negative-feedback-top-segment",
        name: "Negative feedback from a top customer",
        description: "A Champions or Loyal customer whose feedback is negative on average (mean compound below `threshold`).",
        when: "segment in ('Champions', 'Loyal') and meanCompound < {threshold}",
        params: &[("threshold", "mean sentiment compound below which feedback is negative", -0.05)],
        columns: &["segment", "meanCompound"],
        source: "customerValue joined with the sentiment roll-up",
        action: "Call within 24 h",
        priority: 0,
    },
    Def {
        id: "churn-risk",
        name: "Churn probability above a threshold",
        description: "A churn model's probability is above `threshold`.",
        when: "probability > {threshold}",
        params: &[("threshold", "churn probability", 0.7)],
        columns: &["probability"],
        source: "a churn model's scores",
        action: "Offer a retention incentive",
        priority: 1,
    },
    Def {
        id: "lapsing-repeat-buyer",
        name: "Lapsing repeat buyer",
        description: "Bought at least `purchases` times, P(alive) fell below `pAlive`.",
        when: "frequency >= {purchases} and pAlive < {pAlive}",
        params: &[("purchases", "repeat purchases", 3.0), ("pAlive", "P(alive) threshold", 0.5)],
        columns: &["frequency", "pAlive"],
        source: "customerValue",
        action: "Send a personalised recommendation",
        priority: 2,
    },
];

/// `when` with each `{name}` replaced by the parameter's value (numbers only; finite).
fn fill(when: &str, params: &[(&str, f64)]) -> String {
    let mut out = when.to_string();
    for (name, v) in params {
        out = out.replace(&format!("{{{name}}}"), &super::text::float_text(*v));
    }
    out
}

fn then(d: &Def) -> Then {
    Then { action: d.action.into(), priority: d.priority, extra: Default::default() }
}

/// The built-in templates.
pub fn rule_templates() -> Vec<RuleTemplate> {
    DEFS.iter()
        .map(|d| {
            let defaults: Vec<(&str, f64)> = d.params.iter().map(|p| (p.0, p.2)).collect();
            RuleTemplate {
                id: d.id.into(),
                name: d.name.into(),
                description: d.description.into(),
                when: d.when.into(),
                params: d
                    .params
                    .iter()
                    .map(|p| TemplateParam { name: p.0.into(), description: p.1.into(), default: Value::from(p.2) })
                    .collect(),
                columns: d.columns.iter().map(|c| c.to_string()).collect(),
                source: d.source.into(),
                then: then(d),
                rule: Rule {
                    id: d.id.into(),
                    when: When::Expr(fill(d.when, &defaults)),
                    then: then(d),
                    description: Some(d.description.into()),
                },
            }
        })
        .collect()
}

/// A rule from template `template` with some parameters set (`{"days": 60}`); the others
/// keep their defaults. Unknown parameters and non-numbers are errors.
pub fn rule_from_template(template: &str, params: &serde_json::Map<String, Value>) -> Result<Rule> {
    let d = DEFS.iter().find(|d| d.id == template).ok_or_else(|| {
        CrmError::invalid_option(
            "template",
            format!(
                "unknown template {:?}; the templates are {}",
                super::diag::short(template),
                DEFS.iter().map(|d| d.id).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    for k in params.keys() {
        if !d.params.iter().any(|p| p.0 == k) {
            return Err(CrmError::invalid_option(
                k.clone(),
                format!(
                    "template `{}` has no parameter `{}` (it has: {})",
                    d.id,
                    super::diag::short(k),
                    d.params.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    let mut values = Vec::new();
    for p in d.params {
        let v = match params.get(p.0) {
            None => p.2,
            Some(v) => v
                .as_f64()
                .filter(|x| x.is_finite())
                .ok_or_else(|| CrmError::invalid_option(p.0, "expected a finite number"))?,
        };
        values.push((p.0, v));
    }
    Ok(Rule {
        id: d.id.into(),
        when: When::Expr(fill(d.when, &values)),
        then: then(d),
        description: Some(d.description.into()),
    })
}
