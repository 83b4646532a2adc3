//! Schemas to types. Component schemas get names first (so a `$ref` always finds its target
//! and component names win over inline ones); inline objects and enums are named after the
//! place they appear in (`CreateInteractionRequestChannel`), or their `title`.
//!
//! Split by concern: [`view`] reads a schema's keywords, [`naming`] names types and SIDs,
//! [`merge`] gathers struct fields (through `allOf`), [`unions`] lowers `oneOf`/`anyOf`.

mod merge;
mod naming;
pub(crate) use naming::field_type_hint;
mod unions;
mod view;

use std::collections::HashMap;

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use super::names::{self, Scope};
use super::{Docs, EnumVariant, Fact, SidType, StringEnum, Ty, TypeDef, TypeId, TypeKind};
use crate::diagnostics::{pointer_join, Diagnostics, Error};
use crate::extensions::Conventions;
use view::View;

/// Deeper than any real schema (parsers already stop documents at 128 levels, about 60
/// schema levels); past it a spec is refused instead of risking the stack.
const MAX_DEPTH: usize = 32;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// A lowered type position: the type, and whether `null` is allowed there.
#[derive(Clone, Debug)]
pub(crate) struct Lowered {
    pub(crate) ty: Ty,
    pub(crate) nullable: bool,
}

/// Lowers every schema of one document into type definitions.
pub(crate) struct SchemaLowerer<'a> {
    doc: &'a OpenAPI,
    vendor: Conventions,
    pub(crate) diags: &'a mut Diagnostics,
    pub(crate) defs: Vec<Option<TypeDef>>,
    by_ref: HashMap<String, TypeId>,
    scope: Scope,
    /// Inline types still to be named, with the name each wants (see [`naming`]).
    unnamed: Vec<(TypeId, String)>,
    pub(crate) sids: Vec<SidType>,
    sid_by_prefix: HashMap<[char; 2], usize>,
    /// Each SID type's first place in pointer order, as (pointer, name hint): it is named
    /// after that place's hint (component schemas come before operations, as the reader meets
    /// them), not after the first place the lowering happened to visit, so that moving a
    /// schema or a property does not rename it.
    sid_places: Vec<(String, String)>,
    /// Component refs used as variants of a discriminated union, with the tag property that
    /// the union carries (so the variant struct does not carry it a second time).
    discriminated: HashMap<String, String>,
    depth: usize,
}

impl<'a> SchemaLowerer<'a> {
    pub(crate) fn new(doc: &'a OpenAPI, vendor: Conventions, diags: &'a mut Diagnostics) -> Self {
        SchemaLowerer {
            doc,
            vendor,
            diags,
            defs: Vec::new(),
            by_ref: HashMap::new(),
            scope: Scope::for_types(),
            unnamed: Vec::new(),
            sids: Vec::new(),
            sid_by_prefix: HashMap::new(),
            sid_places: Vec::new(),
            discriminated: HashMap::new(),
            depth: 0,
        }
    }

