//! `evreg.yaml` and `subject.yaml`: read once, validated with positions, resolved into `Settings`
//! that every check receives. No other module reads these files.

use crate::compat::Mode;
use crate::compat::json::Policy;
use crate::envelope::Envelope;
use crate::finding::{Finding, Severity};
use crate::rules;
use crate::schema::json::Draft;
use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

const ENVELOPE_HELP: &str = "write `envelope: default` (or cloudevents, none), or a mapping {preset, fields: [{name, type, required, role, doc}], remove: [names]}; see the README";

pub const DEFAULT_NAMING: &str = r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*){2,}$";

/// A problem in a settings file: it stops the command (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
        } else {
            write!(f, "{}: {}", self.file, self.message)?;
        }
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// One accepted breaking change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub subject: String,
    pub version: u32,
    /// A rule id or a glob over rule ids (`json-*`); `None` accepts every finding of the version.
    pub rule: Option<String>,
    pub reason: String,
    pub line: usize,
    pub column: usize,
}

/// Registry settings, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub compatibility: Mode,
    pub naming: Regex,
    pub allow: Vec<Allow>,
    /// Per-rule severity; `None` turns the rule off.
    pub rules: BTreeMap<String, Option<Severity>>,
    /// The metadata every event carries around its payload.
    pub envelope: Envelope,
    /// How JSON Schema subjects treat open content models (default strict).
    pub policy: Policy,
    /// The JSON Schema draft assumed for files without `$schema` (default 2020-12).
    pub json_schema_draft: Draft,
    /// How subjects are named on a Schema Registry (`serve`, `publish`, `import`): a template
    /// with `{subject}` (default: the evreg subject name).
    pub schema_registry_subject: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            compatibility: Mode::Backward,
            naming: Regex::new(DEFAULT_NAMING).expect("the default naming rule is a valid regex"),
            allow: Vec::new(),
            rules: BTreeMap::new(),
            envelope: Envelope::default(),
            policy: Policy::Strict,
            json_schema_draft: Draft::default(),
            schema_registry_subject: None,
        }
    }
}

/// A subject's own settings from `schemas/<subject>/subject.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectMeta {
    pub compatibility: Option<Mode>,
    pub policy: Option<Policy>,
    pub json_schema_draft: Option<Draft>,
    pub owner: Option<String>,
    pub description: Option<String>,
    /// This subject's name on a Schema Registry (overrides the registry's template; `{subject}`
    /// may appear in it).
    pub schema_registry_subject: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    compatibility: Option<Spanned<String>>,
    naming: Option<Spanned<String>>,
    allow: Option<Vec<Spanned<RawAllow>>>,
    rules: Option<BTreeMap<String, Spanned<String>>>,
    envelope: Option<Spanned<serde_json::Value>>,
    policy: Option<Spanned<String>>,
    #[serde(rename = "json-schema-draft")]
    json_schema_draft: Option<Spanned<String>>,
    #[serde(rename = "schema-registry-subject")]
    schema_registry_subject: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    subject: String,
    version: u32,
    rule: Option<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubjectMeta {
    compatibility: Option<Spanned<String>>,
    policy: Option<Spanned<String>>,
    #[serde(rename = "json-schema-draft")]
    json_schema_draft: Option<Spanned<String>>,
    owner: Option<String>,
    description: Option<String>,
    #[serde(rename = "schema-registry-subject")]
    schema_registry_subject: Option<Spanned<String>>,
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
    }
}

fn from_yaml<T: for<'de> Deserialize<'de>>(
    file: &str,
    text: &str,
) -> Result<Option<T>, ConfigError> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    serde_saphyr::from_str_with_options(text, yaml_options())
        .map(Some)
        .map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((0, 0));
            let full = e.without_snippet().to_string();
            // The library's message ends with its own position; ours is in front already.
            let message = full
                .split(" at line ")
                .next()
                .unwrap_or(&full)
                .trim()
                .to_string();
            let help = help_for(&message);
            ConfigError {
                file: file.into(),
                line,
                column,
                message,
                help,
            }
        })
}

