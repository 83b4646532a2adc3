//! OpenAPI 3.0/3.1 to Rust SDK crates.
//!
//! The pipeline, one module per stage:
//! 1. `load`: bytes to a JSON value (YAML or JSON), errors with line and column, files beside
//!    a multi-file spec bundled in; then `overlay` applies the spec's OpenAPI Overlays;
//! 2. `normalise`: value-to-value passes (3.1 to 3.0 shape, `$ref` siblings, metadata);
//! 3. parse: `openapiv3` typed document, errors with a JSON pointer;
//! 4. `model`: our own model, with names, types, servers and vendor facts resolved
//!    (`extensions` holds what each vendor adds to OpenAPI);
//! 5. `emit`: Rust files via `quote`, `syn` and `prettyplease`.
//!
//! The public API is narrow: [`generate`] and its [`Options`], the [`diff`] of two specs,
//! [`stages`] for benchmarks, and diagnostics ([`Error`], [`Warning`]). Everything else is
//! internal, so the compiler reports what no stage uses.
//!
//! This crate reads only the bytes it is handed and the files a multi-file spec refers to
//! beside itself; `xtask` reads and writes everything else.

mod diagnostics;
pub mod diff;
mod emit;
mod extensions;
mod guard;
mod load;
mod model;
mod normalise;
mod overlay;
mod structure;
#[doc(hidden)]
pub mod synthetic;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use diagnostics::Diagnostics;
pub use diagnostics::{pointer_token, Error, Location, Warning};
pub use emit::layout::{Fingerprint, KnownLayout};
pub use overlay::Overlay;

/// How to generate one crate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Path from the crate's folder to `codegen/runtime`, written into its `Cargo.toml`.
    pub runtime_path: String,
    /// Whether the crate gets its own `[workspace]` table (it lives outside ours).
    pub standalone: bool,
    /// Whether warnings (anything dropped or approximated) fail generation.
    pub deny_warnings: bool,
    /// Whether to emit the SDK tests' driver module ([`Generated::test_calls`]).
    pub test_calls: bool,
    /// Where the generated crate's source is published, for its manifest's `repository`; a
    /// spec does not say, so it comes from whoever generates (`None` leaves it out).
    pub repository: Option<String>,
    /// OpenAPI Overlays applied to the spec, in order, before anything reads it.
    pub overlays: Vec<Overlay>,
    /// Final texts the caller already holds, by their tokens' fingerprint: files whose
    /// tokens match are not formatted again ([`KnownLayout`]).
    pub known_layout: Option<Arc<dyn KnownLayout>>,
    /// What the manifest says about the package beyond the spec: name, version, publishing.
    pub package: Package,
}

/// The generated manifest's package facts that no spec states: whoever generates decides
/// them (`cargo xtask regen` reads `specs/sdk.toml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// The package name; `None` derives it from the spec's file name ([`package_name`]).
    pub name: Option<String>,
    /// The version without build metadata (the spec's version is appended as `+spec.X`).
    pub version: String,
    /// Whether `cargo publish` may publish it; `false` writes `publish = false`.
    pub publish: bool,
    /// The only registry it may be published to (`publish = ["name"]`), when `publish`.
    pub registry: Option<String>,
    /// The SPDX license expression for a spec that declares no license.
    pub license: Option<String>,
    /// The manifest's `authors`.
    pub authors: Vec<String>,
    /// `[package.metadata.sdk]` lines, written as given (`key = "value"`): what
    /// `cargo xtask regen` records to version the next release.
    pub metadata: Vec<(String, String)>,
}

impl Default for Package {
    /// Not publishable, version `0.1.0`, the name from the spec's file.
    fn default() -> Self {
        Package {
            name: None,
            version: "0.1.0".to_owned(),
            publish: false,
            registry: None,
            license: None,
            authors: Vec::new(),
            metadata: Vec::new(),
        }
    }
}

impl Options {
    /// Options for a crate in a workspace, whose folder reaches the runtime crate by
    /// `runtime_path`: warnings printed, no SDK tests' driver, no `repository`. Change the
    /// rest with struct update syntax: `Options { standalone: true, ..Options::new(path) }`.
    pub fn new(runtime_path: impl Into<String>) -> Self {
        Options {
            runtime_path: runtime_path.into(),
            standalone: false,
            deny_warnings: false,
            test_calls: false,
            repository: None,
            overlays: Vec::new(),
            known_layout: None,
            package: Package::default(),
        }
    }
}

