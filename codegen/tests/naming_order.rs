//! Generated names depend on each schema's own name and place, never on the order the document
//! lists things in: reordering a spec's paths, properties and component schemas must not
//! rename a type, a field or a SID type, or a review would see renames nobody made.
//!
//! Each spec is generated as written and with every one of those maps reversed (so every pair
//! of entries swaps), and the names in the two crates are compared: each struct with its fields
//! and their types, each enum with its variants, each alias, and the functions of each impl.
//! Declaration order may differ (the crate follows the spec's order); names may not.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::Options;
use quote::ToTokens;
use serde_json::Value;

fn specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = Vec::new();
    for dir in [root.join("../specs"), root.join("tests/tricky")] {
        for entry in fs::read_dir(&dir).expect("spec folder") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            // `name@version` is an old release kept for diff tests, not a spec of its own.
            let spec = [".json", ".yaml"].iter().any(|e| name.ends_with(e));
            if spec && !name.contains('@') && !name.contains(".overlay.") {
                specs.push(path);
            }
        }
    }
    specs.sort();
    specs
}

/// The spec with `paths`, every `properties` map and `components.schemas` in reverse order.
fn reordered(value: &Value) -> Value {
    fn walk(value: &Value, key: Option<&str>, depth: usize) -> Value {
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(String, Value)> = map
                    .iter()
                    .map(|(k, v)| (k.clone(), walk(v, Some(k), depth + 1)))
                    .collect();
                let reverse = match key {
                    Some("properties") => true,
                    Some("paths") => depth == 1,
                    Some("schemas") => depth == 2,
                    _ => false,
                };
                if reverse {
                    entries.reverse();
                }
                Value::Object(entries.into_iter().collect())
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| walk(v, key, depth + 1)).collect())
            }
            other => other.clone(),
        }
    }
    walk(value, None, 0)
}

/// Every name a user writes, per file: structs with their fields' names and types, enums with
/// their variants, aliases, and the functions of each impl block (sorted, so order is ignored).
fn names(generated: &codegen::Generated) -> BTreeMap<String, Vec<String>> {
    let mut by_file = BTreeMap::new();
    for (path, text) in &generated.files {
        if !path.ends_with(".rs") {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut found = Vec::new();
        collect(&file.items, &mut found);
        found.sort();
        by_file.insert(path.clone(), found);
    }
    by_file
}

fn collect(items: &[syn::Item], out: &mut Vec<String>) {
    let tokens = |t: &dyn ToTokens| t.to_token_stream().to_string();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let mut fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| format!("{}: {}", tokens(&f.ident), tokens(&f.ty)))
                    .collect();
                fields.sort();
                out.push(format!("struct {} {{ {} }}", s.ident, fields.join(", ")));
            }
            syn::Item::Enum(e) => {
                let mut variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| format!("{}{}", v.ident, tokens(&v.fields)))
                    .collect();
                variants.sort();
                out.push(format!("enum {} {{ {} }}", e.ident, variants.join(", ")));
            }
            syn::Item::Type(t) => out.push(format!("type {} = {}", t.ident, tokens(&t.ty))),
            syn::Item::Impl(i) => {
                let mut fns: Vec<String> = i
                    .items
                    .iter()
                    .filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                fns.sort();
                let of = i
                    .trait_
                    .as_ref()
                    .map(|(_, path, _)| format!("{} for ", tokens(path)))
                    .unwrap_or_default();
                out.push(format!(
                    "impl {of}{}: {}",
                    tokens(&i.self_ty),
                    fns.join(", ")
                ));
            }
            syn::Item::Fn(f) => out.push(format!("fn {}", f.sig.ident)),
            syn::Item::Const(c) => out.push(format!("const {}", c.ident)),
            syn::Item::Static(s) => out.push(format!("static {}", s.ident)),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect(items, out);
                }
            }
            _ => {}
        }
    }
}

fn generate(path: &Path, bytes: &[u8]) -> codegen::Generated {
    let label = path.file_name().unwrap().to_string_lossy().into_owned();
    codegen::generate(path, &label, bytes, &Options::new("../runtime"))
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.error))
}

#[test]
fn reordering_a_spec_renames_nothing() {
    let mut failures = Vec::new();
    for path in specs() {
        let bytes = fs::read(&path).expect("spec");
        let spec = codegen::load_spec(&path, &bytes).expect("spec loads");
        let shuffled = serde_json::to_vec(&reordered(&spec)).expect("JSON");
        assert_ne!(
            serde_json::to_vec(&spec).expect("JSON"),
            shuffled,
            "{}: reversing changed nothing, so the test would prove nothing",
            path.display()
        );
        let (before, after) = (
            names(&generate(&path, &bytes)),
            names(&generate(&path, &shuffled)),
        );
        for (file, names) in &before {
            let other = after.get(file).cloned().unwrap_or_default();
            let gone: Vec<&String> = names.iter().filter(|n| !other.contains(n)).collect();
            let came: Vec<&String> = other.iter().filter(|n| !names.contains(n)).collect();
            if !gone.is_empty() || !came.is_empty() {
                failures.push(format!(
                    "{} {file}:\n  as written: {gone:#?}\n  reordered:  {came:#?}",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
