//! A rustls provider the application installed process-wide is the one the runtime's TLS
//! configuration uses (aws-lc-rs for post-quantum key exchange, or a FIPS build), not
//! replaced by the runtime's *ring*. Its own test binary: the provider is process-wide.
#![cfg(any(feature = "rustls", feature = "rustls-native-roots"))]

use rustls::crypto::CryptoProvider;

#[test]
fn the_applications_own_rustls_provider_is_the_one_the_runtime_configures_with() {
    #[allow(
        deprecated,
        reason = "the test needs any provider other than the runtime's choice; ring is in the tree"
    )]
    let mut own = rustls::crypto::ring::default_provider();
    // A provider no TLS configuration can be built with: if the runtime used it, building
    // fails; if it quietly used ring instead, building succeeds.
    own.cipher_suites.clear();
    own.install_default()
        .expect("nothing installed a provider before this test");
    let built = sdk_runtime::transport::reqwest_builder();
    let err = built.expect_err("the runtime configured TLS with a provider of its own");
    assert!(
        format!("{err:?}").to_lowercase().contains("cipher"),
        "the error names the provider's lack: {err:?}"
    );
    let installed = CryptoProvider::get_default().expect("still installed");
    assert!(installed.cipher_suites.is_empty());
}
