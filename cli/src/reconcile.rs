//! `pagoefectivo reconcile ...`: reconcile orders against PagoEfectivo's records, or generate test files.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use pagoefectivo::reconcile::fixture::{FixtureSpec, write_fixture};
use pagoefectivo::reconcile::{
    self, Calendar, Class, Options, OrderColumns, Orders, Payments, ReportColumns, ReportQuery,
};
use pagoefectivo::{Client, Decimal, Error, time};

use crate::output::fail;

/// Inputs this large get a progress bar (smaller runs finish before it would draw).
const PROGRESS_FROM_BYTES: u64 = 8 << 20;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Match orders against PagoEfectivo's records and write the reports.
    Run(RunArgs),
    /// Write deterministic orders.csv and report.csv with known discrepancies.
    Generate {
        /// Number of orders (the report gets about as many rows).
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The as-of time the expectations are computed for.
        #[arg(long, default_value = "2026-11-24T12:00:00-05:00")]
        as_of: String,
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The merchant's orders: CSV with a header row, or JSON lines (.jsonl).
    #[arg(long)]
    orders: PathBuf,
    /// Map an orders field to a header name, e.g. `order_id=Pedido` (repeatable).
    #[arg(long = "order-column", value_name = "FIELD=NAME")]
    order_columns: Vec<String>,
    /// A PagoEfectivo report file (CSV) the merchant downloaded.
    #[arg(long, conflicts_with_all = ["search", "endpoint"])]
    report: Option<PathBuf>,
    /// Map a report field to a header name, e.g. `cip=Nro CIP` (repeatable).
    #[arg(long = "report-column", value_name = "FIELD=NAME")]
    report_columns: Vec<String>,
    /// Sweep the public cips/search endpoint for the orders' CIPs (PAGOEFECTIVO_* variables).
    #[arg(long, conflicts_with = "endpoint")]
    search: bool,
    /// Read the settlement-report extension (PAGOEFECTIVO_* variables).
    #[arg(long)]
    endpoint: bool,
    /// Report endpoint: first Lima payment date (yyyy-mm-dd).
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// Report endpoint: last Lima payment date (yyyy-mm-dd).
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
    /// Report endpoint: continue after this cursor (printed by the previous run).
    #[arg(long)]
    cursor: Option<String>,
    /// Report endpoint path under the base URL (default: PAGOEFECTIVO_REPORTS_PATH, else reports/settlements).
    #[arg(long)]
    report_path: Option<String>,
    /// Amounts may differ by this much and still match.
    #[arg(long, default_value = "0.05")]
    tolerance: Decimal,
    /// Settlement expected by T+n business days.
    #[arg(long, default_value_t = 3)]
    settlement_days: u32,
    /// Judge expiry and settlement as of this time (default: now, Lima).
    #[arg(long)]
    as_of: Option<String>,
    /// An extra non-business day, yyyy-mm-dd (repeatable).
    #[arg(long = "holiday")]
    holidays: Vec<chrono::NaiveDate>,
    /// Directory for summary.json, exceptions.csv, exceptions.jsonl and report.html.
    #[arg(long, default_value = ".")]
    out: PathBuf,
    #[arg(long)]
    no_progress: bool,
}

fn usage(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn create(path: &Path) -> Result<BufWriter<File>, String> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 16, f))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn bar(len: u64, hidden: bool, template: &str) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

fn map_columns(pairs: &[String], mut set: impl FnMut(&str, &str) -> Result<(), Error>) -> Result<(), Error> {
    for pair in pairs {
        let (field, name) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
        set(field.trim(), name.trim())?;
    }
    Ok(())
}

