//! `pagoefectivo sandbox`: the emulator as a long-running local server.

use std::io::Write;
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
    let banner = format!(
        "PagoEfectivo sandbox listening on {base}\n\
         \x20 dashboard:   {dashboard}\n\
         \x20 control API: http://{addr}/_sandbox/ (see sandbox/README.md)\n\
         \x20 credentials: PAGOEFECTIVO_ENVIRONMENT={base}\n\
         \x20              PAGOEFECTIVO_SERVICE_ID={id}\n\
         \x20              PAGOEFECTIVO_ACCESS_KEY={access}\n\
         \x20              PAGOEFECTIVO_SECRET_KEY={secret}  (a public test key)\n\
         Ctrl-C stops it.\n",
        base = sb.base_url(),
        dashboard = sb.dashboard_url(),
        addr = sb.addr(),
        id = demo.id_service,
        access = demo.access_key,
        secret = demo.secret_key,
    );
    // A closed stdout (the launching script stopped reading) must not stop the server.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    sb.shutdown().await;
    ExitCode::SUCCESS
}
