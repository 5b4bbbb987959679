//! The two sides' records as applications see them: a merchant's order and PagoEfectivo's payment record.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cip::CipStatus;
use crate::error::{Error, FieldError};
use crate::money::{self, Currency};
use crate::time;

/// Where an order stands in the merchant's own system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Waiting for the shopper to pay the CIP.
    Pending,
    /// The merchant recorded the payment (usually from the notification).
    Paid,
    /// Cancelled, expired or otherwise closed unpaid by the merchant.
    Closed,
}

impl OrderStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Paid => "paid",
            OrderStatus::Closed => "closed",
        }
    }

    /// Reads the usual words merchants' systems write. Spanish "cancelado"
    /// is refused on purpose: PagoEfectivo uses it for *paid*, most shops
    /// for *cancelled*, so it must be mapped explicitly by the caller.
    pub fn parse(text: &str) -> Option<OrderStatus> {
        let t = text.trim();
        let is = |w: &str| t.eq_ignore_ascii_case(w);
        if ["pending", "open", "unpaid", "created", "generated", "pendiente"].iter().any(|w| is(w)) {
            Some(OrderStatus::Pending)
        } else if ["paid", "completed", "complete", "settled", "refunded", "pagado"].iter().any(|w| is(w)) {
            Some(OrderStatus::Paid)
        } else if ["closed", "cancelled", "canceled", "expired", "deleted", "void", "anulado"]
            .iter()
            .any(|w| is(w))
        {
            Some(OrderStatus::Closed)
        } else {
            None
        }
    }

    pub(crate) fn code(self) -> u32 {
        match self {
            OrderStatus::Pending => 0,
            OrderStatus::Paid => 1,
            OrderStatus::Closed => 2,
        }
    }

    pub(crate) fn from_code(code: u32) -> OrderStatus {
        match code {
            1 => OrderStatus::Paid,
            2 => OrderStatus::Closed,
            _ => OrderStatus::Pending,
        }
    }
}

/// Reads a PagoEfectivo status as a report or the API writes it: a numeric
/// code (`23`, legacy `593`) or a name in English or PagoEfectivo's Spanish.
pub fn parse_cip_status(text: &str) -> Option<CipStatus> {
    let t = text.trim();
    if let Ok(code) = t.parse::<u32>() {
        return Some(CipStatus::from_code(code));
    }
    let t = t.trim_end_matches('.');
    let is = |w: &str| t.eq_ignore_ascii_case(w);
    if ["paid", "cancelado", "pagado", "refunded", "extornado", "settled", "liquidado"].iter().any(|w| is(w))
    {
        Some(CipStatus::Paid)
    } else if ["generated", "generado", "pending", "pendiente"].iter().any(|w| is(w)) {
        Some(CipStatus::Generated)
    } else if ["expired", "expirado"].iter().any(|w| is(w)) {
        Some(CipStatus::Expired)
    } else if ["deleted", "eliminado", "anulado"].iter().any(|w| is(w)) {
        Some(CipStatus::Deleted)
    } else {
        None
    }
}

/// One order of the merchant, as passed from code or read from a file.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The merchant's order id, sent to PagoEfectivo as `transactionCode`.
    pub order_id: String,
    /// The CIP created for it, when known (matching prefers it).
    pub cip: Option<u64>,
    pub currency: Currency,
    pub amount: Decimal,
    pub status: OrderStatus,
    /// When the CIP stops being payable.
    pub expires_at: Option<DateTime<FixedOffset>>,
    /// When the merchant recorded the payment.
    pub paid_at: Option<DateTime<FixedOffset>>,
    /// Refunded so far according to the merchant (zero when none).
    pub refunded_amount: Decimal,
}

impl Order {
    pub fn new(
        order_id: impl Into<String>,
        currency: Currency,
        amount: Decimal,
        status: OrderStatus,
    ) -> Order {
        Order {
            order_id: order_id.into(),
            cip: None,
            currency,
            amount,
            status,
            expires_at: None,
            paid_at: None,
            refunded_amount: Decimal::ZERO,
        }
    }

    /// From a JSON object (a JSON-lines row, a binding's dict, a conformance
    /// case). Keys in camelCase or snake_case; amounts as numbers or strings.
    pub fn from_json(value: &Value) -> Result<Order, Error> {
        let obj = object(value, "order")?;
        let order_id = text(obj, &["orderId", "order_id", "transactionCode", "transaction_code"])
            .ok_or_else(|| Error::validation(vec![FieldError::required("orderId")]))?;
        let status = match text(obj, &["status"]) {
            None => return Err(Error::validation(vec![FieldError::required("status")])),
            Some(s) => OrderStatus::parse(&s).ok_or_else(|| {
                Error::validation(vec![FieldError::invalid("status", format!("unknown order status {s:?}"))])
            })?,
        };
        Ok(Order {
            order_id,
            cip: cip(obj)?,
            currency: currency(obj)?,
            amount: amount(obj, &["amount"])?
                .ok_or_else(|| Error::validation(vec![FieldError::required("amount")]))?,
            status,
            expires_at: when(obj, &["expiresAt", "expires_at", "dateExpiry"])?,
            paid_at: when(obj, &["paidAt", "paid_at", "datePayment"])?,
            refunded_amount: amount(obj, &["refundedAmount", "refunded_amount"])?.unwrap_or(Decimal::ZERO),
        })
    }
}

