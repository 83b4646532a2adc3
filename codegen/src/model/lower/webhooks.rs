//! Requests the API sends to the user: OpenAPI 3.1 `webhooks` (which the 3.0 normalisation
//! carries in an extension), Redoc's `x-webhooks` (the same, in 3.0 specs), and operation
//! `callbacks`. Each becomes a [`Webhook`] with its payload type.

use indexmap::IndexMap;
use openapiv3::{PathItem, ReferenceOr};

use super::{body, methods_of, refs, Lowering};
use crate::diagnostics::{pointer_join, Error};
use crate::model::names::{self, Scope};
use crate::model::{BodyEncoding, CallbackOf, Operation, Payload, PayloadKind, Ty, Webhook};
use crate::structure::WEBHOOKS_KEY;

/// Keys only a path item has (a callback object's keys are URL expressions).
const PATH_ITEM_KEYS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
];

/// A variant every generated `Webhook` enum has, which no webhook may be named.
const RESERVED_VARIANTS: &[&str] = &["Unknown"];

/// A webhook where the spec declares it, before it is lowered.
struct Declared {
    name: String,
    callback_of: Option<CallbackOf>,
    item: PathItem,
    /// Where the path item is in the spec's file.
    pointer: String,
}

impl Lowering<'_> {
    /// Every webhook: the document's own, then each operation's callbacks in operation order.
    /// Names are the decoder's keys, so a second webhook of a name is skipped with a warning.
    pub(super) fn webhooks(&mut self, operations: &[Operation]) -> Result<Vec<Webhook>, Error> {
        let mut declared = self.document_webhooks();
        declared.extend(self.callbacks(operations));
        let mut variants = Scope::for_types();
        for reserved in RESERVED_VARIANTS {
            variants.reserve(reserved);
        }
        let mut names_seen: IndexMap<String, String> = IndexMap::new();
        let mut webhooks = Vec::new();
        for hook in declared {
            if let Some(first) = names_seen.get(&hook.name) {
                self.schemas.diags.warn(
                    &hook.pointer,
                    format!("skipping a second webhook named {:?} (the first is at #{first}): the decoder is keyed by name", hook.name),
                );
                continue;
            }
            names_seen.insert(hook.name.clone(), hook.pointer.clone());
            webhooks.extend(self.webhook(hook, &mut variants)?);
        }
        Ok(webhooks)
    }

    /// The webhooks of the document itself: 3.1 `webhooks` (as normalising carries them) and
    /// `x-webhooks`, in that order; entries that are neither shape are skipped with a warning.
    fn document_webhooks(&mut self) -> Vec<Declared> {
        let mut found = Vec::new();
        // (key in the parsed document, where it is in the spec's file)
        for (key, pointer) in [(WEBHOOKS_KEY, "/webhooks"), ("x-webhooks", "/x-webhooks")] {
            let Some(webhooks) = self.doc.extensions.get(key) else {
                continue;
            };
            let Some(entries) = webhooks.as_object() else {
                self.schemas
                    .diags
                    .warn(pointer, "skipping webhooks that are not a map of names");
                continue;
            };
            for (name, entry) in entries {
                let item_ptr = pointer_join(pointer, name);
                match declared_entry(name, entry, &item_ptr) {
                    Ok(items) => found.extend(items),
                    Err(e) => self.schemas.diags.warn(
                        &item_ptr,
                        format!("skipping webhook {name:?}: it is neither a path item nor a callback ({e})"),
                    ),
                }
            }
        }
        found
    }

    /// Each operation's callbacks, one per URL expression, in operation order.
    fn callbacks(&self, operations: &[Operation]) -> Vec<Declared> {
        let mut found = Vec::new();
        for (path, item) in &self.doc.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in methods_of(item) {
                let op_ptr = pointer_join(
                    &pointer_join("/paths", path),
                    &method.as_str().to_ascii_lowercase(),
                );
                // Operations were lowered in this same order; find this one by its place.
                let Some(of) = operations
                    .iter()
                    .find(|o| o.path == *path && o.method == method)
                else {
                    continue;
                };
                for (name, callback) in &op.callbacks {
                    let callback_ptr = pointer_join(&format!("{op_ptr}/callbacks"), name);
                    found.extend(callback.iter().map(|(expression, item)| Declared {
                        name: name.clone(),
                        callback_of: Some(CallbackOf {
                            operation: Some(of.method_name.clone()),
                            expression: expression.clone(),
                        }),
                        item: item.clone(),
                        pointer: pointer_join(&callback_ptr, expression),
                    }));
                }
            }
        }
        found
    }

    /// One webhook, decoded by its first method (a warning says so if it has several); `None`,
    /// with a warning, if it has no operation at all.
    fn webhook(&mut self, hook: Declared, variants: &mut Scope) -> Result<Option<Webhook>, Error> {
        let Declared {
            name,
            callback_of,
            item,
            pointer,
        } = hook;
        let mut methods = methods_of(&item);
        let Some((method, op)) = methods.next() else {
            self.schemas.diags.warn(
                &pointer,
                format!("skipping webhook {name:?}: it has no operation"),
            );
            return Ok(None);
        };
        if methods.next().is_some() {
            self.schemas.diags.warn(
                &pointer,
                format!(
                    "webhook {name:?} declares several methods: only {} is decoded",
                    method.as_str()
                ),
            );
        }
        let op_ptr = pointer_join(&pointer, &method.as_str().to_ascii_lowercase());
        let variant = variants.claim(&names::pascal(&name));
        let payload = match &op.request_body {
            Some(rb) => self.payload(rb, &format!("{op_ptr}/requestBody"), &variant)?,
            None => None,
        };
        Ok(Some(Webhook {
            name,
            variant,
            method,
            callback_of,
            summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
            description: op.description.clone().filter(|s| !s.trim().is_empty()),
            deprecated: op.deprecated,
            payload,
        }))
    }

    /// The payload a webhook delivers, decoded as JSON or form data.
    fn payload(
        &mut self,
        rb: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        variant: &str,
    ) -> Result<Option<Payload>, Error> {
        let rb = refs::resolve(self.doc, rb, pointer, self.schemas.diags)?;
        if rb.content.is_empty() {
            return Ok(None);
        }
        let picked = body::pick_encoding(&rb.content)
            .filter(|(encoding, _, _)| matches!(encoding, BodyEncoding::Json | BodyEncoding::Form));
        let Some((encoding, media_type, media)) = picked else {
            // Bytes are what such a payload is (audio, XML, ...): kept, not approximated.
            let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
            return Ok(Some(Payload {
                media_type: types.first().map(|t| (*t).to_owned()).unwrap_or_default(),
                kind: PayloadKind::Raw,
            }));
        };
        let media_ptr = pointer_join(&format!("{pointer}/content"), media_type);
        let ty = match &media.schema {
            Some(schema) => {
                self.schemas
                    .lower(
                        schema,
                        &format!("{variant}Webhook"),
                        &format!("{media_ptr}/schema"),
                    )?
                    .ty
            }
            None => Ty::Any,
        };
        let kind = match encoding {
            BodyEncoding::Form => PayloadKind::Form(ty),
            _ => PayloadKind::Json(ty),
        };
        Ok(Some(Payload {
            media_type: media_type.clone(),
            kind,
        }))
    }
}

/// One entry of a document's webhooks map at `pointer`: a path item (3.1, Redoc), or a
/// callback object of URL expressions to path items (as Vonage writes `x-webhooks`).
fn declared_entry(
    name: &str,
    entry: &serde_json::Value,
    pointer: &str,
) -> Result<Vec<Declared>, serde_json::Error> {
    let declared = |callback_of, item, pointer| Declared {
        name: name.to_owned(),
        callback_of,
        item,
        pointer,
    };
    let shaped_as_path_item = entry
        .as_object()
        .is_some_and(|e| e.keys().any(|k| PATH_ITEM_KEYS.contains(&k.as_str())));
    if shaped_as_path_item {
        let item = serde_json::from_value::<PathItem>(entry.clone())?;
        return Ok(vec![declared(None, item, pointer.to_owned())]);
    }
    let callback = serde_json::from_value::<IndexMap<String, PathItem>>(entry.clone())?;
    Ok(callback
        .into_iter()
        .map(|(expression, item)| {
            let at = pointer_join(pointer, &expression);
            let of = CallbackOf {
                operation: None,
                expression,
            };
            declared(Some(of), item, at)
        })
        .collect())
}
