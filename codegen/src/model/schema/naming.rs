//! Type names: components get readable names (the vendor's naming scheme, else the schema
//! name), inline types are named after where they are, and SID types after their first field.

use super::SchemaLowerer;
use crate::model::names;
use crate::model::SidType;
use crate::vendor::Identifier;

impl SchemaLowerer<'_> {
    /// Claims the type name of a component schema. When the readable name is taken, the full
    /// schema name is tried before a numeric suffix.
    pub(super) fn claim_component_name(&mut self, component: &str) -> String {
        let wanted = self
            .vendor
            .type_name(component)
            .unwrap_or_else(|| last_segment_name(component));
        if !self.scope.is_taken(&wanted) {
            return self.scope.claim(&wanted);
        }
        let full = names::pascal(component);
        if self.scope.is_taken(&full) {
            self.scope.claim(&wanted)
        } else {
            self.scope.claim(&full)
        }
    }

    /// The SID newtype for a prefix, named after where it is first seen.
    pub(super) fn sid(&mut self, identifier: Identifier, hint: &str) -> usize {
        let Identifier {
            prefix,
            runtime_type,
        } = identifier;
        if let Some(i) = self.sid_by_prefix.get(&prefix) {
            return *i;
        }
        let base = if hint.ends_with("Sid") && hint != "Sid" {
            hint.to_owned()
        } else {
            format!("{}Sid", hint.trim_end_matches("Sid"))
        };
        let name = if self.scope.is_taken(&base) {
            let suffix = names::pascal(&String::from_iter(prefix).to_ascii_lowercase());
            self.scope.claim(&format!("{base}{suffix}"))
        } else {
            self.scope.claim(&base)
        };
        self.sids.push(SidType {
            name,
            prefix,
            runtime_type,
        });
        self.sid_by_prefix.insert(prefix, self.sids.len() - 1);
        self.sids.len() - 1
    }
}

/// Dotted schema names lose their API prefix (`flex.v2.flex_user` -> `FlexUser`); anything
/// else is PascalCased.
fn last_segment_name(component: &str) -> String {
    let last = component
        .rsplit('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(component);
    names::pascal(last)
}

/// The name an inline type in property `wire` of `parent` is given. A `...Sid` property keeps
/// its own name, so the SID type it introduces reads `FlexFlowSid`, not `ChannelFlexFlowSid`.
pub(crate) fn field_type_hint(parent: &str, wire: &str) -> String {
    let pascal = names::pascal(wire);
    if pascal.ends_with("Sid") && pascal != "Sid" {
        pascal
    } else {
        format!("{parent}{pascal}")
    }
}
