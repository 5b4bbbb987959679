//! Reconciliation against the sandbox on loopback: the `cips/search` sweep and the settlement-report extension with its cursor.

mod common;

use std::time::Duration;

use pagoefectivo::reconcile::{self, Class, Options, Order, OrderStatus, Orders, ReportQuery, Side};
use pagoefectivo::{Client, CreateCipRequest, Currency, Decimal, ErrorCode, time};

fn request(tc: &str, amount: &str) -> CreateCipRequest {
    CreateCipRequest::new(Currency::PEN, amount.parse().unwrap(), tc, "buyer@example.pe")
        .expires_in(Duration::from_secs(48 * 3600))
}

fn order(tc: &str, cip: u64, amount: &str, status: OrderStatus) -> Order {
    let mut o = Order::new(tc, Currency::PEN, amount.parse::<Decimal>().unwrap(), status);
    o.cip = Some(cip);
    o
}

fn classes(r: &reconcile::Reconciliation) -> Vec<(Class, Option<Side>, Option<String>)> {
    r.exceptions.iter().map(|e| (e.class, e.side, e.order_id.clone())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_sweep_and_report_endpoint_with_cursor() {
    let sb = common::sandbox().await;
    let ctl = sb.control();
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let mut cips = Vec::new();
    for (tc, amount) in
        [("ORD-1", "25.50"), ("ORD-2", "10.00"), ("ORD-3", "7.00"), ("ORD-5", "3.00"), ("ORD-X", "99.00")]
    {
        cips.push(client.cips().create(&request(tc, amount)).await.unwrap().cip);
    }
    let [c1, c2, c3, c5, cx] = cips[..] else { unreachable!() };
    ctl.pay(c1).unwrap();
    ctl.pay(c2).unwrap();
    ctl.pay(cx).unwrap();
    ctl.expire(c5).unwrap();
    let orders = Orders::from_records(&[
        order("ORD-1", c1, "25.50", OrderStatus::Pending),
        order("ORD-2", c2, "10.00", OrderStatus::Paid),
        order("ORD-3", c3, "7.00", OrderStatus::Paid),
        order("ORD-4", 99_999_999, "1.00", OrderStatus::Pending),
        order("ORD-5", c5, "3.00", OrderStatus::Pending),
    ])
    .unwrap();
    let options = Options::default();

    // (a) the public search endpoint, swept for the orders' CIPs.
    let mut progress = Vec::new();
    let found = reconcile::search_payments(&client, &orders, |done, total| progress.push((done, total)))
        .await
        .unwrap();
    assert_eq!(found.len(), 4, "the unknown CIP is simply absent");
    assert_eq!(progress.last(), Some(&(5, 5)));
    let r = reconcile::reconcile(&orders, &found, &options);
    assert_eq!(
        classes(&r),
        [
            (Class::MissedNotification, None, Some("ORD-1".into())),
            (Class::NotPaidAtPagoefectivo, None, Some("ORD-3".into())),
            (Class::UnknownReference, Some(Side::Merchant), Some("ORD-4".into())),
            (Class::ExpiredOpen, None, Some("ORD-5".into())),
        ]
    );
    assert_eq!(r.summary.count(Class::Matched), 1);

    // (c) the settlement-report extension, two rows a page.
    let reports = client.reports();
    assert_eq!(reports.path(), reconcile::DEFAULT_SETTLEMENT_REPORT_PATH);
    let today = time::now_lima().date_naive();
    let query =
        ReportQuery { date_from: Some(today - chrono::Days::new(1)), limit: 2, ..ReportQuery::default() };
    let first = reports.page(&query).await.unwrap();
    assert_eq!((first.rows.len(), first.has_more), (2, true));
    assert!(first.rows.iter().all(|r| r.settled_at.is_none() && r.paid_at.is_some()));
    let (paid, cursor) = reports.fetch_all(&query, |_| {}).await.unwrap();
    assert_eq!(paid.len(), 3);
    let r = reconcile::reconcile(&orders, &paid, &options);
    assert_eq!(
        classes(&r),
        [
            (Class::MissedNotification, None, Some("ORD-1".into())),
            (Class::NotPaidAtPagoefectivo, None, Some("ORD-3".into())),
            (Class::UnknownReference, Some(Side::Pagoefectivo), Some("ORD-X".into())),
        ]
    );

    // Incremental: from yesterday's cursor only the new payment comes back.
    let c6 = client.cips().create(&request("ORD-6", "5.00")).await.unwrap().cip;
    ctl.pay(c6).unwrap();
    let next = ReportQuery { cursor: cursor.clone(), ..ReportQuery::default() };
    let (new, cursor2) = reports.fetch_all(&next, |_| {}).await.unwrap();
    assert_eq!(new.len(), 1);
    assert_ne!(cursor2, cursor);
    let (none, cursor3) =
        reports.fetch_all(&ReportQuery { cursor: cursor2.clone(), ..next }, |_| {}).await.unwrap();
    assert_eq!((none.len(), cursor3), (0, cursor2));

    // A date range in the future is empty; settlement shows once the sandbox has paid out.
    let later = ReportQuery { date_from: Some(today + chrono::Days::new(1)), ..ReportQuery::default() };
    assert!(reports.page(&later).await.unwrap().rows.is_empty());
    ctl.advance_clock(Duration::from_secs(4 * 24 * 3600));
    let settled = reports.page(&ReportQuery::default()).await.unwrap();
    assert!(settled.rows.iter().all(|r| r.settled_at.is_some()));

    // Bad input and another path come back as typed errors.
    let bad = ReportQuery { cursor: Some("not a cursor".into()), ..ReportQuery::default() };
    let err = reports.page(&bad).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ValidationError);
    assert_eq!(err.field_errors()[0].field, "cursor");
    let err = reports.clone().with_path("v9/elsewhere").page(&ReportQuery::default()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    sb.shutdown().await;
}
