//! `pagoefectivo demo`: one whole payment, explained step by step, on an embedded sandbox.

use std::process::ExitCode;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use pagoefectivo::webhook::{self, Event, SIGNATURE_HEADER};
use pagoefectivo::{Client, Config, CreateCipRequest, Currency, Deduplicator, Error, WaitOptions, time};
use pagoefectivo_sandbox::{Sandbox, SandboxConfig, Service};
use tokio::sync::mpsc;

fn step(n: u32, text: &str) {
    println!("\n{n}. {text}");
}

/// The merchant's notification endpoint: verify the raw body, dedup, answer 200 at once.
async fn start_receiver(secret: String, events: mpsc::UnboundedSender<Event>) -> std::io::Result<String> {
    let dedup = Deduplicator::in_memory();
    let app = axum::Router::new().route(
        "/webhooks/pagoefectivo",
        post(move |headers: HeaderMap, body: Bytes| {
            let (secret, events, dedup) = (secret.clone(), events.clone(), dedup.clone());
            async move {
                let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
                match webhook::verify(&body, signature, &secret) {
                    Ok(event) => {
                        println!(
                            "   <- notification received, {SIGNATURE_HEADER} verified over the raw body"
                        );
                        if dedup.first_delivery(&event).unwrap_or(true) {
                            let _ = events.send(event);
                        } else {
                            println!("   (a repeated delivery: ignored)");
                        }
                        StatusCode::OK
                    }
                    Err(e) => {
                        println!("   <- notification REFUSED: {e}");
                        StatusCode::BAD_REQUEST
                    }
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks/pagoefectivo", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(url)
}

#[derive(clap::Args)]
pub struct Args {
    /// Keep the sandbox running after the flow, to look at the voucher and the dashboard, until Ctrl-C.
    #[arg(long)]
    keep: bool,
}

pub async fn run(args: Args) -> ExitCode {
    match flow(args.keep).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\ndemo failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn flow(keep: bool) -> Result<(), Box<dyn std::error::Error>> {
    println!("PagoEfectivo demo: a shopper pays an order in cash, the shop confirms it.");
    let demo = Service::demo();
    let sb = Sandbox::start(SandboxConfig {
        webhook_retry_delay: Duration::from_millis(200),
        ..Default::default()
    })
    .await?;

    step(1, "Start a local PagoEfectivo sandbox and the shop's webhook endpoint");
    let (tx, mut events) = mpsc::unbounded_channel();
    let url = start_receiver(demo.secret_key.clone(), tx).await?;
    sb.control().set_notification_url(Some(url.clone()));
    println!("   sandbox API:        {}", sb.base_url());
    println!("   sandbox dashboard:  {}", sb.dashboard_url());
    println!("   notification URL:   {url}  (registered with PagoEfectivo out of band)");

    step(2, "Configure the client (in production: PAGOEFECTIVO_* environment variables)");
    let config = Config::builder()
        .base_url(sb.base_url())
        .id_service(demo.id_service)
        .access_key(demo.access_key.clone())
        .secret_key(demo.secret_key.clone())
        .build()?;
    println!("   {config:?}");
    println!("   (the secret key prints as [REDACTED], everywhere)");
    let client = Client::new(config)?;

    step(3, "Checkout: create a CIP for order ORD-2026-0001, S/ 149.90, payable for 48 hours");
    let mut request =
        CreateCipRequest::new(Currency::PEN, "149.90".parse()?, "ORD-2026-0001", "ana.quispe@example.pe")
            .expires_in(Duration::from_secs(48 * 3600));
    request.payment_concept = Some("Zapatillas talla 38".into());
    request.user_phone = Some("987654321".into());
    request.user_code_country = Some("+51".into());
    let cip = client.cips().create(&request).await?;
    println!("   CIP (payment code): {}", cip.cip);
    println!("   amount:             {} {}", cip.currency, cip.amount);
    println!("   expires:            {} (Lima time)", time::format(&cip.date_expiry));
    println!("   voucher page:       {}", cip.cip_url);
    println!("   -> show the code and voucher to the shopper; do not ship yet.");

    step(4, "The shop looks the CIP up (the API is the source of truth, not the browser redirect)");
    let info = client.cips().get(cip.cip).await?;
    println!("   status: {} (code {}, \"{}\")", info.status.as_str(), info.status_code, info.status_name);

    step(5, "The shopper pays in cash at an agent (simulated through the sandbox's control API)");
    let payment = sb.control().pay(cip.cip).map_err(|e| format!("{e}"))?;
    println!("   operation number {} at {}", payment.operation_number, time::format(&payment.date_payment));

    step(6, "PagoEfectivo notifies the shop: signed cip.paid POST");
    let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .map_err(|_| "no notification within 10 s")?
        .ok_or("receiver stopped")?;
    if let Event::CipPaid(paid) = &event {
        println!(
            "   event: cip.paid, CIP {}, {} {}, order {}",
            paid.cip,
            paid.currency,
            paid.amount,
            paid.transaction_code.as_deref().unwrap_or("?")
        );
        println!("   dedup key: {} (a second delivery of it is ignored)", event.dedup_key());
    }

    step(7, "Confirm by status query before shipping");
    let options = WaitOptions {
        timeout: Duration::from_secs(10),
        initial_interval: Duration::from_millis(100),
        ..Default::default()
    };
    let confirmed = client.cips().wait_for_final_status(cip.cip, options).await?;
    let paid_at = confirmed.date_payment.map(|t| time::format(&t)).unwrap_or_default();
    println!("   status: {} at {paid_at}", confirmed.status.as_str());

    step(8, "What a tampered notification looks like");
    let forged = br#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"1","currency":"PEN","amount":149.90}}"#;
    let err: Error = webhook::verify(forged, Some(&"0".repeat(64)), &demo.secret_key).unwrap_err();
    println!("   refused: reason={} ({})", err.reason().unwrap_or("?"), err.message());

    println!("\nDone: order ORD-2026-0001 is paid ({}). Ship it.", confirmed.status.as_str());
    if keep {
        println!("\nThe sandbox keeps running; Ctrl-C stops it.");
        println!("   dashboard:    {}", sb.dashboard_url());
        println!("   voucher page: {}", cip.cip_url);
        let _ = tokio::signal::ctrl_c().await;
    } else {
        println!("(`pagoefectivo demo --keep` leaves the sandbox running to open those pages in a browser.)");
    }
    sb.shutdown().await;
    Ok(())
}
