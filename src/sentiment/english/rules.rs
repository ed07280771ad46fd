//! VADER's word lists and constants (vaderSentiment 3.3.2, Hutto & Gilbert 2014): negations,
//! boosters and dampeners, special-case idioms, and the empirically derived increments.

/// Booster / dampener increment.
pub const B_INCR: f64 = 0.293;
pub const B_DECR: f64 = -0.293;
/// ALL-CAPS emphasis of a word when the rest of the text is not all caps.
pub const C_INCR: f64 = 0.733;
/// Scalar of a negated valence.
pub const N_SCALAR: f64 = -0.74;

/// Words that negate what follows (plus any word containing "n't").
const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// Is this lower-cased token a negation?
pub fn is_negation(lower: &str) -> bool {
    NEGATE.contains(&lower) || lower.contains("n't")
}

/// The booster (+) or dampener (−) increment of a lower-cased word or bigram.
pub fn booster(lower: &str) -> Option<f64> {
    let v = match lower {
        "absolutely" | "amazingly" | "awfully" | "completely" | "considerable" | "considerably" | "decidedly"
        | "deeply" | "effing" | "enormous" | "enormously" | "entirely" | "especially" | "exceptional"
        | "exceptionally" | "extreme" | "extremely" | "fabulously" | "flipping" | "flippin" | "frackin"
        | "fracking" | "fricking" | "frickin" | "frigging" | "friggin" | "fully" | "fuckin" | "fucking" | "fuggin"
        | "fugging" | "greatly" | "hella" | "highly" | "hugely" | "incredible" | "incredibly" | "intensely"
        | "major" | "majorly" | "more" | "most" | "particularly" | "purely" | "quite" | "really" | "remarkably"
        | "so" | "substantially" | "thoroughly" | "total" | "totally" | "tremendous" | "tremendously" | "uber"
        | "unbelievably" | "unusually" | "utter" | "utterly" | "very" => B_INCR,
        "almost" | "barely" | "hardly" | "just enough" | "kind of" | "kinda" | "kindof" | "kind-of" | "less"
        | "little" | "marginal" | "marginally" | "occasional" | "occasionally" | "partly" | "scarce" | "scarcely"
        | "slight" | "slightly" | "somewhat" | "sort of" | "sorta" | "sortof" | "sort-of" => B_DECR,
        _ => return None,
    };
    Some(v)
}

/// Two-word boosters / dampeners, as token pairs (matched by the idiom check).
pub const BOOSTER_BIGRAMS: &[([&str; 2], f64)] =
    &[(["just", "enough"], B_DECR), (["kind", "of"], B_DECR), (["sort", "of"], B_DECR)];

/// Idioms and phrases that contain lexicon words, with the valence they take instead.
/// (vaderSentiment 3.3.2 values; "badass" is a one-word key that a word sequence never matches.)
pub const SPECIAL_CASES: &[(&[&str], f64)] = &[
    (&["the", "shit"], 3.0),
    (&["the", "bomb"], 3.0),
    (&["bad", "ass"], 1.5),
    (&["bus", "stop"], 0.0),
    (&["yeah", "right"], -2.0),
    (&["kiss", "of", "death"], -1.5),
    (&["to", "die", "for"], 3.0),
    (&["beating", "heart"], 3.5),
];

/// The special-case valence of a word sequence, if it is one.
pub fn special_case(seq: &[&str]) -> Option<f64> {
    SPECIAL_CASES.iter().find(|(k, _)| *k == seq).map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert!(is_negation("isn't") && is_negation("ain't") && is_negation("shouldn't've") && is_negation("despite"));
        assert!(!is_negation("no"));
        assert_eq!(booster("very"), Some(B_INCR));
        assert_eq!(booster("sort of"), Some(B_DECR));
        assert_eq!(booster("good"), None);
        assert_eq!(special_case(&["kiss", "of", "death"]), Some(-1.5));
        assert_eq!(special_case(&["kiss", "of"]), None);
    }
}
