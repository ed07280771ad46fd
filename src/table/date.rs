//! Civil-date arithmetic (proleptic Gregorian calendar) and ISO formatting.
//!
//! The conversion between (year, month, day) and a day count uses the well-known
//! era-based algorithm published by Howard Hinnant ("chrono-compatible low-level date
//! algorithms"); it is exact for every year representable in `i32` days.

pub const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a valid civil date.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z as i64 + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

pub fn is_valid_date(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn push2(out: &mut String, v: u32) {
    out.push((b'0' + (v / 10 % 10) as u8) as char);
    out.push((b'0' + (v % 10) as u8) as char);
}

/// Appends `YYYY-MM-DD` (years outside 0..=9999 are written in full, with a sign if negative).
pub fn push_date(out: &mut String, days: i32) {
    let (y, m, d) = civil_from_days(days);
    if (0..=9999).contains(&y) {
        push2(out, y as u32 / 100);
        push2(out, y as u32 % 100);
    } else {
        out.push_str(&y.to_string());
    }
    out.push('-');
    push2(out, m);
    out.push('-');
    push2(out, d);
}

/// Appends `YYYY-MM-DDTHH:MM:SS`, with `.mmm` only when the milliseconds are not zero.
pub fn push_datetime(out: &mut String, ms: i64) {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    push_date(out, days as i32);
    out.push('T');
    push2(out, (rem / 3_600_000) as u32);
    out.push(':');
    push2(out, (rem / 60_000 % 60) as u32);
    out.push(':');
    push2(out, (rem / 1000 % 60) as u32);
    let milli = (rem % 1000) as u32;
    if milli != 0 {
        out.push('.');
        out.push((b'0' + (milli / 100) as u8) as char);
        push2(out, milli % 100);
    }
}

/// `YYYY-MM-DD`.
pub fn format_date(days: i32) -> String {
    let mut s = String::with_capacity(10);
    push_date(&mut s, days);
    s
}

/// `YYYY-MM-DDTHH:MM:SS` with `.mmm` only when the milliseconds are not zero.
pub fn format_datetime(ms: i64) -> String {
    let mut s = String::with_capacity(23);
    push_datetime(&mut s, ms);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1997, 1, 1), 9_862);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for z in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert!(is_valid_date(y, m, d));
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_date(days_from_civil(2010, 12, 1)), "2010-12-01");
        let ms = days_from_civil(2010, 12, 1) as i64 * MS_PER_DAY + (8 * 60 + 26) * 60_000;
        assert_eq!(format_datetime(ms), "2010-12-01T08:26:00");
        assert_eq!(format_datetime(-1), "1969-12-31T23:59:59.999");
        assert_eq!(format_datetime(5), "1970-01-01T00:00:00.005");
        assert_eq!(format_date(days_from_civil(-44, 3, 15)), "-44-03-15");
        assert_eq!(format_date(days_from_civil(812, 1, 2)), "0812-01-02");
        assert!(!is_valid_date(2023, 2, 29) && is_valid_date(2024, 2, 29));
    }
}
