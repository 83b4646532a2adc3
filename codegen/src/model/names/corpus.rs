//! Every name in the public corpora (`../shared/corpus`: Twilio's specs and the contact-centre
//! vendors'), fed through the name functions: schema and property names, enum values,
//! operationIds, parameter names and tags. Skipped, with a note, where the corpus is absent.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::*;

fn corpus_dirs() -> Vec<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    vec![shared.join("twilio-oai"), shared.join("contact-centre")]
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_dir() {
            spec_files(&path, out);
        } else if matches!(ext, "json" | "yaml" | "yml") {
            out.push(path);
        }
    }
}

/// The names a spec gives things, by kind.
#[derive(Default)]
struct Names {
    types: Vec<String>,
    fields: Vec<String>,
    values: Vec<String>,
}

/// Walks the whole document: any object under `properties` names fields, `enum` arrays hold
/// values, `operationId`, `tags` and a parameter's `name` are names too.
fn collect(value: &Value, parent_key: &str, names: &mut Names) {
    match value {
        Value::Object(map) => {
            if parent_key == "schemas" {
                names.types.extend(map.keys().cloned());
            }
            if parent_key == "properties" {
                names.fields.extend(map.keys().cloned());
            }
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("operationId", Value::String(s)) => names.fields.push(s.clone()),
                    ("name", Value::String(s)) if map.contains_key("in") => {
                        names.fields.push(s.clone())
                    }
                    ("enum", Value::Array(items)) => names
                        .values
                        .extend(items.iter().filter_map(|v| v.as_str().map(str::to_owned))),
                    ("tags", Value::Array(items)) => {
                        let tags = items
                            .iter()
                            .filter_map(|t| t.as_str().or(t["name"].as_str()));
                        names.types.extend(tags.map(str::to_owned));
                    }
                    _ => {}
                }
                collect(child, key, names);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, parent_key, names)),
        _ => {}
    }
}

#[test]
fn every_corpus_name_becomes_a_distinct_identifier() {
    let mut files = Vec::new();
    for dir in corpus_dirs() {
        if !dir.is_dir() {
            println!(
                "note: {} is absent; its names are not checked",
                dir.display()
            );
        }
        spec_files(&dir, &mut files);
    }
    let mut checked = 0;
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let Ok(doc) = crate::load::parse(file, &bytes) else {
            continue;
        };
        let mut names = Names::default();
        collect(&doc, "", &mut names);
        let (mut types, mut fields, mut values) = (Scope::for_types(), Scope::new(), Scope::new());
        for raw in &names.types {
            let claimed = types.claim(&pascal(raw));
            assert!(
                is_ident(&claimed),
                "{}: {raw:?} -> {claimed:?}",
                file.display()
            );
            assert!(is_ident(&snake(raw)), "{}: {raw:?}", file.display());
        }
        for raw in &names.fields {
            let claimed = fields.claim(&snake(raw));
            assert!(
                is_ident(&claimed),
                "{}: {raw:?} -> {claimed:?}",
                file.display()
            );
            assert!(is_ident(&pascal(raw)), "{}: {raw:?}", file.display());
        }
        for raw in &names.values {
            let claimed = values.claim(&enum_variant(raw));
            assert!(
                is_ident(&claimed),
                "{}: {raw:?} -> {claimed:?}",
                file.display()
            );
        }
        checked += names.types.len() + names.fields.len() + names.values.len();
    }
    println!("{checked} names from {} specs checked", files.len());
}
