//! The voucher page a `cipUrl` points at (`/<GUID>.html`): what a shopper sees, Spanish first, English on request.
//!
//! The real pages are static files on S3-style storage named by the upper-case
//! GUID; a deleted CIP's page is removed (404 `NoSuchKey`). A browser asking
//! for HTML gets that 404 as a page that says so; anything else gets the XML.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::clock::LIMA;
use crate::state::{CipRecord, CipStatus, Shared};
use crate::wire;

const PAGE: &str = include_str!("ui/voucher.html");
const STYLE: &str = include_str!("ui/voucher.css");

/// The GUID a voucher path names (`/AB803C1C-....html`), if the path is one.
pub(crate) fn guid_of(path: &str) -> Option<&str> {
    let file = path.strip_prefix('/')?;
    let guid = file.strip_suffix(".html")?;
    (guid.len() == 36 && guid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')).then_some(guid)
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Es,
    En,
}

/// `?lang=en|es` first, else the first language of `Accept-Language`; Spanish by default.
fn language(headers: &HeaderMap, query: Option<&str>) -> Lang {
    let asked = query
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("lang=")))
        .map(str::to_owned)
        .or_else(|| {
            let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            Some(value.split(',').next()?.trim().to_ascii_lowercase())
        });
    match asked {
        Some(l) if l.starts_with("en") => Lang::En,
        _ => Lang::Es,
    }
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// HTML-escapes merchant-given text (order ids and concepts can hold anything).
fn escape(text: &str) -> String {
    html_escape::encode_safe(text).into_owned()
}

/// `S/ 1,500.00` or `US$ 1,500.00`: how Peru writes money.
fn money(currency: &str, amount: rust_decimal::Decimal) -> String {
    let text = wire::amount_two_decimals(amount).to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let symbol = if currency == "USD" { "US$" } else { "S/" };
    format!("{symbol} {grouped}.{frac}")
}

/// `martes 3 de diciembre de 2026, 18:00` / `Tuesday 3 December 2026, 18:00`, in Lima time.
fn long_date(at: DateTime<FixedOffset>, lang: Lang) -> String {
    const DIAS: [&str; 7] = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"];
    const MESES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let t = at.with_timezone(&LIMA);
    let (wd, m) = (t.weekday().num_days_from_monday() as usize, t.month0() as usize);
    match lang {
        Lang::Es => format!(
            "{} {} de {} de {}, {:02}:{:02}",
            DIAS[wd],
            t.day(),
            MESES[m],
            t.year(),
            t.hour(),
            t.minute()
        ),
        Lang::En => {
            format!("{} {} {} {}, {:02}:{:02}", DAYS[wd], t.day(), MONTHS[m], t.year(), t.hour(), t.minute())
        }
    }
}

/// The words of the page, by language.
struct Words {
    lang_tag: &'static str,
    code_label: &'static str,
    amount_label: &'static str,
    pay_before: &'static str,
    lima_time: &'static str,
    how_title: &'static str,
    how: [(&'static str, &'static str); 3],
    order_label: &'static str,
    concept_label: &'static str,
    simulate: &'static str,
    simulate_note: &'static str,
    left: &'static str,
    paid: &'static str,
    expired: &'static str,
    deleted: &'static str,
    unknown: &'static str,
}

const ES: Words = Words {
    lang_tag: "es-PE",
    code_label: "Tu código de pago (CIP)",
    amount_label: "Monto a pagar",
    pay_before: "Paga antes del",
    lima_time: "hora de Lima",
    how_title: "Cómo pagar",
    how: [
        (
            "Banca por internet o app",
            "BCP, BBVA, Interbank, Scotiabank y otros: entra a «Pago de servicios», elige «PagoEfectivo» e ingresa tu CIP.",
        ),
        (
            "Agentes y bodegas",
            "Agente BCP, Agente BBVA, Kasnet, Western Union: di que pagas a PagoEfectivo y dicta tu CIP.",
        ),
        ("Tiendas", "Tambo+ y otras tiendas afiliadas: pide pagar un código PagoEfectivo en caja."),
    ],
    order_label: "Pedido",
    concept_label: "Concepto",
    simulate: "Simular pago",
    simulate_note: "Solo en el sandbox: marca el CIP como pagado y envía la notificación firmada al comercio.",
    left: "Quedan",
    paid: "Pagado el",
    expired: "Este código venció el",
    deleted: "Este código de pago fue anulado por el comercio.",
    unknown: "No encontramos este código de pago.",
};

const EN: Words = Words {
    lang_tag: "en",
    code_label: "Your payment code (CIP)",
    amount_label: "Amount to pay",
    pay_before: "Pay before",
    lima_time: "Lima time",
    how_title: "How to pay",
    how: [
        (
            "Online or mobile banking",
            "BCP, BBVA, Interbank, Scotiabank and others: open “Pay services”, choose “PagoEfectivo” and enter your CIP.",
        ),
        (
            "Agents and corner shops",
            "Agente BCP, Agente BBVA, Kasnet, Western Union: say you are paying PagoEfectivo and give your CIP.",
        ),
        ("Stores", "Tambo+ and other partner stores: ask at the till to pay a PagoEfectivo code."),
    ],
    order_label: "Order",
    concept_label: "Concept",
    simulate: "Simulate payment",
    simulate_note: "Sandbox only: marks the CIP paid and sends the signed notification to the merchant.",
    left: "Time left",
    paid: "Paid on",
    expired: "This code expired on",
    deleted: "This payment code was cancelled by the merchant.",
    unknown: "We could not find this payment code.",
};

