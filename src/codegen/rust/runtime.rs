//! Decoding JSON events into the generated types, as the generated module's `de` module (this
//! file is emitted verbatim; evreg compiles it in its own tests). It accepts exactly the JSON
//! forms `evreg validate` accepts for each schema construct (README: "What an event may carry"),
//! and an error names the place: `/payload/lines/0/quantity: expected i32, found string "1"`.
//!
//! A decoder is a value whose type says how a schema construct reads (`Long`, `Timestamp<1000>`,
//! `Opt(Str)`, `of::<OrderPlacedV1Line>()`): the Rust type alone cannot say it, an `i64` being a
//! long, an epoch timestamp or a JSON Schema integer.

use ::serde_json::Value;
use ::std::collections::BTreeMap;
use ::std::marker::PhantomData;

pub use crate::validate::syntax;

/// Where a value is in the event, kept as a chain of references and written out only for an
/// error.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }
    pub fn index(&'a self, index: usize) -> At<'a> {
        At::Index(self, index)
    }
    /// The JSON pointer of the place (`/payload/lines/0`).
    pub fn pointer(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(parent, key) => {
                format!(
                    "{}/{}",
                    parent.pointer(),
                    key.replace('~', "~0").replace('/', "~1")
                )
            }
            At::Index(parent, i) => format!("{}/{i}", parent.pointer()),
        }
    }
    /// An error at this place.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error {
            pointer: self.pointer(),
            message: message.into(),
        }
    }
    /// `expected {what}, found {the value}` at this place.
    pub fn expected(&self, what: &str, found: &Value) -> Error {
        self.error(format!("expected {what}, found {}", describe(found)))
    }
}

/// Why a value does not decode, and where it is (a JSON pointer into the event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub pointer: String,
    pub message: String,
}

impl ::std::fmt::Display for Error {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

impl ::std::error::Error for Error {}

pub type Result<T> = ::std::result::Result<T, Error>;

/// A value as an error shows it: `string "1"`, `number 1.5`, `an object`.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            let short: String = s.chars().take(40).collect();
            format!("string {short:?}…")
        }
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// How one schema construct reads from JSON.
pub trait Decoder {
    type Out;
    /// The names a union branch of this type goes by in Avro's JSON encoding
    /// (`{"string": "gift"}`).
    const TAGS: &'static [&'static str];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<Self::Out>;
}

/// A generated type, which decodes itself.
pub trait Decode: Sized {
    const TAGS: &'static [&'static str];
    fn decode(v: &Value, at: &At<'_>) -> Result<Self>;
}

/// The decoder of a generated type.
pub struct Of<T>(PhantomData<fn() -> T>);

pub const fn of<T>() -> Of<T> {
    Of(PhantomData)
}

impl<T: Decode> Decoder for Of<T> {
    type Out = T;
    const TAGS: &'static [&'static str] = T::TAGS;
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<T> {
        T::decode(v, at)
    }
}

/// Decode a whole value: the root of a payload is at `at`.
pub fn decode<T: Decode>(v: &Value, at: &At<'_>) -> Result<T> {
    T::decode(v, at)
}

macro_rules! decoder {
    ($name:ident, $out:ty, [$($tag:literal),*], |$v:ident, $at:ident| $body:expr) => {
        impl Decoder for $name {
            type Out = $out;
            const TAGS: &'static [&'static str] = &[$($tag),*];
            fn decode(&self, $v: &Value, $at: &At<'_>) -> Result<$out> {
                $body
            }
        }
    };
}

/// JSON `null`.
pub struct Null;
decoder!(Null, (), ["null"], |v, at| match v {
    Value::Null => Ok(()),
    _ => Err(at.expected("null", v)),
});

pub struct Bool;
decoder!(Bool, bool, ["boolean"], |v, at| v
    .as_bool()
    .ok_or_else(|| at.expected("a boolean", v)));

