//! Payment notifications: body, signature, retry, refusal, duplicates.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{Harness, lima, start_with};
use hmac::{Hmac, KeyInit, Mac};
use pagoefectivo_sandbox::{CipStatus, ControlError, Endpoint, Fault, FaultKind, SandboxConfig, Service};
use sha2::Sha256;
use tokio::net::TcpListener;

const WAIT: Duration = Duration::from_secs(10);

/// What a merchant endpoint received: (PE-Signature, content type, raw body).
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

struct Receiver {
    url: String,
    received: Received,
}

/// A merchant endpoint on loopback answering the given statuses in turn, then 200.
async fn receiver(statuses: &[u16]) -> Receiver {
    let received: Received = Arc::default();
    let queue = Arc::new(Mutex::new(statuses.iter().copied().collect::<VecDeque<u16>>()));
    let state = (Arc::clone(&received), queue);
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State((received, queue)): State<(Received, Arc<Mutex<VecDeque<u16>>>)>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let header = |name: &str| {
                        headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
                    };
                    received.lock().expect("lock").push((
                        header("pe-signature"),
                        header("content-type"),
                        String::from_utf8(body.to_vec()).expect("utf-8"),
                    ));
                    let status = queue.lock().expect("lock").pop_front().unwrap_or(200);
                    StatusCode::from_u16(status).expect("status")
                },
            ),
        )
        .with_state(state);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, received }
}

async fn sandbox_notifying(url: Option<String>) -> Harness {
    start_with(SandboxConfig {
        notification_url: url,
        webhook_retry_delay: Duration::from_millis(50),
        ..SandboxConfig::default()
    })
    .await
}

fn hmac_hex(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn paying_posts_a_signed_cip_paid_notification() {
    let hook = receiver(&[]).await;
    let h = sandbox_notifying(Some(hook.url.clone())).await;
    let control = h.sandbox.control();
    let cip = h.create("1500").await;
    let payment = control.pay(cip).expect("pay");
    assert!(payment.operation_number.bytes().all(|b| b.is_ascii_digit()));

    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    assert_eq!(deliveries.len(), 1);
    let d = &deliveries[0];
    let expected = format!(
        r#"{{"eventType":"cip.paid","operationNumber":"{}","data":{{"cip":"{cip}","currency":"PEN","amount":1500.00,"paymentDate":"{}","transactionCode":"ORD-1"}}}}"#,
        payment.operation_number,
        lima(payment.date_payment)
    );
    assert_eq!(d.body, expected);
    assert_eq!(d.event_type, "cip.paid");
    assert_eq!(d.url, hook.url);
    assert_eq!(d.signature, hmac_hex(&Service::demo().secret_key, &expected));
    assert_eq!(
        d.attempts.iter().map(|a| (a.status, a.error.clone())).collect::<Vec<_>>(),
        [(Some(200), None)]
    );
    assert!(d.attempts[0].duration_ms.is_some());
    let received = hook.received.lock().expect("lock").clone();
    assert_eq!(received, [(d.signature.clone(), "application/json".to_owned(), expected)]);

    let item = &h.search(&[cip]).await[0];
    assert_eq!((item["status"].as_u64(), item["statusName"].as_str()), (Some(23), Some("Cancelado.")));
    assert_eq!(item["datePayment"], lima(payment.date_payment));
    assert_eq!(control.request_count(Endpoint::Webhook), 1);
    assert_eq!(control.pay(cip), Err(ControlError::InvalidState { cip, status: CipStatus::Paid }));
    assert_eq!(control.pay(1), Err(ControlError::UnknownCip(1)));
}

#[tokio::test]
async fn a_failed_delivery_is_retried_exactly_once() {
    let hook = receiver(&[500, 503]).await;
    let h = sandbox_notifying(Some(hook.url.clone())).await;
    let control = h.sandbox.control();
    let first = h.create("22.05").await;
    control.pay(first).expect("pay");
    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    let statuses: Vec<Option<u16>> = deliveries[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(503)]);

    let second = h.create("22.05").await;
    control.pay(second).expect("pay");
    let deliveries = control.wait_for_deliveries(2, WAIT).await;
    let statuses: Vec<Option<u16>> = deliveries[1].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(200)]);
    assert!(deliveries[1].body.contains(r#""amount":22.05,"#));
    assert_eq!(hook.received.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn connection_errors_are_recorded_and_retried() {
    // Bind then drop a listener: nothing answers on that port any more.
    let port = TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("addr").port();
    let h = sandbox_notifying(Some(format!("http://127.0.0.1:{port}/hook"))).await;
    let control = h.sandbox.control();
    control.pay(h.create("1").await).expect("pay");
    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    let attempts = &deliveries[0].attempts;
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a.status.is_none() && a.error.is_some()));
}

#[tokio::test]
async fn missing_or_remote_urls_are_not_posted_to() {
    let h = sandbox_notifying(None).await;
    let control = h.sandbox.control();
    control.pay(h.create("1").await).expect("pay");
    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    assert_eq!(deliveries[0].attempts[0].error.as_deref(), Some("no notification url"));

    control.set_notification_url(Some("http://192.0.2.1/hook".into()));
    control.pay(h.create("1").await).expect("pay");
    let deliveries = control.wait_for_deliveries(2, WAIT).await;
    let attempts = &deliveries[1].attempts;
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0].error.as_deref().expect("error").contains("non-loopback"));
    assert_eq!(control.request_count(Endpoint::Webhook), 0);
}

