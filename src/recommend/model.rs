//! The fitted [`Recommender`]: one of item-kNN, ALS, popularity or recency over the
//! interaction matrix, with popularity as the fallback for users it has never seen.
//! Recommendations say which of the user's items drove them (`because`).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::als::{self, AlsParams, Factors};
use super::csr::Csr;
use super::interactions::{InteractionReport, Interactions};
use super::kernels::dot;
use super::knn::{self, Weighting};
use super::linalg::gram;
use super::options::{FitParams, Method, RecommendOptions};
use super::popularity::{popularity, ranking, recency};
use super::topk::top_k;
use crate::error::{CrmError, Result};

/// How many history items `because` names at most.
pub const MAX_BECAUSE: usize = 3;

/// One recommended item.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    pub item: String,
    pub score: f64,
    /// The user's items that contributed most to this score (empty for popularity).
    pub because: Vec<String>,
    /// True when the user (or every item given) is unknown to the model, so this is the
    /// popularity fallback rather than a personal recommendation.
    pub fallback: bool,
}

/// `recommendMany`: one entry per requested user.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UserRecommendations {
    pub user: String,
    pub fallback: bool,
    pub recommendations: Vec<Recommendation>,
}

/// `similarItems`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SimilarItem {
    pub item: String,
    pub score: f64,
}

/// The scoring model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    ItemKnn { weighting: Weighting, neighbours: Csr },
    Als { factors: Factors, yty: Vec<f64> },
    Popularity,
    Recency { scores: Vec<f32> },
}

/// What `auto` tried and chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AutoChoice {
    pub chosen: Method,
    /// NDCG@10 of each candidate on a leave-last-out split.
    pub candidates: Vec<(Method, f64)>,
}

/// A fitted recommender (serialisable with serde: `toJSON` / `fromJSON`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recommender {
    pub format: String,
    pub params: FitParams,
    /// The method in use (never `auto`).
    pub method: Method,
    pub auto: Option<AutoChoice>,
    pub data: Interactions,
    pub popularity: Vec<f32>,
    pub model: Model,
    #[serde(skip)]
    user_index: FxHashMap<String, u32>,
    #[serde(skip)]
    item_index: FxHashMap<String, u32>,
    #[serde(skip)]
    pop_order: Vec<u32>,
}

pub const FORMAT: &str = "crmlens.recommender.v1";

fn index(names: &[String]) -> FxHashMap<String, u32> {
    names.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect()
}

impl Recommender {
    /// A recommender from its fitted parts (see [`Training`](super::training::Training)).
    pub(super) fn assemble(
        data: Interactions,
        params: FitParams,
        method: Method,
        auto: Option<AutoChoice>,
        model: Model,
    ) -> Recommender {
        let popularity = popularity(&data);
        let mut r = Recommender {
            format: FORMAT.to_string(),
            params,
            method,
            auto,
            data,
            popularity,
            model,
            user_index: FxHashMap::default(),
            item_index: FxHashMap::default(),
            pop_order: Vec::new(),
        };
        r.rebuild_indexes();
        r
    }

    fn rebuild_indexes(&mut self) {
        self.user_index = index(&self.data.users);
        self.item_index = index(&self.data.items);
        self.pop_order = ranking(&self.popularity);
    }

