//! Runs the language-neutral cases of tests/conformance/*.json against the Rust API.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use pagoefectivo::{Client, Config, CreateCipRequest, CreateRefundRequest, Decimal, Error, time, webhook};
use pagoefectivo_sandbox::{Control, Endpoint, Fault, RefundStatus, Sandbox};
use serde_json::{Value, json};

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

fn error_json(e: &Error) -> Value {
    let mut fields: Vec<&str> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
    fields.sort();
    fields.dedup();
    json!({
        "code": e.code().as_str(), "reason": e.reason(), "http_status": e.http_status(),
        "pe_code": e.pe_code(), "retryable": e.is_retryable(), "fields": fields, "attempts": e.attempts(),
    })
}

fn to_json<T: serde::Serialize>(r: Result<T, Error>) -> Result<Value, Value> {
    r.map(|v| serde_json::to_value(v).expect("results serialize")).map_err(|e| error_json(&e))
}

/// Partial match: every key of `want` must be in `got` with a matching value.
fn check(want: &Value, got: &Value, path: &str) -> Result<(), String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().try_for_each(|(k, wv)| {
            let gv = g.get(k).unwrap_or(&Value::Null);
            check(wv, gv, &format!("{path}.{k}"))
        }),
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            w.iter().zip(g).enumerate().try_for_each(|(i, (wv, gv))| check(wv, gv, &format!("{path}[{i}]")))
        }
        (Value::Number(w), Value::Number(g)) if w.to_string() == g.to_string() => Ok(()),
        (w, g) if w == g => Ok(()),
        (w, g) => Err(format!("{path}: want {w}, got {g}")),
    }
}

fn check_outcome(expect: &Value, outcome: &Result<Value, Value>) -> Result<(), String> {
    match (expect.get("ok"), expect.get("error"), outcome) {
        (Some(w), _, Ok(g)) => check(w, g, "ok"),
        (_, Some(w), Err(g)) => check(w, g, "error"),
        (None, None, _) => Ok(()),
        (_, _, other) => Err(format!("want {expect}, got {other:?}")),
    }
}

async fn run_offline(op: &str, input: &Value) -> Result<Value, Value> {
    match op {
        "auth.hash_string" => Ok(json!(pagoefectivo::hash_string(
            input["idService"].as_u64().unwrap() as u32,
            input["accessKey"].as_str().unwrap(),
            input["secretKey"].as_str().unwrap(),
            input["dateRequest"].as_str().unwrap(),
        ))),
        "webhook.verify" => to_json(webhook::verify(
            input["body"].as_str().unwrap().as_bytes(),
            input["signature"].as_str(),
            input["secret"].as_str().unwrap(),
        )),
        "time.parse" => to_json(time::parse(input.as_str().unwrap()).map(|t| time::format(&t))),
        "payee.cci" => to_json(pagoefectivo::validate_cci(input.as_str().unwrap()).map(|_| Value::Null)),
        "refund.validate" => to_json(CreateRefundRequest::from_json(input).map(|_| Value::Null)),
        "cip.status" => {
            Ok(json!(pagoefectivo::CipStatus::from_code(input.as_u64().unwrap() as u32).as_str()))
        }
        "cip.validate_create" => to_json(
            CreateCipRequest::from_json(input)
                .and_then(|r| r.validate(time::now_lima()))
                .map(|_| Value::Null),
        ),
        "config.from_env" => {
            let vars: HashMap<String, String> = serde_json::from_value(input.clone()).unwrap();
            to_json(Config::from_lookup(|k| vars.get(k).cloned()).map(|c| {
                json!({"baseUrl": c.base_url(), "idService": c.id_service,
                       "requestTimeoutMs": c.request_timeout.as_millis() as u64, "maxAttempts": c.retry.max_attempts})
            }))
        }
        "reconcile.run" => to_json(pagoefectivo::reconcile::reconcile_json(input)),
        "reconcile.business_days" => {
            let date: chrono::NaiveDate = input["date"].as_str().unwrap().parse().unwrap();
            let calendar = pagoefectivo::reconcile::Calendar::peru();
            let due = calendar.add_business_days(date, input["days"].as_u64().unwrap() as u32);
            Ok(json!({"due": due.to_string(), "isBusinessDay": calendar.is_business_day(date)}))
        }
        other => panic!("unknown op {other}"),
    }
}

