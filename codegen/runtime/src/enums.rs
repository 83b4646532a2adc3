//! Support for open enums: values the spec did not list.

use std::fmt;

/// An enum value that the spec does not list, kept verbatim.
///
/// Generated enums have an `Unknown(UnknownValue)` variant so that a server adding
/// a new value does not break decoding. You only get one by decoding a response or
/// parsing a string, never by constructing it: which values end up here changes
/// whenever the SDK is regenerated from a newer spec, so matching on the contents
/// is not a stable contract. Use [`as_str`](Self::as_str) to log or forward it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Used by generated `From<String>` impls; not part of the public API.
    #[doc(hidden)]
    pub fn __new(value: String) -> Self {
        Self(value)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UnknownValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
