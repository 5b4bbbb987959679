//! `pagoefectivo refund ...`: request and track refunds (the SDK's extension endpoints).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output::{fail, print};
use std::sync::Arc;

use pagoefectivo::{
    Beneficiary, Client, CreateRefundRequest, Currency, Decimal, DocumentType, Error, JsonLinesAuditSink,
    RefundDestination,
};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Request a refund of a paid CIP and print it as JSON.
    Create {
        #[arg(long)]
        cip: u64,
        #[arg(long)]
        amount: Decimal,
        #[arg(long, default_value = "PEN")]
        currency: String,
        #[arg(long)]
        reason: String,
        /// Your own reference for this refund; retrying with it never refunds twice.
        #[arg(long)]
        reference: String,
        /// Destination bank account (20-digit CCI)...
        #[arg(long, conflicts_with = "phone")]
        cci: Option<String>,
        /// ...or e-wallet mobile number.
        #[arg(long)]
        phone: Option<String>,
        #[arg(long, default_value = "DNI")]
        document_type: String,
        #[arg(long)]
        document_number: String,
        #[arg(long)]
        name: String,
        /// Refund window in days, if not the configured one (e.g. 7).
        #[arg(long)]
        window_days: Option<u32>,
        /// Append an audit record (JSON lines) to this file.
        #[arg(long)]
        audit_file: Option<PathBuf>,
    },
    /// Show a refund.
    Get {
        refund_id: String,
        #[arg(long)]
        audit_file: Option<PathBuf>,
    },
    /// What can still be refunded on a CIP, and until when.
    Eligibility { cip: u64 },
}

fn client(audit_file: Option<PathBuf>) -> Result<Client, Error> {
    let client = Client::from_env()?;
    Ok(match audit_file {
        Some(path) => client.with_refund_audit_sink(Arc::new(JsonLinesAuditSink::open(path)?)),
        None => client,
    })
}

pub async fn run(cmd: Command) -> ExitCode {
    let result = match cmd {
        Command::Create {
            cip,
            amount,
            currency,
            reason,
            reference,
            cci,
            phone,
            document_type,
            document_number,
            name,
            window_days,
            audit_file,
        } => {
            let Ok(currency) = currency.parse::<Currency>() else {
                return fail(Error::invalid_field("currency", "must be PEN or USD"));
            };
            let Some(document_type) = DocumentType::parse(&document_type) else {
                return fail(Error::invalid_field(
                    "beneficiary.documentType",
                    "must be DNI, PAR, PAS, LMI or NAN",
                ));
            };
            let destination = match (cci, phone) {
                (Some(cci), _) => RefundDestination::BankAccount { cci },
                (None, Some(phone)) => RefundDestination::Ewallet { phone },
                (None, None) => return fail(Error::invalid_field("destination", "give --cci or --phone")),
            };
            let request = CreateRefundRequest {
                cip,
                amount,
                currency,
                reason,
                merchant_refund_id: reference,
                destination,
                beneficiary: Beneficiary { document_type, document_number, name },
                refund_window_days: window_days,
                requested_by: std::env::var("USER").ok().map(|u| format!("cli:{u}")),
            };
            match client(audit_file) {
                Ok(c) => c.refunds().create(&request).await.map(print),
                Err(e) => Err(e),
            }
        }
        Command::Get { refund_id, audit_file } => match client(audit_file) {
            Ok(c) => c.refunds().get(&refund_id).await.map(print),
            Err(e) => Err(e),
        },
        Command::Eligibility { cip } => match client(None) {
            Ok(c) => c.refunds().eligibility(cip, None).await.map(print),
            Err(e) => Err(e),
        },
    };
    result.unwrap_or_else(fail)
}
