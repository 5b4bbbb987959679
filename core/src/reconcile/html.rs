//! The report people read: one self-contained HTML page (inline CSS and SVG, no external assets).

use std::fmt::Write as _;
use std::io::Write;

use rust_decimal::Decimal;

use crate::error::{Error, ErrorCode};
use crate::money::{self, Currency};

use super::engine::Reconciliation;
use super::exception::Class;

/// Exceptions listed in the page; the files hold them all.
const LISTED: usize = 500;

fn esc(s: &str) -> String {
    html_escape::encode_safe(s).into_owned()
}

/// `S/ 1,234.50` or `US$ 20.00`: how Peruvian finance staff read amounts.
pub(crate) fn money_text(currency: Currency, amount: Decimal) -> String {
    let text = money::two_decimals(amount).to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let symbol = match currency {
        Currency::PEN => "S/",
        Currency::USD => "US$",
    };
    format!("{sign}{symbol} {grouped}.{frac}")
}

fn color(class: Class) -> &'static str {
    match class {
        Class::Matched => "#2e7d32",
        Class::Unpaid => "#9e9e9e",
        Class::MissedNotification | Class::NotPaidAtPagoefectivo => "#c62828",
        Class::AmountMismatch | Class::CurrencyMismatch | Class::RefundNotReflected => "#ef6c00",
        Class::Duplicate | Class::UnknownReference => "#6a1b9a",
        Class::ExpiredOpen | Class::SettlementOverdue => "#1565c0",
    }
}

