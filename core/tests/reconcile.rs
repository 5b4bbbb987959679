//! Reconciliation from files and records: the generator's injected discrepancies, column mapping, Lima days, outputs.

use std::io::Cursor;

use pagoefectivo::reconcile::fixture::{Expected, FixtureSpec, write_fixture};
use pagoefectivo::reconcile::{
    self, Class, Coverage, Options, Order, OrderColumns, OrderStatus, Orders, PaymentRecord, Payments,
    ReportColumns, Side,
};
use pagoefectivo::{Currency, Decimal, time};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn as_of() -> chrono::DateTime<chrono::FixedOffset> {
    time::parse("2026-11-24T12:00:00-05:00").unwrap()
}

fn options() -> Options {
    Options { as_of: Some(as_of()), ..Options::default() }
}

#[test]
fn finds_exactly_the_injected_discrepancies_in_100k_rows() {
    let spec = FixtureSpec { orders: 100_000, seed: 7, as_of: as_of() };
    let (mut orders_csv, mut report_csv) = (Vec::new(), Vec::new());
    let fx = write_fixture(&spec, &mut orders_csv, &mut report_csv).unwrap();
    assert!(
        fx.report_rows > 95_000 && fx.expected.len() > 3_000,
        "{} rows, {} expected",
        fx.report_rows,
        fx.expected.len()
    );

    let (orders, payments) = reconcile::load_csv_pair(
        Cursor::new(&orders_csv),
        &OrderColumns::default(),
        Cursor::new(&report_csv),
        &ReportColumns::default(),
    )
    .unwrap();
    assert_eq!((orders.len(), payments.len()), (fx.order_rows, fx.report_rows));
    let result = reconcile::reconcile(&orders, &payments, &options());

    let mut found: Vec<Expected> = result
        .exceptions
        .iter()
        .map(|e| Expected { class: e.class, side: e.side, order_id: e.order_id.clone(), cip: e.cip })
        .collect();
    found.sort();
    let missing: Vec<_> = fx.expected.iter().filter(|e| found.binary_search(e).is_err()).take(5).collect();
    let extra: Vec<_> = found.iter().filter(|e| fx.expected.binary_search(e).is_err()).take(5).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}\nextra {extra:?}");
    assert_eq!(found.len(), fx.expected.len());
    assert_eq!(result.summary.counts, fx.counts);
    // Every injected class shows up, and the counts partition both sides.
    for class in Class::ALL {
        assert!(result.summary.count(class) > 0, "no {class:?}");
    }
    let exceptions: u64 =
        result.summary.totals.iter().filter(|t| t.class.is_exception()).map(|t| t.count).sum();
    assert_eq!(exceptions, result.exceptions.len() as u64);
}

#[test]
fn the_generator_is_deterministic() {
    let spec = FixtureSpec { orders: 2_000, seed: 42, as_of: as_of() };
    let run = || {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let fx = write_fixture(&spec, &mut a, &mut b).unwrap();
        (a, b, fx)
    };
    assert_eq!(run(), run());
}

#[test]
fn columns_are_mapped_by_name_and_a_missing_one_is_named() {
    let report = "\u{feff}Nro CIP;Moneda;Importe;Estado;Fecha de pago;Codigo\n\
                  2523136;PEN;25.50;Cancelado.;2026-11-20 10:00:00;ORD-1\n";
    let mut cols = ReportColumns::default();
    for (field, name) in [
        ("cip", "nro cip"),
        ("currency", "Moneda"),
        ("amount", "Importe"),
        ("status", "Estado"),
        ("paid_at", "Fecha de pago"),
        ("transaction_code", "Codigo"),
        ("settled_at", ""),
        ("refunded_amount", ""),
    ] {
        cols.set(field, name).unwrap();
    }
    let semicolons = report.replace(';', ",");
    let p = Payments::from_report_csv(semicolons.as_bytes(), &cols).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p.coverage(), Coverage { every_order_cip: false, settlement: false, refunds: false });

    cols.set("amount", "Monto").unwrap();
    let err = Payments::from_report_csv(semicolons.as_bytes(), &cols).unwrap_err();
    assert_eq!(err.code().as_str(), "validation_error");
    assert_eq!(err.reason(), Some("missing_column"));
    assert_eq!(err.field_errors()[0].field, "Monto");
    assert!(err.message().contains("Monto") && err.message().contains("Importe"), "{}", err.message());

    let bad = "order_id,currency,amount,status\nA,PEN,12;5,paid\n";
    let err = Orders::from_csv(bad.as_bytes(), &OrderColumns::default()).unwrap_err();
    assert_eq!(err.reason(), Some("bad_value"));
    assert_eq!(err.field_errors()[0].field, "amount");
    assert!(err.field_errors()[0].message.contains("line 2"));
    assert!(OrderColumns::default().set("colour", "x").is_err());
    // An optional column mapped on purpose must exist; a default one may be absent.
    let mut cols = OrderColumns::default();
    cols.set("paid_at", "fecha_pago").unwrap();
    let err = Orders::from_csv("order_id,currency,amount,status\n".as_bytes(), &cols).unwrap_err();
    assert_eq!(err.field_errors()[0].field, "fecha_pago");
}

