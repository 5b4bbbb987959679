//! Hostile answers: numbers that overflow, cursors that never end, bodies too big or too slow.
//! Each must end in a typed error within the call's deadline, never a panic or a hang.

mod common;

use std::time::{Duration, Instant};

use common::hostile::{Answer, Hostile, config};
use pagoefectivo::reconcile::ReportQuery;
use pagoefectivo::{Client, ErrorCode};

const FOUND: &str = r#"{"cip":7,"transactionCode":"T1","amount":25.5,"currency":"PEN","status":25,
    "statusName":"Eliminado.","dateCreation":"2026-01-01T00:00:00-05:00","dateExpiry":"2026-01-02T00:00:00-05:00",
    "datePayment":"1900-01-01T00:00:00-05:00","dateRemoval":"2026-01-01T01:00:00-05:00","token":"AB"}"#;

async fn start(
    adjust: impl FnOnce(pagoefectivo::ConfigBuilder) -> pagoefectivo::ConfigBuilder,
) -> (Hostile, Client) {
    let (h, base) = Hostile::start().await;
    (h, Client::new(adjust(config(&base)).build().unwrap()).unwrap())
}

#[tokio::test]
async fn a_retry_after_beyond_any_clock_is_a_typed_error_at_once() {
    let (h, client) = start(|b| b).await;
    let busy = r#"{"code":"166","message":"Error interno del servidor.","data":[]}"#;
    for value in ["18446744073709551615", "99999999999999999999999", "-1", "soon"] {
        h.always("POST", "/v1/cips/search", Answer::json(503, busy).header("Retry-After", value));
        let started = Instant::now();
        let e = client.cips().get(1).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::ApiError, "{value}: {e}");
        assert!(e.is_retryable());
        assert!(started.elapsed() < Duration::from_secs(5), "{value}: waited {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn a_token_valid_until_the_end_of_time_does_not_overflow() {
    let (h, client) = start(|b| b).await;
    h.always(
        "POST",
        "/v1/authorizations",
        Answer::json(
            201,
            r#"{"code":100,"data":{"token":"t","tokenStart":"0001-01-01T00:00:00-05:00","tokenExpires":"9999-12-31T23:59:59-05:00"}}"#,
        ),
    );
    h.always("POST", "/v1/cips/search", Answer::json(200, r#"{"code":100,"data":[]}"#));
    assert_eq!(client.cips().search(&[1]).await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_report_that_repeats_its_cursor_is_an_error_not_a_loop() {
    let (h, client) = start(|b| b).await;
    let page = r#"{"code":100,"data":{"rows":[],"nextCursor":"c1","hasMore":true}}"#;
    h.always("GET", "/v1/reports/settlements", Answer::json(200, page));
    let e = client.reports().fetch_all(&ReportQuery::default(), |_| {}).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedResponse, "{e}");
    assert!(e.message().contains("cursor"), "{e}");
    assert!(h.count("GET", "/v1/reports/settlements") <= 3);
}

#[tokio::test]
async fn a_report_that_never_ends_stops_at_the_page_limit() {
    let (h, client) = start(|b| b).await;
    let answers = (0..20)
        .map(|i| {
            Answer::json(
                200,
                &format!(r#"{{"code":100,"data":{{"rows":[],"nextCursor":"c{i}","hasMore":true}}}}"#),
            )
        })
        .collect();
    h.script("GET", "/v1/reports/settlements", answers);
    let e = client.reports().with_max_pages(5).fetch_all(&ReportQuery::default(), |_| {}).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedResponse, "{e}");
    assert_eq!(h.count("GET", "/v1/reports/settlements"), 5);
}

#[tokio::test]
async fn answers_larger_than_the_limit_are_not_read() {
    let (h, client) = start(|b| b.max_response_bytes(4096)).await;
    let big = format!(r#"{{"code":100,"data":[],"pad":"{}"}}"#, "x".repeat(10_000));
    h.always("POST", "/v1/cips/search", Answer::json(200, &big));
    let e = client.cips().search(&[1]).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedResponse, "{e}");
    assert!(e.message().contains("max_response_bytes"), "{e}");
    // A creation answered with too much: the CIP may exist.
    h.always("POST", "/v1/cips", Answer::json(201, &big));
    let order = pagoefectivo::CreateCipRequest::new(
        pagoefectivo::Currency::PEN,
        "1.00".parse().unwrap(),
        "T",
        "a@b.pe",
    );
    assert_eq!(client.cips().create(&order).await.unwrap_err().code(), ErrorCode::OutcomeUnknown);
}

#[tokio::test]
async fn a_dripping_answer_ends_at_the_request_timeout() {
    let (h, client) =
        start(|b| b.request_timeout(Duration::from_millis(300)).total_timeout(Duration::from_secs(2))).await;
    let slow = Answer::json(200, r#"{"code":100,"message":"Solicitud exitosa.","data":[]}"#)
        .dripping(1, Duration::from_millis(100));
    h.always("POST", "/v1/cips/search", slow);
    let started = Instant::now();
    let e = client.cips().search(&[1]).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_a_success_when_the_cip_is_deleted() {
    let (h, client) = start(|b| b).await;
    let mut lost = Answer::json(200, r#"{"code":100,"message":"ok","data":{}}"#);
    lost.truncate = true;
    let conflict = r#"{"code":"121","message":"El CIP no se encuentra en un estado válido para esta operación.","data":[]}"#;
    h.script("DELETE", "/v1/cips/7", vec![lost, Answer::json(409, conflict)]);
    h.always("POST", "/v1/cips/search", Answer::json(200, &format!(r#"{{"code":100,"data":[{FOUND}]}}"#)));
    client.cips().delete(7).await.unwrap();
    assert_eq!(h.count("DELETE", "/v1/cips/7"), 2);
    // Without a lost first answer, deleting a deleted CIP is still refused.
    h.script("DELETE", "/v1/cips/7", vec![Answer::json(409, conflict)]);
    assert_eq!(client.cips().delete(7).await.unwrap_err().code(), ErrorCode::InvalidState);
}
