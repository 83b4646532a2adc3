//! Parameters (matched by location and name, path placeholders renamed in place) and the
//! request limits the model keeps as facts.

use super::*;
use crate::diff::rules::Kind;
use crate::model::{Fact, Operation, Param, ParamLocation};

impl Differ<'_> {
    pub(super) fn params<'a>(&mut self, o: &'a Operation, n: &'a Operation) {
        let id = n.id.as_str();
        // Placeholders renamed in an unchanged URL template: (old name, new name).
        let renamed: Vec<(&str, &str)> = if template(&o.path) == template(&n.path) {
            placeholders(&o.path)
                .into_iter()
                .zip(placeholders(&n.path))
                .filter(|(a, b)| a != b)
                .collect()
        } else {
            Vec::new()
        };
        fn key(p: &Param) -> (&'static str, &str) {
            (p.location.as_str(), p.wire_name.as_str())
        }
        // A new parameter's key on the old side.
        let old_key = |q: &'a Param| -> (&'static str, &'a str) {
            let name = match q.location {
                ParamLocation::Path => renamed
                    .iter()
                    .find(|(_, new)| *new == q.wire_name)
                    .map_or(q.wire_name.as_str(), |(old, _)| *old),
                _ => q.wire_name.as_str(),
            };
            (q.location.as_str(), name)
        };
        for p in &o.params {
            if !n.params.iter().any(|q| old_key(q) == key(p)) {
                let detail = format!(
                    "{} parameter `{}` removed",
                    p.location.as_str(),
                    p.wire_name
                );
                self.push(Change::new(Kind::ParamRemoved, id, detail));
            }
        }
        for q in &n.params {
            match o.params.iter().find(|p| key(p) == old_key(q)) {
                Some(p) => self.param_changed(id, &n.path, p, q),
                None => {
                    let (kind, how) = if q.required {
                        (Kind::RequiredParamAdded, "required")
                    } else {
                        (Kind::OptionalParamAdded, "optional")
                    };
                    let what = format!("{} parameter `{}`", q.location.as_str(), q.wire_name);
                    let detail = format!("{what} added ({how}, {})", self.new_ty(&q.ty));
                    self.push(Change::new(kind, id, detail));
                }
            }
        }
    }

    /// One parameter on both sides (`path`: the new URL template).
    fn param_changed(&mut self, id: &str, path: &str, p: &Param, q: &Param) {
        let what = format!("{} parameter `{}`", q.location.as_str(), q.wire_name);
        if p.wire_name != q.wire_name {
            let detail = format!(
                "path parameter `{}` renamed `{}` (template {})",
                p.wire_name,
                q.wire_name,
                template(path)
            );
            self.push(Change::new(Kind::PathParamRenamed, id, detail));
        }
        self.constraints(&p.docs.facts, &q.docs.facts, id, &what, None);
        match (p.required, q.required) {
            (false, true) => self.push(Change::new(
                Kind::ParamNowRequired,
                id,
                format!("{what}: optional -> required"),
            )),
            (true, false) => self.push(Change::new(
                Kind::ParamNowOptional,
                id,
                format!("{what}: required -> optional"),
            )),
            _ => {}
        }
        if self.same_ty(&p.ty, &q.ty) {
            self.link(&p.ty, &q.ty, Role::Request, id);
        } else {
            let kind = self.retyped(Role::Request, &p.ty, &q.ty, Kind::ParamTypeChanged);
            let detail = format!("{what}: type {}", self.type_change(&p.ty, &q.ty));
            self.push(Change::new(kind, id, detail));
        }
    }

    /// Limits on a request value that reject something the old ones allowed, one change each.
    pub(super) fn constraints(
        &mut self,
        before: &[Fact],
        after: &[Fact],
        subject: &str,
        what: &str,
        context: Option<String>,
    ) {
        for tightened in tightened(before, after) {
            self.push(
                Change::new(
                    Kind::RequestConstraintTightened,
                    subject,
                    format!("{what}: {tightened}"),
                )
                .within(context.clone()),
            );
        }
    }
}

