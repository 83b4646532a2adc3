//! The HTTP verdict on what the lowered model cannot see: both specs' schemas compared keyword
//! by keyword, with direction. Where the caller sends (parameters, request bodies, a webhook's
//! response) a keyword that rejects more is breaking; where it receives (success responses,
//! webhook payloads) one that allows more is. Media types and webhooks are compared here too.
//!
//! The documents compared are the specs as loaded (files bundled, overlays applied), before the
//! 3.1 downgrade, which drops the JSON Schema keywords OpenAPI 3.0 has no place for: this walk
//! reads both the 3.0 and the 3.1 spelling of each keyword itself. What the lowered model
//! already compares (types, presence, string enums, union variants, request limits) is left to
//! it, so one change is reported once.

mod keywords;
mod media;
mod security;
mod walk;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::rules::Kind;
use super::Change;
use walk::At;

/// Which way values travel for the caller of the old spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Direction {
    /// The caller sends the value: tightening breaks it.
    Sends,
    /// The caller receives the value: loosening breaks it.
    Receives,
}

pub(super) struct Walker<'a> {
    old: &'a Value,
    new: &'a Value,
    /// Component pairs already compared: (direction, structural, used as a property, old
    /// pointer, new pointer).
    seen: BTreeSet<(Direction, bool, bool, String, String)>,
    /// Some operation takes the document's `security` on both sides.
    inherits_root: bool,
    out: Vec<Change>,
}

/// The schema-level changes between two loaded specs.
pub(super) fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut w = Walker {
        old,
        new,
        seen: BTreeSet::new(),
        inherits_root: false,
        out: Vec::new(),
    };
    let (a, b) = (operations(old), operations(new));
    for (id, x) in &a {
        if let Some(y) = b.get(id) {
            w.operation(id, x, y);
        }
    }
    w.root_security();
    w.webhooks();
    w.out
}

/// An operation as found in `paths`: its pointer, its path item and itself.
struct Op<'a> {
    pointer: String,
    item: &'a Value,
    op: &'a Value,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Operations by operationId, or by `METHOD path` where they have none (the lowered model
/// names those the same way for its own comparison).
fn operations(doc: &Value) -> BTreeMap<String, Op<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method).filter(|o| o.is_object()) else {
                continue;
            };
            let id = op.get("operationId").and_then(Value::as_str).map_or_else(
                || format!("{} {path}", method.to_uppercase()),
                str::to_owned,
            );
            let pointer = format!("/paths/{}/{method}", crate::pointer_token(path));
            out.insert(id, Op { pointer, item, op });
        }
    }
    out
}

/// Follows a local `$ref` (to a parameter, request body or response).
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..8 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(t) => v = t,
            None => break,
        }
    }
    v
}

/// A parameter's schema: `schema`, or the one under its single `content` entry.
fn param_schema(p: &Value) -> Option<&Value> {
    p.get("schema").or_else(|| {
        p.get("content")?
            .as_object()?
            .values()
            .next()?
            .get("schema")
    })
}

impl<'a> Walker<'a> {
    fn operation(&mut self, id: &str, o: &Op<'a>, n: &Op<'a>) {
        self.security(id, o.op, n.op);
        self.params(id, o, n);
        self.request_body(id, o, n);
        self.responses(id, o, n);
    }

