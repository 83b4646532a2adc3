//! The recursive part: two schemas in the same place, node by node. Local `$ref`s are followed
//! on each side; a pair of components compared once in a direction is not compared again (this
//! bounds the work on specs whose operations share their schemas, and stops on recursion).

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::keywords::{self, Keyword};
use super::{Direction, Walker};
use crate::diff::rules::Kind;
use crate::diff::Change;

/// Where a schema sits: the operation (or webhook) it belongs to and the position in it.
#[derive(Clone, Debug)]
pub(super) struct At<'s> {
    pub(super) subject: &'s str,
    /// e.g. `request body application/json`, `query parameter limit`.
    pub(super) context: String,
    pub(super) direction: Direction,
    /// The lowered model does not compare this position (webhook payloads): properties,
    /// `required` and types are compared here too.
    pub(super) structural: bool,
}

/// The deepest nesting followed; real schemas are far shallower, and recursion through
/// components stops earlier (see [`Walker::seen`]).
const MAX_DEPTH: usize = 48;

/// A schema with its local `$ref`s followed.
pub(super) fn resolved<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    resolve(doc, v, String::new()).0
}

/// A schema with its local `$ref`s followed, and the pointer it was found at.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value, mut at: String) -> (&'a Value, String) {
    for _ in 0..16 {
        let Some(target) = v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match doc.pointer(target) {
            Some(t) => (v, at) = (t, target.to_owned()),
            None => break,
        }
    }
    (v, at)
}

/// What a schema says about an object's properties, its `allOf` members included.
#[derive(Default)]
struct Flat {
    properties: Map<String, Value>,
    required: BTreeSet<String>,
    types: Vec<Value>,
}

/// Whether an `allOf` member only says what `flat` already does: the same properties with
/// the same schemas, required ones already required, the same type, and otherwise only
/// documentation.
fn implied(member: &Value, flat: &Flat) -> bool {
    let Some(m) = member.as_object() else {
        return false;
    };
    m.iter().all(|(key, v)| match key.as_str() {
        "properties" => v.as_object().is_some_and(|p| {
            p.iter()
                .all(|(name, s)| flat.properties.get(name) == Some(s))
        }),
        "required" => v.as_array().is_some_and(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .all(|name| flat.required.contains(name))
        }),
        "type" => flat.types.contains(v),
        "description" | "title" | "example" | "examples" => true,
        k => k.starts_with("x-"),
    })
}

/// A schema as an object: itself, or for a 3.1 boolean schema the object that means the same.
fn as_object(v: &Value) -> Cow<'_, Map<String, Value>> {
    match v {
        Value::Object(m) => Cow::Borrowed(m),
        Value::Bool(false) => Cow::Owned(Map::from_iter([(
            "not".to_owned(),
            Value::Object(Map::new()),
        )])),
        _ => Cow::Owned(Map::new()),
    }
}

