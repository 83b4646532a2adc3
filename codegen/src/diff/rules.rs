//! The classification table: every kind of change `cargo xtask diff` reports, whether it
//! breaks existing HTTP callers, and what it means for the generated crate's version.
//!
//! Facts about the generated crate the reasons rely on (see `codegen/src/emit`):
//! - structs and enums are `#[non_exhaustive]`; enums and unions decode unlisted values into
//!   an `Unknown` variant, so adding a field, enum value or union variant is additive;
//! - a required input (parameter or body field) is an argument of the `Client` method, an
//!   optional one is a setter on the request builder, so moving between the two changes
//!   signatures in both directions;
//! - a field is `Option<T>` when it is optional or nullable, and a struct's `new()` takes its
//!   non-`Option` fields (and it derives `Default` only when it has none);
//! - method, path, server, content type and auth scheme live in private statics: the crate
//!   follows a change to them without any change to its Rust API.

/// Semver impact on the generated crate, ordered so the verdict is the maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    Patch,
    Minor,
    Major,
}

impl Semver {
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub kind: Kind,
    /// Whether a caller written against the old spec (by hand or with the old crate) can fail.
    pub http_breaking: bool,
    pub semver: Semver,
    pub why: &'static str,
}

/// Defines `Kind`, `RULES` and `rule()` from one list, so the table cannot miss a kind and a
/// kind cannot have two rules.
macro_rules! rules {
    ($($kind:ident => $http:literal, $semver:ident, $why:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($kind),* }

        pub const RULES: &[Rule] = &[$(Rule { kind: Kind::$kind, http_breaking: $http, semver: Semver::$semver, why: $why }),*];

        pub fn rule(kind: Kind) -> Rule {
            match kind { $(Kind::$kind => Rule { kind, http_breaking: $http, semver: Semver::$semver, why: $why }),* }
        }

        impl Kind {
            pub fn name(self) -> &'static str {
                match self { $(Kind::$kind => stringify!($kind)),* }
            }
        }
    };
}

