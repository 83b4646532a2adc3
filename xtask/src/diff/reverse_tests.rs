//! The fixture folders in the other direction: `new.yaml -> old.yaml` must report, for each
//! change the folder expects, its counterpart (an addition's removal, a tightening's nothing).
//! The counterparts are judged here by hand, per kind, so the model's rules are proven both
//! ways as the schema keywords are (catalogue_tests).

use super::rules::Kind::{self, *};
use super::tests::{cases, diff_files, expected};

/// What reversing a change of `kind` reports: one of these kinds, or nothing when empty.
fn counterparts(kind: Kind) -> Vec<Kind> {
    if let Some(added_or_removed) = paired(kind) {
        return added_or_removed;
    }
    match kind {
        // A request that accepts more, reversed, accepts less: by how much is the model's call.
        RequestTypeWidened => vec![
            RequestFieldTypeChanged,
            ParamTypeChanged,
            RequestBodyTypeChanged,
            RequestValuesRestricted,
            RequestFreeFormNarrowed,
        ],
        RequestValuesRestricted | RequestFreeFormNarrowed => vec![RequestTypeWidened],
        ResponseTypeNarrowed => vec![
            ResponseFieldTypeChanged,
            SuccessTypeChanged,
            ResponseFreeFormWidened,
        ],
        ResponseFreeFormWidened => vec![ResponseTypeNarrowed],
        // A tightened request limit, reversed, loosens: nobody is hurt, nothing is reported.
        RequestConstraintTightened => vec![],
        // Symmetric changes.
        AuthChanged
        | MethodChanged
        | PathChanged
        | ServerChanged
        | MaturityChanged
        | OperationRenamed
        | PathParamRenamed
        | TypeRenamed
        | TypeKindChanged
        | FieldPiiChanged
        | RequestContentTypeChanged
        | RequestBodyTypeChanged
        | ParamTypeChanged
        | RequestFieldTypeChanged
        | ResponseFieldTypeChanged
        | SuccessTypeChanged
        | SuccessBodyNowUntyped => vec![kind],
        other => panic!("no counterpart judged for {other:?}: add it here"),
    }
}

/// Additions and removals, tightenings and loosenings: each the other's counterpart.
fn paired(kind: Kind) -> Option<Vec<Kind>> {
    Some(match kind {
        OperationAdded => vec![OperationRemoved],
        OperationRemoved => vec![OperationAdded],
        OperationDeprecated => vec![OperationUndeprecated],
        OperationUndeprecated => vec![OperationDeprecated],
        OptionalParamAdded | RequiredParamAdded => vec![ParamRemoved],
        ParamRemoved => vec![OptionalParamAdded, RequiredParamAdded],
        ParamNowOptional => vec![ParamNowRequired],
        ParamNowRequired => vec![ParamNowOptional],
        RequestBodyNowOptional => vec![RequestBodyNowRequired],
        RequestBodyNowRequired => vec![RequestBodyNowOptional],
        // An object body is flattened into fields: added, it is its fields added, and removed,
        // one RequestBodyRemoved answers them all.
        RequestBodyRemoved => vec![
            RequiredRequestBodyAdded,
            OptionalRequestBodyAdded,
            RequiredRequestFieldAdded,
            OptionalRequestFieldAdded,
        ],
        OptionalRequestBodyAdded | RequiredRequestBodyAdded => vec![RequestBodyRemoved],
        ErrorStatusAdded => vec![ErrorStatusRemoved],
        ErrorStatusRemoved => vec![ErrorStatusAdded],
        SuccessStatusAdded | SuccessStatusAddedOtherBody => vec![SuccessStatusRemoved],
        SuccessStatusRemoved => vec![SuccessStatusAdded, SuccessStatusAddedOtherBody],
        OptionalRequestFieldAdded | RequiredRequestFieldAdded => {
            vec![RequestFieldRemoved, RequestBodyRemoved]
        }
        RequestFieldRemoved => vec![OptionalRequestFieldAdded, RequiredRequestFieldAdded],
        OptionalResponseFieldAdded | RequiredResponseFieldAdded => vec![ResponseFieldRemoved],
        ResponseFieldRemoved => vec![OptionalResponseFieldAdded, RequiredResponseFieldAdded],
        RequestFieldNowOptional => vec![RequestFieldNowRequired],
        RequestFieldNowRequired => vec![RequestFieldNowOptional],
        ResponseFieldNowOptional => vec![ResponseFieldNowRequired],
        ResponseFieldNowRequired => vec![ResponseFieldNowOptional],
        RequestFieldNowNullable => vec![RequestFieldNoLongerNullable],
        RequestFieldNoLongerNullable => vec![RequestFieldNowNullable],
        ResponseFieldNowNullable => vec![ResponseFieldNoLongerNullable],
        ResponseFieldNoLongerNullable => vec![ResponseFieldNowNullable],
        RequestEnumValueAdded => vec![RequestEnumValueRemoved],
        RequestEnumValueRemoved => vec![RequestEnumValueAdded],
        ResponseEnumValueAdded => vec![ResponseEnumValueRemoved],
        ResponseEnumValueRemoved => vec![ResponseEnumValueAdded],
        RequestUnionVariantAdded => vec![RequestUnionVariantRemoved],
        RequestUnionVariantRemoved => vec![RequestUnionVariantAdded],
        ResponseUnionVariantAdded => vec![ResponseUnionVariantRemoved],
        ResponseUnionVariantRemoved => vec![ResponseUnionVariantAdded],
        TypeAdded => vec![TypeRemoved],
        TypeRemoved => vec![TypeAdded],
        _ => return None,
    })
}

