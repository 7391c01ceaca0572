//! Support types the generated module defines for itself when it uses them, so the generated
//! code needs only `serde` and `serde_json` by default.

use super::types::{Support, TIME_KINDS, time_module, time_type};
use super::{Options, TimeCrate};
use crate::codegen::model::TimeKind;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(support: Support, time: Option<TimeCrate>) -> TokenStream {
    let mut out = TokenStream::new();
    if support.bytes {
        out.extend(bytes());
    }
    if support.decimal {
        out.extend(decimal());
    }
    if let (Some(c), true) = (time, support.times != 0 || support.date_text) {
        let modules = TIME_KINDS
            .iter()
            .enumerate()
            .filter(|(i, _)| support.times & (1 << i) != 0)
            .map(|(_, k)| time_adapter(c, *k));
        let date_text = support.date_text.then(date_text_adapter);
        out.extend(quote! {
            /// Adapters between the JSON forms of dates and times (Avro's integers, JSON
            /// Schema's `date` text) and the date/time types of the generated structs: serde's
            /// `serialize_with`, and `Read`, the decoder.
            pub mod time_serde {
                #(#modules)*
                #date_text
            }
        });
    }
    out
}

fn bytes() -> TokenStream {
    quote! {
        /// Binary data (Avro `bytes`). In JSON a string of code points 0-255, one per byte, as in
        /// Avro's JSON encoding: `[0x00, 0xFF]` is `"\u0000\u00ff"`.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        pub struct Bytes(pub Vec<u8>);

        impl From<Vec<u8>> for Bytes {
            fn from(bytes: Vec<u8>) -> Self {
                Bytes(bytes)
            }
        }

        impl From<Bytes> for Vec<u8> {
            fn from(bytes: Bytes) -> Self {
                bytes.0
            }
        }

        impl AsRef<[u8]> for Bytes {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }

        impl Serialize for Bytes {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let text: String = self.0.iter().map(|&b| char::from(b)).collect();
                serializer.serialize_str(&text)
            }
        }

        impl de::Decode for Bytes {
            const TAGS: &'static [&'static str] = &["bytes"];
            fn decode(v: &::serde_json::Value, at: &de::At<'_>) -> de::Result<Self> {
                de::bytes(v, at).map(Bytes)
            }
        }

        impl<'de> Deserialize<'de> for Bytes {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                de::deserialize(deserializer)
            }
        }
    }
}

