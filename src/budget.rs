//! Memory that user input sizes is asked for, not assumed: [`zeroed`] checks the size against
//! a budget and reserves fallibly (`Vec::try_reserve_exact`), so a request past the budget or
//! past what the allocator can give is a `TOO_LARGE` error naming what sized it — never an
//! abort (in wasm an allocation failure is a trap that poisons the instance).

use crate::error::{CrmError, Result};

/// Largest single buffer an analysis allocates from user-sized dimensions: 1 GiB, a quarter of
/// the wasm32 address space.
pub const MAX_BYTES: usize = 1 << 30;

/// A vector of `len` default values, or `TOO_LARGE` naming `field` (the option or input that
/// sized it) when it would pass [`MAX_BYTES`] or cannot be allocated.
pub fn zeroed<T: Clone + Default>(len: usize, field: &str, what: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    reserve(&mut v, len, field, what)?;
    v.resize(len, T::default());
    Ok(v)
}

/// Room for `extra` more values in `v`, or `TOO_LARGE` naming `field` when the vector would
/// pass [`MAX_BYTES`] or cannot be allocated.
pub fn reserve<T>(v: &mut Vec<T>, extra: usize, field: &str, what: &str) -> Result<()> {
    let bytes = v.len().checked_add(extra).and_then(|n| n.checked_mul(std::mem::size_of::<T>().max(1)));
    match bytes {
        Some(b) if b <= MAX_BYTES && v.try_reserve(extra).is_ok() => Ok(()),
        _ => Err(too_large(bytes, field, what)),
    }
}

/// [`reserve`] for the bytes of a `String`.
pub fn reserve_string(s: &mut String, extra: usize, field: &str, what: &str) -> Result<()> {
    match s.len().checked_add(extra) {
        Some(b) if b <= MAX_BYTES && s.try_reserve(extra).is_ok() => Ok(()),
        b => Err(too_large(b, field, what)),
    }
}

#[cold]
fn too_large(bytes: Option<usize>, field: &str, what: &str) -> CrmError {
    CrmError::too_large(
        field,
        format!(
            "{what} would need {} (at most {} MiB): use fewer rows or columns",
            bytes.map_or("more than the address space".to_string(), |b| format!("{} MiB", b.div_ceil(1 << 20))),
            MAX_BYTES >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_budget_is_an_error_not_an_abort() {
        assert_eq!(zeroed::<f64>(10, "k", "centres").unwrap(), vec![0.0; 10]);
        let e = zeroed::<f64>(usize::MAX / 2, "columns", "the feature matrix").unwrap_err();
        assert_eq!((e.code(), e.location().field.as_deref()), ("TOO_LARGE", Some("columns")));
        assert!(zeroed::<u8>(MAX_BYTES + 1, "x", "y").is_err());
        let mut v = vec![0u64; 3];
        reserve(&mut v, 5, "rows", "values").unwrap();
        assert!(v.capacity() >= 8);
        assert_eq!(reserve(&mut v, MAX_BYTES / 8, "rows", "values").unwrap_err().code(), "TOO_LARGE");
    }
}