fn whole(v: &Value, at: &At<'_>, what: &str, min: i64, max: i64) -> Result<i64> {
    match v.as_i64() {
        Some(n) if n >= min && n <= max => Ok(n),
        Some(n) => Err(at.error(format!("{n} is out of range for {what}"))),
        None => Err(at.expected(what, v)),
    }
}

/// Avro `int`.
pub struct Int;
decoder!(Int, i32, ["int"], |v, at| whole(
    v,
    at,
    "i32",
    i32::MIN.into(),
    i32::MAX.into()
)
.map(|n| n as i32));

/// Avro `long`.
pub struct Long;
decoder!(Long, i64, ["long"], |v, at| whole(
    v,
    at,
    "i64",
    i64::MIN,
    i64::MAX
));

/// JSON Schema `integer`: a number with no fraction (`2.0` is one), as an `i64`.
pub struct Integer;
decoder!(Integer, i64, [], |v, at| match v {
    Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
    Value::Number(n)
        if n.as_f64()
            .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18) =>
    {
        Ok(n.as_f64().unwrap_or_default() as i64)
    }
    _ => Err(at.expected("an integer (i64)", v)),
});

/// Avro's non-finite floats, written as strings.
fn non_finite(v: &Value) -> Option<f64> {
    match v.as_str()? {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Avro `float`: a number within ±3.4e38, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub struct Float;
decoder!(
    Float,
    f32,
    ["float"],
    |v, at| match v.as_f64().or_else(|| non_finite(v)) {
        Some(f) if f.is_finite() && f.abs() > f64::from(f32::MAX) => Err(at.error(format!(
            "{v} is beyond the range of a float (32-bit, ±3.4e38)"
        ))),
        Some(f) => Ok(f as f32),
        None => Err(at.expected("a number (f32)", v)),
    }
);

/// Avro `double`: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub struct Double;
decoder!(Double, f64, ["double"], |v, at| v
    .as_f64()
    .or_else(|| non_finite(v))
    .ok_or_else(|| at.expected("a number (f64)", v)));

/// JSON Schema `number`.
pub struct Number;
decoder!(Number, f64, [], |v, at| v
    .as_f64()
    .ok_or_else(|| at.expected("a number (f64)", v)));

/// A string.
pub struct Str;
decoder!(Str, String, ["string"], |v, at| v
    .as_str()
    .map(str::to_string)
    .ok_or_else(|| at.expected("a string", v)));

/// Any JSON value.
pub struct Any;
decoder!(Any, Value, [], |v, _at| Ok(v.clone()));

/// Binary data: a string of code points 0-255, one per byte (Avro's JSON encoding).
pub fn bytes(v: &Value, at: &At<'_>) -> Result<::std::vec::Vec<u8>> {
    let s = v
        .as_str()
        .ok_or_else(|| at.expected("bytes (a string)", v))?;
    s.chars()
        .map(|c| {
            u8::try_from(c).map_err(|_| {
                at.error(format!(
                    "{c:?} is not a byte: bytes are written as code points 0-255"
                ))
            })
        })
        .collect()
}

/// Avro `fixed` of `size` bytes.
pub fn fixed(v: &Value, at: &At<'_>, size: usize) -> Result<::std::vec::Vec<u8>> {
    let b = bytes(v, at)?;
    if b.len() == size {
        Ok(b)
    } else {
        Err(at.error(format!("expected {size} bytes, found {}", b.len())))
    }
}

/// An exact decimal's text: a string (`"19.99"`) or a JSON number (`19.99`, written back as
/// serde_json writes it). Precision and scale are checked by `evreg validate` only.
pub fn decimal_text(v: &Value, at: &At<'_>) -> Result<String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(at.expected("a decimal (a string such as \"19.99\")", v)),
    };
    if syntax::is_decimal(&text) {
        Ok(text)
    } else {
        Err(at.error(format!(
            "{text:?} is not a decimal number such as \"19.99\""
        )))
    }
}

/// A UUID's text (`8-4-4-4-12` hexadecimal digits).
pub struct UuidText;
decoder!(UuidText, String, ["string"], |v, at| match v.as_str() {
    Some(s) if syntax::is_uuid(s) => Ok(s.to_string()),
    Some(s) => Err(at.error(format!("{s:?} is not a UUID"))),
    None => Err(at.expected("a UUID string", v)),
});

/// JSON Schema `format: date-time`: an RFC 3339 date-time's text.
pub struct DateTimeText;
decoder!(DateTimeText, String, [], |v, at| match v.as_str() {
    Some(s) if syntax::parse_rfc3339(s).is_some() => Ok(s.to_string()),
    Some(s) => Err(at.error(format!("{s:?} is not an RFC 3339 date-time"))),
    None => Err(at.expected("an RFC 3339 date-time string", v)),
});

/// JSON Schema `format: date`: a `YYYY-MM-DD` date's text.
pub struct DateText;
decoder!(DateText, String, [], |v, at| match v.as_str() {
    Some(s) if syntax::parse_date(s).is_some() => Ok(s.to_string()),
    Some(s) => Err(at.error(format!("{s:?} is not a date (YYYY-MM-DD)"))),
    None => Err(at.expected("a date string (YYYY-MM-DD)", v)),
});

/// Avro `date`: days since 1970-01-01, or `YYYY-MM-DD`.
pub struct Date;
decoder!(Date, i32, ["int"], |v, at| match v {
    Value::String(s) => syntax::parse_date(s)
        .and_then(|d| i32::try_from(d).ok())
        .ok_or_else(|| at.error(format!("{s:?} is not a date (YYYY-MM-DD)"))),
    _ => whole(
        v,
        at,
        "a date (days since 1970-01-01 or YYYY-MM-DD)",
        i32::MIN.into(),
        i32::MAX.into()
    )
    .map(|n| n as i32),
});

/// Avro `time-millis` / `time-micros` (`UNITS` a second): after midnight, as a number or
/// `HH:MM:SS[.fraction]`.
pub struct TimeOfDay<const UNITS: i64>;

impl<const UNITS: i64> TimeOfDay<UNITS> {
    fn units(v: &Value, at: &At<'_>) -> Result<i64> {
        match v {
            Value::String(s) => syntax::parse_time(s)
                .map(|nanos| nanos / (1_000_000_000 / UNITS))
                .ok_or_else(|| at.error(format!("{s:?} is not a time of day (HH:MM:SS)"))),
            _ => whole(v, at, "a time of day", 0, 86_400 * UNITS - 1),
        }
    }
}

impl Decoder for TimeOfDay<1_000> {
    type Out = i32;
    const TAGS: &'static [&'static str] = &["int"];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<i32> {
        Self::units(v, at).map(|n| n as i32)
    }
}

