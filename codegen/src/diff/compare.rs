//! Compares two lowered models, so changes are named the way the
//! generated crate names things. Operations match by operationId. Types match by how they
//! are used: an operation's body and success types are paired, then fields, union variants
//! and aliases pair their types in turn (by schema pointer or Rust name), so a type keeps
//! its identity even when an inline schema moves. Each paired type is compared once per
//! role: as a request type (reachable from a body or parameter), as a response type
//! (reachable from a success body), or both.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{
    Api, Body, Field, Operation, StatusKind, StringEnum, Success, Ty, TypeDef, TypeKind, Union,
};

use super::rules::{rule, Kind, Semver, SAME_RUST_TYPE_WHY};

/// One reported change.
#[derive(Clone, Debug)]
pub struct Change {
    pub kind: Kind,
    /// What changed: an operation id, `type Name`, or `API`.
    pub subject: String,
    pub detail: String,
    /// Where a type is used, e.g. `response of CreateWebChannel`.
    pub context: Option<String>,
    pub http_breaking: bool,
    pub semver: Semver,
    pub why: &'static str,
}

impl Change {
    pub fn new(kind: Kind, subject: impl Into<String>, detail: impl Into<String>) -> Self {
        let r = rule(kind);
        Change {
            kind,
            subject: subject.into(),
            detail: detail.into(),
            context: None,
            http_breaking: r.http_breaking,
            semver: r.semver,
            why: r.why,
        }
    }

    fn within(mut self, context: Option<String>) -> Self {
        self.context = context;
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Request,
    Response,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Request => "request",
            Role::Response => "response",
        })
    }
}

/// Paired types (old id, new id) -> role -> operations that reach them that way.
type Pairs = BTreeMap<(usize, usize), BTreeMap<Role, BTreeSet<String>>>;

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    pairs: Pairs,
}

pub(super) fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
        pairs: BTreeMap::new(),
    };
    if old.auth != new.auth {
        d.push(Change::new(
            Kind::AuthChanged,
            "API",
            format!("authentication {} -> {}", auth(old.auth), auth(new.auth)),
        ));
    }
    let old_ops: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    for (id, o) in &old_ops {
        if !new_ops.contains_key(id) {
            d.push(Change::new(
                Kind::OperationRemoved,
                *id,
                format!(
                    "operation removed ({} {}; was Client::{})",
                    o.method.as_str(),
                    o.path,
                    o.method_name
                ),
            ));
        }
    }
    for (id, n) in &new_ops {
        match old_ops.get(id) {
            None => d.push(Change::new(
                Kind::OperationAdded,
                *id,
                format!(
                    "operation added ({} {}; Client::{})",
                    n.method.as_str(),
                    n.path,
                    n.method_name
                ),
            )),
            Some(o) => d.operation(o, n),
        }
    }
    d.component_types();
    let pairs = std::mem::take(&mut d.pairs);
    for ((a, b), roles) in &pairs {
        d.compare_type(*a, *b, roles);
    }
    d.changes
}

fn auth(kind: crate::model::AuthKind) -> &'static str {
    match kind {
        crate::model::AuthKind::None => "none",
        crate::model::AuthKind::Basic => "HTTP basic",
        crate::model::AuthKind::Bearer => "bearer token",
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

fn optionality(f: &Field) -> &'static str {
    match (f.required, f.nullable) {
        (true, false) => "required",
        (true, true) => "required, nullable",
        (false, false) => "optional",
        (false, true) => "optional, nullable",
    }
}

