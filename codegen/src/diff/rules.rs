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

/// What a change means for a caller written against the old spec (by hand or with the old
/// crate), ordered so the verdict is the maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Http {
    /// Every request that worked still works and every response still decodes.
    Compatible,
    /// Some requests that passed before may now be rejected (a constraint tightened): whether
    /// real callers are hit depends on the values they send.
    Potential,
    /// Callers fail.
    Breaking,
}

impl Http {
    pub fn as_str(self) -> &'static str {
        match self {
            Http::Compatible => "compatible",
            Http::Potential => "potentially breaking",
            Http::Breaking => "breaking",
        }
    }
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub kind: Kind,
    pub http: Http,
    pub semver: Semver,
    pub why: &'static str,
}

/// Defines `Kind`, `RULES` and `rule()` from one list, so the table cannot miss a kind and a
/// kind cannot have two rules.
macro_rules! rules {
    ($($kind:ident => $http:ident, $semver:ident, $why:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($kind),* }

        pub const RULES: &[Rule] = &[$(Rule { kind: Kind::$kind, http: Http::$http, semver: Semver::$semver, why: $why }),*];

        pub fn rule(kind: Kind) -> Rule {
            match kind { $(Kind::$kind => Rule { kind, http: Http::$http, semver: Semver::$semver, why: $why }),* }
        }

        impl Kind {
            pub fn name(self) -> &'static str {
                match self { $(Kind::$kind => stringify!($kind)),* }
            }
        }
    };
}

