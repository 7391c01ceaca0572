//! A corpus of realistic JSON Schemas and revision pairs, generated with a fixed seed (nothing
//! is fetched): package manifests, CI workflow files, editor settings, form builders, compose
//! files, cluster manifests — the shapes users bring, in drafts 04, 07 and 2020-12, each revised
//! the way real schemas are (an option added, an enum value gone, a pattern widened, …).
//!
//! Checked on every schema and pair:
//! - a schema is compatible with itself and with a copy whose `enum` values, `required` names and
//!   `allOf`/`anyOf`/`oneOf` branches are shuffled (the same set of instances);
//! - nothing is refused (no verdict) except remote references and schemas the `jsonschema` crate
//!   also rejects;
//! - no comparison takes over 2 s;
//! - every example is valid under the writer and invalid under the reader (`jsonschema` crate);
//! - for each direction evreg calls compatible, instances generated from the writer and valid
//!   under it (`jsonschema` crate) are all valid under the reader.

use evreg::Mode;
use evreg::compat::json::Policy;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

const SCHEMAS: usize = 240;
const PAIRS: usize = 240;
const INSTANCES: usize = 24;
const BUDGET: Duration = Duration::from_secs(2);

static INSTANCES_SEEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// Error findings of the revision pairs, and how many carry an example.
static ERRORS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static WITH_EXAMPLE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// SplitMix64: a fixed seed gives the same corpus on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

const DRAFTS: [&str; 3] = [
    "http://json-schema.org/draft-04/schema#",
    "http://json-schema.org/draft-07/schema#",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Patterns as real schemas write them.
const PATTERNS: [&str; 12] = [
    "^[a-z][a-z0-9-]*$",
    "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$",
    "^[^@ ]+@[^ ]+$",
    "^\\d+(:\\d+)?(/(tcp|udp))?$",
    "^[0-9]+(ms|s|m|h)$",
    "^(Ctrl|Alt|Shift)\\+[A-Z]$",
    "^#[0-9a-fA-F]{6}$",
    "^https?://",
    "^[A-Z]{3}$",
    "^v[0-9]+$",
    "^[_a-zA-Z][a-zA-Z0-9_-]*$",
    "\\.json$",
];

const WORDS: [&str; 16] = [
    "name", "enabled", "timeout", "mode", "level", "path", "color", "port", "retries", "theme",
    "format", "target", "tags", "labels", "cache", "region",
];

fn leaf(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => json!({"type": "boolean", "default": false}),
        1 => {
            let n = 2 + rng.below(5);
            let vals: Vec<Value> = (0..n)
                .map(|i| json!(format!("{}{i}", rng.pick(&WORDS))))
                .collect();
            json!({"type": "string", "enum": vals})
        }
        2 => json!({"type": "integer", "minimum": rng.below(3), "maximum": 10 + rng.below(1000)}),
        3 => json!({"type": "string", "pattern": rng.pick(&PATTERNS)}),
        4 => json!({"type": "string", "maxLength": 8 + rng.below(200), "description": "free text"}),
        5 => json!({"type": "array", "items": {"type": "string"}, "uniqueItems": rng.chance(50)}),
        6 => json!({"type": ["string", "null"]}),
        7 => json!({"type": "number", "exclusiveMinimum": 0}),
        _ => json!({"type": "object", "additionalProperties": {"type": "string"}}),
    }
}

fn draft_fix(v: &mut Value, d04: bool) {
    // Draft-04 writes exclusive bounds as booleans beside minimum/maximum.
    if !d04 {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(c) = m.remove("const") {
                m.insert("enum".into(), json!([c]));
            }
            if let Some(x) = m.get("exclusiveMinimum").filter(|x| x.is_number()).cloned() {
                m.insert("minimum".into(), x);
                m.insert("exclusiveMinimum".into(), json!(true));
            }
            for (_, c) in m.iter_mut() {
                draft_fix(c, d04);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| draft_fix(c, d04)),
        _ => {}
    }
}

