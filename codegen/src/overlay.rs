//! Stage 1b: OpenAPI Overlays (Overlay Specification 1.0 and 1.1), applied to the loaded
//! spec before it is normalised, so that a vendor's spec defect is fixed in a file of our
//! own and the vendor's file stays a byte copy.
//!
//! Each action's `target` is an RFC 9535 JSONPath; `update` merges into every node it
//! selects (objects recursively; a value into an array is appended; any other node is
//! replaced), `remove: true` deletes them, and 1.1's `copy` merges the single node another
//! JSONPath selects. An action whose target selects nothing is an error naming it: an
//! overlay that silently stops applying after a spec update is a defect coming back.

use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diagnostics::{Error, Location};

/// An overlay document and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlay {
    /// The overlay's file, named in errors and in generated headers.
    pub path: PathBuf,
    /// Its contents, YAML or JSON.
    pub bytes: Vec<u8>,
}

/// Suffixes of the overlay a spec has beside it: `twilio_flex_v1.yaml` has
/// `twilio_flex_v1.overlay.yaml`.
const SUFFIXES: &[&str] = &["overlay.yaml", "overlay.yml", "overlay.json"];

impl Overlay {
    /// Reads an overlay file.
    pub fn read(path: &Path) -> std::io::Result<Overlay> {
        Ok(Overlay {
            path: path.to_path_buf(),
            bytes: std::fs::read(path)?,
        })
    }

    /// The overlay file for `spec`, by the naming convention (`<stem>.overlay.yaml`, `.yml`
    /// or `.json` in the same folder), if there is one.
    pub fn path_beside(spec: &Path) -> Option<PathBuf> {
        let stem = spec.file_stem()?.to_str()?;
        SUFFIXES
            .iter()
            .map(|suffix| spec.with_file_name(format!("{stem}.{suffix}")))
            .find(|candidate| candidate.is_file())
    }

    /// Whether `path` is an overlay by the naming convention (not a spec to generate).
    pub fn is_overlay_file(path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| SUFFIXES.iter().any(|s| name.ends_with(&format!(".{s}"))))
    }
}

/// Applies `overlay` to `doc`, action by action.
pub(crate) fn apply(doc: &mut Value, overlay: &Overlay) -> Result<(), Error> {
    let file = overlay.path.as_path();
    let at = |pointer: &str, message: String| {
        Error::new(file, Location::Pointer(pointer.into()), message)
    };
    let document = crate::load::parse(file, &overlay.bytes)?;
    let version = document
        .get("overlay")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let minor = if version.starts_with("1.0.") {
        0
    } else if version.starts_with("1.1.") {
        1
    } else {
        return Err(at(
            "/overlay",
            format!("not an overlay this generator applies: `overlay` is {version:?}, expected 1.0.x or 1.1.x"),
        ));
    };
    let Some(actions) = document
        .get("actions")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    else {
        return Err(at(
            "/actions",
            "an overlay needs a non-empty list of actions".into(),
        ));
    };
    for (i, action) in actions.iter().enumerate() {
        let action = Action {
            action,
            file,
            pointer: format!("/actions/{i}"),
            minor,
        };
        action.apply(doc)?;
    }
    Ok(())
}

/// One action of an overlay, and what its errors name: the overlay's file, the action's
/// place in it, and the overlay's minor version (1.1 added `copy`).
struct Action<'a> {
    action: &'a Value,
    file: &'a Path,
    pointer: String,
    minor: u8,
}

