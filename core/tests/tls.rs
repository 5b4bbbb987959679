//! HTTPS, as production speaks it: a loopback TLS server with a test CA in front of the sandbox,
//! trusted through `ca_file`; an untrusted certificate is a typed, unretried error; a CONNECT
//! proxy on loopback carries the calls when configured.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::proxy::{base64_of, proxy, read_head};
use common::tls::{test_ca, tls_front};
use pagoefectivo::{Client, CreateCipRequest, Currency, ErrorCode};

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
    let (proxy_port, seen) = proxy(None).await;
    let proxied = config().ca_file(&ca.pem_path).proxy(format!("http://127.0.0.1:{proxy_port}")).no_proxy("");
    let client = Client::new(proxied.build().unwrap()).unwrap();
    assert_eq!(client.cips().get(cip.cip).await.unwrap().cip, cip.cip);
    // Every connection went through the proxy to the API (usually one; a second when the token's
    // connection was not back in the pool yet as the next call started, under load).
    let tunnels = seen.lock().unwrap().clone();
    let expected = (format!("CONNECT localhost:{port} HTTP/1.1"), None);
    assert!(!tunnels.is_empty() && tunnels.iter().all(|t| *t == expected), "{tunnels:?}");
    let shown = client.config().settings();
    assert_eq!(shown["proxy"], format!("http://127.0.0.1:{proxy_port}"));

    // A proxy that wants credentials: the URL's user and password go in the CONNECT, never to
    // the API; wrong ones are a connection error that says so.
    let (proxy_port, seen) = proxy(Some("s3cr3t")).await;
    let with = |password: &str| {
        let url = format!("http://alice:{password}@127.0.0.1:{proxy_port}");
        Client::new(config().ca_file(&ca.pem_path).proxy(url).no_proxy("").max_attempts(1).build().unwrap())
            .unwrap()
    };
    assert_eq!(with("s3cr3t").cips().get(cip.cip).await.unwrap().cip, cip.cip);
    assert!(seen.lock().unwrap().iter().all(|(line, auth)| line.starts_with("CONNECT ") && auth.is_some()));
    let e = with("wrong").cips().get(cip.cip).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConnectionError, "{e}");
    assert!(e.message().contains("proxy authorization required"), "{e}");
    assert!(!e.to_string().contains("wrong"), "{e}");

    // A CA file that is not there is a configuration error at build time.
    let e = Client::new(config().ca_file("/nonexistent/ca.pem").build().unwrap()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigurationError);
    let _ = std::fs::remove_file(&ca.pem_path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_through_a_forwarding_proxy_with_credentials() {
    let sb = common::sandbox().await;
    let (proxy_port, seen) = proxy(Some("pa:ss")).await;
    let url = format!("http://alice:pa%3Ass@127.0.0.1:{proxy_port}");
    let client = Client::new(common::config_for(&sb).proxy(url).no_proxy("").build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-FWD")).await.unwrap();
    assert_eq!(client.cips().get(cip.cip).await.unwrap().transaction_code, "ORD-FWD");
    // The proxy saw absolute URLs of the API and the credentials on every connection.
    let seen = seen.lock().unwrap().clone();
    let api = format!("http://{}/v1/", sb.addr());
    assert!(!seen.is_empty(), "nothing went through the proxy");
    for (line, auth) in &seen {
        assert!(line.split(' ').nth(1).is_some_and(|t| t.starts_with(&api)), "{line}");
        assert_eq!(auth.as_deref(), Some(format!("Basic {}", base64_of("alice:pa:ss")).as_str()));
    }
    // NO_PROXY's syntax, given as the option: the same calls go straight to the API.
    let (proxy_port, seen) = proxy(None).await;
    let config = common::config_for(&sb)
        .proxy(format!("http://127.0.0.1:{proxy_port}"))
        .no_proxy("localhost, 127.0.0.1");
    let direct = Client::new(config.build().unwrap()).unwrap();
    assert_eq!(direct.cips().get(cip.cip).await.unwrap().cip, cip.cip);
    assert!(seen.lock().unwrap().is_empty());
}

/// A merchant's HTTPS endpoint on loopback: each request's head, answered `200 ok`.
async fn https_receiver(acceptor: tokio_rustls::TlsAcceptor) -> (u16, Arc<Mutex<Vec<String>>>) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&heads);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, seen) = (acceptor.clone(), Arc::clone(&seen));
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let Some(head) = read_head(&mut tls).await else { return };
                seen.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                let _ = tls
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, heads)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_reach_an_https_receiver_spelled_as_the_api_spells_them() {
    let ca = test_ca();
    let (port, heads) = https_receiver(ca.acceptor.clone()).await;
    let hook = format!("https://localhost:{port}/webhooks/pe");
    let trusted = common::sandbox_with(|c| {
        c.notification_url = Some(hook.clone());
        c.webhook_ca_file = Some(ca.pem_path.clone());
    })
    .await;
    let client = Client::new(common::config_for(&trusted).build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-HOOK")).await.unwrap();
    trusted.control().pay(cip.cip).unwrap();
    let deliveries = trusted.control().wait_for_deliveries(1, Duration::from_secs(10)).await;
    let attempt = &deliveries[0].attempts[0];
    assert_eq!((attempt.status, attempt.error.as_deref()), (Some(200), None), "{deliveries:?}");
    assert_eq!(attempt.response.as_deref(), Some("ok"));
    let head = heads.lock().unwrap()[0].clone();
    assert!(head.starts_with("POST /webhooks/pe HTTP/1.1\r\n"), "{head}");
    assert!(head.contains(&format!("\r\nPE-Signature: {}\r\n", deliveries[0].signature)), "{head}");

    // Without the CA the receiver is not trusted: the attempts fail, saying why, and nothing arrives.
    let untrusted = common::sandbox_with(|c| c.notification_url = Some(hook.clone())).await;
    let client = Client::new(common::config_for(&untrusted).build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-HOOK-2")).await.unwrap();
    untrusted.control().pay(cip.cip).unwrap();
    let deliveries = untrusted.control().wait_for_deliveries(1, Duration::from_secs(10)).await;
    let errors: Vec<_> = deliveries[0].attempts.iter().map(|a| a.error.clone().unwrap_or_default()).collect();
    assert!(!errors.is_empty() && errors.iter().all(|e| e.contains("TLS handshake failed")), "{errors:?}");
    assert_eq!(heads.lock().unwrap().len(), 1);
    let _ = std::fs::remove_file(&ca.pem_path);
}

#[test]
fn a_proxy_must_be_an_http_url() {
    for url in
        ["socks5://127.0.0.1:1080", "https://proxy.corp.example:3128", "proxy.corp.example:3128", "http://"]
    {
        let built = pagoefectivo::Config::builder()
            .access_key("ACCESSKEY00000000000")
            .secret_key("SECRETKEY0000000000000000000000000000000")
            .id_service(1234)
            .proxy(url)
            .build()
            .and_then(Client::new);
        let e = built.err().unwrap_or_else(|| panic!("{url} was accepted"));
        assert_eq!(e.code(), ErrorCode::ConfigurationError, "{url}: {e}");
    }
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
