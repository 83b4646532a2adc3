//! Stage 4: our own model of an API, lowered from `openapiv3` and independent of it.
//! Everything the emitter needs is resolved here: names are final Rust identifiers, `$ref`s
//! are type ids, servers are indexes, vendor extensions are plain fields.

pub mod lower;
pub mod names;
pub mod schema;

use std::collections::BTreeMap;

/// A whole API, ready to emit as one crate.
#[derive(Clone, Debug)]
pub struct Api {
    /// Crate name with underscores, e.g. `twilio_flex_v2`.
    pub crate_name: String,
    /// Package name with hyphens, e.g. `twilio-flex-v2`.
    pub package_name: String,
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// Server URLs; operations refer to them by index. The spec's top-level servers come first.
    pub servers: Vec<String>,
    pub auth: AuthKind,
    pub vendor: Vendor,
    pub operations: Vec<Operation>,
    pub types: Vec<TypeDef>,
    pub sids: Vec<SidType>,
    /// `x-maturity` levels described at the spec level (name, description).
    pub maturity_levels: Vec<(String, String)>,
    /// Twilio's `info.x-twilio.apiStandards`.
    pub api_standards: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    None,
    Basic,
    Bearer,
}

/// Whose conventions apply for credentials from the environment and hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    Twilio,
    Front,
    Generic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
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
    pub fn as_str(self) -> &'static str {
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
pub struct Operation {
    /// The spec's operationId (or one derived from method and path).
    pub id: String,
    /// snake_case method name on `Client`.
    pub method_name: String,
    /// PascalCase name of the request builder.
    pub builder_name: String,
    pub method: Method,
    pub path: String,
    pub server: usize,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    /// Every declared response, for the docs: (status or "default", description).
    pub responses: Vec<(String, String)>,
    pub maturity: Vec<String>,
    pub scopes: Vec<String>,
    pub pagination: Option<Pagination>,
    pub twilio: Option<TwilioResource>,
    pub tags: Vec<String>,
    /// JSON pointer of the operation in the spec, for messages.
    pub pointer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: Ty,
    pub docs: Docs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    Multipart,
}

#[derive(Clone, Debug)]
pub struct Body {
    pub encoding: BodyEncoding,
    pub media_type: String,
    pub ty: Ty,
    pub required: bool,
    pub description: Option<String>,
    /// When the body is an object: its struct's fields become builder arguments and setters.
    /// Each is (struct field index, builder name).
    pub flattened: Option<FlatBody>,
}

#[derive(Clone, Debug)]
pub struct FlatBody {
    pub type_id: TypeId,
    /// (index into the struct's fields, name used on the builder)
    pub fields: Vec<(usize, String)>,
}

/// What `send()` returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Success {
    /// No 2xx response declares content.
    Empty,
    /// A JSON body of this type.
    Json(Ty),
}

/// How a list operation pages: the response type, the item type, and how to find the next page.
#[derive(Clone, Debug)]
pub struct Pagination {
    pub page_type: TypeId,
    pub items_field: usize,
    pub item_ty: Ty,
    pub next: NextPage,
    pub page_size_param: Option<String>,
}

#[derive(Clone, Debug)]
pub enum NextPage {
    /// `meta.next_page_url` (Twilio's current style): field index of `meta` and of its
    /// `next_page_url` within the meta type.
    MetaUrl {
        meta_field: usize,
        meta_type: TypeId,
        url_field: usize,
    },
    /// Top-level `next_page_uri` (Twilio's older 2010 API style), host-relative.
    TopLevelUri { field: usize },
}

/// Twilio's `x-twilio` data on a path.
#[derive(Clone, Debug, Default)]
pub struct TwilioResource {
    pub path_type: Option<String>,
    pub mount_name: Option<String>,
    pub class_name: Option<String>,
    pub parent: Option<String>,
    pub default_output_properties: Vec<String>,
    pub dependent_properties: Vec<String>,
}

/// Documentation for an item: prose from the spec plus facts (constraints, defaults, PII).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Short factual lines, e.g. "Pattern: `^US[0-9a-fA-F]{32}$`".
    pub notes: Vec<String>,
}

/// A type position: where a field, parameter or body has a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Date,
    Binary,
    /// Any JSON value (`{}` or an untyped schema).
    Any,
    /// A free-form object.
    JsonObject,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Named(TypeId),
    Sid(usize),
}

impl Ty {
    /// Whether serde can decode `null` into this type as-is.
    pub fn accepts_null(&self) -> bool {
        matches!(self, Ty::Any)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Where the schema is, for messages and for tests that map examples to types.
    pub pointer: String,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum with a fallback for values the spec does not list.
    Enum(StringEnum),
    Union(Union),
    /// A component that is not an object, e.g. `type: string` or an array.
    Alias(Ty),
}

#[derive(Clone, Debug, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub boxed: bool,
    pub docs: Docs,
    pub pii: Option<Pii>,
}

impl Field {
    /// Optional and nullable fields are `Option<T>`: both null and absent decode.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pii {
    pub handling: String,
    pub delete_sla: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    pub fallback_name: String,
}

#[derive(Clone, Debug)]
pub struct EnumVariant {
    pub wire: String,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct Union {
    /// `Some(property)` for a discriminated union, serialised with the tag inline once.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Clone, Debug)]
pub struct UnionVariant {
    pub rust_name: String,
    /// Tag value(s) selecting this variant (discriminated unions only).
    pub tags: Vec<String>,
    pub ty: Ty,
}

/// A Twilio SID newtype, shared by every field and parameter with the same prefix.
#[derive(Clone, Debug)]
pub struct SidType {
    pub name: String,
    pub prefix: String,
}

/// All named types, addressable by id, with the names already made unique.
#[derive(Debug, Default)]
pub struct TypeTable {
    pub defs: Vec<Option<TypeDef>>,
    pub by_pointer: BTreeMap<String, TypeId>,
}
