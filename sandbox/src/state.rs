//! What the sandbox remembers: CIP records, counters, and the shared handle every handler gets.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tokio::runtime::Handle;
use tokio::sync::Notify;

use crate::clock::{self, Clock};
use crate::config::{SandboxConfig, Service};
use crate::delivery::ReceiverTls;
use crate::fault::{Endpoint, Fault};
use crate::notify::DeliverySlot;

/// Lifecycle of a CIP. The public API only ever showed 22; the other codes are the sandbox's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CipStatus {
    Generated,
    Paid,
    Expired,
    Deleted,
}

impl CipStatus {
    /// The numeric `status` of a search answer.
    pub fn code(&self) -> u32 {
        match self {
            CipStatus::Generated => 22,
            CipStatus::Paid => 23,
            CipStatus::Expired => 21,
            CipStatus::Deleted => 25,
        }
    }

    /// The `statusName` of a search answer, in PagoEfectivo's wording ("Cancelado" = paid).
    pub fn name(&self) -> &'static str {
        match self {
            CipStatus::Generated => "Generado.",
            CipStatus::Paid => "Cancelado.",
            CipStatus::Expired => "Expirado.",
            CipStatus::Deleted => "Eliminado.",
        }
    }
}

impl fmt::Display for CipStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CipStatus::Generated => "generated",
            CipStatus::Paid => "paid",
            CipStatus::Expired => "expired",
            CipStatus::Deleted => "deleted",
        })
    }
}

/// Everything the sandbox knows about one CIP.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CipRecord {
    pub cip: u64,
    pub id_service: u32,
    pub status: CipStatus,
    pub currency: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub transaction_code: String,
    pub date_creation: DateTime<FixedOffset>,
    pub date_expiry: DateTime<FixedOffset>,
    pub date_payment: Option<DateTime<FixedOffset>>,
    pub date_removal: Option<DateTime<FixedOffset>>,
    pub guid: String,
    pub cip_url: String,
    pub operation_number: Option<String>,
    pub user_email: String,
    pub payment_concept: Option<String>,
    pub additional_data: Option<String>,
    pub admin_email: Option<String>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub user_last_name: Option<String>,
    pub user_ubigeo: Option<String>,
    pub user_country: Option<String>,
    pub user_document_type: Option<String>,
    pub user_document_number: Option<String>,
    pub user_phone: Option<String>,
    pub user_code_country: Option<String>,
}

impl CipRecord {
    /// Expiry is lazy: a generated CIP whose date has passed *is* expired, no sweeper needed.
    pub(crate) fn status_at(&self, now: DateTime<FixedOffset>) -> CipStatus {
        if self.status == CipStatus::Generated && self.date_expiry < now {
            CipStatus::Expired
        } else {
            self.status
        }
    }

    /// A copy with the lazily computed status written in.
    pub(crate) fn seen_at(&self, now: DateTime<FixedOffset>) -> CipRecord {
        let mut copy = self.clone();
        copy.status = self.status_at(now);
        copy
    }
}

/// Mutable state, behind one short-held mutex.
pub(crate) struct State {
    pub cips: HashMap<u64, CipRecord>,
    pub by_guid: HashMap<String, u64>,
    pub next_cip: u64,
    pub next_operation: u64,
    pub faults: Vec<Fault>,
    pub notification_url: Option<String>,
    pub deliveries: Vec<DeliverySlot>,
    pub refunds: Vec<crate::refunds::RefundRecord>,
    pub next_refund: u64,
}

/// Requests received, per endpoint; `Any` counts every API request.
pub(crate) struct Counters([AtomicU64; 10]);

impl Counters {
    fn slot(endpoint: Endpoint) -> usize {
        match endpoint {
            Endpoint::Any => 0,
            Endpoint::Authorizations => 1,
            Endpoint::CipsCreate => 2,
            Endpoint::CipsSearch => 3,
            Endpoint::CipsExtend => 4,
            Endpoint::CipsDelete => 5,
            Endpoint::Webhook => 6,
            Endpoint::RefundsCreate => 7,
            Endpoint::RefundsGet => 8,
            Endpoint::Reports => 9,
        }
    }