fn help_for(message: &str) -> String {
    if message.contains("unknown field") {
        "remove the key or fix its spelling; see the README's `evreg.yaml` section for the keys"
            .into()
    } else {
        "see the README's `evreg.yaml` section for what each key takes".into()
    }
}

fn at(file: &str, loc: &serde_saphyr::Location, message: String, help: &str) -> ConfigError {
    ConfigError {
        file: file.into(),
        line: loc.line() as usize,
        column: loc.column() as usize,
        message,
        help: help.into(),
    }
}

fn mode(file: &str, value: &Spanned<String>) -> Result<Mode, ConfigError> {
    value.value.parse().map_err(|m| {
        at(
            file,
            &value.referenced,
            m,
            "modes are NONE, BACKWARD, FORWARD, FULL, each optionally _TRANSITIVE",
        )
    })
}

/// A Schema Registry subject name or template. The registry-wide template must contain
/// `{subject}`, or every subject would be served under one name.
fn subject_template(
    file: &str,
    value: &Spanned<String>,
    registry_wide: bool,
) -> Result<String, ConfigError> {
    let t = &value.value;
    let problem = if t.trim().is_empty() {
        Some("`schema-registry-subject` is empty")
    } else if t.chars().any(char::is_control) {
        Some("`schema-registry-subject` contains a control character")
    } else if registry_wide && !t.contains("{subject}") {
        Some("the registry-wide `schema-registry-subject` does not contain `{subject}`")
    } else {
        None
    };
    match problem {
        Some(m) => Err(at(
            file,
            &value.referenced,
            m.into(),
            "write a template such as '{subject}-value' (Confluent's TopicNameStrategy for a topic named after the subject); a subject.yaml may give a plain name",
        )),
        None => Ok(t.clone()),
    }
}

fn policy(file: &str, value: &Spanned<String>) -> Result<Policy, ConfigError> {
    Policy::parse(&value.value).ok_or_else(|| {
        at(
            file,
            &value.referenced,
            format!("unknown policy `{}`", value.value),
            "policies are strict (set semantics, the default) and lenient (Confluent's lenient JSON Schema checks)",
        )
    })
}

fn draft(file: &str, value: &Spanned<String>) -> Result<Draft, ConfigError> {
    Draft::parse(&value.value).ok_or_else(|| {
        at(
            file,
            &value.referenced,
            format!("unknown JSON Schema draft `{}`", value.value),
            "drafts are draft-04, draft-06, draft-07, 2019-09 and 2020-12 (the default)",
        )
    })
}