fn kind_named(name: &str) -> Kind {
    super::rules::RULES
        .iter()
        .map(|r| r.kind)
        .find(|k| k.name() == name)
        .unwrap_or_else(|| panic!("unknown kind {name}"))
}

/// Folders that change more than their expected.txt reports, because the rest is harmless
/// one way: reversed, it is reported. (folder, the extra kinds, why)
const EXTRA: &[(&str, &[Kind], &str)] = &[(
    "request_constraint_tightened",
    &[RequestConstraintTightened, ResponseLimitLoosened],
    "the pair also loosens a request limit and tightens a response one",
)];

#[test]
fn every_fixture_reversed_reports_the_counterpart_of_each_change() {
    let mut failures = Vec::new();
    for case in cases() {
        let forward: Vec<Kind> = expected(&case)
            .iter()
            .filter_map(|l| l.split_whitespace().next())
            .map(kind_named)
            .collect();
        let report = diff_files(&case.join("new.yaml"), &case.join("old.yaml"));
        let mut got: Vec<Kind> = report.changes.iter().map(|c| c.kind).collect();
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        for (_, extra, _) in EXTRA.iter().filter(|(folder, ..)| *folder == name) {
            for k in *extra {
                match got.iter().position(|g| g == k) {
                    Some(i) => {
                        got.remove(i);
                    }
                    None => failures.push(format!("{name}: no {k:?} reversed")),
                }
            }
        }
        let mut used: Vec<Kind> = Vec::new();
        let mut unmatched = Vec::new();
        for k in &forward {
            let wanted = counterparts(*k);
            if wanted.is_empty() {
                continue;
            }
            match got.iter().position(|g| wanted.contains(g)) {
                Some(i) => used.push(got.remove(i)),
                // One reversed change may answer several (a body for its fields).
                None if used.iter().any(|u| wanted.contains(u)) => {}
                None => unmatched.push(format!("{k:?} -> one of {wanted:?}")),
            }
        }
        // A flattened body's fields all answer one forward RequestBodyRemoved.
        if forward.contains(&RequestBodyRemoved) {
            got.retain(|g| !matches!(g, RequiredRequestFieldAdded | OptionalRequestFieldAdded));
        }
        if !unmatched.is_empty() || !got.is_empty() {
            failures.push(format!("{name}: missing {unmatched:?}, unexpected {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
