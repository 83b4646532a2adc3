//! Fuzzing the whole pipeline (load -> normalise -> parse -> lower -> emit) with proptest over
//! mutated specs. Properties, for any input:
//! - `generate` returns (no panic, no internal error, which is a caught panic, no stack
//!   overflow on a 2 MiB thread, no hang);
//! - an error names the file it was given;
//! - every emitted `.rs` file parses as Rust with `syn`.
//!
//! Inputs are a seed spec (`tests/fuzz_seeds/` and the valid `tests/tricky/` specs) plus a list
//! of structural mutations on its JSON value (delete, copy, replace, inject `$ref`s to random
//! places, rename keys to odd strings, nest deeply), written out as JSON or YAML, then a list of
//! byte edits. Proptest shrinks a failing input to a small list of mutations.
//!
//! `cargo test` runs a bounded pass (`FUZZ_CASES`, default 64). `cargo xtask fuzz --seconds N`
//! sets `CODEGEN_FUZZ_SECONDS` and runs batches until the time is up, printing the exec count.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use codegen::Options;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{json, Map, Value};

/// A thread stack as small as a default spawned thread's: the generator must not need more.
const STACK: usize = 2 * 1024 * 1024;
/// Longer than any small spec takes in a debug build; past it a case counts as a hang.
const HANG: Duration = Duration::from_secs(30);

fn seed_dirs() -> [PathBuf; 2] {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    [tests.join("fuzz_seeds"), tests.join("tricky")]
}

/// (file name, parsed value) of every seed, sorted by name so indexes are stable.
fn seeds() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in seed_dirs() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let value = codegen::load_spec(&file, &bytes)
                .unwrap_or_else(|e| panic!("seed {} does not load: {e}", file.display()));
            out.push((
                file.file_name().unwrap().to_string_lossy().into_owned(),
                value,
            ));
        }
    }
    assert!(out.len() >= 4, "the seed corpus is missing");
    out
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete {
        at: usize,
    },
    /// Copies one subtree into an object (under `key`) or appends it to an array.
    Copy {
        from: usize,
        to: usize,
        key: String,
    },
    Replace {
        at: usize,
        with: Value,
    },
    /// Replaces a node with `{"$ref": "#<pointer of target>"}`, or adds `$ref` beside an object's keys.
    InjectRef {
        at: usize,
        target: usize,
        beside: bool,
    },
    RenameKey {
        at: usize,
        name: String,
    },
    /// Wraps a node in `depth` levels of schema nesting.
    Nest {
        at: usize,
        depth: usize,
        style: Nesting,
    },
}

#[derive(Clone, Copy, Debug)]
enum Nesting {
    Array,
    Object,
    Items,
    Properties,
    AllOf,
}

#[derive(Clone, Debug)]
enum ByteEdit {
    Set { at: usize, byte: u8 },
    Insert { at: usize, byte: u8 },
    Remove { at: usize },
    Truncate { at: usize },
}

#[derive(Clone, Debug)]
struct Input {
    seed: usize,
    mutations: Vec<Mutation>,
    as_yaml: bool,
    bytes: Vec<ByteEdit>,
}

const ODD_NAMES: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "async",
    "r#type",
    "1st",
    "é",
    "名前",
    "a b",
    "a-b",
    "a.b",
    "@id",
    "$ref",
    "*/",
    "/*",
    "\"",
    "\\",
    "{id}",
    "}{",
    "~",
    "~1",
    "/",
    "#",
    "<b>",
    "```",
    "Unknown",
    "Client",
    "Option",
    "new",
    "send",
    "body",
    "fooBar",
    "foo_bar",
    "FooBar",
    "FOO_BAR",
    "\u{0}",
    "\u{202e}",
    "a\nb",
    "application/json",
    "multipart/form-data",
];

fn odd_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(ODD_NAMES).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9 _@.\\-/{}#$~*+<>`\\[\\]()]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

