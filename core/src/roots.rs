//! Which CAs a client trusts: the system's store, extra CAs from a file, Mozilla's bundled roots where the system has none.

use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::Error;

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

/// Mozilla's root certificates, compiled in (the webpki-root-certs crate).
pub(crate) fn bundled() -> Vec<reqwest::Certificate> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .filter_map(|der| reqwest::Certificate::from_der(der).ok())
        .collect()
}

/// The CAs of a PEM file (`ca_file`); a missing, unreadable or empty file is a configuration error.
pub(crate) fn extra_from_file(path: &Path) -> Result<Vec<reqwest::Certificate>, Error> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::config(format!("cannot read ca_file {}: {e}", path.display())))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| Error::config(format!("ca_file {} is not a PEM bundle: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(Error::config(format!("ca_file {} holds no certificate", path.display())));
    }
    Ok(certs)
}