// kind => breaks HTTP callers?, crate semver, why.
rules! {
    // Whole specs (only with `--since`): a spec is a crate.
    SpecAdded => false, Minor, "A new spec is a new crate; nothing that exists changes.";
    SpecRemoved => true, Major, "The crate and every operation in it go away.";
    AuthChanged => true, Major, "Callers must supply different credentials: code still compiles but every request fails until it does.";

    // Operations, matched by operationId.
    OperationAdded => false, Minor, "A new Client method and request builder; existing code is untouched.";
    OperationRemoved => true, Major, "The endpoint and its Client method and builder go away.";
    MethodChanged => true, Patch, "Old callers use the old HTTP method; the generated method keeps its signature and sends the new one.";
    PathChanged => true, Patch, "Old callers use the old path; the generated method keeps its signature and uses the new one.";
    ServerChanged => true, Patch, "Old callers go to the old host; the crate's server table follows the spec with no API change.";
    MaturityChanged => false, Patch, "Documentation only. Still worth a look: leaving GA means the endpoint may change without notice.";
    OperationDeprecated => false, Minor, "The method gains #[deprecated]: existing code compiles with a warning (semver treats deprecation as minor).";
    OperationUndeprecated => false, Patch, "The #[deprecated] attribute goes away; nothing else changes.";

    // Parameters (path, query, header), matched by location and name.
    OptionalParamAdded => false, Minor, "The server does not need it; the builder gains a setter.";
    RequiredParamAdded => true, Major, "Requests without it are rejected; the Client method gains an argument.";
    ParamRemoved => true, Major, "The server no longer reads it, so what callers send is ignored or rejected; its setter or argument goes away.";
    ParamNowRequired => true, Major, "Requests that omit it are rejected; its setter becomes a method argument.";
    ParamNowOptional => false, Major, "Existing requests still work, but the method argument becomes a setter, so existing calls stop compiling.";
    ParamTypeChanged => true, Major, "Values of the old type are rejected; the argument or setter takes the new type.";

    // Request bodies. Object bodies are flattened into fields, reported below.
    RequiredRequestBodyAdded => true, Major, "Requests without the new body are rejected; the Client method gains a body argument.";
    OptionalRequestBodyAdded => false, Minor, "The server does not need it; the builder gains a body setter.";
    RequestBodyNowRequired => true, Major, "Requests without a body are rejected; the body setter becomes a method argument.";
    RequestBodyNowOptional => false, Major, "Existing requests still work, but the body argument becomes a setter, so calls stop compiling.";
    RequestBodyRemoved => true, Major, "Callers still send a body the server no longer reads; the body argument or setter goes away.";
    RequestBodyTypeChanged => true, Major, "Bodies of the old type are rejected; the body argument takes the new type.";
    RequestContentTypeChanged => true, Patch, "Old callers send the old encoding; the generated builder encodes the new way with the same Rust API.";

    // Request fields: body fields, and fields of types reachable from bodies and parameters.
    OptionalRequestFieldAdded => false, Minor, "The server does not need it; the builder (and the #[non_exhaustive] struct) gain a setter/field.";
    RequiredRequestFieldAdded => true, Major, "Requests without it are rejected; the Client method and the struct's new() gain an argument.";
    RequestFieldRemoved => true, Major, "What callers send is ignored or rejected; the field and its setter go away.";
    RequestFieldNowRequired => true, Major, "Requests that omit it are rejected; T replaces Option<T> and the setter becomes an argument.";
    RequestFieldNowOptional => false, Major, "Existing requests still work, but the argument becomes a setter (Option<T> replaces T), so calls stop compiling.";
    RequestFieldNowNullable => false, Major, "The server accepts more, but Option<T> replaces T in the generated struct.";
    RequestFieldNoLongerNullable => true, Major, "Callers that send null are rejected; T replaces Option<T>.";
    RequestFieldTypeChanged => true, Major, "Values of the old type are rejected; the field takes the new type.";

    // Response fields: fields of types reachable from success responses.
    OptionalResponseFieldAdded => false, Minor, "Clients ignore fields they do not know; the struct is #[non_exhaustive], so a new Option field is additive.";
    RequiredResponseFieldAdded => false, Major, "HTTP clients ignore it, but the struct's new() gains an argument (and Default goes if it had it).";
    ResponseFieldRemoved => true, Major, "Callers reading it find it missing; the struct field goes away.";
    ResponseFieldNowRequired => false, Major, "Callers get a stronger guarantee, but T replaces Option<T> in the generated struct.";
    ResponseFieldNowOptional => true, Major, "Callers that rely on the field being present fail when it is absent; Option<T> replaces T.";
    ResponseFieldNowNullable => true, Major, "Callers that do not expect null fail on it; Option<T> replaces T.";
    ResponseFieldNoLongerNullable => false, Major, "Callers get a stronger guarantee, but T replaces Option<T>.";
    ResponseFieldTypeChanged => true, Major, "Callers decoding the old type fail; the field has the new type.";
    FieldPiiChanged => false, Patch, "Documentation and Debug redaction only; the data on the wire is the same.";

    // Enums and unions, per direction: callers send request values and receive response ones.
    RequestEnumValueAdded => false, Minor, "Callers may send a new value; the #[non_exhaustive] enum gains a variant.";
    RequestEnumValueRemoved => true, Major, "The server rejects a value callers may send; the variant goes away.";
    ResponseEnumValueAdded => true, Minor, "A strict client that matches every value rejects the new one; the crate's #[non_exhaustive] enum gains a variant (it decoded as Unknown before).";
    ResponseEnumValueRemoved => false, Major, "Callers just stop seeing the value; the variant goes away, breaking code that names it.";
    RequestUnionVariantAdded => false, Minor, "Callers may send a new shape; the #[non_exhaustive] union gains a variant.";
    RequestUnionVariantRemoved => true, Major, "The server rejects a shape callers may send; the variant goes away.";
    ResponseUnionVariantAdded => true, Minor, "A strict client rejects the new shape; the crate's union gains a variant (it decoded as Unknown before).";
    ResponseUnionVariantRemoved => false, Major, "Callers stop seeing the shape; the variant goes away, breaking code that names it.";

    // Named types, matched by schema pointer (components) or by how operations use them.
    TypeAdded => false, Minor, "A new public type in types.rs.";
    TypeRemoved => false, Major, "The public type goes away (its uses are reported as their own changes).";
    TypeRenamed => false, Major, "The same schema gets a new Rust name; code naming the old one stops compiling.";
    TypeKindChanged => true, Major, "The schema changes shape (object, enum, union or alias): values of the old shape no longer decode or validate.";

    // Responses.
    SuccessTypeChanged => true, Major, "Callers decoding the old success body fail; send() returns the new type.";
    SuccessBodyNowUntyped => false, Major, "A declared 204 became a success without a schema (or back): nothing on the wire has to change, but send() returns the body (sdk_runtime::Body) instead of () (or back).";
    SuccessStatusAdded => true, Patch, "A client that checks for the exact old status rejects the new one; send() accepts any 2xx.";
    SuccessStatusRemoved => false, Patch, "Callers just stop seeing that status; send() accepts any 2xx.";
    ErrorStatusAdded => false, Patch, "Any call can fail; this documents a new failure in send()'s docs.";
    ErrorStatusRemoved => false, Patch, "Any call can still fail; send()'s docs list one failure fewer.";
}

/// A presence or nullability change whose Rust type stays `Option<T>` (the field is optional
/// or nullable on both sides) changes neither a signature nor a struct: patch, whatever the
/// table's row says, which describes the usual case where `T` and `Option<T>` swap.
pub const SAME_RUST_TYPE_WHY: &str =
    "The Rust type is Option<T> before and after, so only the docs change for the crate.";

/// The table as Markdown, for `--rules` and DIFF.md.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Change | Breaks HTTP callers | Crate semver | Why |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.kind.name(),
            if r.http_breaking { "yes" } else { "no" },
            r.semver.as_str(),
            r.why
        ));
    }
    out
}
