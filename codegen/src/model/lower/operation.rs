//! One operation: its names, server, parameters and the builder inputs they become.

use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr};

use super::{refs, Lowering};
use crate::diagnostics::{pointer_join, Error};
use crate::model::names::{self, Scope};
use crate::model::schema::Lowered;
use crate::model::{
    Docs, Fact, Input, InputSource, Method, Operation, Param, ParamLocation, Serialisation, Style,
    Ty,
};

/// Methods every request builder has, which no input's setter may be named.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "send",
    "send_with_metadata",
    "request",
    "customize",
    "pages",
    "stream",
    "resume_from",
    "clone",
    "fmt",
];

/// Fields a request builder has besides its parameters, which no parameter may be named
/// (body fields are kept in the body struct, so they may).
const BUILDER_FIELDS: &[&str] = &["client", "options", "body", "resume"];

/// Where an operation is in the spec.
pub(super) struct Place<'a> {
    pub(super) path: &'a str,
    pub(super) item: &'a PathItem,
    pub(super) method: Method,
    pub(super) op: &'a openapiv3::Operation,
    pub(super) id: &'a str,
    pub(super) pointer: &'a str,
}

impl Lowering<'_> {
    pub(super) fn operation(&mut self, at: &Place<'_>) -> Result<Operation, Error> {
        let pascal_id = names::pascal(at.id);
        let method_name = self.methods.claim(&names::snake(at.id));
        let builder_name = names::pascal(method_name.trim_start_matches("r#"));
        let server = self.server_index(at);

        let mut builder_scope = Scope::new();
        for reserved in BUILDER_METHODS {
            builder_scope.reserve(reserved);
        }
        let params = self.params(at, &pascal_id, &mut builder_scope)?;
        let mut inputs: Vec<Input> = params.iter().map(param_input).collect();
        let body = match &at.op.request_body {
            Some(rb) => {
                let pointer = format!("{}/requestBody", at.pointer);
                self.body(rb, &pointer, &pascal_id, &mut builder_scope, &mut inputs)?
            }
            None => None,
        };
        let (success, events, responses) = self.responses(at, &pascal_id)?;
        let facts = self.vendor.operation_facts(at.item, at.op);

        Ok(Operation {
            id: at.id.to_owned(),
            method_name,
            builder_name,
            method: at.method,
            path: at.path.to_owned(),
            server,
            summary: at.op.summary.clone().filter(|s| !s.trim().is_empty()),
            description: at.op.description.clone().filter(|s| !s.trim().is_empty()),
            deprecated: at.op.deprecated,
            params,
            body,
            inputs,
            required_struct: None,
            success,
            events,
            responses,
            maturity: facts.maturity,
            scopes: facts.scopes,
            resource: facts.resource,
            pagination: None,
        })
    }

    /// Per-operation servers beat per-path servers, which beat the spec's.
    fn server_index(&mut self, at: &Place<'_>) -> usize {
        let list = if at.op.servers.is_empty() {
            &at.item.servers
        } else {
            &at.op.servers
        };
        let Some(server) = list.first() else {
            return 0;
        };
        let url = super::server_url(server);
        match self.servers.iter().position(|u| *u == url) {
            Some(i) => i,
            None => {
                self.servers.push(url);
                self.servers.len() - 1
            }
        }
    }

    /// Path-item and operation parameters; an operation parameter replaces a path-item one
    /// with the same name and place. Each path parameter and template name must match.
    fn params(
        &mut self,
        at: &Place<'_>,
        pascal_id: &str,
        scope: &mut Scope,
    ) -> Result<Vec<Param>, Error> {
        let template_names: Vec<&str> = at
            .path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .collect();
        let mut params = Vec::new();
        for (param, ptr) in self.declared_params(at)? {
            if let Some(param) = self.param(param, &ptr, pascal_id, scope)? {
                params.push(param);
            }
        }
        self.match_template(at, &template_names, &mut params, scope);
        Ok(params)
    }

    /// Makes the path parameters and the template's `{names}` agree, as the server matches
    /// them: by the template. Real specs disagree (Intercom declares a templated name as a
    /// query parameter), so each repair is a warning, not a failure:
    /// - a path parameter whose name differs only in case or punctuation takes the
    ///   template's spelling;
    /// - a query or header parameter of the template's name is sent in the path;
    /// - a lone unmatched path parameter fills a lone unmatched `{name}`;
    /// - a `{name}` nothing declares becomes a required string parameter;
    /// - a path parameter the template does not use is dropped: it has nowhere to go.
    fn match_template(
        &mut self,
        at: &Place<'_>,
        template_names: &[&str],
        params: &mut Vec<Param>,
        scope: &mut Scope,
    ) {
        let pointer = format!("{}/parameters", at.pointer);
        let is_path =
            |p: &Param, name: &str| p.location == ParamLocation::Path && p.wire_name == name;
        let unmatched: Vec<&str> = template_names
            .iter()
            .copied()
            .filter(|name| !params.iter().any(|p| is_path(p, name)))
            .collect();
        let stray = |params: &[Param]| -> Vec<usize> {
            (0..params.len())
                .filter(|&i| {
                    params[i].location == ParamLocation::Path
                        && !template_names.contains(&params[i].wire_name.as_str())
                })
                .collect()
        };
        for name in &unmatched {
            let strays = stray(params);
            let lone = (strays.len() == 1 && unmatched.len() == 1).then(|| strays[0]);
            let (index, how) = match declared_as(params, name, &strays, lone) {
                Some(found) => found,
                None => {
                    self.schemas.diags.warn(
                        &pointer,
                        format!("path template {:?} has {{{name}}} but no parameter declares it: it is taken as a required string", at.path),
                    );
                    params.push(Param {
                        wire_name: (*name).to_owned(),
                        rust_name: scope.claim_avoiding(&names::snake(name), BUILDER_FIELDS),
                        location: ParamLocation::Path,
                        serialisation: Serialisation::default_for(ParamLocation::Path),
                        required: true,
                        ty: Ty::String,
                        docs: Docs::default(),
                        example: None,
                    });
                    continue;
                }
            };
            let param = &mut params[index];
            self.schemas.diags.warn(
                &pointer,
                format!(
                    "parameter {:?} ({how}) is sent in the path as {{{name}}} of the template {:?}",
                    param.wire_name, at.path
                ),
            );
            param.wire_name = (*name).to_owned();
            if param.location != ParamLocation::Path {
                // A query, header or cookie style means nothing in the path.
                param.serialisation = Serialisation::default_for(ParamLocation::Path);
            }
            param.location = ParamLocation::Path;
            param.required = true;
        }
        for i in stray(params).into_iter().rev() {
            self.schemas.diags.warn(
                &pointer,
                format!(
                    "path parameter {:?} does not appear in the path template {:?}: it is dropped, as it has nowhere to go",
                    params[i].wire_name, at.path
                ),
            );
            params.remove(i);
        }
    }

    /// The parameters that apply, each with its pointer, path-item ones first.
    fn declared_params<'d>(&self, at: &Place<'d>) -> Result<Vec<(&'d Parameter, String)>, Error>
    where
        Self: 'd,
    {
        let mut declared: Vec<(&Parameter, String)> = Vec::new();
        let lists = [
            (
                &at.item.parameters,
                pointer_join(&pointer_join("/paths", at.path), "parameters"),
            ),
            (&at.op.parameters, format!("{}/parameters", at.pointer)),
        ];
        for (list, base) in lists {
            for (i, p) in list.iter().enumerate() {
                let ptr = format!("{base}/{i}");
                let param = refs::resolve(self.doc, p, &ptr, self.schemas.diags)?;
                let data = param.parameter_data_ref();
                declared.retain(|(q, _)| {
                    !(q.parameter_data_ref().name == data.name
                        && std::mem::discriminant(*q) == std::mem::discriminant(param))
                });
                declared.push((param, ptr));
            }
        }
        Ok(declared)
    }

    /// One parameter, with the style and `explode` it is written in.
    fn param(
        &mut self,
        param: &Parameter,
        ptr: &str,
        pascal_id: &str,
        scope: &mut Scope,
    ) -> Result<Option<Param>, Error> {
        let (location, data, style) = location_and_style(param);
        let serialisation = Serialisation {
            style,
            explode: data.explode.unwrap_or(style == Style::Form),
        };
        let hint = crate::model::schema::field_type_hint(pascal_id, &data.name);
        let lowered = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.schemas.lower(s, &hint, &format!("{ptr}/schema"))?
            }
            ParameterSchemaOrContent::Content(_) => {
                self.schemas.diags.warn(
                    ptr,
                    "a parameter described by `content` is sent as a string",
                );
                Lowered {
                    ty: Ty::String,
                    nullable: false,
                }
            }
        };
        Ok(Some(Param {
            example: param_example(data),
            wire_name: data.name.clone(),
            rust_name: scope.claim_avoiding(&names::snake(&data.name), BUILDER_FIELDS),
            location,
            serialisation,
            required: data.required || location == ParamLocation::Path,
            ty: lowered.ty,
            docs: param_docs(data),
        }))
    }
}