    /// The struct an id names, if it is one (a definition still being lowered is not).
    pub(crate) fn struct_def(&self, id: TypeId) -> Option<&super::Struct> {
        match &self.defs[id.0].as_ref()?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    fn components(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.doc.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Names every component schema, then lowers each one.
    pub(crate) fn lower_components(&mut self) -> Result<(), Error> {
        let comps: Vec<_> = self.components().collect();
        for (_, schema) in &comps {
            if let ReferenceOr::Item(s) = schema {
                let v = View::of(s);
                if let Some(d) = &v.data.discriminator {
                    for variant in v.one_of.iter().chain(v.any_of) {
                        if let ReferenceOr::Reference { reference } = variant {
                            self.discriminated
                                .insert(reference.clone(), d.property_name.clone());
                        }
                    }
                }
            }
        }
        // Types keep the document's order; names are claimed by schema name, so that where a
        // schema sits never decides which of two colliding names gets the suffix. A schema
        // whose name already is its type name (`Widget`, not `widget`) claims first.
        let mut by_name: Vec<(&String, TypeId)> = Vec::new();
        for (name, _) in &comps {
            let id = TypeId(self.defs.len());
            // Holds the name until the definition is filled in.
            self.defs.push(Some(TypeDef {
                name: String::new(),
                docs: Docs::default(),
                kind: TypeKind::Alias(Ty::Any),
                pointer: String::new(),
            }));
            self.by_ref.insert(format!("{COMPONENT_PREFIX}{name}"), id);
            by_name.push((name, id));
        }
        by_name.sort_by_key(|(name, _)| (self.component_name(name) != **name, *name));
        for (name, id) in by_name {
            let claimed = self.claim_component_name(name);
            if let Some(def) = &mut self.defs[id.0] {
                def.name = claimed;
            }
        }
        for (name, schema) in comps {
            let pointer = pointer_join("/components/schemas", name);
            crate::guard::at(&pointer);
            let id = self.by_ref[&format!("{COMPONENT_PREFIX}{name}")];
            let type_name = self.defs[id.0]
                .as_ref()
                .map(|d| d.name.clone())
                .unwrap_or_default();
            let def = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_ref(reference, &pointer)?;
                    TypeDef {
                        name: type_name,
                        docs: Docs::default(),
                        kind: TypeKind::Alias(Ty::Named(target)),
                        pointer: pointer.clone(),
                    }
                }
                ReferenceOr::Item(s) => {
                    let strip = self
                        .discriminated
                        .get(&format!("{COMPONENT_PREFIX}{name}"))
                        .cloned();
                    self.define(&type_name, s, &pointer, strip.as_deref())?
                }
            };
            self.defs[id.0] = Some(def);
        }
        self.check_alias_cycles()
    }

    fn check_alias_cycles(&self) -> Result<(), Error> {
        let name = |j: usize| self.defs[j].as_ref().map_or("?", |d| d.name.as_str());
        for (i, def) in self.defs.iter().enumerate() {
            let mut seen = vec![i];
            let mut current = def.as_ref();
            while let Some(TypeDef {
                kind: TypeKind::Alias(Ty::Named(next)),
                ..
            }) = current
            {
                if seen.contains(&next.0) {
                    let chain: Vec<_> = seen.iter().chain([&next.0]).map(|j| name(*j)).collect();
                    let at = def.as_ref().map(|d| d.pointer.clone()).unwrap_or_default();
                    return Err(self.diags.error(
                        &at,
                        format!("$ref cycle with no type in it: {}", chain.join(" -> ")),
                    ));
                }
                seen.push(next.0);
                current = self.defs[next.0].as_ref();
            }
        }
        Ok(())
    }

    pub(crate) fn resolve_ref(&self, reference: &str, pointer: &str) -> Result<TypeId, Error> {
        if let Some(id) = self.by_ref.get(reference) {
            return Ok(*id);
        }
        let what = if reference.starts_with(COMPONENT_PREFIX) {
            "no such schema in components.schemas"
        } else {
            "only references to #/components/schemas/... are supported for schemas"
        };
        Err(self
            .diags
            .error(pointer, format!("dangling $ref {reference:?}: {what}")))
    }