/// Replaces `$name.field` and `$now+Nh` strings by their values.
fn resolve(v: &Value, saved: &HashMap<String, Value>) -> Value {
    match v {
        Value::String(s) if s.starts_with("$now+") && s.ends_with('h') => {
            let hours: i64 = s[5..s.len() - 1].parse().unwrap();
            json!(time::format(&(time::now_lima() + chrono::Duration::hours(hours))))
        }
        Value::String(s) if s.starts_with('$') => {
            let (name, field) = s[1..].split_once('.').unwrap();
            saved[name][field].clone()
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), resolve(v, saved))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve(v, saved)).collect()),
        other => other.clone(),
    }
}

fn cip_arg(args: &Value) -> u64 {
    args["cip"].as_u64().expect("cip is a number")
}

async fn run_step(client: &Client, ctl: &Control, step: &str, args: &Value) -> Result<Value, Value> {
    let cips = client.cips();
    match step {
        "cips.create" => match CreateCipRequest::from_json(args) {
            Ok(req) => to_json(cips.create(&req).await),
            Err(e) => Err(error_json(&e)),
        },
        "cips.get" => to_json(cips.get(cip_arg(args)).await),
        "cips.search" => {
            let list: Vec<u64> =
                args["cips"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
            to_json(cips.search(&list).await)
        }
        "cips.extend" => {
            let at = time::parse(args["dateExpiry"].as_str().unwrap()).unwrap();
            to_json(cips.extend(cip_arg(args), at).await.map(|_| Value::Null))
        }
        "cips.delete" => to_json(cips.delete(cip_arg(args)).await.map(|_| Value::Null)),
        "cips.wait_for_final_status" => {
            let options = pagoefectivo::WaitOptions {
                timeout: Duration::from_millis(args["timeoutMs"].as_u64().unwrap()),
                initial_interval: Duration::from_millis(20),
                max_interval: Duration::from_millis(200),
            };
            to_json(cips.wait_for_final_status(cip_arg(args), options).await)
        }
        "refunds.create" => match CreateRefundRequest::from_json(args) {
            Ok(req) => to_json(client.refunds().create(&req).await),
            Err(e) => Err(error_json(&e)),
        },
        "refunds.get" => to_json(client.refunds().get(args["refundId"].as_str().unwrap()).await),
        "refunds.list" => to_json(client.refunds().list(cip_arg(args)).await),
        "refunds.eligibility" => {
            let days = args["refundWindowDays"].as_u64().map(|d| d as u32);
            to_json(client.refunds().eligibility(cip_arg(args), days).await)
        }
        "refunds.wait_for_final_status" => {
            let options = pagoefectivo::WaitOptions {
                timeout: Duration::from_millis(args["timeoutMs"].as_u64().unwrap()),
                initial_interval: Duration::from_millis(20),
                max_interval: Duration::from_millis(200),
            };
            to_json(client.refunds().wait_for_final_status(args["refundId"].as_str().unwrap(), options).await)
        }
        "sandbox.refund" => {
            let to: RefundStatus = serde_json::from_value(args["to"].clone()).expect("a refund status");
            ctl.advance_refund(args["refundId"].as_str().unwrap(), to, args["reasonCode"].as_str())
                .map(|_| Value::Null)
                .map_err(|e| json!({"code": e.to_string()}))
        }
        "sandbox.refund_count" => Ok(json!(ctl.refunds().len())),
        "sandbox.pay" => {
            let p = ctl.pay(cip_arg(args)).map_err(|e| json!({"code": e.to_string()}))?;
            Ok(json!({"cip": p.cip, "operationNumber": p.operation_number}))
        }
        "sandbox.expire" => {
            ctl.expire(cip_arg(args)).map(|_| Value::Null).map_err(|e| json!({"code": e.to_string()}))
        }
        "sandbox.advance_clock" => {
            ctl.advance_clock(Duration::from_secs(args["seconds"].as_u64().unwrap()));
            Ok(Value::Null)
        }
        "sandbox.fault" => {
            let fault: Fault = serde_json::from_value(args.clone()).expect("a sandbox fault");
            ctl.add_fault(fault);
            Ok(Value::Null)
        }
        "sandbox.request_count" => {
            let endpoint: Endpoint = serde_json::from_value(args["endpoint"].clone()).unwrap();
            Ok(json!(ctl.request_count(endpoint)))
        }
        "sandbox.deliveries" => {
            let n = args["count"].as_u64().unwrap() as usize;
            let list = ctl.wait_for_deliveries(n, Duration::from_secs(5)).await;
            Ok(Value::Array(
                list.iter()
                    .map(|d| {
                        json!({"eventType": d.event_type, "body": d.body, "signature": d.signature,
                                    "statuses": d.attempts.iter().map(|a| a.status).collect::<Vec<_>>()})
                    })
                    .collect(),
            ))
        }
        "webhook.verify_delivery" => {
            let list = ctl.deliveries();
            let d = &list[args["index"].as_u64().unwrap() as usize];
            to_json(webhook::verify(d.body.as_bytes(), Some(&d.signature), &common::demo_secret()))
        }
        other => panic!("unknown scenario step {other}"),
    }
}

async fn run_scenario(input: &Value) -> Result<(), String> {
    let sb: Sandbox = common::sandbox_with(|c| {
        if let Some(s) = input["sandbox"]["tokenLifetimeSeconds"].as_u64() {
            c.token_lifetime = Duration::from_secs(s);
        }
        if let Some(m) = input["sandbox"]["maxAmount"].as_str() {
            c.max_amount = m.parse::<Decimal>().unwrap();
        }
    })
    .await;
    let mut b = common::config_for(&sb);
    if let Some(n) = input["client"]["maxAttempts"].as_u64() {
        b = b.max_attempts(n as u32);
    }
    if let Some(ms) = input["client"]["requestTimeoutMs"].as_u64() {
        b = b.request_timeout(Duration::from_millis(ms));
    }
    if let Some(k) = input["client"]["secretKey"].as_str() {
        b = b.secret_key(k);
    }
    let client = Client::new(b.build().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let ctl = sb.control();
    let mut saved = HashMap::new();
    for (i, step) in input["steps"].as_array().unwrap().iter().enumerate() {
        let name = step["do"].as_str().unwrap();
        let args = resolve(step.get("args").unwrap_or(&Value::Null), &saved);
        let outcome = run_step(&client, &ctl, name, &args).await;
        let expect = resolve(step.get("expect").unwrap_or(&json!({})), &saved);
        let expect = if expect.as_object().is_some_and(|m| m.is_empty()) && outcome.is_err() {
            json!({"ok": "(success)"})
        } else {
            expect
        };
        check_outcome(&expect, &outcome).map_err(|e| format!("step {i} {name}: {e}"))?;
        if let (Some(key), Ok(v)) = (step["save"].as_str(), &outcome) {
            saved.insert(key.to_owned(), v.clone());
        }
    }
    sb.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_cases() {
    let mut files: Vec<_> = std::fs::read_dir(cases_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let name = format!(
                "{}: {}",
                file.file_name().unwrap().to_string_lossy(),
                case["name"].as_str().unwrap()
            );
            let op = case["op"].as_str().unwrap();
            let result = if op == "scenario" {
                run_scenario(&case["input"]).await
            } else {
                check_outcome(&case["expect"], &run_offline(op, &case["input"]).await)
            };
            match result {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("{name}\n    {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} conformance cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(passed > 100, "only {passed} cases ran");
}
