//! Stage 4: our own model of an API, lowered from `openapiv3` and independent of it.
//!
//! Everything the emitter prints is resolved here, as data: names are final Rust identifiers,
//! `$ref`s are type ids, servers are indexes, each operation's inputs are listed once in the
//! order the builder takes them, pagination names the fields it follows, and documentation is
//! prose from the spec plus facts (constraints, PII, maturity, scopes). Only emit writes prose.

pub(crate) mod lower;
pub(crate) mod names;
mod pagination;
mod recursion;
mod schema;

use serde_json::Value;

// What vendor extensions say, kept in the model under the names its readers (emit, diff) use;
// defined in `extensions`, which is below the model and must not import it.
pub(crate) use crate::extensions::{ApiStandards, MaturityLevel, Pii, Resource};
pub(crate) use lower::lower;

/// A whole API, ready to emit as one crate.
#[derive(Clone, Debug)]
pub(crate) struct Api {
    /// Crate name with underscores, e.g. `twilio_flex_v2`.
    pub(crate) crate_name: String,
    /// Package name with hyphens, e.g. `twilio-flex-v2`.
    pub(crate) package_name: String,
    /// The product's name for docs, vendor included once: `Twilio Flex API`.
    pub(crate) product: String,
    pub(crate) description: Option<String>,
    /// The spec's `info.version`.
    pub(crate) version: String,
    /// What `version` is: the API's version or the spec's release.
    pub(crate) info_version: crate::extensions::InfoVersion,
    /// The spec's `info.license`.
    pub(crate) license: Option<License>,
    /// Where to read about the API: `externalDocs.url`, else `info.contact.url`.
    pub(crate) homepage: Option<String>,
    /// Server URLs; operations refer to them by index. The spec's top-level servers come first.
    pub(crate) servers: Vec<String>,
    pub(crate) auth: AuthKind,
    pub(crate) client: ClientFacts,
    pub(crate) operations: Vec<Operation>,
    /// Requests the API sends to the user's endpoints.
    pub(crate) webhooks: Vec<Webhook>,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) sids: Vec<SidType>,
    /// Maturity levels described at the spec level.
    pub(crate) maturity_levels: Vec<MaturityLevel>,
    /// The version of the vendor's API standards the spec follows.
    pub(crate) api_standards: Option<ApiStandards>,
}

/// The vendor's name and the client conventions it asks for.
#[derive(Clone, Debug)]
pub(crate) struct ClientFacts {
    /// e.g. `Twilio`; `API` for a spec of no vendor we know.
    pub(crate) vendor: &'static str,
    pub(crate) conventions: crate::extensions::ClientConventions,
}

/// A license as the spec names it, and its SPDX identifier when it is a well-known one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct License {
    pub(crate) name: String,
    pub(crate) spdx: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthKind {
    None,
    Basic,
    Bearer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Whether repeating the request cannot change the outcome (RFC 9110, 9.2.2).
    pub(crate) fn is_idempotent(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Put | Method::Delete | Method::Options
        )
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Operation {
    /// The spec's operationId (or one derived from method and path).
    pub(crate) id: String,
    /// snake_case method name on `Client`.
    pub(crate) method_name: String,
    /// PascalCase name of the request builder.
    pub(crate) builder_name: String,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) server: usize,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) deprecated: bool,
    /// Parameters and body as the spec declares them (what `diff` compares).
    pub(crate) params: Vec<Param>,
    pub(crate) body: Option<Body>,
    /// What the builder takes, in order: parameters, then body fields or the whole body.
    pub(crate) inputs: Vec<Input>,
    /// The struct that holds the required inputs taken by name ([`Taken::Field`]), if any.
    pub(crate) required_struct: Option<String>,
    pub(crate) success: Success,
    /// The type of each server-sent event's data, when a success response is a
    /// `text/event-stream` with a schema (`send_events`).
    pub(crate) events: Option<Ty>,
    /// Every declared response, for the docs.
    pub(crate) responses: Vec<ResponseDoc>,
    pub(crate) maturity: Vec<String>,
    /// OAuth scopes a token needs for the operation.
    pub(crate) scopes: Vec<String>,
    /// The vendor's description of the resource the path belongs to.
    pub(crate) resource: Option<Resource>,
    pub(crate) pagination: Option<Pagination>,
}

impl Operation {
    /// The inputs `Client::<method>` takes as arguments, in order.
    pub(crate) fn arguments(&self) -> impl Iterator<Item = &Input> {
        self.inputs.iter().filter(|i| i.taken == Taken::Argument)
    }

    /// The inputs of the required-inputs struct, in order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &Input> {
        self.inputs.iter().filter(|i| i.taken == Taken::Field)
    }
}

