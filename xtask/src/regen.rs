//! `regen`, `regen --check` and `generate`. Output is built in memory, then written to a
//! temporary folder beside the target and swapped in, so a failure never leaves a
//! half-written `generated/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::{Failure, Generated, Options, StageTimes};

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

/// Spec files in `specs/`, sorted by name.
pub(crate) fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// Generates every spec in `specs/` in memory: relative path under `generated/` -> contents.
/// Warnings go to stderr. Any error fails the whole run before anything is written.
pub(crate) fn plan(root: &Path, deny_warnings: bool) -> Result<BTreeMap<PathBuf, String>, String> {
    let options = Options {
        runtime_path: "../../codegen/runtime".into(),
        standalone: false,
        deny_warnings,
    };
    let mut specs = Vec::new();
    for spec in spec_files(&root.join("specs"))? {
        let name = format!(
            "specs/{}",
            spec.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let bytes =
            fs::read(&spec).map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
        specs.push((name, bytes));
    }
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    for (result, _) in generate_all(&specs, &options) {
        match result {
            Ok(generated) => {
                print_warnings(
                    &generated
                        .warnings
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>(),
                );
                add_crate(&mut files, &generated);
            }
            Err(failure) => {
                print_warnings(
                    &failure
                        .warnings
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>(),
                );
                errors.push(failure.error.to_string());
            }
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(format!(
            "{}\ngenerated/ was left untouched.",
            errors.join("\n")
        ))
    }
}

/// Generates `(name, bytes)` specs on as many threads as there are cores, each spec whole on
/// one thread; results come back in input order. Specs are independent, so this is the cheap
/// parallelism: most of a spec's time is `syn` and `prettyplease`, whose token streams cannot
/// cross threads.
pub(crate) fn generate_all(
    specs: &[(String, Vec<u8>)],
    options: &Options,
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
                        let Some((name, bytes)) = specs.get(index) else {
                            return done;
                        };
                        done.push((
                            index,
                            codegen::generate_timed(Path::new(name), name, bytes, options),
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

fn print_warnings(warnings: &[String]) {
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
) -> Result<(), String> {
    let parent = target.parent().ok_or("target has no parent folder")?;
    fs::create_dir_all(parent)
        .map_err(|e| format!("error: cannot create {}: {e}", parent.display()))?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let write = || -> std::io::Result<()> {
        for (path, contents) in files {
            let full = tmp.join(path);
            fs::create_dir_all(full.parent().expect("files have a parent"))?;
            fs::write(full, contents)?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        let _ = fs::remove_dir_all(&tmp);
        return Err(format!(
            "error: writing {}: {e}; {} was left untouched",
            tmp.display(),
            target.display()
        ));
    }
    if target.exists() {
        fs::rename(target, &old)
            .map_err(|e| format!("error: moving {} aside: {e}", target.display()))?;
    }
    if let Err(e) = fs::rename(&tmp, target) {
        let _ = fs::rename(&old, target);
        return Err(format!(
            "error: moving the new output into {}: {e}",
            target.display()
        ));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

pub(crate) fn regen_command(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let mut deny = false;
    for a in args {
        match a.as_str() {
            "--check" => check = true,
            "--deny-warnings" => deny = true,
            other => return Err(format!("regen: unknown argument {other:?}")),
        }
    }
    let root = root();
    let wanted = plan(&root, deny)?;
    let target = root.join("generated");
    let diffs = differences(&wanted, &target, "generated");
    if check {
        if diffs.is_empty() {
            println!("generated/ is up to date ({} files).", wanted.len());
            return Ok(());
        }
        return Err(format!("{}\n\ngenerated/ is stale: {} file(s) differ. Run `cargo xtask regen` and commit the result.", diffs.join("\n"), diffs.len()));
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

pub(crate) fn generate_command(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut deny = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = it.next().cloned(),
            "--deny-warnings" => deny = true,
            s if !s.starts_with("--") && spec.is_none() => spec = Some(s.to_owned()),
            other => return Err(format!("generate: unexpected argument {other:?}")),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err("usage: cargo xtask generate <SPEC> --out <DIR> [--deny-warnings]".into());
    };
    let spec = PathBuf::from(spec);
    let out = absolute(Path::new(&out))?;
    let root = root();
    let bytes =
        fs::read(&spec).map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
    let in_members = out.parent().is_some_and(|p| p == root.join("generated"));
    let runtime = relative(&out, &root.join("codegen").join("runtime"));
    let options = Options {
        runtime_path: runtime,
        standalone: !in_members,
        deny_warnings: deny,
    };
    let name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("spec")
        .to_owned();
    let generated = codegen::generate(&spec, &name, &bytes, &options).map_err(|f| {
        print_warnings(
            &f.warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        );
        format!("{}\nnothing was written.", f.error)
    })?;
    print_warnings(
        &generated
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    let files: BTreeMap<PathBuf, String> = generated
        .files
        .iter()
        .map(|(p, c)| (PathBuf::from(p), c.clone()))
        .collect();
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
pub(crate) fn absolute(path: &Path) -> Result<PathBuf, String> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
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
