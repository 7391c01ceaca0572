//! Upcasts: `impl From<OrderPlacedV1> for OrderPlacedV2` where version 2 reads version 1 by the
//! Avro resolution rules (the compatibility engine says so), fields paired as the engine pairs
//! them (`writer_field`: name, then reader aliases), added fields filled from the schema's
//! defaults, promotions applied (int→long, …), enum symbols the reader lacks read as its default.
//! Nested records, enums and fixed types get their own `From` impls.

use super::text::{Expr, Writer};
use super::types::{Emitter, default_fn};
use crate::codegen::avro::Lowered;
use crate::codegen::model::{DefId, DefKind, Ty, TypeSpace};
use crate::compat::avro::{names_match, writer_field};
use crate::schema::avro::{AvroSchema, Kind, TypeId};
use std::collections::HashSet;

/// One version as the upcaster reads it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub schema: &'a AvroSchema,
    pub lowered: &'a Lowered,
}

pub struct Upcaster<'a> {
    pub em: &'a Emitter<'a>,
    /// (reader def, writer def) pairs with a committed `From` impl.
    done: HashSet<(DefId, DefId)>,
}

/// One attempt at an upcast: its impls are kept only if the whole conversion can be written.
struct Attempt<'a> {
    r: Side<'a>,
    w: Side<'a>,
    em: &'a Emitter<'a>,
    done: &'a HashSet<(DefId, DefId)>,
    pending: HashSet<(DefId, DefId)>,
    /// The `From` impls written so far, as formatted text.
    impls: Vec<String>,
}

impl<'a> Upcaster<'a> {
    pub fn new(em: &'a Emitter<'a>) -> Self {
        Upcaster {
            em,
            done: HashSet::new(),
        }
    }

    /// The `From` impls that turn the writer version's payload into the reader's, or None when
    /// some part cannot be converted.
    pub fn upcast(&mut self, r: Side<'_>, w: Side<'_>) -> Option<Vec<String>> {
        let mut a = Attempt {
            r,
            w,
            em: self.em,
            done: &self.done,
            pending: HashSet::new(),
            impls: Vec::new(),
        };
        let (rd, wd) = (r.lowered.root, w.lowered.root);
        a.def_pair(rd, r.schema.root, wd, w.schema.root)?;
        let Attempt { pending, impls, .. } = a;
        self.done.extend(pending);
        Some(impls)
    }
}

fn unbox(ty: &Ty) -> (&Ty, bool) {
    match ty {
        Ty::Boxed(inner) => (inner, true),
        t => (t, false),
    }
}

