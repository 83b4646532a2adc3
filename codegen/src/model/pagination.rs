//! List operations: a GET whose response is a page in one of the vendor's page shapes gets a
//! stream over every item. Each shape names the fields leading to the next-page link; here
//! they are matched against the response type and recorded as the fields to follow.

use super::{
    FieldStep, Method, Operation, Pagination, ParamLocation, Success, Ty, TypeDef, TypeKind,
};
use crate::extensions::PageShape;

pub(super) fn find(operations: &mut [Operation], types: &[TypeDef], shapes: &[&PageShape]) {
    for op in operations {
        if op.method != Method::Get {
            continue;
        }
        let Success::Json(Ty::Named(page)) = &op.success else {
            continue;
        };
        let TypeKind::Struct(s) = &types[page.0].kind else {
            continue;
        };
        let mut arrays = s.fields.iter().filter(|f| matches!(f.ty, Ty::Vec(_)));
        let (Some(items), None) = (arrays.next(), arrays.next()) else {
            continue;
        };
        let Ty::Vec(item_ty) = &items.ty else {
            continue;
        };
        let Some((shape, next_link)) = shapes
            .iter()
            .find_map(|shape| Some((shape, link_path(types, s, shape)?)))
        else {
            continue;
        };
        let page_size_input = shape.page_size.and_then(|wire| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.wire_name == wire)
                .map(|p| p.rust_name.clone())
        });
        op.pagination = Some(Pagination {
            page_type: *page,
            item_ty: (**item_ty).clone(),
            items: FieldStep {
                rust_name: items.rust_name.clone(),
                optional: items.is_option(),
            },
            next_link,
            page_size_input,
        });
    }
}

/// The fields leading from `page` to the shape's link: objects on the way, a string at the end.
fn link_path(types: &[TypeDef], page: &super::Struct, shape: &PageShape) -> Option<Vec<FieldStep>> {
    let mut steps = Vec::new();
    let mut current = page;
    let (last, objects) = shape.next_link.split_last()?;
    for wire in objects {
        let field = current.fields.iter().find(|f| f.wire_name == *wire)?;
        let Ty::Named(id) = field.ty else { return None };
        let TypeKind::Struct(inner) = &types[id.0].kind else {
            return None;
        };
        steps.push(FieldStep {
            rust_name: field.rust_name.clone(),
            optional: field.is_option(),
        });
        current = inner;
    }
    if let Some(beside) = shape.beside_link {
        current.fields.iter().find(|f| f.wire_name == beside)?;
    }
    let link = current
        .fields
        .iter()
        .find(|f| f.wire_name == *last && f.ty == Ty::String)?;
    steps.push(FieldStep {
        rust_name: link.rust_name.clone(),
        optional: link.is_option(),
    });
    Some(steps)
}