fn settings(rng: &mut Rng) -> Value {
    let n = 3 + rng.below(10);
    let mut props = Map::new();
    for i in 0..n {
        props.insert(format!("{}.{}", rng.pick(&WORDS), i), leaf(rng));
    }
    let mut s = json!({"type": "object", "properties": props});
    if rng.chance(60) {
        s["additionalProperties"] = json!(false);
    }
    s
}

fn package(rng: &mut Rng) -> Value {
    let mut s = json!({
        "title": "package manifest",
        "type": "object",
        "definitions": {"dependency": {"type": "object", "additionalProperties": {"type": "string"}}},
        "properties": {
            "name": {"type": "string", "maxLength": 214, "pattern": "^(?:@[a-z0-9-~][a-z0-9-._~]*/)?[a-z0-9-~][a-z0-9-._~]*$"},
            "version": {"type": "string", "pattern": PATTERNS[1]},
            "keywords": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
            "license": {"anyOf": [{"type": "string", "enum": ["MIT", "ISC", "Apache-2.0", "BSD-3-Clause"]}, {"type": "string", "pattern": "^SEE LICENSE IN "}]},
            "repository": {"oneOf": [
                {"type": "string"},
                {"type": "object", "properties": {"type": {"type": "string"}, "url": {"type": "string"}, "directory": {"type": "string"}}, "required": ["type", "url"]}
            ]},
            "bin": {"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]},
            "scripts": {"type": "object", "additionalProperties": {"type": "string"}},
            "dependencies": {"$ref": "#/definitions/dependency"},
            "devDependencies": {"$ref": "#/definitions/dependency"},
            "private": {"type": "boolean"}
        },
        "required": ["name"]
    });
    if rng.chance(50) {
        s["required"] = json!(["name", "version"]);
    }
    if rng.chance(30) {
        s["properties"]["engines"] = settings(rng);
    }
    s
}

fn workflow(rng: &mut Rng) -> Value {
    let events = [
        "push",
        "pull_request",
        "schedule",
        "workflow_dispatch",
        "release",
    ];
    let n = 2 + rng.below(events.len() - 1);
    let ev: Vec<Value> = events[..n].iter().map(|e| json!(e)).collect();
    let mut s = json!({
        "type": "object",
        "definitions": {
            "env": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            "step": {"oneOf": [
                {"type": "object", "properties": {"uses": {"type": "string", "pattern": PATTERNS[2]}, "with": {"$ref": "#/definitions/env"}, "name": {"type": "string"}, "id": {"type": "string"}}, "required": ["uses"], "additionalProperties": false},
                {"type": "object", "properties": {"run": {"type": "string"}, "shell": {"enum": ["bash", "sh", "pwsh", "python"]}, "name": {"type": "string"}, "working-directory": {"type": "string"}}, "required": ["run"], "additionalProperties": false}
            ]},
            "job": {"type": "object", "properties": {
                "runs-on": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
                "steps": {"type": "array", "items": {"$ref": "#/definitions/step"}, "minItems": 1},
                "env": {"$ref": "#/definitions/env"},
                "needs": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "timeout-minutes": {"type": "number", "minimum": 1},
                "if": {"type": "string"}
            }, "required": ["runs-on"], "additionalProperties": false}
        },
        "properties": {
            "name": {"type": "string"},
            "on": {"oneOf": [
                {"type": "string", "enum": ev.clone()},
                {"type": "array", "items": {"type": "string", "enum": ev}, "minItems": 1},
                {"type": "object"}
            ]},
            "env": {"$ref": "#/definitions/env"},
            "jobs": {"type": "object", "patternProperties": {PATTERNS[10]: {"$ref": "#/definitions/job"}}, "additionalProperties": false, "minProperties": 1}
        },
        "required": ["on", "jobs"]
    });
    if rng.chance(40) {
        s["definitions"]["job"]["properties"]["strategy"] = json!({"type": "object", "properties": {
            "matrix": {"type": "object", "additionalProperties": {"type": "array"}},
            "fail-fast": {"type": "boolean"},
            "max-parallel": {"type": "integer", "minimum": 1}
        }});
    }
    s
}

fn form(rng: &mut Rng) -> Value {
    let n = 2 + rng.below(12);
    let inputs: Vec<Value> = (0..n)
        .map(|i| {
            let mut props = json!({"type": {"const": format!("input{i}")}, "label": {"type": "string"}});
            if rng.chance(50) {
                props["required"] = json!({"type": "boolean"});
            }
            if rng.chance(30) {
                props["options"] = json!({"type": "array", "items": {"type": "string"}});
            }
            json!({"type": "object", "properties": props, "required": ["type"], "additionalProperties": false})
        })
        .collect();
    json!({
        "definitions": {
            "item": {"oneOf": [{"$ref": "#/definitions/inputs"}, {"$ref": "#/definitions/fieldset"}]},
            "inputs": {"oneOf": inputs},
            "fieldset": {"type": "object", "properties": {
                "type": {"const": "fieldset"},
                "legend": {"type": "string"},
                "items": {"type": "array", "items": {"$ref": "#/definitions/item"}}
            }, "required": ["type"], "additionalProperties": false}
        },
        "type": "object",
        "properties": {"title": {"type": "string"}, "items": {"type": "array", "items": {"$ref": "#/definitions/item"}}},
        "required": ["items"]
    })
}

fn compose(rng: &mut Rng, conditional: bool) -> Value {
    let mut service = json!({"type": "object", "properties": {
        "image": {"type": "string"},
        "ports": {"type": "array", "items": {"oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 65535},
            {"type": "string", "pattern": PATTERNS[3]}
        ]}},
        "environment": {"oneOf": [
            {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
            {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
        ]},
        "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
        "depends_on": {"type": "array", "items": {"type": "string"}},
        "healthcheck": {"type": "object", "properties": {
            "test": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "interval": {"type": "string", "pattern": PATTERNS[4]},
            "retries": {"type": "integer", "minimum": 0}
        }, "additionalProperties": false}
    }, "additionalProperties": rng.chance(50)});
    if conditional {
        service["if"] =
            json!({"properties": {"restart": {"const": "on-failure"}}, "required": ["restart"]});
        service["then"] = json!({"properties": {"healthcheck": {"required": ["test"]}}});
    }
    json!({
        "type": "object",
        "properties": {
            "version": {"type": "string"},
            "services": {"type": "object", "additionalProperties": service},
            "volumes": {"type": "object", "additionalProperties": {"type": ["object", "null"]}}
        },
        "required": ["services"]
    })
}

fn manifest(rng: &mut Rng) -> Value {
    let kinds = ["Deployment", "Service", "ConfigMap", "Job"];
    let n = 2 + rng.below(3);
    let ks: Vec<Value> = kinds[..n].iter().map(|k| json!(k)).collect();
    let mut conds = Vec::new();
    for k in &kinds[..n] {
        conds.push(json!({
            "if": {"properties": {"kind": {"const": k}}, "required": ["kind"]},
            "then": {"properties": {"spec": {"required": [match *k { "Deployment" => "replicas", "Service" => "ports", "ConfigMap" => "data", _ => "template" }]}}}
        }));
    }
    json!({
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string", "enum": ["v1", "apps/v1", "batch/v1"]},
            "kind": {"type": "string", "enum": ks},
            "metadata": {"type": "object", "properties": {
                "name": {"type": "string", "pattern": PATTERNS[0], "maxLength": 63},
                "labels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 63}},
                "namespace": {"type": "string"}
            }, "required": ["name"]},
            "spec": {"type": "object", "properties": {
                "replicas": {"type": "integer", "minimum": 0},
                "ports": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}, "protocol": {"enum": ["TCP", "UDP"]}}, "required": ["port"]}},
                "data": {"type": "object", "additionalProperties": {"type": "string"}},
                "template": {"type": "object"}
            }}
        },
        "required": ["apiVersion", "kind", "metadata"],
        "allOf": conds
    })
}

