//! Segmentation: k-means that picks k, handles mixed CRM columns and explains every segment.
//!
//! - [`options`]: `SegmentOptions` (the JS option names) and their checked form.
//! - [`features`]: from a [`Dataset`](crate::table::Dataset) to scaled numbers and category
//!   codes: column choice, missing values imputed or rows dropped (counted), standard /
//!   robust / no scaling, one-hot encoding, column weights.
//! - [`distance`]: the squared Euclidean distance (simd128 in wasm, the same sums natively)
//!   and the two nearest centres of a row.
//! - [`kmeans`]: k-means++ seeding, Lloyd with Hamerly's bounds, empty-cluster re-seeding,
//!   restarts.
//! - [`minibatch`]: mini-batch k-means for large n.
//! - [`kprototypes`]: k-prototypes for numeric + category columns.
//! - [`metrics`]: silhouette (exact up to 10,000 rows, else a seeded 5,000-row sample), Davies–Bouldin,
//!   Calinski–Harabasz, adjusted Rand index.
//! - [`pca`]: the 2-D projection (principal components by Jacobi rotations).
//! - [`describe`]: per-segment z-scores, category lifts and the plain-language description.
//! - [`pipeline`]: `segment` — all of the above, and the choice of k.
//! - [`shards`]: the per-shard steps of k-means on a table held in a CrmlensPool's workers
//!   (merged and driven by js/pool-kmeans.js; only the pool's wasm links them).
//! - [`shard_plan`]: the seeded draws of that k-means (the coordinator asks the pool wasm for
//!   them, so they come from `crate::rng::Rng` as `segment`'s do).
//! - [`warnings`]: what a segmentation says about its validity (tiny segments, k at the edge
//!   of `kRange`, transaction rows of repeated customers) and the smallest segment `"auto"` accepts.

pub mod describe;
pub mod distance;
pub mod features;
pub mod kmeans;
pub mod kprototypes;
pub mod metrics;
pub mod minibatch;
pub mod options;
pub mod pca;
pub mod pipeline;
pub mod shard_plan;
pub mod shards;
pub mod warnings;

pub use describe::{Segment, SegmentFeature};
pub use features::{ColumnNote, Preparation};
pub use metrics::{adjusted_rand_index, SilhouetteMethod};
pub use options::SegmentOptions;
pub use pipeline::{segment, segment_async, KScore, SegmentReport, SegmentTimings, Segmentation};
