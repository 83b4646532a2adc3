//! Responses: what `send()` returns (the 2xx body type) and every declared status for the docs.

use std::collections::BTreeSet;

use openapiv3::StatusCode;

use super::operation::Place;
use super::{body, refs, Lowering};
use crate::diagnostics::{pointer_join, Error};
use crate::model::{names, ResponseDoc, Success, Ty};

impl Lowering<'_> {
    pub(super) fn responses(
        &mut self,
        at: &Place<'_>,
        pascal_id: &str,
    ) -> Result<(Success, Vec<ResponseDoc>), Error> {
        let op = at.op;
        let mut docs = Vec::new();
        let mut outcomes: Vec<Outcome> = Vec::new();
        let mut entries: Vec<(String, _)> = op
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
            let ptr = pointer_join(&format!("{}/responses", at.pointer), &code);
            let response = refs::resolve(self.doc, r, &ptr, self.schemas.diags)?;
            let success = code.starts_with('2');
            let json = response.content.iter().find(|(k, _)| body::is_json(k));
            let text = response.content.keys().any(|k| body::is_text(k));
            let body = match json {
                Some((media_type, media)) => match &media.schema {
                    Some(s) => {
                        let hint = match (success, twoxx > 1) {
                            (true, true) => format!("{pascal_id}Response{code}"),
                            (true, false) => format!("{pascal_id}Response"),
                            (false, _) => format!("{pascal_id}Error{}", names::pascal(&code)),
                        };
                        let media_ptr = pointer_join(&format!("{ptr}/content"), media_type);
                        Some(
                            self.schemas
                                .lower(s, &hint, &format!("{media_ptr}/schema"))?
                                .ty,
                        )
                    }
                    None => Some(Ty::Any),
                },
                None => None,
            };
            if success {
                outcomes.push(match &body {
                    Some(ty) => Outcome::Typed(ty.clone()),
                    None if text => Outcome::Text,
                    // A success without content is empty only when the spec says 204.
                    None if response.content.is_empty() && code == "204" => Outcome::Empty,
                    None => Outcome::Untyped,
                });
            }
            docs.push(ResponseDoc {
                status: code,
                description: response.description.clone(),
                body: body.filter(|_| !success),
            });
        }
        let typed: BTreeSet<&Ty> = outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Typed(ty) => Some(ty),
                _ => None,
            })
            .collect();
        let result = match typed.len() {
            0 if outcomes.contains(&Outcome::Untyped) => Success::Untyped,
            0 if outcomes.contains(&Outcome::Text) => Success::Text,
            0 => Success::Empty,
            1 => Success::Json(typed.into_iter().next().cloned().unwrap_or(Ty::Any)),
            _ => {
                self.schemas.diags.warn(
                    &format!("{}/responses", at.pointer),
                    "2xx responses with different body types: send() returns the first one's type",
                );
                let first = outcomes.iter().find_map(|o| match o {
                    Outcome::Typed(ty) => Some(ty.clone()),
                    _ => None,
                });
                Success::Json(first.unwrap_or(Ty::Any))
            }
        };
        Ok((result, docs))
    }
}

/// What one 2xx response gives.
#[derive(PartialEq)]
enum Outcome {
    Typed(Ty),
    /// Text (`text/*`, XML) and no JSON.
    Text,
    Untyped,
    Empty,
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}
