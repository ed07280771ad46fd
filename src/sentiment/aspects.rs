//! Business aspects of a text (price, quality, delivery, service, product features,
//! usability) from keyword lists in English and Chinese, each with the sentiment of the
//! clauses that mention it.

use serde::Serialize;

use super::options::{Language, Thresholds};
use super::text::{score_text, Label};
use crate::error::Result;

/// The aspects and their keywords. English keywords match whole lower-cased words (a
/// trailing `*` matches any ending); Chinese keywords match anywhere in the clause.
pub const ASPECTS: &[(&str, &[&str], &[&str])] = &[
    (
        "price",
        &[
            "price*",
            "cost*",
            "expensive",
            "cheap*",
            "overpriced",
            "pricey",
            "affordable",
            "money",
            "value",
            "deal",
            "refund*",
        ],
        &["价格", "价钱", "便宜", "贵", "性价比", "划算", "实惠", "优惠", "退款", "钱"],
    ),
    (
        "quality",
        &["quality", "broke*", "durable", "sturdy", "defective", "flimsy", "junk", "cheaply", "well-made", "fake"],
        &["质量", "品质", "做工", "材质", "坏了", "耐用", "结实", "正品", "假货", "新鲜"],
    ),
    (
        "delivery",
        &["deliver*", "shipping", "shipped", "ship", "arrive*", "late", "package*", "courier", "parcel", "tracking"],
        &["送货", "配送", "快递", "物流", "送餐", "送达", "到货", "送到", "包装", "骑手", "小哥", "外卖员"],
    ),
    (
        "service",
        &[
            "service",
            "staff",
            "support",
            "rude",
            "helpful",
            "friendly",
            "waiter",
            "waitress",
            "manager",
            "reception*",
            "seller",
        ],
        &["服务", "客服", "态度", "前台", "服务员", "热情", "老板", "商家", "店家", "卖家"],
    ),
    (
        "product features",
        &[
            "battery", "screen", "camera", "sound", "design", "size", "feature*", "color", "colour", "taste*", "room*",
            "headset", "charger",
        ],
        &["电池", "屏幕", "功能", "外观", "颜色", "味道", "口味", "房间", "设计", "音质", "分量", "早餐"],
    ),
    (
        "usability",
        &[
            "easy",
            "easier",
            "difficult",
            "hard",
            "use",
            "user-friendly",
            "setup",
            "install*",
            "intuitive",
            "convenient",
            "comfortable",
        ],
        &["方便", "好用", "使用", "操作", "简单", "麻烦", "舒服", "便捷", "方便快捷", "安装"],
    ),
];

/// One aspect mentioned in one text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AspectMention {
    pub aspect: String,
    /// Mean compound of the clauses that mention it.
    pub compound: f64,
}

/// One aspect over all texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AspectSummary {
    pub aspect: String,
    /// Texts that mention it.
    pub texts: u32,
    /// Mean of the per-text aspect compounds (NaN if none).
    pub mean_compound: f64,
    pub positive: u32,
    pub neutral: u32,
    pub negative: u32,
}

fn word_matches(word: &str, key: &str) -> bool {
    match key.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == key,
    }
}

/// Does this clause mention aspect `a`?
fn mentions(clause_lower: &str, words: &[&str], a: usize) -> bool {
    let (_, en, zh) = ASPECTS[a];
    zh.iter().any(|k| clause_lower.contains(k)) || words.iter().any(|w| en.iter().any(|k| word_matches(w, k)))
}

/// Clauses: split at sentence and clause punctuation (both scripts) and line breaks.
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', ';', ',', '。', '！', '？', '；', '，', '\n']).filter(|c| !c.trim().is_empty())
}

/// The aspects a text mentions, with their sentiment.
pub fn text_aspects(text: &str, language: Language) -> Result<Vec<AspectMention>> {
    let mut sums = [(0.0f64, 0u32); 6];
    for clause in clauses(text) {
        let lower = clause.to_lowercase();
        let words: Vec<&str> =
            lower.split(|c: char| !(c.is_alphanumeric() || c == '-')).filter(|w| !w.is_empty()).collect();
        let hit: Vec<usize> = (0..ASPECTS.len()).filter(|&a| mentions(&lower, &words, a)).collect();
        if hit.is_empty() {
            continue;
        }
        let (s, _, _) = score_text(clause, language, false)?;
        for a in hit {
            sums[a].0 += s.compound;
            sums[a].1 += 1;
        }
    }
    Ok(sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.1 > 0)
        .map(|(a, s)| AspectMention { aspect: ASPECTS[a].0.to_string(), compound: s.0 / s.1 as f64 })
        .collect())
}

/// Per-aspect summary over the texts' mentions.
pub fn summarize(per_text: &[Vec<AspectMention>], t: Thresholds) -> Vec<AspectSummary> {
    ASPECTS
        .iter()
        .map(|(name, _, _)| {
            let mut s = AspectSummary {
                aspect: name.to_string(),
                texts: 0,
                mean_compound: f64::NAN,
                positive: 0,
                neutral: 0,
                negative: 0,
            };
            let mut sum = 0.0;
            for m in per_text.iter().flatten().filter(|m| m.aspect == *name) {
                s.texts += 1;
                sum += m.compound;
                match Label::of(m.compound, t) {
                    Label::Positive => s.positive += 1,
                    Label::Neutral => s.neutral += 1,
                    Label::Negative => s.negative += 1,
                }
            }
            if s.texts > 0 {
                s.mean_compound = sum / s.texts as f64;
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_aspects_by_clause() {
        let a = text_aspects("The price is great, but delivery was terribly late.", Language::En).unwrap();
        let names: Vec<&str> = a.iter().map(|m| m.aspect.as_str()).collect();
        assert_eq!(names, ["price", "delivery"]);
        assert!(a[0].compound > 0.0 && a[1].compound < 0.0);
        assert!(text_aspects("Nothing to see here", Language::En).unwrap().is_empty());
        let s = summarize(&[a], Thresholds::default());
        assert_eq!(s.iter().find(|x| x.aspect == "price").unwrap().positive, 1);
    }
}