/// Schema-shaped fragments: mutations that keep a spec plausible reach the deeper stages.
fn fragments() -> Vec<Value> {
    vec![
        json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/components/schemas/Missing"}}, "required": ["a", "zzz"]}),
        json!({"type": "array", "items": {"type": "array", "items": {"nullable": true}}}),
        json!({"type": "string", "enum": ["", "-", "+1", "a b", "A B", null]}),
        json!({"type": "integer", "enum": [1, -2, 3]}),
        json!({"type": "string", "pattern": "^XX[0-9a-fA-F]{32}$"}),
        json!({"type": "string", "format": "binary"}),
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"nullable": true}]}),
        json!({"anyOf": [{"type": "null"}, {"type": "string"}]}),
        json!({"allOf": [{"type": "object", "properties": {"x": {"type": "integer"}}}, {"required": ["x"]}]}),
        json!({"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind", "mapping": {"k": "#/components/schemas/Nope"}}}),
        json!({"additionalProperties": {"type": "integer"}}),
        json!({"additionalProperties": true, "properties": {}}),
        json!({"not": {"type": "string"}}),
        json!({"type": ["string", "integer", "null"]}),
        json!({"type": "unknown-type"}),
        json!({"$ref": "#/components/schemas"}),
        json!({"$ref": "#"}),
        json!({"$ref": "other.yaml#/A"}),
        json!({"content": {"application/xml": {"schema": {"type": "string"}}}}),
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        json!({"name": "q", "in": "cookie", "schema": {"type": "string"}}),
        json!({"description": "```rust\nfn main() { panic!() }\n``` <b>x</b> */ [broken](link) https://e.x/a."}),
        json!({"get": {"responses": {"200": {"description": "x", "content": {"text/plain": {}}}}}}),
        json!({"openapi": "3.1.0"}),
        json!({"swagger": "2.0"}),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        odd_string().prop_map(Value::String),
        proptest::sample::select(fragments()),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((odd_string(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let nesting = prop_oneof![
        Just(Nesting::Array),
        Just(Nesting::Object),
        Just(Nesting::Items),
        Just(Nesting::Properties),
        Just(Nesting::AllOf)
    ];
    prop_oneof![
        3 => any::<usize>().prop_map(|at| Mutation::Delete { at }),
        2 => (any::<usize>(), any::<usize>(), odd_string()).prop_map(|(from, to, key)| Mutation::Copy { from, to, key }),
        4 => (any::<usize>(), value()).prop_map(|(at, with)| Mutation::Replace { at, with }),
        3 => (any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(at, target, beside)| Mutation::InjectRef { at, target, beside }),
        3 => (any::<usize>(), odd_string()).prop_map(|(at, name)| Mutation::RenameKey { at, name }),
        1 => (any::<usize>(), prop_oneof![1usize..40, 40usize..300], nesting).prop_map(|(at, depth, style)| Mutation::Nest { at, depth, style }),
    ]
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| ByteEdit::Set { at, byte }),
        (
            any::<usize>(),
            proptest::sample::select(b"{}[]:,\"'\n -#&*!|>\\".to_vec())
        )
            .prop_map(|(at, byte)| ByteEdit::Insert { at, byte }),
        any::<usize>().prop_map(|at| ByteEdit::Remove { at }),
        any::<usize>().prop_map(|at| ByteEdit::Truncate { at }),
    ]
}