/// A request the API sends to an endpoint of the user's: an OpenAPI 3.1 webhook or an
/// operation's callback.
#[derive(Clone, Debug)]
pub(crate) struct Webhook {
    /// The name the generated decoder takes: the key under `webhooks`, or the callback's.
    pub(crate) name: String,
    /// PascalCase variant of the generated `Webhook` enum.
    pub(crate) variant: String,
    pub(crate) method: Method,
    /// The operation that registers it, for a callback.
    pub(crate) callback_of: Option<CallbackOf>,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) deprecated: bool,
    /// What the request carries, if it has a body.
    pub(crate) payload: Option<Payload>,
}

/// The operation a callback belongs to, and the runtime expression that gives its URL.
#[derive(Clone, Debug)]
pub(crate) struct CallbackOf {
    /// The operation's method name on `Client`, unless the callback stands alone.
    pub(crate) operation: Option<String>,
    /// e.g. `{$request.body#/callback}`.
    pub(crate) expression: String,
}

/// A webhook's body.
#[derive(Clone, Debug)]
pub(crate) struct Payload {
    pub(crate) media_type: String,
    pub(crate) kind: PayloadKind,
}

/// How a webhook's body is decoded.
#[derive(Clone, Debug)]
pub(crate) enum PayloadKind {
    Json(Ty),
    Form(Ty),
    /// A content type we do not decode: the bytes as received.
    Raw,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResponseDoc {
    /// A status code, a range like `4XX`, or `default`.
    pub(crate) status: String,
    pub(crate) description: String,
    /// The body's type, for an error response with a JSON schema.
    pub(crate) body: Option<Ty>,
    /// What a 2xx response carries (`send()` may return a wider type when statuses share one).
    pub(crate) success: Option<StatusKind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// A parameter's `style` (OpenAPI's serialisation rules), with its `explode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How a parameter is written: its style and `explode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Serialisation {
    pub(crate) style: Style,
    pub(crate) explode: bool,
}

impl Serialisation {
    /// What OpenAPI says when the spec does not: `simple` in the path and headers, `form`
    /// (exploded) in the query and cookies.
    pub(crate) fn default_for(location: ParamLocation) -> Self {
        match location {
            ParamLocation::Path | ParamLocation::Header => Self {
                style: Style::Simple,
                explode: false,
            },
            ParamLocation::Query | ParamLocation::Cookie => Self {
                style: Style::Form,
                explode: true,
            },
        }
    }
}

impl ParamLocation {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub(crate) wire_name: String,
    pub(crate) rust_name: String,
    pub(crate) location: ParamLocation,
    pub(crate) serialisation: Serialisation,
    pub(crate) required: bool,
    pub(crate) ty: Ty,
    pub(crate) docs: Docs,
    /// The spec's example (or default) value.
    pub(crate) example: Option<Value>,
}

/// One argument or setter of a request builder.
#[derive(Clone, Debug)]
pub(crate) struct Input {
    /// The name on the builder (argument or setter), unique among the operation's inputs.
    pub(crate) name: String,
    pub(crate) wire_name: String,
    pub(crate) source: InputSource,
    /// How a parameter is written (bodies: their location's default, unused).
    pub(crate) serialisation: Serialisation,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) taken: Taken,
    pub(crate) docs: Docs,
    pub(crate) pii: Option<Pii>,
    /// A value the spec gives as an example (or default) for this input.
    pub(crate) example: Option<Value>,
}

/// How the caller gives an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Taken {
    /// A positional argument of the `Client` method.
    Argument,
    /// A field of the operation's required-inputs struct, named at the call site.
    Field,
    /// A setter on the builder (optional inputs).
    Setter,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum InputSource {
    Param(ParamLocation),
    /// A field of the body struct, held by the builder: `field` is its Rust name there.
    BodyField {
        field: String,
        boxed: bool,
    },
    /// The whole body, when it is not an object with properties.
    Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    Json,
    Form,
    Multipart,
    /// Text (`text/*`, XML), taken as a `String`.
    Text,
    /// Any other content type, taken as bytes.
    Bytes,
}

#[derive(Clone, Debug)]
pub(crate) struct Body {
    pub(crate) encoding: BodyEncoding,
    pub(crate) media_type: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    /// The struct whose fields became inputs, when the body is an object with properties.
    pub(crate) flattened: Option<TypeId>,
    /// The parts of a multipart body, one per property.
    pub(crate) parts: Vec<BodyPart>,
}

#[derive(Clone, Debug)]
pub(crate) struct BodyPart {
    /// The body struct's field.
    pub(crate) field: String,
    pub(crate) wire_name: String,
    pub(crate) kind: PartKind,
    pub(crate) optional: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PartKind {
    File,
    Files,
    Text,
}

/// What `send()` returns.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Success {
    /// Every 2xx response the spec declares is `204 No Content`.
    Empty,
    /// A JSON body of this type.
    Json(Ty),
    /// A text body (`text/*`), returned as a `String`.
    Text,
    /// 2xx responses with different bodies: an enum (named `name` in `operations`) with a
    /// variant per status.
    ByStatus {
        name: String,
        statuses: Vec<StatusBody>,
    },
    /// A body the spec gives no schema (or a non-JSON one): returned as bytes.
    Untyped,
}

