//! The README's Rust quick start is core/examples/quickstart.rs, verbatim, and it runs.

mod common;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn readme_quick_start_is_the_example_and_runs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/quickstart.rs")).unwrap();
    assert!(readme.contains(example.trim()), "README's quick start differs from core/examples/quickstart.rs");

    // cargo test builds examples next to the test binaries' deps/ folder.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("examples/quickstart");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(common::sandbox());
    let demo = pagoefectivo_sandbox::Service::demo();
    let out = Command::new(&bin)
        .env("PAGOEFECTIVO_ENVIRONMENT", sb.base_url())
        .env("PAGOEFECTIVO_SERVICE_ID", demo.id_service.to_string())
        .env("PAGOEFECTIVO_ACCESS_KEY", &demo.access_key)
        .env("PAGOEFECTIVO_SECRET_KEY", &demo.secret_key)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {} ({e}): run the whole `cargo test`, which builds examples", bin.display())
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("for PEN 149.90") && stdout.contains("status: generated"), "{stdout}");
}

#[test]
fn readme_refund_example_is_the_example_and_runs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/refund.rs")).unwrap();
    assert!(readme.contains(example.trim()), "README's refund example differs from core/examples/refund.rs");

    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("examples/refund");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(common::sandbox());
    let client = pagoefectivo::Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    let order = pagoefectivo::CreateCipRequest::new(
        pagoefectivo::Currency::PEN,
        "100.00".parse().unwrap(),
        "ORD-README",
        "a@b.pe",
    );
    let cip = rt.block_on(client.cips().create(&order)).unwrap().cip;
    sb.control().pay(cip).unwrap();
    let dir = std::env::temp_dir().join(format!("pe-refund-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let demo = pagoefectivo_sandbox::Service::demo();
    let out = Command::new(&bin)
        .arg(cip.to_string())
        .current_dir(&dir)
        .env("PAGOEFECTIVO_ENVIRONMENT", sb.base_url())
        .env("PAGOEFECTIVO_SERVICE_ID", demo.id_service.to_string())
        .env("PAGOEFECTIVO_ACCESS_KEY", &demo.access_key)
        .env("PAGOEFECTIVO_SECRET_KEY", &demo.secret_key)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}): run the whole `cargo test`", bin.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("refundable: PEN 100.00") && stdout.contains("is requested"), "{stdout}");
    let audit = std::fs::read_to_string(dir.join("refund-audit.jsonl")).unwrap();
    assert!(audit.contains("\"operation\":\"refund.create\"") && audit.contains("agent:maria"), "{audit}");
    assert_eq!(sb.control().refunds().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
