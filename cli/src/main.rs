//! `pagoefectivo`: run the sandbox, the demo, CIP operations and webhook checks from a shell.

mod cip;
mod demo;
mod output;
mod reconcile;
mod refund;
mod sandbox;
mod webhook;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "pagoefectivo", version, about = "PagoEfectivo payments from the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local PagoEfectivo sandbox until Ctrl-C.
    Sandbox(sandbox::Args),
    /// Walk through a whole payment on an embedded sandbox.
    Demo(demo::Args),
    /// Create, look up, extend or delete CIPs (configured by PAGOEFECTIVO_* variables).
    #[command(subcommand)]
    Cip(cip::Command),
    /// Request and track refunds (the SDK's extension endpoints).
    #[command(subcommand)]
    Refund(refund::Command),
    /// Reconcile orders against PagoEfectivo's records (or generate test files).
    #[command(subcommand)]
    Reconcile(reconcile::Command),
    /// Verify or sign notification bodies.
    #[command(subcommand)]
    Webhook(webhook::Command),
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`| head`) panics; a command-line tool
/// should simply end, as `cat` does. The long-running sandbox keeps it ignored and outlives its reader.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_DFL before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Sandbox(_)) {
        end_quietly_on_closed_pipe();
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("PAGOEFECTIVO_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async {
        match cli.command {
            Command::Sandbox(args) => sandbox::run(args).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Cip(cmd) => cip::run(cmd).await,
            Command::Refund(cmd) => refund::run(cmd).await,
            Command::Reconcile(cmd) => reconcile::run(cmd).await,
            Command::Webhook(cmd) => webhook::run(cmd),
        }
    })
}