impl Decoder for TimeOfDay<1_000_000> {
    type Out = i64;
    const TAGS: &'static [&'static str] = &["long"];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<i64> {
        Self::units(v, at)
    }
}

/// Avro's timestamps (`UNITS` a second, UTC or local): a number, or an RFC 3339 date-time
/// that fits an `i64` of those units.
pub struct Timestamp<const UNITS: i64>;

impl<const UNITS: i64> Decoder for Timestamp<UNITS> {
    type Out = i64;
    const TAGS: &'static [&'static str] = &["long"];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<i64> {
        match v {
            Value::String(s) => match syntax::parse_rfc3339(s) {
                Some(nanos) => i64::try_from(nanos.div_euclid(i128::from(1_000_000_000 / UNITS)))
                    .map_err(|_| at.error(format!("{s:?} is out of range for the timestamp"))),
                None => Err(at.error(format!("{s:?} is not an RFC 3339 timestamp"))),
            },
            _ => whole(
                v,
                at,
                "a timestamp (epoch units or RFC 3339)",
                i64::MIN,
                i64::MAX,
            ),
        }
    }
}

/// Why a value is not a symbol of an enum (`symbols` listed as the message shows them).
pub fn not_symbol(v: &Value, at: &At<'_>, symbols: &str) -> Error {
    match v.as_str() {
        Some(s) => at.error(format!("{s:?} is not one of {symbols}")),
        None => at.expected("an enum symbol string", v),
    }
}

