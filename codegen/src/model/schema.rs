//! Schemas to types. Component schemas get names first (so a `$ref` always finds its target
//! and component names win over inline ones); inline objects and enums are named after the
//! place they appear in (`CreateInteractionRequestChannel`), or their `title`.

use std::collections::HashMap;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::names::{self, Scope};
use super::{
    Docs, EnumVariant, Field, SidType, StringEnum, Struct, Ty, TypeDef, TypeId, TypeKind, Union,
    UnionVariant,
};
use crate::diagnostics::{pointer_join, Diagnostics, Error};
use crate::emit::docs::code;
use crate::normalise::twilio;

/// Deeper than any real schema (parsers already stop documents at 128 levels, about 60
/// schema levels); past it a spec is refused instead of risking the stack.
const MAX_DEPTH: usize = 32;

/// A lowered type position: the type, and whether `null` is allowed there.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
}

pub struct SchemaLowerer<'a> {
    doc: &'a OpenAPI,
    pub diags: &'a mut Diagnostics,
    pub defs: Vec<Option<TypeDef>>,
    by_ref: HashMap<String, TypeId>,
    pub scope: Scope,
    pub sids: Vec<SidType>,
    sid_by_prefix: HashMap<String, usize>,
    /// Component refs used as variants of a discriminated union, with the tag property that
    /// the union carries (so the variant struct does not carry it a second time).
    discriminated: HashMap<String, String>,
    depth: usize,
}

/// A flattened view over `openapiv3`'s two representations of a schema (`Type` and `Any`).
struct View<'s> {
    data: &'s SchemaData,
    typ: Option<&'s str>,
    format: Option<String>,
    pattern: Option<&'s str>,
    enumeration: Vec<Value>,
    properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    required: Vec<&'s String>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    one_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    notes: Vec<String>,
}

/// Whether an example has the JSON type the schema declares (`null` fits a nullable schema).
fn example_fits_type(example: &Value, v: &View<'_>) -> bool {
    match (example, v.typ) {
        (Value::Null, _) => v.data.nullable,
        (_, Some("string")) => example.is_string(),
        (_, Some("integer")) => example.is_i64() || example.is_u64(),
        (_, Some("number")) => example.is_number(),
        (_, Some("boolean")) => example.is_boolean(),
        (_, Some("array")) => example.is_array(),
        (_, Some("object")) => example.is_object(),
        _ => true,
    }
}

