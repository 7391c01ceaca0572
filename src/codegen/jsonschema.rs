//! JSON Schema onto the type model, read from a version's loaded schema — its files' JSON in
//! member order (drafts 4 to 2020-12 alike for what is generated): objects → structs (closed when `additionalProperties`
//! or `unevaluatedProperties` is `false`), properties not `required` → `Option` (left out of the
//! JSON when absent), string `enum`s → enums, `oneOf` / `anyOf` → unions (`Option` when one
//! branch is `null`), `["T", "null"]` → `Option<T>`, arrays → `Vec`, `additionalProperties`
//! schemas without properties → maps, `$ref`s (`#/$defs/X`, `../money.schema.json#/$defs/Money`,
//! an embedded `$id` or an anchor) → one shared type, `format: uuid` → the UUID type,
//! `format: date-time` / `date` → the date-time / date types. What the model cannot say precisely
//! (tuples, `not`, `if`/`then`, mixed enums) is any JSON value (`serde_json::Value`).

use super::avro::Lowered;
use super::model::{Def, DefId, DefKind, Enum, Field, Struct, Symbol, Ty, TypeSpace, Variant};
use super::names::{Scope, pascal, snake};
use crate::schema::json::JsonSchema;
use crate::source::json::{Node, Value, escape_pointer_token, unescape_pointer_token};
use std::collections::HashMap;

/// Lower one version (`payload` is the root's name, reserved by the caller) from its loaded
/// schema: `$ref`s go where loading resolved them (one resolver for check and codegen alike:
/// embedded `$id`s, anchors, percent-encoded pointers, other files of the registry).
pub fn lower(
    space: &mut TypeSpace,
    scope: &mut Scope,
    schema: &JsonSchema,
    payload: &str,
    doc_head: &str,
) -> Lowered {
    let first = space.defs.len();
    let mut l = Lowerer {
        space,
        scope,
        schema,
        file: 0,
        payload,
        refs: HashMap::new(),
    };
    let root_node: &Node = &schema.files[0].json;
    let ty = l.ty(root_node, "", payload, "", true);
    let root = space.payload_root(ty, payload, doc_of(root_node), doc_head, first);
    Lowered { root }
}

struct Lowerer<'a> {
    space: &'a mut TypeSpace,
    scope: &'a mut Scope,
    schema: &'a JsonSchema,
    /// The file being read (0: the version's own; others are files its references reach).
    file: usize,
    payload: &'a str,
    /// Definitions made for `$ref` targets, by (file, pointer).
    refs: HashMap<(usize, String), DefId>,
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