fn qr(cip: u64) -> String {
    match QrCode::new(cip.to_string().as_bytes()) {
        Ok(code) => code.render::<svg::Color<'_>>().min_dimensions(168, 168).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

fn render(r: &CipRecord, status: CipStatus, now: DateTime<FixedOffset>, w: &Words, lang: Lang) -> String {
    let (state, banner) = match status {
        CipStatus::Generated => ("generated", String::new()),
        CipStatus::Paid => {
            let when = r.date_payment.map(|d| long_date(d, lang)).unwrap_or_default();
            ("paid", format!("{} {when} ({})", w.paid, w.lima_time))
        }
        CipStatus::Expired => {
            ("expired", format!("{} {} ({})", w.expired, long_date(r.date_expiry, lang), w.lima_time))
        }
        CipStatus::Deleted => ("deleted", w.deleted.to_owned()),
    };
    let how: String =
        w.how.iter().map(|(t, d)| format!("<li><strong>{t}</strong><span>{d}</span></li>")).collect();
    let concept = r
        .payment_concept
        .as_deref()
        .map(|c| format!("<p><span class=\"k\">{}</span> {}</p>", w.concept_label, escape(c)))
        .unwrap_or_default();
    PAGE.replace("{{lang}}", w.lang_tag)
        .replace("{{style}}", STYLE)
        .replace("{{state}}", state)
        .replace("{{cip}}", &r.cip.to_string())
        .replace("{{qr}}", &qr(r.cip))
        .replace("{{code_label}}", w.code_label)
        .replace("{{amount_label}}", w.amount_label)
        .replace("{{amount}}", &money(&r.currency, r.amount))
        .replace("{{currency}}", &escape(&r.currency))
        .replace("{{pay_before}}", w.pay_before)
        .replace("{{expiry}}", &long_date(r.date_expiry, lang))
        .replace("{{expiry_iso}}", &wire::format_time(r.date_expiry))
        .replace("{{now_iso}}", &wire::format_time(now))
        .replace("{{lima_time}}", w.lima_time)
        .replace("{{left}}", w.left)
        .replace("{{banner}}", &escape(&banner))
        .replace("{{how_title}}", w.how_title)
        .replace("{{how}}", &how)
        .replace("{{order_label}}", w.order_label)
        .replace("{{order}}", &escape(&r.transaction_code))
        .replace("{{concept}}", &concept)
        .replace("{{simulate}}", w.simulate)
        .replace("{{simulate_note}}", w.simulate_note)
}

/// `GET /<GUID>.html`.
pub(crate) fn page(shared: &Shared, guid: &str, headers: &HeaderMap, query: Option<&str>) -> Response {
    let now = shared.clock.now();
    let lang = language(headers, query);
    let words = if lang == Lang::En { &EN } else { &ES };
    let found = {
        let state = shared.lock();
        state.by_guid.get(guid).and_then(|cip| state.cips.get(cip)).map(|r| (r.clone(), r.status_at(now)))
    };
    match found {
        Some((r, status)) if status != CipStatus::Deleted => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            render(&r, status, now, words, lang),
        )
            .into_response(),
        Some(_) if wants_html(headers) => gone(words.deleted, words),
        None if wants_html(headers) => gone(words.unknown, words),
        _ => no_such_key(guid),
    }
}

/// The 404 a browser sees: the page says what happened.
fn gone(message: &str, w: &Words) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>PagoEfectivo</title><style>{STYLE}</style></head>\
         <body><main class=\"voucher state-deleted\"><header><span class=\"brand\">PagoEfectivo</span></header>\
         <p class=\"banner\" id=\"status\">{message}</p></main></body></html>\n",
        w.lang_tag
    );
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// What the storage behind the voucher host answers for a missing object.
fn no_such_key(guid: &str) -> Response {
    let request_id = hex::encode_upper(crate::state::random_bytes::<8>());
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
         <Message>The specified key does not exist.</Message><Key>{guid}.html</Key>\
         <RequestId>{request_id}</RequestId></Error>"
    );
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_guid_pages_are_vouchers() {
        assert_eq!(
            guid_of("/AB803C1C-3266-4CFF-A236-4D9DD5AD260A.html"),
            Some("AB803C1C-3266-4CFF-A236-4D9DD5AD260A")
        );
        for other in
            ["/v1/cips", "/x.html", "/AB803C1C-3266-4CFF-A236-4D9DD5AD260A", "/../etc/passwd.html", ""]
        {
            assert_eq!(guid_of(other), None, "{other}");
        }
    }

    #[test]
    fn money_and_dates_as_peru_writes_them() {
        let d = |s: &str| rust_decimal::Decimal::from_str_exact(s).unwrap();
        assert_eq!(money("PEN", d("1500")), "S/ 1,500.00");
        assert_eq!(money("USD", d("149.9")), "US$ 149.90");
        assert_eq!(money("PEN", d("1234567.5")), "S/ 1,234,567.50");
        let at = wire::parse_time("2026-12-01T23:30:00Z").unwrap();
        assert_eq!(long_date(at, Lang::Es), "martes 1 de diciembre de 2026, 18:30");
        assert_eq!(long_date(at, Lang::En), "Tuesday 1 December 2026, 18:30");
        assert_eq!(escape("<b>\"x\"&'"), "&lt;b&gt;&quot;x&quot;&amp;&#x27;");
    }

    #[test]
    fn the_language_follows_the_query_then_the_browser() {
        let mut h = HeaderMap::new();
        assert!(language(&h, None) == Lang::Es);
        h.insert(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9".parse().unwrap());
        assert!(language(&h, None) == Lang::En);
        assert!(language(&h, Some("lang=es")) == Lang::Es);
    }
}
