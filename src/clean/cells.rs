//! Owned cells and building typed columns back from them (the working form of `clean`).

use crate::table::{Column, ColumnData, DataType, StrVec, Validity, Value};

/// One owned cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(i32),
    Datetime(i64),
    Str(String),
}

impl Cell {
    pub fn from_value(v: Value) -> Option<Cell> {
        Some(match v {
            Value::Null => return None,
            Value::Int(i) => Cell::Int(i),
            Value::Float(f) => Cell::Float(f),
            Value::Bool(b) => Cell::Bool(b),
            Value::Date(d) => Cell::Date(d),
            Value::Datetime(ms) | Value::DatetimeUtc(ms) => Cell::Datetime(ms),
            Value::Str(s) => Cell::Str(s.to_string()),
        })
    }

    /// As text, the way CSV export writes it.
    pub fn text(&self, utc: bool) -> String {
        let v = match self {
            Cell::Int(i) => Value::Int(*i),
            Cell::Float(f) => Value::Float(*f),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Date(d) => Value::Date(*d),
            Cell::Datetime(ms) if utc => Value::DatetimeUtc(*ms),
            Cell::Datetime(ms) => Value::Datetime(*ms),
            Cell::Str(s) => return s.clone(),
        };
        v.to_text().unwrap_or_default()
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// The cells of a column.
pub fn cells(col: &Column) -> Vec<Option<Cell>> {
    (0..col.len()).map(|i| Cell::from_value(col.get(i))).collect()
}

/// A column of type `dtype` from cells (cells of another type are taken as missing; the
/// callers only pass matching cells). Name, role, format, missing tokens and UTC flag are
/// kept from `like`.
pub fn build(like: &Column, dtype: DataType, cells: &[Option<Cell>]) -> Column {
    let mut validity = Validity::with_capacity(cells.len());
    macro_rules! typed {
        ($variant:ident, $default:expr) => {{
            let mut v = Vec::with_capacity(cells.len());
            for c in cells {
                match c {
                    Some(Cell::$variant(x)) => {
                        v.push(*x);
                        validity.push(true);
                    }
                    _ => {
                        v.push($default);
                        validity.push(false);
                    }
                }
            }
            v
        }};
    }
    let data = match dtype {
        DataType::Int64 => ColumnData::Int64(typed!(Int, 0)),
        DataType::Float64 => ColumnData::Float64(typed!(Float, 0.0)),
        DataType::Bool => ColumnData::Bool(typed!(Bool, false)),
        DataType::Date => ColumnData::Date(typed!(Date, 0)),
        DataType::Datetime => ColumnData::Datetime(typed!(Datetime, 0)),
        DataType::Text => {
            let mut s = StrVec::with_capacity(cells.len(), cells.len() * 8);
            for c in cells {
                match c {
                    Some(Cell::Str(x)) => {
                        s.push(x);
                        validity.push(true);
                    }
                    _ => {
                        s.push("");
                        validity.push(false);
                    }
                }
            }
            ColumnData::Text(s)
        }
        DataType::Category => {
            let mut dict: Vec<String> = Vec::new();
            let mut index: rustc_hash::FxHashMap<String, u32> = Default::default();
            let mut codes = Vec::with_capacity(cells.len());
            for c in cells {
                match c {
                    Some(Cell::Str(x)) => {
                        let code = *index.entry(x.clone()).or_insert_with(|| {
                            dict.push(x.clone());
                            (dict.len() - 1) as u32
                        });
                        codes.push(code);
                        validity.push(true);
                    }
                    _ => {
                        codes.push(0);
                        validity.push(false);
                    }
                }
            }
            ColumnData::Category { codes, dict }
        }
    };
    let mut col = Column::new(like.name.clone(), data, validity);
    col.role = like.role;
    col.format = like.format.clone();
    col.missing_tokens = like.missing_tokens.clone();
    col.utc = like.utc;
    col
}

/// The rows `rows` of `col`, in that order.
pub fn take(col: &Column, rows: &[usize]) -> Column {
    let picked: Vec<Option<Cell>> = rows.iter().map(|&i| Cell::from_value(col.get(i))).collect();
    let mut out = build(col, col.dtype(), &picked);
    out.warnings = col.warnings.clone();
    out
}