    /// The schema a component reference leads to, following references between components.
    /// `Err` says why there is none: a dangling reference, or a cycle of references with no
    /// schema in it (followed in a loop, not recursively, so a cycle cannot overflow the stack).
    fn component_schema(&self, reference: &str) -> Result<&'a Schema, String> {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        let mut seen: Vec<&str> = Vec::new();
        let mut current = reference;
        loop {
            let found = current
                .strip_prefix(COMPONENT_PREFIX)
                .and_then(|name| schemas?.get(name));
            match found {
                Some(ReferenceOr::Item(schema)) => return Ok(schema),
                Some(ReferenceOr::Reference { reference: next }) => {
                    seen.push(current);
                    if seen.contains(&next.as_str()) {
                        seen.push(next);
                        return Err(format!(
                            "$ref cycle with no type in it: {}",
                            seen.join(" -> ")
                        ));
                    }
                    current = next;
                }
                None => {
                    return Err(format!(
                        "dangling $ref {current:?}: no such schema in components.schemas"
                    ))
                }
            }
        }
    }

    /// A new inline type, under the name it wants until [`Self::assign_names`] claims one.
    fn new_def(&mut self, wanted: &str) -> TypeId {
        let id = TypeId(self.defs.len());
        self.defs.push(None);
        self.unnamed.push((id, wanted.to_owned()));
        id
    }

    /// Lowers a schema in a type position (field, parameter, body, item).
    pub(crate) fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => Ok(Lowered {
                ty: Ty::Named(self.resolve_ref(reference, pointer)?),
                nullable: false,
            }),
            ReferenceOr::Item(s) => self.lower_inline(s, hint, pointer),
        }
    }

    pub(crate) fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => Ok(Lowered {
                ty: Ty::Named(self.resolve_ref(reference, pointer)?),
                nullable: false,
            }),
            ReferenceOr::Item(s) => self.lower_inline(s, hint, pointer),
        }
    }

    fn lower_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(self.diags.error(
                pointer,
                format!("schemas nested more than {MAX_DEPTH} deep; refusing to generate"),
            ));
        }
        let result = self.lower_inline_inner(schema, hint, pointer);
        self.depth -= 1;
        result
    }

    fn lower_inline_inner(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Error> {
        let v = View::of(schema);
        let mut nullable = v.data.nullable || v.enumeration.iter().any(Value::is_null);

        // `allOf: [$ref]` with nothing else is how a `$ref` keeps sibling keywords (see
        // normalise::refs): it is that type, nullable or documented.
        if let [only] = v.all_of {
            if v.properties.is_empty()
                && v.one_of.is_empty()
                && v.any_of.is_empty()
                && v.additional.is_none()
            {
                let inner = self.lower(only, hint, &format!("{pointer}/allOf/0"))?;
                return Ok(Lowered {
                    ty: inner.ty,
                    nullable: nullable || inner.nullable,
                });
            }
        }
        // `oneOf: [T, {nullable}]`-style optionality is just a nullable T.
        let alternatives: Vec<&ReferenceOr<Schema>> = v.one_of.iter().chain(v.any_of).collect();
        if !alternatives.is_empty() && v.properties.is_empty() {
            let non_null: Vec<_> = alternatives
                .iter()
                .copied()
                .filter(|s| !unions::is_null_schema(s))
                .collect();
            if non_null.len() < alternatives.len() {
                nullable = true;
            }
            if let [only] = non_null.as_slice() {
                if v.data.discriminator.is_none() {
                    let inner = self.lower(only, hint, &format!("{pointer}/oneOf/0"))?;
                    return Ok(Lowered {
                        ty: inner.ty,
                        nullable: nullable || inner.nullable,
                    });
                }
            }
        }
        if matches!(schema.schema_kind, SchemaKind::Not { .. }) {
            self.diags
                .warn(pointer, "a `not` schema is approximated as any JSON value");
        }
        if needs_definition(&v) {
            let wanted = schema
                .schema_data
                .title
                .as_deref()
                .map(names::pascal)
                .unwrap_or_else(|| hint.to_owned());
            let id = self.new_def(&wanted);
            let def = self.define(&wanted, schema, pointer, None)?;
            self.defs[id.0] = Some(def);
            return Ok(Lowered {
                ty: Ty::Named(id),
                nullable,
            });
        }
        let ty = self.primitive(&v, hint, pointer)?;
        Ok(Lowered { ty, nullable })
    }

    fn primitive(&mut self, v: &View<'_>, hint: &str, pointer: &str) -> Result<Ty, Error> {
        Ok(match v.typ {
            Some("string") => match v.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("binary") => Ty::Binary,
                _ => match v.pattern.and_then(|p| self.vendor.identifier(p)) {
                    Some(identifier) => Ty::Sid(self.sid(identifier, hint, pointer)),
                    None => Ty::String,
                },
            },
            Some("integer") => match v.format.as_deref() {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            Some("number") => match v.format.as_deref() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            Some("boolean") => Ty::Bool,
            Some("array") => match v.items {
                Some(items) => {
                    let item = self.lower_boxed(
                        items,
                        &format!("{hint}Item"),
                        &format!("{pointer}/items"),
                    )?;
                    if item.nullable && !item.ty.accepts_null() {
                        Ty::Vec(Box::new(Ty::Nullable(Box::new(item.ty))))
                    } else {
                        Ty::Vec(Box::new(item.ty))
                    }
                }
                None => Ty::Vec(Box::new(Ty::Any)),
            },
            Some("object") | None if v.is_object_like() => match v.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let value = self.lower(
                        s,
                        &format!("{hint}Value"),
                        &format!("{pointer}/additionalProperties"),
                    )?;
                    Ty::Map(Box::new(value.ty))
                }
                _ => Ty::JsonObject,
            },
            None => Ty::Any,
            Some(other) => {
                self.diags.warn(
                    &format!("{pointer}/type"),
                    format!("unknown type {other:?}: approximated as any JSON value"),
                );
                Ty::Any
            }
        })
    }

    /// The definition of a named type. `strip` is a discriminator property to leave out.
    fn define(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &str,
        strip: Option<&str>,
    ) -> Result<TypeDef, Error> {
        let v = View::of(schema);
        let mut docs = Docs {
            title: v.data.title.clone(),
            description: v.data.description.clone(),
            facts: Vec::new(),
        };
        if v.data.deprecated {
            docs.facts.push(Fact::Deprecated);
        }
        let kind = if !v.one_of.is_empty() || !v.any_of.is_empty() {
            self.union(name, &v, pointer)?
        } else if !v.all_of.is_empty() {
            if v.all_of.len() == 1 && v.properties.is_empty() {
                let inner = self.lower(&v.all_of[0], name, &format!("{pointer}/allOf/0"))?;
                TypeKind::Alias(inner.ty)
            } else {
                TypeKind::Struct(self.merged_struct(name, &v, pointer, strip)?)
            }
        } else if v.typ == Some("string") && v.enumeration.iter().any(Value::is_string) {
            TypeKind::Enum(string_enum(&v.enumeration))
        } else if v.is_object_like() && !v.properties.is_empty() {
            TypeKind::Struct(self.plain_struct(name, &v, pointer, strip)?)
        } else {
            docs.facts.extend(v.constraints.iter().cloned());
            docs.facts.extend(v.allowed_values());
            TypeKind::Alias(self.primitive(&v, name, pointer)?)
        };
        Ok(TypeDef {
            name: name.to_owned(),
            docs,
            kind,
            pointer: pointer.to_owned(),
        })
    }
}

