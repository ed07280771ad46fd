//! A string column stored as one UTF-8 buffer plus end offsets: no per-value allocation.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrVec {
    data: String,
    ends: Vec<usize>,
}

impl serde::Serialize for StrVec {
    /// As a sequence of strings.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl StrVec {
    pub fn with_capacity(values: usize, bytes: usize) -> Self {
        StrVec { data: String::with_capacity(bytes), ends: Vec::with_capacity(values) }
    }
    /// From a buffer and the end offset of each value (must be ascending char boundaries
    /// within `data`; a bad offset reads as an empty value, never a panic).
    pub fn from_parts(data: String, ends: Vec<usize>) -> Self {
        StrVec { data, ends }
    }
    /// Room for `values` more values of `bytes` bytes in all, or `TOO_LARGE` naming `field`
    /// (see [`crate::budget`]).
    pub fn reserve(&mut self, values: usize, bytes: usize, field: &str) -> crate::Result<()> {
        crate::budget::reserve(&mut self.ends, values, field, "text offsets")?;
        crate::budget::reserve_string(&mut self.data, bytes, field, "text")
    }
    pub fn push(&mut self, s: &str) {
        self.data.push_str(s);
        self.ends.push(self.data.len());
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..self.ends[i]).unwrap_or("")
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
    /// Bytes of text held.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
    pub fn memory_bytes(&self) -> usize {
        self.data.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_returns_values() {
        let mut s = StrVec::default();
        s.push("北京");
        s.push("");
        s.push("Bob");
        assert_eq!(s.iter().collect::<Vec<_>>(), vec!["北京", "", "Bob"]);
        assert_eq!(s.byte_len(), 9);
    }
}
