//! Twilio SIDs: a two-letter prefix and 32 hex digits, one type per prefix.
//!
//! The prefix is part of the type (`Sid<'A', 'C'>` is an account SID), not a marker each
//! crate declares, so `twilio_flex_v1::types::AccountSid` and
//! `twilio_flex_v2::types::AccountSid` are the same type and move between crates freely.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A validated Twilio SID whose prefix is `A` then `B` (`Sid<'A', 'C'>`: `AC` followed by
/// 32 hex digits). Generated crates name each one (`pub type AccountSid = Sid<'A', 'C'>`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sid<const A: char, const B: char> {
    value: String,
}

const HEX_DIGITS: usize = 32;

impl<const A: char, const B: char> Sid<A, B> {
    /// The two-letter prefix, e.g. `AC`.
    pub fn prefix() -> String {
        [A, B].iter().collect()
    }

    /// The SID as a string.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The SID as an owned string.
    pub fn into_string(self) -> String {
        self.value
    }

    fn validate(value: String) -> Result<Self, SidError> {
        let mut chars = value.chars();
        let problem = if chars.next() != Some(A) || chars.next() != Some(B) {
            Some(format!("it does not start with {:?}", Self::prefix()))
        } else if value.len() != 2 + HEX_DIGITS {
            Some(format!(
                "it is {} characters long, not {}",
                value.chars().count(),
                2 + HEX_DIGITS
            ))
        } else if !value[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
            Some("it contains a character that is not a hex digit".to_owned())
        } else {
            None
        };
        match problem {
            None => Ok(Self { value }),
            Some(problem) => Err(SidError {
                prefix: Self::prefix(),
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

impl<const A: char, const B: char> fmt::Debug for Sid<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Sid").field(&self.value).finish()
    }
}

impl<const A: char, const B: char> fmt::Display for Sid<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<const A: char, const B: char> AsRef<str> for Sid<A, B> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<const A: char, const B: char> FromStr for Sid<A, B> {
    type Err = SidError;

    fn from_str(s: &str) -> Result<Self, SidError> {
        Self::validate(s.to_owned())
    }
}

impl<const A: char, const B: char> TryFrom<String> for Sid<A, B> {
    type Error = SidError;

    fn try_from(value: String) -> Result<Self, SidError> {
        Self::validate(value)
    }
}

impl<const A: char, const B: char> TryFrom<&str> for Sid<A, B> {
    type Error = SidError;

    fn try_from(value: &str) -> Result<Self, SidError> {
        Self::validate(value.to_owned())
    }
}

impl<const A: char, const B: char> From<Sid<A, B>> for String {
    fn from(sid: Sid<A, B>) -> Self {
        sid.value
    }
}

impl<const A: char, const B: char> Serialize for Sid<A, B> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, const A: char, const B: char> Deserialize<'de> for Sid<A, B> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::validate(value).map_err(serde::de::Error::custom)
    }
}

/// A string that is not a valid SID of the expected kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SidError {
    prefix: String,
    value: String,
    problem: String,
}

impl fmt::Display for SidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid SID {:?}: expected {:?} followed by {HEX_DIGITS} hex digits, but {}",
            self.value, self.prefix, self.problem
        )
    }
}

impl std::error::Error for SidError {}

#[cfg(test)]
mod tests {
    use super::*;

    type AccountSid = Sid<'A', 'C'>;

    #[test]
    fn validates_prefix_length_and_digits() {
        let ok = "AC0123456789abcdef0123456789ABCDEF";
        assert_eq!(ok.parse::<AccountSid>().unwrap().as_str(), ok);
        let wrong_prefix = "FU0123456789abcdef0123456789abcdef".parse::<AccountSid>();
        assert!(wrong_prefix
            .unwrap_err()
            .to_string()
            .contains("does not start with \"AC\""));
        assert!("AC123".parse::<AccountSid>().is_err());
        assert!("ACzz23456789abcdef0123456789abcdef"
            .parse::<AccountSid>()
            .is_err());
        assert!("AÇ0123456789abcdef0123456789abcde"
            .parse::<AccountSid>()
            .is_err());
    }

    #[test]
    fn serde_validates_too() {
        let json = serde_json::json!("AC0123456789abcdef0123456789abcdef");
        let sid: AccountSid = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&sid).unwrap(), json);
        assert!(serde_json::from_value::<AccountSid>(serde_json::json!("nope")).is_err());
    }
}
