//! Which CAs a client trusts: the system's store, extra CAs from a file, Mozilla's bundled roots where the system has none.

use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use rustls::ClientConfig;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::Error;

/// The TLS settings of every client without a `ca_file`, made once per process: reading the
/// system store took ~20 ms, paid by each client before (and each cold start, each store).
static SHARED: OnceLock<Result<ClientConfig, String>> = OnceLock::new();

/// The TLS settings for a client: shared when `ca_file` is absent, made for it otherwise.
/// Trust is what reqwest's own rustls setup gives (the platform verifier over the system
/// store plus extra CAs, or Mozilla's roots where the system has none), HTTP/1.1 by ALPN.
pub(crate) fn tls_config(ca_file: Option<&Path>) -> Result<ClientConfig, Error> {
    match ca_file {
        Some(path) => build(extra_from_file(path)?),
        None => SHARED
            .get_or_init(|| build(Vec::new()).map_err(|e| e.message().to_owned()))
            .clone()
            .map_err(Error::config),
    }
}

fn build(extra: Vec<CertificateDer<'static>>) -> Result<ClientConfig, Error> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let tls_error = |e: rustls::Error| Error::config(format!("cannot set up TLS: {e}"));
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(tls_error)?;
    let mut config = if system_has_roots() {
        let verifier =
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider).map_err(tls_error)?;
        builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier)).with_no_client_auth()
    } else {
        // A minimal container without a CA store: Mozilla's roots, bundled.
        let mut store = rustls::RootCertStore::empty();
        store
            .add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned().chain(extra));
        builder.with_root_certificates(store).with_no_client_auth()
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

const UNKNOWN: u8 = 0;
const PRESENT: u8 = 1;
const ABSENT: u8 = 2;

/// Looked up once per process, without a lock (a fork can never leave it held):
/// two threads racing both look, and agree.
static SYSTEM_ROOTS: AtomicU8 = AtomicU8::new(UNKNOWN);

/// Whether the system CA store (`/etc/ssl/certs`, `SSL_CERT_FILE`...) has any certificate.
pub(crate) fn system_has_roots() -> bool {
    match SYSTEM_ROOTS.load(Ordering::Relaxed) {
        PRESENT => true,
        ABSENT => false,
        _ => {
            let found = !rustls_native_certs::load_native_certs().certs.is_empty();
            SYSTEM_ROOTS.store(if found { PRESENT } else { ABSENT }, Ordering::Relaxed);
            found
        }
    }
}

/// The CAs of a PEM file (`ca_file`); a missing, unreadable or empty file is a configuration error.
pub(crate) fn extra_from_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::config(format!("cannot read ca_file {}: {e}", path.display())))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::config(format!("ca_file {} is not a PEM bundle: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(Error::config(format!("ca_file {} holds no certificate", path.display())));
    }
    Ok(certs)
}
