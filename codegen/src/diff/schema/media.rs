//! Media types of one request body or response.

use serde_json::{Map, Value};

use super::walk::At;
use super::{Direction, Walker};
use crate::diff::rules::Kind;

/// A media type without its parameters, lowercased.
fn base(m: &str) -> String {
    m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase()
}

/// `application/problem+json` -> `application/json`: the structured suffix names the family a
/// specific type belongs to, so the general type can carry the same body.
fn generalises(specific: &str, general: &str) -> bool {
    let (s, g) = (base(specific), base(general));
    let Some((top, sub)) = s.split_once('/') else {
        return false;
    };
    match sub.rsplit_once('+') {
        Some((_, suffix)) => g == format!("{top}/{suffix}"),
        None => false,
    }
}

impl Walker<'_> {
    pub(super) fn media_types(
        &mut self,
        id: &str,
        (a, b): (&Map<String, Value>, &Map<String, Value>),
        direction: Direction,
        what: &str,
    ) {
        let at = At {
            subject: id,
            context: what.to_owned(),
            direction,
            structural: false,
        };
        // `application/json; charset=utf-8` is `application/json`: parameters and case aside.
        let has = |m: &Map<String, Value>, key: &str| m.keys().any(|k| base(k) == base(key));
        let added: Vec<&String> = b.keys().filter(|k| !has(a, k)).collect();
        let removed: Vec<&String> = a.keys().filter(|k| !has(b, k)).collect();
        // A request body whose encodings are all replaced is the model's
        // RequestContentTypeChanged (the crate sends the new one).
        if direction == Direction::Sends && !a.keys().any(|k| has(b, k)) {
            return;
        }
        for gone in &removed {
            let replaced_by = added.iter().find(|k| generalises(gone, k));
            let (kind, detail) = match (direction, replaced_by) {
                (Direction::Sends, _) => (
                    Kind::RequestMediaTypeRemoved,
                    format!("{what}: media type {gone} removed"),
                ),
                (Direction::Receives, Some(general)) => (
                    Kind::ResponseMediaTypeGeneralised,
                    format!("{what}: media type {gone} -> {general}"),
                ),
                (Direction::Receives, None) => (
                    Kind::ResponseMediaTypeRemoved,
                    format!("{what}: media type {gone} removed"),
                ),
            };
            self.push(kind, &at, detail);
        }
        for new in &added {
            if direction == Direction::Receives && removed.iter().any(|g| generalises(g, new)) {
                continue;
            }
            let kind = match direction {
                Direction::Sends => Kind::RequestMediaTypeAdded,
                Direction::Receives => Kind::ResponseMediaTypeAdded,
            };
            self.push(kind, &at, format!("{what}: media type {new} added"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::generalises;

    #[test]
    fn a_structured_suffix_generalises_to_its_family() {
        assert!(generalises("application/problem+json", "application/json"));
        assert!(generalises(
            "application/vnd.api+json; charset=utf-8",
            "Application/JSON"
        ));
        assert!(!generalises("application/json", "application/problem+json"));
        assert!(!generalises("application/problem+xml", "application/json"));
        assert!(!generalises("text/plain", "application/json"));
    }
}