#[tokio::test]
async fn duplicate_delivery_fault_sends_the_same_notification_twice() {
    let hook = receiver(&[]).await;
    let h = sandbox_notifying(Some(hook.url.clone())).await;
    let control = h.sandbox.control();
    control.add_fault(Fault {
        endpoint: Endpoint::Webhook,
        kind: FaultKind::DuplicateDelivery,
        times: Some(1),
        rate: None,
    });
    control.pay(h.create("7").await).expect("pay");
    let deliveries = control.wait_for_deliveries(2, WAIT).await;
    assert_eq!(deliveries.len(), 2);
    // The same notification (each delivery's timing is its own).
    let (a, b) = (&deliveries[0], &deliveries[1]);
    assert_eq!(
        (&a.event_type, &a.url, &a.body, &a.signature),
        (&b.event_type, &b.url, &b.body, &b.signature)
    );
    let statuses =
        |d: &pagoefectivo_sandbox::Delivery| d.attempts.iter().map(|t| t.status).collect::<Vec<_>>();
    assert_eq!(statuses(a), statuses(b));
    let received = hook.received.lock().expect("lock").clone();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0], received[1]);

    control.pay(h.create("7").await).expect("pay");
    assert_eq!(control.wait_for_deliveries(3, WAIT).await.len(), 3);
    assert_eq!(hook.received.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn drop_fault_loses_a_notification() {
    let hook = receiver(&[]).await;
    let h = sandbox_notifying(Some(hook.url.clone())).await;
    let control = h.sandbox.control();
    control.add_fault(Fault {
        endpoint: Endpoint::Webhook,
        kind: FaultKind::Drop,
        times: Some(1),
        rate: None,
    });
    let cip = h.create("7").await;
    control.pay(cip).expect("pay");
    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    assert!(deliveries[0].attempts[0].error.is_some());
    assert!(hook.received.lock().expect("lock").is_empty());
    assert_eq!(control.cip(cip).expect("cip").status, CipStatus::Paid);
}

#[tokio::test]
async fn paying_an_expired_cip_is_refused() {
    let h = sandbox_notifying(None).await;
    let control = h.sandbox.control();
    let cip = h.create("1").await;
    control.expire(cip).expect("expire");
    assert_eq!(control.pay(cip), Err(ControlError::InvalidState { cip, status: CipStatus::Expired }));
    assert!(control.deliveries().is_empty());
    assert_eq!(h.search(&[cip]).await[0]["status"], 21);
}

/// A bare TCP listener: the bytes a merchant's server receives, before any HTTP library reads them.
async fn raw_receiver(answer: &'static [u8]) -> (String, tokio::sync::mpsc::Receiver<Vec<u8>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/notify.php", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut bytes = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head, then the body by its Content-Length.
            while let Ok(n) = socket.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&bytes).into_owned();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len: usize = text
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if bytes.len() >= end + 4 + len {
                        break;
                    }
                }
            }
            let _ = socket.write_all(answer).await;
            let _ = tx.send(bytes).await;
        }
    });
    (url, rx)
}

#[tokio::test]
async fn headers_leave_with_the_documented_spelling() {
    let (url, mut rx) = raw_receiver(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").await;
    let h = sandbox_notifying(Some(url)).await;
    let control = h.sandbox.control();
    let cip = h.create("10").await;
    control.pay(cip).expect("pay");
    let raw = tokio::time::timeout(WAIT, rx.recv()).await.expect("delivered").expect("bytes");
    let text = String::from_utf8(raw).expect("utf-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let lines: Vec<&str> = head.split("\r\n").collect();
    assert_eq!(lines[0], "POST /notify.php HTTP/1.1");
    let signature = control.deliveries()[0].signature.clone();
    // Case-sensitive, as PHP's getallheaders()['PE-Signature'] is.
    assert!(lines.contains(&format!("PE-Signature: {signature}").as_str()), "{head}");
    assert!(lines.contains(&"Content-Type: application/json"), "{head}");
    assert!(lines.iter().any(|l| l.starts_with("User-Agent: ")), "{head}");
    assert!(!head.contains("pe-signature"), "{head}");
    assert_eq!(hmac_hex(&Service::demo().secret_key, body), signature);
    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    assert_eq!(deliveries[0].attempts.iter().map(|a| a.status).collect::<Vec<_>>(), [Some(200)]);
    assert_eq!(deliveries[0].attempts[0].response.as_deref(), Some(""));
}

#[tokio::test]
async fn a_receiver_that_answers_garbage_or_nothing_gets_the_one_retry() {
    let (url, mut rx) = raw_receiver(b"garbage\r\n\r\n").await;
    let h = sandbox_notifying(Some(url)).await;
    let control = h.sandbox.control();
    control.pay(h.create("10").await).expect("pay");
    for _ in 0..2 {
        tokio::time::timeout(WAIT, rx.recv()).await.expect("delivered").expect("bytes");
    }
    let deliveries = control.wait_for_deliveries(1, WAIT).await;
    assert_eq!(deliveries[0].attempts.len(), 2);
    assert!(deliveries[0].attempts.iter().all(|a| a.status.is_none() && a.error.is_some()));
}