impl Action<'_> {
    fn error(&self, below: &str, message: String) -> Error {
        let pointer = format!("{}{below}", self.pointer);
        Error::new(self.file, Location::Pointer(pointer), message)
    }

    /// Applies the action to every node its target selects, which must be at least one.
    fn apply(&self, doc: &mut Value) -> Result<(), Error> {
        let Some(target) = self.action.get("target").and_then(Value::as_str) else {
            return Err(self.error("", "the action has no `target` JSONPath".into()));
        };
        let path = JsonPath::parse(target)
            .map_err(|e| self.error("/target", format!("invalid JSONPath {target:?}: {e}")))?;
        let locations: Vec<String> = path
            .query_located(doc)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if locations.is_empty() {
            return Err(self.error(
                "/target",
                format!("the target {target:?} selects nothing in the spec: the defect it fixes may be gone, or the spec changed under it"),
            ));
        }
        if self.action.get("remove").and_then(Value::as_bool) == Some(true) {
            // Deepest and last first, so earlier removals do not shift later array indices.
            for location in locations.iter().rev() {
                remove(doc, location);
            }
            return Ok(());
        }
        let change = self.change(doc)?;
        for location in &locations {
            if let Some(node) = doc.pointer_mut(location) {
                merge(node, &change);
            }
        }
        Ok(())
    }

    /// What the action merges into its targets: its `update`, or (1.1) the one node its
    /// `copy` JSONPath selects in `doc`.
    fn change(&self, doc: &Value) -> Result<Value, Error> {
        match (
            self.action.get("update"),
            self.action.get("copy").and_then(Value::as_str),
        ) {
            (Some(update), _) => Ok(update.clone()),
            (None, Some(source)) if self.minor >= 1 => {
                let source_path = JsonPath::parse(source).map_err(|e| {
                    self.error("/copy", format!("invalid JSONPath {source:?}: {e}"))
                })?;
                let nodes = source_path.query(doc).all();
                match nodes.as_slice() {
                    [one] => Ok((*one).clone()),
                    _ => Err(self.error(
                        "/copy",
                        format!(
                            "`copy` must select exactly one node; {source:?} selects {}",
                            nodes.len()
                        ),
                    )),
                }
            }
            (None, Some(_)) => Err(self.error(
                "/copy",
                "`copy` is Overlay 1.1; this overlay declares 1.0".into(),
            )),
            (None, None) => Err(self.error(
                "",
                "the action has neither `update`, `copy` nor `remove: true`".into(),
            )),
        }
    }
}

/// Merges `change` into `node` as an Overlay `update` does.
fn merge(node: &mut Value, change: &Value) {
    match (node, change) {
        (Value::Object(node), Value::Object(change)) => {
            for (key, value) in change {
                match node.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        node.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), value) => items.push(value.clone()),
        (node, value) => *node = value.clone(),
    }
}

/// Removes the node at `pointer` from its parent.
fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let token = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&token);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = token.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Overlay {
        Overlay {
            path: PathBuf::from("fix.overlay.yaml"),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}, "tags": ["x", "y"]}}
            }
        })
    }

    #[test]
    fn update_merges_into_every_selected_node() {
        let mut doc = spec();
        apply(
            &mut doc,
            &overlay("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths.*.get.responses['200']\n    update: {content: {application/json: {schema: {type: string}}}}\n  - target: $.paths['/b'].get.tags\n    update: z\n  - target: $.info.title\n    update: Renamed\n"),
        )
        .unwrap();
        for path in ["/a", "/b"] {
            assert_eq!(
                doc["paths"][path]["get"]["responses"]["200"],
                json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}})
            );
        }
        assert_eq!(doc["paths"]["/b"]["get"]["tags"], json!(["x", "y", "z"]));
        assert_eq!(doc["info"]["title"], "Renamed");
    }

    #[test]
    fn remove_and_copy() {
        let mut doc = spec();
        apply(
            &mut doc,
            &overlay("overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/a'].get\n    copy: $.paths['/b'].get\n  - target: $.paths['/b']\n    remove: true\n  - target: $.paths['/a'].get.tags[0]\n    remove: true\n"),
        )
        .unwrap();
        assert!(doc["paths"].get("/b").is_none());
        assert_eq!(doc["paths"]["/a"]["get"]["tags"], json!(["y"]));
    }

    #[test]
    fn an_action_that_selects_nothing_is_an_error_naming_it() {
        let err = apply(
            &mut spec(),
            &overlay("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {x-a: 1}\n  - target: $.paths['/gone'].get\n    update: {summary: s}\n"),
        )
        .unwrap_err();
        assert_eq!(err.file, PathBuf::from("fix.overlay.yaml"));
        assert_eq!(err.location, Location::Pointer("/actions/1/target".into()));
        assert!(err.message.contains("selects nothing"), "{err}");
    }

    #[test]
    fn bad_overlays_are_named() {
        for (text, pointer, words) in [
            ("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, update: {}}]\n", "/overlay", "1.0.x or 1.1.x"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "/actions", "non-empty"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$..[', update: {}}]\n", "/actions/0/target", "invalid JSONPath"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, copy: $.paths}]\n", "/actions/0/copy", "Overlay 1.1"),
            ("overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, copy: '$.paths.*'}]\n", "/actions/0/copy", "exactly one"),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info}]\n", "/actions/0", "neither"),
        ] {
            let err = apply(&mut spec(), &overlay(text)).unwrap_err();
            assert_eq!(err.location, Location::Pointer(pointer.into()), "{text}");
            assert!(err.message.contains(words), "{err}");
        }
    }

    #[test]
    fn overlays_are_found_beside_their_spec() {
        assert!(Overlay::is_overlay_file(Path::new("specs/x.overlay.yaml")));
        assert!(!Overlay::is_overlay_file(Path::new("specs/x.yaml")));
        assert!(!Overlay::is_overlay_file(Path::new("specs/overlay.yaml")));
    }
}
