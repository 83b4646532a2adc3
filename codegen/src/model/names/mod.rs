//! Rust names for spec names: stable, readable, collision-free.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];
/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow what generated code uses unqualified.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Self",
    "Client",
    "Error",
    "Map",
    "Value",
    "DateTime",
    "NaiveDate",
    "Utc",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Display",
    "FromStr",
    "From",
    "Into",
    "Hash",
    "Eq",
    "Copy",
    "Send",
    "Sync",
    "Infallible",
    "Sid",
    "FilePart",
    "UnknownValue",
];

/// Keeps ASCII letters and digits; Latin letters with diacritics lose them (`größe` ->
/// `groesse` would be German-specific, `grosse` reads well in any language); any other
/// letter or digit is spelled as its code point (`名前` -> `u540d_u524d`), so names in other
/// scripts stay distinct and deterministic; everything else splits words.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(latin) = latin_base(c) {
            out.push_str(latin);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:x}_", c as u32));
        } else {
            out.push('_');
        }
    }
    out
}

/// The ASCII base of a Latin-1 or Latin Extended-A letter.
fn latin_base(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' | 'ĺ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ř' | 'ŕ' => "r",
        'Ř' | 'Ŕ' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'æ' => "ae",
        'Æ' => "Ae",
        'œ' => "oe",
        'Œ' => "Oe",
        'þ' => "th",
        'Þ' => "Th",
        _ => return None,
    })
}

/// Whether `name` is an identifier as the emitters write one: ASCII letters, digits and `_`,
/// not starting with a digit, and either no keyword or a keyword Rust allows raw (`r#type`).
/// Every name function below returns one; [`escaped`] turns anything else into one.
pub(crate) fn is_ident(name: &str) -> bool {
    let (body, raw) = match name.strip_prefix("r#") {
        Some(body) => (body, true),
        None => (name, false),
    };
    let mut chars = body.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && body != "_";
    if raw {
        plain && !NOT_RAW.contains(&body)
    } else {
        plain && !RAW_OK.contains(&body) && !NOT_RAW.contains(&body)
    }
}

/// A valid identifier for text that is not one (see [`is_ident`]), for the emitters' last line
/// of defence: a name function that let something through must not panic the generator. Each
/// character is spelled as its code point after a prefix no name function produces (they never
/// write a double underscore), so distinct texts stay distinct.
pub(crate) fn escaped(name: &str) -> String {
    let mut out = String::from("invalid__");
    for c in name.chars() {
        out.push_str(&format!("{:x}_", c as u32));
    }
    out
}

/// A snake_case identifier (field, parameter, method). Returns the text to use with
/// `proc_macro2::Ident` (raw identifiers begin with `r#`).
pub(crate) fn snake(raw: &str) -> String {
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
pub(crate) fn pascal(raw: &str) -> String {
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
pub(crate) fn enum_variant(value: &str) -> String {
    match value {
        "" => return "Empty".into(),
        "*" => return "Any".into(),
        _ => {}
    }
    let mut spelled = String::new();
    for c in value.chars() {
        match c {
            '+' => spelled.push_str(" plus "),
            '-' if value.len() == 1 || value.starts_with('-') && spelled.is_empty() => {
                spelled.push_str(" minus ")
            }
            '.' if value.len() == 1 => spelled.push_str(" dot "),
            '/' if value.len() == 1 => spelled.push_str(" slash "),
            c => spelled.push(c),
        }
    }
    let p = pascal(&spelled);
    if p == "Value" && !value.chars().any(char::is_alphanumeric) {
        // Only symbols: name each one (`*/` -> `StarSlash`), or spell its code point.
        return value
            .chars()
            .map(|c| symbol_name(c).map_or_else(|| format!("U{:X}", c as u32), str::to_owned))
            .collect();
    }
    p
}

fn symbol_name(c: char) -> Option<&'static str> {
    Some(match c {
        '*' => "Star",
        '/' => "Slash",
        '\\' => "Backslash",
        '-' => "Minus",
        '+' => "Plus",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '@' => "At",
        '#' => "Hash",
        '$' => "Dollar",
        '%' => "Percent",
        '&' => "And",
        '|' => "Pipe",
        '^' => "Caret",
        '~' => "Tilde",
        '!' => "Bang",
        '?' => "Question",
        '=' => "Equals",
        '<' => "Lt",
        '>' => "Gt",
        '_' => "Underscore",
        ' ' => "Space",
        '`' => "Backtick",
        '"' => "Quote",
        '\'' => "Apostrophe",
        '(' => "LParen",
        ')' => "RParen",
        '[' => "LBracket",
        ']' => "RBracket",
        '{' => "LBrace",
        '}' => "RBrace",
        _ => return None,
    })
}

/// Hands out names unique within one scope, comparing case-insensitively so that names which
/// differ only in case never collide (they would on case-insensitive file systems and confuse
/// readers). A clash gets the smallest free numeric suffix, so the result depends only on the
/// order names are requested in: callers request them in an order of names and JSON pointers
/// (see `schema::naming`), never in the order the spec happens to list things.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A scope for type names, with the names generated code relies on already taken.
    pub(crate) fn for_types() -> Self {
        let mut scope = Self::new();
        for name in RESERVED_TYPES {
            scope.taken.insert(name.to_ascii_lowercase());
        }
        scope
    }

    pub(crate) fn reserve(&mut self, name: &str) {
        self.taken.insert(key(name));
    }

    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&key(name))
    }

    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        self.claim_avoiding(wanted, &[])
    }

    /// Like [`claim`](Self::claim), but also never hands out a name in `avoid` (names that
    /// are taken for this claim only).
    pub(crate) fn claim_avoiding(&mut self, wanted: &str, avoid: &[&str]) -> String {
        let free = |scope: &Self, name: &str| {
            !scope.taken.contains(&key(name)) && !avoid.iter().any(|a| key(a) == key(name))
        };
        if free(self, wanted) {
            self.taken.insert(key(wanted));
            return wanted.to_owned();
        }
        // A numbered keyword is no longer a keyword, so the raw prefix goes.
        let base = wanted.strip_prefix("r#").unwrap_or(wanted);
        // snake_case names get `_2` (`self_` gets `self_2`, not `self__2`); PascalCase ones `2`.
        let snake_like = base.contains(|c: char| c.is_ascii_lowercase())
            && base.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let sep = if snake_like && !base.ends_with('_') {
            "_"
        } else {
            ""
        };
        let mut n = 2;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if free(self, &candidate) {
                self.taken.insert(key(&candidate));
                return candidate;
            }
            n += 1;
        }
    }
}

fn key(name: &str) -> String {
    name.trim_start_matches("r#").to_ascii_lowercase()
}

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod tests;
