//! Named types: paired through the operations that use them (and component renames), then
//! compared once per role: kind, enum values, union variants.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diff::rules::Kind;
use crate::model::{Api, StringEnum, Ty, TypeDef, TypeKind, Union};

impl Differ<'_> {
    /// Types under `/components/schemas` that appear or disappear. Inline schemas are left to
    /// the operations and fields that hold them, which report them better. Schemas renamed
    /// with the same shape are paired (see [`renamed_components`]): ones an operation uses are
    /// compared and reported as types, unused ones are reported renamed here.
    pub(super) fn component_types(&mut self) {
        let (before, after) = (components(self.old), components(self.new));
        let paired_old: BTreeSet<usize> = self.pairs.keys().map(|(a, _)| *a).collect();
        let (old, new) = (self.old, self.new);
        for (pointer, a) in &before {
            if after.contains_key(pointer) {
                continue;
            }
            let x = &old.types[*a];
            match self.renamed.get(a) {
                Some(_) if paired_old.contains(a) => {}
                Some(b) => {
                    let y = &new.types[*b];
                    self.push(Change::new(
                        Kind::TypeRenamed,
                        format!("type {}", y.name),
                        format!(
                            "Rust name {} -> {} (schema #{} -> #{}, same shape)",
                            x.name, y.name, x.pointer, y.pointer
                        ),
                    ));
                }
                None => self.push(Change::new(
                    Kind::TypeRemoved,
                    format!("type {}", x.name),
                    format!("type removed (schema #{pointer})"),
                )),
            }
        }
        let renamed_to: BTreeSet<usize> = self.renamed.values().copied().collect();
        for (pointer, b) in &after {
            if !before.contains_key(pointer) && !renamed_to.contains(b) {
                self.push(Change::new(
                    Kind::TypeAdded,
                    format!("type {}", new.types[*b].name),
                    format!("type added (schema #{pointer})"),
                ));
            }
        }
    }

    /// Whether two type positions are the same type (named types: same schema or same name).
    /// An alias is the type it names: a field that moves from `string` to a `$ref` to a
    /// component that is `string` has not changed on the wire.
    pub(super) fn same_ty(&self, a: &Ty, b: &Ty) -> bool {
        match (a, b) {
            (Ty::Vec(x), Ty::Vec(y))
            | (Ty::Map(x), Ty::Map(y))
            | (Ty::Nullable(x), Ty::Nullable(y)) => self.same_ty(x, y),
            (Ty::Named(x), Ty::Named(y)) if self.same_named(x.0, y.0) => true,
            (Ty::Sid(x), Ty::Sid(y)) => self.old.sids[*x].prefix == self.new.sids[*y].prefix,
            _ => match self.unaliased(a, b) {
                Some((x, y)) => self.same_ty(x, y),
                None => !matches!(a, Ty::Named(_)) && a == b,
            },
        }
    }

    /// `a` (old) and `b` (new) with aliases looked through, when either is an alias.
    pub(super) fn unaliased<'t>(&self, a: &'t Ty, b: &'t Ty) -> Option<(&'t Ty, &'t Ty)>
    where
        Self: 't,
    {
        let (x, y) = (unalias(self.old, a), unalias(self.new, b));
        (!std::ptr::eq(x, a) || !std::ptr::eq(y, b)).then_some((x, y))
    }

    /// Whether two named types in the same place are one type: the same schema or name, a
    /// component renamed with the same shape, or two types of the same kind. An inline object
    /// moved into `components` (or back), an enum given a name of its own: on the wire a type
    /// is where it is used, so the two are compared field by field (value by value, variant by
    /// variant), and a new name is reported as a rename.
    pub(super) fn same_named(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.old.types[a], &self.new.types[b]);
        (!x.pointer.is_empty() && x.pointer == y.pointer)
            || x.name == y.name
            || self.renamed.get(&a) == Some(&b)
            || matches!(
                (&x.kind, &y.kind),
                (TypeKind::Enum(_), TypeKind::Enum(_))
                    | (TypeKind::Struct(_), TypeKind::Struct(_))
                    | (TypeKind::Union(_), TypeKind::Union(_))
            )
    }

    /// Pairs the named types inside two positions already known to be the same type.
    pub(super) fn link(&mut self, a: &Ty, b: &Ty, role: Role, op: &str) {
        match (a, b) {
            (Ty::Vec(x), Ty::Vec(y))
            | (Ty::Map(x), Ty::Map(y))
            | (Ty::Nullable(x), Ty::Nullable(y)) => self.link(x, y, role, op),
            (Ty::Named(x), Ty::Named(y)) if self.same_named(x.0, y.0) => {
                self.pair(x.0, y.0, role, op)
            }
            _ => {
                if let Some((x, y)) = self.unaliased(a, b) {
                    self.link(x, y, role, op);
                }
            }
        }
    }

    pub(super) fn pair(&mut self, a: usize, b: usize, role: Role, op: &str) {
        let seen = self
            .pairs
            .entry((a, b))
            .or_default()
            .entry(role)
            .or_default();
        if !seen.insert(op.to_owned()) {
            return;
        }
        let (old, new) = (self.old, self.new);
        match (&old.types[a].kind, &new.types[b].kind) {
            (TypeKind::Struct(s), TypeKind::Struct(t)) => {
                for f in &s.fields {
                    if let Some(g) = t.fields.iter().find(|g| g.wire_name == f.wire_name) {
                        if self.same_ty(&f.ty, &g.ty) {
                            self.link(&f.ty, &g.ty, role, op);
                        }
                    }
                }
            }
            (TypeKind::Union(u), TypeKind::Union(v)) => {
                for x in &u.variants {
                    if let Some(y) = v.variants.iter().find(|y| y.rust_name == x.rust_name) {
                        if self.same_ty(&x.ty, &y.ty) {
                            self.link(&x.ty, &y.ty, role, op);
                        }
                    }
                }
            }
            (TypeKind::Alias(x), TypeKind::Alias(y)) if self.same_ty(x, y) => {
                self.link(x, y, role, op)
            }
            _ => {}
        }
    }

    pub(super) fn compare_type(
        &mut self,
        a: usize,
        b: usize,
        roles: &BTreeMap<Role, BTreeSet<String>>,
    ) {
        let (old, new) = (self.old, self.new);
        let (x, y) = (&old.types[a], &new.types[b]);
        let subject = format!("type {}", y.name);
        let all = context(roles, None);
        if roles.contains_key(&Role::Request) {
            let ctx = context(roles, Some(Role::Request));
            self.constraints(&x.docs.facts, &y.docs.facts, &subject, "value", ctx);
        }
        if x.name != y.name {
            self.push(
                Change::new(
                    Kind::TypeRenamed,
                    &subject,
                    format!("Rust name {} -> {}", x.name, y.name),
                )
                .within(all.clone()),
            );
        }
        match (&x.kind, &y.kind) {
            (TypeKind::Struct(s), TypeKind::Struct(t)) => {
                self.fields(&s.fields, &t.fields, roles, &subject)
            }
            (TypeKind::Enum(e), TypeKind::Enum(f)) => self.enum_values(e, f, (x, y), roles),
            (TypeKind::Union(u), TypeKind::Union(v)) => self.union_variants(u, v, &subject, roles),
            (TypeKind::Alias(p), TypeKind::Alias(q)) => {
                if !self.same_ty(p, q) {
                    for role in roles.keys() {
                        let kind = self.retyped(*role, p, q, role.type_changed());
                        let detail = format!("alias of {}", self.type_change(p, q));
                        self.push(
                            Change::new(kind, &subject, detail).within(context(roles, Some(*role))),
                        );
                    }
                }
            }
            (p, q) => {
                let detail = format!("{} -> {}", shape(p), shape(q));
                self.push(Change::new(Kind::TypeKindChanged, &subject, detail).within(all));
            }
        }
    }

    /// Enum values added and removed, judged per role (a value added to a response enum is
    /// not a break: generated enums keep unknown values).
    pub(super) fn enum_values(
        &mut self,
        e: &StringEnum,
        f: &StringEnum,
        (x, y): (&TypeDef, &TypeDef),
        roles: &BTreeMap<Role, BTreeSet<String>>,
    ) {
        let subject = format!("type {}", y.name);
        // A response value removed while another is added is most often a rename, which
        // callers matching on the old value do not survive.
        let replaced = e
            .variants
            .iter()
            .any(|v| !f.variants.iter().any(|w| w.wire == v.wire))
            && f.variants
                .iter()
                .any(|w| !e.variants.iter().any(|v| v.wire == w.wire));
        for role in roles.keys() {
            let ctx = context(roles, Some(*role));
            let (added, removed) = match role {
                Role::Request => (Kind::RequestEnumValueAdded, Kind::RequestEnumValueRemoved),
                Role::Response if replaced => (
                    Kind::ResponseEnumValueAdded,
                    Kind::ResponseEnumValueReplaced,
                ),
                Role::Response => (Kind::ResponseEnumValueAdded, Kind::ResponseEnumValueRemoved),
            };
            for v in e
                .variants
                .iter()
                .filter(|v| !f.variants.iter().any(|w| w.wire == v.wire))
            {
                self.push(
                    Change::new(
                        removed,
                        &subject,
                        format!(
                            "enum value {:?} removed ({}::{})",
                            v.wire, x.name, v.rust_name
                        ),
                    )
                    .within(ctx.clone()),
                );
            }
            for w in f
                .variants
                .iter()
                .filter(|w| !e.variants.iter().any(|v| v.wire == w.wire))
            {
                self.push(
                    Change::new(
                        added,
                        &subject,
                        format!(
                            "enum value {:?} added ({}::{})",
                            w.wire, y.name, w.rust_name
                        ),
                    )
                    .within(ctx.clone()),
                );
            }
        }
    }

    /// Union variants added, removed or retyped, judged per role.
    pub(super) fn union_variants(
        &mut self,
        u: &Union,
        v: &Union,
        subject: &str,
        roles: &BTreeMap<Role, BTreeSet<String>>,
    ) {
        for role in roles.keys() {
            let ctx = context(roles, Some(*role));
            let (added, removed, changed) = match role {
                Role::Request => (
                    Kind::RequestUnionVariantAdded,
                    Kind::RequestUnionVariantRemoved,
                    Kind::RequestFieldTypeChanged,
                ),
                Role::Response => (
                    Kind::ResponseUnionVariantAdded,
                    Kind::ResponseUnionVariantRemoved,
                    Kind::ResponseFieldTypeChanged,
                ),
            };
            for p in &u.variants {
                match v.variants.iter().find(|q| q.rust_name == p.rust_name) {
                    None => self.push(
                        Change::new(
                            removed,
                            subject,
                            format!("union variant {} removed", p.rust_name),
                        )
                        .within(ctx.clone()),
                    ),
                    Some(q) if !self.same_ty(&p.ty, &q.ty) => {
                        let changed = self.retyped(*role, &p.ty, &q.ty, changed);
                        let detail = format!(
                            "union variant {}: type {}",
                            p.rust_name,
                            self.type_change(&p.ty, &q.ty)
                        );
                        self.push(Change::new(changed, subject, detail).within(ctx.clone()));
                    }
                    Some(_) => {}
                }
            }
            for q in v
                .variants
                .iter()
                .filter(|q| !u.variants.iter().any(|p| p.rust_name == q.rust_name))
            {
                self.push(
                    Change::new(
                        added,
                        subject,
                        format!(
                            "union variant {} added ({})",
                            q.rust_name,
                            self.new_ty(&q.ty)
                        ),
                    )
                    .within(ctx.clone()),
                );
            }
        }
    }
}