fn is_json_lines(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn open(path: &Path) -> Result<File, Error> {
    File::open(path).map_err(|e| {
        Error::new(pagoefectivo::ErrorCode::ValidationError, format!("cannot open {}: {e}", path.display()))
    })
}

async fn load(args: &RunArgs) -> Result<(Orders, Payments, Option<String>), Error> {
    let mut ocols = OrderColumns::default();
    map_columns(&args.order_columns, |f, n| ocols.set(f, n))?;
    let mut rcols = ReportColumns::default();
    map_columns(&args.report_columns, |f, n| rcols.set(f, n))?;
    let json = is_json_lines(&args.orders);
    if let Some(report) = &args.report {
        let total = size(&args.orders) + size(report);
        let pb = bar(
            total,
            args.no_progress || total < PROGRESS_FROM_BYTES,
            "reading {bar:40} {bytes}/{total_bytes} ({eta})",
        );
        let (orders_file, report_file) = (open(&args.orders)?, open(report)?);
        let loaded = if json {
            let orders = Orders::from_json_lines(BufReader::new(pb.wrap_read(orders_file)))?;
            (orders, Payments::from_report_csv(pb.wrap_read(report_file), &rcols)?)
        } else {
            reconcile::load_csv_pair(pb.wrap_read(orders_file), &ocols, pb.wrap_read(report_file), &rcols)?
        };
        pb.finish_and_clear();
        return Ok((loaded.0, loaded.1, None));
    }
    let orders = if json {
        Orders::from_json_lines(BufReader::new(open(&args.orders)?))?
    } else {
        Orders::from_csv(open(&args.orders)?, &ocols)?
    };
    let client = Client::from_env()?;
    if args.search {
        let pb = bar(orders.len() as u64, args.no_progress, "searching CIPs {bar:40} {pos}/{len} ({eta})");
        let payments =
            reconcile::search_payments(&client, &orders, |done, _| pb.set_position(done as u64)).await?;
        pb.finish_and_clear();
        return Ok((orders, payments, None));
    }
    let query = ReportQuery { date_from: args.from, date_to: args.to, cursor: args.cursor.clone(), limit: 0 };
    let pb = bar(0, args.no_progress, "{spinner} report rows: {pos}");
    let reports = match &args.report_path {
        Some(path) => client.reports().with_path(path.clone()),
        None => client.reports(),
    };
    let (payments, cursor) = reports.fetch_all(&query, |n| pb.set_position(n as u64)).await?;
    pb.finish_and_clear();
    Ok((orders, payments, cursor))
}

fn print_summary(result: &reconcile::Reconciliation) {
    let s = &result.summary;
    println!("orders {}  PagoEfectivo rows {}  exceptions {}", s.orders, s.payments, s.exceptions);
    for t in &s.totals {
        let mark = if t.class.is_exception() { "!" } else { " " };
        println!("{mark} {:<26} {} {:>10} {:>18}", t.class.as_str(), t.currency, t.count, t.amount);
    }
}

async fn run_reconcile(args: RunArgs) -> ExitCode {
    if args.report.is_none() && !args.search && !args.endpoint {
        return usage(
            "say where PagoEfectivo's side comes from: --report FILE, --search or --endpoint".into(),
        );
    }
    let mut options = Options {
        amount_tolerance: args.tolerance,
        settlement_days: args.settlement_days,
        calendar: Calendar::peru().with_extra_holidays(args.holidays.iter().copied()),
        ..Options::default()
    };
    if let Some(t) = &args.as_of {
        match time::parse(t) {
            Ok(t) => options.as_of = Some(t),
            Err(e) => return fail(e),
        }
    }
    let started = Instant::now();
    let (orders, payments, cursor) = match load(&args).await {
        Ok(loaded) => loaded,
        Err(e) => return fail(e),
    };
    let loaded = started.elapsed();
    let result = reconcile::reconcile(&orders, &payments, &options);
    let matched = started.elapsed();
    drop((orders, payments));
    if let Err(e) = result.write_all(&args.out) {
        return fail(e);
    }
    print_summary(&result);
    if let Some(c) = cursor {
        println!("next cursor: {c}");
        let _ = std::fs::write(args.out.join("cursor.txt"), format!("{c}\n"));
    }
    eprintln!(
        "loaded in {:.2} s, matched in {:.2} s, wrote {} in {:.2} s",
        loaded.as_secs_f64(),
        (matched - loaded).as_secs_f64(),
        args.out.display(),
        (started.elapsed() - matched).as_secs_f64()
    );
    let _ = std::io::stdout().flush();
    ExitCode::SUCCESS
}

fn run_generate(orders: usize, seed: u64, as_of: &str, out: &Path) -> ExitCode {
    let as_of = match time::parse(as_of) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let files = std::fs::create_dir_all(out)
        .map_err(|e| format!("cannot create {}: {e}", out.display()))
        .and_then(|_| Ok((create(&out.join("orders.csv"))?, create(&out.join("report.csv"))?)));
    let (o, r) = match files {
        Ok(f) => f,
        Err(m) => return usage(m),
    };
    let fx = match write_fixture(&FixtureSpec { orders, seed, as_of }, o, r) {
        Ok(fx) => fx,
        Err(e) => return fail(e),
    };
    let counts: serde_json::Map<String, serde_json::Value> =
        fx.counts.iter().map(|(c, n)| (c.as_str().to_owned(), (*n).into())).collect();
    let expected = serde_json::json!({
        "asOf": time::format(&as_of), "seed": seed, "orderRows": fx.order_rows, "reportRows": fx.report_rows,
        "counts": counts, "exceptions": fx.expected.len(),
    });
    if let Err(e) = std::fs::write(out.join("expected.json"), format!("{expected:#}\n")) {
        return usage(format!("cannot write expected.json: {e}"));
    }
    let exceptions: u64 = fx.counts.iter().filter(|(c, _)| c.is_exception()).map(|(_, n)| n).sum();
    println!(
        "wrote {} orders and {} report rows to {} ({} injected exceptions; {} matched)",
        fx.order_rows,
        fx.report_rows,
        out.display(),
        exceptions,
        fx.counts.get(&Class::Matched).copied().unwrap_or(0)
    );
    ExitCode::SUCCESS
}

pub async fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::Run(args) => run_reconcile(args).await,
        Command::Generate { orders, seed, as_of, out } => run_generate(orders, seed, &as_of, &out),
    }
}