/// Parse `evreg.yaml` (`file` is the name shown in errors). An empty file means all defaults.
pub fn parse_settings(file: &str, text: &str) -> Result<Settings, ConfigError> {
    let mut settings = Settings::default();
    let Some(raw) = from_yaml::<RawSettings>(file, text)? else {
        return Ok(settings);
    };
    if let Some(m) = &raw.compatibility {
        settings.compatibility = mode(file, m)?;
    }
    if let Some(p) = &raw.policy {
        settings.policy = policy(file, p)?;
    }
    if let Some(d) = &raw.json_schema_draft {
        settings.json_schema_draft = draft(file, d)?;
    }
    if let Some(n) = &raw.naming {
        settings.naming = Regex::new(&n.value).map_err(|e| {
            let first = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            at(
                file,
                &n.referenced,
                format!("`naming` is not a valid regular expression: {first}"),
                "write a regex such as ^[a-z]+(\\.[a-z-]+){2}$ (quote it in YAML)",
            )
        })?;
    }
    if let Some(t) = &raw.schema_registry_subject {
        settings.schema_registry_subject = Some(subject_template(file, t, true)?);
    }
    if let Some(e) = &raw.envelope {
        settings.envelope = crate::envelope::from_setting(&e.value)
            .map_err(|m| at(file, &e.referenced, m, ENVELOPE_HELP))?;
    }
    for a in raw.allow.unwrap_or_default() {
        let loc = &a.referenced;
        let a = a.value;
        if let Some(rule) = &a.rule
            && !rules::ALL.iter().any(|r| rule_matches(rule, r.id))
        {
            let what = if rule.contains(['*', '?']) {
                format!("`allow` rule pattern `{rule}` matches no rule")
            } else {
                format!("`allow` names unknown rule `{rule}`")
            };
            return Err(at(
                file,
                loc,
                what,
                "`evreg rules` lists the rule ids; `*` matches any run of characters (`json-*`), and an entry without `rule` accepts every finding of the version",
            ));
        }
        if a.reason.trim().is_empty() {
            return Err(at(
                file,
                loc,
                "an `allow` entry needs a non-empty `reason`".into(),
                "say why the break is accepted (who agreed, which consumers were migrated)",
            ));
        }
        if a.version == 0 {
            return Err(at(
                file,
                loc,
                "`version` starts at 1".into(),
                "name the version that introduced the break",
            ));
        }
        settings.allow.push(Allow {
            subject: a.subject,
            version: a.version,
            rule: a.rule,
            reason: a.reason,
            line: loc.line() as usize,
            column: loc.column() as usize,
        });
    }
    for (id, level) in raw.rules.unwrap_or_default() {
        if rules::by_id(&id).is_none() {
            return Err(at(
                file,
                &level.referenced,
                format!("`rules` names unknown rule `{id}`"),
                "`evreg rules` lists the rule ids",
            ));
        }
        let severity = match level.value.as_str() {
            "off" => None,
            s => Some(Severity::parse(s).ok_or_else(|| {
                at(
                    file,
                    &level.referenced,
                    format!("rule `{id}`: unknown level `{s}`"),
                    "levels are error, warning, info and off",
                )
            })?),
        };
        settings.rules.insert(id, severity);
    }
    Ok(settings)
}

/// Parse a `subject.yaml`.
pub fn parse_subject_meta(file: &str, text: &str) -> Result<SubjectMeta, ConfigError> {
    let Some(raw) = from_yaml::<RawSubjectMeta>(file, text)? else {
        return Ok(SubjectMeta::default());
    };
    Ok(SubjectMeta {
        compatibility: raw
            .compatibility
            .as_ref()
            .map(|m| mode(file, m))
            .transpose()?,
        policy: raw.policy.as_ref().map(|p| policy(file, p)).transpose()?,
        json_schema_draft: raw
            .json_schema_draft
            .as_ref()
            .map(|d| draft(file, d))
            .transpose()?,
        owner: raw.owner,
        description: raw.description,
        schema_registry_subject: raw
            .schema_registry_subject
            .as_ref()
            .map(|t| subject_template(file, t, false))
            .transpose()?,
    })
}

impl Allow {
    /// Whether this entry accepts a finding: same subject and version, and a rule its pattern
    /// matches (or any rule when the entry names none).
    pub fn accepts(&self, f: &Finding) -> bool {
        f.subject.as_deref() == Some(self.subject.as_str())
            && f.version == Some(self.version)
            && self
                .rule
                .as_deref()
                .is_none_or(|p| rule_matches(p, f.rule.id))
    }
}