fn input(seed_count: usize) -> impl Strategy<Value = Input> {
    (
        0..seed_count,
        proptest::collection::vec(mutation(), 0..8),
        any::<bool>(),
        // Most inputs stay parseable; byte edits test the parsers' error paths.
        prop_oneof![4 => Just(Vec::new()), 1 => proptest::collection::vec(byte_edit(), 1..4)],
    )
        .prop_map(|(seed, mutations, as_yaml, bytes)| Input {
            seed,
            mutations,
            as_yaml,
            bytes,
        })
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Every node's path, parents before children.
fn paths(value: &Value) -> Vec<Vec<Seg>> {
    fn walk(value: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        out.push(here.clone());
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    here.push(Seg::Key(k.clone()));
                    walk(v, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    here.push(Seg::Index(i));
                    walk(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'v>(mut value: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (Seg::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", codegen::pointer_token(k)),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn nest(inner: Value, depth: usize, style: Nesting) -> Value {
    let mut v = inner;
    for _ in 0..depth {
        v = match style {
            Nesting::Array => Value::Array(vec![v]),
            Nesting::Object => json!({ "x": v }),
            Nesting::Items => json!({ "type": "array", "items": v }),
            Nesting::Properties => json!({ "type": "object", "properties": { "p": v } }),
            Nesting::AllOf => json!({ "allOf": [v] }),
        };
    }
    v
}

fn apply(doc: &mut Value, m: &Mutation) {
    let all = paths(doc);
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Delete { at } => {
            let path = pick(*at);
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            match (last, node_mut(doc, parent)) {
                (Seg::Key(k), Some(Value::Object(map))) => {
                    map.shift_remove(k);
                }
                (Seg::Index(i), Some(Value::Array(items))) => {
                    items.remove(*i);
                }
                _ => {}
            }
        }
        Mutation::Copy { from, to, key } => {
            let Some(subtree) = node_mut(doc, &pick(*from)).map(|v| v.clone()) else {
                return;
            };
            match node_mut(doc, &pick(*to)) {
                Some(Value::Object(map)) => {
                    map.insert(key.clone(), subtree);
                }
                Some(Value::Array(items)) => items.push(subtree),
                Some(other) => *other = subtree,
                None => {}
            }
        }
        Mutation::Replace { at, with } => {
            if let Some(node) = node_mut(doc, &pick(*at)) {
                *node = with.clone();
            }
        }
        Mutation::InjectRef { at, target, beside } => {
            let reference = Value::String(format!("#{}", pointer(&pick(*target))));
            match node_mut(doc, &pick(*at)) {
                Some(Value::Object(map)) if *beside => {
                    map.insert("$ref".into(), reference);
                }
                Some(node) => {
                    *node = Value::Object(Map::from_iter([("$ref".to_owned(), reference)]))
                }
                None => {}
            }
        }
        Mutation::RenameKey { at, name } => {
            let path = pick(*at);
            let Some((Seg::Key(old), parent)) = path.split_last() else {
                return;
            };
            if let Some(Value::Object(map)) = node_mut(doc, parent) {
                // Renamed in place, keeping the key order the spec had.
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| if k == *old { (name.clone(), v) } else { (k, v) })
                    .collect();
            }
        }
        Mutation::Nest { at, depth, style } => {
            if let Some(node) = node_mut(doc, &pick(*at)) {
                *node = nest(node.take(), *depth, *style);
            }
        }
    }
}

fn edit_bytes(bytes: &mut Vec<u8>, edits: &[ByteEdit]) {
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            ByteEdit::Set { at, byte } if !bytes.is_empty() => bytes[at % len] = byte,
            ByteEdit::Insert { at, byte } => bytes.insert(at % (bytes.len() + 1), byte),
            ByteEdit::Remove { at } if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            ByteEdit::Truncate { at } => bytes.truncate(at % len),
            _ => {}
        }
    }
}

/// The spec file an input describes: its name and bytes.
fn render(input: &Input, seeds: &[(String, Value)]) -> (String, Vec<u8>) {
    let (seed_name, seed) = &seeds[input.seed];
    let mut doc = seed.clone();
    for m in &input.mutations {
        apply(&mut doc, m);
    }
    let stem = Path::new(seed_name)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let (name, mut bytes) = if input.as_yaml {
        // Very deep values are beyond the YAML writer's own limits; JSON is valid YAML anyway.
        let text =
            serde_yaml::to_string(&doc).unwrap_or_else(|_| serde_json::to_string(&doc).unwrap());
        (format!("{stem}.yaml"), text.into_bytes())
    } else {
        (
            format!("{stem}.json"),
            serde_json::to_vec_pretty(&doc).unwrap(),
        )
    };
    edit_bytes(&mut bytes, &input.bytes);
    (name, bytes)
}

static EXECS: AtomicU64 = AtomicU64::new(0);
static GENERATED: AtomicU64 = AtomicU64::new(0);

