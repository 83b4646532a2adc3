//! Generation speed: each stage on each spec in specs/, the whole pipeline, and scaling on
//! synthetic specs of 10 to 10,000 operations.
//!
//! `cargo bench -p codegen` measures; `cargo test -p codegen --benches` (CI) runs each
//! benchmark once on the small inputs, proving they still work, and times nothing.
//! Whole-process figures and per-stage scaling tables come from `cargo xtask bench`.

use std::path::{Path, PathBuf};

use codegen::{stages, Options};
use divan::counter::ItemsCount;
use divan::Bencher;

fn main() {
    divan::main();
}

const SPECS: [&str; 4] = [
    "front_channel.json",
    "twilio_flex_v1.yaml",
    "twilio_flex_v2.json",
    "twilio_frontline_v1.yaml",
];

fn options() -> Options {
    Options::new("../../codegen/runtime")
}

/// A spec's path as `regen` names it, and its bytes.
fn spec(name: &str) -> (PathBuf, Vec<u8>) {
    let on_disk = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(name);
    let bytes =
        std::fs::read(&on_disk).unwrap_or_else(|e| panic!("read {}: {e}", on_disk.display()));
    (Path::new("specs").join(name), bytes)
}

/// Whether divan is measuring (`cargo bench`) rather than running each benchmark once as a
/// test; the 10,000-operation spec takes minutes in an unoptimised test build.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn scaling_sizes() -> Vec<usize> {
    if measuring() {
        vec![10, 100, 1_000, 10_000]
    } else {
        vec![10, 100]
    }
}

#[divan::bench(args = SPECS)]
fn whole_pipeline(bencher: Bencher<'_, '_>, name: &str) {
    let (file, bytes) = spec(name);
    let options = options();
    bencher.bench(|| {
        codegen::generate(&file, name, &bytes, &options).unwrap_or_else(|f| panic!("{f}"))
    });
}

/// Each benchmark prepares its stage's input untimed with the earlier stages, then times
/// only its own stage.
mod stage {
    use super::*;

    #[divan::bench(args = SPECS)]
    fn load(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        bencher.bench(|| stages::load(&file, &bytes).unwrap());
    }

    #[divan::bench(args = SPECS)]
    fn normalise(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        let loaded = stages::load(&file, &bytes).unwrap();
        bencher
            .with_inputs(|| loaded.clone())
            .bench_values(|value| stages::normalise(&file, value).unwrap());
    }

    fn normalised(file: &Path, bytes: &[u8]) -> stages::Document {
        stages::normalise(file, stages::load(file, bytes).unwrap()).unwrap()
    }

    #[divan::bench(args = SPECS)]
    fn parse(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        let value = normalised(&file, &bytes);
        bencher.bench(|| stages::parse(&file, &value).unwrap());
    }

    #[divan::bench(args = SPECS)]
    fn lower(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        let doc = stages::parse(&file, &normalised(&file, &bytes)).unwrap();
        bencher.bench(|| stages::lower(&file, &doc).unwrap());
    }

    #[divan::bench(args = SPECS)]
    fn emit(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        let doc = stages::parse(&file, &normalised(&file, &bytes)).unwrap();
        let api = stages::lower(&file, &doc).unwrap();
        let ctx = stages::context(name, &bytes, &options());
        bencher.bench(|| stages::emit(&api, &ctx));
    }

    #[divan::bench(args = SPECS)]
    fn format(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        let doc = stages::parse(&file, &normalised(&file, &bytes)).unwrap();
        let api = stages::lower(&file, &doc).unwrap();
        let ctx = stages::context(name, &bytes, &options());
        bencher
            .with_inputs(|| stages::emit(&api, &ctx))
            .bench_values(|unformatted| stages::format(&file, unformatted, &ctx).unwrap());
    }

    /// Plain writes into a fresh temporary folder; `cargo xtask bench` times regen's own
    /// atomic writer.
    #[divan::bench(args = SPECS)]
    fn write(bencher: Bencher<'_, '_>, name: &str) {
        let (file, bytes) = spec(name);
        let files = codegen::generate(&file, name, &bytes, &options())
            .unwrap()
            .files;
        let out = std::env::temp_dir().join(format!("codegen-bench-write-{}", std::process::id()));
        bencher.bench(|| {
            for (path, contents) in &files {
                let full = out.join(path);
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(full, contents).unwrap();
            }
        });
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// The whole pipeline on a synthetic spec; divan's items/s is operations per second.
/// `max_time` bounds the large sizes to a few samples.
#[divan::bench(args = scaling_sizes(), max_time = 20)]
fn scaling(bencher: Bencher<'_, '_>, operations: usize) {
    let bytes = codegen::synthetic::spec(operations);
    let options = options();
    bencher.counter(ItemsCount::new(operations)).bench(|| {
        codegen::generate(
            Path::new("synthetic.json"),
            "synthetic.json",
            &bytes,
            &options,
        )
        .unwrap_or_else(|f| panic!("{f}"))
    });
}