#[test]
fn settlement_days_turn_at_lima_midnight_whatever_the_zone() {
    // Paid Thursday 23:30 in Lima, which is already Friday in UTC (and in Shanghai).
    let mut order = Order::new("ORD-9", Currency::PEN, d("10"), OrderStatus::Paid);
    order.cip = Some(77);
    let mut paid = PaymentRecord::paid(77, "ORD-9", Currency::PEN, d("10"));
    paid.paid_at = Some(time::parse("2026-11-20T12:30:00+08:00").unwrap());
    let orders = Orders::from_records([&order]).unwrap();
    let cov = Coverage { settlement: true, ..Coverage::default() };
    let payments = Payments::from_records([&paid], cov).unwrap();
    // T+1 from Thursday the 19th (Lima) is Friday the 20th: overdue on Saturday.
    let opts = Options {
        settlement_days: 1,
        as_of: Some(time::parse("2026-11-21T12:00:00-05:00").unwrap()),
        ..Options::default()
    };
    let r = reconcile::reconcile(&orders, &payments, &opts);
    assert_eq!(r.summary.count(Class::SettlementOverdue), 1, "{:?}", r.exceptions);
    assert_eq!(r.exceptions[0].expected_settlement, Some("2026-11-20".parse().unwrap()));
    // Friday itself is still within the deadline.
    let opts = Options { as_of: Some(time::parse("2026-11-20T23:59:59-05:00").unwrap()), ..opts };
    let r = reconcile::reconcile(&orders, &payments, &opts);
    assert_eq!(r.summary.count(Class::Matched), 1);
}

#[test]
fn tolerance_refunds_and_transaction_code_matching() {
    let mut a = Order::new("A", Currency::PEN, d("100.00"), OrderStatus::Paid);
    a.cip = Some(1);
    let mut b = Order::new("B", Currency::USD, d("20.00"), OrderStatus::Paid);
    b.refunded_amount = d("5");
    let c = Order::new("C", Currency::PEN, d("1.00"), OrderStatus::Pending);
    let mut pa = PaymentRecord::paid(1, "A", Currency::PEN, d("100.05"));
    pa.refunded_amount = Some(Decimal::ZERO);
    let mut pb = PaymentRecord::paid(2, "B", Currency::USD, d("20.00"));
    pb.refunded_amount = Some(d("5.00"));
    let orders = Orders::from_records([&a, &b, &c]).unwrap();
    let cov = Coverage { refunds: true, ..Coverage::default() };
    let payments = Payments::from_records([&pa, &pb], cov).unwrap();
    let r = reconcile::reconcile(&orders, &payments, &options());
    assert_eq!(r.summary.count(Class::Matched), 2, "{:?}", r.exceptions);
    assert_eq!(r.summary.count(Class::Unpaid), 1);
    assert!(r.exceptions.is_empty());
    // A tighter tolerance turns A into an amount mismatch.
    let strict = Options { amount_tolerance: d("0.01"), ..options() };
    let r = reconcile::reconcile(&orders, &payments, &strict);
    assert_eq!(r.exceptions.len(), 1);
    assert_eq!(r.exceptions[0].class, Class::AmountMismatch);
    assert_eq!(r.exceptions[0].difference, Some(d("0.05")));
    // Totals count PagoEfectivo's amount.
    let pen = r.summary.totals.iter().find(|t| t.class == Class::AmountMismatch).unwrap();
    assert_eq!(pen.amount, d("100.05"));
}

#[test]
fn a_search_sweep_knows_unknown_cips() {
    let mut a = Order::new("A", Currency::PEN, d("10"), OrderStatus::Pending);
    a.cip = Some(5);
    let orders = Orders::from_records([&a]).unwrap();
    let none: [&PaymentRecord; 0] = [];
    let complete =
        Payments::from_records(none, Coverage { every_order_cip: true, ..Coverage::default() }).unwrap();
    let r = reconcile::reconcile(&orders, &complete, &options());
    assert_eq!(r.exceptions[0].class, Class::UnknownReference);
    assert_eq!(r.exceptions[0].side, Some(Side::Merchant));
    let partial = Payments::from_records(none, Coverage::default()).unwrap();
    assert_eq!(reconcile::reconcile(&orders, &partial, &options()).summary.count(Class::Unpaid), 1);
}

