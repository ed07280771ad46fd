//! What passes between the record readers (CSV, JSON) and the sink: a record's fields, and
//! the sink's answer. Its own file so that the readers, the sink and the raw columns share
//! it without importing each other.

/// The fields of one record, by position (bytes of UTF-8 text).
pub trait Fields {
    fn count(&self) -> usize;
    fn field(&self, i: usize) -> &[u8];
    /// All fields at once, when they are at hand as slices (saves a call per cell).
    fn slices(&self) -> Option<&[&[u8]]> {
        None
    }
}

impl Fields for Vec<&[u8]> {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.get(i).copied().unwrap_or(&[])
    }
    fn slices(&self) -> Option<&[&[u8]]> {
        Some(self)
    }
}

/// What the sink wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}
