use std::sync::Arc;

use pagoefectivo::{
    Beneficiary, Client, CreateRefundRequest, Currency, DocumentType, Error, JsonLinesAuditSink,
    RefundDestination,
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let cip: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).expect("usage: refund <paid CIP>");
    let audit = JsonLinesAuditSink::open("refund-audit.jsonl")?;
    let client = Client::from_env()?.with_refund_audit_sink(Arc::new(audit));

    let left = client.refunds().eligibility(cip, None).await?;
    println!(
        "refundable: {} {} for {} more seconds",
        left.currency, left.refundable_amount, left.seconds_left
    );

    let request = CreateRefundRequest {
        cip,
        amount: "30.00".parse().expect("a decimal amount"),
        currency: Currency::PEN,
        reason: "Pedido cancelado".into(),
        merchant_refund_id: format!("RF-{cip}-1"), // your reference: the idempotency key comes from it
        destination: RefundDestination::BankAccount { cci: "00219100123456789053".into() },
        beneficiary: Beneficiary {
            document_type: DocumentType::DNI,
            document_number: "44556677".into(),
            name: "Ana Quispe".into(),
        },
        refund_window_days: None, // Some(7) for goods under a 7-day rule
        requested_by: Some("agent:maria".into()), // for the audit trail only
    };
    let refund = client.refunds().create(&request).await?;
    println!("refund {} is {}", refund.refund_id, refund.status.as_str());
    Ok(())
}