/// Decode with `d`.
pub fn read<D: Decoder>(d: D, v: &Value, at: &At<'_>) -> Result<D::Out> {
    d.decode(v, at)
}

/// A union value in Avro's JSON encoding for the branch `d` reads (`{"string": "gift"}`):
/// the branch's value, or None when `v` is not wrapped for that branch.
pub fn wrapped<D: Decoder>(d: D, v: &Value, at: &At<'_>) -> Option<Result<D::Out>> {
    let (k, x) = tagged(v, D::TAGS)?;
    Some(d.decode(x, &at.key(k)))
}

/// A value no branch of a union reads.
pub fn no_branch(v: &Value, at: &At<'_>, branches: &str) -> Error {
    at.error(format!("{} fits no branch of [{branches}]", describe(v)))
}

/// serde's entry: read JSON, then decode it.
pub fn deserialize<'de, T: Decode, D: ::serde::Deserializer<'de>>(
    deserializer: D,
) -> ::std::result::Result<T, D::Error> {
    let v = <Value as ::serde::Deserialize>::deserialize(deserializer)?;
    T::decode(&v, &At::Root).map_err(<D::Error as ::serde::de::Error>::custom)
}

/// Envelope: a string with something besides white space.
pub struct NonEmpty;
decoder!(NonEmpty, String, [], |v, at| match v.as_str() {
    Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
    Some(_) => Err(at.error("must not be empty")),
    None => Err(at.expected("a string", v)),
});

/// Envelope: a URI reference (not empty, no white space).
pub struct UriRef;
decoder!(UriRef, String, [], |v, at| match v.as_str() {
    Some(s) if !s.is_empty() && !s.contains(char::is_whitespace) => Ok(s.to_string()),
    _ => Err(at.expected("a URI reference", v)),
});

/// Envelope: exactly this string.
pub struct Const(pub &'static str);

impl Decoder for Const {
    type Out = String;
    const TAGS: &'static [&'static str] = &[];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<String> {
        match v.as_str() {
            Some(s) if s == self.0 => Ok(s.to_string()),
            _ => Err(at.expected(&format!("{:?}", self.0), v)),
        }
    }
}

/// Envelope: a whole number of at least `MIN`.
pub struct AtLeast<const MIN: u64>;

impl<const MIN: u64> Decoder for AtLeast<MIN> {
    type Out = u64;
    const TAGS: &'static [&'static str] = &[];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<u64> {
        match v.as_u64() {
            Some(n) if n >= MIN => Ok(n),
            _ => Err(at.expected(&format!("a whole number from {MIN}"), v)),
        }
    }
}

/// Envelope: a version number (a whole number from 1).
pub struct Version;
decoder!(Version, u32, [], |v, at| match v.as_u64() {
    Some(n) if n >= 1 => u32::try_from(n).map_err(|_| at.error(format!("no version {n}"))),
    _ => Err(at.expected("a version number (a whole number from 1)", v)),
});

/// Are two RFC 3339 date-times, where both are, in order (`first` not after `then`)?
pub fn in_order(first: Option<&Value>, then: Option<&Value>) -> bool {
    let time = |v: Option<&Value>| v.and_then(Value::as_str).and_then(syntax::parse_rfc3339);
    match (time(first), time(then)) {
        (Some(a), Some(b)) => a <= b,
        _ => true,
    }
}

/// An array.
pub struct Vec<D>(pub D);

impl<D: Decoder> Decoder for Vec<D> {
    type Out = ::std::vec::Vec<D::Out>;
    const TAGS: &'static [&'static str] = &["array"];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<Self::Out> {
        let items = v.as_array().ok_or_else(|| at.expected("an array", v))?;
        items
            .iter()
            .enumerate()
            .map(|(i, x)| self.0.decode(x, &at.index(i)))
            .collect()
    }
}

/// An object of string keys and values alike.
pub struct Map<D>(pub D);

