//! Times the phases of `profile` natively, per column where it matters:
//! `cargo run --release --example profile_phases -- PATH`.
use std::time::Instant;

use crmlens::profile::column::{ColumnState, Kind};
use crmlens::profile::rows::RowState;
use crmlens::profile::second::{Plan, SecondState};
use crmlens::profile::ProfileOptions;

fn main() {
    let path = std::env::args().nth(1).expect("usage: profile_phases PATH");
    let bytes = std::fs::read(&path).expect("read");
    let t = Instant::now();
    let ds = crmlens::io::read_bytes(&bytes, Default::default()).expect("load");
    eprintln!("load                {:7.3} s", t.elapsed().as_secs_f64());
    let n = ds.num_rows();
    let opts = ProfileOptions::default();
    let mut states = Vec::new();
    let t0 = Instant::now();
    for (j, c) in ds.columns().iter().enumerate() {
        let t = Instant::now();
        let mut st = ColumnState::new(Kind::of(c), opts.exact_distinct_limit, opts.seed.wrapping_add(j as u64));
        st.update(c, 0..n);
        let dt = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let f = if st.is_text() { Some(st.text_facets()) } else { None };
        let ft = t.elapsed().as_secs_f64();
        eprintln!(
            "  first {:14} {:8?} {:7.3} s  (+facets {:.3} s, exact {})",
            c.name,
            c.dtype(),
            dt,
            ft,
            st.distinct_exact()
        );
        drop(f);
        states.push(st);
    }
    eprintln!("first pass (cols)   {:7.3} s", t0.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut rows = RowState::default();
    rows.update(&ds, 0..n);
    eprintln!("duplicate rows      {:7.3} s ({} dups)", t.elapsed().as_secs_f64(), rows.duplicates());
    let t = Instant::now();
    let plan = Plan::new(&ds, &states, &opts);
    eprintln!("plan                {:7.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut s = SecondState::new(&ds, &plan);
    s.update(&ds, 0..n, &plan);
    s.add_counts(&states, &plan);
    eprintln!("second pass         {:7.3} s", t.elapsed().as_secs_f64());
    let mut o2 = opts.clone();
    o2.correlations = false;
    let plan2 = Plan::new(&ds, &states, &o2);
    let t = Instant::now();
    let mut s2 = SecondState::new(&ds, &plan2);
    s2.update(&ds, 0..n, &plan2);
    s2.add_counts(&states, &plan2);
    eprintln!("  of which hist/outl {:7.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let r = crmlens::profile::profile(&ds, &opts).expect("profile");
    eprintln!("whole profile()     {:7.3} s ({} alerts)", t.elapsed().as_secs_f64(), r.alerts.len());
}
