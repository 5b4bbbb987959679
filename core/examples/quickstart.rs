use std::time::Duration;

use pagoefectivo::{Client, CreateCipRequest, Currency, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // PAGOEFECTIVO_ACCESS_KEY, _SECRET_KEY, _SERVICE_ID and _ENVIRONMENT (sandbox by default).
    let client = Client::from_env()?;

    let amount = "149.90".parse().expect("a decimal amount");
    let order = CreateCipRequest::new(Currency::PEN, amount, "ORD-1001", "ana@example.pe")
        .expires_in(Duration::from_secs(48 * 3600));
    let cip = client.cips().create(&order).await?;
    println!("CIP {} for {} {}: pay at {}", cip.cip, cip.currency, cip.amount, cip.cip_url);

    let info = client.cips().get(cip.cip).await?;
    println!("status: {}", info.status.as_str());
    Ok(())
}
