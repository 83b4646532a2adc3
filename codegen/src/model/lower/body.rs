//! Request bodies: the encoding (JSON, form, multipart, text or raw bytes) and how the builder
//! takes the body, field by field when it is an object with properties, whole otherwise.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, RequestBody, SchemaKind, Type};

use super::{refs, Lowering};
use crate::diagnostics::{pointer_join, Error};
use crate::model::names::Scope;
use crate::model::{
    Body, BodyEncoding, BodyPart, Docs, Fact, Field, Input, InputSource, ParamLocation, PartKind,
    Serialisation, Ty,
};
use serde_json::Value;

impl Lowering<'_> {
    /// The body, with its inputs appended to `inputs`.
    pub(super) fn body(
        &mut self,
        rb: &ReferenceOr<RequestBody>,
        pointer: &str,
        pascal_id: &str,
        scope: &mut Scope,
        inputs: &mut Vec<Input>,
    ) -> Result<Option<Body>, Error> {
        let rb = refs::resolve(self.doc, rb, pointer, self.schemas.diags)?;
        if rb.content.is_empty() {
            return Ok(None);
        }
        let Some((encoding, media_type, media)) = pick_encoding(&rb.content) else {
            return Ok(None);
        };
        if matches!(encoding, BodyEncoding::Text | BodyEncoding::Bytes) {
            return Ok(Some(self.raw_body(rb, encoding, media_type, scope, inputs)));
        }
        let media_ptr = pointer_join(&format!("{pointer}/content"), media_type);
        let ty = match &media.schema {
            Some(s) => {
                let hint = format!("{pascal_id}Request");
                self.schemas
                    .lower(s, &hint, &format!("{media_ptr}/schema"))?
                    .ty
            }
            None => Ty::Any,
        };
        let flat = match &ty {
            Ty::Named(id) => self.schemas.struct_def(*id).map(|s| (*id, s)),
            _ => None,
        };
        let example = media.example.clone().or_else(|| {
            media
                .examples
                .values()
                .find_map(|e| e.as_item()?.value.clone())
        });
        let mut parts = match flat {
            Some((_, s)) => field_inputs(&s.fields, example.as_ref(), scope, inputs),
            None if encoding == BodyEncoding::Multipart => {
                return Err(self.schemas.diags.error(
                    &media_ptr,
                    "a multipart body must be an object schema (its properties become the parts)",
                ));
            }
            None => {
                inputs.push(whole_body(
                    "body".into(),
                    ty.clone(),
                    rb,
                    rb.description.clone(),
                    example,
                ));
                Vec::new()
            }
        };
        if encoding != BodyEncoding::Multipart {
            parts.clear();
        }
        Ok(Some(Body {
            encoding,
            media_type: media_type.clone(),
            flattened: flat.map(|(id, _)| id),
            ty,
            required: rb.required,
            parts,
        }))
    }
}

/// A flattened body's fields as builder inputs (appended to `inputs`, examples from the
/// body's example or the field's facts), and as the parts a multipart body would send.
fn field_inputs(
    fields: &[Field],
    example: Option<&Value>,
    scope: &mut Scope,
    inputs: &mut Vec<Input>,
) -> Vec<BodyPart> {
    let mut parts = Vec::new();
    for f in fields {
        inputs.push(Input {
            name: scope.claim(&f.rust_name),
            wire_name: f.wire_name.clone(),
            // Boxing is decided once every type is known (model::recursion).
            source: InputSource::BodyField {
                field: f.rust_name.clone(),
                boxed: false,
            },
            serialisation: Serialisation::default_for(ParamLocation::Header),
            ty: f.ty.clone(),
            required: !f.is_option(),
            taken: super::signature::initially(!f.is_option()),
            docs: f.docs.clone(),
            pii: f.pii.clone(),
            example: example
                .and_then(|e| e.get(&f.wire_name).cloned())
                .or_else(|| fact_example(&f.docs)),
        });
        let kind = match &f.ty {
            Ty::Binary => PartKind::File,
            Ty::Vec(item) if **item == Ty::Binary => PartKind::Files,
            _ => PartKind::Text,
        };
        parts.push(BodyPart {
            field: f.rust_name.clone(),
            wire_name: f.wire_name.clone(),
            kind,
            optional: f.is_option(),
        });
    }
    parts
}

