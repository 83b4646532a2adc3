//! How the passes that read an OpenAPI document as plain JSON (bundling sibling files,
//! copying JSON-pointer targets, refusing unresolved refs, visiting schemas) tell its
//! structure from names and data, so that all of them read a document the same way.
//!
//! A key's meaning depends on where it stands: `default` is a schema's default value (data)
//! but also a response status and a fine property name; `x-request-id` is an extension on an
//! operation but a header's name in a response. Deciding by the key alone skipped `$ref`s
//! under such names, and a sibling-file ref left unresolved failed the spec.

/// Where a 3.1 document's `webhooks` go, for the model to read (a 3.0 document can only
/// carry them in an extension). The model reports problems at `/webhooks/...`.
///
/// Named here, below both the pass that writes the key (`normalise::oas31`) and the walks and
/// lowering that read it, so that none of them imports another to learn it.
pub(crate) const WEBHOOKS_KEY: &str = "x-sdk-webhooks";

/// Keys whose values are data (examples, defaults, allowed values), never read as structure:
/// an example may hold keys such as `$ref` or `type`.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Keys whose values map names (of properties, statuses, media types, headers, components,
/// webhooks, ...) to objects of the spec. Where a `parameters` or `servers` value is a list,
/// its items are objects all the same.
const NAME_MAPS: &[&str] = &[
    "paths",
    "webhooks",
    "x-webhooks",
    WEBHOOKS_KEY,
    "callbacks",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// Where a walk over the document stands. A list's items (parameters, `allOf` members,
/// servers) are always objects of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// In an object of the spec (the root, an operation, a schema, ...): its keys are fields.
    Object,
    /// In a map whose keys are names chosen by the spec's author.
    Names,
}

impl Level {
    /// The level of the value under `key`, or `None` where a walk must not go: data, and
    /// extensions we do not read (a docs tool's `$ref` to a Markdown file must never fail us).
    pub(crate) fn enter(self, key: &str) -> Option<Level> {
        match self {
            Level::Names => Some(Level::Object),
            Level::Object if DATA.contains(&key) || is_foreign_extension(key) => None,
            Level::Object if NAME_MAPS.contains(&key) => Some(Level::Names),
            Level::Object => Some(Level::Object),
        }
    }
}

/// An extension we do not read; `x-webhooks` (and its normalised form) we do.
fn is_foreign_extension(key: &str) -> bool {
    key.starts_with("x-") && !matches!(key, "x-webhooks" | WEBHOOKS_KEY)
}

#[cfg(test)]
mod tests {
    use super::Level;

    #[test]
    fn names_are_never_mistaken_for_data_or_extensions() {
        for name in ["default", "enum", "example", "x-request-id"] {
            assert_eq!(Level::Names.enter(name), Some(Level::Object), "{name}");
            assert_eq!(Level::Object.enter(name), None, "{name}");
        }
        assert_eq!(Level::Object.enter("x-webhooks"), Some(Level::Names));
        assert_eq!(Level::Object.enter("properties"), Some(Level::Names));
        // A property called `properties` is a schema, not a map of names.
        assert_eq!(
            Level::Object
                .enter("properties")
                .and_then(|l| l.enter("properties")),
            Some(Level::Object)
        );
        assert_eq!(Level::Object.enter("schema"), Some(Level::Object));
    }
}