/// One declared success status and what it carries.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StatusBody {
    /// `200`, or a range like `2XX`.
    pub(crate) status: String,
    pub(crate) variant: String,
    pub(crate) description: String,
    pub(crate) body: StatusKind,
}

/// What a success status carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StatusKind {
    Json(Ty),
    Text,
    Untyped,
    Empty,
}

/// How a list operation pages.
#[derive(Clone, Debug)]
pub(crate) struct Pagination {
    pub(crate) page_type: TypeId,
    pub(crate) item_ty: Ty,
    /// The page's field holding the items.
    pub(crate) items: FieldStep,
    /// The fields leading to the next-page link, outermost first; the last one is the link.
    pub(crate) next_link: Vec<FieldStep>,
    /// The builder's page-size setter, if the operation has one.
    pub(crate) page_size_input: Option<String>,
}

/// One field on the way through a response value.
#[derive(Clone, Debug)]
pub(crate) struct FieldStep {
    pub(crate) rust_name: String,
    pub(crate) optional: bool,
}

/// Documentation of an item: prose from the spec, and facts that emit writes out.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Docs {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) facts: Vec<Fact>,
}

/// Something the spec says about a value besides its type, in the order the docs list it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Fact {
    Pattern(String),
    Length {
        min: Option<usize>,
        max: Option<usize>,
    },
    Minimum {
        value: String,
        exclusive: bool,
    },
    Maximum {
        value: String,
        exclusive: bool,
    },
    MinItems(usize),
    MaxItems(usize),
    /// The values a non-string enum allows.
    AllowedValues(Vec<Value>),
    /// A format that does not change the Rust type (e.g. `uri`).
    Format(String),
    Default(Value),
    Example(Value),
    Deprecated,
    ReadOnly,
}

/// A type position: where a field, parameter or body has a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Ty {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Date,
    Binary,
    /// The raw bytes of a request body that is not JSON, form data or multipart.
    Bytes,
    /// Any JSON value (`{}` or an untyped schema).
    Any,
    /// A free-form object.
    JsonObject,
    Vec(Box<Ty>),
    /// A value that may be `null`, where Rust must say so in the type: a list item or map
    /// value (`Vec<Option<T>>`); fields are `Option` already.
    Nullable(Box<Ty>),
    Map(Box<Ty>),
    Named(TypeId),
    Sid(usize),
}

impl Ty {
    /// Whether serde can decode `null` into this type as-is.
    pub(crate) fn accepts_null(&self) -> bool {
        matches!(self, Ty::Any | Ty::Nullable(_))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TypeId(pub(crate) usize);

#[derive(Clone, Debug)]
pub(crate) struct TypeDef {
    pub(crate) name: String,
    pub(crate) docs: Docs,
    pub(crate) kind: TypeKind,
    /// Where the schema is, for messages and for tests that map examples to types.
    pub(crate) pointer: String,
}

#[derive(Clone, Debug)]
pub(crate) enum TypeKind {
    Struct(Struct),
    /// A string enum with a fallback for values the spec does not list.
    Enum(StringEnum),
    Union(Union),
    /// A component that is not an object, e.g. `type: string` or an array.
    Alias(Ty),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Struct {
    pub(crate) fields: Vec<Field>,
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) wire_name: String,
    pub(crate) rust_name: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) nullable: bool,
    pub(crate) boxed: bool,
    pub(crate) docs: Docs,
    pub(crate) pii: Option<Pii>,
    /// `readOnly`: the server sets it, so requests need not (and should not) send it.
    pub(crate) read_only: bool,
    /// `writeOnly`: callers send it, and responses never carry it.
    pub(crate) write_only: bool,
}

impl Field {
    /// Optional and nullable fields are `Option<T>`: both null and absent decode.
    pub(crate) fn is_option(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Clone, Debug)]
pub(crate) struct StringEnum {
    pub(crate) variants: Vec<EnumVariant>,
    pub(crate) fallback_name: String,
}

#[derive(Clone, Debug)]
pub(crate) struct EnumVariant {
    pub(crate) wire: String,
    pub(crate) rust_name: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Union {
    /// `Some(property)` for a discriminated union, serialised with the tag inline once.
    pub(crate) tag: Option<String>,
    pub(crate) variants: Vec<UnionVariant>,
}

#[derive(Clone, Debug)]
pub(crate) struct UnionVariant {
    pub(crate) rust_name: String,
    /// Tag value(s) selecting this variant (discriminated unions only).
    pub(crate) tags: Vec<String>,
    pub(crate) ty: Ty,
}

/// An identifier newtype (a Twilio SID), shared by every field and parameter with its prefix.
#[derive(Clone, Debug)]
pub(crate) struct SidType {
    pub(crate) name: String,
    pub(crate) prefix: [char; 2],
    /// The runtime type, generic over the prefix letters.
    pub(crate) runtime_type: &'static str,
}

impl SidType {
    /// The prefix as text, e.g. `US`.
    pub(crate) fn prefix_text(&self) -> String {
        String::from_iter(self.prefix)
    }
}
