//! Arrow's schema (`Schema.fbs`) as far as crmlens maps it: which Arrow types a column may
//! have when read, and the field a crmlens column is written as.
//!
//! | crmlens  | written as                       | also read from                                  |
//! |----------|----------------------------------|-------------------------------------------------|
//! | int64    | Int64                            | Int8/16/32/64, UInt8/16/32/64 (beyond ±2^53: text) |
//! | float64  | Float64                          | Float32, Decimal128 (as the nearest f64)        |
//! | bool     | Bool                             |                                                 |
//! | date     | Date32 (days)                    | Date64 (ms)                                     |
//! | datetime | Timestamp(ms, "UTC" if utc)      | Timestamp(s/ms/us/ns, any tz: held in UTC)      |
//! | category | Dictionary<Int32, Utf8>          | Dictionary<any int, Utf8/LargeUtf8>             |
//! | text     | Utf8 (LargeUtf8 past 2 GiB)      | LargeUtf8, Null (an all-null column)            |
//!
//! Any other type (lists, structs, binary, time of day, intervals, views, …) is a
//! `PARSE_ERROR` naming the column and the type: nothing is dropped silently.

use super::bad;
use super::flatbuf::{Obj, Table, F};
use crate::error::{CrmError, Location, Result};
use crate::table::{Column, ColumnData, DataType};

/// Arrow's `Type` union, by id (for error messages).
const TYPE_NAMES: [&str; 27] = [
    "NONE",
    "Null",
    "Int",
    "FloatingPoint",
    "Binary",
    "Utf8",
    "Bool",
    "Decimal",
    "Date",
    "Time",
    "Timestamp",
    "Interval",
    "List",
    "Struct",
    "Union",
    "FixedSizeBinary",
    "FixedSizeList",
    "Map",
    "Duration",
    "LargeBinary",
    "LargeUtf8",
    "LargeList",
    "RunEndEncoded",
    "BinaryView",
    "Utf8View",
    "ListView",
    "LargeListView",
];

const T_NULL: i64 = 1;
const T_INT: i64 = 2;
const T_FLOAT: i64 = 3;
const T_UTF8: i64 = 5;
const T_BOOL: i64 = 6;
const T_DECIMAL: i64 = 7;
const T_DATE: i64 = 8;
const T_TIMESTAMP: i64 = 10;
const T_LARGE_UTF8: i64 = 20;

/// The physical layout of a column's values in a record batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Int {
        bytes: usize,
        signed: bool,
    },
    Float {
        bytes: usize,
    },
    /// Decimal128 with this scale.
    Decimal {
        scale: i32,
    },
    Bool,
    /// Date32 (days) or Date64 (milliseconds).
    Date {
        ms: bool,
    },
    /// Timestamp: unit 0 = s, 1 = ms, 2 = µs, 3 = ns; the time zone, if any.
    Timestamp {
        unit: u8,
        tz: Option<String>,
    },
    Utf8 {
        large: bool,
    },
}

impl Kind {
    /// Buffers one column of this kind takes in a record batch (validity included).
    pub fn buffers(&self) -> usize {
        match self {
            Kind::Null => 0,
            Kind::Utf8 { .. } => 3,
            _ => 2,
        }
    }
}

/// One field of the schema: its name, value layout and dictionary (id, index type).
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    pub kind: Kind,
    pub dict: Option<(i64, Kind)>,
}

/// The fields of a `Schema` table.
pub fn read_schema(schema: &Table) -> Result<Vec<Spec>> {
    if schema.int(0, 2, 0)? != 0 {
        return Err(bad("big-endian data is not supported"));
    }
    let Some(fields) = schema.vector(1, 4)? else { return Ok(Vec::new()) };
    (0..fields.len).map(|k| read_field(&fields.table(k)?)).collect()
}

