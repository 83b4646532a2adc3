//! Struct fields, per role: added, removed, retyped, presence and nullability, PII.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diff::rules::{Http, Kind, Semver, SAME_RUST_TYPE_RESPONSE_WHY, SAME_RUST_TYPE_WHY};
use crate::model::Field;

/// Where the fields are compared: the type's subject, the role and its context line.
struct In<'s> {
    subject: &'s str,
    role: Role,
    ctx: Option<String>,
}

impl In<'_> {
    fn change(&self, kind: Kind, detail: String) -> Change {
        Change::new(kind, self.subject, detail).within(self.ctx.clone())
    }
}

impl Differ<'_> {
    pub(super) fn fields(
        &mut self,
        before: &[Field],
        after: &[Field],
        roles: &BTreeMap<Role, BTreeSet<String>>,
        subject: &str,
    ) {
        for role in roles.keys() {
            let at = In {
                subject,
                role: *role,
                ctx: context(roles, Some(*role)),
            };
            let request = *role == Role::Request;
            // A readOnly field is not part of a request, a writeOnly one not of a response: a
            // field that becomes one of them leaves that direction, and one added as one of
            // them never entered it.
            let visible = |f: &&Field| if request { !f.read_only } else { !f.write_only };
            let old: Vec<&Field> = before.iter().filter(visible).collect();
            let new: Vec<&Field> = after.iter().filter(visible).collect();
            for f in old
                .iter()
                .filter(|f| !new.iter().any(|g| g.wire_name == f.wire_name))
            {
                let still = after.iter().any(|g| g.wire_name == f.wire_name);
                self.field_removed(f, still, &at);
            }
            for g in new.iter().copied() {
                match old.iter().find(|f| f.wire_name == g.wire_name) {
                    None => self.field_added(g, &at),
                    Some(f) => self.field_changed(f, g, &at),
                }
            }
        }
        self.pii(before, after, subject, context(roles, None));
    }

    /// `still`: the field is there, but readOnly (in a request) or writeOnly (in a response).
    fn field_removed(&mut self, f: &Field, still: bool, at: &In<'_>) {
        let request = at.role == Role::Request;
        let kind = if request {
            Kind::RequestFieldRemoved
        } else {
            Kind::ResponseFieldRemoved
        };
        let how = match (still, request) {
            (false, _) => "",
            (true, true) => " (now readOnly)",
            (true, false) => " (now writeOnly)",
        };
        let detail = format!("field `{}` removed{how}", f.wire_name);
        self.push(at.change(kind, detail));
    }

    fn field_added(&mut self, g: &Field, at: &In<'_>) {
        let kind = match (at.role == Role::Request, g.is_option()) {
            (true, true) => Kind::OptionalRequestFieldAdded,
            (true, false) => Kind::RequiredRequestFieldAdded,
            (false, true) => Kind::OptionalResponseFieldAdded,
            (false, false) => Kind::RequiredResponseFieldAdded,
        };
        let detail = format!(
            "field `{}` added ({}, {})",
            g.wire_name,
            optionality(g),
            self.new_ty(&g.ty)
        );
        self.push(at.change(kind, detail));
    }

    fn field_changed(&mut self, f: &Field, g: &Field, at: &In<'_>) {
        let what = format!("field `{}`", g.wire_name);
        let request = at.role == Role::Request;
        if request {
            let facts = (&f.docs.facts, &g.docs.facts);
            self.constraints(facts.0, facts.1, at.subject, &what, at.ctx.clone());
        }
        if !self.same_ty(&f.ty, &g.ty) {
            let kind = self.retyped(at.role, &f.ty, &g.ty, at.role.type_changed());
            let detail = format!("{what}: type {}", self.type_change(&f.ty, &g.ty));
            self.push(at.change(kind, detail));
        }
        let presence = match (request, f.required, g.required) {
            (true, false, true) => Some(Kind::RequestFieldNowRequired),
            (true, true, false) => Some(Kind::RequestFieldNowOptional),
            (false, false, true) => Some(Kind::ResponseFieldNowRequired),
            (false, true, false) => Some(Kind::ResponseFieldNowOptional),
            _ => None,
        };
        let nullability = match (request, f.nullable, g.nullable) {
            (true, false, true) => Some(Kind::RequestFieldNowNullable),
            (true, true, false) => Some(Kind::RequestFieldNoLongerNullable),
            (false, false, true) => Some(Kind::ResponseFieldNowNullable),
            (false, true, false) => Some(Kind::ResponseFieldNoLongerNullable),
            _ => None,
        };
        for kind in presence.into_iter().chain(nullability) {
            let detail = format!("{what}: {} -> {}", optionality(f), optionality(g));
            let mut change = at.change(kind, detail);
            if f.is_option() == g.is_option() {
                change.semver = Semver::Patch;
                change.why = SAME_RUST_TYPE_WHY;
                if !request {
                    change.http = Http::Compatible;
                    change.why = SAME_RUST_TYPE_RESPONSE_WHY;
                }
            }
            self.push(change);
        }
    }

    /// PII marking is about the data, not the direction: reported once.
    fn pii(&mut self, before: &[Field], after: &[Field], subject: &str, ctx: Option<String>) {
        let show = |p: &Option<crate::model::Pii>| match p {
            None => "not PII".to_owned(),
            Some(p) => format!(
                "PII (handling: {}{})",
                p.handling,
                p.delete_sla
                    .map(|d| format!(", deleted within {d} days"))
                    .unwrap_or_default()
            ),
        };
        for g in after {
            let Some(f) = before.iter().find(|f| f.wire_name == g.wire_name) else {
                continue;
            };
            if f.pii != g.pii {
                let (a, b) = (show(&f.pii), show(&g.pii));
                let detail = format!("field `{}`: {a} -> {b}", g.wire_name);
                self.push(Change::new(Kind::FieldPiiChanged, subject, detail).within(ctx.clone()));
            }
        }
    }
}
