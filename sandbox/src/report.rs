//! The settlement-report extension, `GET /v1/reports/settlements`: paid CIPs by Lima payment date, paged by an incremental cursor.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Weekday};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::auth;
use crate::clock::LIMA;
use crate::fault::{self, Endpoint};
use crate::refunds::RefundStatus;
use crate::state::{CipStatus, Shared};
use crate::wire::{self, FieldError};

/// Not a public PagoEfectivo path: the SDK's own contract (clients can point elsewhere).
pub(crate) const PATH: &str = "/v1/reports/settlements";
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 5000;
/// The sandbox pays a day's takings out at this hour of the next weekday.
const SETTLEMENT_HOUR: u32 = 10;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(PATH, get(settlements))
}

/// A position in the report's order (payment time, then CIP). Written
/// `<unix seconds>-<cip>`: opaque to clients, stable across restarts of a run.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Cursor(i64, u64);

impl Cursor {
    fn parse(text: &str) -> Option<Cursor> {
        let (t, c) = text.split_once('-')?;
        Some(Cursor(t.parse().ok()?, c.parse().ok()?))
    }

    fn text(self) -> String {
        format!("{}-{}", self.0, self.1)
    }
}

struct Query {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    after: Option<Cursor>,
    limit: usize,
}

fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads `dateFrom`, `dateTo` (`yyyy-MM-dd`, inclusive), `cursor` and `limit`; names ignore case.
fn parse_query(raw: Option<&str>) -> Result<Query, Vec<FieldError>> {
    let mut q = Query { from: None, to: None, after: None, limit: DEFAULT_LIMIT };
    let mut errors = Vec::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        let key = key.to_ascii_lowercase();
        let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        match key.as_str() {
            "datefrom" => {
                q.from = date(&value).or_else(|| {
                    errors.push(FieldError::invalid("dateFrom"));
                    None
                })
            }
            "dateto" => {
                q.to = date(&value).or_else(|| {
                    errors.push(FieldError::invalid("dateTo"));
                    None
                })
            }
            "cursor" if value.is_empty() => {}
            "cursor" => {
                q.after = Cursor::parse(&value).or_else(|| {
                    errors.push(FieldError::invalid("cursor"));
                    None
                })
            }
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => q.limit = n,
                _ => errors.push(FieldError::invalid("limit")),
            },
            _ => {}
        }
    }
    if let (Some(f), Some(t)) = (q.from, q.to)
        && f > t
    {
        errors.push(FieldError::invalid("dateTo"));
    }
    if errors.is_empty() { Ok(q) } else { Err(errors) }
}

/// When the sandbox settles a payment: 10:00 on the first weekday after the
/// payment's Lima date. It knows no holidays, so a reconciliation with the
/// Peruvian calendar never finds the sandbox late by T+1.
fn settlement_of(paid: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let mut day = paid.with_timezone(&LIMA).date_naive();
    loop {
        day += TimeDelta::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            break;
        }
    }
    let at = day.and_hms_opt(SETTLEMENT_HOUR, 0, 0).unwrap_or_default();
    at.and_local_timezone(LIMA).single().unwrap_or(paid)
}

async fn settlements(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    shared.counters.hit(Endpoint::Any);
    shared.counters.hit(Endpoint::Reports);
    fault::answer(&shared, Some(Endpoint::Reports), || report(&shared, &headers, &uri)).await
}

fn report(shared: &Shared, headers: &HeaderMap, uri: &Uri) -> Response {
    let Some(service) = auth::authorize(shared, headers) else {
        return wire::token_invalid();
    };
    let q = match parse_query(uri.query()) {
        Ok(q) => q,
        Err(errors) => return wire::invalid(&errors),
    };
    let now = shared.clock.now();
    let state = shared.lock();
    let mut paid: Vec<(Cursor, &crate::state::CipRecord)> = state
        .cips
        .values()
        .filter(|r| r.id_service == service.id_service && r.status_at(now) == CipStatus::Paid)
        .filter_map(|r| r.date_payment.map(|t| (Cursor(t.timestamp(), r.cip), r)))
        .filter(|(c, r)| {
            let day = r.date_payment.map(|t| t.with_timezone(&LIMA).date_naive());
            q.after.is_none_or(|a| *c > a)
                && q.from.is_none_or(|f| day.is_some_and(|d| d >= f))
                && q.to.is_none_or(|t| day.is_some_and(|d| d <= t))
        })
        .collect();
    paid.sort_unstable_by_key(|(c, _)| *c);
    let has_more = paid.len() > q.limit;
    paid.truncate(q.limit);
    let rows: Vec<Value> = paid
        .iter()
        .map(|(_, r)| {
            let refunded: Decimal = state
                .refunds
                .iter()
                .filter(|f| {
                    f.cip == r.cip && f.id_service == r.id_service && f.status == RefundStatus::Refunded
                })
                .map(|f| f.amount)
                .sum();
            let settled = r.date_payment.map(settlement_of).filter(|s| *s <= now);
            json!({
                "cip": r.cip,
                "transactionCode": r.transaction_code,
                "currency": r.currency,
                "amount": wire::amount_number(r.amount),
                "status": CipStatus::Paid.code(),
                "statusName": CipStatus::Paid.name(),
                "datePayment": wire::format_opt_time(r.date_payment),
                "dateSettlement": wire::format_opt_time(settled),
                "refundedAmount": wire::amount_number(refunded),
                "operationNumber": r.operation_number,
            })
        })
        .collect();
    // The last position seen, or the caller's own: tomorrow's run starts there.
    let next = paid.last().map(|(c, _)| *c).or(q.after).map(Cursor::text);
    wire::ok(StatusCode::OK, json!({ "rows": rows, "nextCursor": next, "hasMore": has_more }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_and_refuse_nonsense() {
        let q = parse_query(Some("dateFrom=2026-11-01&DATETO=2026-11-30&cursor=1795000000-2523136&limit=10"))
            .ok()
            .unwrap();
        assert_eq!(q.from, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(q.after.map(Cursor::text).as_deref(), Some("1795000000-2523136"));
        assert_eq!(q.limit, 10);
        let fields =
            |raw: &str| parse_query(Some(raw)).err().unwrap().iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields("dateFrom=2026-13-01"), ["dateFrom"]);
        assert_eq!(fields("cursor=abc&limit=0"), ["cursor", "limit"]);
        assert_eq!(fields("dateFrom=2026-11-02&dateTo=2026-11-01"), ["dateTo"]);
        assert_eq!(decode("a%2Db+c"), "a-b c");
    }

    #[test]
    fn settles_on_the_next_weekday_morning() {
        let at = |s: &str| wire::parse_time(s).unwrap();
        assert_eq!(settlement_of(at("2026-11-20T23:30:00-05:00")), at("2026-11-23T10:00:00-05:00"));
        assert_eq!(settlement_of(at("2026-11-23T08:00:00-05:00")), at("2026-11-24T10:00:00-05:00"));
    }
}
