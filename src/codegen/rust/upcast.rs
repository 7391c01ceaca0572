//! Upcasts: `impl From<OrderPlacedV1> for OrderPlacedV2` where version 2 reads version 1 by the
//! Avro resolution rules (the compatibility engine says so), fields paired as the engine pairs
//! them (`writer_field`: name, then reader aliases), added fields filled from the schema's
//! defaults, promotions applied (int→long, …), enum symbols the reader lacks read as its default.
//! Nested records, enums and fixed types get their own `From` impls.

use super::types::{Emitter, ident};
use crate::codegen::avro::Lowered;
use crate::codegen::model::{DefId, DefKind, Ty, TypeSpace};
use crate::compat::avro::{names_match, writer_field};
use crate::schema::avro::{AvroSchema, Kind, TypeId};
use proc_macro2::TokenStream;
use quote::quote;
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
    impls: Vec<TokenStream>,
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
    pub fn upcast(&mut self, r: Side<'_>, w: Side<'_>) -> Option<Vec<TokenStream>> {
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
        let (rname, wname) = (ident(&rdef.name), ident(&wdef.name));
        let body = match (&rdef.kind, &wdef.kind, self.rkind(rt), self.wkind(wt)) {
            (DefKind::Struct(rs), DefKind::Struct(ws), Kind::Record(rr), Kind::Record(wr)) => {
                let mut used = false;
                let mut fields = Vec::new();
                for (rf, rmf) in rr.fields.iter().zip(&rs.fields) {
                    let fname = ident(&rmf.name);
                    let value = match writer_field(rf, wr) {
                        Some(wf) => {
                            let wi = wr.fields.iter().position(|f| std::ptr::eq(f, wf))?;
                            let wmf = &ws.fields[wi];
                            let wfname = ident(&wmf.name);
                            used = true;
                            self.conv(quote!(value.#wfname), rf.ty, &rmf.ty, wf.ty, &wmf.ty)?
                        }
                        None => {
                            rmf.default.as_ref()?;
                            self.em.value(&rmf.ty, rmf.default.as_ref()?)?;
                            let dname = quote::format_ident!(
                                "default_{}",
                                rmf.name.trim_start_matches('_')
                            );
                            quote!(#rname::#dname())
                        }
                    };
                    fields.push(quote!(#fname: #value));
                }
                let param = if used { quote!(value) } else { quote!(_value) };
                quote! {
                    fn from(#param: #wname) -> Self {
                        #rname { #(#fields),* }
                    }
                }
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
                        let (wv, rv) = (ident(&ws.name), ident(&target.name));
                        Some(quote!(#wname::#wv => #rname::#rv))
                    })
                    .collect::<Option<Vec<_>>>()?;
                quote! {
                    fn from(value: #wname) -> Self {
                        match value {
                            #(#arms,)*
                        }
                    }
                }
            }
            (DefKind::Fixed { size: rs }, DefKind::Fixed { size: ws }, _, _) if rs == ws => {
                quote! {
                    fn from(value: #wname) -> Self {
                        #rname(value.0)
                    }
                }
            }
            (DefKind::Newtype(ri), DefKind::Newtype(wi), _, _) => {
                let inner = self.conv(quote!(value.0), rt, ri, wt, wi)?;
                quote! {
                    fn from(value: #wname) -> Self {
                        #rname(#inner)
                    }
                }
            }
            (DefKind::Union(_), DefKind::Union(_), _, _) => {
                let rty = Ty::Def(rd);
                let wty = Ty::Def(wd);
                let inner = self.conv_inner(quote!(value), rt, &rty, wt, &wty)?;
                quote! {
                    fn from(value: #wname) -> Self {
                        #inner
                    }
                }
            }
            _ => return None,
        };
        self.impls.push(quote! {
            impl From<#wname> for #rname {
                #body
            }
        });
        Some(())
    }

    /// An expression of the reader's Rust type `rty` from `e` of the writer's `wty`, following
    /// Avro types `rt` (reader) and `wt` (writer).
    fn conv(
        &mut self,
        e: TokenStream,
        rt: TypeId,
        rty: &Ty,
        wt: TypeId,
        wty: &Ty,
    ) -> Option<TokenStream> {
        let (wty, wboxed) = unbox(wty);
        let e = if wboxed { quote!((*#e)) } else { e };
        let (rty, rboxed) = unbox(rty);
        // The same type (a definition shared by both versions included): nothing to convert.
        if rty == wty {
            return Some(if rboxed { quote!(Box::new(#e)) } else { e });
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
                let rname = ident(&self.em.space.def(*rd).name);
                quote!(#rname::from(#e))
            }
            _ => self.conv_inner(e, rt, rty, wt, wty)?,
        };
        Some(if rboxed { quote!(Box::new(#out)) } else { out })
    }

    fn conv_inner(
        &mut self,
        e: TokenStream,
        rt: TypeId,
        rty: &Ty,
        wt: TypeId,
        wty: &Ty,
    ) -> Option<TokenStream> {
        if let Kind::Union(wbs) = self.wkind(wt) {
            let wbs = wbs.clone();
            return self.writer_union(e, rt, rty, &wbs, wty);
        }
        if let Kind::Union(_) = self.rkind(rt) {
            return self.reader_union(e, rt, rty, wt, wty);
        }
        let space = self.em.space;
        match (self.rkind(rt), self.wkind(wt), rty, wty) {
            (Kind::Record(_) | Kind::Enum(_) | Kind::Fixed(_), _, Ty::Def(rd), Ty::Def(wd)) => {
                let (rd, wd) = (*rd, *wd);
                self.def_pair(rd, rt, wd, wt)?;
                let rname = ident(&space.def(rd).name);
                Some(quote!(#rname::from(#e)))
            }
            (Kind::Array(ri), Kind::Array(wi), Ty::Vec(rit), Ty::Vec(wit)) => {
                let (ri, wi) = (*ri, *wi);
                let x = self.conv(quote!(x), ri, rit, wi, wit)?;
                Some(if x.to_string() == "x" {
                    e
                } else {
                    let f = closure(x);
                    quote!(#e.into_iter().map(#f).collect())
                })
            }
            (Kind::Map(rv), Kind::Map(wv), Ty::Map(rvt), Ty::Map(wvt)) => {
                let (rv, wv) = (*rv, *wv);
                let x = self.conv(quote!(x), rv, rvt, wv, wvt)?;
                Some(if x.to_string() == "x" {
                    e
                } else {
                    quote!(#e.into_iter().map(|(k, x)| (k, #x)).collect())
                })
            }
            (_, _, rty, wty) => promote(e, rty, wty),
        }
    }

    /// The reader's value for the writer's `null`.
    fn reader_null(rty: &Ty) -> Option<TokenStream> {
        match rty {
            Ty::Option(_) => Some(quote!(None)),
            Ty::Unit => Some(quote!(())),
            _ => None,
        }
    }

    fn writer_union(
        &mut self,
        e: TokenStream,
        rt: TypeId,
        rty: &Ty,
        wbs: &[TypeId],
        wty: &Ty,
    ) -> Option<TokenStream> {
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
        let x = if nullable { quote!(x) } else { e.clone() };
        let body = match non_null.as_slice() {
            [] => return Self::reader_null(rty),
            [one] => self.reader_value(x, rt, rty, *one, inner)?,
            many => {
                let (inner, boxed) = unbox(inner);
                let Ty::Def(wd) = inner else { return None };
                let DefKind::Union(variants) = &self.em.space.def(*wd).kind else {
                    return None;
                };
                let wname = ident(&self.em.space.def(*wd).name);
                let x = if boxed { quote!((*#x)) } else { x };
                let mut arms = Vec::new();
                for (b, v) in many.iter().zip(variants) {
                    let vname = ident(&v.name);
                    let value = self.reader_value(quote!(y), rt, rty, *b, &v.ty)?;
                    arms.push(quote!(#wname::#vname(y) => #value));
                }
                quote!(match #x { #(#arms,)* })
            }
        };
        if nullable {
            let null = Self::reader_null(rty)?;
            if null.to_string() == "None" {
                // `None` stays `None`; `Some` converts, as `Option::map` says best.
                if let Some(inner) = strip_some(&body) {
                    if inner.to_string() == "x" {
                        return Some(e);
                    }
                    let f = closure(inner);
                    return Some(quote!(#e.map(#f)));
                }
            }
            Some(quote!(match #e { None => #null, Some(x) => #body }))
        } else {
            Some(body)
        }
    }

    /// A value of the reader type from a writer value of a non-union type.
    fn reader_value(
        &mut self,
        e: TokenStream,
        rt: TypeId,
        rty: &Ty,
        wt: TypeId,
        wty: &Ty,
    ) -> Option<TokenStream> {
        if let Kind::Union(_) = self.rkind(rt) {
            self.reader_union(e, rt, rty, wt, wty)
        } else {
            self.conv(e, rt, rty, wt, wty)
        }
    }

    fn reader_union(
        &mut self,
        e: TokenStream,
        rt: TypeId,
        rty: &Ty,
        wt: TypeId,
        wty: &Ty,
    ) -> Option<TokenStream> {
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
            let rname = ident(&self.em.space.def(*rd).name);
            let vname = ident(&variants[p].name);
            let vty = variants[p].ty.clone();
            let x = self.conv(e, non_null[p], &vty, wt, wty)?;
            if boxed {
                quote!(Box::new(#rname::#vname(#x)))
            } else {
                quote!(#rname::#vname(#x))
            }
        };
        Some(if optional {
            quote!(Some(#value))
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
fn promote(e: TokenStream, rty: &Ty, wty: &Ty) -> Option<TokenStream> {
    Some(match (rty, wty) {
        (Ty::I64, Ty::I32) => quote!(i64::from(#e)),
        (Ty::F64, Ty::I32 | Ty::F32) => quote!(f64::from(#e)),
        (Ty::F32, Ty::I32 | Ty::I64) => quote!(#e as f32),
        (Ty::F64, Ty::I64) => quote!(#e as f64),
        (Ty::Bytes, Ty::String) => quote!(Bytes(#e.into_bytes())),
        (Ty::String, Ty::Bytes) => quote!(String::from_utf8_lossy(&#e.0).into_owned()),
        _ => return None,
    })
}

/// `|x| body`, or the function itself when the body only applies one to `x` (`T::from`).
fn closure(body: TokenStream) -> TokenStream {
    let text = body.to_string();
    if let Some(path) = text.strip_suffix("(x)").map(str::trim)
        && !path.is_empty()
        && !path.contains(['(', ')', '<', '&', '*', '.'])
        && let Ok(path) = path.parse::<TokenStream>()
    {
        return path;
    }
    quote!(|x| #body)
}

/// The `expr` of `Some(expr)`.
fn strip_some(body: &TokenStream) -> Option<TokenStream> {
    let mut tokens = body.clone().into_iter();
    match (tokens.next(), tokens.next(), tokens.next()) {
        (Some(proc_macro2::TokenTree::Ident(i)), Some(proc_macro2::TokenTree::Group(g)), None)
            if i == "Some" && g.delimiter() == proc_macro2::Delimiter::Parenthesis =>
        {
            Some(g.stream())
        }
        _ => None,
    }
}
