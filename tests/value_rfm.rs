//! RFM scores and segments: hand-computed small cases, the full 125-cell rule table, and the
//! invariants on the 23,570 customers of the CDNOW master file (../shared/data/cdnow_lifetimes).

use crmlens::io::read_csv_bytes;
use crmlens::value::rfm::{quintile_scores, rfm, rfm_from_summary, rfm_inputs, Rfm, Segment};
use crmlens::value::{summarize_dataset, SummaryOptions, TransactionColumns};

/// Recency, frequency and monetary of each customer.
type Inputs = (Vec<f64>, Vec<f64>, Vec<f64>);

fn cdnow_rfm() -> (Rfm, Inputs) {
    let path = format!("{}/../shared/data/cdnow_lifetimes/CDNOW_master.txt", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    let ds = read_csv_bytes(&bytes, Default::default()).unwrap();
    let cols = TransactionColumns {
        customer: "customer_id",
        date: "date",
        amount: Some("dollar_value"),
        ..Default::default()
    };
    let s = summarize_dataset(&ds, &cols, &SummaryOptions::default()).unwrap();
    assert_eq!(s.report.used, 69_659);
    assert_eq!(s.len(), 23_570);
    (rfm_from_summary(&s).unwrap(), rfm_inputs(&s))
}

/// The rule table of the module documentation, written as independent predicates.
fn rules(r: u8, f: u8, m: u8) -> Vec<Segment> {
    let fm = (f + m).div_ceil(2);
    let table: [(Segment, bool); 11] = [
        (Segment::Champions, r == 5 && fm >= 4),
        (Segment::Loyal, (r == 3 || r == 4) && fm >= 4),
        (Segment::PotentialLoyalist, (r == 4 || r == 5) && (fm == 2 || fm == 3)),
        (Segment::New, r == 5 && fm == 1),
        (Segment::Promising, r == 4 && fm == 1),
        (Segment::NeedAttention, r == 3 && fm == 3),
        (Segment::AboutToSleep, r == 3 && fm <= 2),
        (Segment::AtRisk, r <= 2 && (fm == 3 || fm == 4)),
        (Segment::CantLoseThem, r <= 2 && fm == 5),
        (Segment::Hibernating, r == 2 && fm <= 2),
        (Segment::Lost, r == 1 && fm <= 2),
    ];
    table.iter().filter(|t| t.1).map(|t| t.0).collect()
}

#[test]
fn every_score_triple_has_exactly_one_segment() {
    let mut seen = std::collections::HashSet::new();
    for r in 1..=5 {
        for f in 1..=5 {
            for m in 1..=5 {
                let matches = rules(r, f, m);
                assert_eq!(matches.len(), 1, "({r},{f},{m}): {matches:?}");
                assert_eq!(Segment::from_scores(r, f, m).unwrap(), matches[0], "({r},{f},{m})");
                seen.insert(matches[0]);
            }
        }
    }
    assert_eq!(seen.len(), 11, "every segment is reachable");
    assert_eq!(Segment::from_scores(0, 3, 3).unwrap_err().code(), "INVALID_OPTION");
    assert_eq!(Segment::from_scores(3, 3, 6).unwrap_err().code(), "INVALID_OPTION");
    let names: Vec<&str> = Segment::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        [
            "Champions",
            "Loyal",
            "Potential loyalist",
            "New",
            "Promising",
            "Need attention",
            "About to sleep",
            "At risk",
            "Can't lose them",
            "Hibernating",
            "Lost"
        ]
    );
}

