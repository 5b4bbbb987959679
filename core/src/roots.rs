//! Which CAs a client trusts: the system's store, extra CAs from a file, Mozilla's bundled roots where the system has none.

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

use crate::error::Error;

/// The TLS settings of every client without a `ca_file`, made once per process (a few µs: the
/// store itself is read at the first handshake, see [`Deferred`]).
static SHARED: OnceLock<Result<ClientConfig, String>> = OnceLock::new();

/// The TLS settings for a client: shared when `ca_file` is absent, made for it otherwise (the
/// file is read here, so a bad one is a configuration error at creation).
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
    let verifier = Arc::new(Deferred { provider: Arc::clone(&provider), extra, made: OnceLock::new() });
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| Error::config(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The certificate verifier, made at the first handshake: reading and parsing the system store
/// costs ~11 ms of CPU (14-37 ms wall), which the first client of every process (each
/// serverless cold start) paid at creation, and a process that only speaks to loopback or
/// never connects never needs.
struct Deferred {
    provider: Arc<CryptoProvider>,
    extra: Vec<CertificateDer<'static>>,
    made: OnceLock<Result<Arc<dyn ServerCertVerifier>, rustls::Error>>,
}

impl Deferred {
    fn verifier(&self) -> Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        self.made.get_or_init(|| self.make()).as_ref().map_err(Clone::clone)
    }

    fn make(&self) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
        let provider = Arc::clone(&self.provider);
        if system_has_roots() {
            let verifier =
                rustls_platform_verifier::Verifier::new_with_extra_roots(self.extra.clone(), provider)?;
            return Ok(Arc::new(verifier));
        }
        // A minimal container without a CA store: Mozilla's roots, bundled.
        let mut store = rustls::RootCertStore::empty();
        let bundled = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned();
        store.add_parsable_certificates(bundled.chain(self.extra.iter().cloned()));
        WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
            .build()
            .map(|v| v as Arc<dyn ServerCertVerifier>)
            .map_err(|e| rustls::Error::General(format!("cannot set up TLS: {e}")))
    }
}

impl fmt::Debug for Deferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deferred").field("extra_cas", &self.extra.len()).finish_non_exhaustive()
    }
}

impl ServerCertVerifier for Deferred {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    /// Asked for the ClientHello, before any certificate: the provider's schemes, as both
    /// possible verifiers answer, without making one.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
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
