//! The crate around the code: `Cargo.toml`, `README.md` and `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust;
use super::Context;
use crate::extensions::InfoVersion;
use crate::model::Api;

/// Versions of the dependencies generated code uses directly. They match the runtime's
/// (the workspace `Cargo.toml`); a test in codegen keeps them in step.
pub(crate) const DEPENDENCIES: &[(&str, &str)] = &[
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
];

/// The runtime's version requirement in generated manifests: Cargo's caret range on the
/// runtime's `major.minor` (`codegen/runtime/Cargo.toml`; a test keeps the two in step), so a
/// packaged crate resolves a compatible runtime from its registry.
pub(crate) const RUNTIME_VERSION: &str = "0.1";

/// The runtime's package name (`codegen/runtime/Cargo.toml`), which generated manifests depend
/// on; its library keeps the name `sdk_runtime`, so code and docs say `sdk_runtime::`.
pub(crate) const RUNTIME_PACKAGE: &str = "contact-centre-sdk-runtime";

/// The toolchain generated crates need: the workspace's `rust-version` (edition 2024).
pub(crate) const RUST_VERSION: &str = "1.85";

/// TLS features, forwarded to the runtime (see its `Cargo.toml`).
const FEATURES: &[(&str, &str)] = &[
    (
        "rustls",
        "TLS with rustls and bundled Mozilla roots (the default)",
    ),
    (
        "rustls-native-roots",
        "TLS with rustls and the operating system's trust store",
    ),
    (
        "native-tls",
        "TLS with the platform's library (OpenSSL on Linux)",
    ),
];

/// The webhook extractor, for crates whose vendor signs the requests it sends (see the
/// runtime's `Cargo.toml`): forwarded so that users enable it on the crate they depend on.
const AXUM_FEATURE: (&str, &str) = (
    "axum",
    "An axum extractor that hands handlers only verified webhooks (`sdk_runtime::webhook::axum`)",
);

/// Typed mocks, for the tests of code that calls the crate.
const TEST_UTIL_FEATURE: (&str, &str) = (
    "test-util",
    "Typed in-process mocks of every operation (`mock::Mock`), for your unit tests",
);

/// Request metrics, for a service that exports them.
const METRICS_FEATURE: (&str, &str) = (
    "metrics",
    "Request-duration (`http.client.request.duration`) and retry metrics through the `metrics` facade",
);

/// The features a crate forwards to the runtime.
fn features(api: &Api) -> Vec<(&'static str, &'static str)> {
    let mut all = FEATURES.to_vec();
    all.push(TEST_UTIL_FEATURE);
    all.push(METRICS_FEATURE);
    if api.client.conventions.webhook_verification.is_some() {
        all.push(AXUM_FEATURE);
    }
    all
}

