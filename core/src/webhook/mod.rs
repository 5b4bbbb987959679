//! Payment notifications: `PE-Signature` verification over the raw body, and typed events.

mod event;
mod parse;
mod payload_hash;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::error::{Error, ErrorCode};

pub use event::{CipPaid, Event, OtherEvent, RefundEvent};
pub use parse::parse_event;

/// The header PagoEfectivo signs notifications with.
pub const SIGNATURE_HEADER: &str = "PE-Signature";

/// Stable reasons a notification is refused (`Error::reason`).
pub mod reason {
    pub const MISSING_SIGNATURE: &str = "missing_signature";
    pub const MALFORMED_SIGNATURE: &str = "malformed_signature";
    pub const SIGNATURE_MISMATCH: &str = "signature_mismatch";
    pub const MALFORMED_BODY: &str = "malformed_body";
    pub const BODY_TOO_LARGE: &str = "body_too_large";
}

/// The longest notification accepted by default: a real one is about 200
/// bytes. Anything near this is not from PagoEfectivo.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// Bodies longer than this get no diagnosis of a mismatch (it would parse
/// untrusted input): the signature check itself is all they cost.
const DIAGNOSE_LIMIT: usize = 8 * 1024;

/// The `PE-Signature` value among request headers, the name compared
/// case-insensitively (PHP-FPM hands it over as `Pe-Signature`, Node in lower
/// case) and also in its CGI form `HTTP_PE_SIGNATURE` (PHP's `$_SERVER`).
pub fn find_signature<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    headers.into_iter().find_map(|(name, value)| {
        let name = name.strip_prefix("HTTP_").unwrap_or(name);
        let same = name.len() == SIGNATURE_HEADER.len()
            && name
                .bytes()
                .zip(SIGNATURE_HEADER.bytes())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b) || (a == b'_' && b == b'-'));
        same.then_some(value)
    })
}

/// How to get the raw body in common frameworks (used in hints and by bindings).
pub const RAW_BODY_HINT: &str = "verify the raw request bytes exactly as received, before any JSON parsing \
    (Django: request.body; Flask: request.get_data(); FastAPI: await request.body(); \
    Express: express.raw({type: 'application/json'}); PHP: file_get_contents('php://input'))";

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length")
}

/// `lowercase_hex(HMAC-SHA256(secret, body))`, as PagoEfectivo signs.
pub fn sign(body: &[u8], secret: &str) -> String {
    let mut m = mac(secret.as_bytes());
    m.update(body);
    hex::encode(m.finalize().into_bytes())
}

pub(crate) fn failure(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::SignatureVerificationFailed, message).with_reason(reason)
}

fn matches(body: &[u8], secret: &[u8], expected: &[u8]) -> bool {
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(expected).is_ok() // constant-time comparison
}

/// Checks `PE-Signature` over the raw body. The header may be upper-case hex
/// and surrounded by whitespace. Bodies over [`DEFAULT_MAX_BODY_BYTES`] are refused.
pub fn verify_signature(raw_body: &[u8], signature: Option<&str>, secret: &str) -> Result<(), Error> {
    verify_signature_within(raw_body, signature, secret, DEFAULT_MAX_BODY_BYTES)
}

/// [`verify_signature`] with another body limit.
pub fn verify_signature_within(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &str,
    max_body_bytes: usize,
) -> Result<(), Error> {
    if raw_body.len() > max_body_bytes {
        return Err(failure(
            reason::BODY_TOO_LARGE,
            format!("the notification body has {} bytes, more than the {max_body_bytes} accepted", raw_body.len()),
        )
        .with_hint("PagoEfectivo's notifications are a few hundred bytes; raise max_body_bytes only if yours are not"));
    }
    let sig = signature.map(str::trim).unwrap_or("");
    if sig.is_empty() {
        return Err(failure(
            reason::MISSING_SIGNATURE,
            format!("the {SIGNATURE_HEADER} header is missing or empty"),
        )
        .with_hint(
            "read the PE-Signature header of the incoming request (case-insensitively) and pass it unchanged",
        ));
    }
    let mut expected = [0u8; 32];
    if sig.len() != 64 || hex::decode_to_slice(sig, &mut expected).is_err() {
        return Err(failure(
            reason::MALFORMED_SIGNATURE,
            format!(
                "{SIGNATURE_HEADER} must be 64 hex characters, got {} characters",
                sig.chars().count().min(10_000)
            ),
        ));
    }
    if secret.is_empty() {
        return Err(Error::config("the webhook secret is empty"));
    }
    if matches(raw_body, secret.as_bytes(), &expected) {
        return Ok(());
    }
    Err(failure(reason::SIGNATURE_MISMATCH, "the signature does not match the body")
        .with_hint(mismatch_hint(raw_body, secret, &expected)))
}

