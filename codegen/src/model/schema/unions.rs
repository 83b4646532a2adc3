//! `oneOf`/`anyOf`: a Rust enum with one variant per alternative, tagged by the discriminator
//! property when there is one, with an `Unknown` variant for anything else.

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::view::View;
use super::{SchemaLowerer, COMPONENT_PREFIX};
use crate::diagnostics::Error;
use crate::model::names::{self, Scope};
use crate::model::{Ty, TypeKind, Union, UnionVariant};

impl SchemaLowerer<'_> {
    pub(super) fn union(
        &mut self,
        name: &str,
        v: &View<'_>,
        pointer: &str,
    ) -> Result<TypeKind, Error> {
        let (alternatives, key) = if v.one_of.is_empty() {
            (v.any_of, "anyOf")
        } else {
            (v.one_of, "oneOf")
        };
        let tag = v
            .data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut scope = Scope::new();
        scope.reserve("Unknown");
        for (i, alt) in alternatives.iter().enumerate() {
            if is_null_schema(alt) {
                continue;
            }
            let ptr = format!("{pointer}/{key}/{i}");
            let hint = match extended_component(alt) {
                Some(component) => format!("{name}{}", names::pascal(component)),
                None => format!("{name}Variant{}", i + 1),
            };
            let lowered = self.lower(alt, &hint, &ptr)?;
            let tags = self.tags(v, alt);
            let wanted = match (&tags.first(), &lowered.ty) {
                (Some(t), _) => names::pascal(t),
                (None, Ty::Named(id)) => {
                    let n = self.defs[id.0]
                        .as_ref()
                        .map(|d| d.name.clone())
                        .unwrap_or_default();
                    // `Pet1` in `Pet` keeps its whole name (a bare `1` is no identifier), as does `Petal`.
                    n.strip_prefix(name)
                        .filter(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
                        .map(str::to_owned)
                        .unwrap_or(n)
                }
                (None, ty) => primitive_variant_name(ty),
            };
            if tag.is_some() && tags.is_empty() {
                self.diags.warn(&ptr, "a discriminated union variant that is not a $ref has no tag value; it can only be decoded as unknown");
            }
            variants.push(UnionVariant {
                rust_name: scope.claim(&wanted),
                tags,
                ty: lowered.ty,
            });
        }
        if !v.properties.is_empty()
            && tag
                .as_deref()
                .is_none_or(|t| v.properties.iter().any(|(p, _)| p.as_str() != t))
        {
            self.diags.warn(
                pointer,
                "properties beside oneOf/anyOf are not merged into the variants",
            );
        }
        Ok(TypeKind::Union(Union { tag, variants }))
    }

    /// The tag values selecting `alt`: the discriminator's mapping, else the value the variant
    /// schema fixes for the tag property, else the component's name (as OpenAPI says).
    fn tags(&self, v: &View<'_>, alt: &ReferenceOr<Schema>) -> Vec<String> {
        let (Some(d), ReferenceOr::Reference { reference }) = (&v.data.discriminator, alt) else {
            return Vec::new();
        };
        let mapped: Vec<String> = d
            .mapping
            .iter()
            .filter(|(_, target)| *target == reference)
            .map(|(k, _)| k.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        let fixed = self
            .component_schema(reference)
            .ok()
            .and_then(|s| single_value(s, &d.property_name));
        fixed
            .or_else(|| reference.strip_prefix(COMPONENT_PREFIX).map(str::to_owned))
            .into_iter()
            .collect()
    }
}

fn primitive_variant_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::Vec(_) => "List".into(),
        Ty::Map(_) | Ty::JsonObject => "Object".into(),
        _ => "Value".into(),
    }
}

/// The value of a property constrained to exactly one string (a discriminator's tag).
fn single_value(schema: &Schema, property: &str) -> Option<String> {
    let v = View::of(schema);
    let (_, prop) = v
        .properties
        .iter()
        .find(|(name, _)| name.as_str() == property)?;
    let ReferenceOr::Item(p) = prop else {
        return None;
    };
    match View::of(p).enumeration.as_slice() {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    }
}

/// Whether an alternative only allows `null` (how 3.0 specs spell an optional union).
pub(super) fn is_null_schema(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(schema) => View::of(schema).is_null_only(),
        ReferenceOr::Reference { .. } => false,
    }
}

/// The component an alternative extends with the fields its union shares (see
/// `normalise::union_siblings`), which names its variant.
fn extended_component(alternative: &ReferenceOr<Schema>) -> Option<&str> {
    match alternative {
        ReferenceOr::Item(schema) => schema
            .schema_data
            .extensions
            .get(crate::normalise::union_siblings::EXTENDS_KEY)?
            .as_str(),
        ReferenceOr::Reference { .. } => None,
    }
}
