//! HTTPS, as production speaks it: a loopback TLS server with a test CA in front of the sandbox,
//! trusted through `ca_file`; an untrusted certificate is a typed, unretried error; a CONNECT
//! proxy on loopback carries the calls when configured.

mod common;

use std::time::Duration;

use common::proxy::{base64_of, proxy};
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
