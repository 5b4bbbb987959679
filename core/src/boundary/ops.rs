//! Every operation by name, JSON in and JSON out: the one dispatch the C ABI, the other bindings'
//! generic calls and the conformance runners share, so none of them re-decides an argument.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::input::{self, get};
use super::options::{self as client_options, wait_options};
use crate::client::Client;
use crate::error::Error;
use crate::reconcile::{self, Calendar, Options, OrderColumns, Orders, ReportColumns, ReportQuery};
use crate::{CipStatus, Config, CreateCipRequest, CreateRefundRequest, time, webhook};

/// A core result as JSON (all of them derive Serialize; a failure here is a bug, reported as one).
pub fn data<T: Serialize>(value: T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(unserializable)
}

fn unserializable(e: serde_json::Error) -> Error {
    Error::internal(&format!("a result did not serialize: {e}"))
}

fn text<'a>(args: &'a Value, key: &str) -> Result<&'a str, Error> {
    get(args, key).and_then(Value::as_str).ok_or_else(|| Error::invalid_field(key, "must be a string"))
}

fn optional_text<'a>(args: &'a Value, key: &str) -> Result<Option<&'a str>, Error> {
    match get(args, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_field(key, "must be a string or null")),
    }
}

fn date(args: &Value, key: &str) -> Result<NaiveDate, Error> {
    text(args, key)?.parse().map_err(|_| Error::invalid_field(key, "must be a date (YYYY-MM-DD)"))
}

fn calendar(args: &Value) -> Result<Calendar, Error> {
    let extra = match get(args, "extraHolidays") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|d| {
                d.as_str().and_then(|s| s.parse::<NaiveDate>().ok()).ok_or_else(|| {
                    Error::invalid_field("extraHolidays", "must be a list of dates (YYYY-MM-DD)")
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::invalid_field("extraHolidays", "must be a list of dates (YYYY-MM-DD)")),
    };
    Ok(Calendar::peru().with_extra_holidays(extra))
}

/// The operations that need no client.
pub const OPS: &[&str] = &[
    "auth.hash_string",
    "webhook.verify",
    "webhook.sign",
    "webhook.find_signature",
    "time.parse",
    "cip.status",
    "cip.validate_create",
    "refund.validate",
    "payee.cci",
    "payee.cci_with_check_digits",
    "config.from_env",
    "config.from_options",
    "errors.table",
    "reconcile.run",
    "reconcile.files",
    "reconcile.business_days",
    "reconcile.holidays",
];

/// Runs a client-less operation.
pub fn call(op: &str, args: &Value) -> Result<Value, Error> {
    match op {
        "auth.hash_string" | "hash_string" => {
            let id = input::count(get(args, "idService").unwrap_or(&Value::Null), "idService", 9999)?;
            Ok(json!(crate::hash_string(
                id as u32,
                text(args, "accessKey")?,
                text(args, "secretKey")?,
                text(args, "dateRequest")?,
            )))
        }
        "webhook.verify" => {
            let max = match get(args, "maxBodyBytes") {
                Some(v) => input::count(v, "maxBodyBytes", u32::MAX.into())? as usize,
                None => webhook::DEFAULT_MAX_BODY_BYTES,
            };
            let body = text(args, "body")?.as_bytes();
            data(webhook::verify_within(body, optional_text(args, "signature")?, text(args, "secret")?, max)?)
        }
        "webhook.sign" => Ok(json!(webhook::sign(text(args, "body")?.as_bytes(), text(args, "secret")?))),
        "webhook.find_signature" => {
            let headers = get(args, "headers")
                .and_then(Value::as_object)
                .ok_or_else(|| Error::invalid_field("headers", "must map header names to values"))?;
            let pairs = headers.iter().filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)));
            Ok(json!(webhook::find_signature(pairs)))
        }
        "time.parse" => {
            let value = if args.is_string() { args } else { get(args, "time").unwrap_or(&Value::Null) };
            Ok(json!(time::format(&input::time(value, "time")?)))
        }
        "cip.status" => {
            let value = if args.is_object() { get(args, "status").unwrap_or(&Value::Null) } else { args };
            let code = input::count(value, "status", u32::MAX.into())?;
            Ok(json!(CipStatus::from_code(code as u32).as_str()))
        }
        "cip.validate_create" => CreateCipRequest::from_json(args).map(|_| Value::Null),
        "refund.validate" => CreateRefundRequest::from_json(args).map(|_| Value::Null),
        "payee.cci" => {
            let cci = if args.is_string() { args.as_str() } else { get(args, "cci").and_then(Value::as_str) };
            crate::validate_cci(cci.ok_or_else(|| Error::invalid_field("cci", "must be a string"))?)
                .map(|_| Value::Null)
        }
        "payee.cci_with_check_digits" => {
            let first =
                if args.is_string() { args.as_str() } else { get(args, "cci").and_then(Value::as_str) };
            let first = first.ok_or_else(|| Error::invalid_field("cci", "must be a string of 18 digits"))?;
            crate::cci_with_check_digits(first)
                .map(Value::String)
                .ok_or_else(|| Error::invalid_field("cci", "must be the first 18 digits of a CCI"))
        }
        "config.from_env" => Ok(Config::from_env_map(args)?.settings()),
        "config.from_options" => Ok(client_options::ClientOptions::from_value(args)?.config.settings()),
        "errors.table" => Ok(crate::error_table()),
        "reconcile.run" => data(reconcile::reconcile_json(args)?),
        "reconcile.files" => reconcile_files(args),
        "reconcile.business_days" => {
            let day = date(args, "date")?;
            let days = input::count(
                get(args, "days").unwrap_or(&Value::Null),
                "days",
                reconcile::MAX_BUSINESS_DAYS.into(),
            )?;
            let calendar = calendar(args)?;
            Ok(json!({"due": calendar.add_business_days(day, days as u32).to_string(),
                      "isBusinessDay": calendar.is_business_day(day), "isHoliday": calendar.is_holiday(day)}))
        }
        "reconcile.holidays" => {
            let year = input::count(get(args, "year").unwrap_or(&Value::Null), "year", 9999)?;
            let list: Vec<Value> = calendar(args)?
                .holidays(year.max(1) as i32)
                .into_iter()
                .map(|(d, name)| json!({"date": d.to_string(), "name": name}))
                .collect();
            Ok(Value::Array(list))
        }
        other => Err(unknown_op(other)),
    }
}

