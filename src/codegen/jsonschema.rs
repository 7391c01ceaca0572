//! JSON Schema onto the type model, read from a version's raw JSON (drafts 7, 2019-09 and
//! 2020-12 alike for what is generated): objects → structs (closed when `additionalProperties`
//! or `unevaluatedProperties` is `false`), properties not `required` → `Option` (left out of the
//! JSON when absent), string `enum`s → enums, `oneOf` / `anyOf` → unions (`Option` when one
//! branch is `null`), `["T", "null"]` → `Option<T>`, arrays → `Vec`, `additionalProperties`
//! schemas without properties → maps, `$ref`s (`#/$defs/X`, or `../money.schema.json#/$defs/Money`
//! for a file inside the registry) → one shared type, `format: uuid` → the UUID type. What the
//! model cannot say precisely (a `$ref` to a URL, tuples, `not`, `if`/`then`, mixed enums) is any
//! JSON value (`serde_json::Value`).

use super::avro::Lowered;
use super::model::{Def, DefId, DefKind, Enum, Field, Struct, Symbol, Ty, TypeSpace, Variant};
use super::names::{Scope, pascal, snake};
use crate::source::json::{Node, Value};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// The schema documents a subject's versions refer to: files read once, by their path relative
/// to the registry root. A reference leaving the registry, or to a URL, is not followed.
#[derive(Debug, Default)]
pub struct Documents {
    root_dir: Option<std::path::PathBuf>,
    cache: HashMap<String, Option<Rc<Node>>>,
}

impl Documents {
    /// Documents read from the registry rooted at `root_dir`.
    pub fn new(root_dir: &Path) -> Documents {
        Documents {
            root_dir: Some(root_dir.to_path_buf()),
            cache: HashMap::new(),
        }
    }

    fn load(&mut self, path: &str) -> Option<Rc<Node>> {
        if let Some(doc) = self.cache.get(path) {
            return doc.clone();
        }
        let doc = self.read(path).map(Rc::new);
        self.cache.insert(path.to_string(), doc.clone());
        doc
    }

    fn read(&self, path: &str) -> Option<Node> {
        if !path.ends_with(".json") {
            return None;
        }
        // Through the gate: inside the registry, regular files only.
        let gate = crate::fsutil::Gate::new(self.root_dir.as_ref()?).ok()?;
        let text = String::from_utf8(gate.read(path).ok()?).ok()?;
        crate::source::json::parse(&text).ok()
    }
}

/// `dir/../x.json` → `x.json`; None when the path leaves the root.
fn join(base_file: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = base_file.split('/').collect();
    parts.pop();
    for p in relative.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Lower one version (`payload` is the root's name, reserved by the caller); `path` is the
/// version's file, relative to the registry root, for the references it makes to other files.
pub fn lower(
    space: &mut TypeSpace,
    scope: &mut Scope,
    docs: &mut Documents,
    schema: Rc<Node>,
    path: &str,
    payload: &str,
    doc_head: &str,
) -> Lowered {
    let first = space.defs.len();
    let mut l = Lowerer {
        space,
        scope,
        docs,
        doc: schema.clone(),
        doc_path: path.to_string(),
        version_path: path.to_string(),
        payload,
        refs: HashMap::new(),
    };
    let ty = l.ty(&schema, payload, "", true);
    let root = space.payload_root(ty, payload, doc_of(&schema), doc_head, first);
    Lowered { root }
}

struct Lowerer<'a> {
    space: &'a mut TypeSpace,
    scope: &'a mut Scope,
    docs: &'a mut Documents,
    /// The document being read, and its path (references are relative to it).
    doc: Rc<Node>,
    doc_path: String,
    /// The version's own file.
    version_path: String,
    payload: &'a str,
    /// Definitions made for `$ref` targets, by `path#pointer`.
    refs: HashMap<String, DefId>,
}

fn doc_of(schema: &Node) -> Option<String> {
    let get = |k: &str| schema.get(k).and_then(Node::as_str).map(str::trim);
    match (get("title"), get("description")) {
        (Some(t), Some(d)) if !d.is_empty() => Some(format!("{t}\n\n{d}")),
        (Some(t), _) if !t.is_empty() => Some(t.to_string()),
        (_, Some(d)) if !d.is_empty() => Some(d.to_string()),
        _ => None,
    }
}

/// The types a schema's `type` names.
fn types_of(schema: &Node) -> Vec<&str> {
    match schema.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    }
}

