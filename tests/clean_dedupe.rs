//! Fuzzy customer dedupe, measured: pair precision and recall on a dirty customer list with
//! known truth, generated from the 7,043 real Telco customers (their ids and genders) with
//! synthetic names, emails and phones, and duplicates carrying typos, swapped name order,
//! case changes, reformatted phones and emails, and missing fields.

use std::collections::HashSet;

use crmlens::clean::plan::{FuzzyDedupe, NameColumns};
use crmlens::clean::{clean, CleanPlan};
use crmlens::io::{read_bytes, read_csv_str};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1e6 < p
    }
}

const FEMALE: [&str; 30] = [
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Nancy",
    "Lisa",
    "Betty",
    "Margaret",
    "Sandra",
    "Ashley",
    "Emily",
    "Donna",
    "Michelle",
    "Carol",
    "Amanda",
    "Melissa",
    "Deborah",
    "Stephanie",
    "Li Na",
    "Xiu Ying",
    "Mei",
    "Fang",
    "Jing",
    "Yan",
];
const MALE: [&str; 30] = [
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles", "Daniel",
    "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian",
    "George", "Timothy", "Wei", "Jun", "Lei", "Yong", "Jie", "Tao",
];
const LAST: [&str; 40] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
];
const DOMAINS: [&str; 5] = ["example.com", "mail.example.org", "example.net", "corp.example.com", "example.cn"];

fn typo(s: &str, rng: &mut Rng) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 3 {
        return s.to_string();
    }
    let i = 1 + rng.below(c.len() - 2);
    match rng.below(4) {
        0 => c[i] = (b'a' + rng.below(26) as u8) as char,
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, (b'a' + rng.below(26) as u8) as char),
        _ => c.swap(i, i + 1),
    }
    c.into_iter().collect()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// (csv text, the base customer of every generated row)
