//! Duplicate customers: exact duplicate rows, and fuzzy matches by name, email and phone.
//!
//! Fuzzy matching compares only records that share a blocking key (normalised email; last
//! 8 phone digits; the sorted name words' first three letters; their last three letters),
//! scores each pair per field — name: the larger Jaro–Winkler of the sorted-word keys and
//! of the names as written; email: 1 if equal once normalised, 0.9 / 0.8 at Levenshtein
//! distance 1 / 2 (a typo), else 0; phone: 1 if the last 8 digits agree, else the same
//! typo scale over the digits — and combines the fields both records have (weights 0.4 /
//! 0.35 / 0.25). A pair whose comparable contacts all disagree scores at most their best
//! contact score; a pair with no comparable contact scores at most 0.8 × the name score. Pairs at or
//! above the threshold are joined into groups (union–find); the suggested survivor of a
//! group is the record with the most filled cells, then the earliest.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::plan::{FuzzyDedupe, NameColumns};
use super::similarity::{jaro_winkler, levenshtein};
use super::standardize::{name_key, normalize_whitespace, standard_email, standard_phone};
use crate::error::Result;
use crate::table::hash::{combine, hash_bytes};
use crate::table::Dataset;

/// A matched pair and its per-field scores (null where a record lacks the field).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PairScore {
    pub a: u64,
    pub b: u64,
    pub score: f64,
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub name: Option<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub email: Option<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub phone: Option<f64>,
}

/// Records judged to be one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DuplicateGroup {
    /// Input row indices, ascending.
    pub rows: Vec<u64>,
    /// The suggested surviving record (most filled cells, then earliest).
    pub survivor: u64,
    pub pairs: Vec<PairScore>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FuzzyResult {
    pub groups: Vec<DuplicateGroup>,
    pub compared_pairs: u64,
    /// Blocks left uncompared for being larger than `maxBlock`, and the records in them.
    pub skipped_blocks: u64,
    pub skipped_records: u64,
}

/// Rows equal in every column to an earlier kept row: (row, the earlier row).
pub fn exact_duplicates(ds: &Dataset, keep: &[bool]) -> Vec<(usize, usize)> {
    let mut first: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    let mut out = Vec::new();
    for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
        let row = ds.row(i);
        let mut h = 0u64;
        for v in &row {
            h = combine(h, v.to_text().map_or(0x6e75_6c6c, |t| hash_bytes(t.as_bytes())));
        }
        let seen = first.entry(h).or_default();
        match seen.iter().find(|&&j| ds.row(j) == row) {
            Some(&j) => out.push((i, j)),
            None => seen.push(i),
        }
    }
    out
}

struct Record {
    row: usize,
    name_key: String,
    name_raw: String,
    email: String,
    phone: String,
}

fn uf_find(p: &mut [usize], mut x: usize) -> usize {
    while p[x] != x {
        p[x] = p[p[x]];
        x = p[x];
    }
    x
}

/// Similarity of two contact values that differ: a typo or two counts, anything more means
/// different contacts.
fn near(a: &str, b: &str) -> f64 {
    // Different numbers in them (ann.lee12@ / ann.lee21@, two phone numbers) are not typos.
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if a.chars().any(|c| !c.is_ascii_digit()) && digits(a) != digits(b) {
        return 0.0;
    }
    match levenshtein(a, b) {
        0 => 1.0,
        1 => 0.9,
        2 => 0.8,
        _ => 0.0,
    }
}

fn score(a: &Record, b: &Record) -> PairScore {
    let both = |x: &str, y: &str| !x.is_empty() && !y.is_empty();
    let name = both(&a.name_key, &b.name_key)
        .then(|| jaro_winkler(&a.name_key, &b.name_key).max(jaro_winkler(&a.name_raw, &b.name_raw)));
    let email = both(&a.email, &b.email).then(|| near(&a.email, &b.email));
    let phone = both(&a.phone, &b.phone).then(|| {
        let tail = |p: &str| p[p.len().saturating_sub(8)..].to_string();
        if a.phone.len() >= 8 && b.phone.len() >= 8 && tail(&a.phone) == tail(&b.phone) {
            1.0
        } else {
            near(&a.phone, &b.phone)
        }
    });
    let mut total = 0.0;
    let mut weight = 0.0;
    for (s, w) in [(name, 0.4), (email, 0.35), (phone, 0.25)] {
        if let Some(s) = s {
            total += s * w;
            weight += w;
        }
    }
    let mut score = if weight > 0.0 { total / weight } else { 0.0 };
    // A name alone is not enough: a comparable contact must agree, and without any the
    // score is capped at 0.8 · name (below the default threshold: reported only if asked).
    let contact = [email, phone].into_iter().flatten().fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    match contact {
        Some(c) if c < 0.8 => score = score.min(c),
        None => score = score.min(0.8 * name.unwrap_or(0.0)),
        _ => {}
    }
    PairScore { a: a.row as u64, b: b.row as u64, score, name, email, phone }
}

