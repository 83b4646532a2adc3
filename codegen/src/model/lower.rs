//! `openapiv3::OpenAPI` to [`Api`]: operations with resolved parameters, bodies, responses,
//! servers and auth; then the post-passes that need every type (boxing recursive fields,
//! finding paginated lists).

use std::collections::{BTreeSet, HashMap};

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    Response, SecurityScheme, StatusCode,
};

use super::names::{self, Scope};
use super::schema::SchemaLowerer;
use super::*;
use crate::diagnostics::{pointer_join, Diagnostics, Error};
use crate::emit::docs::code;
use crate::normalise::{front, twilio};

pub struct Names {
    pub crate_name: String,
    pub package_name: String,
}

pub fn lower(doc: &OpenAPI, names: Names, diags: &mut Diagnostics) -> Result<Api, Error> {
    let vendor = if twilio::is_twilio(doc) {
        Vendor::Twilio
    } else if front::is_front(doc) {
        Vendor::Front
    } else {
        Vendor::Generic
    };
    let auth = auth_kind(doc, diags);
    let mut servers: Vec<String> = doc.servers.iter().map(server_url).collect();
    if servers.is_empty() {
        diags.warn(
            "/servers",
            "no servers: the base URL must be set with ClientBuilder::base_url",
        );
        servers.push("http://localhost".into());
    }

    let mut schemas = SchemaLowerer::new(doc, diags);
    schemas.lower_components()?;

    let mut operations = Vec::new();
    let mut method_scope = Scope::new();
    // Names generated code defines on the client itself.
    for reserved in [
        "new", "builder", "from_env", "clone", "fmt", "from", "inner",
    ] {
        method_scope.reserve(reserved);
    }
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for (path, item) in &doc.paths.paths {
        let path_ptr = pointer_join("/paths", path);
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                return Err(schemas.diags.error(
                    &path_ptr,
                    format!("path item $ref {reference:?} is not supported: inline the path item"),
                ));
            }
        };
        for (method, op) in methods(item) {
            let op_ptr = pointer_join(&path_ptr, &method.as_str().to_ascii_lowercase());
            let id = match &op.operation_id {
                Some(id) if !id.trim().is_empty() => id.clone(),
                // No operationId: name it from method and path (`get /users/{id}` -> `get_users_id`).
                _ => format!("{}{}", method.as_str().to_ascii_lowercase(), path),
            };
            if let Some(first) = seen_ids.insert(id.clone(), op_ptr.clone()) {
                return Err(schemas.diags.error(
                    &format!("{op_ptr}/operationId"),
                    format!("duplicate operationId {id:?} (first used at #{first})"),
                ));
            }
            let lowered = lower_operation(
                &mut schemas,
                doc,
                &mut servers,
                path,
                item,
                method,
                op,
                &id,
                &op_ptr,
                &mut method_scope,
            )?;
            operations.push(lowered);
        }
    }

    let maturity_levels = twilio::maturity_levels(&doc.extensions);
    let api_standards = twilio::api_standards(&doc.info.extensions);
    let SchemaLowerer { defs, sids, .. } = schemas;
    let mut types: Vec<TypeDef> = defs
        .into_iter()
        .map(|d| d.expect("every type id is defined"))
        .collect();
    box_recursive_fields(&mut types);
    let mut api = Api {
        crate_name: names.crate_name,
        package_name: names.package_name,
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        servers,
        auth,
        vendor,
        operations,
        types,
        sids,
        maturity_levels,
        api_standards,
    };
    find_pagination(&mut api);
    Ok(api)
}

fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_owned()
}

fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
    [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

fn auth_kind(doc: &OpenAPI, diags: &mut Diagnostics) -> AuthKind {
    let Some(components) = &doc.components else {
        return AuthKind::None;
    };
    let mut kinds = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let ptr = pointer_join("/components/securitySchemes", name);
        match scheme {
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                if scheme.eq_ignore_ascii_case("basic") =>
            {
                kinds.push(AuthKind::Basic)
            }
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                if scheme.eq_ignore_ascii_case("bearer") =>
            {
                kinds.push(AuthKind::Bearer)
            }
            ReferenceOr::Item(SecurityScheme::OAuth2 { .. })
            | ReferenceOr::Item(SecurityScheme::OpenIDConnect { .. }) => {
                diags.warn(&ptr, "OAuth2/OpenID Connect: the SDK sends the access token you obtain as a bearer token");
                kinds.push(AuthKind::Bearer);
            }
            _ => diags.warn(
                &ptr,
                "unsupported security scheme: requests are sent without it",
            ),
        }
    }
    kinds.dedup();
    if kinds.len() > 1 {
        diags.warn(
            "/components/securitySchemes",
            "several security schemes: the first one is used",
        );
    }
    kinds.first().copied().unwrap_or(AuthKind::None)
}

#[allow(clippy::too_many_arguments)]
fn lower_operation(
    schemas: &mut SchemaLowerer<'_>,
    doc: &OpenAPI,
    servers: &mut Vec<String>,
    path: &str,
    item: &PathItem,
    method: Method,
    op: &openapiv3::Operation,
    id: &str,
    op_ptr: &str,
    method_scope: &mut Scope,
) -> Result<Operation, Error> {
    let pascal_id = names::pascal(id);
    let method_name = method_scope.claim(&names::snake(id));
    let builder_name = names::pascal(method_name.trim_start_matches("r#"));

    // Per-operation servers beat per-path servers, which beat the spec's.
    let server_list = if !op.servers.is_empty() {
        &op.servers
    } else {
        &item.servers
    };
    let server = match server_list.first() {
        Some(s) => {
            let url = server_url(s);
            match servers.iter().position(|u| *u == url) {
                Some(i) => i,
                None => {
                    servers.push(url);
                    servers.len() - 1
                }
            }
        }
        None => 0,
    };

    // Parameters: operation-level ones override path-level ones with the same name and place.
    let mut raw: Vec<(Parameter, String)> = Vec::new();
    for (list, base) in [
        (
            &item.parameters,
            pointer_join(&pointer_join("/paths", path), "parameters"),
        ),
        (&op.parameters, format!("{op_ptr}/parameters")),
    ] {
        for (i, p) in list.iter().enumerate() {
            let ptr = format!("{base}/{i}");
            let param = resolve_parameter(doc, p, &ptr, schemas.diags)?;
            let data = param.parameter_data_ref();
            raw.retain(|(q, _)| {
                !(q.parameter_data_ref().name == data.name
                    && std::mem::discriminant(q) == std::mem::discriminant(&param))
            });
            raw.push((param, ptr));
        }
    }
    let template_names: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .collect();
    let mut params = Vec::new();
    let mut local = Scope::new();
    for reserved in ["client", "limit", "send", "stream", "request", "body"] {
        local.reserve(reserved);
    }
    for (param, ptr) in &raw {
        let (location, data) = match param {
            Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
            Parameter::Query { parameter_data, .. } => (ParamLocation::Query, parameter_data),
            Parameter::Header { parameter_data, .. } => (ParamLocation::Header, parameter_data),
            Parameter::Cookie { parameter_data, .. } => {
                schemas.diags.warn(
                    ptr,
                    format!(
                        "cookie parameter {:?} is not supported and is never sent",
                        parameter_data.name
                    ),
                );
                continue;
            }
        };
        if location == ParamLocation::Path && !template_names.contains(&data.name.as_str()) {
            return Err(schemas.diags.error(
                ptr,
                format!(
                    "path parameter {:?} does not appear in the path template {path:?}",
                    data.name
                ),
            ));
        }
        let hint = names::pascal(&data.name);
        let hint = if hint.ends_with("Sid") && hint != "Sid" {
            hint
        } else {
            format!("{pascal_id}{hint}")
        };
        let lowered = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                schemas.lower(s, &hint, &format!("{ptr}/schema"))?
            }
            ParameterSchemaOrContent::Content(_) => {
                schemas.diags.warn(
                    ptr,
                    "a parameter described by `content` is sent as a string",
                );
                schema::Lowered {
                    ty: Ty::String,
                    nullable: false,
                }
            }
        };
        let mut docs = Docs {
            title: None,
            description: data.description.clone(),
            notes: Vec::new(),
        };
        if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) = &data.format {
            if let Some(d) = &s.schema_data.default {
                docs.notes
                    .push(format!("Default: {}", code(&d.to_string())));
            }
        }
        if data.deprecated == Some(true) {
            docs.notes.push("Deprecated.".into());
        }
        params.push(Param {
            wire_name: data.name.clone(),
            rust_name: local.claim(&names::snake(&data.name)),
            location,
            required: data.required || location == ParamLocation::Path,
            ty: lowered.ty,
            docs,
        });
    }
    for name in &template_names {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire_name == *name)
        {
            return Err(schemas.diags.error(&format!("{op_ptr}/parameters"), format!("path template {path:?} has {{{name}}} but no path parameter {name:?} is declared")));
        }
    }

    let body = match &op.request_body {
        Some(rb) => lower_body(
            schemas,
            doc,
            rb,
            &format!("{op_ptr}/requestBody"),
            &pascal_id,
            &mut local,
        )?,
        None => None,
    };

    let (success, responses) = lower_responses(schemas, doc, op, op_ptr, &pascal_id)?;

    Ok(Operation {
        id: id.to_owned(),
        method_name,
        builder_name,
        method,
        path: path.to_owned(),
        server,
        summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
        description: op.description.clone().filter(|s| !s.trim().is_empty()),
        deprecated: op.deprecated,
        params,
        body,
        success,
        responses,
        maturity: twilio::maturity(&op.extensions),
        scopes: front::required_scopes(&op.extensions),
        pagination: None,
        twilio: twilio::resource(&item.extensions),
        tags: op.tags.clone(),
        pointer: op_ptr.to_owned(),
    })
}

