//! Vendor extensions, one module per vendor: what a vendor's specs say beyond OpenAPI (`x-`
//! keys, naming schemes, page shapes) and what its clients need (credentials, hosts). Generic
//! stages ask [`Conventions`] and never name a vendor themselves.
//!
//! (Named for what it holds: `vendor/` is the conventional name for third-party code copied
//! into a tree, which code search and repository statistics skip; this is our own code.)
//!
//! What a spec *says* is read with every vendor's readers: extensions are namespaced
//! (`x-twilio`, `x-required-scopes`) and the shapes are specific enough (a SID pattern, a
//! `meta.next_page_url` page) that they mean the same wherever they appear, including in
//! test specs served from `example.com`. What a client *does* (which variables `from_env`
//! reads, regional hosts) follows the one vendor whose servers the spec names.
//!
//! # Adding a vendor
//!
//! 1. Write `extensions/<name>.rs` (declared here: `mod <name>;`) with a unit struct
//!    implementing [`Vendor`]. Only [`name`](Vendor::name) and [`detect`](Vendor::detect) are
//!    required; every other hook has a default that adds nothing, so implement just the
//!    conventions the vendor has.
//! 2. Add it to [`VENDORS`], before [`Plain`] (the first vendor that detects a spec wins).
//! 3. If its clients need runtime behaviour (a signed auth scheme, host rules), add it to
//!    `codegen/runtime/src/extensions/<name>/` and name it from [`Vendor::client`].
//! 4. Unit-test each hook in the module, and generate one real spec of the vendor with
//!    `cargo xtask generate` (or add it to `specs/`).

mod front;
mod twilio;

use openapiv3::{OpenAPI, PathItem};
use serde_json::Value;

/// An identifier type: a string of two prefix letters and more, as a runtime type generic
/// over the letters (`sdk_runtime::extensions::twilio::Sid<'U', 'S'>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Identifier {
    pub(crate) prefix: [char; 2],
    pub(crate) runtime_type: &'static str,
}

/// One vendor's conventions. Every hook but `name` and `detect` defaults to "none".
pub(crate) trait Vendor: Sync {
    /// The vendor's name as docs print it, e.g. `Twilio`.
    fn name(&self) -> &'static str;

    /// Whether a spec is this vendor's (usually: its servers are on the vendor's domain).
    fn detect(&self, doc: &OpenAPI) -> bool;

    /// Spec-level facts: maturity levels and API standards.
    fn api_facts(&self, _doc: &OpenAPI) -> ApiFacts {
        ApiFacts::default()
    }

    /// Operation-level facts from extensions on the operation and its path item.
    fn operation_facts(&self, _item: &PathItem, _op: &openapiv3::Operation) -> OperationFacts {
        OperationFacts::default()
    }

    /// Personal-data marking of a property, from the property schema's extensions.
    fn pii(&self, _extensions: &indexmap::IndexMap<String, Value>) -> Option<Pii> {
        None
    }

    /// The identifier type a string `pattern` declares (Twilio SIDs, `^US[0-9a-fA-F]{32}$`),
    /// if it is one.
    fn identifier(&self, _pattern: &str) -> Option<Identifier> {
        None
    }

    /// The words of a readable type name for a component schema (`user_state`), where the
    /// vendor has a naming scheme. The model makes them an identifier, as it does every name:
    /// name functions belong to the model, above this layer.
    fn type_name(&self, _component: &str) -> Option<String> {
        None
    }

    /// The page shapes of the vendor's list responses.
    fn page_shapes(&self) -> &'static [PageShape] {
        &[]
    }

    /// What the generated client reads from the environment, and its host rules.
    fn client(&self, crate_name: &str) -> ClientConventions {
        let upper = crate_name.to_ascii_uppercase();
        ClientConventions {
            env: EnvCredentials::Vars {
                basic: (format!("{upper}_USERNAME"), format!("{upper}_PASSWORD")),
                bearer: format!("{upper}_TOKEN"),
            },
            hosts: None,
            request_id_header: None,
            webhook_verification: None,
        }
    }

    /// What the spec's `info.version` is: the API's version, or (Twilio) the spec's release.
    fn info_version(&self) -> InfoVersion {
        InfoVersion::ApiVersion
    }

    /// The product's name for docs, from the spec's title: `Twilio Flex API`, not
    /// `Twilio - Flex API`; the vendor's name appears once.
    fn product_name(&self, title: &str) -> String {
        product_name(self.name(), title)
    }
}

/// The vendors we know, most specific first. [`Plain`] matches every spec.
static VENDORS: &[&dyn Vendor] = &[&twilio::Twilio, &front::Front, &Plain];

