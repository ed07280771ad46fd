//! Where records go: the header, the bad-row policy, the issue list and the raw table.

use super::options::BadRows;
use super::raw::{unique_names, RawTable};
pub use super::record::{Fields, Flow};
use crate::error::{CrmError, Location, Result};
use crate::table::dataset::Issue;

/// At most this many issues are listed one by one; the counts stay exact.
pub const MAX_LISTED_ISSUES: usize = 10_000;

/// Why a record needs the bad-row policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Undecodable bytes were replaced with U+FFFD.
    Encoding,
    /// A quote opened on this record was never closed; the rest of the input was re-read
    /// with the quote as a literal character.
    UnbalancedQuote,
    /// Not valid JSON (NDJSON line), with the parser's message and column.
    Json(String, u64),
}

pub struct RecordSink {
    policy: BadRows,
    header: Option<bool>,
    pub table: Option<RawTable>,
    max_rows: Option<usize>,
    pub issues: Vec<Issue>,
    /// (kind, action) → count, exact even when the list is capped.
    pub counts: Vec<((String, String), u64)>,
    pub records: u64,
    pub skipped: u64,
    pub repaired: u64,
    pub truncated: bool,
    /// Rows that had more fields than the header (their extra fields are dropped under
    /// repair), and the line of the first.
    pub cut: u64,
    pub first_cut_line: Option<u64>,
    /// The trailing run of rows that look like a report footer (short, or only a first
    /// cell): (line, first cell, was listed as repaired).
    tail: Vec<(u64, String, bool)>,
    /// Name of the one column of a headerless file read as lines (`"text"`).
    pub lines_name: Option<String>,
    /// The column names, given (a shard of a file after its first: `io::shard`).
    pub names: Option<Vec<String>>,
    /// (rows, bytes per column) to allocate when the table is made (see `size_hint`).
    reserve: Option<(usize, Vec<usize>)>,
    /// Report title lines still to leave out above the header (`sniff::preamble`).
    pub preamble: usize,
}

impl RecordSink {
    pub fn new(policy: BadRows, header: Option<bool>, max_rows: Option<usize>) -> Self {
        RecordSink {
            policy,
            header,
            table: None,
            max_rows,
            issues: Vec::new(),
            counts: Vec::new(),
            records: 0,
            skipped: 0,
            repaired: 0,
            truncated: false,
            cut: 0,
            first_cut_line: None,
            lines_name: None,
            names: None,
            tail: Vec::new(),
            reserve: None,
            preamble: 0,
        }
    }

    /// Sizes the columns for an input of `total` bytes whose first bytes are `sample` (read as
    /// `records`): rows from the sample's bytes per non-blank line, per-column text from the
    /// sampled records' averages (capped by `maxRows`; at most 2^22 rows, and per column
    /// 2^26 bytes and the input's size, up front, so a wrong guess never costs much).
    /// Blank lines are not rows: 4,000 of them above one 60,000-character field reserved
    /// 64 MiB for 62 KB of input (fuzz finding 04).
    pub fn size_hint(&mut self, sample: &str, records: &[Vec<String>], total: u64, header: bool) {
        let data = &records[(header as usize).min(records.len())..];
        // Non-blank lines only: 4,000 blank lines above one long field must not multiply
        // the long field by 4,000 (fuzz finding 04).
        let lines = sample.split('\n').filter(|l| !l.trim_ascii().is_empty()).count();
        if data.is_empty() || lines == 0 {
            return;
        }
        let per_line = sample.len() as f64 / lines as f64;
        let mut rows = (total as f64 / per_line * 1.02) as usize + 16;
        if let Some(m) = self.max_rows {
            rows = rows.min(m);
        }
        let width = records.iter().map(Vec::len).max().unwrap_or(0);
        let bytes = (0..width)
            .map(|j| {
                let sum: usize = data.iter().map(|r| r.get(j).map_or(0, String::len)).sum();
                // Never more than the input itself.
                ((sum as f64 / data.len() as f64 * rows as f64 * 1.02) as usize).min(1 << 26).min(total as usize)
            })
            .collect();
        self.reserve = Some((rows.min(1 << 22), bytes));
    }

    pub fn set_header(&mut self, header: bool) {
        self.header = Some(header);
    }

    pub fn rows(&self) -> usize {
        self.table.as_ref().map_or(0, |t| t.rows)
    }