impl<'a> Lowerer<'a> {
    /// The model type of `schema`, found at pointer `at` of the current file; `ctx` names
    /// definitions made for it, `key` says where it is (the same across versions), `root` gives
    /// the payload's name to the root's definition.
    fn ty(&mut self, schema: &'a Node, at: &str, ctx: &str, key: &str, root: bool) -> Ty {
        if schema.as_object().is_none() {
            // `true`, `false` or not a schema: any value.
            return Ty::Json;
        }
        if schema.get("$ref").is_some() {
            return self.reference(at);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(keyword).and_then(Node::as_array) {
                return self.union(schema, &format!("{at}/{keyword}"), branches, ctx, key, root);
            }
        }
        if let Some([only]) = schema.get("allOf").and_then(Node::as_array) {
            return self.ty(only, &format!("{at}/allOf/0"), ctx, key, root);
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
                self.object(schema, at, ctx, key, root && !nullable)
            }
            [] if nullable => return Ty::Unit,
            [] => return Ty::Json,
            ["object"] => self.object(schema, at, ctx, key, root && !nullable),
            ["array"] => match schema.get("items") {
                Some(items) if items.as_object().is_some() => Ty::Vec(Box::new(self.ty(
                    items,
                    &format!("{at}/items"),
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
    /// whatever refers to it. `at` is the schema holding the `$ref`; its target is where loading
    /// resolved it.
    fn reference(&mut self, at: &str) -> Ty {
        let schema = self.schema;
        let Some((file, pointer)) = schema.ref_target(self.file, at) else {
            // Loading compiled every reachable `$ref`; one it did not reach says nothing here.
            return Ty::Json;
        };
        if let Some(&d) = self.refs.get(&(file, pointer.to_string())) {
            return Ty::Def(d);
        }
        let path = schema.files[file].source.path.as_str();
        let Some(target) = schema.files[file].json.pointer(pointer) else {
            return Ty::Json;
        };
        // Named after the pointer's last segment, or the file (`money.schema.json` → `Money`).
        let last = match pointer.rsplit('/').next().filter(|s| !s.is_empty()) {
            Some(seg) => unescape_pointer_token(seg).into_owned(),
            None => {
                let name = path.rsplit('/').next().unwrap_or(path);
                name.strip_suffix(".schema.json")
                    .or_else(|| name.strip_suffix(".json"))
                    .unwrap_or(name)
                    .to_string()
            }
        };
        let ctx = format!("{}{}", self.payload, pascal(&last));
        // The same key in every version: the pointer in the version's own file, else the file
        // and pointer.
        let key = if file == 0 {
            pointer.to_string()
        } else {
            format!("{path}#{pointer}")
        };
        // A slot first, so a recursive reference finds it; the target's definition moves in.
        let id = self.space.push(Def {
            name: String::new(),
            key: key.clone(),
            doc: None,
            kind: DefKind::Pending,
        });
        self.refs.insert((file, pointer.to_string()), id);
        let outer_file = std::mem::replace(&mut self.file, file);
        let ty = self.ty(target, pointer, &ctx, &key, false);
        self.file = outer_file;
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

    fn object(&mut self, schema: &'a Node, at: &str, ctx: &str, key: &str, root: bool) -> Ty {
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
                    &format!("{at}/additionalProperties"),
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
                &format!("{at}/properties/{}", escape_pointer_token(prop)),
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

    /// `oneOf` / `anyOf` at pointer `at` (of the keyword), with its `branches`.
    fn union(
        &mut self,
        schema: &'a Node,
        at: &str,
        branches: &'a [Node],
        ctx: &str,
        key: &str,
        root: bool,
    ) -> Ty {
        let is_null = |b: &Node| types_of(b) == ["null"];
        let nullable = branches.iter().any(is_null);
        let non_null: Vec<(usize, &'a Node)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_null(b))
            .collect();
        let inner = match non_null.as_slice() {
            [] => Ty::Unit,
            [(i, one)] => self.ty(one, &format!("{at}/{i}"), ctx, key, root && !nullable),
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
                for (i, (at_branch, b)) in many.iter().enumerate() {
                    let label = branch_label(b, i);
                    let vname = variants_scope.take(std::slice::from_ref(&label));
                    let ty = self.ty(
                        b,
                        &format!("{at}/{at_branch}"),
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
        let l = lower(&mut space, &mut scope, &load(schema, &[]), "PV1", "head");
        (space, l)
    }

    /// `text` as `schemas/p/v1.schema.json` of a registry that also holds `others` (path, text).
    fn load(text: &str, others: &[(&str, &str)]) -> JsonSchema {
        use crate::schema::json::{Draft, FileProvider};
        use crate::source::SourceFile;
        use std::sync::Arc;
        let path = "schemas/p/v1.schema.json";
        let source = Arc::new(SourceFile::new(path, text.to_string()));
        let files = others
            .iter()
            .map(|(p, t)| Arc::new(SourceFile::new(*p, t.to_string())))
            .chain([source.clone()]);
        let provider = FileProvider::in_memory("registry", files);
        let loaded = crate::schema::json::load(source, path, &provider, Draft::D2020);
        loaded
            .schema
            .unwrap_or_else(|| panic!("{:?}", loaded.findings))
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

    /// The field `home`'s type, through its `Option`.
    fn home_type(space: &TypeSpace, l: &Lowered) -> Ty {
        let DefKind::Struct(s) = &space.def(l.root).kind else {
            panic!("{:?}", space.def(l.root).kind)
        };
        let Ty::Option(home) = &s.fields[0].ty else {
            panic!("{:?}", s.fields[0].ty)
        };
        (**home).clone()
    }

    #[test]
    fn references_through_embedded_ids_anchors_and_percent_encoded_pointers() {
        let defs = r##""$defs": {
              "a b": {"type": "object", "properties": {"city": {"type": "string"}}},
              "x": {"$id": "urn:example:address", "type": "object", "properties": {"zip": {"type": "string"}}},
              "y": {"$anchor": "addr", "type": "object", "properties": {"street": {"type": "string"}}}
            }"##;
        for (r, name, field) in [
            ("#/$defs/a%20b", "PV1AB", "city"),
            ("urn:example:address", "PV1X", "zip"),
            ("#addr", "PV1Y", "street"),
        ] {
            let schema = format!(
                r##"{{"type": "object", "properties": {{"home": {{"$ref": "{r}"}}}}, {defs}}}"##
            );
            let (space, l) = lowered(&schema);
            let Ty::Def(d) = home_type(&space, &l) else {
                panic!("{r}: not a definition")
            };
            assert_eq!(space.def(d).name, name, "{r}");
            let DefKind::Struct(s) = &space.def(d).kind else {
                panic!("{r}: {:?}", space.def(d).kind)
            };
            assert_eq!(s.fields[0].json, field, "{r}");
        }
    }

    #[test]
    fn a_relative_reference_resolves_against_the_id_in_scope() {
        // The `$id` moves the base to schemas/shared/: `money.json` is schemas/shared/money.json.
        let schema = load(
            r#"{"$id": "../shared/order.json", "type": "object",
                "properties": {"home": {"$ref": "money.json"}}}"#,
            &[(
                "schemas/shared/money.json",
                r#"{"type": "object", "properties": {"cents": {"type": "integer"}}}"#,
            )],
        );
        let (mut space, mut scope) = (TypeSpace::default(), Scope::default());
        scope.reserve("PV1");
        let l = lower(&mut space, &mut scope, &schema, "PV1", "head");
        let Ty::Def(d) = home_type(&space, &l) else {
            panic!("not a definition")
        };
        assert_eq!(space.def(d).name, "PV1Money");
        assert_eq!(space.def(d).key, "schemas/shared/money.json#");
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
