//! A `no_run` example per operation, for its docs: the call with every required input,
//! valued from the spec's own examples (and defaults, enum values, SID patterns) where it
//! has them, and with values of the right type where it has none. Compiled as a doctest, so
//! an example that stops matching the crate fails the build.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::rust::{ident, is_string, path};
use crate::model::{Api, Input, Operation, Success, Taken, Ty, TypeKind};

/// How deep example values nest into structs before settling for simpler ones.
const MAX_DEPTH: usize = 4;

/// The example's code: hidden set-up lines start with `# `.
pub(crate) fn operation(api: &Api, op: &Operation) -> String {
    let krate = ident(&api.crate_name);
    let method = ident(&op.method_name);
    let args = call_args(api, op);
    let call = quote!(client.#method(#(#args),*));
    let body = if op.pagination.is_some() {
        quote! {
            let items = #call.stream().limit(20).try_collect().await?;
            println!("{} items", items.len());
        }
    } else {
        match op.success {
            Success::Empty => quote!(#call.send().await?;),
            Success::Untyped => quote! {
                let body = #call.send().await?;
                println!("{}", body.text());
            },
            Success::Text => quote! {
                let text = #call.send().await?;
                println!("{text}");
            },
            Success::Json(_) | Success::ByStatus { .. } => quote! {
                let response = #call.send().await?;
                println!("{response:?}");
            },
        }
    };
    let function = quote! {
        async fn example(client: #krate::Client) -> Result<(), Box<dyn std::error::Error>> {
            use #krate::{operations, types};
            #body
            Ok(())
        }
    };
    hide_set_up(&format_fn(function))
}

/// The crate-level example: a client from the environment, one call, errors by kind.
pub(crate) fn crate_level(api: &Api) -> String {
    let krate = ident(&api.crate_name);
    let call = api.operations.iter().find(|op| op.pagination.is_none()).map(|op| {
        let method = ident(&op.method_name);
        let args = call_args(api, op);
        quote! {
            match client.#method(#(#args),*).send().await {
                Ok(response) => println!("{response:?}"),
                Err(error) if error.is_not_found() => println!("not found"),
                Err(error) if error.is_throttled() => println!("throttled; retry after {:?}", error.retry_after()),
                Err(error) => println!("{error} (request id {:?})", error.request_id()),
            }
        }
    });
    let function = quote! {
        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            use #krate::{operations, types};
            let client = #krate::Client::from_env()?;
            #call
            Ok(())
        }
    };
    hide_set_up(&format_fn(function))
}