impl<D: Decoder> Decoder for Map<D> {
    type Out = BTreeMap<String, D::Out>;
    const TAGS: &'static [&'static str] = &["map"];
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<Self::Out> {
        let m = v
            .as_object()
            .ok_or_else(|| at.expected("an object (a map)", v))?;
        m.iter()
            .map(|(k, x)| Ok((k.clone(), self.0.decode(x, &at.key(k))?)))
            .collect()
    }
}

/// A value held in a `Box` (a recursive type).
pub struct Boxed<D>(pub D);

impl<D: Decoder> Decoder for Boxed<D> {
    type Out = Box<D::Out>;
    const TAGS: &'static [&'static str] = D::TAGS;
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<Self::Out> {
        self.0.decode(v, at).map(Box::new)
    }
}

/// JSON Schema: `null`, or a value.
pub struct Nullable<D>(pub D);

impl<D: Decoder> Decoder for Nullable<D> {
    type Out = Option<D::Out>;
    const TAGS: &'static [&'static str] = D::TAGS;
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<Self::Out> {
        match v {
            Value::Null => Ok(None),
            _ => self.0.decode(v, at).map(Some),
        }
    }
}

/// The one member of an object that wraps a union value in Avro's JSON encoding
/// (`{"string": "gift"}`), if `v` is such an object and its key is one of `tags`.
pub fn tagged<'v>(v: &'v Value, tags: &[&str]) -> Option<(&'v str, &'v Value)> {
    match v.as_object() {
        Some(m) if m.len() == 1 => m
            .iter()
            .next()
            .filter(|(k, _)| tags.contains(&k.as_str()))
            .map(|(k, x)| (k.as_str(), x)),
        _ => None,
    }
}

/// Avro `["null", T]`: `null`, a value bare, or wrapped as in Avro's JSON encoding
/// (`{"null": null}`, `{"string": "gift"}`).
pub struct Opt<D>(pub D);

impl<D: Decoder> Decoder for Opt<D> {
    type Out = Option<D::Out>;
    const TAGS: &'static [&'static str] = D::TAGS;
    fn decode(&self, v: &Value, at: &At<'_>) -> Result<Self::Out> {
        if let Some((k, x)) = tagged(v, &["null"]) {
            return Null.decode(x, &at.key(k)).map(|()| None);
        }
        if let Some((k, x)) = tagged(v, D::TAGS) {
            return self.0.decode(x, &at.key(k)).map(Some);
        }
        match v {
            Value::Null => Ok(None),
            _ => self.0.decode(v, at).map(Some),
        }
    }
}

/// The members of an object being read as a record or struct: each field is asked for once,
/// and `end` says whether a member no field asked for is an error.
pub struct Record<'v, 'a> {
    members: &'v ::serde_json::Map<String, Value>,
    at: &'a At<'a>,
    asked: ::std::cell::RefCell<::std::vec::Vec<&'static str>>,
}

impl<'v, 'a> Record<'v, 'a> {
    pub fn new(v: &'v Value, at: &'a At<'a>, what: &str) -> Result<Self> {
        match v.as_object() {
            Some(members) => Ok(Record {
                members,
                at,
                asked: Default::default(),
            }),
            None => Err(at.expected(&format!("an object ({what})"), v)),
        }
    }

    fn get<D: Decoder>(&self, name: &'static str, d: D) -> Option<Result<D::Out>> {
        self.asked.borrow_mut().push(name);
        let (k, x) = self.members.get_key_value(name)?;
        Some(d.decode(x, &self.at.key(k)))
    }

    /// A field the object must have.
    pub fn req<D: Decoder>(&self, name: &'static str, d: D) -> Result<D::Out> {
        self.get(name, d)
            .unwrap_or_else(|| Err(self.at.error(format!("field `{name}` is missing"))))
    }

    /// A field that takes the schema's default when absent.
    pub fn or<D: Decoder>(
        &self,
        name: &'static str,
        d: D,
        default: fn() -> D::Out,
    ) -> Result<D::Out> {
        self.get(name, d).unwrap_or_else(|| Ok(default()))
    }