impl Walker<'_> {
    /// Compares two schemas in the same place; `old_at`/`new_at` are their JSON pointers.
    pub(super) fn schema(
        &mut self,
        (old, old_at): (&Value, String),
        (new, new_at): (&Value, String),
        at: &At<'_>,
        depth: usize,
    ) {
        // Where the schema is used, not where a `$ref` leads: a property's schema is a field.
        let property = new_at.rsplit('/').nth(1) == Some("properties");
        let (o, old_at) = resolve(self.old, old, old_at);
        let (n, new_at) = resolve(self.new, new, new_at);
        if depth > MAX_DEPTH {
            return;
        }
        let via_ref = old.get("$ref").is_some() || new.get("$ref").is_some();
        if via_ref {
            let key = (
                at.direction,
                at.structural,
                property,
                old_at.clone(),
                new_at.clone(),
            );
            if !self.seen.insert(key) {
                return;
            }
        }
        let (om, nm) = (as_object(o), as_object(n));
        for d in keywords::deltas(&om, &nm) {
            // Field nullability is the lowered model's (RequestFieldNoLongerNullable and the
            // like), except where it compares nothing.
            if d.keyword == Keyword::Nullable && property && !at.structural {
                continue;
            }
            self.report(&d, at, &new_at);
        }
        self.all_of(&om, &nm, at, (&old_at, &new_at), depth);
        if at.structural {
            self.structure(&om, &nm, at, &new_at);
        }
        self.children(&om, &nm, at, (&old_at, &new_at), depth);
    }

    fn report(&mut self, d: &keywords::Delta, at: &At<'_>, pointer: &str) {
        let (tight, loose) = d.keyword.kinds();
        let kind = match at.direction {
            Direction::Sends if d.tighter => tight,
            Direction::Receives if d.looser => loose,
            _ => None,
        };
        if let Some(kind) = kind {
            self.push(kind, at, format!("{} (at #{pointer})", d.detail));
        }
    }

    pub(super) fn push(&mut self, kind: Kind, at: &At<'_>, detail: String) {
        let mut change = Change::new(kind, at.subject, detail);
        change.context = Some(at.context.clone());
        self.out.push(change);
    }

    /// `allOf` members: compared in place when their number is unchanged, else a member
    /// added tightens and one removed loosens.
    fn all_of(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        at: &At<'_>,
        (old_at, new_at): (&str, &str),
        depth: usize,
    ) {
        let members = |m: &Map<String, Value>| m.get("allOf").and_then(Value::as_array).cloned();
        let (a, b) = (
            members(o).unwrap_or_default(),
            members(n).unwrap_or_default(),
        );
        if a.len() == b.len() {
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                let old = (x, format!("{old_at}/allOf/{i}"));
                self.schema(old, (y, format!("{new_at}/allOf/{i}")), at, depth + 1);
            }
            return;
        }
        // A member that only restates what the other side already says (a base schema
        // extracted into `allOf`) constrains nothing new.
        let (old_view, new_view) = (self.flattened(self.old, o), self.flattened(self.new, n));
        let added = (b.iter())
            .filter(|y| {
                !a.contains(y) && !implied(resolve(self.new, y, String::new()).0, &old_view)
            })
            .count();
        let removed = (a.iter())
            .filter(|x| {
                !b.contains(x) && !implied(resolve(self.old, x, String::new()).0, &new_view)
            })
            .count();
        let delta = keywords::Delta {
            keyword: Keyword::AllOf,
            tighter: added > 0,
            looser: removed > 0,
            detail: format!(
                "`allOf` {} -> {} members ({added} added, {removed} removed)",
                a.len(),
                b.len()
            ),
        };
        self.report(&delta, at, new_at);
    }

    /// A node's properties and `required`, with those of its `allOf` members (one level).
    fn flattened(&self, doc: &Value, m: &Map<String, Value>) -> Flat {
        let mut flat = Flat::default();
        let mut add = |m: &Value| {
            if let Some(Value::Object(p)) = m.get("properties") {
                flat.properties
                    .extend(p.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let required = m
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            flat.required
                .extend(required.filter_map(Value::as_str).map(str::to_owned));
            if let Some(t) = m.get("type") {
                flat.types.push(t.clone());
            }
        };
        add(&Value::Object(m.clone()));
        for member in m
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(resolve(doc, member, String::new()).0);
        }
        flat
    }

    /// Properties, `required` and types, where nothing else compares them (webhook payloads).
    fn structure(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        at: &At<'_>,
        pointer: &str,
    ) {
        let names = |m: &Map<String, Value>, key: &str| -> BTreeSet<String> {
            match m.get(key) {
                Some(Value::Object(p)) => p.keys().cloned().collect(),
                Some(Value::Array(r)) => r
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => BTreeSet::new(),
            }
        };
        let (op, np) = (names(o, "properties"), names(n, "properties"));
        let (or, nr) = (names(o, "required"), names(n, "required"));
        let receives = at.direction == Direction::Receives;
        for p in op.difference(&np) {
            if receives {
                let detail = format!("field `{p}` removed (at #{pointer})");
                self.push(Kind::WebhookPayloadFieldRemoved, at, detail);
            }
        }
        for p in np.difference(&op) {
            let detail = format!("field `{p}` added (at #{pointer})");
            self.push(Kind::WebhookPayloadFieldAdded, at, detail);
        }
        for p in or.difference(&nr).filter(|p| np.contains(*p)) {
            if receives {
                let detail = format!("field `{p}`: required -> optional (at #{pointer})");
                self.push(Kind::WebhookPayloadFieldNowOptional, at, detail);
            }
        }
        let types = |m: &Map<String, Value>| -> BTreeSet<String> {
            match m.get("type") {
                Some(Value::String(t)) => BTreeSet::from([t.clone()]),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => BTreeSet::new(),
            }
        };
        let (ot, nt) = (types(o), types(n));
        let widened = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            !a.is_empty()
                && !b
                    .iter()
                    .filter(|t| *t != "null")
                    .all(|t| a.contains(t) || (t == "integer" && a.contains("number")))
        };
        if receives && (widened(&ot, &nt) || (!ot.is_empty() && nt.is_empty())) {
            let show = |t: &BTreeSet<String>| t.iter().cloned().collect::<Vec<_>>().join(", ");
            let detail = format!("type [{}] -> [{}] (at #{pointer})", show(&ot), show(&nt));
            self.push(Kind::WebhookPayloadTypeChanged, at, detail);
        }
    }

    /// The positions inside a schema, each compared with its counterpart.
    fn children(
        &mut self,
        o: &Map<String, Value>,
        n: &Map<String, Value>,
        at: &At<'_>,
        (old_at, new_at): (&str, &str),
        depth: usize,
    ) {
        let ptr = |base: &str, key: &str| format!("{base}/{}", crate::pointer_token(key));
        if let (Some(Value::Object(a)), Some(Value::Object(b))) =
            (o.get("properties"), n.get("properties"))
        {
            for (name, x) in a {
                if let Some(y) = b.get(name) {
                    let old = (x, ptr(&format!("{old_at}/properties"), name));
                    let new = (y, ptr(&format!("{new_at}/properties"), name));
                    self.schema(old, new, at, depth + 1);
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if let (Some(x @ Value::Object(_)), Some(y @ Value::Object(_))) =
                (o.get(key), n.get(key))
            {
                let old = (x, format!("{old_at}/{key}"));
                self.schema(old, (y, format!("{new_at}/{key}")), at, depth + 1);
            }
        }
        for key in ["oneOf", "anyOf", "prefixItems"] {
            let (Some(Value::Array(a)), Some(Value::Array(b))) = (o.get(key), n.get(key)) else {
                continue;
            };
            // Alternatives are paired by position only when their number is unchanged; the
            // lowered model reports added and removed variants.
            if a.len() == b.len() {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    let old = (x, format!("{old_at}/{key}/{i}"));
                    self.schema(old, (y, format!("{new_at}/{key}/{i}")), at, depth + 1);
                }
            }
        }
    }
}