#[test]
fn quintiles_by_hand() {
    // Five distinct values: one per score; recency is reversed.
    let v = [10.0, 20.0, 30.0, 40.0, 50.0];
    assert_eq!(quintile_scores(&v, true, "x").unwrap(), [1, 2, 3, 4, 5]);
    assert_eq!(quintile_scores(&v, false, "x").unwrap(), [5, 4, 3, 2, 1]);
    // n = 7, positions 0..6 worst first: 1 + floor(5p/7) = 1,1,2,3,3,4,5 (sizes 2,1,2,1,1).
    let v = [7.0, 1.0, 6.0, 2.0, 5.0, 3.0, 4.0];
    assert_eq!(quintile_scores(&v, true, "x").unwrap(), [5, 1, 4, 1, 3, 2, 3]);
    // Ties: the four 1s start at position 0 (score 1); 2 starts at 4 (1 + floor(20/6) = 4);
    // 3 starts at 5 (1 + floor(25/6) = 5). Nobody scores 2 or 3.
    assert_eq!(quintile_scores(&[1.0, 1.0, 2.0, 1.0, 3.0, 1.0], true, "x").unwrap(), [1, 1, 4, 1, 5, 1]);
    // Smaller is better: worst first is 3, 2, then the four 1s from position 2, so the best
    // value scores 1 + floor(10/6) = 2 and nobody scores 5 (ties move down, never up).
    assert_eq!(quintile_scores(&[1.0, 1.0, 2.0, 1.0, 3.0, 1.0], false, "x").unwrap(), [2, 2, 1, 2, 1, 2]);
    // All equal: everybody scores 1; one customer scores 1; the two zeros are one value.
    assert_eq!(quintile_scores(&[4.0; 3], true, "x").unwrap(), [1, 1, 1]);
    assert_eq!(quintile_scores(&[4.0], false, "x").unwrap(), [1]);
    assert_eq!(quintile_scores(&[0.0, -0.0, 1.0], true, "x").unwrap(), [1, 1, 4]);
    // Bad input.
    let e = quintile_scores(&[1.0, f64::NAN], true, "monetary").unwrap_err();
    assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some("monetary")));
    assert!(quintile_scores(&[f64::INFINITY], true, "x").is_err());
}

#[test]
fn rfm_by_hand() {
    let recency = [1.0, 10.0, 100.0, 5.0, 50.0];
    let frequency = [10.0, 1.0, 0.0, 5.0, 2.0];
    let monetary = [100.0, 20.0, 5.0, 60.0, 30.0];
    let out = rfm(&recency, &frequency, &monetary).unwrap();
    assert_eq!(out.codes(), ["555", "322", "111", "444", "233"]);
    assert_eq!(out.code(0).as_deref(), Some("555"));
    assert_eq!(out.code(5), None);
    use Segment::*;
    // 555: R5 FM5; 322: R3 FM (2+2+1)/2 = 2; 111; 444: R4 FM4; 233: R2 FM3.
    assert_eq!(out.segment, [Champions, AboutToSleep, Lost, Loyal, AtRisk]);
    let champions = &out.segments[Champions.index()];
    assert_eq!((champions.name, champions.customers, champions.share), ("Champions", 1, 0.2));
    assert_eq!(
        (champions.mean_recency, champions.mean_frequency, champions.mean_monetary),
        (Some(1.0), Some(10.0), Some(100.0))
    );
    let new = &out.segments[New.index()];
    assert_eq!((new.customers, new.share, new.mean_recency), (0, 0.0, None));

    // Scores do not depend on the input order.
    let rev = |v: &[f64]| v.iter().rev().copied().collect::<Vec<_>>();
    let back = rfm(&rev(&recency), &rev(&frequency), &rev(&monetary)).unwrap();
    assert_eq!(back.codes(), ["233", "444", "111", "322", "555"]);

    // Bad input.
    assert_eq!(rfm(&[1.0], &[1.0, 2.0], &[1.0]).unwrap_err().code(), "INVALID_OPTION");
    assert_eq!(rfm(&[], &[], &[]).unwrap_err().code(), "EMPTY_INPUT");
    assert_eq!(rfm(&[f64::NAN], &[1.0], &[1.0]).unwrap_err().code(), "INVALID_OPTION");
}

#[test]
fn distinct_values_split_into_equal_quintiles() {
    // 23,570 distinct values in scrambled order: sizes 4,714 each (23,570 / 5).
    let n = 23_570u64;
    let v: Vec<f64> = (0..n).map(|i| ((i * 7_919) % n) as f64).collect();
    let s = quintile_scores(&v, true, "x").unwrap();
    assert_eq!(Rfm::score_counts(&s), [4_714; 5]);
    // 23,573 values: sizes differ by at most one.
    let v: Vec<f64> = (0..23_573).map(|i| -(i as f64)).collect();
    let c = Rfm::score_counts(&quintile_scores(&v, false, "x").unwrap());
    assert!(c.iter().max().unwrap() - c.iter().min().unwrap() <= 1, "{c:?}");
    assert_eq!(c.iter().sum::<usize>(), 23_573);
}

