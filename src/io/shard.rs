//! One byte range of a CSV file read on its own (a shard), for a pool of workers that load
//! a file in parallel (`CrmlensPool` in js/pool.js).
//!
//! The pool cuts the file after newlines. A cut can fall inside a quoted field that holds a
//! line break; [`scan`] runs csv-core's quote automaton over a range from both possible
//! start states (at a record start, or inside a quoted field), so the pool can chain the
//! ranges' end states from the file's start, learn the true state at every cut, and move a
//! cut that lies inside a field to the range's first real record boundary (speculative
//! parsing with verification, after Ge et al., SIGMOD 2019). A range that is all inside one
//! quoted field (a quote never closed) joins the range before it.
//!
//! [`CsvShard`] is what a range's loader is told: the header of the file (from the first range),
//! the line its first byte is on, whether it ends the file, and per column a type the pool
//! decided ([`ShardType`]) when the ranges' own inference disagreed.

/// A column type decided across shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShardType {
    /// The shard's own inference.
    #[default]
    Auto,
    /// Numbers as float64 (a shard saw only integers, another fractions).
    Float,
    /// Strings, whatever the cells look like: a category when values repeat, else text (as
    /// a column of mixed kinds is read whole).
    String,
    /// Text (shards disagreed on category or text).
    Text,
    /// Dates day first / month first (one date order for every shard).
    Dmy,
    Mdy,
}

impl ShardType {
    /// From its code (the order above: 0 auto … 5 mdy); an unknown code is `Auto`.
    pub fn from_code(c: u8) -> ShardType {
        use ShardType::*;
        [Auto, Float, String, Text, Dmy, Mdy].get(c as usize).copied().unwrap_or_default()
    }
}

/// How to read a shard (the options of the file come as `LoadOptions`, with its sniffed
/// delimiter, encoding and quote).
#[derive(Debug, Clone, Default)]
pub struct CsvShard {
    /// The file's column names; absent for the first shard, which starts with the header.
    pub names: Option<Vec<String>>,
    /// The file's line number of the shard's first byte (1 when 0).
    pub first_line: u64,
    /// Whether the shard ends the file (only there is a report footer looked for).
    pub last: bool,
    /// Per column, a type the pool decided (missing entries: `Auto`).
    pub force: Vec<ShardType>,
}

impl CsvShard {
    pub fn force(&self, j: usize) -> ShardType {
        self.force.get(j).copied().unwrap_or_default()
    }
}

/// What [`scan`] learns about a range that starts right after a newline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scan {
    /// Newlines in the range.
    pub newlines: u64,
    /// Started at a record start: does the range end inside a quoted field?
    pub outside_ends_inside: bool,
    /// Started inside a quoted field: the offset just after the first newline that ends a
    /// record, and the newlines before it (inclusive); `None` if the quote never closes here.
    pub boundary: Option<(u64, u64)>,
    /// Started inside a quoted field: does the range end inside one?
    pub inside_ends_inside: bool,
}

const START: u8 = 0;
const FIELD: u8 = 1;
const QUOTED: u8 = 2;
const QUOTE_IN_QUOTED: u8 = 3;

/// csv-core's quote automaton (doubled quotes, `\r` / `\n` end records); a quote inside an
/// unquoted field is a literal character.
#[inline]
fn step(s: u8, b: u8, delimiter: u8, quote: u8) -> u8 {
    let end = b == delimiter || b == b'\n' || b == b'\r';
    match s {
        START | QUOTE_IN_QUOTED if b == quote => QUOTED,
        START | FIELD | QUOTE_IN_QUOTED if end => START,
        START | FIELD | QUOTE_IN_QUOTED => FIELD,
        _ if b == quote => QUOTE_IN_QUOTED,
        _ => QUOTED,
    }
}

fn inside(s: u8) -> bool {
    s == QUOTED || s == QUOTE_IN_QUOTED
}

/// Runs the quote automaton over `bytes` from both start states. `quote` 0: no quoting (a
/// whitespace-separated file), every newline ends a record.
pub fn scan(bytes: &[u8], delimiter: u8, quote: u8) -> Scan {
    let mut r = Scan::default();
    if quote == 0 {
        r.newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        r.boundary = bytes.iter().position(|&b| b == b'\n').map(|p| (p as u64 + 1, 1));
        return r;
    }
    let (mut out, mut ins) = (START, QUOTED);
    for (i, &b) in bytes.iter().enumerate() {
        out = step(out, b, delimiter, quote);
        ins = step(ins, b, delimiter, quote);
        if b == b'\n' {
            r.newlines += 1;
            if r.boundary.is_none() && ins == START {
                r.boundary = Some((i as u64 + 1, r.newlines));
            }
        }
    }
    r.outside_ends_inside = inside(out);
    r.inside_ends_inside = inside(ins);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_states_follow_csv_core() {
        // From a record start: one record whose second field holds `a"b⏎c`, then a line
        // with a literal quote (`5" screen`): the range ends outside any quote.
        let text = b"1,\"a\"\"b\nc\"\n2,5\" screen\n";
        let s = scan(text, b',', b'"');
        assert_eq!((s.newlines, s.outside_ends_inside, s.inside_ends_inside), (3, false, false));
        // From inside a quoted field: `1,` is quoted text, the next quote closes it, `a""b`
        // is the field's unquoted tail, and the first newline ends the record.
        assert_eq!(s.boundary, Some((8, 1)));
        // A quote never closed: from a record start the range ends inside it.
        let open = b"x\n3,\"never closed\n4,y\n";
        let o = scan(open, b',', b'"');
        assert!(o.outside_ends_inside);
        assert_eq!(o.boundary, Some((18, 2)));
        assert!(!o.inside_ends_inside);
        // Another delimiter and quote character.
        let t = scan(b"a;'x;\ny';b\n", b';', b'\'');
        assert_eq!((t.newlines, t.outside_ends_inside, t.boundary), (2, false, Some((6, 1))));
    }
}
