//! Multi-file specs: `$ref`s to files beside the spec (`voice.yml#/components/schemas/X`,
//! `common/errors.yml#/...`), resolved into one document before anything else reads it.
//!
//! A reference to another file's component (`#/components/<kind>/<name>`) brings that
//! component into the spec's own components, under its own name when that is free (so
//! generated names read as they would in a one-file spec), and becomes a local reference;
//! anything else it points at (a path's summary, a schema's property) is copied in place.
//! The copied parts are resolved the same way, relative to the file they came from, to
//! any depth. A cycle of copies, a missing file or pointer, and a URL are errors naming the
//! file and the place; nothing is ever fetched over the network.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{Error, Location};
use crate::structure::Level;

/// The component maps of OpenAPI 3.0 and 3.1: a `$ref` to one of their entries is brought in
/// by name (here) or left for `openapiv3` to resolve (`normalise::refs`).
pub(crate) const COMPONENT_KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
];

/// Resolves every reference to another file in `doc`, the spec at `file`.
pub(crate) fn bundle(file: &Path, doc: &mut Value) -> Result<(), Error> {
    if !mentions_other_files(doc, Level::Object) {
        return Ok(());
    }
    // Spelled as every path it is compared with: a sibling's ref back into the spec is the
    // spec, however the spec's own path was written (`./api.yaml`, `specs/../api.yaml`).
    let file = &normalize(file);
    let mut bundler = Bundler {
        root: file.to_path_buf(),
        files: HashMap::new(),
        brought: HashMap::new(),
        copying: Vec::new(),
        imported: Vec::new(),
        existing: existing_components(doc),
    };
    let mut root = std::mem::take(doc);
    bundler.resolve(&mut root, file, &mut String::new(), Level::Object)?;
    // Components brought in may bring in more; each is resolved once, as it arrives.
    let mut next = 0;
    while next < bundler.imported.len() {
        let (kind, name, from, mut value) = bundler.imported[next].clone();
        bundler.resolve(
            &mut value,
            &from,
            &mut format!("/components/{kind}/{name}"),
            Level::Object,
        )?;
        bundler.imported[next].3 = value;
        next += 1;
    }
    for (kind, name, _, value) in std::mem::take(&mut bundler.imported) {
        let components = root
            .as_object_mut()
            .expect("a spec is an object")
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(components) = components.as_object_mut() {
            let map = components
                .entry(kind)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(map) = map.as_object_mut() {
                map.insert(name, value);
            }
        }
    }
    *doc = root;
    Ok(())
}

/// Whether any `$ref` names another file: most specs are one file, and skip the walk.
fn mentions_other_files(value: &Value, level: Level) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| match (k.as_str(), v) {
            ("$ref", Value::String(r)) if level == Level::Object => !r.starts_with('#'),
            _ => level
                .enter(k)
                .is_some_and(|inner| mentions_other_files(v, inner)),
        }),
        Value::Array(items) => items.iter().any(|v| mentions_other_files(v, Level::Object)),
        _ => false,
    }
}

struct Bundler {
    root: PathBuf,
    /// Every file read, by its path.
    files: HashMap<PathBuf, Value>,
    /// (file, pointer) of each component brought in, and the local reference it became.
    brought: HashMap<(PathBuf, String), String>,
    /// The copies in progress, to report a cycle.
    copying: Vec<(PathBuf, String)>,
    /// Components brought in: kind, name, the file they came from, the value.
    imported: Vec<(String, String, PathBuf, Value)>,
    /// The spec's own components, by kind and name.
    existing: HashSet<(String, String)>,
}

fn existing_components(doc: &Value) -> HashSet<(String, String)> {
    let Some(components) = doc.get("components").and_then(Value::as_object) else {
        return HashSet::new();
    };
    components
        .iter()
        .filter_map(|(kind, map)| Some((kind, map.as_object()?)))
        .flat_map(|(kind, map)| map.keys().map(move |name| (kind.clone(), name.clone())))
        .collect()
}