fn resolve_parameter(
    doc: &OpenAPI,
    p: &ReferenceOr<Parameter>,
    ptr: &str,
    diags: &Diagnostics,
) -> Result<Parameter, Error> {
    match p {
        ReferenceOr::Item(p) => Ok(p.clone()),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/");
            match name.and_then(|n| doc.components.as_ref()?.parameters.get(n)) {
                Some(ReferenceOr::Item(p)) => Ok(p.clone()),
                _ => Err(diags.error(
                    ptr,
                    format!(
                        "dangling $ref {reference:?}: no such parameter in components.parameters"
                    ),
                )),
            }
        }
    }
}

fn resolve_request_body<'d>(
    doc: &'d OpenAPI,
    rb: &'d ReferenceOr<RequestBody>,
    ptr: &str,
    diags: &Diagnostics,
) -> Result<&'d RequestBody, Error> {
    match rb {
        ReferenceOr::Item(b) => Ok(b),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/");
            match name.and_then(|n| doc.components.as_ref()?.request_bodies.get(n)) {
                Some(ReferenceOr::Item(b)) => Ok(b),
                _ => Err(diags.error(ptr, format!("dangling $ref {reference:?}: no such request body in components.requestBodies"))),
            }
        }
    }
}

fn resolve_response<'d>(
    doc: &'d OpenAPI,
    r: &'d ReferenceOr<Response>,
    ptr: &str,
    diags: &Diagnostics,
) -> Result<&'d Response, Error> {
    match r {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/");
            match name.and_then(|n| doc.components.as_ref()?.responses.get(n)) {
                Some(ReferenceOr::Item(r)) => Ok(r),
                _ => Err(diags.error(
                    ptr,
                    format!(
                        "dangling $ref {reference:?}: no such response in components.responses"
                    ),
                )),
            }
        }
    }
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "text/json"
}

