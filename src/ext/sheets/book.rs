//! Opening a workbook from bytes (calamine) and reading one sheet's cells into a [`Grid`].
//!
//! The format is told by the signature, not by a file name: an OLE2 compound file is a
//! BIFF `.xls`; a ZIP is tried as `.xlsx`/`.xlsm`, `.xlsb`, then `.ods`. Anything else, or a
//! workbook that does not open, is `NOT_A_TABLE` with the kind detected. An `.xls` is
//! checked and rebuilt first ([`crate::xls_guard`]): calamine would otherwise size
//! allocations by numbers in the file.
//!
//! `.xlsx` sheets are read cell by cell (calamine's cell reader), so only used cells are
//! held; `.xls`/`.xlsb`/`.ods` come as calamine ranges and are checked against
//! [`MAX_CELLS`] before they are copied.

use std::io::Cursor;

use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsb, Xlsx};
use crmlens::{CrmError, Result};

use crate::cells::{iso_duration_secs, iso_to_ms, serial_to_ms, Cell, Grid, MAX_CELLS};
use crate::options::{CellRange, SheetRef};

type Bytes<'a> = Cursor<&'a [u8]>;

/// An open workbook.
pub enum Book<'a> {
    Xlsx(Box<Xlsx<Bytes<'a>>>),
    Xlsb(Box<Xlsb<Bytes<'a>>>),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Bytes<'a>>>),
}

const OLE2: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

/// The kind a file's first bytes announce: `"xls"` (OLE2), `"zip"` or `None`.
pub fn signature(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(OLE2) {
        Some("xls")
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some("zip")
    } else {
        None
    }
}

fn not_a_workbook(kind: &str, why: impl std::fmt::Display) -> CrmError {
    CrmError::not_a_table(kind, format!("the input is not a readable workbook ({kind}): {why}"))
}

impl<'a> Book<'a> {
    /// Opens `bytes` as a workbook of whichever format they are.
    pub fn open(bytes: &'a [u8]) -> Result<Book<'a>> {
        let cur = || Cursor::new(bytes);
        match signature(bytes) {
            // calamine reads a compound file this module rebuilt from the checked
            // `Workbook` stream, never the input's own (crate::xls_guard).
            Some("xls") => match Xls::new(Cursor::new(crate::xls_guard::rebuild(bytes)?)) {
                Ok(b) => Ok(Book::Xls(Box::new(b))),
                Err(e) => Err(not_a_workbook("xls", e)),
            },
            Some(_) => {
                let xlsx = match Xlsx::new(cur()) {
                    Ok(b) => return Ok(Book::Xlsx(Box::new(b))),
                    Err(e) => e,
                };
                if let Ok(b) = Xlsb::new(cur()) {
                    return Ok(Book::Xlsb(Box::new(b)));
                }
                if let Ok(b) = Ods::new(cur()) {
                    return Ok(Book::Ods(Box::new(b)));
                }
                // Say what the ZIP holds, as the core's signature check does.
                let kind = crmlens::io::signature::binary_kind(&bytes[..bytes.len().min(4096)]).map_or("zip", |k| k.0);
                Err(not_a_workbook(kind, xlsx))
            }
            None => {
                let kind = crmlens::io::signature::binary_kind(&bytes[..bytes.len().min(4096)]).map_or("text", |k| k.0);
                Err(CrmError::not_a_table(
                    kind,
                    format!("the input is not an Excel or OpenDocument workbook (it starts like {kind}); use Dataset.fromCsv / fromJson for text"),
                ))
            }
        }
    }

    /// `"xlsx"`, `"xlsb"`, `"xls"` or `"ods"`.
    pub fn format(&self) -> &'static str {
        match self {
            Book::Xlsx(_) => "xlsx",
            Book::Xlsb(_) => "xlsb",
            Book::Xls(_) => "xls",
            Book::Ods(_) => "ods",
        }
    }

    /// The sheet names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    /// The name of the sheet `which` picks (default the first).
    pub fn pick(&self, which: Option<&SheetRef>) -> Result<String> {
        let names = self.sheet_names();
        let listed = || names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
        match which {
            None => names.first().cloned().ok_or_else(|| CrmError::empty("the workbook has no sheets")),
            Some(SheetRef::Name(n)) => names.iter().find(|s| *s == n).cloned().ok_or_else(|| {
                CrmError::invalid_option("sheet", format!("no sheet is named {n:?}; the sheets are {}", listed()))
            }),
            Some(SheetRef::Index(i)) => names.get(*i as usize).cloned().ok_or_else(|| {
                CrmError::invalid_option(
                    "sheet",
                    format!("sheet index {i} is out of range: the workbook has {} sheets ({})", names.len(), listed()),
                )
            }),
        }
    }

