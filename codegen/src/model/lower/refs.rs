//! `$ref`s to reusable parameters, request bodies and responses: one resolver for the three
//! component maps.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, ReferenceOr};

use crate::diagnostics::{Diagnostics, Error};

/// A kind of component that operations refer to by `$ref`.
pub(super) trait Component: Sized + 'static {
    /// The component map's name, as in `#/components/<map>/...`.
    const MAP: &'static str;
    /// What one is called in messages.
    const WHAT: &'static str;
    fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for openapiv3::Parameter {
    const MAP: &'static str = "parameters";
    const WHAT: &'static str = "parameter";
    fn map(c: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &c.parameters
    }
}

impl Component for openapiv3::RequestBody {
    const MAP: &'static str = "requestBodies";
    const WHAT: &'static str = "request body";
    fn map(c: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &c.request_bodies
    }
}

impl Component for openapiv3::Response {
    const MAP: &'static str = "responses";
    const WHAT: &'static str = "response";
    fn map(c: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &c.responses
    }
}

/// The item itself, or the component its `$ref` names (one level: components referring to
/// components are not followed).
pub(super) fn resolve<'d, T: Component>(
    doc: &'d OpenAPI,
    item: &'d ReferenceOr<T>,
    pointer: &str,
    diags: &Diagnostics,
) -> Result<&'d T, Error> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok(item),
        ReferenceOr::Reference { reference } => reference,
    };
    let name = reference.strip_prefix(&format!("#/components/{}/", T::MAP));
    match name.and_then(|n| T::map(doc.components.as_ref()?).get(n)) {
        Some(ReferenceOr::Item(found)) => Ok(found),
        _ => Err(diags.error(
            pointer,
            format!(
                "dangling $ref {reference:?}: no such {} in components.{}",
                T::WHAT,
                T::MAP
            ),
        )),
    }
}
