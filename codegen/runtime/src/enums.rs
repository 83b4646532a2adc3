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

/// The conversions of a generated open enum, written once here so that a generated crate holds
/// only what its spec says (the values: `VALUES`, `as_str` and a private `known`).
///
/// `open_enum!(Name, Unknown)` needs, on `Name`, an inherent `fn known(&str) -> Option<Self>`
/// (the listed values), `fn as_str(&self) -> &str`, and the variant `Unknown(UnknownValue)`.
/// It implements `From<&str>`, `From<String>` (an unknown value keeps the string without
/// copying it), `From<Name> for String`, `FromStr` (infallible) and `Display`.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident, $fallback:ident) => {
        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| {
                    Self::$fallback($crate::UnknownValue::__new(value.to_owned()))
                })
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::known(&value) {
                    ::core::option::Option::Some(known) => known,
                    ::core::option::Option::None => {
                        Self::$fallback($crate::UnknownValue::__new(value))
                    }
                }
            }
        }

        impl ::core::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::UnknownValue;

    #[derive(Clone, Debug, PartialEq)]
    enum Channel {
        Sms,
        Web,
        Other(UnknownValue),
    }

    impl Channel {
        fn as_str(&self) -> &str {
            match self {
                Self::Sms => "sms",
                Self::Web => "web",
                Self::Other(value) => value.as_str(),
            }
        }

        fn known(value: &str) -> Option<Self> {
            match value {
                "sms" => Some(Self::Sms),
                "web" => Some(Self::Web),
                _ => None,
            }
        }
    }

    crate::open_enum!(Channel, Other);

    #[test]
    fn listed_values_decode_to_their_variant_and_back() {
        assert_eq!(Channel::from("sms"), Channel::Sms);
        assert_eq!(Channel::from(String::from("web")), Channel::Web);
        assert_eq!("web".parse::<Channel>(), Ok(Channel::Web));
        assert_eq!(String::from(Channel::Sms), "sms");
        assert_eq!(Channel::Web.to_string(), "web");
    }

    #[test]
    fn other_values_are_kept_as_received_in_the_fallback_variant() {
        let unknown = Channel::from(String::from("Carrier Pigeon"));
        assert_eq!(
            unknown,
            Channel::Other(UnknownValue::__new("Carrier Pigeon".into()))
        );
        assert_eq!(
            Channel::from("SMS"),
            Channel::Other(UnknownValue::__new("SMS".into()))
        );
        assert_eq!(unknown.to_string(), "Carrier Pigeon");
        assert_eq!(String::from(unknown), "Carrier Pigeon");
    }
}