/// Checks one variable's scores against the documented rule, recomputed by binary search,
/// and the quintile sizes against the ideal split: a boundary may only move to the end of the
/// tie group it falls in.
fn check_scores(values: &[f64], scores: &[u8], higher_is_better: bool, what: &str) {
    let n = values.len();
    // Worst first, as a sorted key.
    let key = |x: f64| if higher_is_better { x } else { -x };
    let mut sorted: Vec<f64> = values.iter().map(|&x| key(x)).collect();
    sorted.sort_by(f64::total_cmp);
    for i in 0..n {
        let worse = sorted.partition_point(|&y| y < key(values[i]));
        assert_eq!(scores[i] as usize, 1 + 5 * worse / n, "{what}: customer {i}");
    }
    let counts = Rfm::score_counts(scores);
    assert_eq!(counts.iter().sum::<usize>(), n);
    let mut below = 0; // customers with a score ≤ q
    for q in 1..=4 {
        below += counts[q - 1];
        let ideal = (q * n).div_ceil(5); // first position that should score q + 1
        let group_end = sorted.partition_point(|&y| y <= sorted[ideal]);
        let boundary_is_clean = sorted[ideal - 1] != sorted[ideal];
        if boundary_is_clean {
            assert_eq!(below, ideal, "{what}: boundary {q}");
        } else {
            assert_eq!(below, group_end, "{what}: boundary {q} moves to the end of its tie group");
        }
    }
}

#[test]
fn cdnow_master_rfm_invariants() {
    let (out, (recency, frequency, monetary)) = cdnow_rfm();
    let n = 23_570;
    assert_eq!((out.len(), out.r.len(), out.f.len(), out.m.len(), out.segment.len()), (n, n, n, n, n));
    check_scores(&recency, &out.r, false, "recency");
    check_scores(&frequency, &out.f, true, "frequency");
    check_scores(&monetary, &out.m, true, "monetary");

    // Every customer in exactly one segment, the one the rule table gives.
    for i in 0..n {
        assert_eq!(rules(out.r[i], out.f[i], out.m[i]), [out.segment[i]], "customer {i}");
    }
    let sizes: Vec<usize> = out.segments.iter().map(|s| s.customers).collect();
    assert_eq!(sizes.iter().sum::<usize>(), n);
    for s in &out.segments {
        let members: Vec<usize> = (0..n).filter(|&i| out.segment[i] == s.segment).collect();
        assert_eq!(members.len(), s.customers, "{}", s.name);
        assert!((s.share - members.len() as f64 / n as f64).abs() < 1e-15);
        if let Some(mean_r) = s.mean_recency {
            let direct = members.iter().map(|&i| recency[i]).sum::<f64>() / members.len() as f64;
            assert!((mean_r - direct).abs() < 1e-9, "{}", s.name);
        }
    }
    assert!((out.segments.iter().map(|s| s.share).sum::<f64>() - 1.0).abs() < 1e-12);
    for i in 0..n {
        match out.segment[i] {
            Segment::Champions | Segment::New => assert_eq!(out.r[i], 5),
            Segment::Lost => assert_eq!(out.r[i], 1),
            Segment::CantLoseThem => assert!(out.r[i] <= 2 && out.f[i] + out.m[i] >= 9),
            _ => {}
        }
    }

    // Half of CDNOW's customers bought once (frequency 0, monetary 0): one tie group at the
    // bottom of F and of M, so F and M skip score 2.
    let one_timers = frequency.iter().filter(|&&x| x == 0.0).count();
    assert_eq!(one_timers, 12_054); // awk over the raw file agrees
    let (f_counts, m_counts, r_counts) =
        (Rfm::score_counts(&out.f), Rfm::score_counts(&out.m), Rfm::score_counts(&out.r));
    assert_eq!(f_counts[0], one_timers);
    // Monetary 0: the one-timers and one repeat customer whose repeat purchases cost $0.
    let zero_spend = monetary.iter().filter(|&&x| x == 0.0).count();
    assert_eq!(zero_spend, one_timers + 1);
    assert_eq!(m_counts[0], zero_spend);
    assert_eq!((f_counts[1], m_counts[1]), (0, 0));

    // Regression values of this definition on CDNOW (recency T − t_x in days at 1998-06-30).
    // Nobody is New or Promising: every customer was acquired by March 1997, so the recent
    // buyers (R ≥ 4) are all repeat buyers.
    assert_eq!(r_counts, [4_735, 4_712, 4_702, 4_720, 4_701]);
    assert_eq!(sizes, [4_525, 5_145, 767, 0, 0, 310, 3_376, 728, 40, 4_209, 4_470]);

    eprintln!("R counts {r_counts:?}, F counts {f_counts:?}, M counts {m_counts:?}");
    for s in &out.segments {
        eprintln!(
            "{:<20} {:>6} {:>6.2}% recency {:?} frequency {:?} monetary {:?}",
            s.name,
            s.customers,
            100.0 * s.share,
            s.mean_recency,
            s.mean_frequency,
            s.mean_monetary
        );
    }
}
