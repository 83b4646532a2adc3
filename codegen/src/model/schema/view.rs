//! One view over `openapiv3`'s two representations of a schema (`Type` and `Any`), so the
//! lowering rules read a schema's keywords the same way whichever it is.

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, IntegerType, NumberFormat, NumberType,
    ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::model::Fact;

pub(super) struct View<'s> {
    pub(super) data: &'s SchemaData,
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) pattern: Option<&'s str>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    pub(super) required: Vec<&'s String>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    /// Constraints on the value: pattern, lengths, bounds, item counts.
    pub(super) constraints: Vec<Fact>,
}

fn format_name<T: std::fmt::Debug>(
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
    pub(super) fn of(schema: &'s Schema) -> View<'s> {
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
            constraints: Vec::new(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => v.string(s),
            SchemaKind::Type(Type::Number(n)) => v.number(n),
            SchemaKind::Type(Type::Integer(n)) => v.integer(n),
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
                items(&mut v.constraints, a.min_items, a.max_items);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => v.any(a),
        }
        if let Some(p) = v.pattern {
            v.constraints.insert(0, Fact::Pattern(p.to_owned()));
        }
        v
    }

    fn string(&mut self, s: &'s StringType) {
        self.typ = Some("string");
        self.format = format_name(&s.format, |f| match f {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        });
        self.pattern = s.pattern.as_deref();
        self.enumeration = s
            .enumeration
            .iter()
            .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
            .collect();
        length(&mut self.constraints, s.min_length, s.max_length);
    }

    fn number(&mut self, n: &'s NumberType) {
        self.typ = Some("number");
        self.format = format_name(&n.format, |f| match f {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        });
        self.enumeration = n
            .enumeration
            .iter()
            .map(|e| e.map(Value::from).unwrap_or(Value::Null))
            .collect();
        bounds(
            &mut self.constraints,
            n.minimum.map(|m| (m.to_string(), n.exclusive_minimum)),
            n.maximum.map(|m| (m.to_string(), n.exclusive_maximum)),
        );
    }

    fn integer(&mut self, n: &'s IntegerType) {
        self.typ = Some("integer");
        self.format = format_name(&n.format, |f| match f {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        });
        self.enumeration = n
            .enumeration
            .iter()
            .map(|e| e.map(Value::from).unwrap_or(Value::Null))
            .collect();
        bounds(
            &mut self.constraints,
            n.minimum.map(|m| (m.to_string(), n.exclusive_minimum)),
            n.maximum.map(|m| (m.to_string(), n.exclusive_maximum)),
        );
    }

    /// A schema `openapiv3` could not give one type (no `type`, or keywords of several): every
    /// keyword is read as it stands.
    fn any(&mut self, a: &'s AnySchema) {
        self.typ = a.typ.as_deref();
        self.format = a.format.clone();
        self.pattern = a.pattern.as_deref();
        self.enumeration = a.enumeration.clone();
        self.properties = a.properties.iter().collect();
        self.required = a.required.iter().collect();
        self.additional = a.additional_properties.as_ref();
        self.items = a.items.as_ref();
        self.one_of = &a.one_of;
        self.all_of = &a.all_of;
        self.any_of = &a.any_of;
        let c = &mut self.constraints;
        length(c, a.min_length, a.max_length);
        bounds(
            c,
            a.minimum
                .map(|m| (m.to_string(), a.exclusive_minimum.unwrap_or(false))),
            a.maximum
                .map(|m| (m.to_string(), a.exclusive_maximum.unwrap_or(false))),
        );
        items(c, a.min_items, a.max_items);
    }

    pub(super) fn is_object_like(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (!self.properties.is_empty() || self.additional.is_some()))
    }

    /// Whether an example has the JSON type the schema declares (`null` fits a nullable schema).
    pub(super) fn fits_type(&self, example: &Value) -> bool {
        match (example, self.typ) {
            (Value::Null, _) => self.data.nullable,
            (_, Some("string")) => example.is_string(),
            (_, Some("integer")) => example.is_i64() || example.is_u64(),
            (_, Some("number")) => example.is_number(),
            (_, Some("boolean")) => example.is_boolean(),
            (_, Some("array")) => example.is_array(),
            (_, Some("object")) => example.is_object(),
            _ => true,
        }
    }

    /// The allowed values of an enum that is not a string enum (those become Rust enums).
    pub(super) fn allowed_values(&self) -> Option<Fact> {
        (!self.enumeration.is_empty() && self.typ != Some("string"))
            .then(|| Fact::AllowedValues(self.enumeration.clone()))
    }

    /// Whether the schema allows nothing but `null`.
    pub(super) fn is_null_only(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_empty()
            && self.one_of.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
            && self.data.nullable
            && self.items.is_none()
    }
}

fn length(facts: &mut Vec<Fact>, min: Option<usize>, max: Option<usize>) {
    if min.is_some() || max.is_some() {
        facts.push(Fact::Length { min, max });
    }
}

fn bounds(facts: &mut Vec<Fact>, min: Option<(String, bool)>, max: Option<(String, bool)>) {
    if let Some((value, exclusive)) = min {
        facts.push(Fact::Minimum { value, exclusive });
    }
    if let Some((value, exclusive)) = max {
        facts.push(Fact::Maximum { value, exclusive });
    }
}

fn items(facts: &mut Vec<Fact>, min: Option<usize>, max: Option<usize>) {
    facts.extend(min.map(Fact::MinItems));
    facts.extend(max.map(Fact::MaxItems));
}