fn generate(seed: u64) -> (String, Vec<usize>) {
    let path = format!(
        "{}/../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let telco = read_bytes(&std::fs::read(path).unwrap(), Default::default()).unwrap();
    let ids = telco.column("customerID").unwrap();
    let gender = telco.column("gender").unwrap();
    let mut rng = Rng(seed);
    let mut rows: Vec<(usize, String)> = Vec::new();
    for i in 0..telco.num_rows() {
        let female = match gender.get(i).to_text().as_deref() {
            Some("Female") => true,
            Some("Male") => false,
            _ => rng.chance(0.5),
        };
        let first = if female { FEMALE[rng.below(30)] } else { MALE[rng.below(30)] };
        let last = LAST[rng.below(40)];
        let email = format!(
            "{}.{}{}@{}",
            first.to_lowercase().replace(' ', ""),
            last.to_lowercase(),
            rng.below(100),
            DOMAINS[rng.below(5)]
        );
        let cn = rng.chance(0.5);
        let digits: String = (0..8).map(|_| char::from(b'0' + rng.below(10) as u8)).collect();
        let phone = if cn {
            format!("13{} {} {}", rng.below(10), &digits[..4], &digits[4..])
        } else {
            format!("(555) {}-{}", &digits[..3], &digits[3..7])
        };
        let id = ids.get(i).to_text().unwrap_or_default();
        let name = format!("{first} {last}");
        rows.push((i, format!("{id},{},{},{}", csv_field(&name), email, phone)));
        let copies = if rng.chance(0.3) { 1 + rng.chance(0.15) as usize } else { 0 };
        for _ in 0..copies {
            let mut n = name.clone();
            if rng.chance(0.5) {
                n = format!("{} {}", typo(first, &mut rng), last);
            }
            if rng.chance(0.3) {
                let parts: Vec<&str> = n.rsplitn(2, ' ').collect();
                n = if rng.chance(0.5) {
                    format!("{} {}", parts[0], parts[1])
                } else {
                    format!("{}, {}", parts[0], parts[1])
                };
            }
            if rng.chance(0.3) {
                n = if rng.chance(0.5) { n.to_uppercase() } else { n.to_lowercase() };
            }
            let mut e = email.clone();
            if rng.chance(0.3) {
                e = format!(" {} ", e.to_uppercase());
            }
            if rng.chance(0.1) {
                e = typo(&e, &mut rng);
            }
            if rng.chance(0.15) {
                e = String::new();
            }
            let mut p = phone.clone();
            if rng.chance(0.5) {
                let d: String = p.chars().filter(char::is_ascii_digit).collect();
                p = if cn {
                    format!("+86-{}-{}-{}", &d[..3], &d[3..7], &d[7..])
                } else {
                    format!("555.{}.{}", &d[3..6], &d[6..])
                };
            }
            if rng.chance(0.15) {
                p = String::new();
            }
            rows.push((i, format!("{id}-dup,{},{},{}", csv_field(&n), csv_field(&e), p)));
        }
    }
    // Shuffle so duplicates are not next to each other.
    for k in (1..rows.len()).rev() {
        let j = rng.below(k + 1);
        rows.swap(k, j);
    }
    let mut csv = String::from("id,name,email,phone\n");
    let mut truth = Vec::new();
    for (base, line) in rows {
        csv.push_str(&line);
        csv.push('\n');
        truth.push(base);
    }
    (csv, truth)
}

fn pairs_of(groups: &[Vec<usize>]) -> HashSet<(usize, usize)> {
    let mut out = HashSet::new();
    for g in groups {
        for a in 0..g.len() {
            for b in a + 1..g.len() {
                out.insert((g[a].min(g[b]), g[a].max(g[b])));
            }
        }
    }
    out
}

#[test]
fn fuzzy_dedupe_precision_and_recall_on_dirty_telco_customers() {
    let (csv, truth) = generate(20_241_130);
    let ds = read_csv_str(&csv, Default::default()).unwrap();
    assert_eq!(ds.num_rows(), truth.len());
    let mut by_base: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (row, &b) in truth.iter().enumerate() {
        by_base.entry(b).or_default().push(row);
    }
    let true_groups: Vec<Vec<usize>> = by_base.into_values().filter(|g| g.len() > 1).collect();
    let truth_pairs = pairs_of(&true_groups);
    let plan = CleanPlan {
        fuzzy_dedupe: Some(FuzzyDedupe {
            name: Some(NameColumns::One("name".into())),
            email: Some("email".into()),
            phone: Some("phone".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let res = clean(&ds, &plan).unwrap();
    let found: Vec<Vec<usize>> = res.duplicates.iter().map(|g| g.rows.iter().map(|&r| r as usize).collect()).collect();
    let found_pairs = pairs_of(&found);
    if std::env::var("DEDUPE_DEBUG").is_ok() {
        let row = |r: usize| ds.row(r).iter().map(|v| v.to_text().unwrap_or_default()).collect::<Vec<_>>().join(" | ");
        for g in res.duplicates.iter().take(400) {
            for p in &g.pairs {
                let (a, b) = (p.a as usize, p.b as usize);
                if truth[a] != truth[b] {
                    eprintln!(
                        "FALSE {:.3} {:?} {:?} {:?}\n  {}\n  {}",
                        p.score,
                        p.name,
                        p.email,
                        p.phone,
                        row(a),
                        row(b)
                    );
                }
            }
        }
    }
    let tp = found_pairs.intersection(&truth_pairs).count() as f64;
    let precision = tp / found_pairs.len() as f64;
    let recall = tp / truth_pairs.len() as f64;
    println!(
        "rows {} true pairs {} found pairs {} precision {precision:.4} recall {recall:.4} notes {:?}",
        ds.num_rows(),
        truth_pairs.len(),
        found_pairs.len(),
        res.log.notes
    );
    assert!(truth_pairs.len() > 2000);
    assert!(precision >= 0.97, "precision {precision}");
    assert!(recall >= 0.93, "recall {recall}");
    // Every group names a survivor inside it and scores its pairs per field.
    for g in &res.duplicates {
        assert!(g.rows.contains(&g.survivor));
        assert!(g.pairs.iter().all(|p| p.score >= 0.85 && p.name.is_some()));
    }
    // Not dropping: the table is unchanged; dropping keeps one row per group.
    assert_eq!(res.dataset.num_rows(), ds.num_rows());
    let mut drop_plan = plan.clone();
    drop_plan.fuzzy_dedupe.as_mut().unwrap().drop = true;
    let dropped = clean(&ds, &drop_plan).unwrap();
    let removed: usize = res.duplicates.iter().map(|g| g.rows.len() - 1).sum();
    assert_eq!(dropped.dataset.num_rows(), ds.num_rows() - removed);
    assert_eq!(dropped.log.changes.iter().filter(|c| c.rule == "dropFuzzyDuplicate").count(), removed);
}
