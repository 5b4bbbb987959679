//! A merchant's notification endpoint over real HTTP: verify the raw body, dedup, answer 200.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use pagoefectivo::webhook::{self, Event, SIGNATURE_HEADER};
use pagoefectivo::{Client, CreateCipRequest, Currency, Deduplicator};

#[derive(Default)]
struct Shop {
    paid: Mutex<Vec<u64>>,
    duplicates: Mutex<u32>,
    refused: Mutex<Vec<String>>,
}

async fn receiver(shop: Arc<Shop>, secret: String) -> String {
    let dedup = Deduplicator::in_memory();
    let app = axum::Router::new().route(
        "/webhooks/pagoefectivo",
        post(move |headers: HeaderMap, body: Bytes| {
            let (shop, secret, dedup) = (shop.clone(), secret.clone(), dedup.clone());
            async move {
                let sig = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
                match webhook::verify(&body, sig, &secret) {
                    Ok(event) => {
                        if !dedup.first_delivery(&event).unwrap() {
                            *shop.duplicates.lock().unwrap() += 1;
                        } else if let Event::CipPaid(p) = event {
                            shop.paid.lock().unwrap().push(p.cip);
                        }
                        StatusCode::OK
                    }
                    Err(e) => {
                        shop.refused.lock().unwrap().push(e.reason().unwrap_or("").to_owned());
                        StatusCode::BAD_REQUEST
                    }
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/pagoefectivo", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn order(tc: &str) -> CreateCipRequest {
    CreateCipRequest::new(Currency::PEN, "49.90".parse().unwrap(), tc, "buyer@example.pe")
        .expires_in(Duration::from_secs(24 * 3600))
}

#[tokio::test]
async fn paid_notification_is_verified_and_duplicates_are_ignored() {
    let shop = Arc::new(Shop::default());
    let sb = common::sandbox().await;
    let url = receiver(shop.clone(), common::demo_secret()).await;
    sb.control().set_notification_url(Some(url));
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();

    let cip = client.cips().create(&order("ORD-W1")).await.unwrap();
    sb.control().add_fault(pagoefectivo_sandbox::Fault {
        endpoint: pagoefectivo_sandbox::Endpoint::Webhook,
        kind: pagoefectivo_sandbox::FaultKind::DuplicateDelivery,
        times: Some(1),
        rate: None,
    });
    sb.control().pay(cip.cip).unwrap();
    let deliveries = sb.control().wait_for_deliveries(2, Duration::from_secs(5)).await;
    assert_eq!(deliveries.len(), 2);
    assert_eq!(*shop.paid.lock().unwrap(), vec![cip.cip]);
    assert_eq!(*shop.duplicates.lock().unwrap(), 1);
    assert!(shop.refused.lock().unwrap().is_empty());
}

#[tokio::test]
async fn wrong_secret_is_refused_and_the_sandbox_tries_once_more() {
    let shop = Arc::new(Shop::default());
    let sb = common::sandbox().await;
    let url = receiver(shop.clone(), "a-production-secret".into()).await;
    sb.control().set_notification_url(Some(url));
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let cip = client.cips().create(&order("ORD-W2")).await.unwrap();
    sb.control().pay(cip.cip).unwrap();
    let deliveries = sb.control().wait_for_deliveries(1, Duration::from_secs(5)).await;
    let statuses: Vec<_> = deliveries[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![Some(400), Some(400)], "a non-200 answer is retried exactly once");
    assert_eq!(*shop.refused.lock().unwrap(), vec!["signature_mismatch", "signature_mismatch"]);
    assert!(shop.paid.lock().unwrap().is_empty());
}
