//! `Options::known_layout`: a file whose tokens the caller has seen is taken from the caller,
//! not formatted again; every other file is formatted; fingerprints follow the tokens.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use codegen::{Generated, KnownLayout, Options};

/// Hands back `text` for files whose fingerprint it was given, and notes every question.
#[derive(Debug, Default)]
struct Held {
    texts: BTreeMap<(String, String), (String, String)>,
    asked: Mutex<Vec<String>>,
}

impl KnownLayout for Held {
    fn final_text(&self, package: &str, path: &str, fingerprint: &str) -> Option<String> {
        self.asked.lock().unwrap().push(path.to_owned());
        let (held, text) = self.texts.get(&(package.to_owned(), path.to_owned()))?;
        (held == fingerprint).then(|| text.clone())
    }
}

fn spec(operation_id: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}},
        "servers": [{{"url": "https://api.example.com"}}],
        "paths": {{"/Things": {{"get": {{"operationId": "{operation_id}",
            "responses": {{"200": {{"description": "ok"}}}}}}}}}}}}"#
    )
}

fn generate(spec: &str, known: Option<Arc<dyn KnownLayout>>) -> Generated {
    let options = Options {
        known_layout: known,
        ..Options::new("../runtime")
    };
    codegen::generate(Path::new("t.json"), "t.json", spec.as_bytes(), &options)
        .unwrap_or_else(|f| panic!("{f}"))
}

#[test]
fn a_file_with_known_tokens_is_taken_as_held_and_the_rest_is_formatted() {
    let first = generate(&spec("ListThings"), None);
    let rust: Vec<&String> = first.fingerprints.keys().collect();
    assert!(rust.iter().any(|p| *p == "src/client.rs"), "{rust:?}");
    assert!(first.fingerprints.values().all(|f| !f.known));
    let again = generate(&spec("ListThings"), None);
    assert_eq!(
        first.fingerprints, again.fingerprints,
        "fingerprints are deterministic"
    );

    let mut held = Held::default();
    for (path, fingerprint) in &first.fingerprints {
        let key = (first.package_name.clone(), path.clone());
        held.texts.insert(
            key,
            (fingerprint.tokens.clone(), format!("// held {path}\n")),
        );
    }
    let held = Arc::new(held);
    let known = generate(&spec("ListThings"), Some(held.clone()));
    for (path, fingerprint) in &known.fingerprints {
        assert!(fingerprint.known, "{path}");
        assert_eq!(known.file(path).unwrap(), format!("// held {path}\n"));
    }
    assert_eq!(held.asked.lock().unwrap().len(), first.fingerprints.len());

    // Another operation id changes some files' tokens: those are formatted, not taken.
    let changed = generate(&spec("ListOtherThings"), Some(held));
    let formatted: Vec<&String> = changed
        .fingerprints
        .iter()
        .filter(|(_, f)| !f.known)
        .map(|(path, _)| path)
        .collect();
    assert!(
        formatted.iter().any(|p| *p == "src/operations.rs"),
        "{formatted:?}"
    );
    for path in formatted {
        assert_ne!(changed.fingerprints[path], first.fingerprints[path]);
    }
    let operations = changed.file("src/operations.rs").unwrap();
    assert!(operations.contains("ListOtherThings"), "{operations}");
}
