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
    let bytes = len.checked_mul(std::mem::size_of::<T>().max(1));
    let too_large = || {
        CrmError::too_large(
            field,
            format!(
                "{what} would need {} (at most {} MiB): use fewer rows or columns",
                bytes.map_or("more than the address space".to_string(), |b| format!("{} MiB", b.div_ceil(1 << 20))),
                MAX_BYTES >> 20
            ),
        )
    };
    match bytes {
        Some(b) if b <= MAX_BYTES => {}
        _ => return Err(too_large()),
    }
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| too_large())?;
    v.resize(len, T::default());
    Ok(v)
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
    }
}