impl Lowering<'_> {
    /// A text or bytes body: taken whole, sent with its content type. When the spec accepts
    /// several such types, a `Content-Type` header input lets the caller choose.
    fn raw_body(
        &mut self,
        rb: &RequestBody,
        encoding: BodyEncoding,
        media_type: &str,
        scope: &mut Scope,
        inputs: &mut Vec<Input>,
    ) -> Body {
        let ty = match encoding {
            BodyEncoding::Text => Ty::String,
            _ => Ty::Bytes,
        };
        let example = rb
            .content
            .get(media_type)
            .and_then(|m| m.example.clone())
            .filter(Value::is_string);
        let description = match &rb.description {
            Some(d) => format!("{d}\n\nSent as `{media_type}`."),
            None => format!("Sent as `{media_type}`."),
        };
        inputs.push(whole_body(
            scope.claim("body"),
            ty.clone(),
            rb,
            Some(description),
            example,
        ));
        let others: Vec<&String> = rb
            .content
            .iter()
            .filter(|(k, m)| *k != media_type && !is_structured(k, m))
            .map(|(k, _)| k)
            .collect();
        if !others.is_empty() {
            let choices: Vec<String> = std::iter::once(media_type)
                .chain(others.iter().map(|s| s.as_str()))
                .map(|t| format!("`{t}`"))
                .collect();
            inputs.push(Input {
                name: scope.claim("content_type"),
                wire_name: "Content-Type".into(),
                source: InputSource::Param(ParamLocation::Header),
                serialisation: Serialisation::default_for(ParamLocation::Header),
                ty: Ty::String,
                required: false,
                taken: super::signature::initially(false),
                docs: Docs {
                    title: None,
                    description: Some(format!(
                        "The body's content type: one of {} (the first when not set).",
                        choices.join(", ")
                    )),
                    facts: Vec::new(),
                },
                pii: None,
                example: None,
            });
        }
        Body {
            encoding,
            media_type: media_type.to_owned(),
            flattened: None,
            ty,
            required: rb.required,
            parts: Vec::new(),
        }
    }
}

/// The input that takes the whole body.
fn whole_body(
    name: String,
    ty: Ty,
    rb: &RequestBody,
    description: Option<String>,
    example: Option<Value>,
) -> Input {
    Input {
        name,
        wire_name: String::new(),
        source: InputSource::Body,
        serialisation: Serialisation::default_for(ParamLocation::Header),
        ty,
        required: rb.required,
        taken: super::signature::initially(rb.required),
        docs: Docs {
            title: None,
            description,
            facts: Vec::new(),
        },
        pii: None,
        example,
    }
}

/// JSON, form data and multipart: bodies encoded from typed values.
fn is_structured(media: &str, m: &MediaType) -> bool {
    decodes_as_json(media, m)
        || media.starts_with("application/x-www-form-urlencoded")
        || media.starts_with("multipart/form-data")
}

/// Text taken and returned as a `String`: `text/*` and XML.
pub(super) fn is_text(media: &str) -> bool {
    let m = essence(media);
    m.starts_with("text/") || m == "application/xml" || m.ends_with("+xml")
}

/// Whether a response of this media type is a stream of server-sent events.
pub(super) fn is_event_stream(media: &str) -> bool {
    essence(media) == "text/event-stream"
}

/// `type/subtype`, lowercase, without parameters.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    let m = essence(media);
    m == "application/json" || m.ends_with("+json") || m == "text/json"
}

/// Whether a body of this media type is JSON. A wildcard (`*/*`, `application/*`) says
/// nothing of the format, so its schema decides: structured data is JSON, a string (binary,
/// say) or no schema at all is bytes.
pub(super) fn decodes_as_json(media: &str, m: &MediaType) -> bool {
    if essence(media).contains('*') {
        return match &m.schema {
            None => false,
            Some(ReferenceOr::Item(schema)) => {
                !matches!(schema.schema_kind, SchemaKind::Type(Type::String(_)))
            }
            Some(ReferenceOr::Reference { .. }) => true,
        };
    }
    is_json(media)
}

/// Picks the request encoding: JSON first, then form, then multipart, then text, then the
/// first other content type as bytes.
pub(super) fn pick_encoding(
    content: &IndexMap<String, MediaType>,
) -> Option<(BodyEncoding, &String, &MediaType)> {
    let find = |pred: &dyn Fn(&str) -> bool| content.iter().find(|(k, _)| pred(k));
    if let Some((k, m)) = content.iter().find(|(k, m)| decodes_as_json(k, m)) {
        return Some((BodyEncoding::Json, k, m));
    }
    if let Some((k, m)) = find(&|k| k.starts_with("application/x-www-form-urlencoded")) {
        return Some((BodyEncoding::Form, k, m));
    }
    if let Some((k, m)) = find(&|k| k.starts_with("multipart/form-data")) {
        return Some((BodyEncoding::Multipart, k, m));
    }
    if let Some((k, m)) = find(&is_text) {
        return Some((BodyEncoding::Text, k, m));
    }
    content
        .iter()
        .next()
        .map(|(k, m)| (BodyEncoding::Bytes, k, m))
}

/// The example, else the default, a property's docs record.
pub(super) fn fact_example(docs: &Docs) -> Option<serde_json::Value> {
    let find = |want_example: bool| {
        docs.facts.iter().find_map(|f| match f {
            Fact::Example(v) if want_example => Some(v.clone()),
            Fact::Default(v) if !want_example => Some(v.clone()),
            _ => None,
        })
    };
    find(true).or_else(|| find(false))
}