/// The conventions that apply to one spec: every vendor's readers, and the client
/// conventions of the vendor the spec belongs to.
#[derive(Clone, Copy)]
pub(crate) struct Conventions {
    owner: &'static dyn Vendor,
}

impl Conventions {
    pub(crate) fn of(doc: &OpenAPI) -> Self {
        let owner = VENDORS
            .iter()
            .copied()
            .find(|v| v.detect(doc))
            .unwrap_or(&Plain);
        Conventions { owner }
    }

    /// The name of the vendor the spec belongs to (`API` for none we know).
    pub(crate) fn vendor_name(&self) -> &'static str {
        self.owner.name()
    }

    pub(crate) fn api_facts(&self, doc: &OpenAPI) -> ApiFacts {
        let mut facts = ApiFacts::default();
        for v in VENDORS {
            let f = v.api_facts(doc);
            facts.maturity_levels.extend(f.maturity_levels);
            facts.api_standards = facts.api_standards.or(f.api_standards);
        }
        facts
    }

    pub(crate) fn operation_facts(
        &self,
        item: &PathItem,
        op: &openapiv3::Operation,
    ) -> OperationFacts {
        let mut facts = OperationFacts::default();
        for v in VENDORS {
            let f = v.operation_facts(item, op);
            facts.maturity.extend(f.maturity);
            facts.scopes.extend(f.scopes);
            facts.resource = facts.resource.or(f.resource);
        }
        facts
    }

    pub(crate) fn pii(&self, extensions: &indexmap::IndexMap<String, Value>) -> Option<Pii> {
        VENDORS.iter().find_map(|v| v.pii(extensions))
    }

    pub(crate) fn identifier(&self, pattern: &str) -> Option<Identifier> {
        VENDORS.iter().find_map(|v| v.identifier(pattern))
    }

    pub(crate) fn type_name(&self, component: &str) -> Option<String> {
        VENDORS.iter().find_map(|v| v.type_name(component))
    }

    pub(crate) fn page_shapes(&self) -> impl Iterator<Item = &'static PageShape> {
        VENDORS.iter().flat_map(|v| v.page_shapes())
    }

    pub(crate) fn client(&self, crate_name: &str) -> ClientConventions {
        self.owner.client(crate_name)
    }

    pub(crate) fn info_version(&self) -> InfoVersion {
        self.owner.info_version()
    }

    pub(crate) fn product_name(&self, title: &str) -> String {
        self.owner.product_name(title)
    }
}

/// A spec of no vendor we know: OpenAPI and nothing else.
pub(crate) struct Plain;

impl Vendor for Plain {
    fn name(&self) -> &'static str {
        "API"
    }

    fn detect(&self, _doc: &OpenAPI) -> bool {
        true
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ApiFacts {
    pub(crate) maturity_levels: Vec<MaturityLevel>,
    pub(crate) api_standards: Option<ApiStandards>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct OperationFacts {
    pub(crate) maturity: Vec<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) resource: Option<Resource>,
}

/// A list response: an object with one array of items and a link to the next page at
/// `next_link` (a path of property names, each but the last an object).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageShape {
    pub(crate) next_link: &'static [&'static str],
    /// A property the object holding the link must also have, to tell pages from look-alikes.
    pub(crate) beside_link: Option<&'static str>,
    /// The query parameter that sets the page size, if the operation has it.
    pub(crate) page_size: Option<&'static str>,
}

/// What a generated client reads from the environment, and how it picks hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ClientConventions {
    pub(crate) env: EnvCredentials,
    /// The runtime's host resolver for the vendor, if it has regional hosts.
    pub(crate) hosts: Option<Hosts>,
    /// The runtime constant naming the vendor's request id header.
    pub(crate) request_id_header: Option<&'static str>,
    /// The runtime module that verifies the vendor's webhooks, re-exported as `inbound`.
    pub(crate) webhook_verification: Option<&'static str>,
}

/// Where `from_env` looks for credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EnvCredentials {
    /// A list the runtime keeps for the vendor (`sdk_runtime::extensions::twilio::ENV_AUTH`), and
    /// what it reads, for the docs: each entry's variables and what they give.
    Runtime {
        path: &'static str,
        sources: &'static [(&'static [&'static str], &'static str)],
    },
    /// Variables of the crate's own: a basic-auth pair and a bearer token.
    Vars {
        basic: (String, String),
        bearer: String,
    },
}

/// A vendor's host resolver in the runtime, and the variables that select a host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hosts {
    pub(crate) path: &'static str,
    pub(crate) region_var: &'static str,
    pub(crate) edge_var: &'static str,
}

// The facts extensions read, defined here rather than in the model that holds them, so that
// this layer imports nothing above it; `crate::model` re-exports them for its readers.

