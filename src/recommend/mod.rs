//! Recommendations from purchase logs: collaborative filtering on implicit feedback,
//! association rules for baskets, and an honest offline evaluation against popularity.
//!
//! - [`interactions`]: (user, item, weight, time) rows of a [`Dataset`](crate::table::Dataset)
//!   into a sparse user × item matrix, with every unusable row counted by reason.
//! - [`csr`]: the compressed-sparse-row matrix every model works on.
//! - [`knn`]: item-item nearest neighbours (cosine or BM25 weighting), top-k per item only.
//! - [`als`]: implicit-feedback ALS (confidence 1 + α·w, conjugate gradient), fold-in and the
//!   exact per-item decomposition of a score used for explanations.
//! - [`popularity`]: popularity and recency baselines.
//! - [`options`]: `Recommender.fit` / `recommend` options as the JS API spells them.
//! - [`model`]: the fitted [`Recommender`]: recommend (with `because`), recommendMany,
//!   similarItems, recommendFor, popularity fallback, JSON round trip.
//! - [`training`]: a fit run step by step (ALS sweep by sweep) for progress and abort.
//! - [`fpgrowth`]: frequent itemsets by FP-growth.
//! - [`rules`]: `associationRules` — baskets from a table, rules with support, confidence, lift,
//!   leverage and conviction (mlxtend's definitions).
//! - [`evaluate`]: leave-last-out / random splits, precision/recall/MAP/NDCG@k, coverage and
//!   a grade against popularity; also how `auto` picks a method.
//! - [`kernels`]: dot / axpy / symmetric matrix-vector product, simd128 on wasm, same sums.
//! - [`linalg`], [`topk`]: small dense solves, deterministic top-k (random draws: [`crate::rng`]).

pub mod als;
pub mod csr;
pub mod evaluate;
pub mod fpgrowth;
pub mod interactions;
pub mod kernels;
pub mod knn;
pub mod linalg;
pub mod model;
pub mod options;
pub mod popularity;
pub mod rules;
pub mod topk;
pub mod training;

pub use evaluate::{EvaluateOptions, Evaluation, Grade, Metrics, Split};
pub use interactions::{
    interactions_from_dataset, InteractionBuilder, InteractionColumns, InteractionReport, Interactions,
};
pub use knn::Weighting;
pub use model::{AutoChoice, Recommendation, Recommender, SimilarItem, UserRecommendations};
pub use options::{FitParams, Method, RecommendFilter, RecommendOptions, RecommenderOptions};
pub use rules::{
    association_rules, association_rules_async, AssociationRuleOptions, AssociationRules, BasketReport, Rule,
};
pub use training::Training;
