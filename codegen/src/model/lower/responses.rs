//! Responses: what `send()` returns (the 2xx body type) and every declared status for the docs.

use std::collections::BTreeSet;

use openapiv3::StatusCode;

use super::operation::Place;
use super::{body, refs, Lowering};
use crate::diagnostics::{pointer_join, Error};
use crate::model::{ResponseDoc, Success, Ty};

impl Lowering<'_> {
    pub(super) fn responses(
        &mut self,
        at: &Place<'_>,
        pascal_id: &str,
    ) -> Result<(Success, Vec<ResponseDoc>), Error> {
        let op = at.op;
        let mut docs = Vec::new();
        let mut success: Vec<Option<Ty>> = Vec::new();
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
            docs.push(ResponseDoc {
                status: code.clone(),
                description: response.description.clone(),
            });
            if !code.starts_with('2') {
                continue;
            }
            let json = response.content.iter().find(|(k, _)| body::is_json(k));
            let ty = match json {
                Some((media_type, media)) => match &media.schema {
                    Some(s) => {
                        let hint = if twoxx > 1 {
                            format!("{pascal_id}Response{code}")
                        } else {
                            format!("{pascal_id}Response")
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
                None => {
                    if !response.content.is_empty() {
                        self.schemas.diags.warn(
                            &format!("{ptr}/content"),
                            "a non-JSON success body is not decoded; send() returns ()",
                        );
                    }
                    None
                }
            };
            success.push(ty);
        }
        let typed: BTreeSet<&Ty> = success.iter().flatten().collect();
        let result = match typed.len() {
            0 => Success::Empty,
            1 => Success::Json(typed.into_iter().next().cloned().unwrap_or(Ty::Any)),
            _ => {
                self.schemas.diags.warn(
                    &format!("{}/responses", at.pointer),
                    "2xx responses with different body types: send() returns the first one's type",
                );
                Success::Json(success.iter().flatten().next().cloned().unwrap_or(Ty::Any))
            }
        };
        Ok((result, docs))
    }
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}
