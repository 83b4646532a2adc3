//! OpenAPI's parameter styles (`style` and `explode`), for values of any shape: a scalar, an
//! array, an object, or a union's active variant (which serialises as the value it holds).
//! The table is OpenAPI 3's "Style Examples"; path styles are RFC 6570's simple, label and
//! matrix expansions, query styles form, space- and pipe-delimited and deepObject.

use std::borrow::Cow;

use percent_encoding::utf8_percent_encode;
use serde::Serialize;
use serde_json::Value;

use super::values::{EncodeError, PATH_SEGMENT};

/// How a parameter's value is written, as its `style` and `explode` say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamStyle {
    /// `simple`: `a,b` and `k,v` (path and header default); `explode` gives `k=v` for objects.
    Simple {
        /// OpenAPI's `explode`.
        explode: bool,
    },
    /// `label`: `.a,b`; `explode` gives `.a.b` and `.k=v`.
    Label {
        /// OpenAPI's `explode`.
        explode: bool,
    },
    /// `matrix`: `;name=a,b`; `explode` gives `;name=a;name=b` and `;k=v`.
    Matrix {
        /// OpenAPI's `explode`.
        explode: bool,
    },
    /// `form`: `name=a,b`; `explode` (the query and cookie default) gives `name=a&name=b` and
    /// an object's properties as pairs of their own.
    Form {
        /// OpenAPI's `explode`.
        explode: bool,
    },
    /// `spaceDelimited`: `name=a b`.
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b`.
    PipeDelimited,
    /// `deepObject`: `name[k]=v`.
    DeepObject,
}

/// A value's shape once serialised: nothing (`None`), one scalar, a list or a map of scalars.
pub(crate) enum Shape {
    Nothing,
    Scalar(String),
    List(Vec<String>),
    Object(Vec<(String, Value)>),
}

pub(crate) fn shape<T: Serialize + ?Sized>(value: &T) -> Result<Shape, EncodeError> {
    let value = serde_json::to_value(value).map_err(|e| EncodeError::new(e.to_string()))?;
    Ok(match value {
        Value::Null => Shape::Nothing,
        Value::Array(items) => Shape::List(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(scalar)
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            Shape::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => Shape::Scalar(scalar(&other)?),
    })
}

/// One scalar's text: numbers as Rust prints them (`1` for `1.0`, as the other encoders do).
pub(crate) fn scalar(value: &Value) -> Result<String, EncodeError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) => f.to_string(),
            _ => n.to_string(),
        }),
        Value::Null => Ok(String::new()),
        Value::Array(_) | Value::Object(_) => Err(EncodeError::new(
            "a nested object or array cannot be encoded as a parameter value".into(),
        )),
    }
}

fn encode(s: &str) -> String {
    Cow::from(utf8_percent_encode(s, PATH_SEGMENT)).into_owned()
}

/// The text that replaces `{name}` in a path, percent-encoded (separators stay literal).
pub(crate) fn path(name: &str, shape: Shape, style: ParamStyle) -> Result<String, EncodeError> {
    let (prefix, sep, explode) = match style {
        ParamStyle::Label { explode } => (".", if explode { "." } else { "," }, explode),
        ParamStyle::Matrix { explode } => (";", if explode { ";" } else { "," }, explode),
        ParamStyle::Simple { explode } => ("", ",", explode),
        other => return Err(EncodeError::new(format!("{other:?} is not a path style"))),
    };
    let matrix = matches!(style, ParamStyle::Matrix { .. });
    let named = |v: &str| match matrix {
        true => format!("{}={}", encode(name), encode(v)),
        false => encode(v),
    };
    let body = match shape {
        Shape::Nothing => return Err(EncodeError::new("must not be empty".into())),
        Shape::Scalar(v) => named(&v),
        Shape::List(items) if matrix && explode => {
            items.iter().map(|v| named(v)).collect::<Vec<_>>().join(sep)
        }
        Shape::List(items) => {
            let joined = items
                .iter()
                .map(|v| encode(v))
                .collect::<Vec<_>>()
                .join(sep);
            if matrix {
                format!("{}={joined}", encode(name))
            } else {
                joined
            }
        }
        Shape::Object(map) => {
            let pairs = object_pairs(map)?;
            let flat: Vec<String> = match explode {
                true => pairs
                    .iter()
                    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                    .collect(),
                false => pairs
                    .iter()
                    .flat_map(|(k, v)| [encode(k), encode(v)])
                    .collect(),
            };
            let joined = flat.join(if explode { sep } else { "," });
            if matrix && !explode {
                format!("{}={joined}", encode(name))
            } else {
                joined
            }
        }
    };
    Ok(format!("{prefix}{body}"))
}

fn object_pairs(map: Vec<(String, Value)>) -> Result<Vec<(String, String)>, EncodeError> {
    map.into_iter().map(|(k, v)| Ok((k, scalar(&v)?))).collect()
}

/// The query pairs (not yet encoded) of one parameter.
pub(crate) fn query(
    name: &'static str,
    shape: Shape,
    style: ParamStyle,
) -> Result<Vec<(Cow<'static, str>, String)>, EncodeError> {
    let one = |v: String| vec![(Cow::Borrowed(name), v)];
    let joined = |items: Vec<String>, sep: &str| one(items.join(sep));
    Ok(match (shape, style) {
        (Shape::Nothing, _) => Vec::new(),
        (Shape::Scalar(v), _) => one(v),
        (Shape::List(items), ParamStyle::Form { explode: true }) => items
            .into_iter()
            .map(|v| (Cow::Borrowed(name), v))
            .collect(),
        (Shape::List(items), ParamStyle::SpaceDelimited) => joined(items, " "),
        (Shape::List(items), ParamStyle::PipeDelimited) => joined(items, "|"),
        (Shape::List(items), _) => joined(items, ","),
        (Shape::Object(map), ParamStyle::Form { explode: true }) => object_pairs(map)?
            .into_iter()
            .map(|(k, v)| (Cow::Owned(k), v))
            .collect(),
        (Shape::Object(map), ParamStyle::DeepObject) => {
            let mut out = Vec::new();
            deep(name, map, &mut out)?;
            out
        }
        (Shape::Object(map), style) => {
            let sep = match style {
                ParamStyle::SpaceDelimited => " ",
                ParamStyle::PipeDelimited => "|",
                _ => ",",
            };
            let flat: Vec<String> = object_pairs(map)?
                .into_iter()
                .flat_map(|(k, v)| [k, v])
                .collect();
            joined(flat, sep)
        }
    })
}

/// `deepObject` pairs: `name[k]=v`, nested objects as `name[k][k2]=v`, arrays repeating the key.
fn deep(
    prefix: &str,
    map: Vec<(String, Value)>,
    out: &mut Vec<(Cow<'static, str>, String)>,
) -> Result<(), EncodeError> {
    for (k, v) in map {
        let key = format!("{prefix}[{k}]");
        match v {
            Value::Null => {}
            Value::Object(inner) => deep(&key, inner.into_iter().collect(), out)?,
            Value::Array(items) => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    out.push((Cow::Owned(key.clone()), scalar(item)?));
                }
            }
            other => out.push((Cow::Owned(key), scalar(&other)?)),
        }
    }
    Ok(())
}

/// A header's value (`simple`; `explode` writes an object's pairs as `k=v`), not encoded.
pub(crate) fn header(shape: Shape, explode: bool) -> Result<Option<String>, EncodeError> {
    Ok(match shape {
        Shape::Nothing => None,
        Shape::Scalar(v) => Some(v),
        Shape::List(items) if items.is_empty() => None,
        Shape::List(items) => Some(items.join(",")),
        Shape::Object(map) => {
            let pairs = object_pairs(map)?;
            let flat: Vec<String> = match explode {
                true => pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
                false => pairs.into_iter().flat_map(|(k, v)| [k, v]).collect(),
            };
            Some(flat.join(","))
        }
    })
}

/// A cookie's `name=value` pairs (`form`: lists and objects comma-joined unless exploded, when
/// each element or property is a cookie of its own), values percent-encoded.
pub(crate) fn cookie(name: &str, shape: Shape, explode: bool) -> Result<Vec<String>, EncodeError> {
    let pair = |k: &str, v: &str| format!("{k}={}", encode(v));
    Ok(match shape {
        Shape::Nothing => Vec::new(),
        Shape::Scalar(v) => vec![pair(name, &v)],
        Shape::List(items) if explode => items.iter().map(|v| pair(name, v)).collect(),
        Shape::List(items) => vec![format!(
            "{name}={}",
            items
                .iter()
                .map(|v| encode(v))
                .collect::<Vec<_>>()
                .join(",")
        )],
        Shape::Object(map) => {
            let pairs = object_pairs(map)?;
            match explode {
                true => pairs.iter().map(|(k, v)| pair(&encode(k), v)).collect(),
                false => vec![format!(
                    "{name}={}",
                    pairs
                        .iter()
                        .flat_map(|(k, v)| [encode(k), encode(v)])
                        .collect::<Vec<_>>()
                        .join(",")
                )],
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn path_of<T: Serialize + ?Sized>(v: &T, style: ParamStyle) -> String {
        path("id", shape(v).unwrap(), style).unwrap()
    }

    fn query_of<T: Serialize + ?Sized>(v: &T, style: ParamStyle) -> Vec<(String, String)> {
        let pairs = query("id", shape(v).unwrap(), style).unwrap();
        pairs
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// OpenAPI 3's "Style Examples" table, for `color` = `blue`, `[blue, black, brown]` and
    /// `{R: 100, G: 200, B: 150}` (here named `id`, keys sorted).
    #[test]
    fn path_styles_follow_the_openapi_table() {
        use ParamStyle::*;
        let list = ["blue", "black", "brown"];
        let object: BTreeMap<&str, u8> = [("B", 150), ("G", 200), ("R", 100)].into();
        let simple = Simple { explode: false };
        assert_eq!(path_of("blue", simple), "blue");
        assert_eq!(path_of(&list, simple), "blue,black,brown");
        assert_eq!(path_of(&object, simple), "B,150,G,200,R,100");
        assert_eq!(
            path_of(&object, Simple { explode: true }),
            "B=150,G=200,R=100"
        );
        assert_eq!(path_of("blue", Label { explode: false }), ".blue");
        assert_eq!(
            path_of(&list, Label { explode: false }),
            ".blue,black,brown"
        );
        assert_eq!(path_of(&list, Label { explode: true }), ".blue.black.brown");
        assert_eq!(
            path_of(&object, Label { explode: true }),
            ".B=150.G=200.R=100"
        );
        assert_eq!(path_of("blue", Matrix { explode: false }), ";id=blue");
        assert_eq!(
            path_of(&list, Matrix { explode: false }),
            ";id=blue,black,brown"
        );
        assert_eq!(
            path_of(&list, Matrix { explode: true }),
            ";id=blue;id=black;id=brown"
        );
        assert_eq!(
            path_of(&object, Matrix { explode: false }),
            ";id=B,150,G,200,R,100"
        );
        assert_eq!(
            path_of(&object, Matrix { explode: true }),
            ";B=150;G=200;R=100"
        );
        // Values are percent-encoded, separators are not; floats print as Rust prints them.
        assert_eq!(path_of(&["a/b", "c,d"], simple), "a%2Fb,c%2Cd");
        assert_eq!(path_of("é ", simple), "%C3%A9%20");
        assert_eq!(path_of(&1.0f64, simple), "1");
        assert!(path("id", shape(&None::<u8>).unwrap(), simple).is_err());
    }

    #[test]
    fn query_styles_follow_the_openapi_table() {
        use ParamStyle::*;
        let list = ["blue", "black"];
        let object: BTreeMap<&str, u8> = [("G", 200), ("R", 100)].into();
        let form = Form { explode: true };
        assert_eq!(
            query_of(&list, form),
            pairs(&[("id", "blue"), ("id", "black")])
        );
        assert_eq!(
            query_of(&list, Form { explode: false }),
            pairs(&[("id", "blue,black")])
        );
        assert_eq!(
            query_of(&object, form),
            pairs(&[("G", "200"), ("R", "100")])
        );
        assert_eq!(
            query_of(&object, Form { explode: false }),
            pairs(&[("id", "G,200,R,100")])
        );
        assert_eq!(
            query_of(&list, SpaceDelimited),
            pairs(&[("id", "blue black")])
        );
        assert_eq!(
            query_of(&list, PipeDelimited),
            pairs(&[("id", "blue|black")])
        );
        assert_eq!(
            query_of(&object, DeepObject),
            pairs(&[("id[G]", "200"), ("id[R]", "100")])
        );
        assert!(query_of(&None::<u8>, form).is_empty());
        let nested = serde_json::json!({"a": {"b": 1}, "c": [1, 2]});
        assert_eq!(
            query_of(&nested, DeepObject),
            pairs(&[("id[a][b]", "1"), ("id[c]", "1"), ("id[c]", "2")])
        );
        assert!(query("id", shape(&nested).unwrap(), form).is_err());
    }

    #[test]
    fn headers_and_cookies() {
        let object: BTreeMap<&str, u8> = [("G", 200), ("R", 100)].into();
        assert_eq!(
            header(shape(&object).unwrap(), true).unwrap().unwrap(),
            "G=200,R=100"
        );
        assert_eq!(
            header(shape(&object).unwrap(), false).unwrap().unwrap(),
            "G,200,R,100"
        );
        assert_eq!(
            cookie("id", shape("a b").unwrap(), true).unwrap(),
            ["id=a%20b"]
        );
        assert_eq!(
            cookie("id", shape(&[1, 2]).unwrap(), false).unwrap(),
            ["id=1,2"]
        );
        assert_eq!(
            cookie("id", shape(&[1, 2]).unwrap(), true).unwrap(),
            ["id=1", "id=2"]
        );
        assert_eq!(
            cookie("id", shape(&object).unwrap(), true).unwrap(),
            ["G=200", "R=100"]
        );
    }

    /// How many cases the property tests run: `cargo xtask fuzz` raises it.
    fn cases() -> u32 {
        std::env::var("SDK_STYLE_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256)
    }

    fn json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(any::<String>(), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn styles() -> impl proptest::strategy::Strategy<Value = ParamStyle> {
        use proptest::prelude::*;
        use ParamStyle::*;
        (0..7u8, any::<bool>()).prop_map(|(i, explode)| match i {
            0 => Simple { explode },
            1 => Label { explode },
            2 => Matrix { explode },
            3 => Form { explode },
            4 => SpaceDelimited,
            5 => PipeDelimited,
            _ => DeepObject,
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(cases()))]

        /// Any value in any style: no panic, and a path value never adds a segment, a query or
        /// a fragment, whatever its text (only unreserved characters and the style's
        /// separators are left unencoded).
        #[test]
        fn any_value_in_any_style_encodes_safely(value in json(), style in styles()) {
            // A list of lists has no shape: an error, never a panic.
            let Ok(_) = shape(&value) else { return Ok(()) };
            let shaped = || shape(&value).unwrap();
            if let Ok(text) = path("id", shaped(), style) {
                proptest::prop_assert!(
                    text.chars().all(|c| c.is_ascii_alphanumeric() || "-._~%,;=".contains(c)),
                    "{text}"
                );
            }
            let _ = query("id", shaped(), style);
            let _ = header(shaped(), true);
            if let Ok(cookies) = cookie("id", shaped(), true) {
                proptest::prop_assert!(cookies.iter().all(|c| !c.contains(';')), "{cookies:?}");
            }
        }

        /// A scalar's text reaches the path percent-encoded and decodes back to itself.
        #[test]
        fn a_scalar_in_the_path_round_trips(text in "\\PC{1,12}") {
            let encoded = path("id", shape(&text).unwrap(), ParamStyle::Simple { explode: false }).unwrap();
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8().unwrap();
            proptest::prop_assert_eq!(decoded, text.as_str());
        }
    }
}