    /// The model as JSON text (`toJSON`).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| CrmError::state(format!("serialising the model failed: {e}")))
    }

    /// A model from [`Recommender::to_json`] text, checked for consistency.
    pub fn from_json(text: &str) -> Result<Recommender> {
        let mut r: Recommender = serde_json::from_str(text)
            .map_err(|e| CrmError::invalid_option("model", format!("not a crmlens recommender: {e}")))?;
        if r.format != FORMAT {
            return Err(CrmError::invalid_option("model", format!("unknown format {:?}", r.format)));
        }
        r.validate()?;
        r.rebuild_indexes();
        Ok(r)
    }

    fn validate(&self) -> Result<()> {
        let (nu, ni) = (self.data.users.len(), self.data.items.len());
        let m = &self.data.matrix;
        let csr_ok = |c: &Csr, rows: usize, cols: usize| {
            c.rows == rows
                && c.cols == cols
                && c.indptr.len() == rows + 1
                && c.indptr.first() == Some(&0)
                && c.indptr.windows(2).all(|w| w[0] <= w[1])
                && *c.indptr.last().unwrap_or(&0) as usize == c.indices.len()
                && c.indices.len() == c.data.len()
                && c.indices.iter().all(|&j| (j as usize) < cols)
        };
        let mut ok = csr_ok(m, nu, ni)
            && self.data.time.len() == m.nnz()
            && self.data.row.len() == m.nnz()
            && self.popularity.len() == ni
            && self.method != Method::Auto;
        ok &= match &self.model {
            Model::ItemKnn { neighbours, .. } => csr_ok(neighbours, ni, ni),
            Model::Als { factors, yty } => {
                let f = factors.factors;
                f > 0 && factors.users.len() == nu * f && factors.items.len() == ni * f && yty.len() == f * f
            }
            Model::Popularity => true,
            Model::Recency { scores } => scores.len() == ni,
        };
        if ok {
            Ok(())
        } else {
            Err(CrmError::invalid_option("model", "the model's arrays are inconsistent (edited or truncated?)"))
        }
    }

    pub fn users(&self) -> &[String] {
        &self.data.users
    }
    pub fn items(&self) -> &[String] {
        &self.data.items
    }
    pub fn report(&self) -> &InteractionReport {
        &self.data.report
    }
    pub fn user_id(&self, user: &str) -> Option<u32> {
        self.user_index.get(user.trim()).copied()
    }
    pub fn item_id(&self, item: &str) -> Option<u32> {
        self.item_index.get(item.trim()).copied()
    }

    /// Recommendations for a user of the training data; an unknown user gets the most
    /// popular items, marked `fallback`.
    pub fn recommend(&self, user: &str, opts: &RecommendOptions) -> Result<Vec<Recommendation>> {
        match self.user_id(user) {
            Some(u) => {
                let (items, weights) = self.data.matrix.row(u as usize);
                self.rank(items, weights, Some(u as usize), opts)
            }
            None => self.rank(&[], &[], None, opts),
        }
    }

    /// `recommend` for each user, `k` items each.
    pub fn recommend_many(&self, users: &[String], k: usize) -> Result<Vec<UserRecommendations>> {
        let opts = RecommendOptions::with_k(k);
        users
            .iter()
            .map(|u| {
                let recommendations = self.recommend(u, &opts)?;
                Ok(UserRecommendations { user: u.clone(), fallback: self.user_id(u).is_none(), recommendations })
            })
            .collect()
    }

    /// Recommendations for someone not in the training data from the items they have (fold-in:
    /// no retraining); an item listed twice weighs 2. Items the model does not know are
    /// ignored; if none is known the result is the popularity fallback.
    pub fn recommend_for(&self, items: &[String], opts: &RecommendOptions) -> Result<Vec<Recommendation>> {
        let weighted: Vec<(&str, f32)> = items.iter().map(|i| (i.as_str(), 1.0)).collect();
        self.recommend_for_weighted(&weighted, opts)
    }

    /// [`Recommender::recommend_for`] with a weight per item (weights of a repeated item add up;
    /// weights ≤ 0 or not finite are an error).
    pub fn recommend_for_weighted(
        &self,
        items: &[(&str, f32)],
        opts: &RecommendOptions,
    ) -> Result<Vec<Recommendation>> {
        let mut hist: Vec<(u64, u32)> = Vec::with_capacity(items.len());
        for &(name, w) in items {
            if !(w.is_finite() && w > 0.0) {
                return Err(CrmError::invalid_option("items", format!("weight of {name:?} must be > 0, got {w}")));
            }
            if let Some(i) = self.item_id(name) {
                hist.push((i as u64, w.to_bits()));
            }
        }
        super::topk::sort_keyed(&mut hist);
        let hist = hist.into_iter().map(|(i, w)| (i as u32, f32::from_bits(w)));
        let mut ids: Vec<u32> = Vec::with_capacity(hist.len());
        let mut weights: Vec<f32> = Vec::with_capacity(hist.len());
        for (i, w) in hist {
            if ids.last() == Some(&i) {
                *weights.last_mut().expect("pushed with ids") += w;
            } else {
                ids.push(i);
                weights.push(w);
            }
        }
        self.rank(&ids, &weights, None, opts)
    }

    /// The `k` items most similar to `item` (never itself).
    pub fn similar_items(&self, item: &str, k: usize) -> Result<Vec<SimilarItem>> {
        let i = self.item_id(item).ok_or_else(|| CrmError::invalid_option("item", format!("unknown item {item:?}")))?;
        let mut v: Vec<(u32, f32)> = match &self.model {
            Model::ItemKnn { neighbours, .. } => {
                let (js, s) = neighbours.row(i as usize);
                js.iter().copied().zip(s.iter().copied()).collect()
            }
            Model::Als { factors, .. } => {
                let yi = factors.item(i as usize);
                let ni = dot(yi, yi).sqrt();
                (0..self.data.items.len() as u32)
                    .filter(|&j| j != i)
                    .map(|j| {
                        let yj = factors.item(j as usize);
                        let d = ni * dot(yj, yj).sqrt();
                        (j, if d > 0.0 { dot(yi, yj) / d } else { 0.0 })
                    })
                    .collect()
            }
            Model::Popularity | Model::Recency { .. } => self.cooccurrence_cosine(i),
        };
        top_k(&mut v, k);
        Ok(v.into_iter()
            .map(|(j, s)| SimilarItem { item: self.data.items[j as usize].clone(), score: s as f64 })
            .collect())
    }

    /// Cosine of item `i`'s user vector with every other item's (binary), for models without
    /// their own similarity.
    fn cooccurrence_cosine(&self, i: u32) -> Vec<(u32, f32)> {
        let m = &self.data.matrix;
        let mut both: FxHashMap<u32, f32> = FxHashMap::default();
        for u in 0..m.rows {
            let (items, _) = m.row(u);
            if items.binary_search(&i).is_ok() {
                for &j in items.iter().filter(|&&j| j != i) {
                    *both.entry(j).or_default() += 1.0;
                }
            }
        }
        let pi = self.popularity[i as usize];
        both.into_iter().map(|(j, c)| (j, c / (pi * self.popularity[j as usize]).sqrt())).collect()
    }

    /// Scores of every item for a history (`user` = its row in training, if it has one).
    pub fn scores(&self, items: &[u32], weights: &[f32], user: Option<usize>) -> Vec<f32> {
        let n = self.data.items.len();
        match &self.model {
            Model::ItemKnn { neighbours, .. } => {
                let mut s = vec![0f32; n];
                knn::score(neighbours, items, weights, &mut s);
                s
            }
            Model::Als { factors, yty } => {
                let x = match user {
                    Some(u) => factors.user(u).to_vec(),
                    None => als::fold_in(yty, factors, items, weights, &als_params(&self.params))
                        .unwrap_or_else(|| vec![0.0; factors.factors]),
                };
                (0..n).map(|j| dot(&x, factors.item(j))).collect()
            }
            Model::Popularity => self.popularity.clone(),
            Model::Recency { scores } => scores.clone(),
        }
    }

    fn rank(
        &self,
        items: &[u32],
        weights: &[f32],
        user: Option<usize>,
        opts: &RecommendOptions,
    ) -> Result<Vec<Recommendation>> {
        let k = opts.k.unwrap_or(10);
        let fallback = items.is_empty() && user.is_none();
        let n = self.data.items.len();
        let mut allowed = vec![true; n];
        if opts.exclude_seen.unwrap_or(true) {
            items.iter().for_each(|&i| allowed[i as usize] = false);
        }
        if let Some(f) = &opts.filter {
            if let Some(inc) = &f.include {
                let mut only = vec![false; n];
                inc.iter().filter_map(|i| self.item_id(i)).for_each(|i| only[i as usize] = true);
                allowed.iter_mut().zip(only).for_each(|(a, o)| *a &= o);
            }
            if let Some(exc) = &f.exclude {
                exc.iter().filter_map(|i| self.item_id(i)).for_each(|i| allowed[i as usize] = false);
            }
        }
        let scores = if fallback { self.popularity.clone() } else { self.scores(items, weights, user) };
        let top = self.top_items(&scores, &allowed, k, matches!(self.model, Model::ItemKnn { .. }) && !fallback);
        // ALS explanations solve with the history's matrix: factored once for all `k` items.
        let factor = match &self.model {
            Model::Als { factors, yty } if !fallback && !top.is_empty() => {
                als::user_factor(yty, factors, items, weights, &als_params(&self.params))
            }
            _ => None,
        };
        Ok(top
            .into_iter()
            .map(|(j, s)| Recommendation {
                item: self.data.items[j as usize].clone(),
                score: s as f64,
                because: if fallback { Vec::new() } else { self.because(items, weights, j, factor.as_deref()) },
                fallback,
            })
            .collect())
    }

    /// The `k` best allowed items; with `sparse` scores (kNN), items scoring 0 are not ranked
    /// by score but filled in by popularity.
    pub fn top_items(&self, scores: &[f32], allowed: &[bool], k: usize, sparse: bool) -> Vec<(u32, f32)> {
        let mut cand: Vec<(u32, f32)> = scores
            .iter()
            .enumerate()
            .filter(|&(j, &s)| allowed[j] && (!sparse || s > 0.0))
            .map(|(j, &s)| (j as u32, s))
            .collect();
        top_k(&mut cand, k);
        if sparse && cand.len() < k {
            for &j in &self.pop_order {
                if cand.len() == k {
                    break;
                }
                if allowed[j as usize] && scores[j as usize] <= 0.0 {
                    cand.push((j, 0.0));
                }
            }
        }
        cand
    }

    fn because(&self, items: &[u32], weights: &[f32], j: u32, als_factor: Option<&[f64]>) -> Vec<String> {
        let parts = match (&self.model, als_factor) {
            (Model::ItemKnn { neighbours, .. }, _) => knn::explain(neighbours, items, weights, j, MAX_BECAUSE),
            (Model::Als { factors, .. }, Some(l)) => {
                als::explain(l, factors, items, weights, j, &als_params(&self.params), MAX_BECAUSE)
            }
            _ => Vec::new(),
        };
        parts.into_iter().map(|(i, _)| self.data.items[i as usize].clone()).collect()
    }
}

/// The model of a method fitted in one go (every method but ALS).
pub(super) fn other_model(data: &Interactions, method: Method, params: &FitParams) -> Model {
    match method {
        Method::ItemKnn => {
            let weighted = knn::weigh(&data.matrix.transpose(), params.weighting);
            Model::ItemKnn { weighting: params.weighting, neighbours: knn::neighbours(&weighted, params.neighbours) }
        }
        Method::Als => {
            let factors = als::fit(&data.matrix, &als_params(params));
            let yty = gram(&factors.items, factors.factors);
            Model::Als { factors, yty }
        }
        Method::Popularity | Method::Auto => Model::Popularity,
        Method::Recency => Model::Recency { scores: recency(data) },
    }
}

pub fn als_params(p: &FitParams) -> AlsParams {
    AlsParams {
        factors: p.factors,
        regularization: p.regularization,
        iterations: p.iterations,
        alpha: p.alpha,
        cg_steps: p.cg_steps,
        seed: p.seed,
    }
}
