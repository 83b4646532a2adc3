//! Struct fields: an object's properties, and `allOf` parts merged into one struct (the union
//! of their properties and of their `required` lists; the first part to name a property wins).

use openapiv3::{ReferenceOr, Schema};

use super::view::View;
use super::SchemaLowerer;
use crate::diagnostics::{pointer_join, Error};
use crate::model::names::{self, Scope};
use crate::model::{Docs, Fact, Field, Struct};

/// Deeper `allOf` chains than this are refused: only a cycle through references gets there.
const MAX_ALL_OF_DEPTH: usize = 16;

/// The fields of one struct, gathered from a schema and its `allOf` parts.
struct Gathered<'n> {
    /// The struct's name, which inline property types are named after.
    name: &'n str,
    /// A discriminator property the enclosing union writes instead.
    strip: Option<&'n str>,
    fields: Vec<Field>,
    /// Every `required` list met, merged.
    required: Vec<String>,
}

impl<'n> Gathered<'n> {
    fn new(name: &'n str, strip: Option<&'n str>, v: &View<'_>) -> Self {
        Gathered {
            name,
            strip,
            fields: Vec::new(),
            required: v.required.iter().map(|s| (*s).clone()).collect(),
        }
    }

    fn finish(mut self) -> Struct {
        for f in &mut self.fields {
            if self.required.contains(&f.wire_name) {
                f.required = true;
            }
        }
        // Names are claimed by wire name, not property order, so that moving a property never
        // renames another whose snake_case name collides with it. A wire name that already is
        // its Rust name (`foo_bar`, or `self` as `self_`) claims first and keeps it.
        let mut scope = Scope::new();
        let mut wanted: Vec<(bool, String, &mut Field)> = self
            .fields
            .iter_mut()
            .map(|f| {
                let rust = names::snake(&f.wire_name);
                let bare = rust.trim_start_matches("r#").trim_end_matches('_');
                (bare != f.wire_name, rust, f)
            })
            .collect();
        wanted.sort_by(|(x, _, a), (y, _, b)| (x, &a.wire_name).cmp(&(y, &b.wire_name)));
        for (_, rust, f) in wanted {
            f.rust_name = scope.claim(&rust);
        }
        Struct {
            fields: self.fields,
        }
    }
}

impl SchemaLowerer<'_> {
    /// The struct of an object schema with properties.
    pub(super) fn plain_struct(
        &mut self,
        name: &str,
        v: &View<'_>,
        pointer: &str,
        strip: Option<&str>,
    ) -> Result<Struct, Error> {
        let mut gathered = Gathered::new(name, strip, v);
        self.gather_properties(&mut gathered, v, pointer)?;
        Ok(gathered.finish())
    }

    /// The struct of a schema with `allOf` parts.
    pub(super) fn merged_struct(
        &mut self,
        name: &str,
        v: &View<'_>,
        pointer: &str,
        strip: Option<&str>,
    ) -> Result<Struct, Error> {
        let mut gathered = Gathered::new(name, strip, v);
        self.gather_properties(&mut gathered, v, pointer)?;
        self.gather_parts(&mut gathered, v.all_of, &format!("{pointer}/allOf"), 0)?;
        Ok(gathered.finish())
    }

    fn gather_parts(
        &mut self,
        into: &mut Gathered<'_>,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_ALL_OF_DEPTH {
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
            into.required
                .extend(pv.required.iter().map(|s| (*s).clone()));
            self.gather_properties(into, &pv, &ptr)?;
            self.gather_parts(into, pv.all_of, &format!("{ptr}/allOf"), depth + 1)?;
        }
        Ok(())
    }

    fn gather_properties(
        &mut self,
        into: &mut Gathered<'_>,
        v: &View<'_>,
        pointer: &str,
    ) -> Result<(), Error> {
        for (wire, prop) in &v.properties {
            if Some(wire.as_str()) == into.strip {
                continue;
            }
            if into.fields.iter().any(|f| &f.wire_name == *wire) {
                continue; // allOf parts may repeat a property; the first one wins
            }
            let ptr = pointer_join(&format!("{pointer}/properties"), wire);
            let hint = super::naming::field_type_hint(into.name, wire);
            let lowered = self.lower_boxed(prop, &hint, &ptr)?;
            let (docs, pii, read_only, write_only) = match prop {
                ReferenceOr::Item(s) => {
                    self.warn_if_example_contradicts_type(s, &ptr);
                    let data = &s.schema_data;
                    let pii = self.vendor.pii(&data.extensions);
                    (field_docs(s), pii, data.read_only, data.write_only)
                }
                ReferenceOr::Reference { .. } => (Docs::default(), None, false, false),
            };
            into.fields.push(Field {
                wire_name: (*wire).clone(),
                // Claimed in `finish`, once every part has been read.
                rust_name: String::new(),
                ty: lowered.ty,
                required: v.required.contains(wire),
                nullable: lowered.nullable,
                boxed: false,
                docs,
                pii,
                read_only,
                write_only,
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
            if !v.fits_type(example) {
                self.diags.warn(
                    &format!("{pointer}/example"),
                    format!("example {example} is not of the schema's type {typ:?}: the field is typed by `type`, and the example is left out of the docs"),
                );
            }
        }
    }
}

/// What a property's schema says about its values. A field whose type is a lifted `$ref`
/// keeps its own description; the constraints live on the target type.
fn field_docs(s: &Schema) -> Docs {
    let v = View::of(s);
    let mut facts = super::value_limits(&v);
    if let Some(f) = v.format.as_deref() {
        // Formats that pick the Rust type say nothing the type does not.
        if !matches!(
            f,
            "date-time" | "date" | "binary" | "int32" | "int64" | "float" | "double"
        ) {
            facts.push(Fact::Format(f.to_owned()));
        }
    }
    if let Some(d) = &v.data.default {
        facts.push(Fact::Default(d.clone()));
    }
    if let Some(e) = &v.data.example {
        // An example of the wrong type would advertise a value the field cannot hold.
        if !e.is_object() && !e.is_array() && v.fits_type(e) {
            facts.push(Fact::Example(e.clone()));
        }
    }
    if v.data.deprecated {
        facts.push(Fact::Deprecated);
    }
    if v.data.read_only {
        facts.push(Fact::ReadOnly);
    }
    Docs {
        title: v.data.title.clone(),
        description: v.data.description.clone(),
        facts,
    }
}