impl Bundler {
    /// Resolves the references in `value`, which is in `file` at `pointer`.
    fn resolve(
        &mut self,
        value: &mut Value,
        file: &Path,
        pointer: &mut String,
        level: Level,
    ) -> Result<(), Error> {
        match value {
            Value::Object(map) => {
                let reference = match map.get("$ref") {
                    Some(Value::String(r)) if level == Level::Object => Some(r.clone()),
                    _ => None,
                };
                if let Some(reference) = reference {
                    let at = format!("{pointer}/$ref");
                    if let Some(replacement) = self.reference(&reference, file, &at)? {
                        match replacement {
                            Replacement::Local(local) => {
                                map.insert("$ref".into(), Value::String(local));
                            }
                            Replacement::Copy(copy) => {
                                map.remove("$ref");
                                // Keys beside the `$ref` (a description, say) stay.
                                if let Value::Object(target) = copy {
                                    for (k, v) in target {
                                        map.entry(k).or_insert(v);
                                    }
                                } else if map.is_empty() {
                                    *value = copy;
                                    return Ok(());
                                }
                            }
                        }
                    }
                }
                for (key, child) in map.iter_mut() {
                    let Some(inner) = level.enter(key) else {
                        continue;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&crate::diagnostics::pointer_token(key));
                    self.resolve(child, file, pointer, inner)?;
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    self.resolve(child, file, pointer, Level::Object)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// What a `$ref` in `file` (at `at`) becomes; `None` for a reference within the spec
    /// itself, which later stages resolve.
    fn reference(
        &mut self,
        reference: &str,
        file: &Path,
        at: &str,
    ) -> Result<Option<Replacement>, Error> {
        let (target_file, target_pointer) = match reference.split_once('#') {
            Some((path, pointer)) => (path, pointer),
            None => (reference, ""),
        };
        if target_file.contains("://") {
            return Err(Error::at(
                file,
                at,
                format!("remote reference {reference:?}: specs are never fetched over the network; save the file beside the spec and refer to it by relative path"),
            ));
        }
        let target = if target_file.is_empty() {
            if file == self.root {
                return Ok(None);
            }
            file.to_path_buf()
        } else {
            let base = file.parent().unwrap_or(Path::new(""));
            normalize(&base.join(target_file))
        };
        let pointer = percent_decode(target_pointer);
        let key = (target.clone(), pointer.clone());
        if let Some(local) = self.brought.get(&key) {
            return Ok(Some(Replacement::Local(local.clone())));
        }
        if target == self.root {
            // A sibling file pointing back into the spec: the spec's own pointer.
            return Ok(Some(Replacement::Local(format!("#{pointer}"))));
        }
        let found = self.lookup(&target, &pointer, file, at, reference)?;
        if let Some((kind, name)) = component_of(&pointer) {
            let local_name = self.free_name(&kind, &name, &target);
            let local = format!(
                "#/components/{kind}/{}",
                crate::diagnostics::pointer_token(&local_name)
            );
            self.brought.insert(key, local.clone());
            self.imported.push((kind, local_name, target, found));
            return Ok(Some(Replacement::Local(local)));
        }
        if self.copying.contains(&key) {
            let chain: Vec<String> = self
                .copying
                .iter()
                .map(|(f, p)| format!("{}#{p}", f.display()))
                .collect();
            return Err(Error::at(
                file,
                at,
                format!(
                    "cyclic $ref {reference:?}: {} refers back to itself",
                    chain.join(" -> ")
                ),
            ));
        }
        self.copying.push(key);
        let mut copy = found;
        let result = self.resolve(&mut copy, &target, &mut pointer.clone(), Level::Object);
        self.copying.pop();
        result?;
        Ok(Some(Replacement::Copy(copy)))
    }

    /// The value at `pointer` in `target`, reading the file on first use.
    fn lookup(
        &mut self,
        target: &Path,
        pointer: &str,
        file: &Path,
        at: &str,
        reference: &str,
    ) -> Result<Value, Error> {
        if !self.files.contains_key(target) {
            let bytes = std::fs::read(target).map_err(|e| {
                Error::at(
                    file,
                    at,
                    format!("$ref {reference:?}: cannot read {}: {e}", target.display()),
                )
            })?;
            let value = super::parse(target, &bytes)?;
            self.files.insert(target.to_path_buf(), value);
        }
        self.files[target].pointer(pointer).cloned().ok_or_else(|| {
            Error::new(
                file,
                Location::Pointer(at.to_owned()),
                format!(
                    "$ref {reference:?}: {} has nothing at #{pointer}",
                    target.display()
                ),
            )
        })
    }

    /// `name`, or `name` and the file's stem when the spec already has a different one.
    fn free_name(&self, kind: &str, name: &str, from: &Path) -> String {
        let taken = |candidate: &str| {
            self.imported
                .iter()
                .any(|(k, n, _, _)| k == kind && n == candidate)
                || self
                    .existing
                    .contains(&(kind.to_owned(), candidate.to_owned()))
        };
        if !taken(name) {
            return name.to_owned();
        }
        let stem = from
            .file_stem()
            .map(|s| s.to_string_lossy().replace(['.', '-'], "_"))
            .unwrap_or_default();
        let mut candidate = format!("{name}_{stem}");
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{name}_{stem}_{n}");
            n += 1;
        }
        candidate
    }
}

enum Replacement {
    /// A reference into the bundled spec.
    Local(String),
    /// The referenced value itself.
    Copy(Value),
}

/// `("schemas", "Name")` for a pointer to one component.
fn component_of(pointer: &str) -> Option<(String, String)> {
    let rest = pointer.strip_prefix("/components/")?;
    let (kind, name) = rest.split_once('/')?;
    if name.contains('/') || !COMPONENT_KINDS.contains(&kind) {
        return None;
    }
    Some((kind.to_owned(), name.replace("~1", "/").replace("~0", "~")))
}

/// `a/./b/../c` as `a/c`, without touching the file system (the file may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A URI fragment's percent-escapes decoded (`%7B` in a pointer to `/paths/~1{id}`).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}
