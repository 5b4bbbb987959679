//! `pagoefectivo sandbox`: the emulator as a long-running local server.

use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use pagoefectivo_sandbox::{Sandbox, SandboxConfig, Service};

#[derive(clap::Args)]
pub struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind; keep it on loopback.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Where to POST signed notifications (cip.paid).
    #[arg(long)]
    notification_url: Option<String>,
    /// Token lifetime in seconds.
    #[arg(long, default_value_t = 7200)]
    token_lifetime: u64,
    /// Amounts above this are refused with code 511.
    #[arg(long)]
    max_amount: Option<pagoefectivo::Decimal>,
}

pub async fn run(args: Args) -> ExitCode {
    let mut config = SandboxConfig {
        host: args.host,
        port: args.port,
        notification_url: args.notification_url,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        ..Default::default()
    };
    if let Some(max) = args.max_amount {
        config.max_amount = max;
    }
    let sb = match Sandbox::start(config).await {
        Ok(sb) => sb,
        Err(e) => {
            eprintln!("cannot start the sandbox on {}:{}: {e}", args.host, args.port);
            return ExitCode::FAILURE;
        }
    };
    let demo = Service::demo();
    println!("PagoEfectivo sandbox listening on {}", sb.base_url());
    println!("  control API: http://{}/_sandbox/ (see sandbox/README.md)", sb.addr());
    println!("  credentials: PAGOEFECTIVO_ENVIRONMENT={}", sb.base_url());
    println!("               PAGOEFECTIVO_SERVICE_ID={}", demo.id_service);
    println!("               PAGOEFECTIVO_ACCESS_KEY={}", demo.access_key);
    println!("               PAGOEFECTIVO_SECRET_KEY={}  (a public test key)", demo.secret_key);
    println!("Ctrl-C stops it.");
    let _ = tokio::signal::ctrl_c().await;
    sb.shutdown().await;
    ExitCode::SUCCESS
}
