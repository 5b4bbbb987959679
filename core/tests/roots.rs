//! A minimal container has no CA store: the client falls back to Mozilla's bundled roots (plus
//! `ca_file`), instead of failing every TLS handshake. Alone in its binary: it sets the
//! variables that tell where the system store is.

mod common;

use common::tls::{test_ca, tls_front};
use pagoefectivo::{Client, ErrorCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_system_store_the_bundled_roots_and_ca_file_are_used() {
    // SAFETY: set before any client exists, in a binary with this one test.
    unsafe {
        std::env::set_var("SSL_CERT_FILE", "/nonexistent/ca-certificates.crt");
        std::env::set_var("SSL_CERT_DIR", "/nonexistent/certs");
    }
    let sb = common::sandbox().await;
    let ca = test_ca();
    let port = tls_front(ca.acceptor.clone(), sb.addr()).await;
    let config = || common::config_for(&sb).base_url(format!("https://localhost:{port}/v1/"));
    let client = Client::new(config().ca_file(&ca.pem_path).build().unwrap()).unwrap();
    client.authenticate().await.unwrap();
    // Mozilla's roots do not include the test CA: still refused, with the typed reason.
    let e = Client::new(config().build().unwrap()).unwrap().authenticate().await.unwrap_err();
    assert_eq!((e.code(), e.reason()), (ErrorCode::ConnectionError, Some("untrusted_certificate")), "{e}");
    let _ = std::fs::remove_file(&ca.pem_path);
}