    /// Path-item and operation parameters by (location, name), the operation's winning, each
    /// with the pointer it is at.
    fn param_map(doc: &'a Value, op: &Op<'a>) -> BTreeMap<(String, String), (&'a Value, String)> {
        let mut out = BTreeMap::new();
        let item_pointer = op.pointer.rsplit_once('/').map_or("", |(item, _)| item);
        let lists = [
            (op.item.get("parameters"), item_pointer),
            (op.op.get("parameters"), op.pointer.as_str()),
        ];
        for (list, base) in lists {
            for (i, p) in list
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let p = deref(doc, p);
                let (Some(loc), Some(name)) = (
                    p.get("in").and_then(Value::as_str),
                    p.get("name").and_then(Value::as_str),
                ) else {
                    continue;
                };
                // Header names are case-insensitive.
                let name = if loc == "header" {
                    name.to_ascii_lowercase()
                } else {
                    name.to_owned()
                };
                out.insert(
                    (loc.to_owned(), name),
                    (p, format!("{base}/parameters/{i}")),
                );
            }
        }
        out
    }

    fn params(&mut self, id: &str, o: &Op<'a>, n: &Op<'a>) {
        let (a, b) = (Self::param_map(self.old, o), Self::param_map(self.new, n));
        for (key, (p, old_at)) in &a {
            let Some((q, new_at)) = b.get(key) else {
                continue;
            };
            let (Some(x), Some(y)) = (param_schema(p), param_schema(q)) else {
                continue;
            };
            let at = At {
                subject: id,
                context: format!("{} parameter `{}`", key.0, key.1),
                direction: Direction::Sends,
                structural: false,
            };
            self.style(p, q, y, &at);
            let (old_at, new_at) = (format!("{old_at}/schema"), format!("{new_at}/schema"));
            self.schema((x, old_at), (y, new_at), &at, 0);
        }
    }

    /// How a list or object parameter is serialised (`style`, `explode`, with the defaults of
    /// its location): callers that keep writing `a=1,2` where the server now reads
    /// `a=1&a=2` are misread. Scalars serialise the same in every style.
    fn style(&mut self, p: &Value, q: &Value, schema: &Value, at: &At<'_>) {
        let schema = walk::resolved(self.new, schema);
        let structured = matches!(
            schema.get("type").and_then(Value::as_str),
            Some("array" | "object")
        );
        if !structured {
            return;
        }
        let effective = |p: &Value| {
            let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
            let default = if matches!(location, "query" | "cookie") {
                "form"
            } else {
                "simple"
            };
            let style = p.get("style").and_then(Value::as_str).unwrap_or(default);
            let explode = p
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == "form");
            (style.to_owned(), explode)
        };
        let (a, b) = (effective(p), effective(q));
        if a != b {
            let detail = format!(
                "serialisation style {} (explode {}) -> {} (explode {})",
                a.0, a.1, b.0, b.1
            );
            self.push(Kind::RequestParamStyleChanged, at, detail);
        }
    }

    fn request_body(&mut self, id: &str, o: &Op<'a>, n: &Op<'a>) {
        let (Some(x), Some(y)) = (o.op.get("requestBody"), n.op.get("requestBody")) else {
            return;
        };
        let (x, y) = (deref(self.old, x), deref(self.new, y));
        let pointers = (
            format!("{}/requestBody", o.pointer),
            format!("{}/requestBody", n.pointer),
        );
        self.content(
            id,
            (x, y),
            pointers,
            Direction::Sends,
            "request body",
            false,
        );
    }

    fn responses(&mut self, id: &str, o: &Op<'a>, n: &Op<'a>) {
        let (Some(Value::Object(a)), Some(Value::Object(b))) =
            (o.op.get("responses"), n.op.get("responses"))
        else {
            return;
        };
        for (status, x) in a {
            let Some(y) = b.get(status) else { continue };
            let (x, y) = (deref(self.old, x), deref(self.new, y));
            let pointers = (
                format!("{}/responses/{status}", o.pointer),
                format!("{}/responses/{status}", n.pointer),
            );
            let what = format!("response {status}");
            if status.starts_with('2') {
                self.headers(id, (x, y), &what);
            }
            // Error bodies are read by few callers, and only to report: their media types
            // matter (problem+json), their schemas are not compared.
            let success = status.starts_with('2');
            self.content(id, (x, y), pointers, Direction::Receives, &what, !success);
        }
    }

    /// Headers a success response stops declaring; one that was `required` is breaking.
    fn headers(&mut self, id: &str, (x, y): (&'a Value, &'a Value), what: &str) {
        let names = |r: &'a Value| -> Vec<(String, &'a Value)> {
            let Some(h) = r.get("headers").and_then(Value::as_object) else {
                return Vec::new();
            };
            h.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect()
        };
        let (a, b) = (names(x), names(y));
        for (name, h) in &a {
            if b.iter().any(|(n, _)| n == name) {
                continue;
            }
            let at = At {
                subject: id,
                context: what.to_owned(),
                direction: Direction::Receives,
                structural: false,
            };
            let required = deref(self.old, h).get("required") == Some(&Value::Bool(true));
            let detail = format!(
                "{what}: header `{name}` no longer declared{}",
                if required { " (was required)" } else { "" }
            );
            let kind = if required {
                Kind::RequiredResponseHeaderRemoved
            } else {
                Kind::ResponseHeaderRemoved
            };
            self.push(kind, &at, detail);
        }
    }

    /// A request body's or response's `content`: media types, then each shared schema.
    fn content(
        &mut self,
        id: &str,
        (x, y): (&'a Value, &'a Value),
        (old_at, new_at): (String, String),
        direction: Direction,
        what: &str,
        media_only: bool,
    ) {
        let (Some(a), Some(b)) = (
            x.get("content").and_then(Value::as_object),
            y.get("content").and_then(Value::as_object),
        ) else {
            return;
        };
        self.media_types(id, (a, b), direction, what);
        if media_only {
            return;
        }
        for (media, mx) in a {
            let Some(my) = b.get(media) else { continue };
            let (Some(sx), Some(sy)) = (mx.get("schema"), my.get("schema")) else {
                continue;
            };
            let at = At {
                subject: id,
                context: format!("{what} {media}"),
                direction,
                structural: false,
            };
            let token = crate::pointer_token(media);
            let old = (sx, format!("{old_at}/content/{token}/schema"));
            let new = (sy, format!("{new_at}/content/{token}/schema"));
            self.schema(old, new, &at, 0);
        }
    }
}

#[cfg(test)]
mod tests;
