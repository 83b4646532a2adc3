//! OpenAPI 3.1 `webhooks`: requests the API sends to the caller. Their payloads (request
//! bodies) are what the caller receives, their responses what it sends back.

use serde_json::Value;

use super::walk::At;
use super::{deref, Direction, Walker, METHODS};
use crate::diff::rules::Kind;

impl Walker<'_> {
    pub(super) fn webhooks(&mut self) {
        let empty = serde_json::Map::new();
        // 3.1's `webhooks`, or the `x-webhooks` extension 3.0 specs use for the same.
        let hooks = |doc: &Value| {
            (doc.get("webhooks").or_else(|| doc.get("x-webhooks")))
                .and_then(Value::as_object)
                .cloned()
        };
        let (a, b) = (
            hooks(self.old).unwrap_or_else(|| empty.clone()),
            hooks(self.new).unwrap_or(empty),
        );
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            let at = self.webhook_at(name, "webhook".into(), Direction::Receives);
            self.push(
                Kind::WebhookRemoved,
                &at,
                format!("webhook `{name}` removed"),
            );
        }
        for name in b.keys().filter(|n| !a.contains_key(*n)) {
            let at = self.webhook_at(name, "webhook".into(), Direction::Receives);
            self.push(Kind::WebhookAdded, &at, format!("webhook `{name}` added"));
        }
        for (name, x) in &a {
            let Some(y) = b.get(name) else { continue };
            let key = if self.new.get("webhooks").is_some() {
                "webhooks"
            } else {
                "x-webhooks"
            };
            let base = format!("/{key}/{}", crate::pointer_token(name));
            self.webhook(name, (x, y), &base);
        }
    }

    fn webhook_at<'s>(&self, name: &'s str, context: String, direction: Direction) -> At<'s> {
        At {
            subject: name,
            context,
            direction,
            structural: true,
        }
    }

    fn webhook(&mut self, name: &str, (x, y): (&Value, &Value), base: &str) {
        let (old, new) = (self.old, self.new);
        let (x, y) = (deref(old, x), deref(new, y));
        for method in METHODS {
            let (Some(p), Some(q)) = (x.get(method), y.get(method)) else {
                continue;
            };
            let (Some(bx), Some(by)) = (p.get("requestBody"), q.get("requestBody")) else {
                continue;
            };
            let (bx, by) = (deref(old, bx), deref(new, by));
            let (Some(cx), Some(cy)) = (
                bx.get("content").and_then(Value::as_object),
                by.get("content").and_then(Value::as_object),
            ) else {
                continue;
            };
            for (media, mx) in cx {
                let (Some(sx), Some(sy)) = (
                    mx.get("schema"),
                    cy.get(media).and_then(|m| m.get("schema")),
                ) else {
                    continue;
                };
                let at = self.webhook_at(
                    name,
                    format!("webhook payload {media}"),
                    Direction::Receives,
                );
                let pointer = format!(
                    "{base}/{method}/requestBody/content/{}/schema",
                    crate::pointer_token(media)
                );
                self.schema((sx, pointer.clone()), (sy, pointer), &at, 0);
            }
        }
    }
}