/// One corpus schema: a family, a draft, some settings.
fn schema(rng: &mut Rng, i: usize) -> Value {
    let d = *rng.pick(&DRAFTS);
    let d04 = d.contains("draft-04");
    let mut s = match i % 6 {
        0 => package(rng),
        1 => workflow(rng),
        2 => {
            let mut s = settings(rng);
            if !d04 && rng.chance(40) {
                let keys: Vec<String> = s["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                let k = rng.pick(&keys).clone();
                s["if"] = json!({"properties": {k.clone(): {"const": "x"}}, "required": [k]});
                s["then"] = json!({"minProperties": 2});
            }
            s
        }
        3 => form(rng),
        4 => {
            let conditional = !d04 && rng.chance(50);
            compose(rng, conditional)
        }
        _ => {
            if d04 {
                settings(rng)
            } else {
                manifest(rng)
            }
        }
    };
    draft_fix(&mut s, d04);
    s["$schema"] = json!(d);
    s
}

/// The same schema with its lists in another order.
fn shuffled(rng: &mut Rng, v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, c) in m {
                let mut c = shuffled(rng, c);
                if matches!(
                    k.as_str(),
                    "enum" | "required" | "allOf" | "anyOf" | "oneOf" | "type"
                ) && let Value::Array(a) = &mut c
                {
                    rng.shuffle(a);
                }
                out.insert(k.clone(), c);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|c| shuffled(rng, c)).collect()),
        _ => v.clone(),
    }
}

