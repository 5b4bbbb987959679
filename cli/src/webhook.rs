//! `pagoefectivo webhook ...`: check a notification body the way the SDK does.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use pagoefectivo::webhook;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Verify a raw body (file, or - for stdin). Exit 0 when valid.
    Verify {
        /// The secret key (or PAGOEFECTIVO_SECRET_KEY).
        #[arg(long, env = "PAGOEFECTIVO_SECRET_KEY", hide_env_values = true)]
        secret: String,
        /// The PE-Signature header value.
        #[arg(long)]
        signature: String,
        /// The body exactly as received; - or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Print the PE-Signature of a body (to test your own endpoint).
    Sign {
        #[arg(long, env = "PAGOEFECTIVO_SECRET_KEY", hide_env_values = true)]
        secret: String,
        file: Option<PathBuf>,
    },
}

fn read_body(file: Option<PathBuf>) -> std::io::Result<Vec<u8>> {
    match file {
        Some(p) if p.as_os_str() != "-" => std::fs::read(p),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

pub fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::Verify { secret, signature, file } => {
            let body = match read_body(file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("cannot read the body: {e}");
                    return ExitCode::from(2);
                }
            };
            match webhook::verify(&body, Some(&signature), &secret) {
                Ok(event) => {
                    println!("valid: {}", serde_json::to_string_pretty(&event).expect("events serialize"));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("invalid: {}", e.reason().unwrap_or(e.code().as_str()));
                    println!("  {}", e.message());
                    if let Some(h) = e.hint() {
                        println!("  hint: {h}");
                    }
                    ExitCode::FAILURE
                }
            }
        }
        Command::Sign { secret, file } => match read_body(file) {
            Ok(body) => {
                println!("{}", webhook::sign(&body, &secret));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot read the body: {e}");
                ExitCode::from(2)
            }
        },
    }
}