#[test]
fn json_lines_in_and_every_output_out() {
    let orders = "{\"orderId\":\"A\",\"cip\":11,\"currency\":\"PEN\",\"amount\":\"10.00\",\"status\":\"pending\"}\n\n\
                  {\"order_id\":\"<B>\",\"cip\":\"12\",\"currency\":\"USD\",\"amount\":5,\"status\":\"paid\",\"paid_at\":\"2026-11-23T10:00:00-05:00\"}\n";
    let orders = Orders::from_json_lines(orders.as_bytes()).unwrap();
    let payments =
        "{\"cip\":11,\"transactionCode\":\"A\",\"currency\":\"PEN\",\"amount\":10,\"status\":23}\n";
    let payments = Payments::from_json_lines(payments.as_bytes(), Coverage::default()).unwrap();
    let r = reconcile::reconcile(&orders, &payments, &options());
    let classes: Vec<Class> = r.exceptions.iter().map(|e| e.class).collect();
    assert_eq!(classes, [Class::MissedNotification, Class::NotPaidAtPagoefectivo]);

    let mut csv = Vec::new();
    r.write_exceptions_csv(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.starts_with(&reconcile::EXCEPTION_COLUMNS.join(",")));
    let mut jsonl = Vec::new();
    r.write_exceptions_json_lines(&mut jsonl).unwrap();
    let first: serde_json::Value =
        serde_json::from_slice(jsonl.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["class"], "missed_notification");
    assert_eq!(first["pagoefectivoAmount"], "10");
    assert_eq!(first["cip"], 11);

    let html = r.to_html();
    assert!(html.contains("<svg") && html.contains("&lt;B&gt;") && !html.contains("<B>"));
    assert!(!html.contains("src=") && !html.contains("href=") && !html.contains("@import"));

    let bad = Orders::from_json_lines(
        "{\"orderId\":\"A\",\"currency\":\"EUR\",\"amount\":1,\"status\":\"paid\"}\n".as_bytes(),
    );
    let err = bad.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "currency");
    assert!(err.field_errors()[0].message.starts_with("line 1"));
}

#[test]
fn readme_reconcile_example_is_the_example_and_runs() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/reconcile.rs")).unwrap();
    assert!(
        readme.contains(example.trim()),
        "README's reconciliation example differs from core/examples/reconcile.rs"
    );

    let dir = std::env::temp_dir().join(format!("pagoefectivo-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = FixtureSpec { orders: 500, seed: 3, as_of: as_of() };
    let (mut orders, mut report) = (Vec::new(), Vec::new());
    write_fixture(&spec, &mut orders, &mut report).unwrap();
    let orders = String::from_utf8(orders).unwrap().replacen("order_id", "pedido", 1);
    std::fs::write(dir.join("orders.csv"), orders).unwrap();
    std::fs::write(dir.join("report.csv"), report).unwrap();
    // cargo test builds examples next to the test binaries' deps/ folder.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("examples/reconcile");
    let out = std::process::Command::new(&bin).arg(&dir).output().unwrap_or_else(|e| {
        panic!("cannot run {} ({e}): run the whole `cargo test`, which builds examples", bin.display())
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("to follow up"), "{stdout}");
    assert!(std::fs::read_to_string(dir.join("report.html")).unwrap().contains("<svg"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lines an editor shows, whatever the line endings, a BOM or quoted newlines.
#[test]
fn line_numbers_are_the_editors_for_lf_crlf_bom_and_quoted_newlines() {
    let orders = "order_id,cip,currency,amount,status\nA,1,PEN,10.00,pending\n\"B\nsecond line\",2,PEN,10.00,pending\nC,3,PEN,10.00,pending\n";
    let report = "cip,transaction_code,currency,amount,status\n1,A,PEN,10.00,paid\n2,B,PEN,10.00,paid\n3,C,PEN,12.00,paid\n";
    for (ending, bom) in [("\n", ""), ("\r\n", ""), ("\r\n", "\u{feff}")] {
        let o = format!("{bom}{}", orders.replace('\n', ending));
        let r = format!("{bom}{}", report.replace('\n', ending));
        let (orders, payments) = reconcile::load_csv_pair(
            Cursor::new(o.as_bytes()),
            &OrderColumns::default(),
            Cursor::new(r.as_bytes()),
            &ReportColumns::default(),
        )
        .unwrap();
        let result = reconcile::reconcile(&orders, &payments, &options());
        let lines: Vec<(Class, Option<u32>, Option<u32>)> =
            result.exceptions.iter().map(|e| (e.class, e.order_line, e.pagoefectivo_line)).collect();
        // A: line 2 / 2; B (two lines, 3-4): line 3 / 3; C: line 5 / 4.
        assert!(
            lines.contains(&(Class::MissedNotification, Some(2), Some(2))),
            "{ending:?} {bom:?}: {lines:?}"
        );
        assert!(lines.contains(&(Class::AmountMismatch, Some(5), Some(4))), "{ending:?} {bom:?}: {lines:?}");
        // A bad value names the same line in its message.
        let bad = o.replace("C,3,PEN,10.00", "C,3,PEN,ten");
        let e = Orders::from_csv(Cursor::new(bad.as_bytes()), &OrderColumns::default()).unwrap_err();
        assert!(e.field_errors()[0].message.starts_with("line 5:"), "{ending:?}: {e}");
    }
}
