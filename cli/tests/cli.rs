//! The `pagoefectivo` binary as a user runs it.

use std::process::{Command, Stdio};

use std::io::Write;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pagoefectivo"))
}

const DOC_BODY: &str = r#"{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05}}"#;
const DOC_SIG: &str = "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9";

fn verify(body: &str, sig: &str, secret: &str) -> std::process::Output {
    let mut child = bin()
        .args(["webhook", "verify", "--secret", secret, "--signature", sig, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn demo_runs_the_whole_flow() {
    let out = bin().arg("demo").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    for needle in
        ["CIP (payment code)", "event: cip.paid", "status: paid", "reason=signature_mismatch", "[REDACTED]"]
    {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("SECRETKEY0000"), "the secret key was printed");
    let dashboard = regex_like(&text, "sandbox dashboard:  http://127.0.0.1:", "/_sandbox/ui");
    let voucher = regex_like(&text, "voucher page:       http://127.0.0.1:", ".html");
    assert!(dashboard && voucher, "the dashboard and voucher URLs are printed:\n{text}");
}

/// Whether some line holds `prefix`, then (later on it) `suffix`.
fn regex_like(text: &str, prefix: &str, suffix: &str) -> bool {
    text.lines().any(|l| l.find(prefix).is_some_and(|i| l[i..].contains(suffix)))
}

#[test]
fn webhook_verify_exit_codes() {
    let ok = verify(DOC_BODY, DOC_SIG, "test_secret");
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("11546901"));
    let bad = verify(&DOC_BODY.replace("22.05", "2.05"), DOC_SIG, "test_secret");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("signature_mismatch"));
    let short = verify(DOC_BODY, "abc", "test_secret");
    assert!(String::from_utf8_lossy(&short.stdout).contains("malformed_signature"));
}

#[test]
fn cip_commands_against_a_sandbox() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(pagoefectivo_sandbox::Sandbox::start(Default::default())).unwrap();
    let demo = pagoefectivo_sandbox::Service::demo();
    let run = |args: &[&str]| {
        bin()
            .args(args)
            .env("PAGOEFECTIVO_ENVIRONMENT", sb.base_url())
            .env("PAGOEFECTIVO_SERVICE_ID", demo.id_service.to_string())
            .env("PAGOEFECTIVO_ACCESS_KEY", &demo.access_key)
            .env("PAGOEFECTIVO_SECRET_KEY", &demo.secret_key)
            .output()
            .unwrap()
    };
    let out = run(&["cip", "create", "--amount", "12.30", "--order", "CLI-1", "--email", "a@b.pe"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["amount"], "12.30");
    let cip = created["cip"].as_u64().unwrap().to_string();
    let got: serde_json::Value = serde_json::from_slice(&run(&["cip", "get", &cip]).stdout).unwrap();
    assert_eq!(got[0]["status"], "generated");
    assert!(run(&["cip", "delete", &cip]).status.success());
    let again = run(&["cip", "delete", &cip]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("invalid_state"));
    let bad = run(&["cip", "create", "--amount", "0", "--order", "CLI-2", "--email", "a@b.pe"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("validation_error"));
}

#[test]
fn refund_commands_with_an_audit_file() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(pagoefectivo_sandbox::Sandbox::start(Default::default())).unwrap();
    let demo = pagoefectivo_sandbox::Service::demo();
    let audit = std::env::temp_dir().join(format!("pe-audit-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&audit);
    let run = |args: &[&str]| {
        bin()
            .args(args)
            .env("PAGOEFECTIVO_ENVIRONMENT", sb.base_url())
            .env("PAGOEFECTIVO_SERVICE_ID", demo.id_service.to_string())
            .env("PAGOEFECTIVO_ACCESS_KEY", &demo.access_key)
            .env("PAGOEFECTIVO_SECRET_KEY", &demo.secret_key)
            .output()
            .unwrap()
    };
    let created = run(&["cip", "create", "--amount", "80.00", "--order", "CLI-R", "--email", "a@b.pe"]);
    let cip = serde_json::from_slice::<serde_json::Value>(&created.stdout).unwrap()["cip"].as_u64().unwrap();
    sb.control().pay(cip).unwrap();
    let cci = pagoefectivo::cci_with_check_digits("002191001234567890").unwrap();
    let cip_s = cip.to_string();
    let audit_s = audit.to_str().unwrap();
    let refund = [
        "refund",
        "create",
        "--cip",
        &cip_s,
        "--amount",
        "30.00",
        "--reason",
        "Devuelto",
        "--reference",
        "R-1",
        "--cci",
        &cci,
        "--document-number",
        "44556677",
        "--name",
        "Ana Quispe",
        "--audit-file",
        audit_s,
    ];
    let out = run(&refund);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["status"], "requested");
    assert_eq!(r["amount"], "30.00");
    let id = r["refundId"].as_str().unwrap().to_owned();
    let got: serde_json::Value = serde_json::from_slice(&run(&["refund", "get", &id]).stdout).unwrap();
    assert_eq!(got["refundId"], id.as_str());
    let left: serde_json::Value =
        serde_json::from_slice(&run(&["refund", "eligibility", &cip_s]).stdout).unwrap();
    assert_eq!(left["refundableAmount"], "50.00");
    let mut too_much = refund;
    too_much[5] = "60.00";
    too_much[9] = "R-2";
    let refused = run(&too_much);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("amount_exceeds_refundable"));
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(&audit).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "one record per refund operation");
    assert_eq!(lines[0]["outcome"], "ok");
    assert_eq!(lines[0]["merchantRefundId"], "R-1");
    assert_eq!(lines[1]["outcome"], "refund_not_allowed");
    assert!(lines[0]["idempotencyKey"].as_str().unwrap().starts_with("rfd_"));
    assert_eq!(lines[0]["refundId"], id.as_str(), "the audit record names the refund created");
    assert!(!std::fs::read_to_string(&audit).unwrap().contains(&demo.secret_key));
    let _ = std::fs::remove_file(&audit);
}