/// A generated crate, in memory.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Folder and package name, e.g. `twilio-flex-v2`.
    pub package_name: String,
    /// Each file: its path relative to the crate folder, and its contents.
    pub files: Vec<(String, String)>,
    /// What was dropped or approximated.
    pub warnings: Vec<Warning>,
    /// How many operations the crate has.
    pub operations: usize,
    /// How many types the crate defines.
    pub types: usize,
    /// The SDK tests' driver module for this API (see [`test_calls_crate`]), when
    /// [`Options::test_calls`] asked for it.
    pub test_calls: Option<String>,
    /// Each Rust file of `files`: its tokens' fingerprint, and whether its text came from
    /// [`Options::known_layout`] (then it is already in the caller's final layout).
    pub fingerprints: BTreeMap<String, Fingerprint>,
}

impl Generated {
    /// The contents of the file at `path` (relative to the crate folder, e.g. `src/types.rs`).
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, text)| text.as_str())
    }
}

/// Generation failed: the error, and the warnings seen before it.
#[derive(Clone, Debug)]
pub struct Failure {
    pub error: Error,
    pub warnings: Vec<Warning>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// Crate names Cargo or rustc refuse or warn about besides keywords: the standard library's
/// crates and names Windows reserves for devices.
const RESERVED_CRATES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// The crate's folder/package name for a spec file: its stem, lowercased, with `-` for `_`.
/// Any stem gives a valid package whose crate name (`-` as `_`) is a plain identifier: one
/// that is empty, starts with a digit, or is a keyword or reserved name gets an `api-` prefix.
pub fn package_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let crate_name = name.replace('-', "_");
    if name.is_empty() {
        name = "api".into();
    } else if !model::names::is_ident(&crate_name) || RESERVED_CRATES.contains(&crate_name.as_str())
    {
        name = format!("api-{name}");
    }
    name
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A spec file as a JSON value, YAML or JSON, unchanged: for tools and tests that read specs
/// the way the generator does.
pub fn load_spec(file: &Path, bytes: &[u8]) -> Result<serde_json::Value, Error> {
    load::parse(file, bytes)
}

/// A spec as the generator reads it before normalising: sibling files bundled in, then the
/// overlays applied (what Prism should serve, and what tests derive expectations from).
pub fn overlaid_spec(
    file: &Path,
    bytes: &[u8],
    overlays: &[Overlay],
) -> Result<serde_json::Value, Error> {
    let mut value = load::document(file, bytes)?;
    for o in overlays {
        overlay::apply(&mut value, o)?;
    }
    Ok(value)
}

/// A spec as the generator reads it after normalisation (the document JSON pointers in
/// generated code and messages refer to).
pub fn normalised_spec(
    file: &Path,
    bytes: &[u8],
    overlays: &[Overlay],
) -> Result<serde_json::Value, Box<Failure>> {
    let mut diags = Diagnostics::new(file);
    let result = overlaid_spec(file, bytes, overlays)
        .and_then(|mut value| normalise::run(&mut value, &mut diags).map(|_| value));
    result.map_err(|error| {
        Box::new(Failure {
            error,
            warnings: diags.into_warnings(),
        })
    })
}

/// Stage 3: the normalised value to `openapiv3`'s typed document.
fn parse(file: &Path, value: &serde_json::Value) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer: String = e
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    Some(format!("/{}", diagnostics::pointer_token(key)))
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        Error::at(
            file,
            &pointer,
            format!("not a valid OpenAPI 3.0 document here: {}", e.inner()),
        )
    })
}

/// Runs the whole pipeline for one spec. `spec_name` is how headers name the spec.
pub fn generate(
    file: &Path,
    spec_name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<Generated, Box<Failure>> {
    generate_timed(file, spec_name, bytes, options).0
}

/// Wall time spent in each stage of one [`generate_timed`] call; stages not reached are zero.
#[derive(Clone, Copy, Debug, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub normalise: Duration,
    pub parse: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
}

