//! `regen`, `regen --check` and `generate`. Output is built in memory, then written to a
//! temporary folder beside the target and swapped in, so a failure never leaves a
//! half-written `generated/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context};
use codegen::{Failure, Generated, Options, Overlay, Package, StageTimes};

use crate::config::Config;
use crate::release::Release;

use crate::rustfmt::{self, Rustfmt};
use crate::spec_error;

/// The repository root (xtask lives one level below it).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_path_buf()
}

/// The target folder of this workspace, which scratch workspaces (corpus, semver-checks) share
/// so that dependencies are built once.
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The files that make a folder of generated crates one cargo workspace: its manifest, and our
/// lock file, which pins the dependency versions we test with and lets the build reuse the
/// dependencies already built in [`target_dir`].
pub(crate) fn scratch_workspace<'a>(
    members: impl IntoIterator<Item = &'a str>,
    written_by: &str,
) -> BTreeMap<PathBuf, String> {
    let list: Vec<String> = members.into_iter().map(|m| format!("    {m:?},")).collect();
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("Cargo.toml"),
        format!("# Scratch workspace written by `{written_by}`.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", list.join("\n")),
    );
    if let Ok(lock) = fs::read_to_string(root().join("Cargo.lock")) {
        files.insert(PathBuf::from("Cargo.lock"), lock);
    }
    files
}

/// Spec files in a folder, sorted by name: JSON and YAML files, overlays excepted (they
/// belong to the spec beside them, see [`SpecInput::read`]).
pub(crate) fn spec_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
                && !Overlay::is_overlay_file(p)
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// A spec to generate: its file, the name headers give it, its bytes, and the overlay found
/// beside it (`<stem>.overlay.yaml`), if any.
#[derive(Clone, Debug)]
pub(crate) struct SpecInput {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) bytes: Vec<u8>,
    pub(crate) overlays: Vec<Overlay>,
}

impl SpecInput {
    /// Reads the spec at `path` and its overlay; both are named with `prefix` and their
    /// file names (`specs/` in headers).
    pub(crate) fn read(path: &Path, prefix: &str) -> anyhow::Result<SpecInput> {
        let file_name = |p: &Path| {
            format!(
                "{prefix}{}",
                p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            )
        };
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let overlays = match Overlay::path_beside(path) {
            Some(overlay) => vec![Overlay {
                path: PathBuf::from(file_name(&overlay)),
                bytes: fs::read(&overlay)
                    .with_context(|| format!("cannot read {}", overlay.display()))?,
            }],
            None => Vec::new(),
        };
        // Relative to the working directory when below it: messages then name
        // `specs/x.yaml`, and files beside the spec are still found.
        let cwd = std::env::current_dir().unwrap_or_default();
        let path = path.strip_prefix(&cwd).unwrap_or(path);
        Ok(SpecInput {
            name: file_name(path),
            path: path.to_path_buf(),
            bytes,
            overlays,
        })
    }
}

/// The folder below `generated/` of the SDK tests' driver crate.
pub(crate) const TEST_CALLS: &str = "sdk-calls";

/// Generates every spec in `specs/` in memory: relative path under `generated/` -> contents.
/// Warnings and errors go to stderr as they come, spec by spec. Any error fails the whole run
/// before anything is written.
pub(crate) fn plan(root: &Path, deny_warnings: bool) -> anyhow::Result<BTreeMap<PathBuf, String>> {
    plan_with(
        root,
        deny_warnings,
        &Rustfmt::for_workspace(root).recorded(),
    )
}