/// JSON pointers of the subschemas satisfying `f`.
fn places(v: &Value, at: String, f: &dyn Fn(&Map<String, Value>) -> bool, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if f(m) {
                out.push(at.clone());
            }
            for (k, c) in m {
                if matches!(
                    k.as_str(),
                    "enum" | "const" | "required" | "examples" | "default"
                ) {
                    continue;
                }
                places(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    f,
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                places(c, format!("{at}/{i}"), f, out);
            }
        }
        _ => {}
    }
}

/// A revision as real schemas see them: one or two edits.
fn revise(rng: &mut Rng, s: &Value) -> Value {
    let mut s = s.clone();
    for _ in 0..1 + rng.below(2) {
        let mut at = Vec::new();
        let kind = rng.below(10);
        let f: &dyn Fn(&Map<String, Value>) -> bool = match kind {
            0 | 1 | 2 | 9 => &|m| m.get("properties").is_some_and(Value::is_object),
            3 | 4 => &|m| {
                m.get("enum")
                    .is_some_and(|e| e.as_array().is_some_and(|a| a.len() > 1))
            },
            5 | 6 => &|m| m.get("pattern").is_some_and(Value::is_string),
            7 => &|m| m.get("oneOf").is_some() || m.get("anyOf").is_some(),
            _ => &|m| m.get("type").is_some_and(Value::is_string),
        };
        places(&s, String::new(), f, &mut at);
        if at.is_empty() {
            continue;
        }
        let p = rng.pick(&at).clone();
        let node = s.pointer_mut(&p).unwrap();
        let m = node.as_object_mut().unwrap();
        match kind {
            0 | 1 => {
                // An option added.
                let name = format!("{}-{}", rng.pick(&WORDS), rng.below(100));
                m["properties"]
                    .as_object_mut()
                    .unwrap()
                    .insert(name, leaf(rng));
            }
            2 => {
                // A property dropped.
                let props = m["properties"].as_object_mut().unwrap();
                let keys: Vec<String> = props.keys().cloned().collect();
                if !keys.is_empty() {
                    props.remove(rng.pick(&keys));
                }
            }
            9 => {
                // A property made required, or the model opened.
                if rng.chance(50) {
                    let keys: Vec<String> = m["properties"]
                        .as_object()
                        .unwrap()
                        .keys()
                        .cloned()
                        .collect();
                    if !keys.is_empty() {
                        let k = rng.pick(&keys).clone();
                        let req = m.entry("required").or_insert(json!([]));
                        if let Some(a) = req.as_array_mut()
                            && !a.contains(&json!(k))
                        {
                            a.push(json!(k));
                        }
                    }
                } else {
                    m.remove("additionalProperties");
                }
            }
            3 => {
                let e = m["enum"].as_array_mut().unwrap();
                e.push(json!(format!("new-{}", rng.below(100))));
            }
            4 => {
                let e = m["enum"].as_array_mut().unwrap();
                let i = rng.below(e.len());
                e.remove(i);
            }
            5 => {
                // A pattern widened: an anchor dropped, or an alternative added.
                let p = m["pattern"].as_str().unwrap().to_string();
                let q = if rng.chance(50) && p.ends_with('$') {
                    p[..p.len() - 1].to_string()
                } else {
                    format!("{p}|^x-")
                };
                m.insert("pattern".into(), json!(q));
            }
            6 => {
                // A pattern replaced.
                m.insert("pattern".into(), json!(rng.pick(&PATTERNS)));
            }
            7 => {
                // A branch added.
                let key = if m.contains_key("oneOf") {
                    "oneOf"
                } else {
                    "anyOf"
                };
                m[key].as_array_mut().unwrap().push(json!({"type": "null"}));
            }
            _ => {
                // A type widened to allow null, or narrowed.
                if rng.chance(60) {
                    let t = m["type"].clone();
                    if t != json!("null") {
                        m.insert("type".into(), json!([t, "null"]));
                    }
                } else if m["type"] == json!("number") {
                    m.insert("type".into(), json!("integer"));
                } else {
                    m.insert("maxLength".into(), json!(rng.below(6)));
                }
            }
        }
    }
    s
}

