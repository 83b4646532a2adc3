//! Rust names for spec names: stable, readable, collision-free.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true",
    "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];
/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow what generated code uses unqualified.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "Self", "Client", "Error",
    "Map", "Value", "DateTime", "NaiveDate", "Utc", "BTreeMap", "Serialize", "Deserialize", "Default",
    "Clone", "Debug", "PartialEq", "Display", "FromStr", "Infallible", "Sid", "FilePart", "UnknownValue",
];

/// Keeps ASCII letters, digits and separators; everything else splits words.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

/// A snake_case identifier (field, parameter, method). Returns the text to use with
/// `proc_macro2::Ident` (raw identifiers begin with `r#`).
pub fn snake(raw: &str) -> String {
    let mut s = ascii_words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if RAW_OK.contains(&s.as_str()) {
        s = format!("r#{s}");
    }
    s
}

/// A PascalCase type or variant name.
pub fn pascal(raw: &str) -> String {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("N{s}");
    }
    if s == "Self" {
        s = "SelfValue".into();
    }
    s
}

/// A PascalCase name for an enum value. Symbols get words, so `"+1"`, `"-"` and `""` stay
/// distinguishable and readable.
pub fn enum_variant(value: &str) -> String {
    match value {
        "" => return "Empty".into(),
        "*" => return "Any".into(),
        _ => {}
    }
    let mut spelled = String::new();
    for c in value.chars() {
        match c {
            '+' => spelled.push_str(" plus "),
            '-' if value.len() == 1 || value.starts_with('-') && spelled.is_empty() => spelled.push_str(" minus "),
            '.' if value.len() == 1 => spelled.push_str(" dot "),
            '/' if value.len() == 1 => spelled.push_str(" slash "),
            c => spelled.push(c),
        }
    }
    let p = pascal(&spelled);
    if p == "Value" && !value.chars().any(|c| c.is_ascii_alphanumeric()) {
        // A value made only of symbols we have no word for: spell its code points.
        return format!("U{}", value.chars().map(|c| format!("{:X}", c as u32)).collect::<Vec<_>>().join("U"));
    }
    p
}

/// Hands out names unique within one scope, comparing case-insensitively so that names which
/// differ only in case never collide (they would on case-insensitive file systems and confuse
/// readers). A clash gets the smallest free numeric suffix, so the result depends only on the
/// order names are requested in, which follows the spec.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope for type names, with the names generated code relies on already taken.
    pub fn for_types() -> Self {
        let mut scope = Self::new();
        for name in RESERVED_TYPES {
            scope.taken.insert(name.to_ascii_lowercase());
        }
        scope
    }

    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(key(name));
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&key(name))
    }

    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(key(wanted)) {
            return wanted.to_owned();
        }
        // A numbered keyword is no longer a keyword, so the raw prefix goes.
        let base = wanted.strip_prefix("r#").unwrap_or(wanted);
        let sep = if base.contains(|c: char| c.is_ascii_lowercase()) && base.chars().next().is_some_and(|c| c.is_ascii_lowercase()) { "_" } else { "" };
        for n in 2.. {
            let candidate = format!("{base}{sep}{n}");
            if self.taken.insert(key(&candidate)) {
                return candidate;
            }
        }
        unreachable!("the integers are infinite")
    }
}

fn key(name: &str) -> String {
    name.trim_start_matches("r#").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_and_keywords() {
        assert_eq!(snake("FriendlyName"), "friendly_name");
        assert_eq!(snake("Integration.FlowSid"), "integration_flow_sid");
        assert_eq!(snake("Ui-Version"), "ui_version");
        assert_eq!(snake("@type"), "r#type");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("async"), "r#async");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(snake("1st"), "n1st");
        assert_eq!(snake("héllo"), "h_llo");
        assert_eq!(snake(""), "value");
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("flex_user"), "FlexUser");
        assert_eq!(pascal("update-channel"), "UpdateChannel");
        assert_eq!(pascal("3d"), "N3d");
        assert_eq!(pascal("Self"), "SelfValue");
    }

    #[test]
    fn enum_values_with_symbols_stay_distinct() {
        let values = ["", "-", "+1", "a b", "A B", "in-progress", "*", "."];
        let names: Vec<String> = values.iter().map(|v| enum_variant(v)).collect();
        assert_eq!(names, ["Empty", "Minus", "Plus1", "AB", "AB", "InProgress", "Any", "Dot"]);
    }

    #[test]
    fn collisions_are_case_insensitive_and_numbered_in_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("foo_bar"), "foo_bar");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_3");
        let mut types = Scope::for_types();
        assert_eq!(types.claim("User"), "User");
        assert_eq!(types.claim("USER"), "USER2");
        assert_eq!(types.claim("Error"), "Error2");
        assert_eq!(types.claim("r#type"), "r#type");
        assert_eq!(types.claim("r#type"), "type_2");
    }
}
