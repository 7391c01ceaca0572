//! The textual formats events carry: UUIDs, RFC 3339 date-times, dates, times and decimals.

pub use super::syntax::{is_decimal, is_uuid, parse_date, parse_rfc3339, parse_time};

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

    /// The generated code's check (`syntax::decimal_fits`) and `evreg validate`'s agree.
    #[test]
    fn the_generated_decimal_check_agrees() {
        for text in [
            "19.99",
            "-0.5",
            "19.999",
            "1234567",
            "12345678",
            "0001.5",
            "-",
            "",
            "1.",
            ".5",
            "1e5",
            "+1",
            "0",
            "-0.00",
            "9999999.99",
            "99999999.9",
        ] {
            for (p, s) in [(9, 2), (3, 0), (1, 1), (12, 2)] {
                assert_eq!(
                    check_decimal(text, p, s).is_ok(),
                    super::super::syntax::decimal_fits(text, p, s),
                    "{text} in decimal({p},{s})"
                );
            }
        }
    }
}
