//! English sentiment: a faithful port of VADER (Hutto & Gilbert, ICWSM 2014) as
//! vaderSentiment 3.3.2 implements it, over its MIT lexicon and emoji lexicon.
//!
//! - [`lexicon`]: the lexicon and emoji descriptions compiled into the module.
//! - [`rules`]: negations, boosters/dampeners, special-case idioms, constants.
//! - [`pytext`]: the Python string behaviour the rules depend on (split, strip, isupper, lower).
//! - [`score`]: `polarity_scores` and `explain` (per-token valences).

pub mod lexicon;
pub mod pytext;
pub mod rules;
pub mod score;

pub use score::{explain, normalize, polarity_scores, Scores, TokenValence};