/// Picks the request encoding: JSON first, then form, then multipart.
fn pick_body(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(BodyEncoding, &String, &MediaType)> {
    let find = |pred: &dyn Fn(&str) -> bool| content.iter().find(|(k, _)| pred(k));
    if let Some((k, m)) = find(&|k| is_json(k)) {
        return Some((BodyEncoding::Json, k, m));
    }
    if let Some((k, m)) = find(&|k| k.starts_with("application/x-www-form-urlencoded")) {
        return Some((BodyEncoding::Form, k, m));
    }
    if let Some((k, m)) = find(&|k| k.starts_with("multipart/form-data")) {
        return Some((BodyEncoding::Multipart, k, m));
    }
    None
}

fn lower_body(
    schemas: &mut SchemaLowerer<'_>,
    doc: &OpenAPI,
    rb: &ReferenceOr<RequestBody>,
    ptr: &str,
    pascal_id: &str,
    local: &mut Scope,
) -> Result<Option<Body>, Error> {
    let rb = resolve_request_body(doc, rb, ptr, schemas.diags)?;
    if rb.content.is_empty() {
        return Ok(None);
    }
    let Some((encoding, media_type, media)) = pick_body(&rb.content) else {
        let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
        return Err(schemas.diags.error(
            &format!("{ptr}/content"),
            format!("unsupported request content type(s) {}: supported are application/json (and +json), application/x-www-form-urlencoded and multipart/form-data", types.join(", ")),
        ));
    };
    let media_ptr = pointer_join(&format!("{ptr}/content"), media_type);
    let ty = match &media.schema {
        Some(s) => {
            schemas
                .lower(
                    s,
                    &format!("{pascal_id}Request"),
                    &format!("{media_ptr}/schema"),
                )?
                .ty
        }
        None => Ty::Any,
    };
    let flattened = match &ty {
        Ty::Named(id) => match &schemas.defs[id.0].as_ref().map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => Some(FlatBody {
                type_id: *id,
                fields: s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (i, local.claim(&f.rust_name)))
                    .collect(),
            }),
            _ => None,
        },
        _ => None,
    };
    if encoding == BodyEncoding::Multipart && flattened.is_none() {
        return Err(schemas.diags.error(
            &media_ptr,
            "a multipart body must be an object schema (its properties become the parts)",
        ));
    }
    Ok(Some(Body {
        encoding,
        media_type: media_type.clone(),
        ty,
        required: rb.required,
        description: rb.description.clone(),
        flattened,
    }))
}

fn lower_responses(
    schemas: &mut SchemaLowerer<'_>,
    doc: &OpenAPI,
    op: &openapiv3::Operation,
    op_ptr: &str,
    pascal_id: &str,
) -> Result<(Success, Vec<(String, String)>), Error> {
    let mut docs = Vec::new();
    let mut success: Vec<(u16, Option<Ty>)> = Vec::new();
    let mut entries: Vec<(String, &ReferenceOr<Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| (status_text(code), r))
        .collect();
    if let Some(d) = &op.responses.default {
        entries.push(("default".into(), d));
    }
    let twoxx = entries.iter().filter(|(c, _)| c.starts_with('2')).count();
    for (code, r) in entries {
        let ptr = pointer_join(&format!("{op_ptr}/responses"), &code);
        let response = resolve_response(doc, r, &ptr, schemas.diags)?;
        docs.push((code.clone(), response.description.clone()));
        if !code.starts_with('2') {
            continue;
        }
        let status = code.replace('X', "0").parse::<u16>().unwrap_or(200);
        let json = response.content.iter().find(|(k, _)| is_json(k));
        let ty = match json {
            Some((media_type, media)) => match &media.schema {
                Some(s) => {
                    let hint = if twoxx > 1 {
                        format!("{pascal_id}Response{code}")
                    } else {
                        format!("{pascal_id}Response")
                    };
                    Some(
                        schemas
                            .lower(
                                s,
                                &hint,
                                &format!(
                                    "{}/schema",
                                    pointer_join(&format!("{ptr}/content"), media_type)
                                ),
                            )?
                            .ty,
                    )
                }
                None => Some(Ty::Any),
            },
            None => {
                if !response.content.is_empty() {
                    schemas.diags.warn(
                        &format!("{ptr}/content"),
                        "a non-JSON success body is not decoded; send() returns ()",
                    );
                }
                None
            }
        };
        success.push((status, ty));
    }
    let typed: BTreeSet<&Ty> = success.iter().filter_map(|(_, t)| t.as_ref()).collect();
    let result = match typed.len() {
        0 => Success::Empty,
        1 => Success::Json((*typed.iter().next().expect("one")).clone()),
        _ => {
            schemas.diags.warn(
                &format!("{op_ptr}/responses"),
                "2xx responses with different body types: send() returns the first one's type",
            );
            Success::Json(success.iter().find_map(|(_, t)| t.clone()).expect("typed"))
        }
    };
    Ok((result, docs))
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

/// Boxes struct fields that lead back to their own struct without passing through a `Vec` or
/// map (which already allocate), so recursive schemas have a finite size.
fn box_recursive_fields(types: &mut [TypeDef]) {
    fn direct_targets(ty: &Ty, out: &mut Vec<usize>) {
        if let Ty::Named(id) = ty {
            out.push(id.0);
        }
    }
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            match &t.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .for_each(|f| direct_targets(&f.ty, &mut out)),
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .for_each(|v| direct_targets(&v.ty, &mut out)),
                TypeKind::Alias(ty) => direct_targets(ty, &mut out),
                TypeKind::Enum(_) => {}
            }
            out
        })
        .collect();
    // A field from struct `i` to type `t` leads back to `i` exactly when both are in the same
    // strongly connected component: one linear pass, instead of a search per field (which is
    // quadratic on a spec with thousands of mutually referring types).
    let component = strongly_connected_components(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                f.boxed = matches!(f.ty, Ty::Named(id) if component[id.0] == component[i]);
            }
        }
    }
}