/// The arguments of a call to `op`'s client method: its positional inputs, then its
/// required-inputs struct with each field named.
fn call_args(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = op.arguments().map(|i| input_value(api, i)).collect();
    if let Some(s) = &op.required_struct {
        let s = ident(s);
        let fields = op.fields().map(|i| {
            let n = ident(&i.name);
            let v = input_value(api, i);
            quote!(#n: #v)
        });
        args.push(quote!(operations::#s { #(#fields),* }));
    }
    args
}

fn format_fn(function: TokenStream) -> String {
    match syn::parse2::<syn::File>(function) {
        Ok(file) => prettyplease::unparse(&file),
        // Only a generator bug gets here; `format` then reports the operation's file.
        Err(e) => format!("compile_error!({:?});", e.to_string()),
    }
}

/// Marks the function's signature, the `use`, `Ok(())` and the closing brace as hidden
/// (`# `), and unindents the body, so the docs show just the call.
fn hide_set_up(code: &str) -> String {
    let lines: Vec<&str> = code.trim_end().lines().collect();
    let last = lines.len().saturating_sub(1);
    // The signature may wrap: it ends at the first line that opens the body.
    let signature_end = lines.iter().position(|l| l.ends_with('{')).unwrap_or(0);
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let body = line.strip_prefix("    ").unwrap_or(line);
            let hidden =
                i <= signature_end || i == last || body.starts_with("use ") || body == "Ok(())";
            if hidden {
                format!("# {line}")
            } else {
                body.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An input's value: a struct field holds its type exactly, an argument accepts `Into`.
fn input_value(api: &Api, input: &Input) -> TokenStream {
    let value = value(api, &input.ty, input.example.as_ref(), &input.wire_name, 0);
    if input.taken == Taken::Field && is_string(api, &input.ty) {
        quote!(#value.into())
    } else {
        value
    }
}

fn value(api: &Api, ty: &Ty, example: Option<&Value>, name: &str, depth: usize) -> TokenStream {
    match ty {
        Ty::String => {
            let s = example
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| name.to_owned());
            quote!(#s)
        }
        Ty::Bool => {
            let b = example.and_then(Value::as_bool).unwrap_or(true);
            quote!(#b)
        }
        Ty::I32 | Ty::I64 => {
            let n =
                proc_macro2::Literal::i64_unsuffixed(example.and_then(Value::as_i64).unwrap_or(1));
            quote!(#n)
        }
        Ty::F32 | Ty::F64 => {
            let n = proc_macro2::Literal::f64_unsuffixed(
                example.and_then(Value::as_f64).unwrap_or(1.0),
            );
            quote!(#n)
        }
        Ty::DateTime => {
            let s = example
                .and_then(Value::as_str)
                .filter(|s| chrono_like(s))
                .unwrap_or("2024-05-01T12:30:00Z");
            quote!(#s.parse()?)
        }
        Ty::Date => quote!("2024-05-01".parse()?),
        Ty::Binary => {
            quote!(sdk_runtime::FilePart::new(std::fs::read("file.bin")?).file_name("file.bin"))
        }
        Ty::Bytes => quote!(std::fs::read("file.bin")?),
        Ty::Any => json(example.unwrap_or(&Value::Object(Default::default()))),
        Ty::JsonObject => match example.filter(|e| e.is_object()) {
            Some(e) => {
                let j = json(e);
                quote!(serde_json::from_value(#j)?)
            }
            None => quote!(serde_json::Map::new()),
        },
        Ty::Vec(item) => {
            let first = example.and_then(Value::as_array).and_then(|a| a.first());
            let v = owned(api, item, value(api, item, first, name, depth + 1));
            quote!(Vec::from([#v]))
        }
        Ty::Map(item) => {
            let v = owned(api, item, value(api, item, None, name, depth + 1));
            quote!(std::collections::BTreeMap::from([("key".to_owned(), #v)]))
        }
        Ty::Nullable(inner) => match example.filter(|e| !e.is_null()) {
            Some(_) => {
                let v = owned(api, inner, value(api, inner, example, name, depth + 1));
                quote!(Some(#v))
            }
            None => quote!(None),
        },
        Ty::Sid(i) => {
            let prefix = api.sids[*i].prefix_text();
            let s = example
                .and_then(Value::as_str)
                .filter(|s| s.len() == 34 && s.starts_with(&prefix))
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{prefix}{}", "0".repeat(32)));
            quote!(#s.parse()?)
        }
        Ty::Named(id) => named(api, *id, example, name, depth),
    }
}

fn named(
    api: &Api,
    id: crate::model::TypeId,
    example: Option<&Value>,
    name: &str,
    depth: usize,
) -> TokenStream {
    let def = &api.types[id.0];
    let type_path = {
        let n = ident(&def.name);
        quote!(types::#n)
    };
    if depth >= MAX_DEPTH {
        let j = json(example.unwrap_or(&Value::Object(Default::default())));
        return quote!(serde_json::from_value::<#type_path>(#j)?);
    }
    match &def.kind {
        TypeKind::Alias(ty) => value(api, ty, example, name, depth),
        TypeKind::Enum(e) => {
            let wanted = example.and_then(Value::as_str);
            let variant = e
                .variants
                .iter()
                .find(|v| Some(v.wire.as_str()) == wanted)
                .or(e.variants.first());
            match variant {
                Some(v) => {
                    let v = ident(&v.rust_name);
                    quote!(#type_path::#v)
                }
                None => quote!(#type_path::from(#name)),
            }
        }
        TypeKind::Struct(s) => {
            let args = s.fields.iter().filter(|f| !f.is_option()).map(|f| {
                let field_example = example.and_then(|e| e.get(&f.wire_name)).or_else(|| {
                    f.docs.facts.iter().find_map(|fact| match fact {
                        crate::model::Fact::Example(v) | crate::model::Fact::Default(v) => Some(v),
                        _ => None,
                    })
                });
                value(api, &f.ty, field_example, &f.wire_name, depth + 1)
            });
            quote!(#type_path::new(#(#args),*))
        }
        TypeKind::Union(u) => match u.variants.first() {
            Some(v) => {
                let inner = value(api, &v.ty, example, name, depth + 1);
                let variant = ident(&v.rust_name);
                quote!(#type_path::#variant(#inner))
            }
            _ => {
                let j = json(example.unwrap_or(&Value::Object(Default::default())));
                quote!(serde_json::from_value::<#type_path>(#j)?)
            }
        },
    }
}

/// A value inside a container, which holds `String`s, not the `&str` literals that arguments
/// accepting `impl Into<String>` take.
fn owned(api: &Api, ty: &Ty, value: TokenStream) -> TokenStream {
    if is_string(api, ty) {
        quote!(#value.to_owned())
    } else {
        value
    }
}

/// `serde_json::json!(...)` of a value: JSON text is valid macro input.
fn json(value: &Value) -> TokenStream {
    let tokens: TokenStream = value.to_string().parse().unwrap_or_else(|_| quote!({}));
    let json = path("serde_json::json");
    quote!(#json!(#tokens))
}

/// Whether an example looks like an RFC 3339 date-time (so `.parse()` of it succeeds).
fn chrono_like(s: &str) -> bool {
    s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T') && (s.ends_with('Z') || s.contains('+'))
}
