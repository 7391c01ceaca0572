//! A blocking client of the Schema Registry REST API (`evreg publish`, `evreg import`): rustls
//! with the platform's certificate verifier (the system roots), timeouts, retries with backoff
//! on 5xx answers and connection errors only, credentials from the environment only.

use super::wire::{self, CONTENT_TYPE, ErrorBody};
use std::time::Duration;

/// Basic credentials (`EVREG_SR_USER`, `EVREG_SR_PASSWORD`) or a bearer token (`EVREG_SR_TOKEN`).
pub const ENV_USER: &str = "EVREG_SR_USER";
pub const ENV_PASSWORD: &str = "EVREG_SR_PASSWORD";
pub const ENV_TOKEN: &str = "EVREG_SR_TOKEN";

/// Tries per request (the first and the retries).
const ATTEMPTS: u32 = 4;

pub struct Client {
    base: String,
    agent: ureq::Agent,
    auth: Option<String>,
    /// The first retry's wait; doubled each time.
    backoff: Duration,
}

/// Why a request failed.
#[derive(Debug)]
pub enum ClientError {
    /// The registry answered with an error.
    Api {
        status: u16,
        error_code: u32,
        message: String,
    },
    /// No answer (connection, TLS, timeout), after the retries.
    Transport(String),
}

impl ClientError {
    pub fn code(&self) -> Option<u32> {
        match self {
            ClientError::Api { error_code, .. } => Some(*error_code),
            ClientError::Transport(_) => None,
        }
    }
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Api {
                status,
                error_code,
                message,
            } => write!(f, "HTTP {status}, error {error_code}: {message}"),
            ClientError::Transport(e) => f.write_str(e),
        }
    }
}

/// Percent-encode a path segment (subject names may hold any character).
fn segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    /// A client of the registry at `url`, with credentials from the environment.
    pub fn new(url: &str) -> Result<Client, String> {
        let base = url.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(format!(
                "`{url}` is not an http:// or https:// URL\n  help: pass the registry's base URL, e.g. --url https://sr.example.com"
            ));
        }
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let auth = match (var(ENV_TOKEN), var(ENV_USER)) {
            (Some(token), _) => Some(format!("Bearer {token}")),
            (None, Some(user)) => {
                let password = var(ENV_PASSWORD).unwrap_or_default();
                use base64::Engine;
                let pair = format!("{user}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
            (None, None) => None,
        };
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .tls_config(tls)
            .build()
            .into();
        Ok(Client {
            base,
            agent,
            auth,
            backoff: Duration::from_millis(250),
        })
    }

    /// One API call; the body of a 2xx answer, parsed.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<serde_json::Value, ClientError> {
        let url = format!("{}{path}", self.base);
        let mut wait = self.backoff;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            if attempt > 1 {
                std::thread::sleep(wait);
                wait *= 2;
            }
            let result = self.send(method, &url, body.as_deref());
            match result {
                Ok((status, text)) if (200..300).contains(&status) => {
                    return serde_json::from_str(&text).map_err(|e| {
                        ClientError::Transport(format!(
                            "{method} {url}: the answer is not JSON: {e}"
                        ))
                    });
                }
                Ok((status, text)) if status >= 500 => {
                    last = format!("{method} {url}: HTTP {status}: {text}");
                }
                Ok((status, text)) => {
                    let e: Option<ErrorBody> = serde_json::from_str(&text).ok();
                    return Err(ClientError::Api {
                        status,
                        error_code: e.as_ref().map_or(status as u32, |e| e.error_code),
                        message: e.map_or(text, |e| e.message),
                    });
                }
                Err(e) => last = format!("{method} {url}: {e}"),
            }
        }
        Err(ClientError::Transport(format!(
            "{last} (after {ATTEMPTS} tries)"
        )))
    }

    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&str>,
    ) -> Result<(u16, String), ureq::Error> {
        let accept = "application/vnd.schemaregistry.v1+json, application/json";
        let mut resp = match (method, body) {
            ("GET", _) => {
                let mut r = self.agent.get(url).header("Accept", accept);
                if let Some(a) = &self.auth {
                    r = r.header("Authorization", a);
                }
                r.call()?
            }
            (_, body) => {
                let mut r = match method {
                    "PUT" => self.agent.put(url),
                    _ => self.agent.post(url),
                }
                .header("Accept", accept)
                .header("Content-Type", CONTENT_TYPE);
                if let Some(a) = &self.auth {
                    r = r.header("Authorization", a);
                }
                r.send(body.unwrap_or(""))?
            }
        };
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()?;
        Ok((status, text))
    }

    fn parse<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, ClientError> {
        serde_json::from_value(v)
            .map_err(|e| ClientError::Transport(format!("unexpected answer: {e}")))
    }

    pub fn subjects(&self) -> Result<Vec<String>, ClientError> {
        Self::parse(self.call("GET", "/subjects", None)?)
    }

    /// A subject's version numbers; none when the registry does not know the subject.
    pub fn versions(&self, subject: &str) -> Result<Vec<u32>, ClientError> {
        match self.call(
            "GET",
            &format!("/subjects/{}/versions", segment(subject)),
            None,
        ) {
            Ok(v) => Self::parse(v),
            Err(e) if e.code() == Some(wire::code::SUBJECT_NOT_FOUND) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub fn version(
        &self,
        subject: &str,
        version: u32,
    ) -> Result<wire::SubjectVersion, ClientError> {
        Self::parse(self.call(
            "GET",
            &format!("/subjects/{}/versions/{version}", segment(subject)),
            None,
        )?)
    }

    /// Register a schema under a subject: its id.
    pub fn register(
        &self,
        subject: &str,
        schema: &wire::SchemaRequest,
    ) -> Result<u32, ClientError> {
        let body = serde_json::to_string(schema).unwrap_or_default();
        let r: wire::Registered = Self::parse(self.call(
            "POST",
            &format!("/subjects/{}/versions", segment(subject)),
            Some(body),
        )?)?;
        Ok(r.id)
    }

    /// A subject's own compatibility level (`None`: it follows the registry's).
    pub fn subject_level(&self, subject: &str) -> Result<Option<String>, ClientError> {
        match self.call("GET", &format!("/config/{}", segment(subject)), None) {
            Ok(v) => Ok(Some(Self::parse::<wire::Config>(v)?.compatibility_level)),
            Err(e)
                if matches!(
                    e.code(),
                    Some(wire::code::SUBJECT_CONFIG_NOT_FOUND | wire::code::SUBJECT_NOT_FOUND)
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The registry's compatibility level.
    pub fn global_level(&self) -> Result<String, ClientError> {
        Ok(Self::parse::<wire::Config>(self.call("GET", "/config", None)?)?.compatibility_level)
    }

    pub fn set_subject_level(&self, subject: &str, level: &str) -> Result<(), ClientError> {
        let body = serde_json::to_string(&wire::ConfigUpdate {
            compatibility: level.into(),
        })
        .unwrap_or_default();
        self.call("PUT", &format!("/config/{}", segment(subject)), Some(body))
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_names_are_percent_encoded_in_paths() {
        assert_eq!(segment("shop.order-value"), "shop.order-value");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }
}