/// Where a parameter goes, its data, and its style (the location's default when not given).
fn location_and_style(param: &Parameter) -> (ParamLocation, &ParameterData, Style) {
    use openapiv3::{PathStyle, QueryStyle};
    match param {
        Parameter::Path {
            parameter_data,
            style,
        } => {
            let style = match style {
                PathStyle::Simple => Style::Simple,
                PathStyle::Label => Style::Label,
                PathStyle::Matrix => Style::Matrix,
            };
            (ParamLocation::Path, parameter_data, style)
        }
        Parameter::Query {
            parameter_data,
            style,
            ..
        } => {
            let style = match style {
                QueryStyle::Form => Style::Form,
                QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                QueryStyle::PipeDelimited => Style::PipeDelimited,
                QueryStyle::DeepObject => Style::DeepObject,
            };
            (ParamLocation::Query, parameter_data, style)
        }
        Parameter::Header { parameter_data, .. } => {
            (ParamLocation::Header, parameter_data, Style::Simple)
        }
        Parameter::Cookie { parameter_data, .. } => {
            (ParamLocation::Cookie, parameter_data, Style::Form)
        }
    }
}

/// A parameter's description, and the facts the docs list: its limits, default, deprecation.
fn param_docs(data: &ParameterData) -> Docs {
    let mut facts = Vec::new();
    if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) = &data.format {
        facts.extend(crate::model::schema::schema_limits(s));
        facts.extend(s.schema_data.default.clone().map(Fact::Default));
    }
    if data.deprecated == Some(true) {
        facts.push(Fact::Deprecated);
    }
    Docs {
        title: None,
        description: data.description.clone(),
        facts,
    }
}

