//! `specs/sdk.toml`: the one place that says what no spec does about the crates made from
//! `specs/`: their names, whether and where they may be published, the license where a spec
//! declares none, the repository and the authors. `[defaults]` applies to every crate; a
//! `[crates."<spec file>"]` table overrides it for the crate of that spec.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Deserialize;

/// The file's name in `specs/`, beside the specs it configures.
pub(crate) const FILE: &str = "sdk.toml";

/// One crate's settings: every field optional, so that a crate's table overrides only what it
/// names and `[defaults]` fills the rest.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Settings {
    name: Option<String>,
    publish: Option<bool>,
    registry: Option<String>,
    license: Option<String>,
    repository: Option<String>,
    authors: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Settings,
    #[serde(default)]
    crates: BTreeMap<String, Settings>,
}

/// The configuration read from `specs/sdk.toml` (empty when there is none: nothing is
/// published, names come from the specs' file names).
#[derive(Clone, Debug, Default)]
pub(crate) struct Config {
    file: File,
}

/// What one crate's manifest gets from the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CrateConfig {
    pub(crate) name: Option<String>,
    pub(crate) publish: bool,
    pub(crate) registry: Option<String>,
    pub(crate) license: Option<String>,
    pub(crate) repository: Option<String>,
    pub(crate) authors: Vec<String>,
}

impl Config {
    /// Reads `specs/sdk.toml` below `root`; a missing file is the empty configuration.
    pub(crate) fn read(root: &Path) -> anyhow::Result<Config> {
        let path = root.join("specs").join(FILE);
        match fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text).with_context(|| format!("in {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub(crate) fn parse(text: &str) -> anyhow::Result<Config> {
        let file: File = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        for (spec, settings) in std::iter::once(("[defaults]", &file.defaults))
            .chain(file.crates.iter().map(|(k, v)| (k.as_str(), v)))
        {
            if let Some(name) = &settings.name {
                check_name(name).with_context(|| format!("{spec}: name {name:?}"))?;
            }
            if settings.registry.is_some() && settings.publish == Some(false) {
                bail!("{spec}: a registry is named but publish = false: say publish = true to publish there");
            }
        }
        if file.defaults.name.is_some() {
            bail!("[defaults]: name is per crate, in its [crates.\"<spec file>\"] table");
        }
        Ok(Config { file })
    }

    /// Spec files named in `[crates]` that `specs/` does not have (a typo would otherwise
    /// silently configure nothing).
    pub(crate) fn check_specs<'a>(
        &self,
        specs: impl IntoIterator<Item = &'a str>,
    ) -> anyhow::Result<()> {
        let specs: Vec<&str> = specs.into_iter().collect();
        for name in self.file.crates.keys() {
            if !specs.contains(&name.as_str()) {
                bail!(
                    "specs/{FILE}: [crates.{name:?}] names no spec in specs/ (there are: {})",
                    specs.join(", ")
                );
            }
        }
        Ok(())
    }

    /// The settings of the crate generated from `spec` (its file name in `specs/`).
    pub(crate) fn for_spec(&self, spec: &str) -> CrateConfig {
        let own = self.file.crates.get(spec).cloned().unwrap_or_default();
        let defaults = &self.file.defaults;
        let publish = own.publish.or(defaults.publish).unwrap_or(false);
        CrateConfig {
            name: own.name,
            publish,
            registry: own.registry.or_else(|| defaults.registry.clone()),
            license: own.license.or_else(|| defaults.license.clone()),
            repository: own.repository.or_else(|| defaults.repository.clone()),
            authors: own
                .authors
                .or_else(|| defaults.authors.clone())
                .unwrap_or_default(),
        }
    }
}

/// A name crates.io accepts: ASCII letters, digits, `-` and `_`, starting with a letter, at
/// most 64 characters.
fn check_name(name: &str) -> anyhow::Result<()> {
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        bail!("not a crate name: ASCII letters, digits, - and _, starting with a letter, at most 64 characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_published_unless_the_configuration_says_so() {
        let empty = Config::default().for_spec("a.json");
        assert!(!empty.publish);
        let config = Config::parse(
            "[defaults]\nlicense = \"MIT\"\n[crates.\"b.json\"]\npublish = true\nregistry = \"ours\"\n",
        )
        .unwrap();
        assert!(!config.for_spec("a.json").publish);
        assert_eq!(config.for_spec("a.json").license.as_deref(), Some("MIT"));
        let b = config.for_spec("b.json");
        assert!(b.publish);
        assert_eq!(b.registry.as_deref(), Some("ours"));
    }

    #[test]
    fn a_crate_table_overrides_the_defaults_field_by_field() {
        let config = Config::parse(
            "[defaults]\nrepository = \"https://example.com/r\"\nauthors = [\"A\"]\n\
             [crates.\"x.yaml\"]\nname = \"acme-x\"\nauthors = [\"B\", \"C\"]\n",
        )
        .unwrap();
        let x = config.for_spec("x.yaml");
        assert_eq!(x.name.as_deref(), Some("acme-x"));
        assert_eq!(x.authors, ["B", "C"]);
        assert_eq!(x.repository.as_deref(), Some("https://example.com/r"));
        assert_eq!(config.for_spec("y.yaml").authors, ["A"]);
    }

    #[test]
    fn mistakes_are_refused_with_what_was_wrong() {
        let error = |text: &str| format!("{:#}", Config::parse(text).unwrap_err());
        assert!(error("[defaults]\npublsh = true\n").contains("unknown field `publsh`"));
        assert!(error("[crates.\"a.json\"]\nname = \"9lives\"\n").contains("not a crate name"));
        assert!(error("[defaults]\nname = \"x\"\n").contains("name is per crate"));
        assert!(
            error("[defaults]\npublish = false\nregistry = \"r\"\n").contains("publish = false")
        );
        let config = Config::parse("[crates.\"nope.json\"]\npublish = true\n").unwrap();
        let unknown = config.check_specs(["a.json"]).unwrap_err().to_string();
        assert!(
            unknown.contains("\"nope.json\"") && unknown.contains("a.json"),
            "{unknown}"
        );
    }

    /// The checked-in configuration parses and names only specs that exist.
    #[test]
    fn the_repository_configuration_is_valid() {
        let root = crate::regen::root();
        let config = Config::read(&root).unwrap();
        let specs = crate::regen::spec_files(&root.join("specs")).unwrap();
        let names: Vec<String> = specs
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        config
            .check_specs(names.iter().map(String::as_str))
            .unwrap();
    }
}
