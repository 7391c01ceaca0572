//! The text formats events carry, checked without any dependency: UUIDs, RFC 3339 date-times,
//! dates and times of day. `evreg validate` uses these functions, and the generated Rust module
//! carries this file verbatim (`de::syntax`), so both accept exactly the same text.

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

pub fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
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

/// `-?digits(.digits)?`: the text of a decimal number (`-19.99`, `5`), whatever its precision.
pub fn is_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Does decimal text (`is_decimal`) fit `decimal(precision, scale)`: at most `scale` digits after
/// the point, and at most `precision - scale` before it (leading zeros aside)?
pub fn decimal_fits(s: &str, precision: u64, scale: u64) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    is_decimal(s)
        && frac.len() as u64 <= scale
        && int.trim_start_matches('0').len() as u64 + scale <= precision
}