fn read_field(f: &Table) -> Result<Spec> {
    let name = f.str(0)?.unwrap_or("").to_string();
    let type_id = f.int(2, 1, 0)?;
    let unsupported = |what: String| {
        let message = format!("Arrow IPC: column `{name}` has Arrow type {what}, which crmlens does not read");
        CrmError::parse(message, Location::field(name.as_str()))
    };
    let ty = f.table(3)?.ok_or_else(|| unsupported(type_name(type_id)))?;
    let kind = match type_id {
        T_NULL => Kind::Null,
        T_INT => int_kind(&ty).ok_or_else(|| unsupported(format!("Int({})", ty.int(0, 4, 0).unwrap_or(0))))?,
        T_FLOAT => match ty.int(0, 2, 0)? {
            1 => Kind::Float { bytes: 4 },
            2 => Kind::Float { bytes: 8 },
            _ => return Err(unsupported("Float16".into())),
        },
        T_UTF8 => Kind::Utf8 { large: false },
        T_LARGE_UTF8 => Kind::Utf8 { large: true },
        T_BOOL => Kind::Bool,
        T_DECIMAL => match ty.int(2, 4, 128)? {
            128 => Kind::Decimal { scale: ty.int(1, 4, 0)? as i32 },
            w => return Err(unsupported(format!("Decimal{w}"))),
        },
        T_DATE => Kind::Date { ms: ty.int(0, 2, 1)? == 1 },
        T_TIMESTAMP => {
            let unit = ty.int(0, 2, 0)?;
            if !(0..=3).contains(&unit) {
                return Err(unsupported(format!("Timestamp with unit {unit}")));
            }
            Kind::Timestamp { unit: unit as u8, tz: ty.str(1)?.map(str::to_string) }
        }
        t => return Err(unsupported(type_name(t))),
    };
    let dict = match f.table(4)? {
        None => None,
        Some(d) => {
            if !matches!(kind, Kind::Utf8 { .. }) {
                return Err(unsupported(format!("Dictionary of {}", type_name(type_id))));
            }
            let index = match d.table(1)? {
                None => Kind::Int { bytes: 4, signed: true },
                Some(t) => int_kind(&t).ok_or_else(|| unsupported("Dictionary with a bad index type".into()))?,
            };
            Some((d.int(0, 8, 0)?, index))
        }
    };
    Ok(Spec { name, kind, dict })
}

fn int_kind(t: &Table) -> Option<Kind> {
    let bits = t.int(0, 4, 0).ok()?;
    let signed = t.int(1, 1, 0).ok()? != 0;
    matches!(bits, 8 | 16 | 32 | 64).then_some(Kind::Int { bytes: bits as usize / 8, signed })
}

fn type_name(id: i64) -> String {
    usize::try_from(id).ok().and_then(|i| TYPE_NAMES.get(i)).map_or(format!("#{id}"), |s| s.to_string())
}

/// Whether a text column needs 64-bit offsets (LargeUtf8).
pub fn large_text(c: &Column) -> bool {
    matches!(&c.data, ColumnData::Text(s) if s.byte_len() > i32::MAX as usize)
}

/// The `Field` a column is written as; `index` is its position (and its dictionary id).
pub fn field(c: &Column, index: usize) -> Obj<'_> {
    let empty = || Obj::Table(Vec::new());
    let int = |bits: i64| Obj::Table(vec![Some(F::Int(bits, 4)), Some(F::Int(1, 1))]);
    let (type_id, ty) = match c.dtype() {
        DataType::Int64 => (T_INT, int(64)),
        DataType::Float64 => (T_FLOAT, Obj::Table(vec![Some(F::Int(2, 2))])),
        DataType::Bool => (T_BOOL, empty()),
        DataType::Date => (T_DATE, Obj::Table(vec![Some(F::Int(0, 2))])),
        DataType::Datetime => {
            (T_TIMESTAMP, Obj::Table(vec![Some(F::Int(1, 2)), c.utc.then_some(F::Obj(Obj::Str("UTC")))]))
        }
        DataType::Category => (T_UTF8, empty()),
        DataType::Text if large_text(c) => (T_LARGE_UTF8, empty()),
        DataType::Text => (T_UTF8, empty()),
    };
    let dict = (c.dtype() == DataType::Category)
        .then(|| F::Obj(Obj::Table(vec![Some(F::Int(index as i64, 8)), Some(F::Obj(int(32))), Some(F::Int(0, 1))])));
    Obj::Table(vec![
        Some(F::Obj(Obj::Str(&c.name))),
        Some(F::Int(1, 1)),
        Some(F::Int(type_id, 1)),
        Some(F::Obj(ty)),
        dict,
        Some(F::Obj(Obj::Tables(Vec::new()))),
    ])
}
