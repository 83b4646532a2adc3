//! Typed Twilio SIDs: a two-letter prefix and 32 hex digits.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a [`Sid`]; generated code declares one marker type per kind.
pub trait SidPrefix {
    /// The two-letter prefix, e.g. `"FU"`.
    const PREFIX: &'static str;
    /// The parameter name used in error messages, e.g. `"FlexUserSid"`.
    const NAME: &'static str;
}

/// A validated Twilio SID of kind `P`.
///
/// The trait impls are written by hand rather than derived because derives would
/// require `P` itself to implement `Clone`, `Eq`, ...; marker types need not.
pub struct Sid<P> {
    value: String,
    _prefix: PhantomData<fn() -> P>,
}

const HEX_DIGITS: usize = 32;

impl<P: SidPrefix> Sid<P> {
    /// The SID as a string.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The SID as an owned string.
    pub fn into_string(self) -> String {
        self.value
    }

    fn validate(value: String) -> Result<Self, SidError> {
        let problem = if !value.starts_with(P::PREFIX) {
            Some(format!("it does not start with {:?}", P::PREFIX))
        } else if value.len() != P::PREFIX.len() + HEX_DIGITS {
            Some(format!(
                "it is {} characters long, not {}",
                value.chars().count(),
                P::PREFIX.len() + HEX_DIGITS
            ))
        } else if !value[P::PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
        {
            Some("it contains a character that is not a hex digit".to_owned())
        } else {
            None
        };
        match problem {
            None => Ok(Self {
                value,
                _prefix: PhantomData,
            }),
            Some(problem) => Err(SidError {
                name: P::NAME,
                prefix: P::PREFIX,
                value: excerpt(&value),
                problem,
            }),
        }
    }
}

/// Keeps error messages readable when the rejected input is huge.
fn excerpt(value: &str) -> String {
    const MAX: usize = 64;
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

impl<P> Clone for Sid<P> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            _prefix: PhantomData,
        }
    }
}

impl<P> PartialEq for Sid<P> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<P> Eq for Sid<P> {}

impl<P> Hash for Sid<P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<P> PartialOrd for Sid<P> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<P> Ord for Sid<P> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<P: SidPrefix> fmt::Debug for Sid<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(P::NAME).field(&self.value).finish()
    }
}

impl<P> fmt::Display for Sid<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<P> AsRef<str> for Sid<P> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<P: SidPrefix> FromStr for Sid<P> {
    type Err = SidError;

    fn from_str(s: &str) -> Result<Self, SidError> {
        Self::validate(s.to_owned())
    }
}

impl<P: SidPrefix> TryFrom<String> for Sid<P> {
    type Error = SidError;

    fn try_from(value: String) -> Result<Self, SidError> {
        Self::validate(value)
    }
}

impl<P: SidPrefix> TryFrom<&str> for Sid<P> {
    type Error = SidError;

    fn try_from(value: &str) -> Result<Self, SidError> {
        Self::validate(value.to_owned())
    }
}

impl<P> From<Sid<P>> for String {
    fn from(sid: Sid<P>) -> Self {
        sid.value
    }
}

impl<P> Serialize for Sid<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, P: SidPrefix> Deserialize<'de> for Sid<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::validate(value).map_err(serde::de::Error::custom)
    }
}

/// A string that is not a valid SID of the expected kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SidError {
    name: &'static str,
    prefix: &'static str,
    value: String,
    problem: String,
}

impl fmt::Display for SidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} {:?}: expected {:?} followed by {HEX_DIGITS} hex digits, but {}",
            self.name, self.value, self.prefix, self.problem
        )
    }
}

impl std::error::Error for SidError {}