/// [`plan`], formatting with `rustfmt`.
fn plan_with(
    root: &Path,
    deny_warnings: bool,
    rustfmt: &Rustfmt,
) -> anyhow::Result<BTreeMap<PathBuf, String>> {
    let specs = spec_files(&root.join("specs"))?
        .iter()
        .map(|spec| SpecInput::read(spec, "specs/"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let options = Options {
        deny_warnings,
        test_calls: true,
        known_layout: rustfmt.known_layout(&root.join("generated")),
        ..Options::new("../../codegen/runtime")
    };
    let config = Config::read(root)?;
    config.check_specs(specs.iter().map(|s| file_name(&s.path)))?;
    let mut releases = Vec::new();
    let per_spec: Vec<Options> = specs
        .iter()
        .map(|spec| {
            let options = configured(&options, spec, &config);
            let release = release_of(root, spec, &options);
            let options = release
                .as_ref()
                .map_or(options.clone(), |r| r.applied(&options));
            releases.push(release);
            options
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut fingerprints = BTreeMap::new();
    let mut failed = 0;
    let mut crates = Vec::new();
    for ((result, _), release) in generate_each(&specs, &per_spec).into_iter().zip(&releases) {
        match result {
            Ok(generated) => {
                print_warnings(&generated.warnings);
                add_crate(&mut files, &generated);
                for (path, fingerprint) in &generated.fingerprints {
                    let path = Path::new(&generated.package_name).join(path);
                    fingerprints.insert(path, fingerprint.clone());
                }
                if let Ok(release) = release {
                    release.add_files(&mut files, &generated.package_name);
                }
                crates.push(generated);
            }
            Err(failure) => {
                print_warnings(&failure.warnings);
                // Printed here, in spec order among the warnings, as codegen formats it.
                eprintln!("{}", failure.error);
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} spec(s) in specs/ did not generate (errors above); \
             generated/ was left untouched",
            specs.len()
        );
    }
    // Every spec generated: what stops the run now is a release that cannot be made (a
    // version edited by hand below what the diff's verdict asks).
    if let Some(error) = releases.into_iter().find_map(Result::err) {
        return Err(error.context(
            "a generated crate cannot be versioned as it stands; generated/ was left untouched",
        ));
    }
    // The SDK tests' driver: every operation of every crate (codegen/sdk-tests).
    let crates: Vec<&Generated> = crates.iter().collect();
    let driver = codegen::test_calls_crate(&crates, "../../codegen/runtime")
        .map_err(anyhow::Error::msg)
        .with_context(|| {
            format!(
                "cannot generate the SDK tests' driver crate generated/{TEST_CALLS}; \
                 generated/ was left untouched"
            )
        })?;
    for (path, contents) in driver {
        files.insert(Path::new(TEST_CALLS).join(path), contents);
    }
    rustfmt.format_known(&mut files, &root.join("generated"), &fingerprints)?;
    Ok(files)
}

/// A spec's file name (`twilio_flex_v2.json`), as `specs/sdk.toml` names it.
fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

/// The options for one spec of `specs/`: its overlays, and what `specs/sdk.toml` says of its
/// crate.
fn configured(options: &Options, spec: &SpecInput, config: &Config) -> Options {
    let own = config.for_spec(file_name(&spec.path));
    Options {
        overlays: spec.overlays.clone(),
        repository: own.repository,
        package: Package {
            name: own.name,
            publish: own.publish,
            registry: own.registry,
            license: own.license,
            authors: own.authors,
            ..Package::default()
        },
        ..options.clone()
    }
}

/// The release of a spec's crate in `generated/`, judged against the checked-in one.
fn release_of(root: &Path, spec: &SpecInput, options: &Options) -> anyhow::Result<Release> {
    let folder = options
        .package
        .name
        .clone()
        .unwrap_or_else(|| codegen::package_name(&spec.path));
    let dir = root.join("generated").join(&folder);
    Release::plan(&dir, &format!("generated/{folder}"), spec)
}

/// Generates `(name, bytes)` specs on as many threads as there are cores, each spec whole on
/// one thread; results come back in input order. Specs are independent, so this is the cheap
/// parallelism: most of a spec's time is `syn` and `prettyplease`, whose token streams cannot
/// cross threads.
pub(crate) fn generate_all(
    specs: &[SpecInput],
    options: &Options,
) -> Vec<(Result<Generated, Box<Failure>>, StageTimes)> {
    let each: Vec<Options> = specs
        .iter()
        .map(|spec| Options {
            overlays: spec.overlays.clone(),
            ..options.clone()
        })
        .collect();
    generate_each(specs, &each)
}

/// [`generate_all`], each spec with its own options (`options[i]` for `specs[i]`).
fn generate_each(
    specs: &[SpecInput],
    options: &[Options],
) -> Vec<(Result<Generated, Box<Failure>>, StageTimes)> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(specs.len());
    let next = AtomicUsize::new(0);
    let mut results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                // The main thread's stack size, so a deeply nested spec behaves as it would there.
                let builder = std::thread::Builder::new().stack_size(8 << 20);
                builder.spawn_scoped(scope, || {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let (Some(spec), Some(options)) = (specs.get(index), options.get(index))
                        else {
                            return done;
                        };
                        done.push((
                            index,
                            codegen::generate_timed(&spec.path, &spec.name, &spec.bytes, options),
                        ));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.expect("a thread can be started")
                    .join()
                    .expect("generation does not panic")
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, r)| r).collect()
}

pub(crate) fn print_warnings(warnings: &[codegen::Warning]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

/// Adds a generated crate's files under its package folder.
pub(crate) fn add_crate(files: &mut BTreeMap<PathBuf, String>, generated: &Generated) {
    for (path, contents) in &generated.files {
        files.insert(
            Path::new(&generated.package_name).join(path),
            contents.clone(),
        );
    }
}

/// Every file below `dir`, relative to it.
fn existing(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let contents = fs::read(&path)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                out.insert(
                    path.strip_prefix(base).expect("below base").to_path_buf(),
                    contents,
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What differs between the wanted tree and the one on disk, as readable text.
pub(crate) fn differences(
    wanted: &BTreeMap<PathBuf, String>,
    dir: &Path,
    label: &str,
) -> Vec<String> {
    let have = existing(dir);
    let mut out = Vec::new();
    for (path, contents) in wanted {
        let shown = Path::new(label).join(path);
        match have.get(path) {
            None => out.push(format!("missing: {}", shown.display())),
            Some(old) if old != contents => {
                let diff = similar::TextDiff::from_lines(old.as_str(), contents.as_str());
                let text = diff
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{} (on disk)", shown.display()),
                        &format!("{} (generated)", shown.display()),
                    )
                    .to_string();
                let lines: Vec<&str> = text.lines().collect();
                let mut shown_diff = lines
                    .iter()
                    .take(40)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n");
                if lines.len() > 40 {
                    shown_diff.push_str(&format!("\n... ({} more diff lines)", lines.len() - 40));
                }
                out.push(format!("stale: {}\n{shown_diff}", shown.display()));
            }
            Some(_) => {}
        }
    }
    for path in have.keys() {
        if !wanted.contains_key(path) {
            out.push(format!("extra: {}", Path::new(label).join(path).display()));
        }
    }
    out
}

/// Writes `files` as the whole content of `target`, via a sibling temporary folder.
pub(crate) fn write_atomically(
    target: &Path,
    files: &BTreeMap<PathBuf, String>,
) -> anyhow::Result<()> {
    let parent = target
        .parent()
        .with_context(|| format!("cannot write {}: it has no parent folder", target.display()))?;
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let write = || -> anyhow::Result<()> {
        for (path, contents) in files {
            let full = tmp.join(path);
            let folder = full.parent().expect("files have a parent");
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
            fs::write(&full, contents)
                .with_context(|| format!("cannot write {}", full.display()))?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e.context(format!(
            "writing {} failed; {} was left untouched",
            tmp.display(),
            target.display()
        )));
    }
    if target.exists() {
        fs::rename(target, &old).with_context(|| {
            format!(
                "cannot move {} aside to {}; it was left untouched",
                target.display(),
                old.display()
            )
        })?;
    }
    if let Err(e) = fs::rename(&tmp, target) {
        let _ = fs::rename(&old, target);
        return Err(e).with_context(|| {
            format!(
                "cannot move the new output {} into {}",
                tmp.display(),
                target.display()
            )
        });
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

const REGEN_USAGE: &str =
    "usage: cargo xtask regen [--check] [--deny-warnings] [--no-rustfmt-cache]";

pub(crate) fn regen_command(args: &[String]) -> anyhow::Result<()> {
    let mut check = false;
    let mut deny = false;
    let mut cache = true;
    for a in args {
        match a.as_str() {
            "--check" => check = true,
            "--deny-warnings" => deny = true,
            // Every file through rustfmt, trusting neither the record nor the cache (and for
            // `bench` to time that).
            "--no-rustfmt-cache" => cache = false,
            other => bail!("regen: unknown argument {other:?}\n{REGEN_USAGE}"),
        }
    }
    let root = root();
    let rustfmt = Rustfmt::for_workspace(&root).recorded();
    let rustfmt = if cache { rustfmt } else { rustfmt.uncached() };
    let wanted = plan_with(&root, deny, &rustfmt)?;
    let target = root.join("generated");
    let diffs = differences(&wanted, &target, "generated");
    if check {
        if diffs.is_empty() {
            println!("generated/ is up to date ({} files).", wanted.len());
            return Ok(());
        }
        eprintln!("{}\n", diffs.join("\n"));
        bail!(
            "generated/ is stale: {} file(s) differ (listed above). \
             Run `cargo xtask regen` and commit the result.",
            diffs.len()
        );
    }
    if diffs.is_empty() {
        println!("generated/ is already up to date ({} files).", wanted.len());
        return Ok(());
    }
    write_atomically(&target, &wanted)?;
    println!(
        "regenerated generated/: {} file(s) changed, {} files in all.",
        diffs.len(),
        wanted.len()
    );
    Ok(())
}

const GENERATE_USAGE: &str = "usage: cargo xtask generate <SPEC> --out <DIR> [--overlay <FILE>]... [--deny-warnings] [--repository <URL>]\n\
     (an overlay beside the spec, <stem>.overlay.yaml, is applied unless --overlay names others)";

/// `generate`'s command line.
struct GenerateArgs {
    spec: PathBuf,
    out: PathBuf,
    deny: bool,
    repository: Option<String>,
    overlays: Vec<Overlay>,
}

fn generate_args(args: &[String]) -> anyhow::Result<GenerateArgs> {
    let mut spec = None;
    let mut out = None;
    let mut deny = false;
    let mut repository = None;
    let mut overlays = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = it.next().cloned(),
            "--overlay" => {
                let file = it.next().with_context(|| {
                    format!("generate: --overlay needs a file\n{GENERATE_USAGE}")
                })?;
                overlays.push(
                    Overlay::read(Path::new(file))
                        .with_context(|| format!("generate: cannot read overlay {file}"))?,
                );
            }
            "--deny-warnings" => deny = true,
            "--repository" => {
                repository = Some(it.next().cloned().with_context(|| {
                    format!("generate: --repository needs a URL\n{GENERATE_USAGE}")
                })?)
            }
            s if !s.starts_with("--") && spec.is_none() => spec = Some(s.to_owned()),
            other => bail!("generate: unexpected argument {other:?}\n{GENERATE_USAGE}"),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        bail!("generate: a spec and --out <DIR> are needed\n{GENERATE_USAGE}");
    };
    Ok(GenerateArgs {
        spec: PathBuf::from(spec),
        out: absolute(Path::new(&out))?,
        deny,
        repository,
        overlays,
    })
}

pub(crate) fn generate_command(args: &[String]) -> anyhow::Result<()> {
    let GenerateArgs {
        spec,
        out,
        deny,
        repository,
        overlays,
    } = generate_args(args)?;
    let root = root();
    let mut input = SpecInput::read(&spec, "")?;
    if !overlays.is_empty() {
        input.overlays = overlays;
    }
    let in_members = out.parent().is_some_and(|p| p == root.join("generated"));
    let runtime = relative(&out, &root.join("codegen").join("runtime"));
    let options = Options {
        standalone: !in_members,
        deny_warnings: deny,
        overlays: input.overlays.clone(),
        ..Options::new(runtime)
    };
    // A crate written into generated/ is configured as `regen` would; one written elsewhere
    // is someone else's to publish: only they know where (`--repository`).
    let options = if in_members {
        configured(&options, &input, &Config::read(&root)?)
    } else {
        options
    };
    let options = Options {
        repository: repository.or(options.repository),
        ..options
    };
    // Versioned against what is already there, as `regen` versions generated/.
    let release = Release::plan(&out, &out.display().to_string(), &input)?;
    let options = release.applied(&options);
    let generated = codegen::generate(&spec, &input.name, &input.bytes, &options).map_err(|f| {
        print_warnings(&f.warnings);
        spec_error(&f.error).context(format!(
            "{} did not generate; nothing was written to {}",
            spec.display(),
            out.display()
        ))
    })?;
    print_warnings(&generated.warnings);
    let mut files: BTreeMap<PathBuf, String> = generated
        .files
        .iter()
        .map(|(p, c)| (PathBuf::from(p), c.clone()))
        .collect();
    release.add_files(&mut files, "");
    rustfmt::format_files(&mut files, &root, &out)?;
    write_atomically(&out, &files)?;
    println!(
        "generated {} ({} operations, {} types) in {}",
        generated.package_name,
        generated.operations,
        generated.types,
        out.display()
    );
    Ok(())
}

/// `path` made absolute against the current folder, with `.` and `..` resolved.
pub(crate) fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .with_context(|| format!("cannot make {} absolute", path.display()))?
            .join(path)
    };
    // Normalise `.` and `..` without requiring the folder to exist yet.
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The path from folder `from` to `to`, both absolute.
pub(crate) fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with `specs/` holding `files`, removed when dropped.
    pub(crate) struct TempRoot(pub(crate) PathBuf);

    impl TempRoot {
        pub(crate) fn new(name: &str, files: &[(&str, &str)]) -> TempRoot {
            let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("specs")).unwrap();
            fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
            for (path, text) in files {
                fs::write(dir.join("specs").join(path), text).unwrap();
            }
            TempRoot(dir)
        }
    }

    impl Drop for TempRoot {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const TINY: &str = r#"{"openapi": "3.0.0", "info": {"title": "Tiny", "version": "2.1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/ping": {"get": {"operationId": "Ping",
            "responses": {"204": {"description": "ok"}}}}}}"#;

    #[test]
    fn specs_sdk_toml_names_and_publishes_the_crate() {
        let config = "[defaults]\nlicense = \"MIT\"\nauthors = [\"SDK team <sdk@example.com>\"]\n\
             repository = \"https://example.com/sdks\"\n\
             [crates.\"tiny.json\"]\nname = \"acme-tiny\"\npublish = true\nregistry = \"acme\"\n";
        let root = TempRoot::new(
            "config",
            &[
                ("tiny.json", TINY),
                ("other.json", TINY),
                ("sdk.toml", config),
            ],
        );
        let files = plan(&root.0, false).unwrap();
        let manifest = &files[Path::new("acme-tiny/Cargo.toml")];
        for line in [
            "name = \"acme-tiny\"",
            "version = \"0.1.0+spec.2.1\"",
            "publish = [\"acme\"]",
            "license = \"MIT\"",
            "authors = [\"SDK team <sdk@example.com>\"]",
            "repository = \"https://example.com/sdks\"",
            "contact-centre-sdk-runtime = { path = \"../../codegen/runtime\", version = \"0.1\", default-features = false }",
        ] {
            assert!(manifest.lines().any(|l| l == line), "{line} in\n{manifest}");
        }
        let other = &files[Path::new("other/Cargo.toml")];
        assert!(other.lines().any(|l| l == "publish = false"), "{other}");
        assert!(
            files.keys().all(|p| !p.starts_with("tiny")),
            "the configured name is the folder too"
        );
    }

    #[test]
    fn a_spec_that_does_not_generate_fails_the_plan_and_says_how_many() {
        let dir = std::env::temp_dir().join(format!("xtask-plan-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs")).unwrap();
        fs::write(dir.join("specs/broken.json"), "{").unwrap();
        fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
        let error = plan(&dir, false).unwrap_err();
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(
            error.to_string(),
            "1 of 1 spec(s) in specs/ did not generate (errors above); generated/ was left untouched"
        );
    }

    #[test]
    fn generated_is_byte_for_byte_what_rustfmt_makes_of_the_generator_output() {
        // The cache may let `regen --check` take files from disk; this check never does.
        let root = root();
        let wanted = plan_with(
            &root,
            false,
            &Rustfmt::for_workspace(&root).recorded().uncached(),
        )
        .unwrap();
        let diffs = differences(&wanted, &root.join("generated"), "generated");
        assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    }

    #[test]
    fn generated_code_never_names_the_transport_behind_the_seam() {
        // Users swap reqwest for their own `HttpClient` (or a mock); generated code that named
        // it would tie them to it, and to its version.
        let named: Vec<String> = existing(&root().join("generated"))
            .into_iter()
            .filter(|(_, text)| text.contains("reqwest"))
            .map(|(path, _)| path.display().to_string())
            .collect();
        assert!(named.is_empty(), "these name reqwest: {named:?}");
    }

    #[test]
    fn a_missing_specs_folder_is_named() {
        let dir = std::env::temp_dir().join(format!("xtask-plan-none-{}", std::process::id()));
        let error = plan(&dir, false).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("cannot read {}", dir.join("specs").display())
        );
        assert!(
            error.source().is_some(),
            "the I/O error is kept as the cause"
        );
    }
}
