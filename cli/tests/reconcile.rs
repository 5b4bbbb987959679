//! `pagoefectivo reconcile` as a user runs it: generated files, column errors, the report endpoint of a sandbox.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pagoefectivo"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pagoefectivo-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(out: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn json(path: PathBuf) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn generate_then_reconcile_finds_what_was_injected() {
    let dir = scratch("gen");
    let d = dir.to_str().unwrap();
    let out = bin()
        .args(["reconcile", "generate", "--orders", "3000", "--seed", "5", "--out", d])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let expected = json(dir.join("expected.json"));

    let out = bin()
        .args([
            "reconcile",
            "run",
            "--orders",
            &format!("{d}/orders.csv"),
            "--report",
            &format!("{d}/report.csv"),
        ])
        .args(["--as-of", expected["asOf"].as_str().unwrap(), "--out", &format!("{d}/out")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("! missed_notification"), "{}", text(&out));
    let summary = json(dir.join("out/summary.json"));
    assert_eq!(summary["counts"], expected["counts"]);
    assert_eq!(summary["exceptions"], expected["exceptions"]);
    let csv = std::fs::read_to_string(dir.join("out/exceptions.csv")).unwrap();
    assert_eq!(csv.lines().count() as u64, expected["exceptions"].as_u64().unwrap() + 1);
    let jsonl = std::fs::read_to_string(dir.join("out/exceptions.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count() as u64, expected["exceptions"].as_u64().unwrap());
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Settlement overdue"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_column_is_named_and_fails() {
    let dir = scratch("col");
    std::fs::write(dir.join("orders.csv"), "Pedido,currency,amount,status\nA,PEN,1.00,paid\n").unwrap();
    std::fs::write(dir.join("report.csv"), "cip,currency,amount\n1,PEN,1.00\n").unwrap();
    let run = |extra: &[&str]| {
        bin()
            .args(["reconcile", "run", "--no-progress"])
            .args(["--orders", dir.join("orders.csv").to_str().unwrap()])
            .args(["--report", dir.join("report.csv").to_str().unwrap()])
            .args(["--out", dir.join("out").to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("validation_error") && t.contains("\"order_id\"") && t.contains("Pedido"), "{t}");
    let out = run(&["--order-column", "order_id=Pedido"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not_paid_at_pagoefectivo"));
    let out = bin().args(["reconcile", "run", "--orders", "x.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reads_the_report_endpoint_of_a_sandbox_and_prints_the_cursor() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(pagoefectivo_sandbox::Sandbox::start(Default::default())).unwrap();
    let demo = pagoefectivo_sandbox::Service::demo();
    let config = pagoefectivo::Config::builder()
        .base_url(sb.base_url())
        .access_key(&demo.access_key)
        .secret_key(demo.secret_key.clone())
        .id_service(demo.id_service)
        .build()
        .unwrap();
    let client = pagoefectivo::Client::new(config).unwrap();
    let request = pagoefectivo::CreateCipRequest::new(
        pagoefectivo::Currency::PEN,
        "12.00".parse().unwrap(),
        "ORD-E1",
        "buyer@example.pe",
    )
    .expires_in(std::time::Duration::from_secs(3600));
    let cip = rt.block_on(client.cips().create(&request)).unwrap().cip;
    sb.control().pay(cip).unwrap();

    let dir = scratch("endpoint");
    std::fs::write(dir.join("orders.jsonl"), format!("{{\"orderId\":\"ORD-E1\",\"cip\":{cip},\"currency\":\"PEN\",\"amount\":\"12.00\",\"status\":\"pending\"}}\n")).unwrap();
    let out = bin()
        .args(["reconcile", "run", "--endpoint", "--orders", dir.join("orders.jsonl").to_str().unwrap()])
        .args(["--out", dir.join("out").to_str().unwrap()])
        .env("PAGOEFECTIVO_ENVIRONMENT", sb.base_url())
        .env("PAGOEFECTIVO_SERVICE_ID", demo.id_service.to_string())
        .env("PAGOEFECTIVO_ACCESS_KEY", &demo.access_key)
        .env("PAGOEFECTIVO_SECRET_KEY", &demo.secret_key)
        .output()
        .unwrap();
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("missed_notification") && t.contains("next cursor: "), "{t}");
    assert!(!t.contains(&demo.secret_key), "the secret key was printed");
    let cursor = std::fs::read_to_string(dir.join("out/cursor.txt")).unwrap();
    assert!(!cursor.trim().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
    rt.block_on(sb.shutdown());
}