impl StageTimes {
    pub const NAMES: [&'static str; 6] = ["load", "normalise", "parse", "lower", "emit", "format"];

    /// The times in [`StageTimes::NAMES`] order.
    pub fn as_array(&self) -> [Duration; 6] {
        [
            self.load,
            self.normalise,
            self.parse,
            self.lower,
            self.emit,
            self.format,
        ]
    }
}

/// [`generate`], also reporting how long each stage took (for `cargo xtask bench`).
pub fn generate_timed(
    file: &Path,
    spec_name: &str,
    bytes: &[u8],
    options: &Options,
) -> (Result<Generated, Box<Failure>>, StageTimes) {
    let mut diags = Diagnostics::new(file);
    let mut times = StageTimes::default();
    let inner = guard::run(file, || {
        generate_inner(file, spec_name, bytes, options, &mut diags, &mut times)
    });
    let result = match inner {
        Ok(mut generated) => {
            let warnings = diags.into_warnings();
            match warnings.first().filter(|_| options.deny_warnings) {
                Some(first) => {
                    let error = Error {
                        file: first.file.clone(),
                        location: first.location.clone(),
                        message: format!("{} (warnings are denied)", first.message),
                    };
                    Err(Box::new(Failure { error, warnings }))
                }
                None => {
                    generated.warnings = warnings;
                    Ok(generated)
                }
            }
        }
        Err(error) => Err(Box::new(Failure {
            error,
            warnings: diags.into_warnings(),
        })),
    };
    (result, times)
}

/// Time since `clock`, restarting it.
fn lap(clock: &mut Instant) -> Duration {
    let now = Instant::now();
    let elapsed = now - *clock;
    *clock = now;
    elapsed
}

fn generate_inner(
    file: &Path,
    spec_name: &str,
    bytes: &[u8],
    options: &Options,
    diags: &mut Diagnostics,
    times: &mut StageTimes,
) -> Result<Generated, Error> {
    let mut clock = Instant::now();
    let value = overlaid_spec(file, bytes, &options.overlays);
    let mut value = value?;
    times.load = lap(&mut clock);
    guard::stage("normalise");
    normalise::run(&mut value, diags)?;
    times.normalise = lap(&mut clock);
    guard::stage("parse");
    let doc = parse(file, &value)?;
    times.parse = lap(&mut clock);
    guard::stage("lower");
    let api = lower_named(file, &doc, options.package.name.as_deref(), diags)?;
    times.lower = lap(&mut clock);
    guard::stage("emit");
    let ctx = emit_context(spec_name, bytes, options);
    let unformatted = emit::tokens(&api, &ctx);
    times.emit = lap(&mut clock);
    guard::stage("format");
    let known = options.known_layout.as_deref();
    let (files, fingerprints) = emit::format(unformatted, &ctx, &api.package_name, known)
        .map_err(|m| Error::new(file, Location::File, m))?;
    let test_calls = if options.test_calls {
        let tokens = emit::test_calls::module(&api, spec_name);
        let path = format!("{}.rs", api.crate_name);
        let text = emit::format_rust(tokens, &path, &ctx)
            .map_err(|m| Error::new(file, Location::File, m))?;
        Some(text)
    } else {
        None
    };
    times.format = lap(&mut clock);
    Ok(Generated {
        package_name: api.package_name,
        files,
        warnings: Vec::new(),
        operations: api.operations.len(),
        types: api.types.len() + api.sids.len(),
        test_calls,
        fingerprints,
    })
}

/// The SDK tests' driver crate (`generated/sdk-calls`): its manifest, `lib.rs`, and the
/// driver module of each crate (generated with [`Options::test_calls`]). `runtime_path` is
/// the runtime's path from the driver crate's folder; the SDK crates are its siblings.
pub fn test_calls_crate(
    crates: &[&Generated],
    runtime_path: &str,
) -> Result<Vec<(String, String)>, String> {
    let packages: Vec<&str> = crates.iter().map(|g| g.package_name.as_str()).collect();
    let modules: Vec<String> = packages.iter().map(|p| p.replace('-', "_")).collect();
    let module_names: Vec<&str> = modules.iter().map(String::as_str).collect();
    let header = "@generated by `cargo xtask regen` from specs/. Do not edit: change the spec or the generator and regenerate.";
    let lib = emit::format_plain(emit::test_calls::lib_rs(&module_names), "src/lib.rs")?;
    let mut files = vec![
        (
            "Cargo.toml".to_owned(),
            emit::test_calls::manifest(header, runtime_path, &packages),
        ),
        ("src/lib.rs".to_owned(), format!("// {header}\n\n{lib}")),
    ];
    for (generated, module) in crates.iter().zip(&modules) {
        let text = generated.test_calls.clone().ok_or_else(|| {
            format!(
                "{} was generated without Options::test_calls",
                generated.package_name
            )
        })?;
        files.push((format!("src/{module}.rs"), text));
    }
    Ok(files)
}

fn lower(
    file: &Path,
    doc: &openapiv3::OpenAPI,
    diags: &mut Diagnostics,
) -> Result<model::Api, Error> {
    lower_named(file, doc, None, diags)
}

/// [`lower`], the package named `name` rather than after the spec's file.
fn lower_named(
    file: &Path,
    doc: &openapiv3::OpenAPI,
    name: Option<&str>,
    diags: &mut Diagnostics,
) -> Result<model::Api, Error> {
    let package = name.map_or_else(|| package_name(file), str::to_owned);
    let names = model::lower::Names {
        crate_name: package.replace('-', "_"),
        package_name: package,
    };
    model::lower(doc, names, diags)
}

/// What the emitters need besides the model: header and manifest details.
fn emit_context(spec_name: &str, bytes: &[u8], options: &Options) -> emit::Context {
    emit::Context {
        spec_name: spec_name.to_owned(),
        spec_sha256: sha256_hex(bytes),
        overlays: options
            .overlays
            .iter()
            .map(|o| (o.path.display().to_string(), sha256_hex(&o.bytes)))
            .collect(),
        runtime_path: options.runtime_path.clone(),
        standalone: options.standalone,
        repository: options.repository.clone(),
        package: options.package.clone(),
    }
}

/// The pipeline one stage at a time, as [`generate`] chains them, for benchmarks that time
/// each stage. Each stage's output is opaque: only the next stage reads it. Warnings are
/// dropped; [`generate`] reports them.
pub mod stages {
    use std::path::Path;