// kind => what HTTP callers see (Breaking, Potential, Compatible), crate semver, why.
rules! {
    // Whole specs (only with `--since`): a spec is a crate.
    SpecAdded => Compatible, Minor, "A new spec is a new crate; nothing that exists changes.";
    SpecRemoved => Breaking, Major, "The crate and every operation in it go away.";
    AuthChanged => Breaking, Major, "Callers must supply different credentials: code still compiles but every request fails until it does.";
    SecurityRequirementTightened => Breaking, Patch, "Credentials that satisfied the old security requirement (a scheme, or an OAuth scope set) no longer do: those requests are rejected. The crate's auth is configured per client, so its Rust API is the same.";

    // Operations, matched by operationId.
    OperationAdded => Compatible, Minor, "A new Client method and request builder; existing code is untouched.";
    OperationRemoved => Breaking, Major, "The endpoint and its Client method and builder go away.";
    OperationRenamed => Compatible, Major, "Same method and path under a new operationId: nothing changes on the wire, but the Client method and its builder get new names.";
    PlannedOperationRemoval => Potential, Major, "The operation was deprecated and its removal announced (per --deprecation-policy: by default a sunset date that has passed): callers were told, and those still calling it fail; the Client method and builder go away.";
    MethodChanged => Breaking, Patch, "Old callers use the old HTTP method; the generated method keeps its signature and sends the new one.";
    PathChanged => Breaking, Patch, "Old callers use the old path; the generated method keeps its signature and uses the new one.";
    ServerChanged => Breaking, Patch, "Old callers go to the old host; the crate's server table follows the spec with no API change.";
    MaturityChanged => Compatible, Patch, "Documentation only. Still worth a look: leaving GA means the endpoint may change without notice.";
    OperationDeprecated => Compatible, Minor, "The method gains #[deprecated]: existing code compiles with a warning (semver treats deprecation as minor).";
    OperationUndeprecated => Compatible, Patch, "The #[deprecated] attribute goes away; nothing else changes.";

    // Parameters (path, query, header), matched by location and name.
    OptionalParamAdded => Compatible, Minor, "The server does not need it; the builder gains a setter.";
    RequiredParamAdded => Breaking, Major, "Requests without it are rejected; the Client method gains an argument.";
    ParamRemoved => Breaking, Major, "The server no longer reads it, so what callers send is ignored or rejected; its setter or argument goes away.";
    PlannedParamRemoval => Potential, Major, "The parameter was deprecated and its removal announced (per --deprecation-policy): callers were told, and those still sending it may be rejected; its setter or argument goes away.";
    ParamNowRequired => Breaking, Major, "Requests that omit it are rejected; its setter becomes a method argument.";
    ParamNowOptional => Compatible, Major, "Existing requests still work, but the method argument becomes a setter, so existing calls stop compiling.";
    ParamTypeChanged => Breaking, Major, "Values of the old type are rejected; the argument or setter takes the new type.";
    PathParamRenamed => Compatible, Patch, "The URL template is the same with a new placeholder name: nothing changes on the wire, and Rust argument names are not part of a signature.";
    RequestTypeWidened => Compatible, Major, "The server accepts every value it accepted before (e.g. a date-time that became any string, an object that became any JSON value); the Rust type changes, so code passing the old type stops compiling.";
    RequestFreeFormNarrowed => Potential, Major, "A free-form value that took any JSON value now asks for an object: callers that send objects (as most do) are unaffected, others are rejected if the server enforces it; the Rust type changes (Value -> Map).";
    RequestValuesRestricted => Potential, Major, "The value stays a string, but the spec allows fewer of them (a SID prefix changed, an enum or SID type replaced a free string): callers sending other values are rejected if the server enforces it, and the Rust type changes.";
    RequestConstraintTightened => Potential, Patch, "Values within the old limit but outside the new one are now rejected; the Rust type is the same (limits are documented, not enforced by the crate).";

    // Request bodies. Object bodies are flattened into fields, reported below.
    RequiredRequestBodyAdded => Breaking, Major, "Requests without the new body are rejected; the Client method gains a body argument.";
    OptionalRequestBodyAdded => Compatible, Minor, "The server does not need it; the builder gains a body setter.";
    RequestBodyNowRequired => Breaking, Major, "Requests without a body are rejected; the body setter becomes a method argument.";
    RequestBodyNowOptional => Compatible, Major, "Existing requests still work, but the body argument becomes a setter, so calls stop compiling.";
    RequestBodyRemoved => Breaking, Major, "Callers still send a body the server no longer reads; the body argument or setter goes away.";
    RequestBodyTypeChanged => Breaking, Major, "Bodies of the old type are rejected; the body argument takes the new type.";
    RequestContentTypeChanged => Breaking, Patch, "Old callers send the old encoding; the generated builder encodes the new way with the same Rust API.";

    // Request fields: body fields, and fields of types reachable from bodies and parameters.
    OptionalRequestFieldAdded => Compatible, Minor, "The server does not need it; the builder (and the #[non_exhaustive] struct) gain a setter/field.";
    RequiredRequestFieldAdded => Breaking, Major, "Requests without it are rejected; the Client method and the struct's new() gain an argument.";
    RequestFieldRemoved => Breaking, Major, "What callers send is ignored or rejected; the field and its setter go away.";
    RequestFieldNowRequired => Breaking, Major, "Requests that omit it are rejected; T replaces Option<T> and the setter becomes an argument.";
    RequestFieldNowOptional => Compatible, Major, "Existing requests still work, but the argument becomes a setter (Option<T> replaces T), so calls stop compiling.";
    RequestFieldNowNullable => Compatible, Major, "The server accepts more, but Option<T> replaces T in the generated struct.";
    RequestFieldNoLongerNullable => Breaking, Major, "Callers that send null are rejected; T replaces Option<T>.";
    RequestFieldTypeChanged => Breaking, Major, "Values of the old type are rejected; the field takes the new type.";

    // Response fields: fields of types reachable from success responses.
    OptionalResponseFieldAdded => Compatible, Minor, "Clients ignore fields they do not know; the struct is #[non_exhaustive], so a new Option field is additive.";
    RequiredResponseFieldAdded => Compatible, Major, "HTTP clients ignore it, but the struct's new() gains an argument (and Default goes if it had it).";
    ResponseFieldRemoved => Breaking, Major, "Callers reading it find it missing; the struct field goes away.";
    ResponseFieldNowRequired => Compatible, Major, "Callers get a stronger guarantee, but T replaces Option<T> in the generated struct.";
    ResponseFieldNowOptional => Breaking, Major, "Callers that rely on the field being present fail when it is absent; Option<T> replaces T.";
    ResponseFieldNowNullable => Breaking, Major, "Callers that do not expect null fail on it; Option<T> replaces T.";
    ResponseFieldNoLongerNullable => Compatible, Major, "Callers get a stronger guarantee, but T replaces Option<T>.";
    ResponseFieldTypeChanged => Breaking, Major, "Callers decoding the old type fail; the field has the new type.";
    ResponseFreeFormWidened => Potential, Major, "A free-form object is now declared as any JSON value: the server may send what it sent before, but no longer promises an object, and callers that decode one fail only if something else arrives; the Rust type changes (Map -> Value).";
    ResponseTypeNarrowed => Compatible, Major, "Every value the server sends now was allowed before (e.g. any JSON value that became an object, a string that became a date-time); the Rust type changes, so code reading the old type stops compiling.";
    FieldPiiChanged => Compatible, Patch, "Documentation and Debug redaction only; the data on the wire is the same.";

    // Enums and unions, per direction: callers send request values and receive response ones.
    RequestEnumValueAdded => Compatible, Minor, "Callers may send a new value; the #[non_exhaustive] enum gains a variant.";
    RequestEnumValueRemoved => Breaking, Major, "The server rejects a value callers may send; the variant goes away.";
    ResponseEnumValueAdded => Compatible, Minor, "The crate's enums decode values they do not list as Unknown, so its users are unaffected and the #[non_exhaustive] enum gains a variant; a hand-written client that accepts only the listed values would reject the new one.";
    ResponseEnumValueRemoved => Compatible, Major, "Callers just stop seeing the value; the variant goes away, breaking code that names it.";
    RequestUnionVariantAdded => Compatible, Minor, "Callers may send a new shape; the #[non_exhaustive] union gains a variant.";
    RequestUnionVariantRemoved => Breaking, Major, "The server rejects a shape callers may send; the variant goes away.";
    ResponseUnionVariantAdded => Compatible, Minor, "The crate's unions decode shapes they do not list as Unknown, so its users are unaffected and the union gains a variant; a hand-written client that accepts only the listed shapes would reject the new one.";
    ResponseUnionVariantRemoved => Compatible, Major, "Callers stop seeing the shape; the variant goes away, breaking code that names it.";

    // Named types, matched by schema pointer (components) or by how operations use them.
    TypeAdded => Compatible, Minor, "A new public type in types.rs.";
    TypeRemoved => Compatible, Major, "The public type goes away (its uses are reported as their own changes).";
    TypeRenamed => Compatible, Major, "The same schema gets a new Rust name; code naming the old one stops compiling.";
    TypeKindChanged => Breaking, Major, "The schema changes shape (object, enum, union or alias): values of the old shape no longer decode or validate.";

    // Response enums: one value removed and another added in the same release.
    ResponseEnumValueReplaced => Breaking, Major, "A value callers receive and match on disappears while another appears: most often a rename, and code matching the old value (or the variant named for it) silently stops matching; the crate's enum loses the old variant.";
    ResponseFreeFormNowTyped => Potential, Major, "A free-form object (a map of any keys, often strings) now declares its properties: values callers read from the map may now arrive typed differently (numbers, objects), and the Rust type changes from a map to a struct.";

    // Schema keywords, compared on the specs' schemas before lowering (see diff::schema): where
    // the caller sends (request bodies and parameters), a keyword that rejects more breaks;
    // where the caller receives (success responses, webhook payloads), one that allows more.
    // The Rust type is the same (the crate does not express these keywords): patch.
    RequestConstTightened => Breaking, Patch, "A request value gains (or changes) its `const`: every other value callers send is rejected.";
    RequestNotTightened => Breaking, Patch, "A request value gains (or changes) a `not` schema: values matching it are now rejected.";
    RequestConditionalTightened => Breaking, Patch, "A request value gains (or changes) `if`/`then`/`else`: values that meet the condition must now also match the new branch.";
    RequestDependentRequiredTightened => Breaking, Patch, "`dependentRequired` gains a dependency: requests that send the first property without the newly required one are rejected.";
    RequestDependentSchemasTightened => Breaking, Patch, "`dependentSchemas` gains (or changes) a schema: requests that send that property must now also match it.";
    RequestContainsTightened => Breaking, Patch, "A request list gains `contains` (or a higher `minContains`, a lower `maxContains`): lists without enough (or with too many) matching items are rejected.";
    RequestPatternPropertiesTightened => Breaking, Patch, "`patternProperties` gains (or changes) a pattern: request properties whose names match it must now match its schema.";
    RequestPropertyNamesTightened => Breaking, Patch, "A request object gains (or changes) `propertyNames`: objects with other property names are rejected.";
    RequestUnevaluatedTightened => Breaking, Patch, "`unevaluatedProperties` or `unevaluatedItems` closes (or constrains) what the other keywords do not cover: requests with extra properties or items are rejected.";
    RequestAllOfTightened => Breaking, Patch, "A request schema gains an `allOf` member: values must match one more schema, and those that do not are rejected.";
    RequestMultipleOfTightened => Breaking, Patch, "A request number gains (or changes) `multipleOf`: values that are not multiples of the new step are rejected.";
    RequestUniqueItemsTightened => Breaking, Patch, "A request list now requires `uniqueItems`: lists with a repeated item are rejected.";
    RequestAdditionalPropertiesClosed => Potential, Patch, "A request object gains `additionalProperties: false`: callers that send properties the spec does not list are rejected (most send only listed ones).";
    RequestPropertyCountTightened => Potential, Patch, "A request object's `minProperties` rises or `maxProperties` falls: objects within the old count but outside the new one are rejected.";
    RequestParamStyleChanged => Breaking, Patch, "A list or object parameter is serialised another way (`style`, `explode`): callers that keep writing it the old way (a=1,2 against a=1&a=2) are misread or rejected; the crate's encoder follows the spec with the same Rust API.";
    RequestDefaultChanged => Potential, Patch, "A request value's `default` changes: callers that leave it out get another behaviour than before, though every request still passes.";
    RequestExtensibleEnumValueRemoved => Breaking, Patch, "A value of an `x-extensible-enum` callers may send is no longer listed: the server may reject it (the crate types the value as a string either way).";
    ResponseConstLoosened => Potential, Patch, "A response value loses (or changes) its `const`: callers that match on the one value they were promised meet others.";
    ResponseNotLoosened => Potential, Patch, "A response value loses (or changes) a `not` schema: the server may send values it promised not to.";
    ResponseConditionalLoosened => Potential, Patch, "A response value loses (or changes) `if`/`then`/`else`: what callers could infer from the condition no longer holds.";
    ResponseDependentRequiredLoosened => Potential, Patch, "`dependentRequired` loses a dependency: callers that read the second property whenever the first is present may find it absent.";
    ResponseDependentSchemasLoosened => Potential, Patch, "`dependentSchemas` loses (or changes) a schema: what callers could rely on when that property is present no longer holds.";
    ResponseContainsLoosened => Potential, Patch, "A response list loses `contains` (or gets a lower `minContains`, a higher `maxContains`): callers that look for the promised items may not find them.";
    ResponsePatternPropertiesLoosened => Potential, Patch, "`patternProperties` loses (or changes) a pattern: response properties with matching names may carry other values than callers decode.";
    ResponsePropertyNamesLoosened => Potential, Patch, "A response object loses (or changes) `propertyNames`: callers may meet property names outside the old rule.";
    ResponseUnevaluatedLoosened => Potential, Patch, "`unevaluatedProperties` or `unevaluatedItems` opens up: the server may send extra properties or items (the crate ignores unknown properties; strict clients reject them).";
    ResponseAllOfLoosened => Potential, Patch, "A response schema loses an `allOf` member: the server no longer promises values match it.";
    ResponseMultipleOfLoosened => Potential, Patch, "A response number loses (or changes) `multipleOf`: callers that rely on the step (e.g. whole cents) may meet other values.";
    ResponseUniqueItemsLoosened => Potential, Patch, "A response list no longer promises `uniqueItems`: callers that use it as a set may meet repeats.";
    ResponseAdditionalPropertiesOpened => Potential, Patch, "A response object drops `additionalProperties: false`: the server may send properties the spec does not list; the crate ignores them, a strict client rejects them.";
    ResponsePropertyCountLoosened => Potential, Patch, "A response object's `minProperties` falls or `maxProperties` rises: callers may meet fewer or more properties than promised.";
    ResponseLimitLoosened => Potential, Patch, "A response limit loosens (`minLength`, `maxLength`, `minItems`, `maxItems`, `minimum`, `maximum`, exclusive bounds, `pattern`, non-string `enum`): the crate decodes the same Rust type, but a client that sized a buffer or validated against the old limit meets values outside it.";
    ResponseNowNullable => Breaking, Patch, "A response value (body, list item or parameter-like position the model does not type) may now be null: typed clients that never expected null fail on it.";
    RequestNoLongerNullable => Breaking, Patch, "A request value (parameter or body) stops accepting null: callers that send null are rejected.";

    // Media types, compared per request body and per response.
    RequestMediaTypeAdded => Compatible, Patch, "The server accepts one more request encoding; callers keep sending the one they use (the crate sends the one it picks).";
    RequestMediaTypeRemoved => Breaking, Patch, "Callers that send this encoding are rejected (415); the crate's builder follows the spec if it used it.";
    RequiredResponseHeaderRemoved => Breaking, Patch, "A success response no longer declares a header it promised (`required: true`): callers reading it find it missing. The crate's Rust API does not type response headers, so it is the same.";
    ResponseHeaderRemoved => Potential, Patch, "A success response no longer declares an optional header: callers that read it when present may stop seeing it. The crate's Rust API does not type response headers.";
    ResponseMediaTypeAdded => Compatible, Patch, "The server may answer in one more media type; callers that ask (Accept) for the old one still get it.";
    ResponseMediaTypeRemoved => Breaking, Patch, "Callers that ask for or parse this media type no longer get it.";
    ResponseMediaTypeGeneralised => Potential, Patch, "A specific media type (e.g. application/problem+json) is replaced by a general one (application/json): the body may be the same, but callers that dispatch on the media type no longer recognise it.";

    // Webhooks (OpenAPI 3.1 `webhooks`): requests the API sends to the caller, so payloads are
    // judged in the receiver's direction (like responses), and the generated decoder follows.
    WebhookAdded => Compatible, Minor, "The API may send a new event; receivers that do not handle it ignore it, and the crate gains a decoder.";
    WebhookRemoved => Breaking, Major, "Receivers stop getting the event they handle; the crate's decoder for it goes away.";
    WebhookPayloadFieldAdded => Compatible, Minor, "Receivers ignore fields they do not know, required or not; the payload type gains a field.";
    WebhookPayloadFieldRemoved => Breaking, Major, "Receivers reading the field find it missing; the payload type loses it.";
    WebhookPayloadFieldNowOptional => Breaking, Major, "Receivers that rely on the field being present fail when it is absent; Option<T> replaces T.";
    WebhookPayloadTypeChanged => Breaking, Major, "Receivers decoding the old type fail on the new one; the payload field changes type.";

    // Responses.
    SuccessTypeChanged => Breaking, Major, "Callers decoding the old success body fail; send() returns the new type.";
    SuccessBodyNowUntyped => Compatible, Major, "A declared 204 became a success without a schema (or back): nothing on the wire has to change, but send() returns the body (sdk_runtime::Body) instead of () (or back).";
    SuccessStatusAdded => Compatible, Patch, "The new 2xx status has the body send() already decodes (send() accepts any 2xx); only a client that checks for one exact status would reject it.";
    SuccessStatusAddedOtherBody => Breaking, Patch, "The new 2xx status answers with another body (or none), which callers decoding the old success body cannot read. Where send() returned that body, it now returns an enum with a variant per status, reported on its own as SuccessTypeChanged.";
    SuccessStatusRemoved => Compatible, Patch, "Callers just stop seeing that status; send() accepts any 2xx.";
    ErrorStatusAdded => Compatible, Patch, "Any call can fail; this documents a new failure in send()'s docs.";
    ErrorStatusRemoved => Compatible, Patch, "Any call can still fail; send()'s docs list one failure fewer.";
}

/// A presence or nullability change whose Rust type stays `Option<T>` (the field is optional
/// or nullable on both sides) changes neither a signature nor a struct: patch, whatever the
/// table's row says, which describes the usual case where `T` and `Option<T>` swap.
pub const SAME_RUST_TYPE_WHY: &str =
    "The Rust type is Option<T> before and after, so only the docs change for the crate.";

/// The same in a response is also compatible for HTTP callers: absent and `null` both decode
/// as `None`, so no caller of the crate sees a difference.
pub const SAME_RUST_TYPE_RESPONSE_WHY: &str = "The Rust type is Option<T> before and after, and absent and null both decode as None: neither the crate nor its callers see a change (only a hand-written client that tells absent from null would).";

/// The table as Markdown, for `--rules` and DIFF.md.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Change | HTTP callers | Crate semver | Why |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.kind.name(),
            r.http.as_str(),
            r.semver.as_str(),
            r.why
        ));
    }
    out
}
