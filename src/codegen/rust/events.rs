//! The event side: `Envelope<P>` from the configured envelope's fields, `DecodeError`, one enum
//! per subject over its versions, and `AnyEvent` over every subject, routed by event type and
//! version.

use super::types::{doc_attrs, ident};
use super::{Options, TimeCrate};
use crate::codegen::names::{Scope, snake};
use crate::envelope::{Envelope, Kind, Role};
use proc_macro2::{Ident, Literal, TokenStream};
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
}

/// One envelope field as generated: (Rust name, JSON name, role, required, type, serde adapter).
type GenField = (Ident, String, Role, bool, TokenStream, Option<String>);

/// The envelope's fields as generated.
pub struct EnvelopeFields {
    fields: Vec<GenField>,
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
        EnvelopeFields { fields }
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

pub fn envelope(env: &Envelope, ef: &EnvelopeFields) -> TokenStream {
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
                    serde.push(quote!(with = #with));
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
                }),
            )
        }
        (None, None) => unreachable!("routable envelopes name a version"),
    };
    let doc = format!(
        " The `{}` envelope: the metadata every event carries around its payload `P`.",
        env.name
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Envelope<P> {
            #(#fields)*
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
            /// Not JSON, or not an envelope.
            Json(::serde_json::Error),
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
            Payload { event_type: &'static str, version: u32, error: ::serde_json::Error },
        }

        impl ::std::fmt::Display for DecodeError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    DecodeError::Json(e) => write!(f, "not an event envelope: {e}"),
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
                    DecodeError::Json(e) | DecodeError::Payload { error: e, .. } => Some(e),
                    _ => None,
                }
            }
        }

        impl From<::serde_json::Error> for DecodeError {
            fn from(e: ::serde_json::Error) -> Self {
                DecodeError::Json(e)
            }
        }
    }
}

