//! How every subcommand reports: results as pretty JSON on stdout, errors as JSON plus one line on stderr.

use std::process::ExitCode;

use pagoefectivo::Error;

/// The error as JSON (code, PagoEfectivo's code, field errors...) and a readable line; exit 1.
pub fn fail(e: Error) -> ExitCode {
    eprintln!("{}", serde_json::to_string_pretty(&e).unwrap_or_else(|_| e.to_string()));
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

pub fn print(v: impl serde::Serialize) -> ExitCode {
    println!("{}", serde_json::to_string_pretty(&v).expect("results serialize"));
    ExitCode::SUCCESS
}