/// Match a rule id against an `allow` pattern: `*` is any run of characters, `?` one character,
/// everything else itself. Rule ids are ASCII, so bytes are characters.
pub fn rule_matches(pattern: &str, id: &str) -> bool {
    let (p, s) = (pattern.as_bytes(), id.as_bytes());
    // Iterative glob with one backtrack point: linear in practice, never exponential.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

impl Settings {
    /// A rule's level under these settings (`None`: off): what `rules:` names, else its default.
    pub fn level(&self, rule: &rules::Rule) -> Option<Severity> {
        match self.rules.get(rule.id) {
            Some(level) => *level,
            None => rule.default_level(),
        }
    }

    /// A finding's severity under these settings (`None`: its rule is off). Only a level that
    /// `rules:` names replaces the one the finding was made with (an engine may make one below
    /// its rule's default, as for a widened decimal).
    pub fn severity_of(&self, f: &Finding) -> Option<Severity> {
        match self.rules.get(f.rule.id) {
            Some(level) => *level,
            None => f.rule.default_level().map(|_| f.severity),
        }
    }

    /// Apply per-rule severities (not the `allow` list) to findings.
    pub fn apply_severities(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut f| {
                f.severity = self.severity_of(&f)?;
                Some(f)
            })
            .collect()
    }

    /// Apply per-rule severities and the `allow` list to a check's findings. Allowed findings stay
    /// in the report at `info` with their reason; stale `allow` entries become findings.
    pub fn apply(&self, mut out: Vec<Finding>, config_file: &str) -> Vec<Finding> {
        let mut used = vec![false; self.allow.len()];
        // In place: a large report is not held twice.
        out.retain_mut(|f| {
            match self.severity_of(f) {
                None => return false,
                Some(s) => f.severity = s,
            }
            // A stale-entry report is about the settings file, never itself allowable.
            let hit = (f.rule.id != rules::ALLOW_UNUSED.id)
                .then(|| self.allow.iter().position(|a| a.accepts(f)))
                .flatten();
            if let Some(i) = hit {
                used[i] = true;
                f.allowed = Some(self.allow[i].reason.clone());
                f.severity = Severity::Info;
            }
            true
        });
        for (a, used) in self.allow.iter().zip(used) {
            let Some(severity) = self.level(&rules::ALLOW_UNUSED) else {
                break;
            };
            if used {
                continue;
            }
            let mut f = Finding::new(
                &rules::ALLOW_UNUSED,
                format!(
                    "the allow entry for {}@{} {} matches no finding",
                    a.subject,
                    a.version,
                    match &a.rule {
                        Some(rule) => format!("`{rule}`"),
                        None => "(every rule)".to_string(),
                    }
                ),
                "remove the stale entry from evreg.yaml",
            );
            f.location = Some(crate::finding::Location {
                file: config_file.into(),
                pointer: String::new(),
                span: None,
                line: Some(a.line),
                column: Some(a.column),
            });
            f.severity = severity;
            out.push(f);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_file_sets_the_mode() {
        let s = parse_settings("evreg.yaml", "compatibility: full_transitive\n").unwrap();
        assert_eq!(s.compatibility, Mode::FullTransitive);
        assert!(s.naming.is_match("orders.order.placed"));
        assert!(s.naming.is_match("orders.order.placed.v2"));
        assert!(!s.naming.is_match("OrderPlaced"));
        assert_eq!(
            parse_settings("evreg.yaml", "# nothing\n")
                .unwrap()
                .compatibility,
            Mode::Backward
        );
    }

    #[test]
    fn errors_carry_positions() {
        let e = parse_settings(
            "evreg.yaml",
            "compatibility: BACKWARD\ncompatability: FULL\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("compatability"), "{e}");
        let e = parse_settings("evreg.yaml", "compatibility: SIDEWAYS\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 16));
        let e = parse_settings("evreg.yaml", "naming: '[a-'\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("regular expression"));
        let e = parse_settings("evreg.yaml", "rules:\n  avro-doc-missing: loud\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_settings(
            "evreg.yaml",
            "allow:\n  - {subject: a.b.c, version: 2, rule: avro-type-mismatch, reason: ''}\n",
        )
        .unwrap_err();
        assert!(e.message.contains("reason"));
        let e = parse_settings(
            "evreg.yaml",
            "allow:\n  - {subject: a.b.c, version: 2, rule: avro-type-mismatch}\n",
        )
        .unwrap_err();
        assert!(e.message.contains("reason"), "{e}");
    }

    #[test]
    fn allow_rules_are_ids_globs_or_absent() {
        assert!(rule_matches("json-*", "json-enum-narrowed"));
        assert!(rule_matches("*-narrowed", "json-enum-narrowed"));
        assert!(rule_matches("avro-?ype-mismatch", "avro-type-mismatch"));
        assert!(rule_matches("avro-type-mismatch", "avro-type-mismatch"));
        assert!(!rule_matches("json-*", "avro-type-mismatch"));
        assert!(!rule_matches("avro-type", "avro-type-mismatch"));
        assert!(!rule_matches("*-x*y", "json-enum-narrowed"));

        let s = parse_settings(
            "evreg.yaml",
            "allow:\n  - {subject: a.b.c, version: 2, rule: 'json-*', reason: migrated}\n  - {subject: a.b.c, version: 3, reason: replayed topic}\n",
        )
        .unwrap();
        let finding = |rule: &'static crate::rules::Rule, version: u32| {
            let mut f = Finding::new(rule, "m", "h");
            f.subject = Some("a.b.c".into());
            f.version = Some(version);
            f
        };
        let out = s.apply(
            vec![
                finding(&rules::JSON_ENUM_NARROWED, 2),
                finding(&rules::AVRO_TYPE_MISMATCH, 2),
                finding(&rules::VERSION_MODIFIED, 3),
            ],
            "evreg.yaml",
        );
        assert_eq!(out.len(), 3, "{out:#?}");
        assert_eq!(out[0].allowed.as_deref(), Some("migrated"));
        assert_eq!(
            out[1].allowed, None,
            "a glob accepts only the rules it matches"
        );
        assert_eq!(out[2].allowed.as_deref(), Some("replayed topic"));

        let e = parse_settings(
            "evreg.yaml",
            "allow:\n  - {subject: a.b.c, version: 2, rule: 'jsn-*', reason: x}\n",
        )
        .unwrap_err();
        assert!(e.message.contains("matches no rule"), "{e}");
        assert_eq!(e.line, 2);
        let e = parse_settings(
            "evreg.yaml",
            "allow:\n  - {subject: a.b.c, version: 2, reason: ''}\n",
        )
        .unwrap_err();
        assert!(e.message.contains("reason"), "{e}");
    }

    #[test]
    fn envelopes_are_presets_or_mappings() {
        let s = parse_settings("evreg.yaml", "envelope: cloudevents\n").unwrap();
        assert_eq!(s.envelope.name, "cloudevents");
        let s = parse_settings("evreg.yaml", "envelope:\n  preset: default\n  fields:\n    - {name: tenantId, type: non-empty-string}\n").unwrap();
        assert!(s.envelope.fields.iter().any(|f| f.name == "tenantId"));
        let e = parse_settings(
            "evreg.yaml",
            "compatibility: FULL\nenvelope:\n  preset: defualt\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("defualt"));
    }

    #[test]
    fn subject_meta_reads_its_keys() {
        let m = parse_subject_meta("subject.yaml", "compatibility: FULL\nowner: team-orders\n")
            .unwrap();
        assert_eq!(m.compatibility, Some(Mode::Full));
        assert_eq!(m.owner.as_deref(), Some("team-orders"));
        assert!(parse_subject_meta("subject.yaml", "owners: x\n").is_err());
        let m = parse_subject_meta("subject.yaml", "policy: lenient\n").unwrap();
        assert_eq!(m.policy, Some(Policy::Lenient));
        let e = parse_subject_meta("subject.yaml", "policy: loose\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 9));
        let s = parse_settings("evreg.yaml", "policy: LENIENT\n").unwrap();
        assert_eq!(s.policy, Policy::Lenient);
    }

    #[test]
    fn the_json_schema_draft_is_a_registry_and_a_subject_setting() {
        assert_eq!(
            parse_settings("evreg.yaml", "").unwrap().json_schema_draft,
            Draft::D2020
        );
        let s = parse_settings("evreg.yaml", "json-schema-draft: draft-07\n").unwrap();
        assert_eq!(s.json_schema_draft, Draft::D7);
        let e = parse_settings(
            "evreg.yaml",
            "compatibility: FULL\njson-schema-draft: draft-08\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 20), "{e}");
        assert!(e.message.contains("draft-08"), "{e}");
        let m = parse_subject_meta("subject.yaml", "json-schema-draft: 2019-09\n").unwrap();
        assert_eq!(m.json_schema_draft, Some(Draft::D2019));
        let e = parse_settings("evreg.yaml", "json_schema_draft: draft-07\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1), "{e}");
    }
}