/// One CIP as PagoEfectivo recorded it: a search result, a report row.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRecord {
    pub cip: Option<u64>,
    pub transaction_code: String,
    pub currency: Currency,
    pub amount: Decimal,
    pub status: CipStatus,
    pub paid_at: Option<DateTime<FixedOffset>>,
    /// When PagoEfectivo paid the money out to the merchant; `None` while unsettled.
    pub settled_at: Option<DateTime<FixedOffset>>,
    /// Refunded so far according to PagoEfectivo; `None` when the source does not say.
    pub refunded_amount: Option<Decimal>,
}

impl PaymentRecord {
    /// A paid CIP, the usual report row.
    pub fn paid(cip: u64, transaction_code: impl Into<String>, currency: Currency, amount: Decimal) -> Self {
        PaymentRecord {
            cip: Some(cip),
            transaction_code: transaction_code.into(),
            currency,
            amount,
            status: CipStatus::Paid,
            paid_at: None,
            settled_at: None,
            refunded_amount: None,
        }
    }

    /// From a JSON object, keys as in the report endpoint (`cip`,
    /// `transactionCode`, `currency`, `amount`, `status`, `datePayment`,
    /// `dateSettlement`, `refundedAmount`) or snake_case. A missing status means paid.
    pub fn from_json(value: &Value) -> Result<PaymentRecord, Error> {
        let obj = object(value, "payment record")?;
        let status = match obj.get("status") {
            None | Some(Value::Null) => CipStatus::Paid,
            Some(Value::Number(n)) => CipStatus::from_code(n.to_string().parse().unwrap_or(0)),
            Some(v) => {
                let s = v.as_str().unwrap_or_default();
                parse_cip_status(s).ok_or_else(|| {
                    Error::validation(vec![FieldError::invalid(
                        "status",
                        format!("unknown CIP status {s:?}"),
                    )])
                })?
            }
        };
        Ok(PaymentRecord {
            cip: cip(obj)?,
            transaction_code: text(obj, &["transactionCode", "transaction_code", "orderId", "order_id"])
                .unwrap_or_default(),
            currency: currency(obj)?,
            amount: amount(obj, &["amount"])?
                .ok_or_else(|| Error::validation(vec![FieldError::required("amount")]))?,
            status,
            paid_at: when(obj, &["datePayment", "paidAt", "paid_at"])?,
            settled_at: when(obj, &["dateSettlement", "settledAt", "settled_at"])?,
            refunded_amount: amount(obj, &["refundedAmount", "refunded_amount"])?,
        })
    }
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, Error> {
    value
        .as_object()
        .ok_or_else(|| Error::validation(vec![FieldError::invalid(what, "must be a JSON object")]))
}

/// The first present, non-null key of `keys`, with the canonical (first) name for field errors.
fn pick<'a>(obj: &'a Map<String, Value>, keys: &[&'static str]) -> Option<(&'static str, &'a Value)> {
    keys.iter().find_map(|k| obj.get(*k).filter(|v| !v.is_null()).map(|v| (keys[0], v)))
}

fn text(obj: &Map<String, Value>, keys: &[&'static str]) -> Option<String> {
    pick(obj, keys).map(|(_, v)| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn cip(obj: &Map<String, Value>) -> Result<Option<u64>, Error> {
    match pick(obj, &["cip"]) {
        None => Ok(None),
        Some((_, Value::String(s))) if s.trim().is_empty() => Ok(None),
        Some((_, v)) => match crate::cip::wire_u64(Some(v)) {
            Some(0) | None => {
                Err(Error::validation(vec![FieldError::invalid("cip", "must be a positive CIP number")]))
            }
            Some(c) => Ok(Some(c)),
        },
    }
}

fn currency(obj: &Map<String, Value>) -> Result<Currency, Error> {
    let c =
        text(obj, &["currency"]).ok_or_else(|| Error::validation(vec![FieldError::required("currency")]))?;
    c.parse().map_err(|m: String| Error::validation(vec![FieldError::invalid("currency", m)]))
}

fn amount(obj: &Map<String, Value>, keys: &[&'static str]) -> Result<Option<Decimal>, Error> {
    match pick(obj, keys) {
        None => Ok(None),
        Some((name, v)) => money::from_json(v)
            .map(Some)
            .ok_or_else(|| Error::validation(vec![FieldError::invalid(name, "must be a decimal amount")])),
    }
}

fn when(obj: &Map<String, Value>, keys: &[&'static str]) -> Result<Option<DateTime<FixedOffset>>, Error> {
    match pick(obj, keys) {
        None => Ok(None),
        Some((name, v)) => {
            let s = v.as_str().unwrap_or_default();
            time::parse_optional(s)
                .map_err(|_| Error::validation(vec![FieldError::invalid(name, format!("not a time: {s:?}"))]))
        }
    }
}