    pub(crate) fn hit(&self, endpoint: Endpoint) {
        self.0[Self::slot(endpoint)].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn get(&self, endpoint: Endpoint) -> u64 {
        self.0[Self::slot(endpoint)].load(Ordering::Relaxed)
    }
}

/// Everything a handler or the control handle needs, shared behind an `Arc`.
pub(crate) struct Shared {
    pub config: SandboxConfig,
    pub state: Mutex<State>,
    pub clock: Clock,
    pub jwt_key: [u8; 32],
    pub counters: Counters,
    /// Lets the request path skip the state lock when no fault is armed.
    pub fault_count: AtomicUsize,
    pub deliveries_changed: Notify,
    /// TLS for HTTPS receivers, made at the first HTTPS delivery.
    pub webhook_tls: ReceiverTls,
    pub runtime: Handle,
    pub voucher_prefix: String,
    pub token_lifetime: TimeDelta,
    pub default_expiry: TimeDelta,
}

impl Shared {
    pub(crate) fn new(config: SandboxConfig, addr: SocketAddr, runtime: Handle) -> Shared {
        let state = State {
            cips: HashMap::new(),
            by_guid: HashMap::new(),
            next_cip: config.first_cip,
            next_operation: 1_000_001,
            faults: Vec::new(),
            notification_url: config.notification_url.clone(),
            deliveries: Vec::new(),
            refunds: Vec::new(),
            next_refund: 1_000_000,
        };
        Shared {
            webhook_tls: ReceiverTls::new(config.webhook_ca_file.clone()),
            token_lifetime: clock::span(config.token_lifetime),
            default_expiry: clock::span(config.default_expiry),
            config,
            state: Mutex::new(state),
            clock: Clock::new(),
            jwt_key: random_bytes(),
            counters: Counters(Default::default()),
            fault_count: AtomicUsize::new(0),
            deliveries_changed: Notify::new(),
            runtime,
            voucher_prefix: format!("http://{addr}/"),
        }
    }

    /// Poisoning only means another thread panicked mid-update; the data is
    /// still the best we have, and a sandbox must keep answering.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn service(&self, id_service: u32) -> Option<&Service> {
        self.config.services.iter().find(|s| s.id_service == id_service)
    }
}

/// Key material from the OS generator (through rustls' ring provider, already a
/// dependency); fastrand only if that fails, since this is a test double.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    let provider = rustls::crypto::ring::default_provider();
    if provider.secure_random.fill(&mut buf).is_err() {
        buf.iter_mut().for_each(|b| *b = fastrand::u8(..));
    }
    buf
}

/// An upper-case, version-4 shaped GUID, as PagoEfectivo names voucher pages.
/// fastrand, not the OS generator: it is on the create hot path and names a
/// public page, it protects nothing.
pub(crate) fn guid() -> String {
    let mut b = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode_upper(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_shape() {
        let g = guid();
        assert_eq!(g.len(), 36);
        assert_eq!(g, g.to_uppercase());
        assert_eq!(g.matches('-').count(), 4);
        assert_ne!(g, guid());
    }

    fn record(status: CipStatus, expiry: &str) -> CipRecord {
        let at = |s: &str| crate::wire::parse_time(s).expect("time");
        CipRecord {
            cip: 1,
            id_service: 1234,
            status,
            currency: "PEN".into(),
            amount: Decimal::ONE,
            transaction_code: "T".into(),
            date_creation: at("2026-01-01T00:00:00-05:00"),
            date_expiry: at(expiry),
            date_payment: None,
            date_removal: None,
            guid: guid(),
            cip_url: String::new(),
            operation_number: None,
            user_email: "a@b".into(),
            payment_concept: None,
            additional_data: None,
            admin_email: None,
            user_id: None,
            user_name: None,
            user_last_name: None,
            user_ubigeo: None,
            user_country: None,
            user_document_type: None,
            user_document_number: None,
            user_phone: None,
            user_code_country: None,
        }
    }

    #[test]
    fn expiry_is_lazy_and_only_for_generated_cips() {
        let now = crate::wire::parse_time("2026-01-02T00:00:00-05:00").expect("time");
        let lapsed = record(CipStatus::Generated, "2026-01-01T23:59:59-05:00");
        assert_eq!(lapsed.status_at(now), CipStatus::Expired);
        assert_eq!(lapsed.seen_at(now).status, CipStatus::Expired);
        assert_eq!(lapsed.status, CipStatus::Generated);
        let due_now = record(CipStatus::Generated, "2026-01-02T00:00:00-05:00");
        assert_eq!(due_now.status_at(now), CipStatus::Generated);
        let paid = record(CipStatus::Paid, "2026-01-01T00:00:01-05:00");
        assert_eq!(paid.status_at(now), CipStatus::Paid);
    }

    #[test]
    fn status_codes_and_names() {
        assert_eq!(CipStatus::Generated.code(), 22);
        assert_eq!(CipStatus::Paid.name(), "Cancelado.");
        assert_eq!(CipStatus::Expired.code(), 21);
        assert_eq!(CipStatus::Deleted.to_string(), "deleted");
    }
}