/// Fuzzy duplicate groups among the kept rows.
pub fn fuzzy_duplicates(ds: &Dataset, cfg: &FuzzyDedupe, keep: &[bool]) -> Result<FuzzyResult> {
    let name_cols: Vec<&crate::table::Column> = match &cfg.name {
        Some(NameColumns::One(n)) => vec![ds.column(n)?],
        Some(NameColumns::Many(ns)) => ns.iter().map(|n| ds.column(n)).collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let email_col = cfg.email.as_deref().map(|n| ds.column(n)).transpose()?;
    let phone_col = cfg.phone.as_deref().map(|n| ds.column(n)).transpose()?;
    let text = |c: &crate::table::Column, i: usize| c.get(i).to_text().unwrap_or_default();
    let mut recs = Vec::new();
    for i in (0..ds.num_rows()).filter(|&i| keep[i]) {
        let raw = normalize_whitespace(&name_cols.iter().map(|c| text(c, i)).collect::<Vec<_>>().join(" "));
        let email = email_col.map_or(String::new(), |c| {
            let t = text(c, i);
            standard_email(&t).unwrap_or_else(|| t.trim().to_lowercase())
        });
        let phone = phone_col.map_or(String::new(), |c| {
            let t = text(c, i);
            standard_phone(&t).unwrap_or(t).chars().filter(char::is_ascii_digit).collect()
        });
        recs.push(Record { row: i, name_key: name_key(&raw), name_raw: raw.to_lowercase(), email, phone });
    }
    let mut blocks: FxHashMap<(u8, String), Vec<u32>> = FxHashMap::default();
    for (r, rec) in recs.iter().enumerate() {
        let mut key = |kind: u8, k: String| {
            if !k.is_empty() {
                blocks.entry((kind, k)).or_default().push(r as u32);
            }
        };
        key(0, rec.email.clone());
        if rec.phone.len() >= 8 {
            key(1, rec.phone[rec.phone.len() - 8..].to_string());
        }
        let words: Vec<&str> = rec.name_key.split(' ').filter(|w| !w.is_empty()).collect();
        key(2, words.iter().map(|w| w.chars().take(3).collect::<String>()).collect::<Vec<_>>().join(" "));
        key(
            3,
            words
                .iter()
                .map(|w| {
                    let c: Vec<char> = w.chars().collect();
                    c[c.len().saturating_sub(3)..].iter().collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let mut out = FuzzyResult::default();
    let mut seen: FxHashSet<(u32, u32)> = FxHashSet::default();
    let mut parent: Vec<usize> = (0..recs.len()).collect();
    let mut matched: Vec<PairScore> = Vec::new();
    let mut keys: Vec<_> = blocks.keys().cloned().collect();
    crate::sort::ord(&mut keys);
    for k in keys {
        let members = &blocks[&k];
        if members.len() < 2 {
            continue;
        }
        if members.len() > cfg.max_block {
            out.skipped_blocks += 1;
            out.skipped_records += members.len() as u64;
            continue;
        }
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                let (a, b) = (members[x].min(members[y]), members[x].max(members[y]));
                if !seen.insert((a, b)) {
                    continue;
                }
                out.compared_pairs += 1;
                let s = score(&recs[a as usize], &recs[b as usize]);
                if s.score >= cfg.threshold {
                    let (ra, rb) = (uf_find(&mut parent, a as usize), uf_find(&mut parent, b as usize));
                    parent[ra.max(rb)] = ra.min(rb);
                    matched.push(s);
                }
            }
        }
    }
    let mut groups: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for r in 0..recs.len() {
        let root = uf_find(&mut parent, r);
        groups.entry(root).or_default().push(r);
    }
    let filled = |row: usize| ds.columns().iter().filter(|c| c.validity.is_valid(row)).count();
    let mut pairs_by_root: FxHashMap<usize, Vec<PairScore>> = FxHashMap::default();
    let row_to_rec: FxHashMap<u64, usize> = recs.iter().enumerate().map(|(r, rec)| (rec.row as u64, r)).collect();
    for p in matched {
        let root = uf_find(&mut parent, row_to_rec[&p.a]);
        pairs_by_root.entry(root).or_default().push(p);
    }
    let mut list: Vec<DuplicateGroup> = groups
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(root, m)| {
            let rows: Vec<u64> = m.iter().map(|&r| recs[r].row as u64).collect();
            let survivor =
                *rows.iter().max_by_key(|&&r| (filled(r as usize), std::cmp::Reverse(r))).unwrap_or(&rows[0]);
            let mut pairs = pairs_by_root.remove(&root).unwrap_or_default();
            crate::sort::by_key(&mut pairs, |p| (p.a, p.b));
            DuplicateGroup { rows, survivor, pairs }
        })
        .collect();
    crate::sort::by_key(&mut list, |g| g.rows[0]);
    out.groups = list;
    Ok(out)
}