/// The limits a position's facts put on its values.
#[derive(Default)]
struct Limits<'a> {
    pattern: Option<&'a str>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    /// (value as written, as a number, exclusive)
    minimum: Option<(&'a str, f64, bool)>,
    maximum: Option<(&'a str, f64, bool)>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    allowed: Option<&'a [serde_json::Value]>,
}

impl<'a> Limits<'a> {
    pub(super) fn of(facts: &'a [Fact]) -> Self {
        let mut l = Limits::default();
        let number = |v: &'a str, exclusive: bool| v.parse().ok().map(|n| (v, n, exclusive));
        for fact in facts {
            match fact {
                Fact::Pattern(p) => l.pattern = Some(p),
                Fact::Length { min, max } => (l.min_length, l.max_length) = (*min, *max),
                Fact::Minimum { value, exclusive } => l.minimum = number(value, *exclusive),
                Fact::Maximum { value, exclusive } => l.maximum = number(value, *exclusive),
                Fact::MinItems(n) => l.min_items = Some(*n),
                Fact::MaxItems(n) => l.max_items = Some(*n),
                Fact::AllowedValues(v) => l.allowed = Some(v),
                _ => {}
            }
        }
        l
    }
}

/// How `after` rejects values `before` allowed, one line per limit.
pub(super) fn tightened(before: &[Fact], after: &[Fact]) -> Vec<String> {
    let (old, new) = (Limits::of(before), Limits::of(after));
    let shown = |v: Option<String>| v.unwrap_or_else(|| "none".into());
    let mut out = Vec::new();
    if new.pattern.is_some() && new.pattern != old.pattern {
        let quoted = |p: Option<&str>| shown(p.map(|p| format!("{p:?}")));
        out.push(format!(
            "pattern {} -> {}",
            quoted(old.pattern),
            quoted(new.pattern)
        ));
    }
    // Lower bounds that rise and upper bounds that fall; a bound that appears is the tightest.
    let counts = [
        ("minLength", old.min_length, new.min_length, true),
        ("maxLength", old.max_length, new.max_length, false),
        ("minItems", old.min_items, new.min_items, true),
        ("maxItems", old.max_items, new.max_items, false),
    ];
    for (name, before, after, lower) in counts {
        let Some(n) = after else { continue };
        let stricter = match before {
            None => !lower || n > 0,
            Some(o) if lower => n > o,
            Some(o) => n < o,
        };
        if stricter {
            out.push(format!(
                "{name} {} -> {n}",
                shown(before.map(|o| o.to_string()))
            ));
        }
    }
    let bounds = [
        ("minimum", old.minimum, new.minimum, true),
        ("maximum", old.maximum, new.maximum, false),
    ];
    for (name, before, after, lower) in bounds {
        let Some((written, n, exclusive)) = after else {
            continue;
        };
        let stricter = before.is_none_or(|(_, o, was_exclusive)| {
            (if lower { n > o } else { n < o }) || (n == o && exclusive && !was_exclusive)
        });
        if stricter {
            out.push(format!(
                "{name} {} -> {}",
                shown(before.map(|(v, _, x)| bound(v, x))),
                bound(written, exclusive)
            ));
        }
    }
    match (old.allowed, new.allowed) {
        (None, Some(new)) => out.push(format!("allowed values none -> {}", values(new))),
        (Some(old), Some(new)) => {
            let gone: Vec<_> = old.iter().filter(|v| !new.contains(v)).cloned().collect();
            if !gone.is_empty() {
                out.push(format!(
                    "allowed values {} -> {} (removed {})",
                    values(old),
                    values(new),
                    values(&gone)
                ));
            }
        }
        _ => {}
    }
    out
}

pub(super) fn bound(value: &str, exclusive: bool) -> String {
    if exclusive {
        format!("{value} (exclusive)")
    } else {
        value.to_owned()
    }
}

pub(super) fn values(v: &[serde_json::Value]) -> String {
    let shown: Vec<String> = v.iter().map(|v| v.to_string()).collect();
    format!("[{}]", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn min(value: &str, exclusive: bool) -> Fact {
        Fact::Minimum {
            value: value.into(),
            exclusive,
        }
    }

    fn max(value: &str, exclusive: bool) -> Fact {
        Fact::Maximum {
            value: value.into(),
            exclusive,
        }
    }

    #[test]
    fn limits_that_reject_more_are_reported_with_old_and_new() {
        let cases: Vec<(Vec<Fact>, Vec<Fact>, Vec<&str>)> = vec![
            (
                vec![min("1", false)],
                vec![min("2", false)],
                vec!["minimum 1 -> 2"],
            ),
            (
                vec![min("1", false)],
                vec![min("1", true)],
                vec!["minimum 1 -> 1 (exclusive)"],
            ),
            (vec![], vec![max("100", false)], vec!["maximum none -> 100"]),
            (
                vec![max("100", false)],
                vec![max("99.5", false)],
                vec!["maximum 100 -> 99.5"],
            ),
            (vec![], vec![Fact::MinItems(1)], vec!["minItems none -> 1"]),
            (
                vec![Fact::MaxItems(10)],
                vec![Fact::MaxItems(5)],
                vec!["maxItems 10 -> 5"],
            ),
            (
                vec![Fact::Length {
                    min: Some(1),
                    max: None,
                }],
                vec![Fact::Length {
                    min: Some(2),
                    max: Some(9),
                }],
                vec!["minLength 1 -> 2", "maxLength none -> 9"],
            ),
            (
                vec![Fact::Pattern("^a".into())],
                vec![Fact::Pattern("^b".into())],
                vec![r#"pattern "^a" -> "^b""#],
            ),
            (
                vec![Fact::AllowedValues(vec![json!(1), json!(2)])],
                vec![Fact::AllowedValues(vec![json!(2)])],
                vec!["allowed values [1, 2] -> [2] (removed [1])"],
            ),
        ];
        for (before, after, want) in cases {
            assert_eq!(tightened(&before, &after), want, "{before:?} -> {after:?}");
        }
    }

    #[test]
    fn limits_that_stay_or_loosen_are_not_reported() {
        let cases: Vec<(Vec<Fact>, Vec<Fact>)> = vec![
            (vec![min("2", false)], vec![min("1", false)]),
            (vec![min("1", true)], vec![min("1", false)]),
            (vec![max("5", false)], vec![]),
            (vec![Fact::MinItems(0)], vec![Fact::MinItems(0)]),
            (vec![], vec![Fact::MinItems(0)]),
            (vec![Fact::MaxItems(5)], vec![Fact::MaxItems(10)]),
            (
                vec![Fact::Pattern("^a".into())],
                vec![Fact::Pattern("^a".into())],
            ),
            (vec![Fact::Pattern("^a".into())], vec![]),
            (
                vec![Fact::AllowedValues(vec![json!(1)])],
                vec![Fact::AllowedValues(vec![json!(1), json!(2)])],
            ),
        ];
        for (before, after) in cases {
            assert!(
                tightened(&before, &after).is_empty(),
                "{before:?} -> {after:?}"
            );
        }
    }
}
