//! HTTPS, as production speaks it: a loopback TLS server with a test CA in front of the sandbox,
//! trusted through `ca_file`; an untrusted certificate is a typed, unretried error; a CONNECT
//! proxy on loopback carries the calls when configured.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::tls::{test_ca, tls_front};
use pagoefectivo::{Client, CreateCipRequest, Currency, ErrorCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A CONNECT proxy on loopback that records the targets it was asked for.
async fn connect_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let Some(target) = text.strip_prefix("CONNECT ").and_then(|r| r.split(' ').next()) else {
                    let _ = socket.write_all(b"HTTP/1.1 405 Only CONNECT\r\n\r\n").await;
                    return;
                };
                log.lock().unwrap().push(target.to_owned());
                let Ok(mut upstream) = TcpStream::connect(target).await else { return };
                if socket.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
                }
            });
        }
    });
    (port, seen)
}

fn order(tc: &str) -> CreateCipRequest {
    CreateCipRequest::new(Currency::PEN, "25.50".parse().unwrap(), tc, "ana@example.pe")
        .expires_in(Duration::from_secs(3600))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_through_a_proxy_with_an_extra_ca_and_refusal_without_it() {
    let sb = common::sandbox().await;
    let ca = test_ca();
    let port = tls_front(ca.acceptor.clone(), sb.addr()).await;
    let base = format!("https://localhost:{port}/v1/");
    let config = || common::config_for(&sb).base_url(base.clone());

    // Trusted through ca_file: the whole flow works over TLS.
    let client = Client::new(config().ca_file(&ca.pem_path).build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-TLS")).await.unwrap();
    assert_eq!(client.cips().get(cip.cip).await.unwrap().transaction_code, "ORD-TLS");

    // Not trusted: a typed error with a hint, not retried (no retry can fix trust).
    let untrusted = Client::new(config().build().unwrap()).unwrap();
    let e = untrusted.cips().get(cip.cip).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConnectionError, "{e}");
    assert_eq!(e.reason(), Some("untrusted_certificate"), "{e}");
    assert_eq!(e.attempts(), 1, "{e}");
    assert!(!e.is_retryable());
    assert!(e.hint().is_some_and(|h| h.contains("ca_file")), "{e}");

    // Through a CONNECT proxy (the config option; NO_PROXY emptied so loopback is proxied too).
    let (proxy_port, seen) = connect_proxy().await;
    let proxied = config().ca_file(&ca.pem_path).proxy(format!("http://127.0.0.1:{proxy_port}")).no_proxy("");
    let client = Client::new(proxied.build().unwrap()).unwrap();
    assert_eq!(client.cips().get(cip.cip).await.unwrap().cip, cip.cip);
    // Every connection went through the proxy to the API (usually one; a second when the token's
    // connection was not back in the pool yet as the next call started, under load).
    let tunnels = seen.lock().unwrap().clone();
    assert!(!tunnels.is_empty() && tunnels.iter().all(|t| *t == format!("localhost:{port}")), "{tunnels:?}");
    let shown = client.config().settings();
    assert_eq!(shown["proxy"], format!("http://127.0.0.1:{proxy_port}"));

    // A CA file that is not there is a configuration error at build time.
    let e = Client::new(config().ca_file("/nonexistent/ca.pem").build().unwrap()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigurationError);
    let _ = std::fs::remove_file(&ca.pem_path);
}

#[test]
fn a_proxy_password_never_shows() {
    let c = pagoefectivo::Config::builder()
        .access_key("ACCESSKEY00000000000")
        .secret_key("SECRETKEY0000000000000000000000000000000")
        .id_service(1234)
        .proxy("http://alice:s3cr3t@proxy.corp.example:3128")
        .build()
        .unwrap();
    let shown = c.settings().to_string();
    assert!(!shown.contains("s3cr3t") && shown.contains("proxy.corp.example:3128"), "{shown}");
    assert!(!format!("{c:?}").contains("s3cr3t"));
}
