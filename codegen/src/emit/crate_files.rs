//! The crate around the code: `Cargo.toml`, `README.md` and `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::Context;
use crate::model::{Api, AuthKind, InputSource, Operation, ParamLocation, Ty};

/// Versions of the dependencies generated code uses directly. They match the runtime's
/// (the workspace `Cargo.toml`); a test in codegen keeps them in step.
pub(crate) const DEPENDENCIES: &[(&str, &str)] = &[
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    ),
    ("futures-core", r#""0.3""#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
];

pub(crate) fn manifest(api: &Api, ctx: &Context) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {}\n", ctx.header_line()));
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{}\"\n", api.package_name));
    out.push_str("version = \"0.1.0\"\n");
    out.push_str("edition = \"2021\"\n");
    out.push_str("publish = false\n");
    out.push_str(&format!(
        "description = {}\n",
        toml_string(&format!(
            "Rust SDK for {} (API version {}), generated from its OpenAPI spec.",
            api.title.trim(),
            api.version
        ))
    ));
    out.push_str("\n[dependencies]\n");
    out.push_str(&format!(
        "sdk-runtime = {{ path = {} }}\n",
        toml_string(&ctx.runtime_path)
    ));
    for (name, spec) in DEPENDENCIES {
        out.push_str(&format!("{name} = {spec}\n"));
    }
    if ctx.standalone {
        out.push_str("\n# Built on its own, not as part of an enclosing workspace.\n[workspace]\n");
    }
    out
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

pub(crate) fn readme(api: &Api, ctx: &Context) -> String {
    let mut out = format!(
        "<!-- {} -->\n\n# {}\n\n",
        ctx.header_line(),
        api.package_name
    );
    out.push_str(&format!(
        "Rust SDK for **{}** (API version {}).\n\n",
        api.title.trim(),
        api.version
    ));
    if let Some(d) = &api.description {
        out.push_str(&format!("{}\n\n", d.trim()));
    }
    out.push_str(&maturity_section(api));
    out.push_str("## Usage\n\n```rust,no_run\n");
    out.push_str(
        &example(api)
            .replace("# ", "")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    out.push_str("\n```\n\n");
    out.push_str(&format!("Credentials: {}.\n\n", auth_sentence(api)));
    out.push_str("## Operations\n\n| Method | HTTP | Summary | Notes |\n|---|---|---|---|\n");
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

fn auth_sentence(api: &Api) -> &'static str {
    match api.auth {
        AuthKind::Basic => "HTTP basic authentication (`Credentials::basic`)",
        AuthKind::Bearer => "a bearer token (`Credentials::bearer`)",
        AuthKind::None => "none declared by the spec",
    }
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

/// A `no_run` example: construct the client, make the simplest call, handle the error.
fn example(api: &Api) -> String {
    let krate = &api.crate_name;
    let mut lines = vec![
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        format!("let client = {krate}::Client::from_env()?;"),
    ];
    if let Some((op, args)) = api
        .operations
        .iter()
        .find_map(|op| example_args(api, op).map(|a| (op, a)))
    {
        lines.push(format!(
            "match client.{}({}).send().await {{",
            op.method_name.trim_start_matches("r#"),
            args.join(", ")
        ));
        lines.push("    Ok(response) => println!(\"{response:?}\"),".into());
        lines.push("    Err(error) => match error.api_error() {".into());
        lines.push(
            "        Some(api) => eprintln!(\"the API said no: HTTP {}: {api}\", api.status),"
                .into(),
        );
        lines.push("        None => eprintln!(\"the request failed: {error}\"),".into());
        lines.push("    },".into());
        lines.push("}".into());
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.join("\n")
}

fn example_args(api: &Api, op: &Operation) -> Option<Vec<String>> {
    let sid = |i: usize| {
        format!(
            "{:?}.parse()?",
            format!("{}{}", api.sids[i].prefix, "0".repeat(32))
        )
    };
    let mut args = Vec::new();
    for input in op.required_inputs() {
        args.push(match (&input.source, &input.ty) {
            (InputSource::Param(ParamLocation::Header), Ty::String) => "\"value\"".into(),
            (InputSource::Param(_) | InputSource::BodyField { .. }, Ty::String) => {
                "\"example\"".into()
            }
            (InputSource::Param(_) | InputSource::BodyField { .. }, Ty::Sid(i)) => sid(*i),
            (InputSource::Param(_), Ty::I32 | Ty::I64) => "1".into(),
            _ => return None,
        });
    }
    // A whole body has no simple literal.
    if op.inputs.iter().any(|i| i.source == InputSource::Body) {
        return None;
    }
    Some(args)
}

pub(crate) fn lib_rs(api: &Api) -> TokenStream {
    // Title and version are spec prose too: sanitised like any description.
    let mut text = format!(
        "# {}\n\nRust SDK for the {} API (version {}), generated from its OpenAPI spec.",
        api.package_name,
        docs::one_line(&api.title),
        docs::one_line(&api.version)
    );
    if let Some(d) = &api.description {
        text.push_str(&format!("\n\n{}", docs::markdown(d)));
    }
    text.push_str(&format!(
        "\n\n## Example\n\n```no_run\n{}\n```\n\nEvery operation is a method on [`Client`] that returns a request builder in [`operations`]; \
         request and response types are in [`types`]. Errors are [`Error`]: transport failures, timeouts, API errors with the parsed error body, \
         and decode errors with the body excerpt.\n\n## Authentication\n\n{}.",
        example(api),
        auth_sentence(api)
    ));
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
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote! {
        #( #![doc = #lines] )*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        mod client;
        pub mod operations;
        pub mod types;

        pub use client::Client;
        pub use sdk_runtime::{ApiError, ClientBuilder, Credentials, Error, RetryPolicy};
        /// The runtime this crate is built on, for the less common settings.
        pub use sdk_runtime;
    }
}
