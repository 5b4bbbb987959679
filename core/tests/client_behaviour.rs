//! Client behaviour beyond single scenarios: token sharing, audit, redaction, blocking facade, several stores.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pagoefectivo::{Client, CreateCipRequest, Currency, ErrorCode, Exchange, blocking};
use pagoefectivo_sandbox::{Endpoint, Service};

fn order(tc: &str) -> CreateCipRequest {
    CreateCipRequest::new(Currency::USD, "10.00".parse().unwrap(), tc, "buyer@example.pe")
        .expires_in(Duration::from_secs(3600))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token() {
    let sb = common::sandbox().await;
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let c = client.clone();
            tokio::spawn(async move { c.cips().create(&order(&format!("ORD-C{i}"))).await })
        })
        .collect();
    let mut cips = Vec::new();
    for t in tasks {
        cips.push(t.await.unwrap().unwrap().cip);
    }
    cips.sort();
    cips.dedup();
    assert_eq!(cips.len(), 32);
    assert_eq!(sb.control().request_count(Endpoint::Authorizations), 1);
    let found = client.cips().search(&cips).await.unwrap();
    assert_eq!(found.len(), 32, "search splits into batches and keeps all");
}

#[tokio::test]
async fn audit_records_and_logs_never_contain_secrets() {
    let sb = common::sandbox().await;
    let records: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    let sink = records.clone();
    let hook = Arc::new(move |e: &Exchange| sink.lock().unwrap().push(e.clone()));

    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || LogWriter(writer.clone()))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = Client::with_audit_hook(common::config_for(&sb).build().unwrap(), hook).unwrap();
    let cip = client.cips().create(&order("ORD-AUDIT")).await.unwrap();
    client.cips().get(cip.cip).await.unwrap();

    let records = records.lock().unwrap();
    assert_eq!(records.len(), 3, "authorizations, create, search");
    assert_eq!(records[0].operation, "authorizations");
    assert_eq!(records[1].status, Some(201));
    let everything = format!(
        "{}{}",
        serde_json::to_string(&*records).unwrap(),
        String::from_utf8_lossy(&logs.lock().unwrap())
    );
    assert!(everything.contains("ORD-AUDIT"), "bodies are recorded");
    assert!(everything.contains("[REDACTED]"));
    assert!(!everything.contains(&common::demo_secret()), "secret key leaked");
    assert!(!everything.contains("eyJ"), "a JWT leaked");
    let hash_sent = records[0].request_body.as_ref().unwrap()["hashString"].as_str().unwrap();
    assert_eq!(hash_sent, "[REDACTED]");
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);
impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn errors_and_debug_output_hide_the_secret() {
    let sb = common::sandbox().await;
    let config =
        common::config_for(&sb).secret_key("WRONG-SECRET-0000000000000000000000000").build().unwrap();
    assert!(!format!("{config:?}").contains("WRONG-SECRET"));
    let client = Client::new(config).unwrap();
    assert!(!format!("{client:?}").contains("WRONG-SECRET"));
    let err = client.cips().get(1).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthenticationError);
    for text in [err.to_string(), format!("{err:?}"), serde_json::to_string(&err).unwrap()] {
        assert!(!text.contains("WRONG-SECRET"), "{text}");
    }
    assert!(err.hint().unwrap().contains("environment"));
}

#[tokio::test]
async fn several_stores_in_one_process() {
    let second = Service {
        id_service: 4321,
        access_key: "ACCESSKEYSTORE2XXXXX".into(),
        secret_key: "SECRETKEYSTORE2XXXXXXXXXXXXXXXXXXXXXXXXX".into(),
        code_service: "ST2".into(),
    };
    let sb = common::sandbox_with(|c| c.services.push(second.clone())).await;
    let a = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let b = Client::new(
        common::config_for(&sb)
            .access_key(second.access_key.clone())
            .secret_key(second.secret_key.clone())
            .id_service(second.id_service)
            .build()
            .unwrap(),
    )
    .unwrap();
    let ca = a.cips().create(&order("ORD-A")).await.unwrap();
    let cb = b.cips().create(&order("ORD-B")).await.unwrap();
    assert_eq!(a.cips().get(ca.cip).await.unwrap().transaction_code, "ORD-A");
    let err = a.cips().get(cb.cip).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "a store cannot see another store's CIPs");
}

#[test]
fn blocking_client_works_without_a_runtime() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(common::sandbox());
    let client = blocking::Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-BLOCK")).unwrap();
    sb.control().pay(cip.cip).unwrap();
    let info = client
        .cips()
        .wait_for_final_status(
            cip.cip,
            pagoefectivo::WaitOptions {
                timeout: Duration::from_secs(5),
                initial_interval: Duration::from_millis(10),
                max_interval: Duration::from_millis(50),
            },
        )
        .unwrap();
    assert_eq!(info.status.as_str(), "paid");
    assert!(info.date_payment.is_some());
    assert_eq!(info.date_payment.unwrap().offset().local_minus_utc(), -5 * 3600);
    // Called from async code it refuses with a typed error instead of panicking.
    let err = rt.block_on(async { client.cips().get(cip.cip) }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfigurationError);
}

#[tokio::test]
async fn wait_times_out_on_an_open_cip() {
    let sb = common::sandbox().await;
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-WAIT")).await.unwrap();
    let opts = pagoefectivo::WaitOptions {
        timeout: Duration::from_millis(300),
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
    };
    let err = client.cips().wait_for_final_status(cip.cip, opts).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::WaitTimeout);
    assert!(err.message().contains("generated"));
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let demo = Service::demo();
    let config = pagoefectivo::Config::builder()
        .base_url(format!("http://{addr}/v1/"))
        .access_key(demo.access_key)
        .secret_key(demo.secret_key)
        .id_service(demo.id_service)
        .retry(pagoefectivo::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
        })
        .build()
        .unwrap();
    let err = Client::new(config).unwrap().cips().create(&order("ORD-DOWN")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConnectionError);
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), 3, "the authorization was attempted three times");
}
