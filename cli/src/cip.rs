//! `pagoefectivo cip ...`: CIP operations against the configured environment.

use std::process::ExitCode;

use crate::output::{fail, print};
use std::time::Duration;

use pagoefectivo::{Client, CreateCipRequest, Currency, Decimal, time};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a CIP and print it as JSON.
    Create {
        #[arg(long)]
        amount: Decimal,
        #[arg(long, default_value = "PEN")]
        currency: String,
        /// The order id (transactionCode).
        #[arg(long)]
        order: String,
        /// Payer e-mail.
        #[arg(long)]
        email: String,
        /// Hours until expiry.
        #[arg(long, default_value_t = 48)]
        expires_in_hours: u64,
        #[arg(long)]
        concept: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
    /// Look one or more CIPs up.
    Get { cips: Vec<u64> },
    /// Move a CIP's expiry.
    Extend {
        cip: u64,
        /// New expiry, e.g. 2026-12-01T18:00:00-05:00.
        #[arg(long)]
        at: String,
    },
    /// Delete (cancel) an unpaid CIP.
    Delete { cip: u64 },
}

pub async fn run(cmd: Command) -> ExitCode {
    let client = match Client::from_env() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let cips = client.cips();
    let result = match cmd {
        Command::Create { amount, currency, order, email, expires_in_hours, concept, phone } => {
            let currency: Currency = match currency.parse() {
                Ok(c) => c,
                Err(m) => {
                    eprintln!("error: {m}");
                    return ExitCode::FAILURE;
                }
            };
            let mut req = CreateCipRequest::new(currency, amount, order, email)
                .expires_in(Duration::from_secs(expires_in_hours * 3600));
            req.payment_concept = concept;
            req.user_phone = phone;
            cips.create(&req).await.map(print)
        }
        Command::Get { cips: list } => cips.search(&list).await.map(print),
        Command::Extend { cip, at } => match time::parse(&at) {
            Ok(t) => cips
                .extend(cip, t)
                .await
                .map(|_| print(serde_json::json!({"cip": cip, "dateExpiry": time::format(&t)}))),
            Err(e) => Err(e),
        },
        Command::Delete { cip } => {
            cips.delete(cip).await.map(|_| print(serde_json::json!({"cip": cip, "deleted": true})))
        }
    };
    result.unwrap_or_else(fail)
}
