//! Compares two lowered models, so changes are named the way the
//! generated crate names things. Operations match by operationId. Types match by how they
//! are used: an operation's body and success types are paired, then fields, union variants
//! and aliases pair their types in turn (by schema pointer or Rust name), so a type keeps
//! its identity even when an inline schema moves. Each paired type is compared once per
//! role: as a request type (reachable from a body or parameter), as a response type
//! (reachable from a success body), or both.

mod fields;
mod operations;
mod params;
mod retype;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use operations::{placeholders, renamed_operations, template};
use retype::unalias;
use std::fmt;
use types::renamed_components;

use crate::model::{Api, Field, Operation, Ty};

use super::rules::{rule, Http, Kind, Semver};

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
