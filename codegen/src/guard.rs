//! Internal bugs reported as errors, not panics: [`run`] runs the pipeline, and a panic in it
//! (a generator bug) becomes an [`Error`] naming the spec file, the stage and the JSON pointer
//! or item being worked on, with the panic's message and place. Stages say where they are with
//! [`stage`] and [`at`]; that costs a thread-local write per operation or type.
//!
//! The panic hook is the process's: [`run`] installs one, once, that stays quiet while a guarded
//! pipeline runs on this thread (the message goes into the error) and hands every other panic
//! to the hook it replaced, so nothing else changes.
//!
//! For tests, `CODEGEN_PANIC_AT=[<stage>:]<JSON pointer>` makes [`at`] panic at that pointer (in
//! that stage): a stand-in for a bug, so the reporting is tested end to end, through `cargo
//! xtask` too.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Once, OnceLock};

use crate::diagnostics::{Error, Location, INTERNAL};

#[derive(Default)]
struct Place {
    stage: &'static str,
    pointer: Option<String>,
}

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    static PLACE: RefCell<Place> = RefCell::new(Place::default());
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The pipeline is entering `name` (`load`, `normalise`, `parse`, `lower`, `emit`, `format`).
pub(crate) fn stage(name: &'static str) {
    PLACE.with_borrow_mut(|p| {
        p.stage = name;
        p.pointer = None;
    });
}

/// The stage is now working on the item at `pointer` (an operation or a schema).
pub(crate) fn at(pointer: &str) {
    let stage = PLACE.with_borrow_mut(|p| {
        let held = p.pointer.get_or_insert_with(String::new);
        held.clear();
        held.push_str(pointer);
        p.stage
    });
    static PANIC_AT: OnceLock<Option<String>> = OnceLock::new();
    if let Some(wanted) = PANIC_AT.get_or_init(|| std::env::var("CODEGEN_PANIC_AT").ok()) {
        let (wanted_stage, wanted_pointer) = wanted.split_once(':').unwrap_or(("", wanted));
        if wanted_pointer == pointer && (wanted_stage.is_empty() || wanted_stage == stage) {
            panic!("CODEGEN_PANIC_AT={wanted} asked for a panic here");
        }
    }
}

/// Runs `pipeline`, turning a panic in it into an error about `file`.
pub(crate) fn run<T>(file: &Path, pipeline: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    install_hook();
    let outer = GUARDED.replace(true);
    stage("load");
    let result = panic::catch_unwind(AssertUnwindSafe(pipeline));
    GUARDED.set(outer);
    result.unwrap_or_else(|payload| Err(internal_error(file, payload.as_ref())))
}

fn internal_error(file: &Path, payload: &(dyn std::any::Any + Send)) -> Error {
    let hooked = PANIC.take();
    let message = hooked
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".into());
    let Place { stage, pointer } = PLACE.take();
    let location = pointer.map_or(Location::File, Location::Pointer);
    Error::new(
        file,
        location,
        format!("{INTERNAL} in the {stage} stage: {message}; please report it with the spec"),
    )
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.get() {
                return previous(info);
            }
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("a panic without a message");
            let place = info
                .location()
                .map(|l| format!(" (at {}:{})", l.file(), l.line()))
                .unwrap_or_default();
            PANIC.set(Some(format!("{message}{place}")));
        }));
    });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn a_panic_becomes_an_error_naming_file_stage_and_pointer() {
        let error = super::run(Path::new("spec.yaml"), || -> Result<(), _> {
            super::stage("lower");
            super::at("/paths/~1pets/get");
            panic!("boom");
        })
        .unwrap_err();
        assert!(error.is_internal(), "{error}");
        let text = error.to_string();
        assert!(
            text.starts_with("error: spec.yaml at #/paths/~1pets/get: internal error"),
            "{text}"
        );
        assert!(
            text.contains("in the lower stage: boom (at codegen/src/guard.rs:"),
            "{text}"
        );
        // Panics outside a guarded run are left alone, and a later run starts afresh.
        assert!(std::panic::catch_unwind(|| panic!("unguarded")).is_err());
        let ok = super::run(Path::new("spec.yaml"), || Ok::<_, crate::Error>(1));
        assert_eq!(ok, Ok(1));
    }
}
