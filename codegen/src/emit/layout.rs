//! Skipping the format stage for files whose tokens did not change.
//!
//! Parsing tokens with `syn` and printing them with `prettyplease` is half of what
//! generating a crate costs, and the caller (`cargo xtask regen`) then applies rustfmt's
//! layout on top. All of that is a pure function of a file's tokens, so a caller that holds
//! the final text of a file whose tokens have the same fingerprint can hand it back
//! ([`KnownLayout`]) and the file is not formatted again. Everything before the format stage
//! (load, normalise, model, emit) still runs, so the generator's output is still what is
//! compared: only printing it is skipped. A caller that vouches wrongly is caught by formatting
//! without one (`xtask`'s uncached test does, every `cargo test`).

use std::fmt;

use proc_macro2::TokenStream;
use sha2::{Digest, Sha256};

/// What a caller already holds of generated files' final text, keyed by their tokens.
/// `RefUnwindSafe`, so that [`Options`](crate::Options) holding one can still cross
/// `catch_unwind` (the fuzzer's, and any caller that isolates the generator).
pub trait KnownLayout: Send + Sync + fmt::Debug + std::panic::RefUnwindSafe {
    /// The final text of `path` (relative to the crate folder) of `package`, if the caller
    /// holds it for tokens whose [`Fingerprint::tokens`] is `fingerprint`.
    fn final_text(&self, package: &str, path: &str, fingerprint: &str) -> Option<String>;
}

/// A generated Rust file's fingerprint, and whether its text came from a [`KnownLayout`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// SHA-256 (hex) of the file's header and tokens as `proc_macro2` prints them.
    pub tokens: String,
    /// Whether the text is the caller's, already in its final layout, not formatted here.
    pub known: bool,
}

/// The fingerprint of a Rust file made of `header` and `tokens`. Hashed as printed, without
/// building the text: a token stream prints the same way for the same tokens. The prefix
/// names what is hashed, so that no other hash in a record can equal one by accident.
pub(crate) fn fingerprint(header: &str, tokens: &TokenStream) -> String {
    struct Hashing(Sha256);
    impl fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    hashing.0.update(b"codegen tokens\0");
    hashing.0.update(header.as_bytes());
    hashing.0.update(b"\0");
    // Writing to a hasher cannot fail.
    let _ = fmt::write(&mut hashing, format_args!("{tokens}"));
    hashing
        .0
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
