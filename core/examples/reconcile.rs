//! Reconcile the orders of a shop against the report downloaded from PagoEfectivo.
use std::fs::File;

use pagoefectivo::reconcile::{self, Class, Options, OrderColumns, ReportColumns};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    // Columns are found by header name; map yours (here the shop calls the order id "pedido").
    let mut order_columns = OrderColumns::default();
    order_columns.set("order_id", "pedido")?;
    let (orders, payments) = reconcile::load_csv_pair(
        File::open(format!("{dir}/orders.csv"))?,
        &order_columns,
        File::open(format!("{dir}/report.csv"))?,
        &ReportColumns::default(),
    )?;
    let result = reconcile::reconcile(&orders, &payments, &Options::default());
    println!("{} matched, {} to follow up", result.summary.count(Class::Matched), result.summary.exceptions);
    result.write_exceptions_csv(File::create(format!("{dir}/exceptions.csv"))?)?;
    result.write_html(File::create(format!("{dir}/report.html"))?)?;
    Ok(())
}