impl<'a> Attempt<'a> {
    fn rkind(&self, t: TypeId) -> &'a Kind {
        &self.r.schema.ty(t).kind
    }
    fn wkind(&self, t: TypeId) -> &'a Kind {
        &self.w.schema.ty(t).kind
    }

    /// Make sure `From<writer def> for <reader def>` exists (or is being written).
    fn def_pair(&mut self, rd: DefId, rt: TypeId, wd: DefId, wt: TypeId) -> Option<()> {
        if rd == wd || self.done.contains(&(rd, wd)) || !self.pending.insert((rd, wd)) {
            return Some(());
        }
        let space: &'a TypeSpace = self.em.space;
        let (rdef, wdef) = (space.def(rd), space.def(wd));
        let (rname, wname) = (&rdef.name, &wdef.name);
        let mut param = "value";
        let body: Expr = match (&rdef.kind, &wdef.kind, self.rkind(rt), self.wkind(wt)) {
            (DefKind::Struct(rs), DefKind::Struct(ws), Kind::Record(rr), Kind::Record(wr)) => {
                let mut used = false;
                let mut fields = Vec::new();
                for (rf, rmf) in rr.fields.iter().zip(&rs.fields) {
                    let value = match writer_field(rf, wr) {
                        Some(wf) => {
                            let wi = wr.fields.iter().position(|f| std::ptr::eq(f, wf))?;
                            let wmf = &ws.fields[wi];
                            used = true;
                            let e = Expr::atom(format!("value.{}", wmf.name));
                            self.conv(e, rf.ty, &rmf.ty, wf.ty, &wmf.ty)?
                        }
                        None => {
                            self.em.value(&rmf.ty, rmf.default.as_ref()?)?;
                            Expr::atom(format!("{rname}::{}()", default_fn(&rmf.name)))
                        }
                    };
                    fields.push((rmf.name.clone(), value));
                }
                if !used {
                    param = "_value";
                }
                Expr::Struct(rname.clone(), fields)
            }
            (DefKind::Enum(re), DefKind::Enum(we), _, _) => {
                let arms = we
                    .symbols
                    .iter()
                    .map(|ws| {
                        let target = re
                            .symbols
                            .iter()
                            .find(|rs| rs.json == ws.json)
                            .or_else(|| re.fallback.map(|i| &re.symbols[i]))?;
                        Some((
                            format!("{wname}::{}", ws.name),
                            Expr::atom(format!("{rname}::{}", target.name)),
                        ))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Expr::Match(Box::new(Expr::atom("value")), arms)
            }
            (DefKind::Fixed { size: rs }, DefKind::Fixed { size: ws }, _, _) if rs == ws => {
                Expr::call(rname.clone(), vec![Expr::atom("value.0")])
            }
            (DefKind::Newtype(ri), DefKind::Newtype(wi), _, _) => {
                let inner = self.conv(Expr::atom("value.0"), rt, ri, wt, wi)?;
                Expr::call(rname.clone(), vec![inner])
            }
            (DefKind::Union(_), DefKind::Union(_), _, _) => {
                let rty = Ty::Def(rd);
                let wty = Ty::Def(wd);
                self.conv_inner(Expr::atom("value"), rt, &rty, wt, &wty)?
            }
            _ => return None,
        };
        let mut w = Writer::new();
        w.open(&format!("impl From<{wname}> for {rname}"));
        w.open(&format!("fn from({param}: {wname}) -> Self"));
        w.expr("", &body, "");
        w.close("");
        w.close("");
        self.impls.push(w.out);
        Some(())
    }

    /// An expression of the reader's Rust type `rty` from `e` of the writer's `wty`, following
    /// Avro types `rt` (reader) and `wt` (writer).
    fn conv(&mut self, e: Expr, rt: TypeId, rty: &Ty, wt: TypeId, wty: &Ty) -> Option<Expr> {
        let (wty, wboxed) = unbox(wty);
        let e = if wboxed { deref(e) } else { e };
        let (rty, rboxed) = unbox(rty);
        let boxed = |x: Expr| {
            if rboxed {
                Expr::call("Box::new", vec![x])
            } else {
                x
            }
        };
        // The same type (a definition shared by both versions included): nothing to convert.
        if rty == wty {
            return Some(boxed(e));
        }
        // A union or newtype definition converts through its own `From` impl.
        let out = match (rty, wty) {
            (Ty::Def(rd), Ty::Def(wd))
                if matches!(
                    (&self.em.space.def(*rd).kind, &self.em.space.def(*wd).kind),
                    (DefKind::Union(_), DefKind::Union(_))
                        | (DefKind::Newtype(_), DefKind::Newtype(_))
                ) =>
            {
                self.def_pair(*rd, rt, *wd, wt)?;
                Expr::call(format!("{}::from", self.em.space.def(*rd).name), vec![e])
            }
            _ => self.conv_inner(e, rt, rty, wt, wty)?,
        };
        Some(boxed(out))
    }

    fn conv_inner(&mut self, e: Expr, rt: TypeId, rty: &Ty, wt: TypeId, wty: &Ty) -> Option<Expr> {
        if let Kind::Union(wbs) = self.wkind(wt) {
            return self.writer_union(e, rt, rty, wbs, wty);
        }
        if let Kind::Union(_) = self.rkind(rt) {
            return self.reader_union(e, rt, rty, wt, wty);
        }
        let space = self.em.space;
        let x = Expr::atom("x");
        match (self.rkind(rt), self.wkind(wt), rty, wty) {
            (Kind::Record(_) | Kind::Enum(_) | Kind::Fixed(_), _, Ty::Def(rd), Ty::Def(wd)) => {
                let (rd, wd) = (*rd, *wd);
                self.def_pair(rd, rt, wd, wt)?;
                Some(Expr::call(format!("{}::from", space.def(rd).name), vec![e]))
            }
            (Kind::Array(ri), Kind::Array(wi), Ty::Vec(rit), Ty::Vec(wit)) => {
                let (ri, wi) = (*ri, *wi);
                let item = self.conv(x.clone(), ri, rit, wi, wit)?;
                Some(if item == x {
                    e
                } else {
                    e.method("into_iter", vec![])
                        .method("map", vec![closure(item)])
                        .method("collect", vec![])
                })
            }
            (Kind::Map(rv), Kind::Map(wv), Ty::Map(rvt), Ty::Map(wvt)) => {
                let (rv, wv) = (*rv, *wv);
                let value = self.conv(x.clone(), rv, rvt, wv, wvt)?;
                Some(if value == x {
                    e
                } else {
                    let pair = Expr::Tuple(vec![Expr::atom("k"), value]);
                    e.method("into_iter", vec![])
                        .method("map", vec![Expr::closure("(k, x)", pair)])
                        .method("collect", vec![])
                })
            }
            (_, _, rty, wty) => promote(e, rty, wty),
        }
    }

    /// The reader's value for the writer's `null`.
    fn reader_null(rty: &Ty) -> Option<Expr> {
        match rty {
            Ty::Option(_) => Some(Expr::atom("None")),
            Ty::Unit => Some(Expr::atom("()")),
            _ => None,
        }
    }

    fn writer_union(
        &mut self,
        e: Expr,
        rt: TypeId,
        rty: &Ty,
        wbs: &[TypeId],
        wty: &Ty,
    ) -> Option<Expr> {
        let non_null: Vec<TypeId> = wbs
            .iter()
            .copied()
            .filter(|b| !matches!(self.wkind(*b), Kind::Null))
            .collect();
        let (inner, nullable) = match wty {
            Ty::Option(inner) if non_null.len() < wbs.len() => (inner.as_ref(), true),
            Ty::Unit => return Self::reader_null(rty),
            t => (t, false),
        };
        let x = if nullable { Expr::atom("x") } else { e.clone() };
        let body = match non_null.as_slice() {
            [] => return Self::reader_null(rty),
            [one] => self.reader_value(x, rt, rty, *one, inner)?,
            many => {
                let (inner, boxed) = unbox(inner);
                let Ty::Def(wd) = inner else { return None };
                let DefKind::Union(variants) = &self.em.space.def(*wd).kind else {
                    return None;
                };
                let wname = &self.em.space.def(*wd).name;
                let x = if boxed { deref(x) } else { x };
                let mut arms = Vec::new();
                for (b, v) in many.iter().zip(variants) {
                    let value = self.reader_value(Expr::atom("y"), rt, rty, *b, &v.ty)?;
                    arms.push((format!("{wname}::{}(y)", v.name), value));
                }
                Expr::Match(Box::new(x), arms)
            }
        };
        if !nullable {
            return Some(body);
        }
        let null = Self::reader_null(rty)?;
        if null == Expr::atom("None")
            && let Some(inner) = body.arg_of("Some")
        {
            // `None` stays `None`; `Some` converts, as `Option::map` says best.
            if *inner == Expr::atom("x") {
                return Some(e);
            }
            return Some(e.method("map", vec![closure(inner.clone())]));
        }
        Some(Expr::Match(
            Box::new(e),
            vec![("None".into(), null), ("Some(x)".into(), body)],
        ))
    }

    /// A value of the reader type from a writer value of a non-union type.
    fn reader_value(
        &mut self,
        e: Expr,
        rt: TypeId,
        rty: &Ty,
        wt: TypeId,
        wty: &Ty,
    ) -> Option<Expr> {
        if let Kind::Union(_) = self.rkind(rt) {
            self.reader_union(e, rt, rty, wt, wty)
        } else {
            self.conv(e, rt, rty, wt, wty)
        }
    }

    fn reader_union(
        &mut self,
        e: Expr,
        rt: TypeId,
        rty: &Ty,
        wt: TypeId,
        wty: &Ty,
    ) -> Option<Expr> {
        let Kind::Union(rbs) = self.rkind(rt) else {
            return None;
        };
        let non_null: Vec<TypeId> = rbs
            .iter()
            .copied()
            .filter(|b| !matches!(self.rkind(*b), Kind::Null))
            .collect();
        let p = self.branch_for(&non_null, wt)?;
        let (inner, optional) = match rty {
            Ty::Option(inner) if non_null.len() < rbs.len() => (inner.as_ref(), true),
            t => (t, false),
        };
        let value = if non_null.len() == 1 {
            self.conv(e, non_null[0], inner, wt, wty)?
        } else {
            let (u, boxed) = unbox(inner);
            let Ty::Def(rd) = u else { return None };
            let DefKind::Union(variants) = &self.em.space.def(*rd).kind else {
                return None;
            };
            let path = format!("{}::{}", self.em.space.def(*rd).name, variants[p].name);
            let vty = variants[p].ty.clone();
            let x = Expr::call(path, vec![self.conv(e, non_null[p], &vty, wt, wty)?]);
            if boxed {
                Expr::call("Box::new", vec![x])
            } else {
                x
            }
        };
        Some(if optional {
            Expr::call("Some", vec![value])
        } else {
            value
        })
    }

    /// The reader branch a writer type resolves to: the first of the same type (and name), else
    /// the first it promotes to.
    fn branch_for(&self, branches: &[TypeId], wt: TypeId) -> Option<usize> {
        let wk = self.wkind(wt);
        let same = |rk: &Kind| match (rk, wk) {
            (Kind::Record(_), Kind::Record(_))
            | (Kind::Enum(_), Kind::Enum(_))
            | (Kind::Fixed(_), Kind::Fixed(_)) => names_match(rk, wk),
            _ => std::mem::discriminant(rk) == std::mem::discriminant(wk),
        };
        branches
            .iter()
            .position(|b| same(self.rkind(*b)))
            .or_else(|| {
                branches.iter().position(|b| {
                    matches!(
                        (self.rkind(*b), wk),
                        (Kind::Long, Kind::Int)
                            | (Kind::Float, Kind::Int | Kind::Long)
                            | (Kind::Double, Kind::Int | Kind::Long | Kind::Float)
                            | (Kind::Bytes, Kind::String)
                            | (Kind::String, Kind::Bytes)
                    )
                })
            })
    }
}

/// Avro's promotions between Rust primitives.
fn promote(e: Expr, rty: &Ty, wty: &Ty) -> Option<Expr> {
    let flat = e.flat()?;
    Some(match (rty, wty) {
        (Ty::I64, Ty::I32) => Expr::call("i64::from", vec![e]),
        (Ty::F64, Ty::I32 | Ty::F32) => Expr::call("f64::from", vec![e]),
        (Ty::F32, Ty::I32 | Ty::I64) => Expr::atom(format!("{flat} as f32")),
        (Ty::F64, Ty::I64) => Expr::atom(format!("{flat} as f64")),
        (Ty::Bytes, Ty::String) => Expr::call("Bytes", vec![e.method("into_bytes", vec![])]),
        (Ty::String, Ty::Bytes) => {
            Expr::atom(format!("String::from_utf8_lossy(&{flat}.0).into_owned()"))
        }
        _ => return None,
    })
}

/// `*e`, for a boxed value.
fn deref(e: Expr) -> Expr {
    match e.flat() {
        Some(flat) => Expr::atom(format!("(*{flat})")),
        None => e,
    }
}

/// `|x| body`, or the function itself when the body only applies one to `x` (`T::from`).
fn closure(body: Expr) -> Expr {
    match &body {
        Expr::Call(path, args) if args.len() == 1 && args[0] == Expr::atom("x") => {
            Expr::atom(path.clone())
        }
        _ => Expr::closure("x", body),
    }
}
