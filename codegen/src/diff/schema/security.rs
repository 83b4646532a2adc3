//! Security requirements, per operation (or the document's, where an operation has none): a
//! caller that satisfied one of the old alternatives must still satisfy one of the new ones.
//! The model keeps one auth scheme per API (`AuthChanged`); this sees per-operation
//! requirements and OAuth scopes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::walk::At;
use super::{Direction, Walker};
use crate::diff::rules::Kind;

/// One alternative: scheme (by definition) -> (its name, scopes).
type Alternative = BTreeMap<String, (String, BTreeSet<String>)>;

/// `security` as alternatives; `None` when not declared at this level. Schemes are named by
/// what they are (their definition, descriptions aside), not by their key: a scheme renamed
/// in `components` asks callers for nothing new.
fn alternatives(doc: &Value, v: Option<&Value>) -> Option<Vec<Alternative>> {
    let list = v?.as_array()?;
    let identity = |name: &str| -> String {
        let pointer = format!("/components/securitySchemes/{}", crate::pointer_token(name));
        doc.pointer(&pointer)
            .map_or_else(|| name.to_owned(), scheme_identity)
    };
    Some(
        list.iter()
            .filter_map(Value::as_object)
            .map(|alt| {
                alt.iter()
                    .map(|(name, scopes)| {
                        let scopes = scopes.as_array().into_iter().flatten();
                        let scopes = scopes.filter_map(Value::as_str).map(str::to_owned);
                        (identity(name), (name.clone(), scopes.collect()))
                    })
                    .collect()
            })
            .collect(),
    )
}

/// What a scheme asks callers for, in a form that ignores key order, case where HTTP ignores
/// it, descriptions and extensions: its type, HTTP scheme, where an API key goes, and the
/// OAuth flows (scopes are compared apart).
fn scheme_identity(d: &Value) -> String {
    let text = |key: &str| d.get(key).and_then(Value::as_str).unwrap_or_default();
    let key_name = match text("in") {
        "header" => text("name").to_ascii_lowercase(),
        _ => text("name").to_owned(),
    };
    let mut flows: Vec<String> = d
        .get("flows")
        .and_then(Value::as_object)
        .map(|f| {
            f.iter()
                .map(|(kind, flow)| {
                    let url = |k: &str| flow.get(k).and_then(Value::as_str).unwrap_or_default();
                    format!("{kind} {} {}", url("tokenUrl"), url("authorizationUrl"))
                })
                .collect()
        })
        .unwrap_or_default();
    flows.sort();
    format!(
        "{}|{}|{}|{key_name}|{}|{}",
        text("type"),
        text("scheme").to_ascii_lowercase(),
        text("in"),
        text("openIdConnectUrl"),
        flows.join(",")
    )
}

/// Whether credentials that satisfy `old` also satisfy `new`: `new` asks for no scheme and no
/// scope that `old` did not.
fn satisfies(old: &Alternative, new: &Alternative) -> bool {
    new.iter().all(|(scheme, (_, scopes))| {
        old.get(scheme)
            .is_some_and(|(_, had)| scopes.is_subset(had))
    })
}

/// The old alternatives no new one accepts (no requirement at all accepts everyone).
fn unmet(old: &[Alternative], new: &[Alternative]) -> Vec<String> {
    if new.is_empty() {
        return Vec::new();
    }
    // No requirement before: callers sent no credentials.
    let none = [Alternative::new()];
    let old = if old.is_empty() { &none[..] } else { old };
    old.iter()
        .filter(|a| !new.iter().any(|b| satisfies(a, b)))
        .map(|a| {
            let parts: Vec<String> = a
                .values()
                .map(|(name, scopes)| match scopes.is_empty() {
                    true => name.clone(),
                    false => format!(
                        "{name} [{}]",
                        scopes.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                })
                .collect();
            if parts.is_empty() {
                "no credentials".to_owned()
            } else {
                parts.join(" + ")
            }
        })
        .collect()
}

impl Walker<'_> {
    /// Compares one operation's effective requirements (`old_op`, `new_op`: the operations).
    pub(super) fn security(&mut self, id: &str, old_op: &Value, new_op: &Value) {
        let (root_old, root_new) = (
            alternatives(self.old, self.old.get("security")),
            alternatives(self.new, self.new.get("security")),
        );
        let (own_old, own_new) = (
            alternatives(self.old, old_op.get("security")),
            alternatives(self.new, new_op.get("security")),
        );
        // Inherited on both sides: the document-level comparison reports it once.
        if own_old.is_none() && own_new.is_none() {
            self.inherits_root = true;
            return;
        }
        let old = own_old.or(root_old).unwrap_or_default();
        let new = own_new.or(root_new).unwrap_or_default();
        self.report_security(id, &old, &new);
    }

    /// The document's own `security`, compared once, if an operation on both sides uses it.
    pub(super) fn root_security(&mut self) {
        if !self.inherits_root {
            return;
        }
        let old = alternatives(self.old, self.old.get("security")).unwrap_or_default();
        let new = alternatives(self.new, self.new.get("security")).unwrap_or_default();
        self.report_security("API", &old, &new);
    }

    fn report_security(&mut self, id: &str, old: &[Alternative], new: &[Alternative]) {
        let gone = unmet(old, new);
        if gone.is_empty() {
            return;
        }
        let at = At {
            subject: id,
            context: "security".into(),
            direction: Direction::Sends,
            structural: false,
        };
        let detail = format!(
            "security requirement tightened: {} no longer accepted",
            gone.join("; ")
        );
        self.push(Kind::SecurityRequirementTightened, &at, detail);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn alts(v: Value) -> Vec<Alternative> {
        alternatives(&Value::Null, Some(&v)).expect("a list")
    }

    #[test]
    fn a_requirement_is_tightened_only_when_old_credentials_stop_sufficing() {
        let basic = alts(json!([{"basic": []}]));
        let oauth = |scopes: Value| alts(json!([{"oauth": scopes}]));
        assert!(unmet(&basic, &basic).is_empty());
        // Dropped, or one more way in: old callers still get in.
        assert!(unmet(&basic, &[]).is_empty());
        assert!(unmet(&basic, &alts(json!([{"basic": []}, {"key": []}]))).is_empty());
        assert!(unmet(&oauth(json!(["a", "b"])), &oauth(json!(["a"]))).is_empty());
        // Another scheme, one more scope, a requirement where there was none.
        assert_eq!(unmet(&basic, &alts(json!([{"key": []}]))), ["basic"]);
        assert_eq!(
            unmet(&oauth(json!(["a"])), &oauth(json!(["a", "b"]))),
            ["oauth [a]"]
        );
        assert_eq!(unmet(&[], &basic), ["no credentials"]);
        assert!(unmet(&[], &alts(json!([{}, {"basic": []}]))).is_empty());
    }

    #[test]
    fn a_scheme_is_what_it_asks_for_whatever_its_key_order_or_case() {
        let a = json!({"type": "http", "scheme": "basic", "description": "x"});
        let b = json!({"scheme": "Basic", "type": "http", "x-note": 1});
        assert_eq!(scheme_identity(&a), scheme_identity(&b));
        let key = |name: &str| json!({"type": "apiKey", "in": "header", "name": name});
        assert_eq!(
            scheme_identity(&key("X-Key")),
            scheme_identity(&key("x-key"))
        );
        assert_ne!(
            scheme_identity(&key("X-Key")),
            scheme_identity(&key("X-Other"))
        );
        assert_ne!(
            scheme_identity(&a),
            scheme_identity(&json!({"type": "http", "scheme": "bearer"}))
        );
    }
}