/// The limits a schema puts on its values (pattern, lengths, bounds, item counts, allowed
/// values), as the docs list them and the diff compares them.
fn value_limits(v: &View<'_>) -> Vec<Fact> {
    let mut facts = v.constraints.clone();
    facts.extend(v.allowed_values());
    facts
}

/// [`value_limits`] of a schema read elsewhere (a parameter's).
pub(crate) fn schema_limits(s: &Schema) -> Vec<Fact> {
    value_limits(&View::of(s))
}

/// Whether an inline schema becomes a named type (struct, enum or union).
fn needs_definition(v: &View<'_>) -> bool {
    if !v.one_of.is_empty() || !v.any_of.is_empty() || !v.all_of.is_empty() {
        return true;
    }
    if v.typ == Some("string") && v.enumeration.iter().any(Value::is_string) {
        return true;
    }
    v.is_object_like() && !v.properties.is_empty()
}

fn string_enum(values: &[Value]) -> StringEnum {
    let mut scope = Scope::new();
    let mut variants = Vec::new();
    for value in values {
        let Value::String(wire) = value else { continue };
        if variants.iter().any(|v: &EnumVariant| &v.wire == wire) {
            continue;
        }
        variants.push(EnumVariant {
            wire: wire.clone(),
            rust_name: scope.claim(&names::enum_variant(wire)),
        });
    }
    let fallback_name = scope.claim("Unknown");
    StringEnum {
        variants,
        fallback_name,
    }
}