// ---- instances ------------------------------------------------------------------------------

const STRINGS: [&str; 20] = [
    "",
    "a",
    "abc",
    "x-1",
    "1.2.3",
    "1.0.0-beta.1",
    "a@b",
    "actions/checkout@v4",
    "8080",
    "8080:80/tcp",
    "30s",
    "Ctrl+A",
    "#a0b1c2",
    "https://e.com",
    "EUR",
    "v2",
    "_job-1",
    "f.json",
    "SEE LICENSE IN x",
    "mit",
];

fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    let mut s = s;
    for _ in 0..16 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => match root.pointer(&r[1..]) {
                Some(t) => s = t,
                None => return s,
            },
            _ => return s,
        }
    }
    s
}

/// A random instance shaped by schema `s` (valid or not: the caller filters with a validator).
fn instance(rng: &mut Rng, root: &Value, s: &Value, depth: usize) -> Value {
    let s = resolve(root, s);
    if depth > 6 {
        return json!(null);
    }
    let Some(m) = s.as_object() else {
        return json!("x");
    };
    for key in ["oneOf", "anyOf"] {
        if let Some(bs) = m.get(key).and_then(Value::as_array)
            && rng.chance(85)
        {
            let mut merged = m.clone();
            merged.remove(key);
            if let Some(bm) = resolve(root, rng.pick(bs)).as_object() {
                for (k, v) in bm {
                    merged.insert(k.clone(), v.clone());
                }
            }
            return instance(rng, root, &Value::Object(merged), depth);
        }
    }
    if let Some(all) = m.get("allOf").and_then(Value::as_array)
        && rng.chance(50)
    {
        let mut mm = m.clone();
        mm.remove("allOf");
        for b in all {
            if let Some(bm) = b.get("then").and_then(Value::as_object) {
                for (k, v) in bm {
                    mm.entry(k.clone()).or_insert(v.clone());
                }
            }
        }
        return instance(rng, root, &Value::Object(mm), depth);
    }
    if let Some(c) = m.get("const") {
        return c.clone();
    }
    if let Some(e) = m.get("enum").and_then(Value::as_array) {
        if rng.chance(90) {
            return rng.pick(e).clone();
        }
        return json!(rng.pick(&STRINGS));
    }
    let ty = match m.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => rng.pick(ts).as_str().unwrap_or("null").to_string(),
        _ => {
            if m.contains_key("properties") || m.contains_key("additionalProperties") {
                "object".into()
            } else {
                rng.pick(&["string", "integer", "object", "array", "null", "boolean"])
                    .to_string()
            }
        }
    };
    match ty.as_str() {
        "object" => {
            let mut o = Map::new();
            let req: Vec<&str> = m
                .get("required")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(props) = m.get("properties").and_then(Value::as_object) {
                for (k, ps) in props {
                    if req.contains(&k.as_str()) || rng.chance(50) {
                        o.insert(k.clone(), instance(rng, root, ps, depth + 1));
                    }
                }
            }
            for r in &req {
                if !o.contains_key(*r) {
                    o.insert(r.to_string(), json!(rng.pick(&STRINGS)));
                }
            }
            if let Some(pp) = m.get("patternProperties").and_then(Value::as_object) {
                for (_, ps) in pp {
                    let name = rng.pick(&["build", "test_1", "x-y", "9bad"]).to_string();
                    o.insert(name, instance(rng, root, ps, depth + 1));
                }
            }
            let extra = match m.get("additionalProperties") {
                Some(Value::Bool(false)) => rng.chance(10),
                _ => rng.chance(40),
            };
            if extra {
                let name = format!("{}-{}", rng.pick(&WORDS), rng.below(100));
                let v = match m.get("additionalProperties") {
                    Some(ap @ Value::Object(_)) => instance(rng, root, ap, depth + 1),
                    _ => json!(rng.pick(&STRINGS)),
                };
                o.insert(name, v);
            }
            Value::Object(o)
        }
        "array" => {
            let n = rng.below(4);
            let item = m.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..n)
                    .map(|_| instance(rng, root, &item, depth + 1))
                    .collect(),
            )
        }
        "string" => json!(rng.pick(&STRINGS)),
        "integer" => json!(rng.below(120) as i64 - 10),
        "number" => json!(*rng.pick(&[0.5, 1.0, 2.5, 30.0, -1.0])),
        "boolean" => json!(rng.chance(50)),
        _ => json!(null),
    }
}