    fn note(&mut self, line: u64, column: Option<u64>, kind: &str, skipped: bool, message: String) {
        let action = if skipped { "skipped" } else { "repaired" };
        if skipped {
            self.skipped += 1;
        } else {
            self.repaired += 1;
        }
        let key = (kind.to_string(), action.to_string());
        match self.counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => *c += 1,
            None => self.counts.push((key, 1)),
        }
        if self.issues.len() < MAX_LISTED_ISSUES {
            self.issues.push(Issue { line, column, kind: kind.to_string(), action: action.to_string(), message });
        }
    }

    /// One delimited record.
    pub fn record(&mut self, fields: &dyn Fields, line: u64, problem: Option<Problem>) -> Result<Flow> {
        if self.truncated {
            return Ok(Flow::Stop); // `maxRows` was reached: nothing more is read
        }
        let count = fields.count();
        if self.preamble > 0 && self.table.is_none() {
            // A report title line above the header: out of the table, listed.
            self.preamble -= 1;
            let text = (0..count).map(|j| String::from_utf8_lossy(fields.field(j))).find(|f| !f.trim().is_empty());
            let text = truncate(text.as_deref().unwrap_or(""), 80);
            self.note(
                line,
                None,
                "preamble",
                true,
                format!("report title line above the header left out of the table: {text:?}"),
            );
            return Ok(Flow::Continue);
        }
        if self.table.is_none() && self.header.unwrap_or(true) {
            if let Some(p) = problem.clone() {
                // A bad header cannot be left out (the next row would become the header):
                // it is kept as read, and listed.
                self.handle_problem(p, line, true)?;
            }
        }
        if self.table.is_none() {
            // First record: the header, or the first data row of an unnamed table.
            let header = self.header.unwrap_or(true);
            let names = if header {
                unique_names((0..count).map(|j| String::from_utf8_lossy(fields.field(j)).into_owned()).collect())
            } else if let Some(names) = self.names.take() {
                names
            } else if let (1, Some(name)) = (count, &self.lines_name) {
                vec![name.clone()]
            } else {
                (1..=count).map(|i| format!("column_{i}")).collect()
            };
            let mut table = RawTable::with_names(names);
            if let Some((rows, bytes)) = self.reserve.take() {
                table.reserve(rows, &bytes);
            }
            self.table = Some(table);
            if header {
                return Ok(Flow::Continue);
            }
        }
        let expected = self.table.as_ref().map_or(0, |t| t.columns.len());
        // A line of only whitespace holds no data.
        if count == 1 && expected > 1 && fields.field(0).trim_ascii().is_empty() {
            return Ok(Flow::Continue);
        }
        self.records += 1;
        if let Some(p) = problem {
            if self.handle_problem(p, line, false)? == Flow::Stop {
                return Ok(Flow::Continue);
            }
        }
        let table = self.table.as_mut().ok_or_else(|| CrmError::state("no table"))?;
        if count != expected {
            let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
            let at = count.min(expected);
            let field = names.get(at).cloned().unwrap_or_else(|| format!("extra field {}", at + 1));
            let msg = format!("expected {expected} fields, found {count}");
            if count > expected {
                self.cut += 1;
                self.first_cut_line.get_or_insert(line);
            }
            match self.policy {
                BadRows::Error => {
                    return Err(CrmError::RaggedRow {
                        message: msg,
                        location: Location::at(line, at as u64 + 1).with_field(field),
                    })
                }
                BadRows::Skip => {
                    self.note(line, Some(at as u64 + 1), "ragged", true, format!("{msg}; row left out"));
                    return Ok(Flow::Continue);
                }
                BadRows::Repair => {
                    let detail = if count < expected {
                        format!("; {} missing fields set to null", expected - count)
                    } else {
                        let extra: Vec<String> = (expected..count.min(expected + 5))
                            .map(|j| format!("{:?}", truncate(&String::from_utf8_lossy(fields.field(j)), 40)))
                            .collect();
                        format!(
                            "; extra fields dropped: {}{}",
                            extra.join(", "),
                            if count - expected > 5 { ", …" } else { "" }
                        )
                    };
                    self.note(line, Some(at as u64 + 1), "ragged", false, msg + &detail);
                }
            }
        }
        let only_first = (1..count).all(|j| fields.field(j).trim_ascii().is_empty());
        if expected > 2 && (count < expected || only_first) && count > 0 {
            let first = String::from_utf8_lossy(fields.field(0)).trim().to_string();
            self.tail.push((line, first, count != expected));
        } else {
            self.tail.clear();
        }
        let table = self.table.as_mut().ok_or_else(|| CrmError::state("no table"))?;
        table.push_record(fields);
        if self.max_rows.is_some_and(|m| table.rows >= m) {
            self.truncated = true;
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    }

    /// Report footers (files issue 21 item 5): when the table ends in rows that have only
    /// a first cell (`Grand Totals (40 records)`, `Generated By: … at …`, `Copyright …`)
    /// and one of them names itself a footer, those rows are taken out of the table and
    /// listed as `footer` issues (not as repaired rows). Returns how many rows.
    #[inline(never)]
    pub fn drop_footer(&mut self) -> usize {
        if self.truncated || self.tail.is_empty() {
            return 0;
        }
        let footer_word = |s: &str| {
            let l = s.to_lowercase();
            [
                "grand total",
                "total",
                "subtotal",
                "generated by",
                "generated at",
                "generated on",
                "copyright",
                "confidential",
                "all rights reserved",
                "records)",
                "合计",
                "总计",
                "小计",
                "制表",
                "导出时间",
                "报表",
            ]
            .iter()
            .any(|w| {
                (l.starts_with(w) && !l[w.len()..].starts_with(|c: char| c.is_alphabetic()))
                    || (w.len() > 6 && l.contains(w))
            })
        };
        if !self.tail.iter().any(|(_, first, _)| footer_word(first)) {
            return 0;
        }
        let rows = self.table.as_ref().map_or(0, |t| t.rows);
        let k = self.tail.len();
        if k >= rows {
            return 0; // never the whole table
        }
        let tail = std::mem::take(&mut self.tail);
        if let Some(t) = self.table.as_mut() {
            t.pop_rows(k);
        }
        for (line, first, repaired) in tail {
            self.records -= 1;
            if repaired {
                self.repaired -= 1;
                self.issues.retain(|i| !(i.line == line && i.kind == "ragged"));
                if let Some((_, c)) = self.counts.iter_mut().find(|(k, _)| k.0 == "ragged" && k.1 == "repaired") {
                    *c -= 1;
                }
            }
            self.counts.retain(|(_, c)| *c > 0);
            let key = ("footer".to_string(), "skipped".to_string());
            match self.counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, c)) => *c += 1,
                None => self.counts.push((key, 1)),
            }
            self.skipped += 1;
            self.records += 1;
            if self.issues.len() < MAX_LISTED_ISSUES {
                self.issues.push(Issue {
                    line,
                    column: None,
                    kind: "footer".into(),
                    action: "skipped".into(),
                    message: format!("report footer line left out of the table: {:?}", truncate(&first, 80)),
                });
            }
        }
        k
    }

    /// Applies the bad-row policy to a record with `problem`: `Err` under "error",
    /// `Flow::Stop` when the row is to be left out, `Flow::Continue` to keep it (repaired).
    fn handle_problem(&mut self, problem: Problem, line: u64, header: bool) -> Result<Flow> {
        let (kind, msg, column, err) = match problem {
            Problem::Encoding => (
                "encoding",
                "bytes that are not valid in the input's encoding".to_string(),
                None,
                CrmError::Encoding {
                    message: "bytes that are not valid in the input's encoding".into(),
                    location: Location::line(line),
                },
            ),
            Problem::UnbalancedQuote => (
                "unbalancedQuote",
                "a quote opened on this line is never closed properly; the lines it swallowed were read with the quote as a literal character".to_string(),
                None,
                CrmError::UnbalancedQuote {
                    message: "a quote opened on this line is never closed properly".into(),
                    location: Location::line(line),
                },
            ),
            Problem::Json(m, col) => ("json", m.clone(), Some(col), CrmError::parse(m, Location::at(line, col))),
        };
        match self.policy {
            BadRows::Error => Err(err),
            BadRows::Skip if !header => {
                self.note(line, column, kind, true, format!("{msg}; row left out"));
                Ok(Flow::Stop)
            }
            _ => {
                let what = match kind {
                    "encoding" => "; replaced with U+FFFD",
                    "unbalancedQuote" => "; row kept as read",
                    _ => "",
                };
                let header_note = if header { " (header row)" } else { "" };
                self.note(line, column, kind, false, format!("{msg}{header_note}{what}"));
                Ok(Flow::Continue)
            }
        }
    }

    /// The bad-row policy for a JSON row with `problem`: `Flow::Stop` = leave it out
    /// (counted and listed), `Flow::Continue` = keep it (listed as repaired).
    pub fn problem_row(&mut self, problem: Problem, line: u64) -> Result<Flow> {
        let flow = self.handle_problem(problem, line, false)?;
        if flow == Flow::Stop {
            self.records += 1;
        }
        Ok(flow)
    }

    /// One problem row that has no fields to keep (e.g. an NDJSON line that is not an object).
    pub fn bad_line(&mut self, line: u64, column: Option<u64>, kind: &str, message: String) -> Result<()> {
        self.records += 1;
        match self.policy {
            BadRows::Error => Err(CrmError::parse(message, Location { line: Some(line), column, field: None })),
            _ => {
                self.note(line, column, kind, true, format!("{message}; row left out"));
                Ok(())
            }
        }
    }

    /// Counts a kept JSON row against `maxRows`.
    pub fn json_row_done(&mut self) -> Flow {
        self.records += 1;
        if self.max_rows.is_some_and(|m| self.rows() >= m) {
            self.truncated = true;
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}
