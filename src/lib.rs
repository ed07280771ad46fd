//! crmlens: customer analytics that runs where the customer data already is.
//!
//! The core is plain Rust and builds and tests natively; only [`wasm`] knows about
//! JavaScript. See ARCHITECTURE.md for the code map and invariants.
//!
//! ```
//! let ds = crmlens::io::read_csv_str("id,amount\n1,9.5\n2,\n", Default::default()).unwrap();
//! assert_eq!(ds.num_rows(), 2);
//! assert_eq!(ds.column("amount").unwrap().null_count(), 1);
//! ```

pub mod cells;
pub mod clean;
pub mod error;
pub mod fastmath;
pub mod host;
pub mod io;
pub mod options;
pub mod profile;
pub mod recommend;
pub mod rng;
pub mod segment;
pub mod sentiment;
pub mod sort;
pub mod stats;
pub mod table;
pub mod task;
pub mod value;

pub use error::{CrmError, Result};
pub use table::Dataset;