// ---- the checks ---------------------------------------------------------------------------------

fn validator(s: &Value) -> Option<jsonschema::Validator> {
    jsonschema::options()
        .should_validate_formats(false)
        .build(s)
        .ok()
}

struct Outcome {
    compatible: Option<bool>,
    findings: Vec<evreg::Finding>,
}

fn compat(dir: &Path, old: &Value, new: &Value, mode: Mode, what: &str) -> Outcome {
    let (o, n) = (dir.join("old.schema.json"), dir.join("new.schema.json"));
    std::fs::write(&o, serde_json::to_string_pretty(old).unwrap()).unwrap();
    std::fs::write(&n, serde_json::to_string_pretty(new).unwrap()).unwrap();
    let start = Instant::now();
    let out = evreg::compat_files(&o, &n, mode, None, Policy::Strict, Default::default()).unwrap();
    let took = start.elapsed();
    assert!(
        took < BUDGET,
        "{what}: took {took:?}\nold: {old}\nnew: {new}"
    );
    Outcome {
        compatible: out.compatible,
        findings: out.report.findings,
    }
}

/// Refusals are remote references, or schemas the jsonschema crate rejects too.
fn refusal_is_justified(o: &Outcome, schemas: &[&Value]) -> bool {
    o.findings.iter().any(|f| f.message.contains("remote"))
        || schemas
            .iter()
            .any(|s| !jsonschema::meta::is_valid(s) || validator(s).is_none())
}