/// Runs the pipeline on one file on a fresh bounded-stack thread and checks the properties.
fn check(name: &str, bytes: Vec<u8>) -> Result<(), String> {
    EXECS.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = mpsc::channel();
    let file = name.to_owned();
    let input_bytes = bytes.clone();
    let handle = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let options = Options {
                standalone: true,
                ..Options::new("../runtime")
            };
            let outcome = std::panic::catch_unwind(|| {
                codegen::generate(Path::new(&file), &file, &bytes, &options)
            });
            let _ = tx.send(outcome);
        })
        .expect("spawn");
    let outcome = match rx.recv_timeout(HANG) {
        Ok(outcome) => outcome,
        Err(_) => {
            // Shrinking a hang would cost HANG per step, and the stuck thread cannot be
            // stopped: keep the input and stop the run.
            let saved = std::env::temp_dir().join(format!("codegen-fuzz-hang-{name}"));
            let _ = std::fs::write(&saved, input_bytes);
            eprintln!(
                "fuzz finding: no result after {HANG:?} (a hang); the input is in {}",
                saved.display()
            );
            std::process::exit(1);
        }
    };
    let _ = handle.join();
    match outcome {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("generate panicked: {message}"))
        }
        // `generate` turns a panic into an internal error: still a finding.
        Ok(Err(failure)) if failure.error.is_internal() => {
            Err(format!("generate hit a bug: {}", failure.error))
        }
        Ok(Err(failure)) => {
            if failure.error.file != Path::new(name) || failure.error.message.is_empty() {
                return Err(format!(
                    "an error that does not name the file, or says nothing: {}",
                    failure.error
                ));
            }
            Ok(())
        }
        Ok(Ok(generated)) => {
            GENERATED.fetch_add(1, Ordering::Relaxed);
            for (path, text) in generated.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                syn::parse_file(text).map_err(|e| format!("{path} is not valid Rust: {e}"))?;
            }
            Ok(())
        }
    }
}

/// Where the input being run is written in long runs, so a crash that kills the process
/// (which proptest cannot catch or shrink) still leaves its reproduction behind.
fn crash_file() -> PathBuf {
    std::env::temp_dir().join("codegen-fuzz-current-input")
}

fn run_batch(cases: u32, seeds: &[(String, Value)], keep_input: bool) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..Config::default()
    });
    let result = runner.run(&input(seeds.len()), |input| {
        let (name, bytes) = render(&input, seeds);
        if keep_input {
            let _ = std::fs::write(crash_file(), &bytes);
        }
        check(&name, bytes).map_err(TestCaseError::fail)
    });
    if let Err(error) = result {
        let detail = match &error {
            TestError::Fail(reason, input) => {
                let (name, bytes) = render(input, seeds);
                let saved = std::env::temp_dir().join(format!("codegen-fuzz-failure-{name}"));
                let _ = std::fs::write(&saved, &bytes);
                format!(
                    "{reason}\nminimal input: {input:#?}\nwritten to {}",
                    saved.display()
                )
            }
            TestError::Abort(reason) => reason.to_string(),
        };
        panic!("fuzz finding: {detail}");
    }
}

#[test]
fn the_pipeline_never_panics_and_emits_valid_rust() {
    let seeds = seeds();
    let started = Instant::now();
    match std::env::var("CODEGEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seconds) => {
            let deadline = started + Duration::from_secs(seconds);
            while Instant::now() < deadline {
                run_batch(256, &seeds, true);
            }
        }
        None => {
            let cases = std::env::var("FUZZ_CASES")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(64);
            run_batch(cases, &seeds, false);
        }
    }
    let execs = EXECS.load(Ordering::Relaxed);
    println!(
        "fuzz: {execs} execs in {:.1} s ({} generated a crate, the rest were refused with an error), {} seeds, no findings",
        started.elapsed().as_secs_f64(),
        GENERATED.load(Ordering::Relaxed),
        seeds.len()
    );
}

/// The seeds themselves generate (a seed that fails to generate explores nothing past the
/// stage that refuses it).
#[test]
fn every_seed_generates() {
    for (name, value) in seeds() {
        let bytes = serde_json::to_vec(&value).unwrap();
        let options = Options {
            standalone: true,
            ..Options::new("../runtime")
        };
        if let Err(failure) = codegen::generate(Path::new(&name), &name, &bytes, &options) {
            panic!("seed {name}: {failure}");
        }
    }
}

/// Re-runs one saved input: `CODEGEN_FUZZ_INPUT=<file> cargo test -p codegen --test fuzz reproduce -- --ignored --nocapture`.
#[test]
#[ignore = "run by hand on a saved fuzz input"]
fn reproduce() {
    let Ok(path) = std::env::var("CODEGEN_FUZZ_INPUT") else {
        panic!("set CODEGEN_FUZZ_INPUT to a saved input")
    };
    let bytes = std::fs::read(&path).unwrap();
    let name = if bytes.trim_ascii_start().starts_with(b"{") {
        "input.json"
    } else {
        "input.yaml"
    };
    check(name, bytes).unwrap();
}
