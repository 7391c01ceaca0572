//! The event side: `Envelope<P>` from the configured envelope's fields, `DecodeError`, one enum
//! per subject over its versions, and `AnyEvent` over every subject, routed by event type and
//! version.

use super::text::{Expr, Writer, string_literal, wl};
use super::types::{doc_attrs, ident};
use super::{Options, TimeCrate};
use crate::codegen::names::{Scope, snake};
use crate::envelope::{Envelope, Kind, Role};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A subject as the event side sees it.
pub struct SubjectItem {
    pub subject: String,
    /// The subject enum's name, also its `AnyEvent` variant.
    pub name: String,
    pub doc: Option<String>,
    /// (version number, payload type name), in order.
    pub versions: Vec<(u32, String)>,
    /// Versions whose payload converts into the latest one's (`From`).
    pub upgrades_to_latest: bool,
    /// Per step from a version to the next: does evreg derive it (`From`)?
    pub steps: Vec<bool>,
}

/// One envelope field as generated: (Rust name, JSON name, role, required, type, serde adapter).
type GenField = (Ident, String, Role, bool, TokenStream, Option<String>);

/// The envelope's fields as generated, and the decoder of each.
pub struct EnvelopeFields {
    fields: Vec<GenField>,
    decoders: Vec<TokenStream>,
}

