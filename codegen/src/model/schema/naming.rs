//! Type names: components get readable names (the vendor's naming scheme, else the schema
//! name), inline types are named after where they are, and SID types after the fields that
//! hold them. Names depend on each schema's own name and place, never on document order.

use super::SchemaLowerer;
use crate::extensions::Identifier;
use crate::model::names;
use crate::model::{SidType, TypeId};

impl SchemaLowerer<'_> {
    /// Claims the type name of a component schema. When the readable name is taken, the full
    /// schema name is tried before a numeric suffix.
    pub(super) fn claim_component_name(&mut self, component: &str) -> String {
        let wanted = self.component_name(component);
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

    /// The type name a component schema asks for, before collisions.
    pub(super) fn component_name(&self, component: &str) -> String {
        self.vendor
            .type_name(component)
            .map(|words| names::pascal(&words))
            .unwrap_or_else(|| last_segment_name(component))
    }

    /// The SID newtype for a prefix. Its name is chosen once every use is known
    /// ([`Self::assign_names`]).
    pub(super) fn sid(&mut self, identifier: Identifier, hint: &str, pointer: &str) -> usize {
        let Identifier {
            prefix,
            runtime_type,
        } = identifier;
        let place = (pointer.to_owned(), hint.to_owned());
        if let Some(&i) = self.sid_by_prefix.get(&prefix) {
            if place < self.sid_places[i] {
                self.sid_places[i] = place;
            }
            return i;
        }
        self.sids.push(SidType {
            name: String::new(),
            prefix,
            runtime_type,
        });
        self.sid_places.push(place);
        self.sid_by_prefix.insert(prefix, self.sids.len() - 1);
        self.sids.len() - 1
    }

    /// Names the SID types and the inline types, once the whole document is lowered, so that
    /// no name depends on the order in which types are met: component schemas are named first
    /// (in schema-name order, [`Self::lower_components`]), then SID types by prefix, then
    /// inline types by the JSON pointer of their place. A collision still gives one of two
    /// types a suffix, but which one is decided by names and places, not by document order.
    pub(crate) fn assign_names(&mut self) {
        let mut by_prefix: Vec<usize> = (0..self.sids.len()).collect();
        by_prefix.sort_by_key(|&i| self.sids[i].prefix);
        for i in by_prefix {
            let hint = self.sid_places[i].1.as_str();
            let base = if hint.ends_with("Sid") && hint != "Sid" {
                hint.to_owned()
            } else {
                format!("{}Sid", hint.trim_end_matches("Sid"))
            };
            let prefix = self.sids[i].prefix;
            self.sids[i].name = if self.scope.is_taken(&base) {
                let suffix = names::pascal(&String::from_iter(prefix).to_ascii_lowercase());
                self.scope.claim(&format!("{base}{suffix}"))
            } else {
                self.scope.claim(&base)
            };
        }
        let mut unnamed = std::mem::take(&mut self.unnamed);
        let pointer = |id: TypeId| self.defs[id.0].as_ref().map_or("", |d| d.pointer.as_str());
        unnamed.sort_by(|(a, x), (b, y)| (pointer(*a), x, a).cmp(&(pointer(*b), y, b)));
        for (id, wanted) in unnamed {
            let name = self.scope.claim(&wanted);
            if let Some(def) = &mut self.defs[id.0] {
                def.name = name;
            }
        }
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