fn fmt_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => Some(known(i).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> View<'s> {
    fn of(schema: &'s Schema) -> View<'s> {
        let mut v = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            pattern: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: &[],
            all_of: &[],
            any_of: &[],
            notes: Vec::new(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.typ = Some("string");
                v.format = fmt_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                v.pattern = s.pattern.as_deref();
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
                length_notes(&mut v.notes, s.min_length, s.max_length);
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.typ = Some("number");
                v.format = fmt_name(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
                bound_notes(
                    &mut v.notes,
                    n.minimum.map(|m| m.to_string()),
                    n.exclusive_minimum,
                    n.maximum.map(|m| m.to_string()),
                    n.exclusive_maximum,
                );
            }
            SchemaKind::Type(Type::Integer(n)) => {
                v.typ = Some("integer");
                v.format = fmt_name(&n.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
                bound_notes(
                    &mut v.notes,
                    n.minimum.map(|m| m.to_string()),
                    n.exclusive_minimum,
                    n.maximum.map(|m| m.to_string()),
                    n.exclusive_maximum,
                );
            }
            SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
            SchemaKind::Type(Type::Object(o)) => {
                v.typ = Some("object");
                v.properties = o.properties.iter().collect();
                v.required = o.required.iter().collect();
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.typ = Some("array");
                v.items = a.items.as_ref();
                items_notes(&mut v.notes, a.min_items, a.max_items);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.pattern = a.pattern.as_deref();
                v.enumeration = a.enumeration.clone();
                v.properties = a.properties.iter().collect();
                v.required = a.required.iter().collect();
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.one_of = &a.one_of;
                v.all_of = &a.all_of;
                v.any_of = &a.any_of;
                length_notes(&mut v.notes, a.min_length, a.max_length);
                bound_notes(
                    &mut v.notes,
                    a.minimum.map(|m| m.to_string()),
                    a.exclusive_minimum.unwrap_or(false),
                    a.maximum.map(|m| m.to_string()),
                    a.exclusive_maximum.unwrap_or(false),
                );
                items_notes(&mut v.notes, a.min_items, a.max_items);
            }
        }
        if let Some(p) = v.pattern {
            v.notes.insert(0, format!("Pattern: {}", code(p)));
        }
        v
    }

    fn is_object_like(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (!self.properties.is_empty() || self.additional.is_some()))
    }
}

fn length_notes(notes: &mut Vec<String>, min: Option<usize>, max: Option<usize>) {
    match (min, max) {
        (Some(a), Some(b)) if a == b => notes.push(format!("Length: exactly {a} characters")),
        (Some(a), Some(b)) => notes.push(format!("Length: {a} to {b} characters")),
        (Some(a), None) => notes.push(format!("Length: at least {a} characters")),
        (None, Some(b)) => notes.push(format!("Length: at most {b} characters")),
        (None, None) => {}
    }
}

fn bound_notes(
    notes: &mut Vec<String>,
    min: Option<String>,
    xmin: bool,
    max: Option<String>,
    xmax: bool,
) {
    if let Some(m) = min {
        notes.push(format!(
            "Minimum: {m}{}",
            if xmin { " (exclusive)" } else { "" }
        ));
    }
    if let Some(m) = max {
        notes.push(format!(
            "Maximum: {m}{}",
            if xmax { " (exclusive)" } else { "" }
        ));
    }
}

fn items_notes(notes: &mut Vec<String>, min: Option<usize>, max: Option<usize>) {
    if let Some(m) = min {
        notes.push(format!("Minimum items: {m}"));
    }
    if let Some(m) = max {
        notes.push(format!("Maximum items: {m}"));
    }
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

impl<'a> SchemaLowerer<'a> {
    pub fn new(doc: &'a OpenAPI, diags: &'a mut Diagnostics) -> Self {
        SchemaLowerer {
            doc,
            diags,
            defs: Vec::new(),
            by_ref: HashMap::new(),
            scope: Scope::for_types(),
            sids: Vec::new(),
            sid_by_prefix: HashMap::new(),
            discriminated: HashMap::new(),
            depth: 0,
        }
    }

    fn components(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.doc.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Names every component schema, then lowers each one.
    pub fn lower_components(&mut self) -> Result<(), Error> {
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
        for (name, _) in &comps {
            let wanted = component_type_name(name);
            let final_name = if self.scope.is_taken(&wanted) {
                let full = names::pascal(name);
                if self.scope.is_taken(&full) {
                    self.scope.claim(&wanted)
                } else {
                    self.scope.claim(&full)
                }
            } else {
                self.scope.claim(&wanted)
            };
            let id = TypeId(self.defs.len());
            self.defs.push(None);
            self.by_ref.insert(format!("{COMPONENT_PREFIX}{name}"), id);
            // Keep the name until the definition is filled in.
            self.defs[id.0] = Some(TypeDef {
                name: final_name,
                docs: Docs::default(),
                kind: TypeKind::Alias(Ty::Any),
                pointer: String::new(),
            });
        }
        for (name, schema) in comps {
            let pointer = pointer_join("/components/schemas", name);
            let id = self.by_ref[&format!("{COMPONENT_PREFIX}{name}")];
            let type_name = self.defs[id.0].as_ref().expect("named above").name.clone();
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
        for (i, def) in self.defs.iter().enumerate() {
            let mut seen = vec![i];
            let mut current = def.as_ref();
            while let Some(TypeDef {
                kind: TypeKind::Alias(Ty::Named(next)),
                ..
            }) = current
            {
                if seen.contains(&next.0) {
                    let chain: Vec<_> = seen
                        .iter()
                        .chain(std::iter::once(&next.0))
                        .map(|j| {
                            self.defs[*j]
                                .as_ref()
                                .map(|d| d.name.as_str())
                                .unwrap_or("?")
                        })
                        .collect();
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

    pub fn resolve_ref(&self, reference: &str, pointer: &str) -> Result<TypeId, Error> {
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

    fn new_def(&mut self, wanted: &str) -> (TypeId, String) {
        let name = self.scope.claim(wanted);
        let id = TypeId(self.defs.len());
        self.defs.push(None);
        (id, name)
    }

    /// Lowers a schema in a type position (field, parameter, body, item).
    pub fn lower(
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

    pub fn lower_boxed(
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
                .filter(|s| !is_null_schema(s))
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
        let named = self.needs_definition(&v);
        if named {
            let wanted = schema
                .schema_data
                .title
                .as_deref()
                .map(names::pascal)
                .unwrap_or_else(|| hint.to_owned());
            let (id, name) = self.new_def(&wanted);
            let def = self.define(&name, schema, pointer, None)?;
            self.defs[id.0] = Some(def);
            return Ok(Lowered {
                ty: Ty::Named(id),
                nullable,
            });
        }
        let ty = self.primitive(&v, hint, pointer)?;
        Ok(Lowered { ty, nullable })
    }

    /// Whether an inline schema becomes a named type (struct, enum or union).
    fn needs_definition(&self, v: &View<'_>) -> bool {
        if !v.one_of.is_empty() || !v.any_of.is_empty() || !v.all_of.is_empty() {
            return true;
        }
        if v.typ == Some("string") && v.enumeration.iter().any(Value::is_string) {
            return true;
        }
        v.is_object_like() && !v.properties.is_empty()
    }

    fn primitive(&mut self, v: &View<'_>, hint: &str, pointer: &str) -> Result<Ty, Error> {
        Ok(match v.typ {
            Some("string") => match v.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("binary") => Ty::Binary,
                _ => match v.pattern.and_then(twilio::sid_prefix) {
                    Some(prefix) => Ty::Sid(self.sid(prefix, hint)),
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
                        self.diags.warn(&format!("{pointer}/items"), "nullable list items are approximated as any JSON value (Vec<serde_json::Value>)");
                        Ty::Vec(Box::new(Ty::Any))
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

    /// The SID newtype for a prefix, named after where it is first seen.
    pub fn sid(&mut self, prefix: &str, hint: &str) -> usize {
        if let Some(i) = self.sid_by_prefix.get(prefix) {
            return *i;
        }
        let base = if hint.ends_with("Sid") && hint != "Sid" {
            hint.to_owned()
        } else {
            format!("{}Sid", hint.trim_end_matches("Sid"))
        };
        let name = if self.scope.is_taken(&base) {
            self.scope.claim(&format!(
                "{base}{}",
                names::pascal(&prefix.to_ascii_lowercase())
            ))
        } else {
            self.scope.claim(&base)
        };
        self.sids.push(SidType {
            name,
            prefix: prefix.to_owned(),
        });
        self.sid_by_prefix
            .insert(prefix.to_owned(), self.sids.len() - 1);
        self.sids.len() - 1
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
            notes: Vec::new(),
        };
        if v.data.deprecated {
            docs.notes.push("Deprecated.".into());
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
            let mut fields = Vec::new();
            let mut scope = Scope::new();
            self.fields(name, &v, pointer, strip, &mut fields, &mut scope)?;
            TypeKind::Struct(Struct { fields })
        } else {
            docs.notes.extend(v.notes.iter().cloned());
            enum_note(&mut docs, &v);
            TypeKind::Alias(self.primitive(&v, name, pointer)?)
        };
        Ok(TypeDef {
            name: name.to_owned(),
            docs,
            kind,
            pointer: pointer.to_owned(),
        })
    }

    fn fields(
        &mut self,
        parent: &str,
        v: &View<'_>,
        pointer: &str,
        strip: Option<&str>,
        out: &mut Vec<Field>,
        scope: &mut Scope,
    ) -> Result<(), Error> {
        for (wire, prop) in &v.properties {
            if Some(wire.as_str()) == strip {
                continue;
            }
            if out.iter().any(|f: &Field| &f.wire_name == *wire) {
                continue; // allOf parts may repeat a property; the first one wins
            }
            let ptr = pointer_join(&format!("{pointer}/properties"), wire);
            let pascal = names::pascal(wire);
            let hint = if pascal.ends_with("Sid") && pascal != "Sid" {
                pascal.clone()
            } else {
                format!("{parent}{pascal}")
            };
            let lowered = self.lower_boxed(prop, &hint, &ptr)?;
            let (docs, pii) = match prop {
                ReferenceOr::Item(s) => {
                    self.warn_if_example_contradicts_type(s, &ptr);
                    (self.field_docs(s), twilio::pii(&s.schema_data.extensions))
                }
                ReferenceOr::Reference { .. } => (Docs::default(), None),
            };
            out.push(Field {
                wire_name: (*wire).clone(),
                rust_name: scope.claim(&names::snake(wire)),
                ty: lowered.ty,
                required: v.required.contains(wire),
                nullable: lowered.nullable,
                boxed: false,
                docs,
                pii,
            });
        }
        Ok(())
    }

    /// A spec whose example contradicts its own type (Front's `template_id`: `type: number`,
    /// example `"msg_777"`) is ambiguous about what the server sends. The field follows `type`,
    /// the normative part; the warning makes the contradiction visible at generation time
    /// (Prism's static mock serves such an example, and the client then fails to decode it).
    fn warn_if_example_contradicts_type(&mut self, s: &Schema, pointer: &str) {
        let v = View::of(s);
        if let (Some(example), Some(typ)) = (&v.data.example, v.typ) {
            if !example_fits_type(example, &v) {
                self.diags.warn(
                    &format!("{pointer}/example"),
                    format!("example {example} is not of the schema's type {typ:?}: the field is typed by `type`, and the example is left out of the docs"),
                );
            }
        }
    }

    fn field_docs(&self, s: &Schema) -> Docs {
        let v = View::of(s);
        let mut docs = Docs {
            title: v.data.title.clone(),
            description: v.data.description.clone(),
            notes: v.notes.clone(),
        };
        // A field whose type is a lifted `$ref` keeps its own description; constraints live on the target.
        enum_note(&mut docs, &v);
        if let Some(f) = v.format.as_deref() {
            if !matches!(
                f,
                "date-time" | "date" | "binary" | "int32" | "int64" | "float" | "double"
            ) {
                docs.notes.push(format!("Format: {}", code(f)));
            }
        }
        if let Some(d) = &v.data.default {
            docs.notes
                .push(format!("Default: {}", code(&d.to_string())));
        }
        if let Some(e) = &v.data.example {
            // An example of the wrong type would advertise a value the field cannot hold.
            if !e.is_object() && !e.is_array() && example_fits_type(e, &v) {
                docs.notes
                    .push(format!("Example: {}", code(&e.to_string())));
            }
        }
        if v.data.deprecated {
            docs.notes.push("Deprecated.".into());
        }
        if v.data.read_only {
            docs.notes.push("Read-only: set by the server.".into());
        }
        docs
    }

    fn merged_struct(
        &mut self,
        name: &str,
        v: &View<'_>,
        pointer: &str,
        strip: Option<&str>,
    ) -> Result<Struct, Error> {
        let mut fields = Vec::new();
        let mut scope = Scope::new();
        let mut required: Vec<String> = v.required.iter().map(|s| (*s).clone()).collect();
        self.fields(name, v, pointer, strip, &mut fields, &mut scope)?;
        self.merge_parts(
            name,
            v.all_of,
            &format!("{pointer}/allOf"),
            strip,
            &mut fields,
            &mut scope,
            &mut required,
            0,
        )?;
        for f in &mut fields {
            if required.contains(&f.wire_name) {
                f.required = true;
            }
        }
        Ok(Struct { fields })
    }

    #[allow(clippy::too_many_arguments)]
    fn merge_parts(
        &mut self,
        name: &str,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
        strip: Option<&str>,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
        required: &mut Vec<String>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 16 {
            return Err(self.diags.error(
                pointer,
                "allOf nested through references more than 16 deep (a cycle?)",
            ));
        }
        for (i, part) in parts.iter().enumerate() {
            let ptr = format!("{pointer}/{i}");
            let schema = match part {
                ReferenceOr::Reference { reference } => {
                    self.resolve_ref(reference, &ptr)?;
                    self.component_schema(reference)
                        .map_err(|why| self.diags.error(&ptr, why))?
                }
                ReferenceOr::Item(s) => s,
            };
            let pv = View::of(schema);
            if !pv.one_of.is_empty() || !pv.any_of.is_empty() {
                self.diags.warn(
                    &ptr,
                    "oneOf/anyOf inside allOf is not merged; only its object properties are kept",
                );
            }
            required.extend(pv.required.iter().map(|s| (*s).clone()));
            self.fields(name, &pv, &ptr, strip, fields, scope)?;
            self.merge_parts(
                name,
                pv.all_of,
                &format!("{ptr}/allOf"),
                strip,
                fields,
                scope,
                required,
                depth + 1,
            )?;
        }
        Ok(())
    }

    fn union(&mut self, name: &str, v: &View<'_>, pointer: &str) -> Result<TypeKind, Error> {
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
            let lowered = self.lower(alt, &format!("{name}Variant{}", i + 1), &ptr)?;
            let mut tags = Vec::new();
            if let (Some(d), ReferenceOr::Reference { reference }) = (&v.data.discriminator, alt) {
                tags.extend(
                    d.mapping
                        .iter()
                        .filter(|(_, target)| *target == reference)
                        .map(|(k, _)| k.clone()),
                );
                if tags.is_empty() {
                    if let Some(value) = self
                        .component_schema(reference)
                        .ok()
                        .and_then(|s| single_value(s, &d.property_name))
                    {
                        tags.push(value);
                    } else if let Some(component) = reference.strip_prefix(COMPONENT_PREFIX) {
                        tags.push(component.to_owned());
                    }
                }
            }
            let wanted = match (&tags.first(), &lowered.ty) {
                (Some(t), _) => names::pascal(t),
                (None, Ty::Named(id)) => {
                    let n = self.defs[id.0]
                        .as_ref()
                        .map(|d| d.name.clone())
                        .unwrap_or_default();
                    n.strip_prefix(name)
                        .filter(|s| !s.is_empty())
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

fn is_null_schema(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(schema) => {
            let v = View::of(schema);
            v.typ.is_none()
                && v.properties.is_empty()
                && v.one_of.is_empty()
                && v.all_of.is_empty()
                && v.any_of.is_empty()
                && v.data.nullable
                && v.items.is_none()
        }
        ReferenceOr::Reference { .. } => false,
    }
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

fn enum_note(docs: &mut Docs, v: &View<'_>) {
    if !v.enumeration.is_empty() && v.typ != Some("string") {
        let values: Vec<String> = v.enumeration.iter().map(|e| code(&e.to_string())).collect();
        docs.notes
            .push(format!("Allowed values: {}", values.join(", ")));
    }
}

/// The readable type name for a component schema name: Twilio's dotted names lose their API
/// prefix (`flex.v2.flex_user` -> `FlexUser`), Twilio's enum naming scheme is unfolded
/// (`user_enum_state_type` -> `UserState`), anything else is PascalCased.
pub fn component_type_name(name: &str) -> String {
    if let Some(n) = twilio::enum_type_name(name) {
        return n;
    }
    let last = name
        .rsplit('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(name);
    names::pascal(last)
}