/// `1.52.0` from Twilio's spec as `spec.1.52.0`: semver build metadata, so the version says
/// which spec the crate was generated from.
fn spec_metadata(version: &str) -> Option<String> {
    let pieces: Vec<String> = version
        .split('.')
        .map(|p| {
            p.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
        .collect();
    (!pieces.is_empty()).then(|| format!("spec.{}", pieces.join(".")))
}

/// `spec release 1.52.0` (Twilio) or `API version 1.0.0`.
fn version_phrase(api: &Api) -> String {
    match api.info_version {
        InfoVersion::SpecRelease => format!("spec release {}", api.version.trim()),
        InfoVersion::ApiVersion => format!("API version {}", api.version.trim()),
    }
}

pub(crate) fn manifest(api: &Api, ctx: &Context) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {}\n", ctx.header_line()));
    out.push_str(&package_section(api, ctx));
    out.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    if !ctx.package.metadata.is_empty() {
        out.push_str(
            "\n# What `cargo xtask regen` versions the next release from (see CHANGELOG.md).\n[package.metadata.sdk]\n",
        );
        for (key, value) in &ctx.package.metadata {
            out.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    out.push_str("\n[features]\ndefault = [\"rustls\"]\n");
    for (feature, what) in features(api) {
        out.push_str(&format!(
            "# {what}.\n{feature} = [\"{RUNTIME_PACKAGE}/{feature}\"]\n"
        ));
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(&format!(
        "{RUNTIME_PACKAGE} = {{ path = {}, version = \"{RUNTIME_VERSION}\", default-features = false }}\n",
        toml_string(&ctx.runtime_path)
    ));
    for (name, spec) in DEPENDENCIES {
        out.push_str(&format!("{name} = {spec}\n"));
    }
    out.push_str(
        "\n[lints.rust]\nmissing_docs = \"warn\"\nunsafe_code = \"forbid\"\nunreachable_pub = \"warn\"\n\n[lints.clippy]\nallow_attributes_without_reason = \"warn\"\n",
    );
    if ctx.standalone {
        out.push_str("\n# Built on its own, not as part of an enclosing workspace.\n[workspace]\n");
    }
    out
}

/// `[package]`: what the spec says (description, license, homepage) and what whoever
/// generates decides (name, version, publishing, repository, authors).
fn package_section(api: &Api, ctx: &Context) -> String {
    let package = &ctx.package;
    let mut out = "[package]\n".to_owned();
    out.push_str(&format!("name = \"{}\"\n", api.package_name));
    let version = match spec_metadata(&api.version) {
        Some(meta) => format!("{}+{meta}", package.version),
        None => package.version.clone(),
    };
    out.push_str(&format!(
        "# The `+spec.` part is the spec's info.version: it changes when the spec does.\nversion = \"{version}\"\n"
    ));
    if !package.authors.is_empty() {
        let authors: Vec<String> = package.authors.iter().map(|a| toml_string(a)).collect();
        out.push_str(&format!("authors = [{}]\n", authors.join(", ")));
    }
    out.push_str("edition = \"2024\"\n");
    out.push_str(&format!("rust-version = \"{RUST_VERSION}\"\n"));
    out.push_str(&match (package.publish, &package.registry) {
        (false, _) => "publish = false\n".to_owned(),
        (true, Some(registry)) => format!("publish = [{}]\n", toml_string(registry)),
        (true, None) => "publish = true\n".to_owned(),
    });
    out.push_str(&format!(
        "description = {}\n",
        toml_string(&format!(
            "Rust SDK for the {}, generated from its OpenAPI spec ({}).",
            api.product,
            version_phrase(api)
        ))
    ));
    out.push_str(&license_line(api, package.license.as_deref()));
    if let Some(home) = &api.homepage {
        out.push_str(&format!("homepage = {}\n", toml_string(home)));
    }
    if let Some(repository) = &ctx.repository {
        out.push_str(&format!("repository = {}\n", toml_string(repository)));
    }
    out.push_str("readme = \"README.md\"\n");
    out.push_str("categories = [\"api-bindings\", \"web-programming::http-client\"]\n");
    out
}

/// The spec's license when it names an SPDX one, else the generator's `fallback`.
fn license_line(api: &Api, fallback: Option<&str>) -> String {
    let spdx = api.license.as_ref().and_then(|l| l.spdx.as_deref());
    match (spdx, &api.license, fallback) {
        (Some(id), _, _) => format!("license = {}\n", toml_string(id)),
        (None, Some(l), Some(id)) => format!(
            "# The spec's license, {:?}, has no SPDX identifier: the generator's configuration names one.\nlicense = {}\n",
            l.name,
            toml_string(id)
        ),
        (None, Some(l), None) => format!(
            "# The spec's license, {:?}, has no SPDX identifier: see the spec.\n",
            l.name
        ),
        (None, None, Some(id)) => format!(
            "# The spec declares no license: the generator's configuration names one.\nlicense = {}\n",
            toml_string(id)
        ),
        (None, None, None) => "# The spec declares no license.\n".to_owned(),
    }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// The first paragraph of the crate docs and README: the product once, the spec's version
/// for what it is.
fn introduction(api: &Api) -> String {
    format!(
        "Rust SDK for the {}, generated from its OpenAPI spec ({}).",
        docs::one_line(&api.product),
        docs::one_line(&version_phrase(api))
    )
}

pub(crate) fn readme(api: &Api, ctx: &Context) -> String {
    let mut out = format!(
        "<!-- {} -->\n\n# {}\n\n{}\n\n",
        ctx.header_line(),
        api.package_name,
        introduction(api)
    );
    if let Some(d) = &api.description {
        out.push_str(&format!("{}\n\n", d.trim()));
    }
    out.push_str(&maturity_section(api));
    out.push_str("## Usage\n\n```rust,no_run\n");
    let example = super::examples::crate_level(api);
    let shown: Vec<&str> = example.lines().filter(|l| !l.starts_with("# ")).collect();
    out.push_str(&shown.join("\n"));
    out.push_str("\n```\n\n");
    out.push_str(&format!(
        "`Client::from_env()` reads {}\n\n",
        super::client::env_sentence(api)
    ));
    out.push_str("## Features\n\n");
    for (feature, what) in features(api) {
        out.push_str(&format!("- `{feature}`: {what}.\n"));
    }
    out.push_str("\n## Operations\n\n| Method | HTTP | Summary | Notes |\n|---|---|---|---|\n");
    for op in &api.operations {
        let mut notes = op.maturity.clone();
        if !op.scopes.is_empty() {
            notes.push(format!(
                "scopes: {}",
                op.scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if op.pagination.is_some() {
            notes.push("paginated".into());
        }
        let summary = op
            .summary
            .as_deref()
            .or(op.description.as_deref())
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .replace('|', "\\|");
        out.push_str(&format!(
            "| `{}` | `{} {}` | {} | {} |\n",
            op.method_name.trim_start_matches("r#"),
            op.method.as_str(),
            op.path,
            summary,
            notes.join("; ")
        ));
    }
    out.push_str(&format!(
        "\n{} types, {} operations.\n",
        api.types.len() + api.sids.len(),
        api.operations.len()
    ));
    out
}

fn maturity_section(api: &Api) -> String {
    let used: Vec<&String> = {
        let mut levels: Vec<&String> = api.operations.iter().flat_map(|o| &o.maturity).collect();
        levels.sort();
        levels.dedup();
        levels
    };
    if used.is_empty() && api.maturity_levels.is_empty() {
        return String::new();
    }
    let mut out = "## Maturity\n\n".to_owned();
    for level in used {
        let count = api
            .operations
            .iter()
            .filter(|o| o.maturity.contains(level))
            .count();
        let description = api
            .maturity_levels
            .iter()
            .find(|l| l.name == *level)
            .map(|l| l.description.trim().to_owned())
            .unwrap_or_default();
        out.push_str(&format!(
            "- **{level}** ({count} of {} operations). {description}\n",
            api.operations.len()
        ));
    }
    for level in &api.maturity_levels {
        if !api
            .operations
            .iter()
            .any(|o| o.maturity.contains(&level.name))
        {
            out.push_str(&format!(
                "- **{}** (no operations). {}\n",
                level.name,
                level.description.trim()
            ));
        }
    }
    out.push('\n');
    out
}

pub(crate) fn lib_rs(api: &Api) -> TokenStream {
    let doc = docs::inner_attrs(&crate_docs(api));
    let webhooks = (!api.webhooks.is_empty()).then(|| {
        quote!(
            pub mod webhooks;
        )
    });
    let inbound = api.client.conventions.webhook_verification.map(|path| {
        let path = rust::path(path);
        let doc = docs::attrs(&format!(
            "Checking that a request to one of your endpoints came from {} (its signature),\nand reading what it carries.",
            api.client.vendor
        ));
        quote! {
            #doc
            pub use #path as inbound;
        }
    });
    quote! {
        #doc

        mod client;
        #[cfg(feature = "test-util")]
        pub mod mock;
        pub mod operations;
        pub mod types;
        #webhooks
        #inbound

        pub use client::Client;
        pub use sdk_runtime::{ApiError, ClientBuilder, Error, NextLink, Response, RetryPolicy};
        /// The runtime this crate is built on: auth providers, the raw client, metadata types.
        pub use sdk_runtime;
    }
}

/// The crate's front page: what the API is, how to call it and authenticate, its TLS
/// features, its webhooks, and the vendor's maturity levels and standards.
fn crate_docs(api: &Api) -> String {
    // Title and version are spec prose too: sanitised like any description.
    let mut text = introduction(api);
    if let Some(d) = &api.description {
        text.push_str(&format!("\n\n{}", docs::markdown(d)));
    }
    let calls = if api.operations.is_empty() {
        "The spec declares no operations to call: this crate is for the webhooks the API sends (below)."
            .to_owned()
    } else {
        format!(
            "## Example\n\n```no_run\n{}\n```\n\nEvery operation is a method on [`Client`] that returns a request builder in [`operations`]: \
         required inputs are arguments, optional ones setters, and `.send()` returns the decoded response \
         (`.send_with_metadata()` adds the status, headers and request id). Request and response types are in [`types`]. \
         Errors are one [`Error`] type with helpers such as [`Error::is_not_found`], [`Error::code`] and [`Error::request_id`].",
            super::examples::crate_level(api)
        )
    };
    text.push_str(&format!(
        "\n\n{calls}\
         \n\n## Authentication\n\n`Client::from_env()` reads {}\n\nAny other scheme is an [`sdk_runtime::AuthProvider`], given to [`ClientBuilder::auth`].\
         \n\n## TLS\n\n{}",
        super::client::env_sentence(api),
        FEATURES
            .iter()
            .map(|(f, what)| format!("- `{f}`: {what}."))
            .collect::<Vec<_>>()
            .join("\n")
    ));
    if !api.webhooks.is_empty() {
        text.push_str(
            "\n\n## Webhooks\n\nThe requests the API sends to endpoints of yours are decoded by [`webhooks::Webhook`].",
        );
    }
    if api.client.conventions.webhook_verification.is_some() {
        text.push_str(&format!(
            "\n\nTo check that a request to one of your endpoints came from {}, use [`inbound`]; \
             with the `axum` feature, `sdk_runtime::webhook::axum::Verified` hands axum handlers \
             only verified requests.",
            api.client.vendor
        ));
    }
    let maturity = maturity_section(api);
    if !maturity.is_empty() {
        text.push_str(&format!(
            "\n\n{}",
            docs::markdown(&maturity)
                .replace("\\[", "[")
                .replace("\\]", "]")
        ));
    }
    if let Some(s) = &api.api_standards {
        text.push_str(&format!(
            "\n\n{} API standards version: {}.",
            s.vendor,
            docs::code(&s.version)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{spec_metadata, DEPENDENCIES, RUNTIME_PACKAGE, RUNTIME_VERSION, RUST_VERSION};

    /// Generated crates ask for the runtime by a caret range that the runtime's own version
    /// must satisfy: `0.1` for `0.1.x`, `1` for `1.x`.
    #[test]
    fn the_runtime_requirement_matches_the_runtime_version() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/Cargo.toml");
        let manifest = std::fs::read_to_string(path).unwrap();
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .expect("the runtime's manifest has a version");
        let parts: Vec<&str> = version.split('.').collect();
        let wanted = if parts[0] == "0" {
            format!("0.{}", parts[1])
        } else {
            parts[0].to_owned()
        };
        assert_eq!(RUNTIME_VERSION, wanted, "runtime version {version}");
    }

    /// Generated manifests name the runtime's package as its manifest does, and its library
    /// is `sdk_runtime`, the name generated code uses.
    #[test]
    fn the_runtime_package_and_library_are_the_names_generated_code_uses() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/Cargo.toml");
        let manifest = std::fs::read_to_string(path).unwrap();
        let names: Vec<&str> = manifest
            .lines()
            .filter_map(|l| l.strip_prefix("name = \""))
            .filter_map(|v| v.strip_suffix('"'))
            .collect();
        assert_eq!(names, [RUNTIME_PACKAGE, "sdk_runtime"], "{manifest}");
    }

    /// Generated manifests repeat the workspace's versions (they must also build outside
    /// it): each dependency and the toolchain must match `Cargo.toml` at the root.
    #[test]
    fn generated_manifests_match_the_workspace() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
        let workspace = std::fs::read_to_string(root).unwrap();
        for (name, spec) in DEPENDENCIES {
            let line = format!("{name} = {spec}");
            let workspace_line = workspace
                .lines()
                .find(|l| l.starts_with(&format!("{name} = ")));
            assert_eq!(
                workspace_line,
                Some(line.as_str()),
                "{name} differs from the workspace"
            );
        }
        let rust_version = format!("rust-version = \"{RUST_VERSION}\"");
        assert!(
            workspace.lines().any(|l| l == rust_version),
            "{rust_version}"
        );
    }

    #[test]
    fn spec_versions_become_build_metadata() {
        assert_eq!(spec_metadata("1.52.0").as_deref(), Some("spec.1.52.0"));
        assert_eq!(
            spec_metadata("2024-01-01").as_deref(),
            Some("spec.2024-01-01")
        );
        assert_eq!(
            spec_metadata("v1 (beta)").as_deref(),
            Some("spec.v1--beta-")
        );
        assert_eq!(spec_metadata(".."), None);
    }
}