/// A maturity level a spec describes (Twilio's `x-maturity` at the spec level).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MaturityLevel {
    pub(crate) name: String,
    pub(crate) description: String,
}

/// The API standards a vendor says a spec follows (Twilio's `info.x-twilio.apiStandards`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiStandards {
    pub(crate) vendor: &'static str,
    pub(crate) version: String,
}

/// The vendor's description of a resource (Twilio's `x-twilio` on a path).
#[derive(Clone, Debug, Default)]
pub(crate) struct Resource {
    /// Whose description it is, e.g. `Twilio`.
    pub(crate) vendor: &'static str,
    pub(crate) path_type: Option<String>,
    pub(crate) mount_name: Option<String>,
    pub(crate) class_name: Option<String>,
    pub(crate) parent: Option<String>,
    pub(crate) default_output_properties: Vec<String>,
    pub(crate) dependent_properties: Vec<String>,
}

/// Personal data, as the vendor marks it (Twilio's `x-twilio.pii`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pii {
    pub(crate) handling: String,
    pub(crate) delete_sla: Option<i64>,
}

/// What a spec's `info.version` means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InfoVersion {
    /// The version of the API (the OpenAPI definition of the field).
    ApiVersion,
    /// The release of the spec document (Twilio's specs: `1.52.0` for the v1 API).
    SpecRelease,
}

/// `vendor` + the title's product, once: `Twilio - Flex` is `Twilio Flex API`, `Channel
/// API` from Front is `Front Channel API`.
fn product_name(vendor: &str, title: &str) -> String {
    let words: Vec<&str> = title
        .split(char::is_whitespace)
        .filter(|w| !w.is_empty() && *w != "-")
        .collect();
    let mut name = words.join(" ");
    if name.is_empty() {
        name = "API".to_owned();
    }
    let has_vendor = name
        .split_whitespace()
        .any(|w| w.eq_ignore_ascii_case(vendor));
    if !has_vendor && vendor != "API" {
        name = format!("{vendor} {name}");
    }
    if !name
        .split_whitespace()
        .last()
        .is_some_and(|w| w.eq_ignore_ascii_case("API"))
    {
        name.push_str(" API");
    }
    name
}

/// The host of a URL, without user info or port.
pub(crate) fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(
        host.rsplit_once('@')
            .map_or(host, |(_, h)| h)
            .split(':')
            .next()
            .unwrap_or(host),
    )
}

/// Whether any server of the spec (top level or per path) is on `domain` or a subdomain.
pub(crate) fn served_from(doc: &OpenAPI, domain: &str) -> bool {
    let on_domain = |url: &str| {
        host_of(url).is_some_and(|h| {
            h == domain || h.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
        })
    };
    doc.servers.iter().any(|s| on_domain(&s.url))
        || doc.paths.paths.values().any(|p| {
            p.as_item()
                .is_some_and(|p| p.servers.iter().any(|s| on_domain(&s.url)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(server: &str) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": server}],
            "paths": {}
        }))
        .unwrap()
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://flex-api.twilio.com/v1"),
            Some("flex-api.twilio.com")
        );
        assert_eq!(host_of("http://u@h:80/x"), Some("h"));
    }

    #[test]
    fn each_spec_gets_the_vendor_of_its_servers() {
        let name = |url| Conventions::of(&spec(url)).vendor_name();
        assert_eq!(name("https://flex-api.twilio.com/v1"), "Twilio");
        assert_eq!(name("https://api2.frontapp.com"), "Front");
        assert_eq!(name("https://eviltwilio.com"), "API");
        assert_eq!(name("https://example.com"), "API");
    }

    #[test]
    fn plain_specs_read_their_crate_s_variables() {
        let c = Plain.client("acme_v1");
        assert_eq!(
            c.env,
            EnvCredentials::Vars {
                basic: ("ACME_V1_USERNAME".to_owned(), "ACME_V1_PASSWORD".to_owned()),
                bearer: "ACME_V1_TOKEN".to_owned()
            }
        );
        assert_eq!(c.hosts, None);
    }

    #[test]
    fn product_names_say_the_vendor_once_and_api_once() {
        assert_eq!(product_name("Twilio", "Twilio - Flex"), "Twilio Flex API");
        assert_eq!(product_name("Front", "Channel API"), "Front Channel API");
        assert_eq!(
            product_name("Twilio", "Twilio - Frontline"),
            "Twilio Frontline API"
        );
        assert_eq!(product_name("API", "Pet Store"), "Pet Store API");
        assert_eq!(product_name("API", "Widgets API"), "Widgets API");
        assert_eq!(product_name("API", ""), "API");
    }
}
