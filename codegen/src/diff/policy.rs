//! What a removal means depends on what callers were told: an operation or parameter that was
//! deprecated, with a sunset date that has passed, is a planned removal; one removed without
//! notice, or before its sunset, is a surprise. And an operation declared unstable
//! (`x-stability-level: draft` or `alpha`) may change without notice.

use serde_json::Value;

use super::rules::{Http, Kind};
use super::Change;

/// When a deprecated operation or parameter may go away without breaking the promise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeprecationPolicy {
    /// Planned only when deprecated *and* given a sunset date (`x-sunset`) that has passed.
    #[default]
    Strict,
    /// Planned when deprecated, unless a sunset date is declared and still to come.
    Lenient,
    /// Every removal breaks callers, whatever was announced.
    Ignore,
}

impl DeprecationPolicy {
    /// The policy `--deprecation-policy` names.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "strict" => Some(Self::Strict),
            "lenient" => Some(Self::Lenient),
            "ignore" => Some(Self::Ignore),
            _ => None,
        }
    }
}

/// How a comparison judges removals.
#[derive(Clone, Debug)]
pub struct Options {
    pub deprecation: DeprecationPolicy,
    /// The day sunset dates are compared with (`YYYY-MM-DD`): today unless told otherwise, so
    /// a rerun of an old comparison can be pinned.
    pub today: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            deprecation: DeprecationPolicy::Strict,
            today: today(),
        }
    }
}

/// Today's UTC date, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil(secs / 86_400)
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's civil-from-days).
fn civil(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// An operation of the old document by the id the lowered model gave it (its operationId).
fn operation<'a>(doc: &'a Value, id: &str) -> Option<&'a Value> {
    let paths = doc.get("paths")?.as_object()?;
    paths
        .values()
        .filter_map(Value::as_object)
        .find_map(|item| {
            item.values()
                .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
        })
}

/// A parameter of an old operation by location and name, through a local `$ref`.
fn parameter<'a>(doc: &'a Value, op: &'a Value, location: &str, name: &str) -> Option<&'a Value> {
    op.get("parameters")?
        .as_array()?
        .iter()
        .map(|p| {
            p.get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| doc.pointer(r.strip_prefix('#')?))
                .unwrap_or(p)
        })
        .find(|p| {
            p.get("in").and_then(Value::as_str) == Some(location)
                && p.get("name").and_then(Value::as_str) == Some(name)
        })
}

/// Whether removing `what` was announced, per the policy: `Some(note)` when it was.
fn planned(what: &Value, options: &Options) -> Option<String> {
    let deprecated = what.get("deprecated") == Some(&Value::Bool(true));
    let sunset = what
        .get("x-sunset")
        .and_then(Value::as_str)
        .map(|s| s.get(..10).unwrap_or(s));
    let passed = sunset.map(|s| s <= options.today.as_str());
    match (options.deprecation, deprecated, passed) {
        (DeprecationPolicy::Ignore, ..) | (_, false, _) => None,
        (_, true, Some(true)) => Some(format!(
            "deprecated, sunset {} passed",
            sunset.unwrap_or_default()
        )),
        (DeprecationPolicy::Lenient, true, None) => Some("deprecated, no sunset date".into()),
        _ => None,
    }
}

/// `query parameter `limit` removed` -> (`query`, `limit`).
fn removed_param(detail: &str) -> Option<(&str, &str)> {
    let (location, rest) = detail.split_once(' ')?;
    let name = rest.split('`').nth(1)?;
    Some((location, name))
}

/// Rewrites removals that were announced (per the policy) as planned, and softens breaking
/// changes to operations the old spec called unstable.
pub(super) fn apply(changes: &mut [Change], old: &Value, options: &Options) {
    for c in changes.iter_mut() {
        let Some(op) = operation(old, &c.subject) else {
            continue;
        };
        let note = match c.kind {
            Kind::OperationRemoved => {
                planned(op, options).map(|n| (Kind::PlannedOperationRemoval, n))
            }
            Kind::ParamRemoved => removed_param(&c.detail)
                .and_then(|(loc, name)| parameter(old, op, loc, name))
                .and_then(|p| planned(p, options))
                .map(|n| (Kind::PlannedParamRemoval, n)),
            _ => None,
        };
        if let Some((kind, note)) = note {
            let mut planned =
                Change::new(kind, c.subject.clone(), format!("{} ({note})", c.detail));
            planned.context = c.context.take();
            *c = planned;
            continue;
        }
        let level = op.get("x-stability-level").and_then(Value::as_str);
        if c.http == Http::Breaking && matches!(level, Some("draft" | "alpha")) {
            c.http = Http::Potential;
            c.why = UNSTABLE_WHY;
            c.detail.push_str(&format!(
                " (x-stability-level: {})",
                level.unwrap_or_default()
            ));
        }
    }
}

/// Why a breaking change to a draft or alpha operation is only potentially breaking.
pub const UNSTABLE_WHY: &str = "The old spec declares the operation `x-stability-level: draft` or `alpha`: it may change without notice, so callers were warned; those that rely on it still fail.";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn civil_dates_match_the_calendar() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(11_016), "2000-02-29");
        assert_eq!(civil(20_794), "2026-12-07");
    }

    fn on(policy: DeprecationPolicy) -> Options {
        Options {
            deprecation: policy,
            today: "2026-12-07".into(),
        }
    }

    #[test]
    fn a_removal_is_planned_only_as_the_policy_says() {
        use DeprecationPolicy::*;
        let past = json!({"deprecated": true, "x-sunset": "2026-01-01"});
        let future = json!({"deprecated": true, "x-sunset": "2027-01-01"});
        let undated = json!({"deprecated": true});
        let never = json!({"x-sunset": "2026-01-01"});
        let cases = [
            (Strict, &past, true),
            (Strict, &future, false),
            (Strict, &undated, false),
            (Strict, &never, false),
            (Lenient, &past, true),
            (Lenient, &future, false),
            (Lenient, &undated, true),
            (Lenient, &never, false),
            (Ignore, &past, false),
        ];
        for (policy, what, want) in cases {
            assert_eq!(
                planned(what, &on(policy)).is_some(),
                want,
                "{policy:?} {what}"
            );
        }
    }
}