/// Tries the usual mistakes, to tell which one was probably made. Only runs
/// on failure, and parses the (untrusted) body only when it is small: a forged
/// request must cost no more than its signature check.
fn mismatch_hint(body: &[u8], secret: &str, expected: &[u8]) -> String {
    let trimmed = secret.trim();
    if trimmed != secret && !trimmed.is_empty() && matches(body, trimmed.as_bytes(), expected) {
        return "the secret has leading or trailing whitespace (a newline from a file or env var?); strip it"
            .into();
    }
    let small = body.len() <= DIAGNOSE_LIMIT;
    if let Some(v) = small.then(|| serde_json::from_slice::<Value>(body).ok()).flatten() {
        let compact = serde_json::to_vec(&v).unwrap_or_default();
        if compact != body && matches(&compact, secret.as_bytes(), expected) {
            return format!("the body was re-formatted after it was received; {RAW_BODY_HINT}");
        }
        let text = String::from_utf8_lossy(body);
        if text.contains("\": ") || text.contains(", \"") || text.contains('\n') {
            return format!(
                "the body does not look like the compact JSON PagoEfectivo sends: was it parsed and re-serialized? {RAW_BODY_HINT}"
            );
        }
    }
    "check that the secret key is this environment's (sandbox and production keys differ) and that the body \
     is the raw bytes received"
        .into()
}

/// Verifies the signature over the raw bytes, then parses the body into an [`Event`].
pub fn verify(raw_body: &[u8], signature: Option<&str>, secret: &str) -> Result<Event, Error> {
    verify_within(raw_body, signature, secret, DEFAULT_MAX_BODY_BYTES)
}

/// [`verify`] with another body limit (`max_body_bytes`).
pub fn verify_within(
    raw_body: &[u8],
    signature: Option<&str>,
    secret: &str,
    max_body_bytes: usize,
) -> Result<Event, Error> {
    verify_signature_within(raw_body, signature, secret, max_body_bytes)?;
    parse_event(raw_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_BODY: &str = r#"{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05}}"#;
    const DOC_SIG: &str = "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9";

    #[test]
    fn the_signature_header_is_found_in_any_spelling() {
        for name in ["PE-Signature", "pe-signature", "Pe-Signature", "PE-SIGNATURE", "HTTP_PE_SIGNATURE"] {
            assert_eq!(find_signature([("Content-Type", "x"), (name, "abc")]), Some("abc"), "{name}");
        }
        assert_eq!(find_signature([("PE-Signatures", "x"), ("X-PE-Signature", "y")]), None);
    }

    #[test]
    fn known_answer_from_the_spec() {
        assert_eq!(DOC_BODY.len(), 107);
        assert_eq!(sign(DOC_BODY.as_bytes(), "test_secret"), DOC_SIG);
        let Event::CipPaid(p) = verify(DOC_BODY.as_bytes(), Some(DOC_SIG), "test_secret").unwrap() else {
            panic!("not cip.paid")
        };
        assert_eq!(
            (p.cip, p.amount.to_string(), p.operation_number.as_str()),
            (11546901, "22.05".into(), "1253")
        );
    }

    #[test]
    fn explains_padded_secret_and_reformatted_body() {
        let e = verify(DOC_BODY.as_bytes(), Some(DOC_SIG), "test_secret\n").unwrap_err();
        assert_eq!(e.reason(), Some(reason::SIGNATURE_MISMATCH));
        assert!(e.hint().unwrap().contains("whitespace"));
        let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Value>(DOC_BODY).unwrap()).unwrap();
        let e = verify(pretty.as_bytes(), Some(DOC_SIG), "test_secret").unwrap_err();
        assert!(e.hint().unwrap().contains("re-formatted"), "{:?}", e.hint());
        assert!(!e.to_string().contains("test_secret"));
    }

    #[test]
    fn valid_signature_on_garbage_is_malformed_body() {
        let body = b"not json";
        let e = verify(body, Some(&sign(body, "k")), "k").unwrap_err();
        assert_eq!(e.reason(), Some(reason::MALFORMED_BODY));
    }
}
