//! The runtime's modules stand in layers, and each imports only the layers below it (the
//! order `lib.rs` documents). Read from the sources: every `crate::` path outside comments
//! and test modules, with top-level names (`crate::Secret`) traced through `lib.rs`'s
//! re-exports. A new module must be given a layer here.

use std::collections::BTreeMap;
use std::path::Path;

/// Lowest first. Modules on one line are one layer and do not import each other.
const LAYERS: &[&[&str]] = &[
    &["lib", "time", "wire", "secret", "enums"],
    &["error"],
    &["operation"],
    &["response", "encoding"],
    &["transport"],
    &["retry"],
    &["auth"],
    &["api"],
    &["client"],
    &["pagination"],
    &["mock"],
    &["webhook"],
    &["extensions"],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` has no layer in tests/layers.rs"))
}

/// The code of a file without comments and without its test module (at the end, by the
/// crate's convention).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level names re-exported by `lib.rs`, and the module each comes from.
fn re_exports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in code(lib).split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = rest.split("::").next().unwrap_or("").trim().to_owned();
        let list = rest.split_once('{').map_or(rest, |(_, l)| l);
        for name in list.split([',', '}', ':']).map(str::trim) {
            if name.starts_with(char::is_uppercase) {
                names.insert(name.to_owned(), module.clone());
            }
        }
    }
    names
}

/// The modules `code` names through `crate::`, grouped imports (`crate::{a, b::C}`)
/// included.
fn imports(code: &str, re_exports: &BTreeMap<String, String>) -> Vec<String> {
    let module = |name: &str| -> Option<String> {
        let name: String = name
            .trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.starts_with(char::is_uppercase) {
            Some(
                re_exports
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| "lib".to_owned()),
            )
        } else {
            (!name.is_empty() && name != "self").then_some(name)
        }
    };
    let mut found = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            found.extend(module(rest));
            continue;
        };
        // The group's top-level items only: `a::{x, y}` names `a` once.
        let mut depth = 0;
        let mut item = String::new();
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    found.extend(module(&item));
                    item.clear();
                }
                _ if depth == 0 => item.push(c),
                _ => {}
            }
        }
        found.extend(module(&item));
    }
    found
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let re_exports = re_exports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    assert!(re_exports.contains_key("Secret") && re_exports.contains_key("Client"));
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.iter().next().unwrap().to_string_lossy();
        let module = first.trim_end_matches(".rs");
        let from = layer(module);
        for target in imports(&code(&std::fs::read_to_string(file).unwrap()), &re_exports) {
            checked += 1;
            if target != module && layer(&target) >= from {
                violations.push(format!("{} imports {target}", relative.display()));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} imports found: is the parser broken?"
    );
    violations.sort();
    violations.dedup();
    assert!(
        violations.is_empty(),
        "imports against the layers:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_check_sees_an_upward_import() {
    let re_exports = re_exports("pub use client::{Client, ClientBuilder};");
    let found = imports(
        &code("use crate::Client;\n// crate::auth\nuse crate::retry::X;\nuse crate::{api::{Y, Z}, time};"),
        &re_exports,
    );
    assert_eq!(found, ["client", "retry", "api", "time"]);
}
