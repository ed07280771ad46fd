//! One sheet → a typed [`Dataset`]: the cells' own types where a column holds one kind of
//! value (numbers, dates, booleans), the core's inference (the same as for CSV) where it
//! holds text or a mix; title rows, footers and formula errors listed in `issues`.

use crmlens::io::infer::{infer_column, InferOptions};
use crmlens::io::raw::{unique_names, RawColumn};
use crmlens::io::roles::{detect_role, name_tokens, NameHint};
use crmlens::table::dataset::{Issue, IssueCount};
use crmlens::table::{Column, ColumnData, Validity};
use crmlens::{CrmError, Dataset, Result};

use crate::book::Book;
use crate::cells::{Cell, Grid, MAX_CELLS};
use crate::layout::{cell_text, layout, Layout};
use crate::options::{a1, SheetOptions};

/// Issues listed one by one (all are counted in `issue_counts`).
const MAX_LISTED: usize = 1000;

/// The sheet names of a workbook, in order.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>> {
    Ok(Book::open(bytes)?.sheet_names())
}

/// Reads one sheet of a workbook into a Dataset.
pub fn read_workbook(bytes: &[u8], opts: &SheetOptions) -> Result<Dataset> {
    let range = opts.cell_range()?;
    let mut book = Book::open(bytes)?;
    let name = book.pick(opts.sheet.as_ref())?;
    let grid = book.read(&name, range)?;
    let lay = layout(&grid, opts.header, range.is_none());
    let mut ds = build(&grid, &lay, opts.max_rows)?;
    ds.source.format = book.format().into();
    ds.source.encoding = "UTF-8".into();
    ds.source.bytes = bytes.len() as u64;
    Ok(ds)
}

struct Issues {
    list: Vec<Issue>,
    counts: Vec<IssueCount>,
}

impl Issues {
    fn add(&mut self, line: u32, column: Option<usize>, kind: &str, action: &str, message: String) {
        match self.counts.iter_mut().find(|c| c.kind == kind && c.action == action) {
            Some(c) => c.count += 1,
            None => self.counts.push(IssueCount { kind: kind.into(), action: action.into(), count: 1 }),
        }
        if self.list.len() < MAX_LISTED {
            self.list.push(Issue {
                line: line as u64 + 1,
                column: column.map(|c| c as u64 + 1),
                kind: kind.into(),
                action: action.into(),
                message,
            });
        }
    }
}

/// The table `lay` found in `grid`.
pub fn build(grid: &Grid, lay: &Layout, max_rows: Option<u64>) -> Result<Dataset> {
    if lay.columns.is_empty() {
        return Err(CrmError::empty("the sheet has no cells"));
    }
    let mut issues = Issues { list: Vec::new(), counts: Vec::new() };
    for t in &lay.titles {
        issues.add(
            t.row,
            None,
            "title",
            "skipped",
            format!("title row above the header left out of the table: {:?} ({})", t.text, t.why),
        );
    }
    // Output row of each sheet row in first_row..end_row (u32::MAX: blank, left out).
    let span = (lay.end_row - lay.first_row) as usize;
    if (span as u64).saturating_mul(lay.columns.len() as u64) > MAX_CELLS {
        return Err(CrmError::too_large(
            "sheet",
            format!("the table spans {span} rows × {} columns; read a part of it with `range`", lay.columns.len()),
        ));
    }
    let mut out = vec![u32::MAX; span];
    for &c in &lay.columns {
        for (r, _) in &grid.cols[c] {
            if let Some(o) = r.checked_sub(lay.first_row).and_then(|i| out.get_mut(i as usize)) {
                *o = 0;
            }
        }
    }
    let cap = max_rows.unwrap_or(u64::MAX);
    let (mut rows, mut truncated) = (0u32, false);
    for o in out.iter_mut().filter(|o| **o == 0) {
        if rows as u64 >= cap {
            *o = u32::MAX;
            truncated = true;
        } else {
            *o = rows;
            rows += 1;
        }
    }
    let header_names: Vec<String> = lay
        .columns
        .iter()
        .map(|&c| lay.header.and_then(|h| grid.get(h, c)).map(cell_text).unwrap_or_default())
        .collect();
    let names = unique_names(header_names);
    let mut columns = Vec::with_capacity(lay.columns.len());
    for (j, (&c, name)) in lay.columns.iter().zip(names).enumerate() {
        let cells = grid.cols[c].iter().filter_map(|(r, cell)| {
            let o = *r.checked_sub(lay.first_row).and_then(|i| out.get(i as usize))?;
            (o != u32::MAX).then_some((*r, o, cell))
        });
        columns.push(column(name, cells, rows as usize, j, c, &mut issues));
    }
    for f in &lay.footers {
        issues.add(f.row, None, "footer", "skipped", format!("report footer row left out of the table: {:?}", f.text));
    }
    let mut ds = Dataset::new(columns)?;
    ds.source.header = lay.header.is_some();
    ds.source.records = rows as u64 + lay.footers.len() as u64;
    ds.source.skipped_rows = lay.footers.len() as u64;
    ds.source.truncated = truncated;
    ds.issues = issues.list;
    ds.issue_counts = issues.counts;
    Ok(ds)
}