impl Lowerer<'_> {
    /// The model type of `schema`; `ctx` names definitions made for it, `key` says where it is
    /// (the same across versions), `root` gives the payload's name to the root's definition.
    fn ty(&mut self, schema: &Node, ctx: &str, key: &str, root: bool) -> Ty {
        if schema.as_object().is_none() {
            // `true`, `false` or not a schema: any value.
            return Ty::Json;
        }
        if let Some(r) = schema.get("$ref").and_then(Node::as_str) {
            return self.reference(r);
        }
        if let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Node::as_array)
        {
            return self.union(schema, branches, ctx, key, root);
        }
        if let Some([only]) = schema.get("allOf").and_then(Node::as_array) {
            return self.ty(only, ctx, key, root);
        }
        if let Some(symbols) = schema.get("enum").and_then(Node::as_array) {
            let nullable = symbols.iter().any(|v| v.value == Value::Null);
            let strings: Option<Vec<&str>> = symbols
                .iter()
                .filter(|v| v.value != Value::Null)
                .map(Node::as_str)
                .collect();
            return match strings {
                Some(strings) if !strings.is_empty() => {
                    let t = self.enumeration(schema, &strings, ctx, key, root && !nullable);
                    if nullable { Ty::Option(Box::new(t)) } else { t }
                }
                _ => Ty::Json,
            };
        }
        if let Some(c) = schema.get("const") {
            return match &c.value {
                Value::String(_) => Ty::String,
                Value::Bool(_) => Ty::Bool,
                Value::Number(n) if n.is_integer() => Ty::I64,
                Value::Number(_) => Ty::F64,
                _ => Ty::Json,
            };
        }
        let types = types_of(schema);
        let nullable = types.contains(&"null");
        let non_null: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
        let inner = match non_null.as_slice() {
            [] if schema.get("properties").is_some() => {
                self.object(schema, ctx, key, root && !nullable)
            }
            [] if nullable => return Ty::Unit,
            [] => return Ty::Json,
            ["object"] => self.object(schema, ctx, key, root && !nullable),
            ["array"] => match schema.get("items") {
                Some(items) if items.as_object().is_some() => Ty::Vec(Box::new(self.ty(
                    items,
                    &format!("{ctx}Item"),
                    &format!("{key}/items"),
                    false,
                ))),
                _ => Ty::Vec(Box::new(Ty::Json)),
            },
            ["string"] => match schema.get("format").and_then(Node::as_str) {
                Some("uuid") => Ty::Uuid,
                Some("date-time") => Ty::DateTimeText,
                Some("date") => Ty::DateText,
                _ => Ty::String,
            },
            ["integer"] => Ty::I64,
            ["number"] => Ty::F64,
            ["boolean"] => Ty::Bool,
            _ => Ty::Json,
        };
        if nullable {
            Ty::Option(Box::new(inner))
        } else {
            inner
        }
    }

    /// A `$ref` (in the same file, or to a file of the registry) becomes one definition,
    /// whatever refers to it.
    fn reference(&mut self, r: &str) -> Ty {
        let file = r.split('#').next().unwrap_or(r);
        // A relative path above the registry's root is refused, as the loader refuses it.
        if !file.contains(':') && !file.starts_with('/') && join(&self.doc_path, file).is_none() {
            return Ty::Json;
        }
        // Resolved as the loader resolves it: against the file's `evreg:/` URI, so root-relative
        // (`/schemas/…`) and absolute (`evreg:/schemas/…`) references reach the same file.
        let abs =
            crate::schema::json::resolve_uri(&crate::schema::json::file_uri(&self.doc_path), r);
        let (doc, pointer) = abs.split_once('#').unwrap_or((abs.as_str(), ""));
        let Some(path) = doc.strip_prefix("evreg:/") else {
            // A URL or URN: nothing is fetched.
            return Ty::Json;
        };
        let (path, pointer) = (
            path.trim_start_matches('/').to_string(),
            pointer.to_string(),
        );
        let pointer = pointer.as_str();
        let full = format!("{path}#{pointer}");
        if let Some(&d) = self.refs.get(&full) {
            return Ty::Def(d);
        }
        let doc = if path == self.doc_path {
            self.doc.clone()
        } else {
            match self.docs.load(&path) {
                Some(d) => d,
                None => return Ty::Json,
            }
        };
        let Some(target) = doc.pointer(pointer) else {
            return Ty::Json;
        };
        // Named after the pointer's last segment, or the file (`money.schema.json` → `Money`).
        let last = match pointer.rsplit('/').next().filter(|s| !s.is_empty()) {
            Some(seg) => seg,
            None => {
                let name = path.rsplit('/').next().unwrap_or(&path);
                name.strip_suffix(".schema.json")
                    .or_else(|| name.strip_suffix(".json"))
                    .unwrap_or(name)
            }
        };
        let ctx = format!("{}{}", self.payload, pascal(last));
        // The same key in every version: the pointer in the version's own file.
        let key = if path == self.version_path {
            pointer.to_string()
        } else {
            full.clone()
        };
        // A slot first, so a recursive reference finds it; the target's definition moves in.
        let id = self.space.push(Def {
            name: String::new(),
            key: key.clone(),
            doc: None,
            kind: DefKind::Pending,
        });
        self.refs.insert(full, id);
        let outer_doc = std::mem::replace(&mut self.doc, doc.clone());
        let outer_path = std::mem::replace(&mut self.doc_path, path);
        let ty = self.ty(target, &ctx, &key, false);
        self.doc = outer_doc;
        self.doc_path = outer_path;
        match ty {
            Ty::Def(made)
                if made > id
                    && self.space.defs[made].key == key
                    && !matches!(self.space.defs[made].kind, DefKind::Pending) =>
            {
                let moved = std::mem::replace(
                    &mut self.space.defs[made],
                    Def {
                        name: String::new(),
                        key: String::new(),
                        doc: None,
                        kind: DefKind::Pending,
                    },
                );
                self.space.defs[id] = moved;
            }
            other => {
                self.space.defs[id] = Def {
                    name: self.scope.take(&[ctx]),
                    key,
                    doc: doc_of(target),
                    kind: DefKind::Newtype(other),
                };
            }
        }
        Ty::Def(id)
    }

    fn object(&mut self, schema: &Node, ctx: &str, key: &str, root: bool) -> Ty {
        let props = schema
            .get("properties")
            .and_then(Node::as_object)
            .unwrap_or_default();
        let additional = schema.get("additionalProperties");
        if props.is_empty() {
            // A map: `additionalProperties` gives the values.
            return match additional {
                Some(v) if v.as_object().is_some() => Ty::Map(Box::new(self.ty(
                    v,
                    &format!("{ctx}Value"),
                    &format!("{key}/additionalProperties"),
                    false,
                ))),
                _ => Ty::Map(Box::new(Ty::Json)),
            };
        }
        let name = if root {
            self.payload.to_string()
        } else {
            self.scope.take(&[ctx.to_string()])
        };
        let id = self.space.push(Def {
            name: name.clone(),
            key: if root { String::new() } else { key.to_string() },
            doc: doc_of(schema),
            kind: DefKind::Pending,
        });
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Node::as_array)
            .map(|r| r.iter().filter_map(Node::as_str).collect())
            .unwrap_or_default();
        let mut fields_scope = Scope::default();
        let mut fields = Vec::with_capacity(props.len());
        for member in props {
            let (prop, pschema) = (&member.key, &member.value);
            let ty = self.ty(
                pschema,
                &format!("{name}{}", pascal(prop)),
                &format!("{key}/properties/{prop}"),
                false,
            );
            let default = pschema.get("default").map(Node::to_serde);
            let optional = !required.contains(&prop.as_str());
            let absent_only = optional && default.is_none() && !matches!(ty, Ty::Option(_));
            let ty = if absent_only {
                Ty::Option(Box::new(ty))
            } else {
                ty
            };
            fields.push(Field {
                name: fields_scope.take(&[snake(prop)]),
                json: prop.clone(),
                aliases: Vec::new(),
                doc: doc_of(pschema),
                omit_none: optional,
                absent_only,
                ty,
                default,
            });
        }
        let closed = additional.and_then(Node::as_bool) == Some(false)
            || schema.get("unevaluatedProperties").and_then(Node::as_bool) == Some(false);
        self.space.defs[id].kind = DefKind::Struct(Struct {
            fields,
            deny_unknown: closed,
        });
        Ty::Def(id)
    }

    fn enumeration(
        &mut self,
        schema: &Node,
        symbols: &[&str],
        ctx: &str,
        key: &str,
        root: bool,
    ) -> Ty {
        let name = if root {
            self.payload.to_string()
        } else {
            self.scope.take(&[ctx.to_string()])
        };
        let mut symbols_scope = Scope::default();
        let symbols = symbols
            .iter()
            .map(|s| Symbol {
                name: symbols_scope.take(&[pascal(s)]),
                json: s.to_string(),
            })
            .collect();
        let id = self.space.push(Def {
            name,
            key: if root { String::new() } else { key.to_string() },
            doc: doc_of(schema),
            kind: DefKind::Enum(Enum {
                symbols,
                fallback: None,
            }),
        });
        Ty::Def(id)
    }

    fn union(&mut self, schema: &Node, branches: &[Node], ctx: &str, key: &str, root: bool) -> Ty {
        let is_null = |b: &Node| types_of(b) == ["null"];
        let nullable = branches.iter().any(is_null);
        let non_null: Vec<&Node> = branches.iter().filter(|b| !is_null(b)).collect();
        let inner = match non_null.as_slice() {
            [] => Ty::Unit,
            [one] => self.ty(one, ctx, key, root && !nullable),
            many => {
                let name = if root && !nullable {
                    self.payload.to_string()
                } else {
                    self.scope.take(&[ctx.to_string()])
                };
                let id = self.space.push(Def {
                    name: name.clone(),
                    key: if root && !nullable {
                        String::new()
                    } else {
                        key.to_string()
                    },
                    doc: doc_of(schema),
                    kind: DefKind::Pending,
                });
                let mut variants_scope = Scope::default();
                let mut variants = Vec::with_capacity(many.len());
                for (i, b) in many.iter().enumerate() {
                    let label = branch_label(b, i);
                    let vname = variants_scope.take(std::slice::from_ref(&label));
                    let ty = self.ty(
                        b,
                        &format!("{name}{vname}"),
                        &format!("{key}/oneOf/{i}"),
                        false,
                    );
                    variants.push(Variant { name: vname, ty });
                }
                self.space.defs[id].kind = DefKind::Union(variants);
                Ty::Def(id)
            }
        };
        if nullable && inner != Ty::Unit {
            Ty::Option(Box::new(inner))
        } else {
            inner
        }
    }
}