    /// A field that is `None` when absent (Avro: a `null` default).
    pub fn or_none<T, D: Decoder<Out = Option<T>>>(
        &self,
        name: &'static str,
        d: D,
    ) -> Result<Option<T>> {
        self.get(name, d).unwrap_or(Ok(None))
    }

    /// A JSON Schema property that is not required: `None` when absent.
    pub fn opt<D: Decoder>(&self, name: &'static str, d: D) -> Result<Option<D::Out>> {
        self.get(name, d).transpose()
    }

    /// No members besides the fields asked for (a closed record: every Avro record, a JSON
    /// Schema object with `additionalProperties: false`, the default envelope).
    pub fn end(&self) -> Result<()> {
        let asked = self.asked.borrow();
        match self.members.keys().find(|k| !asked.contains(&k.as_str())) {
            Some(k) => Err(self.at.key(k).error(format!("`{k}` is not a field"))),
            None => Ok(()),
        }
    }
}

/// Writing values whose serde form is not the JSON the event needs: an encoder is a type that
/// says how (`en::Vec<en::Double>`), and a field, variant or newtype that holds one names it
/// with `#[serde(serialize_with = "de::en::ser::<…, _>")]`. The rest derive `Serialize`.
pub mod en {
    use ::serde::ser::{Serialize, Serializer};
    use ::std::marker::PhantomData;

    pub trait Encode {
        type In;
        fn encode<S: Serializer>(v: &Self::In, s: S) -> ::std::result::Result<S::Ok, S::Error>;
    }

    /// For `serialize_with`: `v` written as `E` says.
    pub fn ser<E: Encode, S: Serializer>(
        v: &E::In,
        s: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        E::encode(v, s)
    }

    /// A value written through its encoder, for the containers.
    struct By<'a, E: Encode>(&'a E::In);

    impl<E: Encode> Serialize for By<'_, E> {
        fn serialize<S: Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            E::encode(self.0, s)
        }
    }

    /// Avro `double`: NaN and the infinities as the strings Avro's JSON encoding uses (serde_json
    /// would write `null`, which no `double` reads).
    pub struct Double;

    impl Encode for Double {
        type In = f64;
        fn encode<S: Serializer>(v: &f64, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            match *v {
                f if f.is_nan() => s.serialize_str("NaN"),
                f64::INFINITY => s.serialize_str("Infinity"),
                f64::NEG_INFINITY => s.serialize_str("-Infinity"),
                f => s.serialize_f64(f),
            }
        }
    }

    /// Avro `float`, as `Double`.
    pub struct Float;

    impl Encode for Float {
        type In = f32;
        fn encode<S: Serializer>(v: &f32, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            if v.is_finite() {
                s.serialize_f32(*v)
            } else {
                Double::encode(&f64::from(*v), s)
            }
        }
    }

    pub struct Opt<E>(PhantomData<E>);

    impl<E: Encode> Encode for Opt<E> {
        type In = Option<E::In>;
        fn encode<S: Serializer>(v: &Self::In, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            match v {
                Some(v) => E::encode(v, s),
                None => s.serialize_none(),
            }
        }
    }

    pub struct Vec<E>(PhantomData<E>);

    impl<E: Encode> Encode for Vec<E> {
        type In = ::std::vec::Vec<E::In>;
        fn encode<S: Serializer>(v: &Self::In, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            s.collect_seq(v.iter().map(By::<E>))
        }
    }

    pub struct Map<E>(PhantomData<E>);

    impl<E: Encode> Encode for Map<E> {
        type In = ::std::collections::BTreeMap<String, E::In>;
        fn encode<S: Serializer>(v: &Self::In, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            s.collect_map(v.iter().map(|(k, v)| (k, By::<E>(v))))
        }
    }

    pub struct Boxed<E>(PhantomData<E>);

    impl<E: Encode> Encode for Boxed<E> {
        type In = Box<E::In>;
        fn encode<S: Serializer>(v: &Self::In, s: S) -> ::std::result::Result<S::Ok, S::Error> {
            E::encode(v, s)
        }
    }
}