impl EnvelopeFields {
    pub fn new(envelope: &Envelope, options: &Options) -> EnvelopeFields {
        let mut scope = Scope::default();
        let fields = envelope
            .fields
            .iter()
            .map(|f| {
                let name = ident(&scope.take(&[snake(&f.name)]));
                let (ty, with) = match (&f.role, &f.kind) {
                    (Role::Payload, _) => (quote!(P), None),
                    (Role::EventVersion, _) => (quote!(u32), None),
                    (_, Kind::Uuid) if options.uuid => (quote!(::uuid::Uuid), None),
                    (_, Kind::Timestamp) => match options.time {
                        Some(TimeCrate::Chrono) => {
                            (quote!(::chrono::DateTime<::chrono::FixedOffset>), None)
                        }
                        Some(TimeCrate::Time) => (
                            quote!(::time::OffsetDateTime),
                            Some(if f.required {
                                "::time::serde::rfc3339".to_string()
                            } else {
                                "::time::serde::rfc3339::option".to_string()
                            }),
                        ),
                        None => (quote!(String), None),
                    },
                    (_, Kind::Integer { min: Some(m) }) if *m >= 0 => (quote!(u64), None),
                    (_, Kind::Integer { .. }) => (quote!(i64), None),
                    _ => (quote!(String), None),
                };
                (name, f.name.clone(), f.role, f.required, ty, with)
            })
            .collect();
        let decoders = envelope
            .fields
            .iter()
            .map(|f| match (&f.role, &f.kind) {
                (Role::Payload, _) => quote!(de::Any),
                (Role::EventVersion, _) => quote!(de::Version),
                (_, Kind::Uuid) if options.uuid => quote!(de::Uuid),
                (_, Kind::Uuid) => quote!(de::UuidText),
                (_, Kind::Timestamp) => match options.time {
                    Some(TimeCrate::Chrono) => quote!(de::ChronoDateTime),
                    Some(TimeCrate::Time) => quote!(de::TimeDateTime),
                    None => quote!(de::DateTimeText),
                },
                (_, Kind::Integer { min: Some(m) }) if *m >= 0 => {
                    let m = proc_macro2::Literal::u64_unsuffixed(*m as u64);
                    quote!(de::AtLeast::<#m>)
                }
                (_, Kind::Integer { .. }) => quote!(de::Long),
                (_, Kind::NonEmptyString) => quote!(de::NonEmpty),
                (_, Kind::UriReference) => quote!(de::UriRef),
                (_, Kind::Const(c)) => quote!(de::Const(#c)),
                _ => quote!(de::Str),
            })
            .collect();
        EnvelopeFields { fields, decoders }
    }

    /// The JSON name of the payload's member.
    pub fn payload_json(&self) -> &str {
        self.role(Role::Payload).map_or("payload", |f| f.1.as_str())
    }

    fn role(&self, role: Role) -> Option<&GenField> {
        self.fields.iter().find(|f| f.2 == role)
    }

    /// Can events be routed: is there a payload, an event type and a version source?
    pub fn routable(&self) -> bool {
        self.role(Role::Payload).is_some()
            && self.role(Role::EventType).is_some()
            && (self.role(Role::EventVersion).is_some() || self.role(Role::DataSchema).is_some())
    }
}

/// `closed`: a member the envelope does not define is an error (`evreg validate` reports it at
/// the severity `envelope-unknown-field` has in the registry: a warning unless raised).
pub fn envelope(env: &Envelope, ef: &EnvelopeFields, closed: bool) -> TokenStream {
    let fields =
        env.fields
            .iter()
            .zip(&ef.fields)
            .map(|(f, (name, json, _, required, ty, with))| {
                let doc = doc_attrs(Some(&f.doc));
                let mut serde = Vec::new();
                if name != json {
                    serde.push(quote!(rename = #json));
                }
                if let Some(with) = with {
                    let with = format!("{with}::serialize");
                    serde.push(quote!(serialize_with = #with));
                }
                let ty = if *required {
                    ty.clone()
                } else {
                    serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
                    quote!(Option<#ty>)
                };
                let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
                quote! {
                    #doc
                    #serde
                    pub #name: #ty,
                }
            });
    let names: Vec<&Ident> = ef.fields.iter().map(|f| &f.0).collect();
    let payload = &ef.role(Role::Payload).expect("routable").0;
    let others: Vec<&&Ident> = names.iter().filter(|n| **n != payload).collect();
    let event_type = {
        let (name, _, _, required, _, _) = ef.role(Role::EventType).expect("routable");
        if *required {
            quote!(Some(self.#name.as_str()))
        } else {
            quote!(self.#name.as_deref())
        }
    };
    let (event_version, version_fn) = match (ef.role(Role::EventVersion), ef.role(Role::DataSchema))
    {
        (Some((name, _, _, true, _, _)), _) => (quote!(Some(self.#name)), None),
        (Some((name, _, _, false, _, _)), _) => (quote!(self.#name), None),
        (None, Some((name, _, _, required, _, _))) => {
            let get = if *required {
                quote!(Some(self.#name.as_str()))
            } else {
                quote!(self.#name.as_deref())
            };
            (
                quote!(#get.and_then(version_in_schema_uri)),
                Some(quote! {
                    /// The version a schema URI names: `…@2`, or a path segment `v2` (`…/v2`,
                    /// `…/v2.avsc`).
                    pub fn version_in_schema_uri(uri: &str) -> Option<u32> {
                        let digits = |s: &str| -> Option<u32> {
                            let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
                            s[..end].parse().ok()
                        };
                        if let Some((_, after)) = uri.rsplit_once('@') {
                            return digits(after);
                        }
                        uri.rsplit('/')
                            .find_map(|segment| segment.strip_prefix('v').and_then(digits))
                    }

                    /// The schema URI naming another version, where `version_in_schema_uri`
                    /// finds one: `…@1` → `…@2`, `…/v1.avsc` → `…/v2.avsc`.
                    pub fn with_schema_version(uri: &str, version: u32) -> String {
                        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
                        if let Some((head, after)) = uri.rsplit_once('@') {
                            return format!("{head}@{version}{}", &after[digits(after)..]);
                        }
                        let mut segments: Vec<String> = uri.split('/').map(str::to_string).collect();
                        let found = segments.iter().rposition(|s| {
                            s.strip_prefix('v').is_some_and(|rest| digits(rest) > 0)
                        });
                        if let Some(i) = found {
                            let rest = segments[i][1..].to_string();
                            segments[i] = format!("v{version}{}", &rest[digits(&rest)..]);
                        }
                        segments.join("/")
                    }
                }),
            )
        }
        (None, None) => unreachable!("routable envelopes name a version"),
    };
    let doc = format!(
        " The `{}` envelope: the metadata every event carries around its payload `P`.",
        env.name
    );
    let reads =
        env.fields
            .iter()
            .zip(&ef.fields)
            .zip(&ef.decoders)
            .map(|((f, (name, json, ..)), d)| {
                if f.required {
                    quote!(#name: r.req(#json, #d)?,)
                } else {
                    quote!(#name: r.opt(#json, #d)?,)
                }
            });
    let end = closed.then(|| quote!(r.end()?;));
    let order = match (env.field(Role::OccurredAt), env.field(Role::PublishedAt)) {
        (Some(o), Some(p)) => {
            let (o, p) = (o.name.as_str(), p.name.as_str());
            let message = format!("`{p}` is before `{o}`");
            Some(quote! {
                if !de::in_order(v.get(#o), v.get(#p)) {
                    return Err(at.key(#p).error(#message));
                }
            })
        }
        _ => None,
    };
    let what = format!("the {} envelope", env.name);
    // The constructor: type and version from the payload's type, other required fields given,
    // optional ones `None`.
    let version_source = ef.role(Role::EventVersion).is_none();
    let mut params = Vec::new();
    let inits = env
        .fields
        .iter()
        .zip(&ef.fields)
        .map(|(f, (name, _, role, required, ty, _))| {
            let value = match role {
                _ if matches!(&f.kind, Kind::Const(_)) => {
                    let Kind::Const(c) = &f.kind else {
                        unreachable!()
                    };
                    quote!(#c.to_string())
                }
                Role::Payload => return quote!(#name,),
                Role::EventType => quote!(P::SUBJECT.to_string()),
                Role::EventVersion => quote!(P::VERSION),
                Role::DataSchema if version_source => {
                    quote!(format!("{}@{}", P::SUBJECT, P::VERSION))
                }
                _ if *required => {
                    params.push(quote!(#name: #ty));
                    return quote!(#name,);
                }
                _ => return quote!(#name: None,),
            };
            if *required {
                quote!(#name: #value,)
            } else {
                quote!(#name: Some(#value),)
            }
        });
    let inits: Vec<TokenStream> = inits.collect();
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Serialize)]
        pub struct Envelope<P> {
            #(#fields)*
        }

        /// The payload type of one version of one subject: what an envelope around it names.
        pub trait Event {
            /// The subject (event type).
            const SUBJECT: &'static str;
            /// The subject's version the type is.
            const VERSION: u32;
        }

        impl<P: Event> Envelope<P> {
            /// An event around `payload`: its type and version come from the payload's type (no
            /// payload goes out under another type's name); optional fields are `None`.
            pub fn new(#(#params,)* #payload: P) -> Self {
                Envelope {
                    #(#inits)*
                }
            }
        }

        impl Envelope<::serde_json::Value> {
            /// Read an event's envelope, its fields checked as `evreg validate` checks them;
            /// the payload stays JSON.
            pub fn decode(v: &::serde_json::Value) -> Result<Self, de::Error> {
                let at = de::At::Root;
                let r = de::Record::new(v, &at, #what)?;
                let envelope = Envelope {
                    #(#reads)*
                };
                #end
                #order
                Ok(envelope)
            }
        }

        impl<'de, P: ::serde::de::DeserializeOwned> Deserialize<'de> for Envelope<P> {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let v = ::serde_json::Value::deserialize(deserializer)?;
                let envelope = Envelope::decode(&v).map_err(<D::Error as ::serde::de::Error>::custom)?;
                envelope
                    .try_map(::serde_json::from_value)
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }

        impl<P> Envelope<P> {
            /// The event type (the subject) the envelope names.
            pub fn event_type(&self) -> Option<&str> {
                #event_type
            }

            /// The version of the subject the payload follows.
            pub fn event_version(&self) -> Option<u32> {
                #event_version
            }

            /// The same envelope around another payload.
            pub fn map<Q>(self, f: impl FnOnce(P) -> Q) -> Envelope<Q> {
                Envelope {
                    #(#others: self.#others,)*
                    #payload: f(self.#payload),
                }
            }

            /// The same envelope around another payload, if it can be made.
            pub fn try_map<Q, E>(self, f: impl FnOnce(P) -> Result<Q, E>) -> Result<Envelope<Q>, E> {
                Ok(Envelope {
                    #(#others: self.#others,)*
                    #payload: f(self.#payload)?,
                })
            }
        }

        #version_fn

        /// Why an event could not be read.
        #[derive(Debug)]
        pub enum DecodeError {
            /// Not JSON.
            Json(::serde_json::Error),
            /// Not an envelope: a field is missing or does not fit.
            Envelope(de::Error),
            /// The envelope names no event type.
            MissingEventType,
            /// The event type is not one this code knows.
            UnknownEventType(String),
            /// The event is of another type than the one asked for.
            WrongEventType { expected: &'static str, found: String },
            /// The envelope names no version.
            MissingVersion { event_type: &'static str },
            /// The version is not one this code knows.
            UnknownVersion { event_type: &'static str, version: u32 },
            /// The payload does not fit its version's schema.
            Payload { event_type: &'static str, version: u32, error: de::Error },
        }

        impl ::std::fmt::Display for DecodeError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    DecodeError::Json(e) => write!(f, "not JSON: {e}"),
                    DecodeError::Envelope(e) => write!(f, "not an event envelope: {e}"),
                    DecodeError::MissingEventType => f.write_str("the envelope names no event type"),
                    DecodeError::UnknownEventType(t) => write!(f, "unknown event type `{t}`"),
                    DecodeError::WrongEventType { expected, found } => {
                        write!(f, "expected a `{expected}` event, found `{found}`")
                    }
                    DecodeError::MissingVersion { event_type } => {
                        write!(f, "the `{event_type}` event names no version")
                    }
                    DecodeError::UnknownVersion { event_type, version } => {
                        write!(f, "unknown version {version} of `{event_type}`")
                    }
                    DecodeError::Payload { event_type, version, error } => {
                        write!(f, "the payload is not a `{event_type}` v{version}: {error}")
                    }
                }
            }
        }

        impl ::std::error::Error for DecodeError {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    DecodeError::Json(e) => Some(e),
                    DecodeError::Envelope(e) | DecodeError::Payload { error: e, .. } => Some(e),
                    _ => None,
                }
            }
        }

        impl From<::serde_json::Error> for DecodeError {
            fn from(e: ::serde_json::Error) -> Self {
                DecodeError::Json(e)
            }
        }

        impl From<de::Error> for DecodeError {
            fn from(e: de::Error) -> Self {
                DecodeError::Envelope(e)
            }
        }
    }
}

/// The subject's enum over its versions, as formatted text.
pub fn subject_enum(s: &SubjectItem, ef: &EnvelopeFields) -> String {
    let name = &s.name;
    let subject = &s.subject;
    let latest = s.versions.last().expect("a subject has versions").0;
    let latest_payload = &s.versions.last().expect("a subject has versions").1;
    let doc = match &s.doc {
        Some(d) => {
            format!("`{subject}`, every version: read by the version the envelope names.\n\n{d}")
        }
        None => format!("`{subject}`, every version: read by the version the envelope names."),
    };
    let mut w = Writer::new();
    w.doc(Some(&doc));
    w.line("#[derive(Debug, Clone, PartialEq)]");
    w.line("#[allow(clippy::large_enum_variant)]");
    w.open(&format!("pub enum {name}"));
    for (n, payload) in &s.versions {
        wl!(w, "/// Version {n}.");
        wl!(w, "V{n}(Envelope<{payload}>),");
    }
    w.close("");
    w.blank();
    w.open(&format!("impl {name}"));
    w.line("/// The subject, as the envelope names it.");
    wl!(
        w,
        "pub const EVENT_TYPE: &'static str = {};",
        string_literal(subject)
    );
    w.line("/// The latest version.");
    wl!(w, "pub const LATEST_VERSION: u32 = {latest};");
    w.line("/// The version of the payload held.");
    w.open("pub fn event_version(&self) -> u32");
    w.open("match self");
    for (n, _) in &s.versions {
        wl!(w, "{name}::V{n}(_) => {n},");
    }
    w.close("");
    w.close("");
    w.line("/// Read an event of this subject from its envelope, by the version it names.");
    w.open("pub fn from_envelope(envelope: Envelope<::serde_json::Value>) -> Result<Self, DecodeError>");
    w.out.push_str(concat!(
        "        match envelope.event_type() {\n",
        "            Some(t) if t == Self::EVENT_TYPE => {}\n",
        "            Some(t) => {\n",
        "                return Err(DecodeError::WrongEventType {\n",
        "                    expected: Self::EVENT_TYPE,\n",
        "                    found: t.to_string(),\n",
        "                });\n",
        "            }\n",
        "            None => return Err(DecodeError::MissingEventType),\n",
        "        }\n",
        "        let version = envelope\n",
        "            .event_version()\n",
        "            .ok_or(DecodeError::MissingVersion {\n",
        "                event_type: Self::EVENT_TYPE,\n",
        "            })?;\n",
        "        let payload = |error| DecodeError::Payload {\n",
        "            event_type: Self::EVENT_TYPE,\n",
        "            version,\n",
        "            error,\n",
        "        };\n",
        "        let root = de::At::Root;\n",
    ));
    wl!(
        w,
        "let at = root.key({});",
        string_literal(ef.payload_json())
    );
    w.open("match version");
    for (n, _) in &s.versions {
        wl!(w, "{n} => envelope");
        w.line("    .try_map(|p| de::decode(&p, &at))");
        wl!(w, "    .map({name}::V{n})");
        w.line("    .map_err(payload),");
    }
    w.open("_ => Err(DecodeError::UnknownVersion");
    w.line("event_type: Self::EVENT_TYPE,");
    w.line("version,");
    w.close("),");
    w.close("");
    w.close("");
    w.line("/// Read an event of this subject from JSON text.");
    w.open("pub fn from_json(json: &str) -> Result<Self, DecodeError>");
    w.line("Self::from_envelope(Envelope::decode(&::serde_json::from_str(json)?)?)");
    w.close("");
    // The envelope names the new version: its version field, or else its schema URI.
    let version_field = match (ef.role(Role::EventVersion), ef.role(Role::DataSchema)) {
        (Some((field, _, _, true, _, _)), _) => Some(format!("envelope.{field} = {latest};")),
        (Some((field, _, _, false, _, _)), _) => {
            Some(format!("envelope.{field} = Some({latest});"))
        }
        (None, Some((field, _, _, true, _, _))) => Some(format!(
            "envelope.{field} = with_schema_version(&envelope.{field}, {latest});"
        )),
        (None, Some((field, _, _, false, _, _))) => Some(format!(
            "envelope.{field} = envelope.{field}.map(|uri| with_schema_version(&uri, {latest}));"
        )),
        (None, None) => None,
    };
    // `into_latest()` where evreg derives every step; else `into_latest_with(steps)`, the steps
    // it cannot derive supplied by the user through `{Name}Steps`.
    let with_steps = !s.upgrades_to_latest && s.versions.len() > 1;
    if s.upgrades_to_latest || with_steps {
        let count = s.versions.len();
        let step = |i: usize| -> Expr {
            let (a, b) = (s.versions[i].0, s.versions[i + 1].0);
            if s.steps.get(i).copied().unwrap_or(false) {
                Expr::atom(format!("{}::from", s.versions[i + 1].1))
            } else {
                Expr::closure("p", Expr::atom(format!("steps.v{a}_to_v{b}(p)")))
            }
        };
        if with_steps {
            w.line("/// The event upgraded to the latest version, one version at a time: evreg's upcasts where");
            w.line("/// it derives them, `steps` (breaking changes) where it cannot; the envelope names the");
            w.line("/// latest version.");
            w.open(&format!(
                "pub fn into_latest_with(self, steps: &impl {name}Steps) -> Envelope<{latest_payload}>"
            ));
        } else if version_field.is_some() {
            w.line("/// The event with its payload upgraded to the latest version, one version at a time (the\n    /// schemas' defaults fill what older versions lack), and the envelope's version set to it.");
            w.open(&format!(
                "pub fn into_latest(self) -> Envelope<{latest_payload}>"
            ));
        } else {
            w.line("/// The event with its payload upgraded to the latest version, one version at a time (the\n    /// schemas' defaults fill what older versions lack).");
            w.open(&format!(
                "pub fn into_latest(self) -> Envelope<{latest_payload}>"
            ));
        }
        w.open("match self");
        for (i, (n, _)) in s.versions.iter().enumerate().take(count - 1) {
            let mapped = (i..count - 1).fold(Expr::atom("envelope"), |e, k| {
                e.method("map", vec![step(k)])
            });
            match &version_field {
                Some(set) => {
                    w.open(&format!("{name}::V{n}(envelope) =>"));
                    w.expr("let mut envelope = ", &mapped, ";");
                    w.line(set);
                    w.line("envelope");
                    w.close("");
                }
                None => w.expr(&format!("{name}::V{n}(envelope) => "), &mapped, ","),
            }
        }
        wl!(w, "{name}::V{latest}(envelope) => envelope,");
        w.close("");
        w.close("");
    }
    w.close("");
    if with_steps {
        w.blank();
        let breaks: Vec<String> = (0..s.versions.len() - 1)
            .filter(|&i| !s.steps.get(i).copied().unwrap_or(false))
            .map(|i| format!("v{} → v{}", s.versions[i].0, s.versions[i + 1].0))
            .collect();
        wl!(
            w,
            "/// The upgrades of `{subject}` evreg cannot derive ({}): breaking changes, which only the",
            breaks.join(", ")
        );
        w.line(
            "/// service knows how to bridge. Implement them to upgrade any version to the latest",
        );
        wl!(w, "/// ([`{name}::into_latest_with`]).");
        w.open(&format!("pub trait {name}Steps"));
        for i in 0..s.versions.len() - 1 {
            if s.steps.get(i).copied().unwrap_or(false) {
                continue;
            }
            let ((a, pa), (b, pb)) = (&s.versions[i], &s.versions[i + 1]);
            wl!(w, "fn v{a}_to_v{b}(&self, payload: {pa}) -> {pb};");
        }
        w.close("");
    }
    let mut seen: Vec<&str> = Vec::new();
    for (n, payload) in &s.versions {
        // A payload type two versions share names the first.
        if seen.contains(&payload.as_str()) {
            continue;
        }
        seen.push(payload);
        w.blank();
        w.open(&format!("impl Event for {payload}"));
        wl!(
            w,
            "const SUBJECT: &'static str = {};",
            string_literal(subject)
        );
        wl!(w, "const VERSION: u32 = {n};");
        w.close("");
    }
    w.blank();
    w.open(&format!("impl Serialize for {name}"));
    w.line(
        "fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
    );
    w.line("    match self {");
    for (n, _) in &s.versions {
        wl!(
            w,
            "        {name}::V{n}(envelope) => envelope.serialize(serializer),"
        );
    }
    w.line("    }");
    w.line("}");
    w.close("");
    w.blank();
    w.open(&format!("impl<'de> Deserialize<'de> for {name}"));
    w.line("fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {");
    w.line("    let envelope = Envelope::<::serde_json::Value>::deserialize(deserializer)?;");
    let call = format!("{name}::from_envelope(envelope)");
    let map_err = ".map_err(<D::Error as ::serde::de::Error>::custom)";
    if 8 + call.len() + map_err.len() <= 100 {
        wl!(w, "    {call}{map_err}");
    } else {
        wl!(w, "    {call}");
        wl!(w, "        {map_err}");
    }
    w.line("}");
    w.close("");
    w.out
}

/// `AnyEvent` over every subject, as formatted text.
pub fn any_event(subjects: &[SubjectItem]) -> String {
    let mut w = Writer::with_capacity(subjects.len() * 600 + 4096);
    w.line("/// Any event of the registry, routed by its event type and version.");
    w.line("#[derive(Debug, Clone, PartialEq)]");
    w.line("#[allow(clippy::large_enum_variant)]");
    w.open("pub enum AnyEvent");
    for s in subjects {
        wl!(w, "/// `{}`", s.subject);
        wl!(w, "{0}({0}),", s.name);
    }
    w.close("");
    w.blank();
    w.open("impl AnyEvent");
    w.line("/// Read an event from JSON text: the envelope's event type picks the subject, its");
    w.line("/// version the payload type.");
    w.open("pub fn from_json(json: &str) -> Result<Self, DecodeError>");
    w.line("Self::from_envelope(Envelope::decode(&::serde_json::from_str(json)?)?)");
    w.close("");
    w.line("/// Read an event from an envelope already parsed.");
    w.open("pub fn from_envelope(envelope: Envelope<::serde_json::Value>) -> Result<Self, DecodeError>");
    w.line("let event_type = envelope");
    w.line("    .event_type()");
    w.line("    .ok_or(DecodeError::MissingEventType)?");
    w.line("    .to_string();");
    let mut arms: Vec<(String, Expr)> = subjects
        .iter()
        .map(|s| {
            let call = Expr::call(
                format!("{}::from_envelope", s.name),
                vec![Expr::atom("envelope")],
            )
            .method("map", vec![Expr::atom(format!("AnyEvent::{}", s.name))]);
            (format!("{}::EVENT_TYPE", s.name), call)
        })
        .collect();
    arms.push((
        "_".into(),
        Expr::atom("Err(DecodeError::UnknownEventType(event_type))"),
    ));
    w.expr(
        "",
        &Expr::Match(Box::new(Expr::atom("event_type.as_str()")), arms),
        "",
    );
    w.close("");
    w.line("/// The event type (subject).");
    w.open("pub fn event_type(&self) -> &'static str");
    w.open("match self");
    for s in subjects {
        wl!(w, "AnyEvent::{0}(_) => {0}::EVENT_TYPE,", s.name);
    }
    w.close("");
    w.close("");
    w.line("/// The version of the payload held.");
    w.open("pub fn event_version(&self) -> u32");
    w.open("match self");
    for s in subjects {
        wl!(w, "AnyEvent::{}(event) => event.event_version(),", s.name);
    }
    w.close("");
    w.close("");
    w.line("/// The event upgraded to its subject's latest version, where every version of the");
    w.line("/// subject upgrades (see each subject's `into_latest`); otherwise unchanged.");
    w.open("pub fn into_latest(self) -> Self");
    if subjects.iter().any(|s| s.upgrades_to_latest) {
        w.open("match self");
        for s in subjects.iter().filter(|s| s.upgrades_to_latest) {
            let latest = s.versions.last().expect("a subject has versions").0;
            let value = Expr::call(
                format!("AnyEvent::{}", s.name),
                vec![Expr::call(
                    format!("{}::V{latest}", s.name),
                    vec![Expr::atom("event").method("into_latest", vec![])],
                )],
            );
            let arm = Expr::Match(
                Box::new(Expr::atom("self")),
                vec![(format!("AnyEvent::{}(event)", s.name), value)],
            );
            // Laid out as one arm of a match, as rustfmt lays it out.
            let text = arm.render(w.depth() - 1, (w.depth() - 1) * 4, 0);
            let body: Vec<&str> = text.lines().collect();
            for l in &body[1..body.len() - 1] {
                w.out.push_str(l);
                w.out.push('\n');
            }
        }
        if subjects.iter().any(|s| !s.upgrades_to_latest) {
            w.line("other => other,");
        }
        w.close("");
    } else {
        w.line("self");
    }
    w.close("");
    w.close("");
    w.blank();
    w.open("impl Serialize for AnyEvent");
    w.open("fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>");
    w.open("match self");
    for s in subjects {
        wl!(
            w,
            "AnyEvent::{}(event) => event.serialize(serializer),",
            s.name
        );
    }
    w.close("");
    w.close("");
    w.close("");
    w.blank();
    w.open("impl<'de> Deserialize<'de> for AnyEvent");
    w.open(
        "fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>",
    );
    w.line("let envelope = Envelope::<::serde_json::Value>::deserialize(deserializer)?;");
    w.line("AnyEvent::from_envelope(envelope).map_err(<D::Error as ::serde::de::Error>::custom)");
    w.close("");
    w.close("");
    w.out
}
