//! Responses: what `send()` returns (the 2xx body type) and every declared status for the docs.

use std::collections::BTreeSet;

use openapiv3::{MediaType, StatusCode};

use super::operation::Place;
use super::{body, refs, Lowering};
use crate::diagnostics::{pointer_join, Error};
use crate::model::names::Scope;
use crate::model::{names, ResponseDoc, StatusBody, StatusKind, Success, Ty};

impl Lowering<'_> {
    pub(super) fn responses(
        &mut self,
        at: &Place<'_>,
        pascal_id: &str,
    ) -> Result<(Success, Option<Ty>, Vec<ResponseDoc>), Error> {
        let op = at.op;
        let mut docs = Vec::new();
        let mut outcomes: Vec<Outcome> = Vec::new();
        let mut statuses: Vec<(String, String, Outcome)> = Vec::new();
        // The type of each server-sent event's data: the first 2xx `text/event-stream` schema.
        let mut events = None;
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
            let text = response.content.keys().any(|k| body::is_text(k));
            let hint = match (success, twoxx > 1) {
                (true, true) => format!("{pascal_id}Response{code}"),
                (true, false) => format!("{pascal_id}Response"),
                (false, _) => format!("{pascal_id}Error{}", names::pascal(&code)),
            };
            let body = self.json_body(response, &ptr, &hint)?;
            if success && events.is_none() {
                let hint = format!("{pascal_id}Event");
                let stream = |media: &str, _: &MediaType| body::is_event_stream(media);
                events = self.media_schema(response, &ptr, &hint, stream)?.flatten();
            }
            let mut carries = None;
            if success {
                let outcome = match &body {
                    Some(ty) => Outcome::Typed(ty.clone()),
                    None if text => Outcome::Text,
                    // A success without content is empty only when the spec says 204.
                    None if response.content.is_empty() && code == "204" => Outcome::Empty,
                    None => Outcome::Untyped,
                };
                statuses.push((code.clone(), response.description.clone(), outcome.clone()));
                carries = Some(outcome.clone().into());
                outcomes.push(outcome);
            }
            docs.push(ResponseDoc {
                status: code,
                description: response.description.clone(),
                body: body.filter(|_| !success),
                success: carries,
            });
        }
        Ok((success_of(&outcomes, statuses), events, docs))
    }

    /// The type a response's JSON body decodes to (`Ty::Any` without a schema), `None` when
    /// it has no JSON content.
    fn json_body(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Result<Option<Ty>, Error> {
        let schema = self.media_schema(response, pointer, hint, body::decodes_as_json)?;
        Ok(schema.map(|ty| ty.unwrap_or(Ty::Any)))
    }

    /// The type of the first content of `response` whose media type is `wanted`: `None` when
    /// there is none, `Some(None)` when it has no schema.
    fn media_schema(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        hint: &str,
        wanted: impl Fn(&str, &MediaType) -> bool,
    ) -> Result<Option<Option<Ty>>, Error> {
        let Some((media_type, media)) = response.content.iter().find(|(k, m)| wanted(k, m)) else {
            return Ok(None);
        };
        let Some(schema) = &media.schema else {
            return Ok(Some(None));
        };
        let media_ptr = pointer_join(&format!("{pointer}/content"), media_type);
        let lowered = self
            .schemas
            .lower(schema, hint, &format!("{media_ptr}/schema"))?;
        Ok(Some(Some(lowered.ty)))
    }
}

/// What `send()` returns, from the outcomes of the 2xx statuses (`statuses`, in the spec's
/// order, with their descriptions).
fn success_of(outcomes: &[Outcome], statuses: Vec<(String, String, Outcome)>) -> Success {
    let typed: BTreeSet<&Ty> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Typed(ty) => Some(ty),
            _ => None,
        })
        .collect();
    // A JSON body beside a status without one (PagerDuty's SCIM: 200 with the user, 204
    // without) must not be decoded as that JSON: each status gets its own variant.
    let mixed = typed.len() == 1 && outcomes.iter().any(|o| !matches!(o, Outcome::Typed(_)));
    match typed.len() {
        0 if outcomes.contains(&Outcome::Untyped) => Success::Untyped,
        0 if outcomes.contains(&Outcome::Text) => Success::Text,
        0 => Success::Empty,
        1 if !mixed => Success::Json(typed.into_iter().next().cloned().unwrap_or(Ty::Any)),
        _ => Success::ByStatus {
            // Named once every builder is (lower::mod), so it cannot collide with one.
            name: String::new(),
            statuses: by_status(statuses),
        },
    }
}

/// One variant per status, exact statuses named as HTTP names them (`Ok`, `Created`).
fn by_status(statuses: Vec<(String, String, Outcome)>) -> Vec<StatusBody> {
    // Variants are always named through their enum, so `Ok` shadows nothing.
    let mut scope = Scope::new();
    scope.reserve("Other");
    statuses
        .into_iter()
        .map(|(status, description, outcome)| StatusBody {
            variant: scope.claim(&status_variant(&status)),
            status,
            description,
            body: outcome.into(),
        })
        .collect()
}

fn status_variant(status: &str) -> String {
    let name = match status {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritativeInformation",
        "204" => "NoContent",
        "205" => "ResetContent",
        "206" => "PartialContent",
        "207" => "MultiStatus",
        "208" => "AlreadyReported",
        "226" => "ImUsed",
        "2XX" => "Success",
        other => return format!("Status{other}"),
    };
    name.to_owned()
}

/// What one 2xx response gives.
#[derive(Clone, PartialEq)]
enum Outcome {
    Typed(Ty),
    /// Text (`text/*`, XML) and no JSON.
    Text,
    Untyped,
    Empty,
}

impl From<Outcome> for StatusKind {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Typed(ty) => StatusKind::Json(ty),
            Outcome::Text => StatusKind::Text,
            Outcome::Untyped => StatusKind::Untyped,
            Outcome::Empty => StatusKind::Empty,
        }
    }
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}