    /// The cells of sheet `name` (within `range` if given), with its merged regions.
    pub fn read(&mut self, name: &str, range: Option<CellRange>) -> Result<Grid> {
        let fmt = self.format();
        let bad = |e: &dyn std::fmt::Display| not_a_workbook(fmt, format!("sheet {name:?}: {e}"));
        let inside = |r: u32, c: u32| range.is_none_or(|g| g.contains(r, c));
        let mut grid = Grid::default();
        match self {
            Book::Xlsx(b) => {
                let is_1904 = b.has_1904_epoch();
                if let Some(Ok(m)) = b.worksheet_merge_cells(name) {
                    grid.merged = m.iter().map(|d| (d.start, d.end)).collect();
                }
                let mut cells = b.worksheet_cells_reader(name).map_err(|e| bad(&e))?;
                let mut count = 0u64;
                while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
                    let (r, c) = cell.get_position();
                    if !inside(r, c) {
                        continue;
                    }
                    if let Some(v) = from_ref(cell.get_value(), is_1904) {
                        count += 1;
                        if count > MAX_CELLS {
                            return Err(too_many());
                        }
                        grid.push(r, c, v)?;
                    }
                }
            }
            Book::Xls(b) => {
                let is_1904 = b.has_1904_epoch();
                if let Some(m) = b.worksheet_merge_cells(name) {
                    grid.merged = m.iter().map(|d| (d.start, d.end)).collect();
                }
                let r = b.worksheet_range(name).map_err(|e| bad(&e))?;
                from_range(&r, is_1904, &inside, &mut grid)?;
            }
            Book::Xlsb(b) => {
                let is_1904 = b.has_1904_epoch();
                let r = b.worksheet_range(name).map_err(|e| bad(&e))?;
                from_range(&r, is_1904, &inside, &mut grid)?;
            }
            Book::Ods(b) => {
                let r = b.worksheet_range(name).map_err(|e| bad(&e))?;
                from_range(&r, false, &inside, &mut grid)?;
            }
        }
        Ok(grid)
    }
}

fn too_many() -> CrmError {
    CrmError::too_large("sheet", format!("the sheet has more than {MAX_CELLS} cells; read a part of it with `range`"))
}

fn from_range(
    r: &calamine::Range<Data>,
    is_1904: bool,
    inside: &dyn Fn(u32, u32) -> bool,
    grid: &mut Grid,
) -> Result<()> {
    let (h, w) = r.get_size();
    if (h as u64).saturating_mul(w as u64) > MAX_CELLS {
        return Err(too_many());
    }
    for (r0, c0, v) in r.used_cells() {
        let (row, col) = r.start().map_or((0, 0), |s| (s.0 + r0 as u32, s.1 + c0 as u32));
        if !inside(row, col) {
            continue;
        }
        let cell = match v {
            Data::Int(i) => Some(Cell::Num(*i as f64)),
            Data::Float(f) => Some(Cell::Num(*f)),
            Data::String(s) => text(s),
            Data::Bool(b) => Some(Cell::Bool(*b)),
            Data::DateTime(d) => Some(date(d, is_1904)),
            Data::DateTimeIso(s) => Some(iso(s)),
            Data::DurationIso(s) => Some(iso_duration_secs(s).map_or_else(|| Cell::Text(s.clone()), Cell::Duration)),
            Data::Error(e) => Some(Cell::Error(e.to_string())),
            Data::Empty => None,
        };
        if let Some(cell) = cell {
            grid.push(row, col, cell)?;
        }
    }
    Ok(())
}

fn text(s: &str) -> Option<Cell> {
    (!s.is_empty()).then(|| Cell::Text(s.to_string()))
}

fn date(d: &calamine::ExcelDateTime, is_1904: bool) -> Cell {
    if d.is_duration() {
        return Cell::Duration(d.as_f64() * 86_400.0);
    }
    serial_to_ms(d.as_f64(), is_1904).map_or(Cell::Num(d.as_f64()), Cell::When)
}

fn iso(s: &str) -> Cell {
    iso_to_ms(s).map_or_else(|| Cell::Text(s.to_string()), Cell::When)
}

fn from_ref(v: &DataRef<'_>, is_1904: bool) -> Option<Cell> {
    match v {
        DataRef::Int(i) => Some(Cell::Num(*i as f64)),
        DataRef::Float(f) => Some(Cell::Num(*f)),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Some(Cell::Bool(*b)),
        DataRef::DateTime(d) => Some(date(d, is_1904)),
        DataRef::DateTimeIso(s) => Some(iso(s)),
        DataRef::DurationIso(s) => Some(iso_duration_secs(s).map_or_else(|| Cell::Text(s.clone()), Cell::Duration)),
        DataRef::Error(e) => Some(Cell::Error(e.to_string())),
        DataRef::Empty => None,
    }
}
