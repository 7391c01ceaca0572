//! The textual formats events carry: UUIDs, RFC 3339 date-times, dates, times and decimals.

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `YYYY-MM-DD`, a real calendar date; returns days since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let (y, rest) = s.split_at_checked(4)?;
    let y = i64::from(digits(y, 4)?);
    let rest = rest.strip_prefix('-')?;
    let (m, d) = rest.split_once('-')?;
    let (m, d) = (digits(m, 2)?, digits(d, 2)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * i64::from(m) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `HH:MM:SS[.frac]`; returns nanoseconds since midnight (a leap second counts as :59.999…).
pub fn parse_time(s: &str) -> Option<i64> {
    let (hms, frac) = match s.split_once('.') {
        Some((a, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (a, f),
        Some(_) => return None,
        None => (s, ""),
    };
    let mut parts = hms.split(':');
    let (h, m, sec) = (
        digits(parts.next()?, 2)?,
        digits(parts.next()?, 2)?,
        digits(parts.next()?, 2)?,
    );
    if parts.next().is_some() || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let nanos: i64 = format!("{frac:0<9}").get(..9)?.parse().ok()?;
    Some(((i64::from(h) * 60 + i64::from(m)) * 60 + i64::from(sec.min(59))) * 1_000_000_000 + nanos)
}

/// An RFC 3339 date-time (`2026-11-25T08:30:00Z`, `…+01:00`, fractional seconds); returns
/// nanoseconds since the epoch, so two timestamps compare whatever their offsets.
pub fn parse_rfc3339(s: &str) -> Option<i128> {
    let (date, rest) = s.split_at_checked(10)?;
    let days = parse_date(date)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (time, offset_minutes) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0i64)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (t, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (h, m) = off[1..].split_once(':')?;
        let (h, m) = (digits(h, 2)?, digits(m, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        (t, sign * (i64::from(h) * 60 + i64::from(m)))
    };
    let nanos = parse_time(time)?;
    Some(
        (i128::from(days) * 86_400 - i128::from(offset_minutes) * 60) * 1_000_000_000
            + i128::from(nanos),
    )
}

/// A decimal number as text (`-19.99`, `5`): its digits and scale, if it fits `precision` digits
/// with at most `scale` after the point.
pub fn check_decimal(s: &str, precision: u64, scale: u64) -> Result<(), String> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (body.contains('.') && frac.is_empty())
    {
        return Err(format!(
            "{} is not a decimal number",
            crate::suggest::quote(s)
        ));
    }
    if frac.len() as u64 > scale {
        return Err(format!(
            "`{s}` has {} digits after the point; the scale is {scale}",
            frac.len()
        ));
    }
    let int_digits = int.trim_start_matches('0').len() as u64;
    if int_digits + scale > precision {
        return Err(format!(
            "`{s}` has {int_digits} digits before the point; decimal({precision},{scale}) allows {}",
            precision - scale
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"));
        assert!(!is_uuid("3f2a1c9e8b7d4e6f9a0b1c2d3e4f5a6b"));
        assert!(!is_uuid("3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6g"));
    }

    #[test]
    fn timestamps_compare_across_offsets() {
        let a = parse_rfc3339("2026-11-25T08:30:00Z").unwrap();
        let b = parse_rfc3339("2026-11-25T09:30:00+01:00").unwrap();
        assert_eq!(a, b);
        assert!(parse_rfc3339("2026-11-25T08:30:00.250Z").unwrap() > a);
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-11-25T25:00:00Z",
            "2026-11-25",
            "2026-11-25T08:30:00",
            "yesterday",
            "2026-11-25T08:30:00+1:00",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
    }

    #[test]
    fn decimals_respect_precision_and_scale() {
        assert!(check_decimal("19.99", 12, 2).is_ok());
        assert!(check_decimal("-0.5", 3, 2).is_ok());
        assert!(check_decimal("19.999", 12, 2).is_err());
        assert!(check_decimal("12345678901", 12, 2).is_err());
        assert!(check_decimal("1e5", 12, 2).is_err());
        assert!(check_decimal("1.", 12, 2).is_err());
    }
}
