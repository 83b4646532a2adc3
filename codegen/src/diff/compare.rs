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
    Api, Body, Fact, Field, Operation, Param, ParamLocation, StatusKind, StringEnum, Success, Ty,
    TypeDef, TypeKind, Union,
};

use super::rules::{rule, Http, Kind, Semver, SAME_RUST_TYPE_RESPONSE_WHY, SAME_RUST_TYPE_WHY};

/// One reported change.
#[derive(Clone, Debug)]
pub struct Change {
    pub kind: Kind,
    /// What changed: an operation id, `type Name`, or `API`.
    pub subject: String,
    pub detail: String,
    /// Where a type is used, e.g. `response of CreateWebChannel`.
    pub context: Option<String>,
    pub http: Http,
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
            http: r.http,
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

impl Role {
    fn type_changed(self) -> Kind {
        match self {
            Role::Request => Kind::RequestFieldTypeChanged,
            Role::Response => Kind::ResponseFieldTypeChanged,
        }
    }
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
    /// Component schemas renamed with the same shape, by type id: old -> new.
    renamed: BTreeMap<usize, usize>,
}

pub(super) fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
        pairs: BTreeMap::new(),
        renamed: renamed_components(old, new),
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
    let renamed = renamed_operations(&old_ops, &new_ops);
    for (id, o) in &old_ops {
        if !new_ops.contains_key(id) && !renamed.contains_key(id) {
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
    for (old_id, new_id) in &renamed {
        let (o, n) = (old_ops[old_id], new_ops[new_id]);
        d.push(Change::new(
            Kind::OperationRenamed,
            *new_id,
            format!(
                "operationId {old_id} -> {new_id} ({} {}; Client::{} -> Client::{})",
                n.method.as_str(),
                n.path,
                o.method_name,
                n.method_name
            ),
        ));
        d.operation(o, n);
    }
    for (id, n) in &new_ops {
        match old_ops.get(id) {
            None if renamed.values().any(|r| r == id) => {}
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

/// Operations that lost their operationId and operations that gained one, paired when exactly
/// one of each has the same method and URL template (placeholder names aside): old id -> new id.
fn renamed_operations<'a>(
    old_ops: &BTreeMap<&'a str, &Operation>,
    new_ops: &BTreeMap<&'a str, &Operation>,
) -> BTreeMap<&'a str, &'a str> {
    let by_endpoint = |ops: &BTreeMap<&'a str, &Operation>,
                       others: &BTreeMap<&'a str, &Operation>| {
        let mut found: BTreeMap<(&'static str, String), Vec<&'a str>> = BTreeMap::new();
        for (id, op) in ops.iter().filter(|(id, _)| !others.contains_key(*id)) {
            found
                .entry((op.method.as_str(), template(&op.path)))
                .or_default()
                .push(*id);
        }
        found
    };
    let (gone, came) = (by_endpoint(old_ops, new_ops), by_endpoint(new_ops, old_ops));
    gone.iter()
        .filter_map(|(endpoint, old_ids)| {
            match (old_ids.as_slice(), came.get(endpoint)?.as_slice()) {
                ([old_id], [new_id]) => Some((*old_id, *new_id)),
                _ => None,
            }
        })
        .collect()
}

/// A path with its placeholders' names left out: `/Users/{}/Roles/{}`.
fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The placeholder names of a path, in order.
fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
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
        if template(&o.path) != template(&n.path) {
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

    fn params<'a>(&mut self, o: &'a Operation, n: &'a Operation) {
        let id = n.id.as_str();
        // Placeholders renamed in an unchanged URL template: (old name, new name).
        let renamed: Vec<(&str, &str)> = if template(&o.path) == template(&n.path) {
            placeholders(&o.path)
                .into_iter()
                .zip(placeholders(&n.path))
                .filter(|(a, b)| a != b)
                .collect()
        } else {
            Vec::new()
        };
        fn key(p: &Param) -> (&'static str, &str) {
            (p.location.as_str(), p.wire_name.as_str())
        }
        // A new parameter's key on the old side.
        let old_key = |q: &'a Param| -> (&'static str, &'a str) {
            let name = match q.location {
                ParamLocation::Path => renamed
                    .iter()
                    .find(|(_, new)| *new == q.wire_name)
                    .map_or(q.wire_name.as_str(), |(old, _)| *old),
                _ => q.wire_name.as_str(),
            };
            (q.location.as_str(), name)
        };
        for p in &o.params {
            if !n.params.iter().any(|q| old_key(q) == key(p)) {
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
            let Some(p) = o.params.iter().find(|p| key(p) == old_key(q)) else {
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
            if p.wire_name != q.wire_name {
                self.push(Change::new(
                    Kind::PathParamRenamed,
                    id,
                    format!(
                        "path parameter `{}` renamed `{}` (template {})",
                        p.wire_name,
                        q.wire_name,
                        template(&n.path)
                    ),
                ));
            }
            self.constraints(&p.docs.facts, &q.docs.facts, id, &what, None);
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
                let kind = self.retyped(Role::Request, &p.ty, &q.ty, Kind::ParamTypeChanged);
                self.push(Change::new(
                    kind,
                    id,
                    format!("{what}: type {}", self.type_change(&p.ty, &q.ty)),
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
                        self.retyped(Role::Request, &a.ty, &b.ty, Kind::RequestBodyTypeChanged),
                        id,
                        format!("request body type {}", self.type_change(&a.ty, &b.ty)),
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
                    "request body type {} (object fields <-> one body value)",
                    self.type_change(&a.ty, &b.ty)
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
                let kind = match (a, b) {
                    (Success::Json(x), Success::Json(y)) => {
                        self.retyped(Role::Response, x, y, Kind::SuccessTypeChanged)
                    }
                    _ => Kind::SuccessTypeChanged,
                };
                self.push(Change::new(kind, id, detail));
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
        fn carried<'a>(op: &'a Operation, code: &str) -> Option<&'a StatusKind> {
            op.responses
                .iter()
                .find(|r| r.status == code)
                .and_then(|r| r.success.as_ref())
        }
        for c in after.difference(&before) {
            let kind = match carried(n, c) {
                None => Kind::ErrorStatusAdded,
                Some(new) => {
                    let mut old_bodies = before.iter().filter_map(|b| carried(o, b));
                    // Callers that read no body (a 204, or an untyped body they take as bytes)
                    // read none from the new status either.
                    let reads_nothing = old_bodies
                        .clone()
                        .all(|old| matches!(old, StatusKind::Empty | StatusKind::Untyped));
                    let same_body = old_bodies.any(|old| match (old, new) {
                        (StatusKind::Json(x), StatusKind::Json(y)) => self.same_ty(x, y),
                        (x, y) => x == y,
                    });
                    if same_body || reads_nothing {
                        Kind::SuccessStatusAdded
                    } else {
                        Kind::SuccessStatusAddedOtherBody
                    }
                }
            };
            self.push(Change::new(
                kind,
                id,
                format!("response status {c} declared"),
            ));
        }
    }

    /// Types under `/components/schemas` that appear or disappear. Inline schemas are left to
    /// the operations and fields that hold them, which report them better. Schemas renamed
    /// with the same shape are paired (see [`renamed_components`]): ones an operation uses are
    /// compared and reported as types, unused ones are reported renamed here.
    fn component_types(&mut self) {
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

    // --- pairing types -------------------------------------------------------------------

    /// Whether two type positions are the same type (named types: same schema or same name).
    /// An alias is the type it names: a field that moves from `string` to a `$ref` to a
    /// component that is `string` has not changed on the wire.
    fn same_ty(&self, a: &Ty, b: &Ty) -> bool {
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
    fn unaliased<'t>(&self, a: &'t Ty, b: &'t Ty) -> Option<(&'t Ty, &'t Ty)>
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
    fn same_named(&self, a: usize, b: usize) -> bool {
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
    fn link(&mut self, a: &Ty, b: &Ty, role: Role, op: &str) {
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
    fn enum_values(
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

    fn fields(
        &mut self,
        before: &[Field],
        after: &[Field],
        roles: &BTreeMap<Role, BTreeSet<String>>,
        subject: &str,
    ) {
        let (all_before, all_after) = (before, after);
        for role in roles.keys() {
            let ctx = context(roles, Some(*role));
            let request = *role == Role::Request;
            // A readOnly field is not part of a request, a writeOnly one not of a response: a
            // field that becomes one of them leaves that direction, and one added as one of
            // them never entered it.
            let visible = |f: &&Field| if request { !f.read_only } else { !f.write_only };
            let before: Vec<&Field> = all_before.iter().filter(visible).collect();
            let after: Vec<&Field> = all_after.iter().filter(visible).collect();
            for f in before
                .iter()
                .filter(|f| !after.iter().any(|g| g.wire_name == f.wire_name))
            {
                let kind = if request {
                    Kind::RequestFieldRemoved
                } else {
                    Kind::ResponseFieldRemoved
                };
                let still = all_after.iter().any(|g| g.wire_name == f.wire_name);
                let how = match (still, request) {
                    (false, _) => "",
                    (true, true) => " (now readOnly)",
                    (true, false) => " (now writeOnly)",
                };
                let detail = format!("field `{}` removed{how}", f.wire_name);
                self.push(Change::new(kind, subject, detail).within(ctx.clone()));
            }
            for g in after.iter().copied() {
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
                if request {
                    self.constraints(&f.docs.facts, &g.docs.facts, subject, &what, ctx.clone());
                }
                if !self.same_ty(&f.ty, &g.ty) {
                    let kind = self.retyped(*role, &f.ty, &g.ty, role.type_changed());
                    let detail = format!("{what}: type {}", self.type_change(&f.ty, &g.ty));
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
                        if !request {
                            change.http = Http::Compatible;
                            change.why = SAME_RUST_TYPE_RESPONSE_WHY;
                        }
                    }
                    self.push(change);
                }
            }
        }
        // PII marking is about the data, not the direction: reported once.
        for g in all_after {
            let Some(f) = all_before.iter().find(|f| f.wire_name == g.wire_name) else {
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

    /// The kind for a retyped position: widened requests and narrowed responses break no
    /// caller on the wire, whatever they do to the Rust type.
    fn retyped(&self, role: Role, old: &Ty, new: &Ty, otherwise: Kind) -> Kind {
        match role {
            Role::Request if covers((self.new, new), (self.old, old)) => Kind::RequestTypeWidened,
            Role::Request if restricts((self.old, old), (self.new, new)) => {
                Kind::RequestValuesRestricted
            }
            Role::Request if object_to_any((self.new, new), (self.old, old)) => {
                Kind::RequestFreeFormNarrowed
            }
            Role::Response if object_to_any((self.old, old), (self.new, new)) => {
                Kind::ResponseFreeFormWidened
            }
            Role::Response if free_form_now_typed((self.old, old), (self.new, new)) => {
                Kind::ResponseFreeFormNowTyped
            }
            Role::Response if covers((self.old, old), (self.new, new)) => {
                Kind::ResponseTypeNarrowed
            }
            _ => otherwise,
        }
    }

    /// Limits on a request value that reject something the old ones allowed, one change each.
    fn constraints(
        &mut self,
        before: &[Fact],
        after: &[Fact],
        subject: &str,
        what: &str,
        context: Option<String>,
    ) {
        for tightened in tightened(before, after) {
            self.push(
                Change::new(
                    Kind::RequestConstraintTightened,
                    subject,
                    format!("{what}: {tightened}"),
                )
                .within(context.clone()),
            );
        }
    }

    /// `Old -> New`, naming the SID prefixes when the two SID types share a name.
    fn type_change(&self, old: &Ty, new: &Ty) -> String {
        let (a, b) = (self.old_ty(old), self.new_ty(new));
        match (unalias(self.old, old), unalias(self.new, new)) {
            (Ty::Sid(x), Ty::Sid(y)) if a == b => {
                let prefix = |p: [char; 2]| String::from_iter(p);
                let (x, y) = (self.old.sids[*x].prefix, self.new.sids[*y].prefix);
                format!("{a} -> {b} (SID prefix {} -> {})", prefix(x), prefix(y))
            }
            _ => format!("{a} -> {b}"),
        }
    }

    fn old_ty(&self, t: &Ty) -> String {
        ty_name(self.old, t)
    }

    fn new_ty(&self, t: &Ty) -> String {
        ty_name(self.new, t)
    }
}

/// The type an alias names, through any chain of aliases (the generator refuses cycles; the
/// bound only keeps a malformed model from looping).
fn unalias<'a>(api: &'a Api, mut t: &'a Ty) -> &'a Ty {
    for _ in 0..32 {
        match t {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(inner) => t = inner,
                _ => break,
            },
            _ => break,
        }
    }
    t
}

/// Whether every value the `narrow` position allows is allowed by the `wide` one (each side
/// read in its own model), for positions that are not the same type.
fn covers(wide: (&Api, &Ty), narrow: (&Api, &Ty)) -> bool {
    let ((wa, w), (na, n)) = (wide, narrow);
    let (w, n) = (unalias(wa, w), unalias(na, n));
    match (w, n) {
        (Ty::Any, _) => true,
        (Ty::JsonObject, Ty::JsonObject | Ty::Map(_)) => true,
        (Ty::JsonObject, Ty::Named(id)) => matches!(na.types[id.0].kind, TypeKind::Struct(_)),
        (Ty::String, Ty::String | Ty::DateTime | Ty::Date | Ty::Sid(_)) => true,
        (Ty::String, Ty::Named(id)) => matches!(na.types[id.0].kind, TypeKind::Enum(_)),
        (Ty::I64, Ty::I32 | Ty::I64) => true,
        (Ty::F32, Ty::I32 | Ty::F32) => true,
        (Ty::F64, Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64) => true,
        (Ty::Vec(x), Ty::Vec(y)) | (Ty::Map(x), Ty::Map(y)) => covers((wa, x), (na, y)),
        (Ty::Nullable(x), Ty::Nullable(y)) => covers((wa, x), (na, y)),
        (Ty::Nullable(x), y) => covers((wa, x), (na, y)),
        (Ty::Sid(x), Ty::Sid(y)) => wa.sids[*x].prefix == na.sids[*y].prefix,
        // Called only where the positions are not the same type, so two named types differ.
        (Ty::Named(_), _) | (_, Ty::Named(_)) => false,
        (a, b) => a == b,
    }
}

/// Whether `object` is `any` with a free-form object (`type: object`, no properties) where
/// `any` has any JSON value (no type), also inside lists, maps and nullable values.
fn object_to_any((oa, o): (&Api, &Ty), (aa, a): (&Api, &Ty)) -> bool {
    match (unalias(oa, o), unalias(aa, a)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => object_to_any((oa, x), (aa, y)),
        (Ty::JsonObject | Ty::Map(_), Ty::Any) => true,
        _ => false,
    }
}

/// Whether a free-form object (`type: object` without properties) became an object with
/// declared properties, also inside lists, maps and nullable values. Every value sent now was
/// allowed before, but callers that read the map's values (often as strings) meet typed ones.
fn free_form_now_typed((old_api, old): (&Api, &Ty), (new_api, new): (&Api, &Ty)) -> bool {
    match (unalias(old_api, old), unalias(new_api, new)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => free_form_now_typed((old_api, x), (new_api, y)),
        (Ty::JsonObject, Ty::Named(id)) => {
            matches!(&new_api.types[id.0].kind, TypeKind::Struct(s) if !s.fields.is_empty())
        }
        _ => false,
    }
}

/// Whether a request string became a string with fewer allowed values: a SID of another
/// prefix, or an enum or SID where any string went, also inside lists, maps and nullable
/// values (as [`object_to_any`] looks). The JSON type is the same; what the
/// server accepts may be narrower, or may only now be written down.
fn restricts((old_api, old): (&Api, &Ty), (new_api, new): (&Api, &Ty)) -> bool {
    match (unalias(old_api, old), unalias(new_api, new)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => restricts((old_api, x), (new_api, y)),
        (Ty::Sid(x), Ty::Sid(y)) => old_api.sids[*x].prefix != new_api.sids[*y].prefix,
        (Ty::String, Ty::Sid(_)) => true,
        (Ty::String, Ty::Named(id)) => matches!(new_api.types[id.0].kind, TypeKind::Enum(_)),
        _ => false,
    }
}

/// The limits a position's facts put on its values.
#[derive(Default)]
struct Limits<'a> {
    pattern: Option<&'a str>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    /// (value as written, as a number, exclusive)
    minimum: Option<(&'a str, f64, bool)>,
    maximum: Option<(&'a str, f64, bool)>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    allowed: Option<&'a [serde_json::Value]>,
}

impl<'a> Limits<'a> {
    fn of(facts: &'a [Fact]) -> Self {
        let mut l = Limits::default();
        let number = |v: &'a str, exclusive: bool| v.parse().ok().map(|n| (v, n, exclusive));
        for fact in facts {
            match fact {
                Fact::Pattern(p) => l.pattern = Some(p),
                Fact::Length { min, max } => (l.min_length, l.max_length) = (*min, *max),
                Fact::Minimum { value, exclusive } => l.minimum = number(value, *exclusive),
                Fact::Maximum { value, exclusive } => l.maximum = number(value, *exclusive),
                Fact::MinItems(n) => l.min_items = Some(*n),
                Fact::MaxItems(n) => l.max_items = Some(*n),
                Fact::AllowedValues(v) => l.allowed = Some(v),
                _ => {}
            }
        }
        l
    }
}

/// How `after` rejects values `before` allowed, one line per limit.
fn tightened(before: &[Fact], after: &[Fact]) -> Vec<String> {
    let (old, new) = (Limits::of(before), Limits::of(after));
    let shown = |v: Option<String>| v.unwrap_or_else(|| "none".into());
    let mut out = Vec::new();
    if new.pattern.is_some() && new.pattern != old.pattern {
        let quoted = |p: Option<&str>| shown(p.map(|p| format!("{p:?}")));
        out.push(format!(
            "pattern {} -> {}",
            quoted(old.pattern),
            quoted(new.pattern)
        ));
    }
    // Lower bounds that rise and upper bounds that fall; a bound that appears is the tightest.
    let counts = [
        ("minLength", old.min_length, new.min_length, true),
        ("maxLength", old.max_length, new.max_length, false),
        ("minItems", old.min_items, new.min_items, true),
        ("maxItems", old.max_items, new.max_items, false),
    ];
    for (name, before, after, lower) in counts {
        let Some(n) = after else { continue };
        let stricter = match before {
            None => !lower || n > 0,
            Some(o) if lower => n > o,
            Some(o) => n < o,
        };
        if stricter {
            out.push(format!(
                "{name} {} -> {n}",
                shown(before.map(|o| o.to_string()))
            ));
        }
    }
    let bounds = [
        ("minimum", old.minimum, new.minimum, true),
        ("maximum", old.maximum, new.maximum, false),
    ];
    for (name, before, after, lower) in bounds {
        let Some((written, n, exclusive)) = after else {
            continue;
        };
        let stricter = before.is_none_or(|(_, o, was_exclusive)| {
            (if lower { n > o } else { n < o }) || (n == o && exclusive && !was_exclusive)
        });
        if stricter {
            out.push(format!(
                "{name} {} -> {}",
                shown(before.map(|(v, _, x)| bound(v, x))),
                bound(written, exclusive)
            ));
        }
    }
    match (old.allowed, new.allowed) {
        (None, Some(new)) => out.push(format!("allowed values none -> {}", values(new))),
        (Some(old), Some(new)) => {
            let gone: Vec<_> = old.iter().filter(|v| !new.contains(v)).cloned().collect();
            if !gone.is_empty() {
                out.push(format!(
                    "allowed values {} -> {} (removed {})",
                    values(old),
                    values(new),
                    values(&gone)
                ));
            }
        }
        _ => {}
    }
    out
}

fn bound(value: &str, exclusive: bool) -> String {
    if exclusive {
        format!("{value} (exclusive)")
    } else {
        value.to_owned()
    }
}

fn values(v: &[serde_json::Value]) -> String {
    let shown: Vec<String> = v.iter().map(|v| v.to_string()).collect();
    format!("[{}]", shown.join(", "))
}

/// Component schemas by pointer (not the inline types inside them).
fn components(api: &Api) -> BTreeMap<&str, usize> {
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
fn renamed_components(old: &Api, new: &Api) -> BTreeMap<usize, usize> {
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
fn signature(api: &Api, id: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn min(value: &str, exclusive: bool) -> Fact {
        Fact::Minimum {
            value: value.into(),
            exclusive,
        }
    }

    fn max(value: &str, exclusive: bool) -> Fact {
        Fact::Maximum {
            value: value.into(),
            exclusive,
        }
    }

    #[test]
    fn limits_that_reject_more_are_reported_with_old_and_new() {
        let cases: Vec<(Vec<Fact>, Vec<Fact>, Vec<&str>)> = vec![
            (
                vec![min("1", false)],
                vec![min("2", false)],
                vec!["minimum 1 -> 2"],
            ),
            (
                vec![min("1", false)],
                vec![min("1", true)],
                vec!["minimum 1 -> 1 (exclusive)"],
            ),
            (vec![], vec![max("100", false)], vec!["maximum none -> 100"]),
            (
                vec![max("100", false)],
                vec![max("99.5", false)],
                vec!["maximum 100 -> 99.5"],
            ),
            (vec![], vec![Fact::MinItems(1)], vec!["minItems none -> 1"]),
            (
                vec![Fact::MaxItems(10)],
                vec![Fact::MaxItems(5)],
                vec!["maxItems 10 -> 5"],
            ),
            (
                vec![Fact::Length {
                    min: Some(1),
                    max: None,
                }],
                vec![Fact::Length {
                    min: Some(2),
                    max: Some(9),
                }],
                vec!["minLength 1 -> 2", "maxLength none -> 9"],
            ),
            (
                vec![Fact::Pattern("^a".into())],
                vec![Fact::Pattern("^b".into())],
                vec![r#"pattern "^a" -> "^b""#],
            ),
            (
                vec![Fact::AllowedValues(vec![json!(1), json!(2)])],
                vec![Fact::AllowedValues(vec![json!(2)])],
                vec!["allowed values [1, 2] -> [2] (removed [1])"],
            ),
        ];
        for (before, after, want) in cases {
            assert_eq!(tightened(&before, &after), want, "{before:?} -> {after:?}");
        }
    }

    #[test]
    fn limits_that_stay_or_loosen_are_not_reported() {
        let cases: Vec<(Vec<Fact>, Vec<Fact>)> = vec![
            (vec![min("2", false)], vec![min("1", false)]),
            (vec![min("1", true)], vec![min("1", false)]),
            (vec![max("5", false)], vec![]),
            (vec![Fact::MinItems(0)], vec![Fact::MinItems(0)]),
            (vec![], vec![Fact::MinItems(0)]),
            (vec![Fact::MaxItems(5)], vec![Fact::MaxItems(10)]),
            (
                vec![Fact::Pattern("^a".into())],
                vec![Fact::Pattern("^a".into())],
            ),
            (vec![Fact::Pattern("^a".into())], vec![]),
            (
                vec![Fact::AllowedValues(vec![json!(1)])],
                vec![Fact::AllowedValues(vec![json!(1), json!(2)])],
            ),
        ];
        for (before, after) in cases {
            assert!(
                tightened(&before, &after).is_empty(),
                "{before:?} -> {after:?}"
            );
        }
    }
}