impl Differ<'_> {
    fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let id = n.id.as_str();
        if o.method != n.method {
            self.push(Change::new(
                Kind::MethodChanged,
                id,
                format!("HTTP method {} -> {}", o.method.as_str(), n.method.as_str()),
            ));
        }
        if o.path != n.path {
            self.push(Change::new(
                Kind::PathChanged,
                id,
                format!("path {} -> {}", o.path, n.path),
            ));
        }
        let (os, ns) = (&self.old.servers[o.server], &self.new.servers[n.server]);
        if os != ns {
            self.push(Change::new(
                Kind::ServerChanged,
                id,
                format!("server {os} -> {ns}"),
            ));
        }
        if o.maturity != n.maturity {
            self.push(Change::new(
                Kind::MaturityChanged,
                id,
                format!("maturity {} -> {}", list(&o.maturity), list(&n.maturity)),
            ));
        }
        match (o.deprecated, n.deprecated) {
            (false, true) => {
                self.push(Change::new(Kind::OperationDeprecated, id, "now deprecated"))
            }
            (true, false) => self.push(Change::new(
                Kind::OperationUndeprecated,
                id,
                "no longer deprecated",
            )),
            _ => {}
        }
        self.params(o, n);
        self.body(o, n);
        self.success(o, n);
        self.statuses(o, n);
    }

    fn params(&mut self, o: &Operation, n: &Operation) {
        let id = n.id.as_str();
        let key = |p: &crate::model::Param| (p.location.as_str(), p.wire_name.clone());
        for p in &o.params {
            if !n.params.iter().any(|q| key(q) == key(p)) {
                self.push(Change::new(
                    Kind::ParamRemoved,
                    id,
                    format!(
                        "{} parameter `{}` removed",
                        p.location.as_str(),
                        p.wire_name
                    ),
                ));
            }
        }
        for q in &n.params {
            let what = format!("{} parameter `{}`", q.location.as_str(), q.wire_name);
            let Some(p) = o.params.iter().find(|p| key(p) == key(q)) else {
                let kind = if q.required {
                    Kind::RequiredParamAdded
                } else {
                    Kind::OptionalParamAdded
                };
                let how = if q.required { "required" } else { "optional" };
                self.push(Change::new(
                    kind,
                    id,
                    format!("{what} added ({how}, {})", self.new_ty(&q.ty)),
                ));
                continue;
            };
            match (p.required, q.required) {
                (false, true) => self.push(Change::new(
                    Kind::ParamNowRequired,
                    id,
                    format!("{what}: optional -> required"),
                )),
                (true, false) => self.push(Change::new(
                    Kind::ParamNowOptional,
                    id,
                    format!("{what}: required -> optional"),
                )),
                _ => {}
            }
            if self.same_ty(&p.ty, &q.ty) {
                self.link(&p.ty, &q.ty, Role::Request, id);
            } else {
                self.push(Change::new(
                    Kind::ParamTypeChanged,
                    id,
                    format!(
                        "{what}: type {} -> {}",
                        self.old_ty(&p.ty),
                        self.new_ty(&q.ty)
                    ),
                ));
            }
        }
    }

    fn body(&mut self, o: &Operation, n: &Operation) {
        let id = n.id.as_str();
        match (&o.body, &n.body) {
            (None, None) => {}
            (Some(_), None) => self.push(Change::new(
                Kind::RequestBodyRemoved,
                id,
                "request body removed",
            )),
            (None, Some(b)) => match &b.flattened {
                // An object body arrives as fields; each is classified on its own.
                Some(flat) => {
                    let TypeKind::Struct(s) = &self.new.types[flat.0].kind else {
                        return;
                    };
                    let roles = BTreeMap::from([(Role::Request, BTreeSet::from([id.to_owned()]))]);
                    let subject = format!("type {}", self.new.types[flat.0].name);
                    self.fields(&[], &s.fields, &roles, &subject);
                }
                None if b.required => self.push(Change::new(
                    Kind::RequiredRequestBodyAdded,
                    id,
                    format!("request body added (required, {})", self.new_ty(&b.ty)),
                )),
                None => self.push(Change::new(
                    Kind::OptionalRequestBodyAdded,
                    id,
                    format!("request body added (optional, {})", self.new_ty(&b.ty)),
                )),
            },
            (Some(a), Some(b)) => self.both_bodies(id, a, b),
        }
    }

    fn both_bodies(&mut self, id: &str, a: &Body, b: &Body) {
        if !a.media_type.eq_ignore_ascii_case(&b.media_type) {
            self.push(Change::new(
                Kind::RequestContentTypeChanged,
                id,
                format!("request content type {} -> {}", a.media_type, b.media_type),
            ));
        }
        match (&a.flattened, &b.flattened) {
            // Flattened bodies are paired whatever their names: the operation says they are the same input.
            (Some(x), Some(y)) => self.pair(x.0, y.0, Role::Request, id),
            (None, None) => {
                if self.same_ty(&a.ty, &b.ty) {
                    self.link(&a.ty, &b.ty, Role::Request, id);
                } else {
                    self.push(Change::new(
                        Kind::RequestBodyTypeChanged,
                        id,
                        format!(
                            "request body type {} -> {}",
                            self.old_ty(&a.ty),
                            self.new_ty(&b.ty)
                        ),
                    ));
                }
                match (a.required, b.required) {
                    (false, true) => self.push(Change::new(
                        Kind::RequestBodyNowRequired,
                        id,
                        "request body: optional -> required",
                    )),
                    (true, false) => self.push(Change::new(
                        Kind::RequestBodyNowOptional,
                        id,
                        "request body: required -> optional",
                    )),
                    _ => {}
                }
            }
            _ => self.push(Change::new(
                Kind::RequestBodyTypeChanged,
                id,
                format!(
                    "request body type {} -> {} (object fields <-> one body value)",
                    self.old_ty(&a.ty),
                    self.new_ty(&b.ty)
                ),
            )),
        }
    }

    fn success(&mut self, o: &Operation, n: &Operation) {
        let id = n.id.as_str();
        let show = |s: &Success, api: &Api| match s {
            Success::Empty => "()".to_owned(),
            Success::Untyped => "sdk_runtime::Body".to_owned(),
            Success::Text => "String".to_owned(),
            Success::Json(t) => ty_name(api, t),
            Success::ByStatus { name, .. } => format!("operations::{name}"),
        };
        match (&o.success, &n.success) {
            (Success::Empty, Success::Empty)
            | (Success::Untyped, Success::Untyped)
            | (Success::Text, Success::Text) => {}
            (Success::Empty, Success::Untyped) | (Success::Untyped, Success::Empty) => {
                let detail = format!(
                    "send() returns {} -> {}",
                    show(&o.success, self.old),
                    show(&n.success, self.new)
                );
                self.push(Change::new(Kind::SuccessBodyNowUntyped, id, detail));
            }
            (Success::Json(a), Success::Json(b)) if self.same_ty(a, b) => {
                self.link(a, b, Role::Response, id)
            }
            (Success::ByStatus { statuses: a, .. }, Success::ByStatus { statuses: b, .. })
                if a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| {
                        x.status == y.status
                            && match (&x.body, &y.body) {
                                (StatusKind::Json(s), StatusKind::Json(t)) => self.same_ty(s, t),
                                (s, t) => s == t,
                            }
                    }) =>
            {
                for (x, y) in a.iter().zip(b) {
                    if let (StatusKind::Json(s), StatusKind::Json(t)) = (&x.body, &y.body) {
                        self.link(s, t, Role::Response, id);
                    }
                }
            }
            (a, b) => {
                let detail = format!(
                    "send() returns {} -> {}",
                    show(a, self.old),
                    show(b, self.new)
                );
                self.push(Change::new(Kind::SuccessTypeChanged, id, detail));
            }
        }
    }

    fn statuses(&mut self, o: &Operation, n: &Operation) {
        let id = n.id.as_str();
        let codes = |op: &Operation| {
            op.responses
                .iter()
                .map(|r| r.status.clone())
                .collect::<BTreeSet<String>>()
        };
        let (before, after) = (codes(o), codes(n));
        for c in before.difference(&after) {
            let kind = if c.starts_with('2') {
                Kind::SuccessStatusRemoved
            } else {
                Kind::ErrorStatusRemoved
            };
            self.push(Change::new(
                kind,
                id,
                format!("response status {c} no longer declared"),
            ));
        }
        for c in after.difference(&before) {
            let kind = if c.starts_with('2') {
                Kind::SuccessStatusAdded
            } else {
                Kind::ErrorStatusAdded
            };
            self.push(Change::new(
                kind,
                id,
                format!("response status {c} declared"),
            ));
        }
    }

    /// Types under `/components/schemas` that appear or disappear. Inline schemas are left to
    /// the operations and fields that hold them, which report them better.
    fn component_types(&mut self) {
        let components = |api: &Api| -> BTreeMap<String, String> {
            api.types
                .iter()
                .filter(|t| t.pointer.starts_with("/components/schemas/"))
                .map(|t| (t.pointer.clone(), t.name.clone()))
                .collect()
        };
        let (before, after) = (components(self.old), components(self.new));
        for (pointer, name) in &before {
            if !after.contains_key(pointer) {
                self.push(Change::new(
                    Kind::TypeRemoved,
                    format!("type {name}"),
                    format!("type removed (schema #{pointer})"),
                ));
            }
        }
        for (pointer, name) in &after {
            if !before.contains_key(pointer) {
                self.push(Change::new(
                    Kind::TypeAdded,
                    format!("type {name}"),
                    format!("type added (schema #{pointer})"),
                ));
            }
        }
    }

    // --- pairing types -------------------------------------------------------------------

    /// Whether two type positions are the same type (named types: same schema or same name).
    fn same_ty(&self, a: &Ty, b: &Ty) -> bool {
        match (a, b) {
            (Ty::Vec(x), Ty::Vec(y)) | (Ty::Map(x), Ty::Map(y)) => self.same_ty(x, y),
            (Ty::Named(x), Ty::Named(y)) => {
                let (x, y) = (&self.old.types[x.0], &self.new.types[y.0]);
                (!x.pointer.is_empty() && x.pointer == y.pointer) || x.name == y.name
            }
            (Ty::Sid(x), Ty::Sid(y)) => self.old.sids[*x].prefix == self.new.sids[*y].prefix,
            _ => a == b,
        }
    }

    /// Pairs the named types inside two positions already known to be the same type.
    fn link(&mut self, a: &Ty, b: &Ty, role: Role, op: &str) {
        match (a, b) {
            (Ty::Vec(x), Ty::Vec(y)) | (Ty::Map(x), Ty::Map(y)) => self.link(x, y, role, op),
            (Ty::Named(x), Ty::Named(y)) => self.pair(x.0, y.0, role, op),
            _ => {}
        }
    }

    fn pair(&mut self, a: usize, b: usize, role: Role, op: &str) {
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

    // --- comparing paired types ----------------------------------------------------------

    fn compare_type(&mut self, a: usize, b: usize, roles: &BTreeMap<Role, BTreeSet<String>>) {
        let (old, new) = (self.old, self.new);
        let (x, y) = (&old.types[a], &new.types[b]);
        let subject = format!("type {}", y.name);
        let all = context(roles, None);
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
                        let kind = match role {
                            Role::Request => Kind::RequestFieldTypeChanged,
                            Role::Response => Kind::ResponseFieldTypeChanged,
                        };
                        let detail = format!("alias of {} -> {}", self.old_ty(p), self.new_ty(q));
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
    fn enum_values(
        &mut self,
        e: &StringEnum,
        f: &StringEnum,
        (x, y): (&TypeDef, &TypeDef),
        roles: &BTreeMap<Role, BTreeSet<String>>,
    ) {
        let subject = format!("type {}", y.name);
        for role in roles.keys() {
            let ctx = context(roles, Some(*role));
            let (added, removed) = match role {
                Role::Request => (Kind::RequestEnumValueAdded, Kind::RequestEnumValueRemoved),
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
    fn union_variants(
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
                        let detail = format!(
                            "union variant {}: type {} -> {}",
                            p.rust_name,
                            self.old_ty(&p.ty),
                            self.new_ty(&q.ty)
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

    fn fields(
        &mut self,
        before: &[Field],
        after: &[Field],
        roles: &BTreeMap<Role, BTreeSet<String>>,
        subject: &str,
    ) {
        for role in roles.keys() {
            let ctx = context(roles, Some(*role));
            let request = *role == Role::Request;
            for f in before
                .iter()
                .filter(|f| !after.iter().any(|g| g.wire_name == f.wire_name))
            {
                let kind = if request {
                    Kind::RequestFieldRemoved
                } else {
                    Kind::ResponseFieldRemoved
                };
                self.push(
                    Change::new(kind, subject, format!("field `{}` removed", f.wire_name))
                        .within(ctx.clone()),
                );
            }
            for g in after {
                let what = format!("field `{}`", g.wire_name);
                let Some(f) = before.iter().find(|f| f.wire_name == g.wire_name) else {
                    let kind = match (request, g.is_option()) {
                        (true, true) => Kind::OptionalRequestFieldAdded,
                        (true, false) => Kind::RequiredRequestFieldAdded,
                        (false, true) => Kind::OptionalResponseFieldAdded,
                        (false, false) => Kind::RequiredResponseFieldAdded,
                    };
                    let detail =
                        format!("{what} added ({}, {})", optionality(g), self.new_ty(&g.ty));
                    self.push(Change::new(kind, subject, detail).within(ctx.clone()));
                    continue;
                };
                if !self.same_ty(&f.ty, &g.ty) {
                    let kind = if request {
                        Kind::RequestFieldTypeChanged
                    } else {
                        Kind::ResponseFieldTypeChanged
                    };
                    let detail = format!(
                        "{what}: type {} -> {}",
                        self.old_ty(&f.ty),
                        self.new_ty(&g.ty)
                    );
                    self.push(Change::new(kind, subject, detail).within(ctx.clone()));
                }
                let presence = match (request, f.required, g.required) {
                    (true, false, true) => Some(Kind::RequestFieldNowRequired),
                    (true, true, false) => Some(Kind::RequestFieldNowOptional),
                    (false, false, true) => Some(Kind::ResponseFieldNowRequired),
                    (false, true, false) => Some(Kind::ResponseFieldNowOptional),
                    _ => None,
                };
                let nullability = match (request, f.nullable, g.nullable) {
                    (true, false, true) => Some(Kind::RequestFieldNowNullable),
                    (true, true, false) => Some(Kind::RequestFieldNoLongerNullable),
                    (false, false, true) => Some(Kind::ResponseFieldNowNullable),
                    (false, true, false) => Some(Kind::ResponseFieldNoLongerNullable),
                    _ => None,
                };
                for kind in presence.into_iter().chain(nullability) {
                    let mut change = Change::new(
                        kind,
                        subject,
                        format!("{what}: {} -> {}", optionality(f), optionality(g)),
                    )
                    .within(ctx.clone());
                    if f.is_option() == g.is_option() {
                        change.semver = Semver::Patch;
                        change.why = SAME_RUST_TYPE_WHY;
                    }
                    self.push(change);
                }
            }
        }
        // PII marking is about the data, not the direction: reported once.
        for g in after {
            let Some(f) = before.iter().find(|f| f.wire_name == g.wire_name) else {
                continue;
            };
            if f.pii != g.pii {
                let show = |p: &Option<crate::model::Pii>| match p {
                    None => "not PII".to_owned(),
                    Some(p) => format!(
                        "PII (handling: {}{})",
                        p.handling,
                        p.delete_sla
                            .map(|d| format!(", deleted within {d} days"))
                            .unwrap_or_default()
                    ),
                };
                let detail = format!(
                    "field `{}`: {} -> {}",
                    g.wire_name,
                    show(&f.pii),
                    show(&g.pii)
                );
                self.push(
                    Change::new(Kind::FieldPiiChanged, subject, detail)
                        .within(context(roles, None)),
                );
            }
        }
    }

    fn old_ty(&self, t: &Ty) -> String {
        ty_name(self.old, t)
    }

    fn new_ty(&self, t: &Ty) -> String {
        ty_name(self.new, t)
    }
}

fn shape(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "object",
        TypeKind::Enum(_) => "string enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

/// `request of A, B; response of C`, for one role or all.
fn context(roles: &BTreeMap<Role, BTreeSet<String>>, only: Option<Role>) -> Option<String> {
    let parts: Vec<String> = roles
        .iter()
        .filter(|(r, _)| only.is_none_or(|o| o == **r))
        .map(|(r, ops)| {
            format!(
                "{r} of {}",
                ops.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A type position as the generated crate spells it.
pub(super) fn ty_name(api: &Api, t: &Ty) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::DateTime => "DateTime<Utc>".into(),
        Ty::Date => "NaiveDate".into(),
        Ty::Binary => "FilePart".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Any => "serde_json::Value".into(),
        Ty::JsonObject => "serde_json::Map".into(),
        Ty::Vec(inner) => format!("Vec<{}>", ty_name(api, inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", ty_name(api, inner)),
        Ty::Nullable(inner) => format!("Option<{}>", ty_name(api, inner)),
        Ty::Named(id) => api.types[id.0].name.clone(),
        Ty::Sid(i) => api.sids[*i].name.clone(),
    }
}