/// The parameter's `example`, else the first of its `examples`, else its schema's example or
/// default.
fn param_example(data: &ParameterData) -> Option<serde_json::Value> {
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => Some(&s.schema_data),
        _ => None,
    };
    data.example
        .clone()
        .or_else(|| {
            data.examples
                .values()
                .find_map(|e| e.as_item()?.value.clone())
        })
        .or_else(|| {
            let schema = schema?;
            schema.example.clone().or_else(|| schema.default.clone())
        })
}

fn param_input(p: &Param) -> Input {
    Input {
        name: p.rust_name.clone(),
        wire_name: p.wire_name.clone(),
        source: InputSource::Param(p.location),
        serialisation: p.serialisation,
        ty: p.ty.clone(),
        required: p.required,
        taken: super::signature::initially(p.required),
        docs: p.docs.clone(),
        pii: None,
        example: p.example.clone(),
    }
}

/// Which declared parameter the template's `{name}` stands for, and how it was told apart:
/// a stray path parameter spelled differently, a query or header parameter of the name, or
/// (`lone`) the only stray path parameter when `{name}` is the only unmatched placeholder.
fn declared_as(
    params: &[Param],
    name: &str,
    strays: &[usize],
    lone: Option<usize>,
) -> Option<(usize, &'static str)> {
    let respelled = strays
        .iter()
        .copied()
        .find(|&i| loose(&params[i].wire_name) == loose(name));
    let elsewhere = params
        .iter()
        .position(|p| p.location != ParamLocation::Path && loose(&p.wire_name) == loose(name));
    match (respelled, elsewhere, lone) {
        (Some(i), _, _) => Some((i, "spelled differently")),
        (None, Some(i), _) => Some((i, "declared outside the path")),
        (None, None, Some(i)) => Some((i, "the only path parameter the template lacks")),
        (None, None, None) => None,
    }
}

/// A name without case or punctuation, to match `{flowSid}` with `flow_sid`.
fn loose(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
