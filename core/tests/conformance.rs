//! Runs the language-neutral cases of tests/conformance/*.json against the Rust API.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use pagoefectivo::{Client, Decimal, Error, boundary, time, webhook};
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

/// A typed marker (`{"$float": "25.5"}`...) as Rust hands it to the boundary: the JSON a
/// binding writes for that native value. `None` for a value Rust cannot hold (`$surrogate`).
fn native(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Object(m) if m.len() == 1 && m.keys().next().is_some_and(|k| k.starts_with('$')) => {
            let (k, x) = m.iter().next().unwrap();
            let text = x.as_str().unwrap_or_default();
            match k.as_str() {
                // A float's JSON always has a fraction or an exponent (serde_json writes 25.0 for 25f64).
                "$float" => {
                    Value::Number(serde_json::Number::from_f64(text.parse::<f64>().unwrap()).unwrap())
                }
                "$int" => Value::Number(text.parse().unwrap()),
                "$decimal" | "$naive" | "$aware" => json!(text),
                "$surrogate" => return None,
                other => panic!("unknown marker {other}"),
            }
        }
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| Some((k.clone(), native(v)?))).collect::<Option<_>>()?)
        }
        Value::Array(a) => Value::Array(a.iter().map(native).collect::<Option<_>>()?),
        other => other.clone(),
    })
}

async fn run_offline(op: &str, input: &Value) -> Result<Value, Value> {
    let r = match op {
        "cip.validate_create" => boundary::ops::call(op, input),
        "webhook.verify"
        | "time.parse"
        | "cip.status"
        | "payee.cci"
        | "refund.validate"
        | "auth.hash_string"
        | "config.from_env"
        | "reconcile.run"
        | "reconcile.business_days" => boundary::ops::call(op, input),
        "dedup.sequence" => return dedup_sequence(input).await,
        other => panic!("unknown op {other}"),
    };
    r.map_err(|e| error_json(&e))
}

/// `{options, steps: [{op, body} | {op: "sleep", ms}]}`: each step's answer, or `{error}` for a step that
/// failed; options the deduplicator refuses fail the case.
async fn dedup_sequence(input: &Value) -> Result<Value, Value> {
    let d = boundary::dedup::deduplicator(&input["options"]).map_err(|e| error_json(&e))?;
    let mut out = Vec::new();
    for step in input["steps"].as_array().expect("steps") {
        let op = step["op"].as_str().expect("op");
        if op == "sleep" {
            tokio::time::sleep(std::time::Duration::from_millis(step["ms"].as_u64().expect("ms"))).await;
            continue;
        }
        let body = step["body"].as_str().expect("body").as_bytes();
        let answer = match pagoefectivo::webhook::parse_event(body) {
            Ok(event) => boundary::dedup::run(&d, op, &event).await,
            Err(e) => Err(e),
        };
        out.push(answer.unwrap_or_else(|e| json!({"error": error_json(&e)})));
    }
    Ok(Value::Array(out))
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

/// Client steps go through the boundary's dispatch: the very code every binding calls.
async fn client_step(client: &Client, step: &str, args: &Value) -> Result<Value, Value> {
    let mut args = args.clone();
    if step.ends_with("wait_for_final_status") {
        // Fast polling, as every runner does.
        args["initialIntervalMs"] = json!(20);
        args["maxIntervalMs"] = json!(200);
    }
    boundary::ops::client_call(client, step, &args).await.map_err(|e| error_json(&e))
}

async fn run_step(client: &Client, ctl: &Control, step: &str, args: &Value) -> Result<Value, Value> {
    match step {
        s if s.starts_with("cips.") || s.starts_with("refunds.") => client_step(client, s, args).await,
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
        let Some(args) = native(&args) else { return Ok(()) };
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
    let (mut passed, mut failures, mut skipped) = (0, Vec::new(), Vec::new());
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
            } else if let Some(input) = native(&case["input"]) {
                check_outcome(&case["expect"], &run_offline(op, &input).await)
            } else {
                skipped.push(name.clone());
                Ok(())
            };
            match result {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("{name}\n    {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} conformance cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(passed > 100, "only {passed} cases ran");
    // Only the lone-surrogate cases: a Rust String is always valid UTF-8.
    assert!(skipped.iter().all(|n| n.contains("surrogate")), "skipped: {skipped:?}");
}