/// Horizontal bars of the row count per class, each under its label, with the count at the bar's end.
/// Narrow by design (a label above its bar, not beside it), so a phone shows it at full size.
fn chart(r: &Reconciliation) -> String {
    let rows: Vec<(Class, u64)> =
        Class::ALL.iter().map(|&c| (c, r.summary.count(c))).filter(|(_, n)| *n > 0).collect();
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let (width, bar_w, row_h) = (420.0, 340.0, 40.0);
    let height = row_h * rows.len().max(1) as f64 + 4.0;
    let mut svg = format!(
        // Scales down to the screen keeping its proportions; never wider than its own size.
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Rows per class\" class=\"chart\" width=\"100%\" style=\"max-width:{width}px\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMinYMin meet\">"
    );
    for (i, (class, n)) in rows.iter().enumerate() {
        let y = 2.0 + row_h * i as f64;
        // Square root scale: a handful of exceptions stays visible next to a million matches.
        let w = ((*n as f64).sqrt() / (max as f64).sqrt() * bar_w).max(2.0);
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\" font-size=\"13\">{label}</text>\
             <rect x=\"0\" y=\"{by}\" width=\"{w:.1}\" height=\"14\" fill=\"{fill}\" rx=\"2\"/>\
             <text x=\"{nx:.1}\" y=\"{ny}\" font-size=\"13\">{n}</text>",
            ty = y + 13.0,
            by = y + 19.0,
            ny = y + 31.0,
            label = esc(class.label()),
            fill = color(*class),
            nx = w + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn page(r: &Reconciliation) -> String {
    let s = &r.summary;
    let as_of = s.as_of.map(|d| d.to_string()).unwrap_or_default();
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>PagoEfectivo reconciliation {as_of}</title><style>\
         body{{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#212121}}\
         h1{{font-size:1.5rem}} h2{{font-size:1.15rem;margin-top:2rem}}\
         .cards{{display:flex;gap:1rem;flex-wrap:wrap}} .card{{border:1px solid #ddd;border-radius:6px;padding:.8rem 1.2rem}}\
         .card b{{display:block;font-size:1.6rem}} table{{border-collapse:collapse;font-size:.9rem}}\
         th,td{{border-bottom:1px solid #e0e0e0;padding:.35rem .6rem;text-align:left}} td.n{{text-align:right;font-variant-numeric:tabular-nums}}\
         .dot{{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.4rem}} .muted{{color:#757575}}\
         .scroll{{overflow-x:auto;-webkit-overflow-scrolling:touch}} svg.chart{{display:block;height:auto}}\
         @media (max-width:600px){{body{{margin:.8rem}} .card{{padding:.5rem .8rem}} .card b{{font-size:1.25rem}} table{{font-size:.8rem}} .code{{display:none}}}}\
         </style></head><body>\
         <h1>PagoEfectivo reconciliation</h1>\
         <p class=\"muted\">Judged as of {as_of} (Lima time). Each row of either side is counted in exactly one class.</p>\
         <div class=\"cards\"><div class=\"card\">Orders<b>{orders}</b></div><div class=\"card\">PagoEfectivo rows<b>{payments}</b></div>\
         <div class=\"card\">Matched<b>{matched}</b></div><div class=\"card\">To follow up<b>{exceptions}</b></div></div>\
         <h2>Rows per class</h2>{chart}\
         <h2>Totals per class and currency</h2><div class=\"scroll\"><table><thead><tr><th>Class</th><th>Currency</th><th>Rows</th><th>Amount</th></tr></thead><tbody>",
        orders = s.orders,
        payments = s.payments,
        matched = s.count(Class::Matched),
        exceptions = s.exceptions,
        chart = chart(r),
    );
    for t in &s.totals {
        let _ = write!(
            h,
            "<tr><td><span class=\"dot\" style=\"background:{c}\"></span>{label} <span class=\"muted code\">({code})</span></td>\
             <td>{cur}</td><td class=\"n\">{n}</td><td class=\"n\">{amt}</td></tr>",
            c = color(t.class),
            label = esc(t.class.label()),
            code = t.class.as_str(),
            cur = t.currency,
            n = t.count,
            amt = esc(&money_text(t.currency, t.amount)),
        );
    }
    h.push_str("</tbody></table></div><h2>Exceptions</h2>");
    if r.exceptions.is_empty() {
        h.push_str("<p>None: both sides agree.</p>");
    } else {
        if r.exceptions.len() > LISTED {
            let _ = write!(
                h,
                "<p class=\"muted\">The first {LISTED} of {} are listed; the exceptions CSV and JSON-lines files hold them all.</p>",
                r.exceptions.len()
            );
        }
        h.push_str(
            "<div class=\"scroll\"><table><thead><tr><th>Class</th><th>Order</th><th>CIP</th><th>Order amount</th>\
             <th>PagoEfectivo amount</th><th>What to do</th></tr></thead><tbody>",
        );
        for ex in r.exceptions.iter().take(LISTED) {
            let amount = |a: Option<Decimal>| a.map(|a| money_text(ex.currency, a)).unwrap_or_default();
            let side = ex.side.map(|s| format!(" ({})", s.as_str())).unwrap_or_default();
            let _ = write!(
                h,
                "<tr><td><span class=\"dot\" style=\"background:{c}\"></span>{code}{side}</td><td>{order}</td><td>{cip}</td>\
                 <td class=\"n\">{oa}</td><td class=\"n\">{pa}</td><td>{detail}</td></tr>",
                c = color(ex.class),
                code = ex.class.as_str(),
                order = esc(ex.order_id.as_deref().unwrap_or("")),
                cip = ex.cip.map(|c| c.to_string()).unwrap_or_default(),
                oa = esc(&amount(ex.order_amount)),
                pa = esc(&amount(ex.pagoefectivo_amount)),
                detail = esc(&ex.detail),
            );
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</body></html>\n");
    h
}

impl Reconciliation {
    /// The self-contained HTML report: summary cards, a chart of rows per
    /// class, totals per class and currency, and the exceptions.
    pub fn to_html(&self) -> String {
        page(self)
    }

    pub fn write_html<W: Write>(&self, mut out: W) -> Result<(), Error> {
        out.write_all(page(self).as_bytes())
            .map_err(|e| Error::new(ErrorCode::IoError, format!("cannot write the HTML report: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_finance_writes_it() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money_text(Currency::PEN, d("1234567.5")), "S/ 1,234,567.50");
        assert_eq!(money_text(Currency::USD, d("-20")), "-US$ 20.00");
        assert_eq!(money_text(Currency::PEN, d("999")), "S/ 999.00");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#x27;");
    }
}
