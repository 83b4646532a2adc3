//! Operations: matched by operationId (or renamed in place), then compared for method, path,
//! server, maturity, deprecation, request body, success body and declared statuses.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diff::rules::Kind;
use crate::model::{Api, Body, Operation, StatusKind, Success, TypeKind};

/// Operations that lost their operationId and operations that gained one, paired when exactly
/// one of each has the same method and URL template (placeholder names aside): old id -> new id.
pub(super) fn renamed_operations<'a>(
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
pub(super) fn template(path: &str) -> String {
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
pub(super) fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

impl Differ<'_> {
    pub(super) fn operation(&mut self, o: &Operation, n: &Operation) {
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

    pub(super) fn body(&mut self, o: &Operation, n: &Operation) {
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

    pub(super) fn both_bodies(&mut self, id: &str, a: &Body, b: &Body) {
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

    pub(super) fn success(&mut self, o: &Operation, n: &Operation) {
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

    pub(super) fn statuses(&mut self, o: &Operation, n: &Operation) {
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
}
