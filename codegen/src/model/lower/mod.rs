//! `openapiv3::OpenAPI` to [`Api`]: the spec's servers and auth, every operation (one module
//! per part of it), then the passes that need every type (boxing recursive fields, finding
//! paginated lists).

mod body;
mod operation;
mod refs;
mod responses;
mod signature;
mod webhooks;

use std::collections::HashMap;

use openapiv3::{OpenAPI, PathItem, ReferenceOr, SecurityScheme};

use super::names::Scope;
use super::schema::SchemaLowerer;
use super::{Api, AuthKind, ClientFacts, License, Method, Operation, Success, TypeDef};
use crate::diagnostics::{pointer_join, Diagnostics, Error};
use crate::extensions::Conventions;

/// The names of the crate being generated.
pub(crate) struct Names {
    pub(crate) crate_name: String,
    pub(crate) package_name: String,
}

/// Names generated code defines on the client itself.
const CLIENT_METHODS: &[&str] = &[
    "new", "builder", "from_env", "clone", "fmt", "from", "inner",
];

/// Shared state while lowering one document.
struct Lowering<'a> {
    doc: &'a OpenAPI,
    vendor: Conventions,
    schemas: SchemaLowerer<'a>,
    servers: Vec<String>,
    /// Method names already used on `Client`.
    methods: Scope,
}

pub(crate) fn lower(doc: &OpenAPI, names: Names, diags: &mut Diagnostics) -> Result<Api, Error> {
    let vendor = Conventions::of(doc);
    let auth = auth_kind(doc, diags);
    let servers = servers(doc, diags);
    let mut methods = Scope::new();
    for reserved in CLIENT_METHODS {
        methods.reserve(reserved);
    }
    let mut cx = Lowering {
        doc,
        vendor,
        schemas: SchemaLowerer::new(doc, vendor, diags),
        servers,
        methods,
    };
    cx.schemas.lower_components()?;
    let mut operations = cx.operations()?;
    name_input_structs(&mut operations);
    let webhooks = cx.webhooks(&operations)?;
    cx.schemas.assign_names();
    let facts = vendor.api_facts(doc);
    let Lowering {
        schemas, servers, ..
    } = cx;
    let sids = schemas.sids;
    let mut types: Vec<TypeDef> = schemas
        .defs
        .into_iter()
        .map(|d| d.expect("every type id is defined"))
        .collect();
    super::recursion::box_recursive_fields(&mut types, &mut operations);
    let shapes: Vec<_> = vendor.page_shapes().collect();
    super::pagination::find(&mut operations, &types, &shapes);
    Ok(Api {
        client: ClientFacts {
            vendor: vendor.vendor_name(),
            conventions: vendor.client(&names.crate_name),
        },
        crate_name: names.crate_name,
        package_name: names.package_name,
        product: vendor.product_name(&doc.info.title),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        info_version: vendor.info_version(),
        license: doc.info.license.as_ref().map(|l| License {
            spdx: spdx(&l.name),
            name: l.name.clone(),
        }),
        homepage: homepage(doc),
        servers,
        auth,
        operations,
        webhooks,
        types,
        sids,
        maturity_levels: facts.maturity_levels,
        api_standards: facts.api_standards,
    })
}

/// The spec's servers; a spec without any gets `http://localhost` (and a warning if it has
/// operations, whose callers must then set the base URL).
fn servers(doc: &OpenAPI, diags: &mut Diagnostics) -> Vec<String> {
    let mut servers: Vec<String> = doc.servers.iter().map(server_url).collect();
    // A spec of webhooks alone is never called, so it needs no server.
    if servers.is_empty() {
        if !doc.paths.paths.is_empty() {
            diags.warn(
                "/servers",
                "no servers: the base URL must be set with ClientBuilder::base_url",
            );
        }
        servers.push("http://localhost".into());
    }
    servers
}

/// Where to read about the API: `externalDocs.url`, else `info.contact.url`, if a web URL.
fn homepage(doc: &OpenAPI) -> Option<String> {
    doc.external_docs
        .as_ref()
        .map(|d| d.url.clone())
        .or_else(|| doc.info.contact.as_ref()?.url.clone())
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// Groups required inputs into a struct where positional ones could be swapped (see
/// `signature`), and names those structs and the by-status response enums once every
/// builder's name is known, so that none of them takes a builder's name.
fn name_input_structs(operations: &mut [Operation]) {
    let mut struct_names = Scope::new();
    for op in operations.iter() {
        struct_names.reserve(&op.builder_name);
    }
    for op in operations {
        signature::group_required(op, &mut struct_names);
        if let Success::ByStatus { name, .. } = &mut op.success {
            *name = struct_names.claim(&format!("{}Response", op.builder_name));
        }
    }
}

impl Lowering<'_> {
    /// Every operation, in the spec's order of paths and methods. An operation without an
    /// `operationId` is named from its method and path; a duplicate id is an error.
    fn operations(&mut self) -> Result<Vec<Operation>, Error> {
        let doc = self.doc;
        let mut operations = Vec::new();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        for (path, item) in &doc.paths.paths {
            let path_ptr = pointer_join("/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    return Err(self.schemas.diags.error(
                        &path_ptr,
                        format!(
                            "path item $ref {reference:?} is not supported: inline the path item"
                        ),
                    ));
                }
            };
            for (method, op) in methods_of(item) {
                let op_ptr = pointer_join(&path_ptr, &method.as_str().to_ascii_lowercase());
                crate::guard::at(&op_ptr);
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    // No operationId: name it from method and path (`get /users/{id}` -> `get_users_id`).
                    _ => format!("{}{}", method.as_str().to_ascii_lowercase(), path),
                };
                if let Some(first) = seen_ids.insert(id.clone(), op_ptr.clone()) {
                    return Err(self.schemas.diags.error(
                        &format!("{op_ptr}/operationId"),
                        format!("duplicate operationId {id:?} (first used at #{first})"),
                    ));
                }
                let place = operation::Place {
                    path,
                    item,
                    method,
                    op,
                    id: &id,
                    pointer: &op_ptr,
                };
                operations.push(self.operation(&place)?);
            }
        }
        Ok(operations)
    }
}

/// A server's URL with its variables at their defaults, without a trailing slash.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_owned()
}

fn methods_of(item: &PathItem) -> impl Iterator<Item = (Method, &openapiv3::Operation)> {
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

/// The SPDX identifier of a license a spec names in words (`Apache 2.0` is `Apache-2.0`).
fn spdx(name: &str) -> Option<String> {
    let key: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let id = match key.as_str() {
        "apache2.0" | "apache20" | "apachelicense2.0" | "apachelicenseversion2.0" | "apache2" => {
            "Apache-2.0"
        }
        "mit" | "mitlicense" => "MIT",
        "bsd3clause" | "bsd3" => "BSD-3-Clause",
        "bsd2clause" | "bsd2" => "BSD-2-Clause",
        "mpl2.0" | "mozillapubliclicense2.0" => "MPL-2.0",
        "isc" => "ISC",
        "unlicense" => "Unlicense",
        "cc01.0" | "cc0" => "CC0-1.0",
        _ => return None,
    };
    Some(id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::spdx;

    #[test]
    fn license_names_map_to_spdx() {
        assert_eq!(spdx("Apache 2.0").as_deref(), Some("Apache-2.0"));
        assert_eq!(spdx("MIT").as_deref(), Some("MIT"));
        assert_eq!(spdx("Proprietary"), None);
    }
}