/// The kind of values a column holds.
#[derive(Default)]
struct Kinds {
    num: usize,
    int: usize,
    bool: usize,
    when: usize,
    date_only: usize,
    other: usize,
}

/// One column from its cells ((sheet row, output row, cell), in row order) over `n` rows.
fn column<'a>(
    name: String,
    cells: impl Iterator<Item = (u32, u32, &'a Cell)> + Clone,
    n: usize,
    j: usize,
    sheet_col: usize,
    issues: &mut Issues,
) -> Column {
    let mut k = Kinds::default();
    for (r, _, cell) in cells.clone() {
        match cell {
            Cell::Num(v) => {
                k.num += 1;
                k.int += (v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0) as usize;
            }
            Cell::Bool(_) => k.bool += 1,
            Cell::When(ms) => {
                k.when += 1;
                k.date_only += (ms.rem_euclid(86_400_000) == 0) as usize;
            }
            Cell::Error(e) => issues.add(
                r,
                Some(j),
                "cellError",
                "repaired",
                format!("formula error {e} in {} (column {name:?}) read as empty", a1(r, sheet_col as u32)),
            ),
            Cell::Text(_) | Cell::Duration(_) => k.other += 1,
        }
    }
    let typed = [k.num, k.bool, k.when].iter().filter(|&&x| x > 0).count();
    if k.other == 0 && typed == 1 {
        let mut validity = Validity::all_valid(n);
        let mut seen = vec![false; n];
        for (_, o, cell) in cells.clone() {
            if let (false, Some(s)) = (matches!(cell, Cell::Error(_)), seen.get_mut(o as usize)) {
                *s = true;
            }
        }
        if seen.iter().any(|s| !s) {
            validity = Validity::with_capacity(n);
            for s in &seen {
                validity.push(*s);
            }
        }
        let data = if k.num > 0 {
            if k.int == k.num {
                let mut v = vec![0i64; n];
                fill(&mut v, cells, |c| if let Cell::Num(x) = c { Some(*x as i64) } else { None });
                ColumnData::Int64(v)
            } else {
                let mut v = vec![0f64; n];
                fill(&mut v, cells, |c| if let Cell::Num(x) = c { Some(*x) } else { None });
                ColumnData::Float64(v)
            }
        } else if k.bool > 0 {
            let mut v = vec![false; n];
            fill(&mut v, cells, |c| if let Cell::Bool(x) = c { Some(*x) } else { None });
            ColumnData::Bool(v)
        } else if k.date_only == k.when {
            let mut v = vec![0i32; n];
            fill(&mut v, cells, |c| if let Cell::When(x) = c { Some(x.div_euclid(86_400_000) as i32) } else { None });
            ColumnData::Date(v)
        } else {
            let mut v = vec![0i64; n];
            fill(&mut v, cells, |c| if let Cell::When(x) = c { Some(*x) } else { None });
            ColumnData::Datetime(v)
        };
        let mut col = Column::new(name, data, validity);
        let hint = NameHint::from_tokens(&name_tokens(&col.name));
        col.role = detect_role(&col, &hint, Default::default());
        return col;
    }
    // Text or a mix: the cells as text through the loader's inference (missing tokens,
    // numbers and dates written as text, categories, roles).
    let mut raw = RawColumn::new(name);
    let mut next = 0u32;
    let mut buf = String::new();
    for (_, o, cell) in cells {
        while next < o {
            raw.push_null();
            next += 1;
        }
        match cell {
            Cell::Error(_) => raw.push_null(),
            Cell::Text(s) => raw.push(s.as_bytes()),
            other => {
                buf.clear();
                buf.push_str(&cell_text(other));
                raw.push(buf.as_bytes());
            }
        }
        next += 1;
    }
    while (next as usize) < n {
        raw.push_null();
        next += 1;
    }
    let opts = InferOptions {
        missing: crmlens::io::LoadOptions::default().missing_tokens(),
        date_order: Default::default(),
        number_locale: None,
        semicolon: false,
        force: Default::default(),
    };
    infer_column(raw, &opts)
}

/// Writes each cell's value at its output row; error cells stay at the default (null).
fn fill<'a, T: Copy>(v: &mut [T], cells: impl Iterator<Item = (u32, u32, &'a Cell)>, get: impl Fn(&Cell) -> Option<T>) {
    for (_, o, cell) in cells {
        if let (Some(x), Some(slot)) = (get(cell), v.get_mut(o as usize)) {
            *slot = x;
        }
    }
}