fn decimal() -> TokenStream {
    quote! {
        /// An exact decimal number (Avro `decimal`), kept as its text, never as a binary float.
        /// In JSON a string such as `"19.99"` (an optional `-`, digits, and optionally `.` and
        /// digits), or a JSON number, read as the text serde_json writes for it. Equality compares the text (`"1.50"` and `"1.5"` differ); parse it with a decimal
        /// library to compute.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct Decimal(String);

        impl Decimal {
            /// The decimal of a text, or why the text is not one.
            pub fn new(text: impl Into<String>) -> Result<Self, String> {
                let text = text.into();
                if de::syntax::is_decimal(&text) {
                    Ok(Decimal(text))
                } else {
                    Err(format!("{text:?} is not a decimal number such as \"19.99\""))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for Decimal {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for Decimal {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                Decimal::new(text)
            }
        }

        impl Serialize for Decimal {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        /// The decoder of `decimal(P, S)`: a `Decimal` of at most `S` digits after the point
        /// and `P` in all.
        pub struct DecimalOf<const P: u64, const S: u64>;

        impl<const P: u64, const S: u64> de::Decoder for DecimalOf<P, S> {
            type Out = Decimal;
            const TAGS: &'static [&'static str] = &["bytes"];
            fn decode(&self, v: &::serde_json::Value, at: &de::At<'_>) -> de::Result<Decimal> {
                let text = de::decimal_text(v, at)?;
                if de::syntax::decimal_fits(&text, P, S) {
                    Ok(Decimal(text))
                } else {
                    Err(at.error(format!("{text} does not fit decimal({P},{S})")))
                }
            }
        }

        impl de::Decode for Decimal {
            const TAGS: &'static [&'static str] = &["bytes"];
            fn decode(v: &::serde_json::Value, at: &de::At<'_>) -> de::Result<Self> {
                de::decimal_text(v, at).map(Decimal)
            }
        }

        impl<'de> Deserialize<'de> for Decimal {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                de::deserialize(deserializer)
            }
        }
    }
}

/// One adapter module: `to_raw`/`from_raw` between the type and Avro's integer, `serialize` /
/// `deserialize` for `#[serde(with)]`, and `option` for optional fields.
fn time_adapter(c: TimeCrate, k: TimeKind) -> TokenStream {
    use TimeKind::*;
    let module = format_ident!("{}", time_module(k));
    let ty: TokenStream = time_type(c, k)
        .parse()
        .expect("date/time type names are Rust paths");
    let (raw, serialize_raw) = if k.is_int() {
        (quote!(i32), quote!(serialize_i32))
    } else {
        (quote!(i64), quote!(serialize_i64))
    };
    let (to_raw, from_raw) = match (c, k) {
        (TimeCrate::Chrono, Date) => (
            quote!(
                v.signed_duration_since(::chrono::NaiveDate::default())
                    .num_days() as i32
            ),
            quote!(
                ::chrono::NaiveDate::default()
                    .checked_add_signed(::chrono::TimeDelta::try_days(i64::from(raw))?)
            ),
        ),
        (TimeCrate::Chrono, TimeMillis) => (
            quote!(
                (v.signed_duration_since(::chrono::NaiveTime::MIN)
                    .num_milliseconds()) as i32
            ),
            quote!(Some(
                ::chrono::NaiveTime::MIN
                    .overflowing_add_signed(::chrono::TimeDelta::try_milliseconds(i64::from(raw))?)
                    .0
            )),
        ),
        (TimeCrate::Chrono, TimeMicros) => (
            quote!(
                v.signed_duration_since(::chrono::NaiveTime::MIN)
                    .num_microseconds()
                    .unwrap_or_default()
            ),
            quote!(Some(
                ::chrono::NaiveTime::MIN
                    .overflowing_add_signed(::chrono::TimeDelta::microseconds(raw))
                    .0
            )),
        ),
        (TimeCrate::Chrono, TimestampMillis) => (
            quote!(v.timestamp_millis()),
            quote!(::chrono::DateTime::from_timestamp_millis(raw)),
        ),
        (TimeCrate::Chrono, TimestampMicros) => (
            quote!(v.timestamp_micros()),
            quote!(::chrono::DateTime::from_timestamp_micros(raw)),
        ),
        (TimeCrate::Chrono, TimestampNanos) => (
            quote!(v.timestamp_nanos_opt().unwrap_or_default()),
            quote!(Some(::chrono::DateTime::from_timestamp_nanos(raw))),
        ),
        (TimeCrate::Chrono, LocalTimestampMillis) => (
            quote!(v.and_utc().timestamp_millis()),
            quote!(::chrono::DateTime::from_timestamp_millis(raw).map(|t| t.naive_utc())),
        ),
        (TimeCrate::Chrono, LocalTimestampMicros) => (
            quote!(v.and_utc().timestamp_micros()),
            quote!(::chrono::DateTime::from_timestamp_micros(raw).map(|t| t.naive_utc())),
        ),
        (TimeCrate::Chrono, LocalTimestampNanos) => (
            quote!(v.and_utc().timestamp_nanos_opt().unwrap_or_default()),
            quote!(Some(
                ::chrono::DateTime::from_timestamp_nanos(raw).naive_utc()
            )),
        ),
        (TimeCrate::Time, Date) => (
            quote!(v.to_julian_day() - 2_440_588),
            quote!(::time::Date::from_julian_day(raw.checked_add(2_440_588)?).ok()),
        ),
        (TimeCrate::Time, TimeMillis) => (
            quote!((*v - ::time::Time::MIDNIGHT).whole_milliseconds() as i32),
            quote!(Some(
                ::time::Time::MIDNIGHT + ::time::Duration::milliseconds(i64::from(raw))
            )),
        ),
        (TimeCrate::Time, TimeMicros) => (
            quote!((*v - ::time::Time::MIDNIGHT).whole_microseconds() as i64),
            quote!(Some(
                ::time::Time::MIDNIGHT + ::time::Duration::microseconds(raw)
            )),
        ),
        (TimeCrate::Time, TimestampMillis | LocalTimestampMillis) => (
            quote!((utc(v).unix_timestamp_nanos() / 1_000_000) as i64),
            quote!(local(
                ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(raw) * 1_000_000)
                    .ok()?
            )),
        ),
        (TimeCrate::Time, TimestampMicros | LocalTimestampMicros) => (
            quote!((utc(v).unix_timestamp_nanos() / 1_000) as i64),
            quote!(local(
                ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(raw) * 1_000).ok()?
            )),
        ),
        (TimeCrate::Time, TimestampNanos | LocalTimestampNanos) => (
            quote!(utc(v).unix_timestamp_nanos() as i64),
            quote!(local(
                ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(raw)).ok()?
            )),
        ),
    };
    // The `time` crate's local timestamps go through UTC.
    let local_helpers = match (c, k) {
        (TimeCrate::Time, TimestampMillis | TimestampMicros | TimestampNanos) => Some(quote! {
            fn utc(v: &#ty) -> #ty { *v }
            fn local(v: ::time::OffsetDateTime) -> Option<#ty> { Some(v) }
        }),
        (TimeCrate::Time, LocalTimestampMillis | LocalTimestampMicros | LocalTimestampNanos) => {
            Some(quote! {
                fn utc(v: &#ty) -> ::time::OffsetDateTime { v.assume_utc() }
                fn local(v: ::time::OffsetDateTime) -> Option<#ty> {
                    Some(::time::PrimitiveDateTime::new(v.date(), v.time()))
                }
            })
        }
        _ => None,
    };
    let type_name = time_type(c, k);
    let tag = if k.is_int() { "int" } else { "long" };
    let raw_decoder: TokenStream = super::types::raw_time_decoder(k)
        .parse()
        .expect("decoder names are Rust paths");
    let what = format!(" `{}` as `{type_name}`.", k.avro_name());
    quote! {
        #[doc = #what]
        pub mod #module {
            use ::serde::Serializer;

            #local_helpers

            pub fn to_raw(v: &#ty) -> #raw {
                #to_raw
            }

            pub fn from_raw(raw: #raw) -> Option<#ty> {
                #from_raw
            }

            pub fn serialize<S: Serializer>(v: &#ty, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize_raw(to_raw(v))
            }

            /// The decoder: Avro's integer or its text form, converted.
            pub struct Read;

            impl super::super::de::Decoder for Read {
                type Out = #ty;
                const TAGS: &'static [&'static str] = &[#tag];
                fn decode(&self, v: &::serde_json::Value, at: &super::super::de::At<'_>) -> super::super::de::Result<#ty> {
                    let raw = super::super::de::read(super::super::#raw_decoder, v, at)?;
                    from_raw(raw).ok_or_else(|| at.error(format!("{raw} is out of range for {}", #type_name)))
                }
            }

            pub mod option {
                use ::serde::Serializer;

                pub fn serialize<S: Serializer>(v: &Option<#ty>, serializer: S) -> Result<S::Ok, S::Error> {
                    match v {
                        Some(v) => super::serialize(v, serializer),
                        None => serializer.serialize_none(),
                    }
                }

            }
        }
    }
}

/// JSON Schema `format: date` as `time::Date` (the `time` crate's serde writes no `YYYY-MM-DD`).
fn date_text_adapter() -> TokenStream {
    quote! {
        /// JSON Schema `format: date` (`YYYY-MM-DD`) as `time::Date`.
        pub mod date_text {
            use ::serde::Serializer;

            /// The date of a `YYYY-MM-DD` text, as `evreg validate` reads it.
            pub fn parse(text: &str) -> Option<::time::Date> {
                super::super::de::time_date(text)
            }

            pub fn serialize<S: Serializer>(v: &::time::Date, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(&format_args!(
                    "{:04}-{:02}-{:02}",
                    v.year(),
                    u8::from(v.month()),
                    v.day()
                ))
            }

            pub mod option {
                use ::serde::Serializer;

                pub fn serialize<S: Serializer>(v: &Option<::time::Date>, serializer: S) -> Result<S::Ok, S::Error> {
                    match v {
                        Some(v) => super::serialize(v, serializer),
                        None => serializer.serialize_none(),
                    }
                }
            }
        }
    }
}

/// The generated module's `de` module: the decoders (`runtime.rs`) with the text formats
/// `evreg validate` checks (`schema/syntax.rs`), verbatim, and decoders for the optional
/// crates' types the options ask for.
pub fn runtime(options: &Options) -> String {
    const RUNTIME: &str = include_str!("runtime.rs");
    const SYNTAX: &str = include_str!("../../schema/syntax.rs");
    let syntax = format!("pub mod syntax {{\n{}}}", indent(SYNTAX));
    let mut body = RUNTIME.replace("pub use crate::validate::syntax;", &syntax);
    if options.uuid {
        body.push_str(UUID);
    }
    if options.rust_decimal {
        body.push_str(RUST_DECIMAL);
    }
    match options.time {
        Some(TimeCrate::Chrono) => body.push_str(CHRONO),
        Some(TimeCrate::Time) => body.push_str(TIME),
        None => {}
    }
    format!("\npub mod de {{\n{}}}\n", indent(&body))
}

fn indent(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

const UUID: &str = r#"
/// A UUID as `uuid::Uuid`.
pub struct Uuid;
decoder!(Uuid, ::uuid::Uuid, ["string"], |v, at| {
    let text = UuidText.decode(v, at)?;
    ::uuid::Uuid::parse_str(&text).map_err(|e| at.error(e.to_string()))
});
"#;

const RUST_DECIMAL: &str = r#"
/// `decimal(P, S)` as `rust_decimal::Decimal`.
pub struct RustDecimal<const P: u64, const S: u64>;

impl<const P: u64, const S: u64> Decoder for RustDecimal<P, S> {
    type Out = ::rust_decimal::Decimal;
    const TAGS: &'static [&'static str] = &["bytes"];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<::rust_decimal::Decimal> {
        let text = decimal_text(v, at)?;
        if !syntax::decimal_fits(&text, P, S) {
            return Err(at.error(format!("{text} does not fit decimal({P},{S})")));
        }
        text.parse().map_err(|e| at.error(format!("{text}: {e}")))
    }
}
"#;

const CHRONO: &str = r#"
/// An RFC 3339 date-time as `chrono::DateTime<FixedOffset>`.
pub struct ChronoDateTime;
decoder!(ChronoDateTime, ::chrono::DateTime<::chrono::FixedOffset>, [], |v, at| {
    let text = DateTimeText.decode(v, at)?;
    ::chrono::DateTime::parse_from_rfc3339(&text).map_err(|e| at.error(format!("{text}: {e}")))
});

/// A `YYYY-MM-DD` date as `chrono::NaiveDate`.
pub struct ChronoDate;
decoder!(ChronoDate, ::chrono::NaiveDate, [], |v, at| {
    let text = DateText.decode(v, at)?;
    text.parse().map_err(|e| at.error(format!("{text}: {e}")))
});
"#;

const TIME: &str = r#"
/// An RFC 3339 date-time as `time::OffsetDateTime`.
pub struct TimeDateTime;
decoder!(TimeDateTime, ::time::OffsetDateTime, [], |v, at| {
    let text = DateTimeText.decode(v, at)?;
    ::time::OffsetDateTime::parse(&text, &::time::format_description::well_known::Rfc3339)
        .map_err(|e| at.error(format!("{text}: {e}")))
});

/// The `time::Date` of a `YYYY-MM-DD` text (days from the same check `DateText` makes).
pub fn time_date(text: &str) -> Option<::time::Date> {
    let days = i32::try_from(syntax::parse_date(text)?).ok()?;
    ::time::Date::from_julian_day(days.checked_add(2_440_588)?).ok()
}

/// A `YYYY-MM-DD` date as `time::Date`.
pub struct TimeDate;
decoder!(TimeDate, ::time::Date, [], |v, at| {
    let text = DateText.decode(v, at)?;
    time_date(&text).ok_or_else(|| at.error(format!("{text} is out of range for time::Date")))
});
"#;

#[cfg(test)]
mod tests {
    use super::super::runtime::{self as de, Decoder};
    use serde_json::json;

    #[test]
    fn errors_name_the_place_with_json_pointer_escapes() {
        let root = de::At::Root;
        let payload = root.key("payload");
        let odd = payload.key("a/b~c");
        let at = odd.index(3);
        let e = de::Int.decode(&json!("1"), &at).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/payload/a~1b~0c/3: expected i32, found string \"1\""
        );
    }

    #[test]
    fn avro_unions_read_bare_and_wrapped_values() {
        let at = de::At::Root;
        let opt = de::Opt(de::Str);
        assert_eq!(
            opt.decode(&json!({"string": "gift"}), &at),
            Ok(Some("gift".into()))
        );
        assert_eq!(opt.decode(&json!("gift"), &at), Ok(Some("gift".into())));
        assert_eq!(opt.decode(&json!({"null": null}), &at), Ok(None));
        assert_eq!(opt.decode(&json!(null), &at), Ok(None));
        let e = opt.decode(&json!({"string": 5}), &at).unwrap_err();
        assert_eq!(e.pointer, "/string");
        // JSON Schema's nullable reads no wrapping.
        assert!(
            de::Nullable(de::Str)
                .decode(&json!({"string": "gift"}), &at)
                .is_err()
        );
    }

    #[test]
    fn the_emitted_module_carries_the_validator_format_checks() {
        let text = super::runtime(&Default::default());
        assert!(text.contains("pub mod syntax {"));
        assert!(text.contains("pub fn parse_rfc3339("));
        assert!(!text.contains("crate::validate"));
    }
}