pub fn unknown_op(op: &str) -> Error {
    let shown: String = op.chars().take(60).collect();
    Error::invalid_field("op", format!("unknown operation {shown:?}"))
}

fn columns<C>(
    args: &Value,
    key: &str,
    mut cols: C,
    set: fn(&mut C, &str, &str) -> Result<(), Error>,
) -> Result<C, Error> {
    match get(args, key) {
        None => Ok(cols),
        Some(Value::Object(m)) => {
            for (field, name) in m {
                let name =
                    name.as_str().ok_or_else(|| Error::invalid_field(key, "maps fields to column names"))?;
                set(&mut cols, &snake(field), name)?;
            }
            Ok(cols)
        }
        Some(_) => Err(Error::invalid_field(key, "must map fields to column names")),
    }
}

/// `orderId` -> `order_id`: the core's field names in any binding's spelling.
fn snake(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 4);
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `{orders: path, report: path, orderColumns?, reportColumns?, options?, outDir?}`:
/// loads both CSV files, reconciles, writes the report files when `outDir` is given.
fn reconcile_files(args: &Value) -> Result<Value, Error> {
    input::known_keys(args, &["orders", "report", "orderColumns", "reportColumns", "options", "outDir"])?;
    let order_columns = columns(args, "orderColumns", OrderColumns::default(), OrderColumns::set)?;
    let report_columns = columns(args, "reportColumns", ReportColumns::default(), ReportColumns::set)?;
    let options = Options::from_json(get(args, "options").unwrap_or(&Value::Null))?;
    let (orders, payments) = reconcile::load_csv_files(
        PathBuf::from(text(args, "orders")?),
        &order_columns,
        PathBuf::from(text(args, "report")?),
        &report_columns,
    )?;
    written(reconcile::reconcile(&orders, &payments, &options), args)
}

/// The result as data, its files (CSV, JSON, HTML report) first written to `outDir` when given.
fn written(result: reconcile::Reconciliation, args: &Value) -> Result<Value, Error> {
    if let Some(dir) = optional_text(args, "outDir")? {
        result.write_all(dir)?;
    }
    data(result)
}

/// The settlement report at the client's `reports_path`, or at `path` when given.
fn reports(client: &Client, args: &Value) -> Result<crate::reconcile::Reports, Error> {
    let reports = client.reports();
    Ok(match optional_text(args, "path")? {
        Some(path) => reports.with_path(path),
        None => reports,
    })
}

/// The operations of a client.
pub const CLIENT_OPS: &[&str] = &[
    "cips.create",
    "cips.get",
    "cips.search",
    "cips.extend",
    "cips.delete",
    "cips.wait_for_final_status",
    "refunds.create",
    "refunds.get",
    "refunds.list",
    "refunds.eligibility",
    "refunds.wait_for_final_status",
    "reports.page",
    "reports.fetch_all",
    "reconcile.search",
    "reconcile.report",
    "config",
    "authenticate",
];

