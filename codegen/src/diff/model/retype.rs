//! How a retyped position is judged: widened requests and narrowed responses break nobody on
//! the wire, whatever they do to the Rust type.

use super::*;
use crate::diff::rules::Kind;
use crate::model::{Api, Ty, TypeKind};

impl Differ<'_> {
    /// The kind for a retyped position: widened requests and narrowed responses break no
    /// caller on the wire, whatever they do to the Rust type.
    pub(super) fn retyped(&self, role: Role, old: &Ty, new: &Ty, otherwise: Kind) -> Kind {
        match role {
            Role::Request if covers((self.new, new), (self.old, old)) => Kind::RequestTypeWidened,
            Role::Request if restricts((self.old, old), (self.new, new)) => {
                Kind::RequestValuesRestricted
            }
            Role::Request if object_to_any((self.new, new), (self.old, old)) => {
                Kind::RequestFreeFormNarrowed
            }
            Role::Response if object_to_any((self.old, old), (self.new, new)) => {
                Kind::ResponseFreeFormWidened
            }
            Role::Response if free_form_now_typed((self.old, old), (self.new, new)) => {
                Kind::ResponseFreeFormNowTyped
            }
            Role::Response if covers((self.old, old), (self.new, new)) => {
                Kind::ResponseTypeNarrowed
            }
            _ => otherwise,
        }
    }

    /// `Old -> New`, naming the SID prefixes when the two SID types share a name.
    pub(super) fn type_change(&self, old: &Ty, new: &Ty) -> String {
        let (a, b) = (self.old_ty(old), self.new_ty(new));
        match (unalias(self.old, old), unalias(self.new, new)) {
            (Ty::Sid(x), Ty::Sid(y)) if a == b => {
                let prefix = |p: [char; 2]| String::from_iter(p);
                let (x, y) = (self.old.sids[*x].prefix, self.new.sids[*y].prefix);
                format!("{a} -> {b} (SID prefix {} -> {})", prefix(x), prefix(y))
            }
            _ => format!("{a} -> {b}"),
        }
    }

    pub(super) fn old_ty(&self, t: &Ty) -> String {
        ty_name(self.old, t)
    }

    pub(super) fn new_ty(&self, t: &Ty) -> String {
        ty_name(self.new, t)
    }
}

/// The type an alias names, through any chain of aliases (the generator refuses cycles; the
/// bound only keeps a malformed model from looping).
pub(super) fn unalias<'a>(api: &'a Api, mut t: &'a Ty) -> &'a Ty {
    for _ in 0..32 {
        match t {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(inner) => t = inner,
                _ => break,
            },
            _ => break,
        }
    }
    t
}

/// Whether every value the `narrow` position allows is allowed by the `wide` one (each side
/// read in its own model), for positions that are not the same type.
pub(super) fn covers(wide: (&Api, &Ty), narrow: (&Api, &Ty)) -> bool {
    let ((wa, w), (na, n)) = (wide, narrow);
    let (w, n) = (unalias(wa, w), unalias(na, n));
    match (w, n) {
        (Ty::Any, _) => true,
        (Ty::JsonObject, Ty::JsonObject | Ty::Map(_)) => true,
        (Ty::JsonObject, Ty::Named(id)) => matches!(na.types[id.0].kind, TypeKind::Struct(_)),
        (Ty::String, Ty::String | Ty::DateTime | Ty::Date | Ty::Sid(_)) => true,
        (Ty::String, Ty::Named(id)) => matches!(na.types[id.0].kind, TypeKind::Enum(_)),
        (Ty::I64, Ty::I32 | Ty::I64) => true,
        (Ty::F32, Ty::I32 | Ty::F32) => true,
        (Ty::F64, Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64) => true,
        (Ty::Vec(x), Ty::Vec(y)) | (Ty::Map(x), Ty::Map(y)) => covers((wa, x), (na, y)),
        (Ty::Nullable(x), Ty::Nullable(y)) => covers((wa, x), (na, y)),
        (Ty::Nullable(x), y) => covers((wa, x), (na, y)),
        (Ty::Sid(x), Ty::Sid(y)) => wa.sids[*x].prefix == na.sids[*y].prefix,
        // Called only where the positions are not the same type, so two named types differ.
        (Ty::Named(_), _) | (_, Ty::Named(_)) => false,
        (a, b) => a == b,
    }
}

/// Whether `object` is `any` with a free-form object (`type: object`, no properties) where
/// `any` has any JSON value (no type), also inside lists, maps and nullable values.
pub(super) fn object_to_any((oa, o): (&Api, &Ty), (aa, a): (&Api, &Ty)) -> bool {
    match (unalias(oa, o), unalias(aa, a)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => object_to_any((oa, x), (aa, y)),
        (Ty::JsonObject | Ty::Map(_), Ty::Any) => true,
        _ => false,
    }
}

/// Whether a free-form object (`type: object` without properties) became an object with
/// declared properties, also inside lists, maps and nullable values. Every value sent now was
/// allowed before, but callers that read the map's values (often as strings) meet typed ones.
pub(super) fn free_form_now_typed(
    (old_api, old): (&Api, &Ty),
    (new_api, new): (&Api, &Ty),
) -> bool {
    match (unalias(old_api, old), unalias(new_api, new)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => free_form_now_typed((old_api, x), (new_api, y)),
        (Ty::JsonObject, Ty::Named(id)) => {
            matches!(&new_api.types[id.0].kind, TypeKind::Struct(s) if !s.fields.is_empty())
        }
        _ => false,
    }
}

/// Whether a request string became a string with fewer allowed values: a SID of another
/// prefix, or an enum or SID where any string went, also inside lists, maps and nullable
/// values (as [`object_to_any`] looks). The JSON type is the same; what the
/// server accepts may be narrower, or may only now be written down.
pub(super) fn restricts((old_api, old): (&Api, &Ty), (new_api, new): (&Api, &Ty)) -> bool {
    match (unalias(old_api, old), unalias(new_api, new)) {
        (Ty::Vec(x), Ty::Vec(y))
        | (Ty::Map(x), Ty::Map(y))
        | (Ty::Nullable(x), Ty::Nullable(y)) => restricts((old_api, x), (new_api, y)),
        (Ty::Sid(x), Ty::Sid(y)) => old_api.sids[*x].prefix != new_api.sids[*y].prefix,
        (Ty::String, Ty::Sid(_)) => true,
        (Ty::String, Ty::Named(id)) => matches!(new_api.types[id.0].kind, TypeKind::Enum(_)),
        _ => false,
    }
}
