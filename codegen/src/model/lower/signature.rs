//! How a `Client` method takes its required inputs. Path parameters are positional (they
//! read in URL order). When an operation needs more than three values, or two of one type
//! in a row, the other required inputs go into a struct whose field names appear at the
//! call site, so no two values can be swapped without the compiler or the reader noticing.

use crate::model::names::Scope;
use crate::model::{InputSource, Operation, ParamLocation, Taken};

/// At most this many required values are taken positionally.
const MAX_POSITIONAL: usize = 3;

/// How an input is taken before [`group_required`] looks at the whole operation.
pub(super) fn initially(required: bool) -> Taken {
    if required {
        Taken::Argument
    } else {
        Taken::Setter
    }
}

pub(super) fn group_required(op: &mut Operation, struct_names: &mut Scope) {
    let required: Vec<_> = op.inputs.iter().filter(|i| i.required).collect();
    let is_path = |source: &InputSource| *source == InputSource::Param(ParamLocation::Path);
    let swappable = required
        .windows(2)
        .any(|w| w[0].ty == w[1].ty && !(is_path(&w[0].source) && is_path(&w[1].source)));
    if required.len() <= MAX_POSITIONAL && !swappable {
        return;
    }
    let mut grouped = false;
    for input in op.inputs.iter_mut().filter(|i| i.required) {
        if !is_path(&input.source) {
            input.taken = Taken::Field;
            grouped = true;
        }
    }
    if grouped {
        op.required_struct = Some(struct_names.claim(&format!("{}Required", op.builder_name)));
    }
}