pub fn subject_enum(s: &SubjectItem, ef: &EnvelopeFields) -> TokenStream {
    let name = ident(&s.name);
    let subject = &s.subject;
    let doc_text = match &s.doc {
        Some(d) => {
            format!("`{subject}`, every version: read by the version the envelope names.\n\n{d}")
        }
        None => format!("`{subject}`, every version: read by the version the envelope names."),
    };
    let doc = doc_attrs(Some(&doc_text));
    let variants: Vec<Ident> = s
        .versions
        .iter()
        .map(|(n, _)| ident(&format!("V{n}")))
        .collect();
    let payloads: Vec<Ident> = s.versions.iter().map(|(_, p)| ident(p)).collect();
    let variant_docs = s.versions.iter().map(|(n, _)| format!(" Version {n}."));
    let numbers: Vec<Literal> = s
        .versions
        .iter()
        .map(|(n, _)| Literal::u32_unsuffixed(*n))
        .collect();
    let latest = numbers.last().expect("a subject has versions");
    let latest_variant = variants.last().expect("a subject has versions");
    let latest_payload = payloads.last().expect("a subject has versions");
    let into_latest = s.upgrades_to_latest.then(|| {
        let set_version = ef.role(Role::EventVersion).map(|(field, _, _, required, _, _)| {
            if *required {
                quote!(envelope.#field = #latest;)
            } else {
                quote!(envelope.#field = Some(#latest);)
            }
        });
        // Version by version: `From<V(n-1)> for Vn` each step.
        let arms = (0..variants.len() - 1).map(|i| {
            let variant = &variants[i];
            let steps = &payloads[i + 1..];
            let mapped = quote!(envelope #(.map(#steps::from))*);
            let upgrade = match &set_version {
                Some(set) => quote!({
                    let mut envelope = #mapped;
                    #set
                    envelope
                }),
                None => mapped,
            };
            quote!(#name::#variant(envelope) => #upgrade,)
        });
        let doc = if set_version.is_some() {
            " The event with its payload upgraded to the latest version (the schema's defaults fill what older versions lack), and the envelope's version set to it."
        } else {
            " The event with its payload upgraded to the latest version (the schema's defaults fill what older versions lack)."
        };
        quote! {
            #[doc = #doc]
            pub fn into_latest(self) -> Envelope<#latest_payload> {
                match self {
                    #(#arms)*
                    #name::#latest_variant(envelope) => envelope,
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants(Envelope<#payloads>),
            )*
        }

        impl #name {
            /// The subject, as the envelope names it.
            pub const EVENT_TYPE: &'static str = #subject;
            /// The latest version.
            pub const LATEST_VERSION: u32 = #latest;

            /// The version of the payload held.
            pub fn event_version(&self) -> u32 {
                match self {
                    #(#name::#variants(_) => #numbers,)*
                }
            }

            /// Read an event of this subject from its envelope, by the version it names.
            pub fn from_envelope(envelope: Envelope<::serde_json::Value>) -> Result<Self, DecodeError> {
                match envelope.event_type() {
                    Some(t) if t == Self::EVENT_TYPE => {}
                    Some(t) => {
                        return Err(DecodeError::WrongEventType {
                            expected: Self::EVENT_TYPE,
                            found: t.to_string(),
                        });
                    }
                    None => return Err(DecodeError::MissingEventType),
                }
                let version = envelope.event_version().ok_or(DecodeError::MissingVersion {
                    event_type: Self::EVENT_TYPE,
                })?;
                let payload = |error| DecodeError::Payload {
                    event_type: Self::EVENT_TYPE,
                    version,
                    error,
                };
                match version {
                    #(
                        #numbers => envelope
                            .try_map(::serde_json::from_value)
                            .map(#name::#variants)
                            .map_err(payload),
                    )*
                    _ => Err(DecodeError::UnknownVersion {
                        event_type: Self::EVENT_TYPE,
                        version,
                    }),
                }
            }

            /// Read an event of this subject from JSON text.
            pub fn from_json(json: &str) -> Result<Self, DecodeError> {
                Self::from_envelope(::serde_json::from_str(json)?)
            }

            #into_latest
        }

        impl Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#name::#variants(envelope) => envelope.serialize(serializer),)*
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let envelope = Envelope::<::serde_json::Value>::deserialize(deserializer)?;
                #name::from_envelope(envelope).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}

pub fn any_event(subjects: &[SubjectItem]) -> TokenStream {
    let names: Vec<Ident> = subjects.iter().map(|s| ident(&s.name)).collect();
    let docs = subjects.iter().map(|s| format!(" `{}`", s.subject));
    let upgrades = subjects.iter().filter(|s| s.upgrades_to_latest).map(|s| {
        let name = ident(&s.name);
        let latest = ident(&format!("V{}", s.versions.last().expect("versions").0));
        quote!(AnyEvent::#name(event) => AnyEvent::#name(#name::#latest(event.into_latest())),)
    });
    let rest = (subjects.iter().any(|s| !s.upgrades_to_latest)).then(|| quote!(other => other,));
    let into_latest = if subjects.iter().any(|s| s.upgrades_to_latest) {
        quote!(match self {
            #(#upgrades)*
            #rest
        })
    } else {
        quote!(self)
    };
    quote! {
        /// Any event of the registry, routed by its event type and version.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum AnyEvent {
            #(
                #[doc = #docs]
                #names(#names),
            )*
        }

        impl AnyEvent {
            /// Read an event from JSON text: the envelope's event type picks the subject, its
            /// version the payload type.
            pub fn from_json(json: &str) -> Result<Self, DecodeError> {
                Self::from_envelope(::serde_json::from_str(json)?)
            }

            /// Read an event from an envelope already parsed.
            pub fn from_envelope(envelope: Envelope<::serde_json::Value>) -> Result<Self, DecodeError> {
                let event_type = envelope.event_type().ok_or(DecodeError::MissingEventType)?.to_string();
                match event_type.as_str() {
                    #(
                        #names::EVENT_TYPE => #names::from_envelope(envelope).map(AnyEvent::#names),
                    )*
                    _ => Err(DecodeError::UnknownEventType(event_type)),
                }
            }

            /// The event type (subject).
            pub fn event_type(&self) -> &'static str {
                match self {
                    #(AnyEvent::#names(_) => #names::EVENT_TYPE,)*
                }
            }

            /// The version of the payload held.
            pub fn event_version(&self) -> u32 {
                match self {
                    #(AnyEvent::#names(event) => event.event_version(),)*
                }
            }

            /// The event upgraded to its subject's latest version, where every version of the
            /// subject upgrades (see each subject's `into_latest`); otherwise unchanged.
            pub fn into_latest(self) -> Self {
                #into_latest
            }
        }

        impl Serialize for AnyEvent {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(AnyEvent::#names(event) => event.serialize(serializer),)*
                }
            }
        }

        impl<'de> Deserialize<'de> for AnyEvent {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let envelope = Envelope::<::serde_json::Value>::deserialize(deserializer)?;
                AnyEvent::from_envelope(envelope).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}
