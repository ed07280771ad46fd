//! A yes/no column that the loader reads as true/false, compared with the words of the file
//! (issue 18): on Telco, `Churn = 'Yes'` is the rows whose `Churn` field says Yes, in the text
//! and the JSON Logic forms, in any case, on either side, in `in (…)`, negated; a word the
//! loader would not read as true or false is an error at the word, naming the column.

mod rules_support;

use crmlens::rules::{compile, When};
use crmlens::task::{run, Ctl};
use crmlens::Dataset;

/// The raw `Churn` / `Partner` fields of Telco, read from the CSV text (no field is quoted).
fn raw_fields() -> Vec<(String, String)> {
    let path = rules_support::data("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().trim_start_matches('\u{feff}').split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (churn, partner) = (at("Churn"), at("Partner"));
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), header.len(), "{l}");
            (f[churn].to_string(), f[partner].to_string())
        })
        .collect()
}

/// Matched and undecided rows of `when`.
fn counts(ds: &Dataset, when: When) -> crmlens::Result<(usize, usize)> {
    let c = compile(ds, "t", &when, None, true)?;
    let tri = run(c.evaluate(ds, &mut Ctl::none()))?;
    Ok((tri.iter().filter(|&&t| t == 2).count(), tri.iter().filter(|&&t| t == 1).count()))
}

fn text(ds: &Dataset, expr: &str) -> (usize, usize) {
    counts(ds, When::Expr(expr.into())).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

#[test]
fn yes_no_columns_compare_with_their_words() {
    let ds = rules_support::telco();
    for name in ["Churn", "Partner"] {
        assert_eq!(ds.column(name).unwrap().dtype().name(), "bool", "{name} loads as true/false");
    }
    let raw = raw_fields();
    assert_eq!(raw.len(), ds.num_rows());
    let churned = raw.iter().filter(|(c, _)| c == "Yes").count();
    let stayed = raw.iter().filter(|(c, _)| c == "No").count();
    let churned_single = raw.iter().filter(|(c, p)| c == "Yes" && p == "No").count();
    assert_eq!((churned, stayed), (1869, 5174), "Telco's churn counts");

    for (expr, want) in [
        ("Churn = 'Yes'", churned),
        ("Churn == \"yes\"", churned),
        ("'YES' = Churn", churned),
        ("Churn = ' y '", churned),
        ("Churn = 'true'", churned),
        ("Churn != 'No'", churned),
        ("Churn <> 'no'", churned),
        ("not (Churn = 'No')", churned),
        ("Churn = 'No'", stayed),
        ("Churn in ('Yes', 'y')", churned),
        ("Churn in ('No', false)", stayed),
        ("Churn not in ('Yes')", stayed),
        ("Churn = 'Yes' and Partner = 'No'", churned_single),
        ("Churn = 'Yes' and not Partner", churned_single),
        ("Churn = true", churned),
    ] {
        assert_eq!(text(&ds, expr), (want, 0), "{expr}");
    }

    let logic = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        counts(&ds, When::Logic(v)).unwrap_or_else(|e| panic!("{json}: {e}"))
    };
    assert_eq!(logic(r#"{"==": [{"var": "Churn"}, "Yes"]}"#), (churned, 0));
    assert_eq!(logic(r#"{"!=": [{"var": "Churn"}, "Yes"]}"#), (stayed, 0));
    assert_eq!(
        logic(r#"{"and": [{"==": [{"var": "Churn"}, "yes"]}, {"==": [{"var": "Partner"}, "No"]}]}"#),
        (churned_single, 0)
    );
}

#[test]
fn a_word_that_is_neither_is_an_error_at_the_word() {
    let ds = rules_support::telco();
    for (expr, column) in
        [("Churn = 'Maybe'", 9), ("tenure > 3 and 'Sí' = Churn", 16), ("Churn in ('Yes', 'Later')", 18)]
    {
        let e = counts(&ds, When::Expr(expr.into())).unwrap_err();
        assert_eq!(e.code(), "RULE_ERROR", "{expr}: {e}");
        assert_eq!((e.location().line, e.location().column), (Some(1), Some(column)), "{expr}: {e}");
        let m = e.to_string();
        assert!(m.contains("`Churn` is true / false") && m.contains("write true or false, or 'Yes' / 'No'"), "{m}");
    }
    // A text column compared with a word stays a text comparison.
    let (mut yes, _) = text(&ds, "MultipleLines = 'Yes'");
    assert!(yes > 0 && yes < ds.num_rows());
    yes = text(&ds, "MultipleLines = 'yes'").0;
    assert_eq!(yes, 0, "text comparisons are exact");
}