    use crate::diagnostics::{Diagnostics, Error, Location};
    use crate::{emit, model, Options};

    /// A loaded (and perhaps normalised) document.
    #[derive(Clone, Debug)]
    pub struct Document(serde_json::Value);

    /// The `openapiv3` document.
    pub struct Parsed(openapiv3::OpenAPI);

    /// The lowered model of one API.
    pub struct Lowered(model::Api);

    /// Emitted files, not yet formatted.
    pub struct Emitted(Vec<(String, emit::Unformatted)>);

    /// How one crate is emitted: from [`context`].
    pub struct Context(emit::Context);

    pub fn load(file: &Path, bytes: &[u8]) -> Result<Document, Error> {
        crate::load::document(file, bytes).map(Document)
    }

    pub fn normalise(file: &Path, mut document: Document) -> Result<Document, Error> {
        crate::normalise::run(&mut document.0, &mut Diagnostics::new(file))?;
        Ok(document)
    }

    pub fn parse(file: &Path, document: &Document) -> Result<Parsed, Error> {
        crate::parse(file, &document.0).map(Parsed)
    }

    pub fn lower(file: &Path, parsed: &Parsed) -> Result<Lowered, Error> {
        crate::lower(file, &parsed.0, &mut Diagnostics::new(file)).map(Lowered)
    }

    pub fn context(spec_name: &str, bytes: &[u8], options: &Options) -> Context {
        Context(crate::emit_context(spec_name, bytes, options))
    }

    pub fn emit(lowered: &Lowered, ctx: &Context) -> Emitted {
        Emitted(emit::tokens(&lowered.0, &ctx.0))
    }

    pub fn format(
        file: &Path,
        emitted: Emitted,
        ctx: &Context,
    ) -> Result<Vec<(String, String)>, Error> {
        emit::format(emitted.0, &ctx.0, "", None)
            .map(|(files, _)| files)
            .map_err(|m| Error::new(file, Location::File, m))
    }
}