/// The component of each node of a directed graph (Kosaraju's algorithm, iterative so that
/// long reference chains cannot overflow the stack).
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    // 1. Nodes in order of finishing a depth-first search.
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0)];
        while let Some((node, next_edge)) = stack.last_mut() {
            if let Some(&to) = edges[*node].get(*next_edge) {
                *next_edge += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    // 2. Search the reversed graph in reverse finishing order: each search is one component.
    let mut reversed = vec![Vec::new(); n];
    for (from, tos) in edges.iter().enumerate() {
        for &to in tos {
            reversed[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &from in &reversed[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

/// A list operation returns a page: Twilio's `{<items>: [...], meta: {next_page_url, key}}`,
/// or the older `{<items>: [...], next_page_uri}`.
fn find_pagination(api: &mut Api) {
    for op in &mut api.operations {
        if op.method != Method::Get {
            continue;
        }
        let Success::Json(Ty::Named(page)) = &op.success else {
            continue;
        };
        let TypeKind::Struct(s) = &api.types[page.0].kind else {
            continue;
        };
        let arrays: Vec<usize> = s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.ty, Ty::Vec(_)))
            .map(|(i, _)| i)
            .collect();
        let [items_field] = arrays.as_slice() else {
            continue;
        };
        let item_ty = match &s.fields[*items_field].ty {
            Ty::Vec(t) => (**t).clone(),
            _ => continue,
        };
        let next = s.fields.iter().enumerate().find_map(|(i, f)| {
            if f.wire_name == "next_page_uri" && f.ty == Ty::String {
                return Some(NextPage::TopLevelUri { field: i });
            }
            if f.wire_name != "meta" {
                return None;
            }
            let Ty::Named(meta) = f.ty else { return None };
            let TypeKind::Struct(m) = &api.types[meta.0].kind else {
                return None;
            };
            let has_key = m.fields.iter().any(|g| g.wire_name == "key");
            let url = m
                .fields
                .iter()
                .position(|g| g.wire_name == "next_page_url" && g.ty == Ty::String)?;
            has_key.then_some(NextPage::MetaUrl {
                meta_field: i,
                meta_type: meta,
                url_field: url,
            })
        });
        let Some(next) = next else { continue };
        let page_size_param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == "PageSize")
            .map(|p| p.rust_name.clone());
        op.pagination = Some(Pagination {
            page_type: *page,
            items_field: *items_field,
            item_ty,
            next,
            page_size_param,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components;

    #[test]
    fn components_group_cycles_and_nothing_else() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 leads into it; 4 refers to itself; 5 is alone.
        let c =
            strongly_connected_components(&[vec![1], vec![2], vec![0], vec![0], vec![4], vec![]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[5] != c[4] && c[5] != c[3]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = strongly_connected_components(&edges);
        assert!(c.iter().all(|&x| x == c[0]), "one big cycle");
    }
}