/// A union variant's name: the branch's title, the name its `$ref` gives, or its type.
fn branch_label(b: &Node, i: usize) -> String {
    if let Some(t) = b.get("title").and_then(Node::as_str) {
        return pascal(t);
    }
    if let Some(r) = b.get("$ref").and_then(Node::as_str) {
        return pascal(r.rsplit('/').next().unwrap_or("Ref"));
    }
    match types_of(b).first() {
        Some(t) => pascal(t),
        None => format!("Variant{}", i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(schema: &str) -> (TypeSpace, Lowered) {
        let mut space = TypeSpace::default();
        let mut scope = Scope::default();
        scope.reserve("PV1");
        let v = Rc::new(crate::source::json::parse(schema).unwrap());
        let mut docs = Documents::default();
        let l = lower(
            &mut space,
            &mut scope,
            &mut docs,
            v,
            "schemas/p/v1.schema.json",
            "PV1",
            "head",
        );
        (space, l)
    }

    #[test]
    fn references_resolve_as_the_loader_resolves_them() {
        for r in [
            "#/$defs/Address",
            "v1.schema.json#/$defs/Address",
            "/schemas/p/v1.schema.json#/$defs/Address",
            "evreg:/schemas/p/v1.schema.json#/$defs/Address",
        ] {
            let schema = format!(
                r##"{{"type": "object", "properties": {{"home": {{"$ref": "{r}"}}}},
                    "$defs": {{"Address": {{"type": "object", "properties": {{"city": {{"type": "string"}}}}}}}}}}"##
            );
            let (space, l) = lowered(&schema);
            let DefKind::Struct(s) = &space.def(l.root).kind else {
                panic!()
            };
            let Ty::Option(home) = &s.fields[0].ty else {
                panic!("{r}: {:?}", s.fields[0].ty)
            };
            assert!(matches!(**home, Ty::Def(_)), "{r}: {home:?}");
        }
    }

    #[test]
    fn objects_refs_enums_and_unions() {
        let (space, l) = lowered(
            r##"{"type": "object", "additionalProperties": false, "required": ["id", "kind"],
                "properties": {
                  "id": {"type": "string", "format": "uuid"},
                  "kind": {"enum": ["a-b", "c"]},
                  "note": {"type": ["string", "null"]},
                  "home": {"$ref": "#/$defs/Address"},
                  "work": {"$ref": "#/$defs/Address"},
                  "amount": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                  "tags": {"type": "object", "additionalProperties": {"type": "string"}}
                },
                "$defs": {"Address": {"type": "object", "properties": {"city": {"type": "string"}}}}}"##,
        );
        let root = space.def(l.root);
        assert_eq!(root.name, "PV1");
        let DefKind::Struct(s) = &root.kind else {
            panic!()
        };
        assert!(s.deny_unknown);
        let ty = |n: &str| &s.fields.iter().find(|f| f.json == n).unwrap().ty;
        assert_eq!(ty("id"), &Ty::Uuid);
        assert!(matches!(ty("note"), Ty::Option(t) if **t == Ty::String));
        assert_eq!(ty("home"), ty("work"));
        let Ty::Option(home) = ty("home") else {
            panic!()
        };
        let Ty::Def(a) = **home else { panic!() };
        assert_eq!(space.def(a).name, "PV1Address");
        assert!(matches!(&space.def(a).kind, DefKind::Struct(_)));
        assert!(matches!(ty("tags"), Ty::Option(t) if matches!(**t, Ty::Map(_))));
        let Ty::Option(amount) = ty("amount") else {
            panic!()
        };
        let Ty::Def(u) = **amount else { panic!() };
        let DefKind::Union(vs) = &space.def(u).kind else {
            panic!()
        };
        assert_eq!(
            vs.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            ["Integer", "String"]
        );
    }
}