/// One direction: examples are right, and a compatible verdict survives the instance search.
fn check_direction(
    rng: &mut Rng,
    dir: &Path,
    old: &Value,
    new: &Value,
    mode: Mode,
    what: &str,
) -> Option<bool> {
    let o = compat(dir, old, new, mode, what);
    let Some(ok) = o.compatible else {
        assert!(
            refusal_is_justified(&o, &[old, new]),
            "{what}: refused {:#?}\nold: {old}\nnew: {new}",
            o.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        return None;
    };
    let (writer, reader) = match mode {
        Mode::Forward => (new, old),
        _ => (old, new),
    };
    let (wv, rv) = (validator(writer).unwrap(), validator(reader).unwrap());
    for f in &o.findings {
        if f.severity == evreg::Severity::Error {
            ERRORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if f.example.is_some() {
                WITH_EXAMPLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        if let Some(ex) = &f.example {
            assert!(
                wv.is_valid(ex) && !rv.is_valid(ex),
                "{what}: wrong example {ex} for {}\nwriter: {writer}\nreader: {reader}",
                f.rule.id
            );
        }
    }
    if ok {
        let mut valid = 0;
        for _ in 0..INSTANCES * 8 {
            if valid >= INSTANCES {
                break;
            }
            let inst = instance(rng, writer, writer, 0);
            if !wv.is_valid(&inst) {
                continue;
            }
            valid += 1;
            INSTANCES_SEEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            assert!(
                rv.is_valid(&inst),
                "{what}: called compatible, but {inst} is valid under the writer only\nwriter: {writer}\nreader: {reader}"
            );
        }
    }
    Some(ok)
}

#[test]
fn the_corpus_is_compatible_with_itself_and_shuffled_copies() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5EED_2026);
    let mut refused = 0;
    for i in 0..SCHEMAS {
        let s = schema(&mut rng, i);
        let what = format!("schema {i}");
        let o = compat(dir.path(), &s, &s, Mode::Full, &what);
        assert_eq!(
            o.compatible,
            Some(true),
            "{what} against itself: {:#?}\n{s}",
            o.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        let t = shuffled(&mut rng, &s);
        let o = compat(dir.path(), &s, &t, Mode::Full, &what);
        if o.compatible.is_none() {
            refused += 1;
        }
        assert_eq!(
            o.compatible,
            Some(true),
            "{what} against a shuffled copy: {:#?}\nold: {s}\nnew: {t}",
            o.findings
                .iter()
                .map(|f| (&f.rule.id, &f.message))
                .collect::<Vec<_>>()
        );
    }
    assert_eq!(refused, 0);
}

#[test]
fn revisions_are_decided_soundly_with_right_examples() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x0DD5_2026);
    let (mut compatible, mut breaking, mut refused) = (0, 0, 0);
    for i in 0..PAIRS {
        let old = schema(&mut rng, i);
        let mut new = revise(&mut rng, &old);
        draft_fix(&mut new, old["$schema"] == json!(DRAFTS[0]));
        for mode in [Mode::Backward, Mode::Forward] {
            let what = format!("pair {i} {mode:?}");
            match check_direction(&mut rng, dir.path(), &old, &new, mode, &what) {
                Some(true) => compatible += 1,
                Some(false) => breaking += 1,
                None => refused += 1,
            }
        }
    }
    let load = |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!(
        "{compatible} compatible, {breaking} breaking, {refused} refused; {} instances searched; {} of {} errors with an example",
        load(&INSTANCES_SEEN),
        load(&WITH_EXAMPLE),
        load(&ERRORS)
    );
    // The corpus exercises both verdicts.
    assert!(
        compatible > PAIRS / 4 && breaking > PAIRS / 4,
        "{compatible} compatible, {breaking} breaking, {refused} refused"
    );
}

#[test]
fn remote_references_are_the_refusals_and_each_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    for s in [
        json!({"$schema": DRAFTS[1], "type": "object", "properties": {"a": {"$ref": "https://json.schemastore.org/base.json"}}}),
        json!({"$schema": DRAFTS[2], "$id": "https://example.com/s/a.json", "properties": {"m": {"$ref": "money.json"}}}),
    ] {
        let p = dir.path().join("remote.schema.json");
        std::fs::write(&p, s.to_string()).unwrap();
        let out = evreg::compat_files(&p, &p, Mode::Full, None, Policy::Strict, Default::default())
            .unwrap();
        assert_eq!(out.compatible, None);
        let remote: Vec<_> = out
            .report
            .findings
            .iter()
            .filter(|f| f.message.contains("remote"))
            .collect();
        assert_eq!(remote.len(), 1, "{:#?}", out.report.findings);
    }
}
