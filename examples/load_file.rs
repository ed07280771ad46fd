//! Loads a file natively and prints what was read: `cargo run --release --example load_file -- PATH`.
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_file PATH");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let t = Instant::now();
    let mut loader = crmlens::io::Loader::new(Default::default()).expect("default options are valid");
    let mut result = Ok(());
    for piece in bytes.chunks(1 << 20) {
        result = loader.push(piece);
        if result.is_err() {
            break;
        }
    }
    let parsed = t.elapsed().as_secs_f64();
    let loaded = result.and_then(|_| loader.finish());
    println!("read records: {parsed:.3} s, typed columns: {:.3} s", t.elapsed().as_secs_f64() - parsed);
    match loaded {
        Ok(ds) => {
            let secs = t.elapsed().as_secs_f64();
            println!(
                "{} rows x {} columns in {secs:.3} s ({:.0} MB/s)",
                ds.num_rows(),
                ds.num_columns(),
                bytes.len() as f64 / 1e6 / secs
            );
            for c in ds.column_info() {
                println!(
                    "  {:<20} {:<9} {:<10} nulls {}",
                    c.name,
                    c.dtype.name(),
                    c.role.map_or("", |r| r.name()),
                    c.null_count
                );
            }
        }
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            std::process::exit(1);
        }
    }
}