/// Component schemas by pointer (not the inline types inside them).
pub(super) fn components(api: &Api) -> BTreeMap<&str, usize> {
    api.types
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.pointer
                .strip_prefix("/components/schemas/")
                .is_some_and(|name| !name.contains('/'))
        })
        .map(|(id, t)| (t.pointer.as_str(), id))
        .collect()
}

/// Component schemas that left under one name and came back under another with the same
/// shape, paired when the shape is unique on both sides: old type id -> new type id.
pub(super) fn renamed_components(old: &Api, new: &Api) -> BTreeMap<usize, usize> {
    let (before, after) = (components(old), components(new));
    let shapes = |api: &Api, gone: Vec<usize>| {
        let mut by_shape: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for id in gone {
            by_shape.entry(signature(api, id)).or_default().push(id);
        }
        by_shape
    };
    let removed = shapes(
        old,
        (before.iter())
            .filter(|(p, _)| !after.contains_key(*p))
            .map(|(_, id)| *id)
            .collect(),
    );
    let added = shapes(
        new,
        (after.iter())
            .filter(|(p, _)| !before.contains_key(*p))
            .map(|(_, id)| *id)
            .collect(),
    );
    removed
        .iter()
        .filter_map(
            |(shape, a)| match (a.as_slice(), added.get(shape)?.as_slice()) {
                ([a], [b]) => Some((*a, *b)),
                _ => None,
            },
        )
        .collect()
}

/// A type's shape, without its name: what two schemas must share to be one renamed schema.
pub(super) fn signature(api: &Api, id: usize) -> String {
    let t = &api.types[id];
    let mut parts: Vec<String> = match &t.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| format!("{}:{}:{}", f.wire_name, optionality(f), ty_name(api, &f.ty)))
            .collect(),
        TypeKind::Enum(e) => e.variants.iter().map(|v| v.wire.clone()).collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .map(|v| format!("{}:{}", v.rust_name, ty_name(api, &v.ty)))
            .collect(),
        TypeKind::Alias(a) => vec![ty_name(api, a)],
    };
    parts.sort();
    format!("{}({})", shape(&t.kind), parts.join(","))
}

pub(super) fn shape(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "object",
        TypeKind::Enum(_) => "string enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}