fn report_query(args: &Value) -> Result<ReportQuery, Error> {
    let day = |key: &str| -> Result<Option<NaiveDate>, Error> {
        get(args, key).map(|_| date(args, key)).transpose()
    };
    Ok(ReportQuery {
        date_from: day("dateFrom")?,
        date_to: day("dateTo")?,
        cursor: optional_text(args, "cursor")?.map(str::to_owned),
        limit: get(args, "limit").map(|v| input::count(v, "limit", 5000)).transpose()?.unwrap_or(0) as u32,
    })
}

/// The orders of a reconciliation from code: `{orders: [records]}` or `{ordersFile, orderColumns?}`.
fn orders_of(args: &Value) -> Result<Orders, Error> {
    if let Some(path) = optional_text(args, "ordersFile")? {
        let cols = columns(args, "orderColumns", OrderColumns::default(), OrderColumns::set)?;
        return Orders::from_csv_path(path, &cols);
    }
    let list = get(args, "orders")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::invalid_field("orders", "must be a list of orders (or give ordersFile)"))?;
    let records = list.iter().map(reconcile::Order::from_json).collect::<Result<Vec<_>, _>>()?;
    Orders::from_records(&records)
}

/// Runs an operation of `client`, its result as JSON text: the same dispatch as `client_call`, with
/// the hot path (a CIP's creation) written straight to text rather than through a `Value` first.
pub async fn client_call_json(client: &Client, op: &str, args: &Value) -> Result<String, Error> {
    if op == "cips.create" {
        let cip = client.cips().create_from_json(args).await?;
        return serde_json::to_string(&cip).map_err(unserializable);
    }
    client_call(client, op, args).await.map(|v| v.to_string())
}

/// Runs an operation of `client`.
pub async fn client_call(client: &Client, op: &str, args: &Value) -> Result<Value, Error> {
    let cips = || client.cips();
    let refunds = || client.refunds();
    let cip = || input::cip(get(args, "cip").unwrap_or(&Value::Null), "cip");
    match op {
        "cips.create" => data(cips().create_from_json(args).await?),
        "cips.get" => data(cips().get(cip()?).await?),
        "cips.search" => {
            data(cips().search(&input::cips(get(args, "cips").unwrap_or(&Value::Null), "cips")?).await?)
        }
        "cips.extend" => {
            let at = input::time(get(args, "dateExpiry").unwrap_or(&Value::Null), "dateExpiry")?;
            cips().extend(cip()?, at).await.map(|_| Value::Null)
        }
        "cips.delete" => cips().delete(cip()?).await.map(|_| Value::Null),
        "cips.wait_for_final_status" => {
            data(cips().wait_for_final_status(cip()?, wait_options(args)?).await?)
        }
        "refunds.create" => data(refunds().create(&CreateRefundRequest::from_json(args)?).await?),
        "refunds.get" => data(refunds().get(text(args, "refundId")?).await?),
        "refunds.list" => data(refunds().list(cip()?).await?),
        "refunds.eligibility" => {
            let days = get(args, "refundWindowDays")
                .map(|v| input::count(v, "refundWindowDays", 3660))
                .transpose()?;
            data(refunds().eligibility(cip()?, days.map(|d| d as u32)).await?)
        }
        "refunds.wait_for_final_status" => {
            data(refunds().wait_for_final_status(text(args, "refundId")?, wait_options(args)?).await?)
        }
        "reports.page" => data(reports(client, args)?.page(&report_query(args)?).await?),
        "reports.fetch_all" => {
            // Every page, with the core's guards (a repeated cursor, the page limit).
            let (payments, cursor) = reports(client, args)?.fetch_all(&report_query(args)?, |_| {}).await?;
            Ok(json!({"payments": data(payments.records())?, "rows": payments.len(), "nextCursor": cursor}))
        }
        "reconcile.search" => {
            let orders = orders_of(args)?;
            let options = Options::from_json(get(args, "options").unwrap_or(&Value::Null))?;
            let payments = reconcile::search_payments(client, &orders, |_, _| {}).await?;
            written(reconcile::reconcile(&orders, &payments, &options), args)
        }
        "reconcile.report" => {
            let orders = orders_of(args)?;
            let options = Options::from_json(get(args, "options").unwrap_or(&Value::Null))?;
            let (payments, cursor) = reports(client, args)?.fetch_all(&report_query(args)?, |_| {}).await?;
            let mut out = written(reconcile::reconcile(&orders, &payments, &options), args)?;
            out["nextCursor"] = json!(cursor);
            Ok(out)
        }
        "config" => Ok(client.config().settings()),
        "authenticate" => client.authenticate().await.map(|_| Value::Null),
        other => Err(unknown_op(other)),
    }
}
