//! How one HTTP attempt ended, and what that means: success, a final typed error, or a retry.

use std::time::Duration;

use crate::call::{Call, Data, Expect, Failure, Idempotency};
use crate::envelope;
use crate::error::{Error, ErrorCode};
use crate::http_client::HttpError;
use http::StatusCode;

/// How one attempt ended, before deciding what to do next.
pub(crate) enum Attempt {
    Answer {
        status: u16,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    /// The answer was longer than `max_response_bytes`: read no further.
    Oversized {
        status: u16,
        limit: usize,
    },
    /// Nothing reached the server: always safe to resend.
    NotSent(HttpError),
    /// The request may have been processed.
    NoAnswer {
        timed_out: bool,
        error: HttpError,
    },
    /// The SDK could not even build the request.
    Broken(Error),
}

pub(crate) enum Verdict {
    Done(Result<Data, Failure>),
    /// A retryable failure and the server's `Retry-After`, if any.
    Retry(Error, Option<Duration>),
}

fn done(e: Error) -> Verdict {
    Verdict::Done(Err(Failure::Final(e)))
}

/// The `outcome_unknown` error of a creation that may have happened: the one
/// outcome a caller must not mistake for "nothing was created".
pub(crate) fn outcome_unknown(transaction_code: Option<&str>, status: Option<u16>, detail: &str) -> Error {
    let tc = transaction_code.unwrap_or("?");
    let mut e = Error::new(
        ErrorCode::OutcomeUnknown,
        format!(
            "the CIP creation for transactionCode {tc:?} was sent but {detail}: a CIP may or may not \
             have been created. It was not retried, because PagoEfectivo accepts duplicate \
             transactionCodes and a retry could create a second CIP"
        ),
    )
    .with_transaction_code(tc)
    .with_hint(
        "do not show any code to the shopper for this attempt; create again only once you accept \
         that an unpaid orphan CIP may exist (it expires on its own), or reconcile first",
    );
    if let Some(s) = status {
        e = e.with_http_status(s);
    }
    e
}

/// Whether a TLS failure is about trust (a certificate), which no retry can fix.
fn is_certificate_problem(e: &HttpError) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        let text = s.to_string().to_ascii_lowercase();
        if text.contains("certificate") || text.contains("unknownissuer") || text.contains("invalid peer") {
            return true;
        }
        source = s.source();
    }
    false
}

fn not_sent(e: HttpError) -> Verdict {
    if is_certificate_problem(&e) {
        return done(
            Error::new(
                ErrorCode::ConnectionError,
                format!("the server's TLS certificate is not trusted: {e}"),
            )
            .with_reason("untrusted_certificate")
            .with_hint(
                "a proxy that inspects TLS presents its own certificate: give its CA with the \
                     ca_file option (PEM); otherwise check the base URL and the system clock",
            )
            .with_source(e),
        );
    }
    Verdict::Retry(
        Error::new(ErrorCode::ConnectionError, format!("cannot connect to PagoEfectivo: {e}")).with_source(e),
        None,
    )
}

/// Decides what an attempt means: done (success or final error) or retry.
pub(crate) fn decide(call: &Call<'_>, outcome: Attempt) -> Verdict {
    let safe = call.idempotency == Idempotency::Safe;
    let unknown = |status, detail: &str| outcome_unknown(call.transaction_code, status, detail);
    match outcome {
        Attempt::Broken(e) => done(e),
        Attempt::NotSent(e) => not_sent(e),
        Attempt::NoAnswer { timed_out, error } if safe => {
            let code = if timed_out { ErrorCode::Timeout } else { ErrorCode::ConnectionError };
            let what = if timed_out { "no answer in time" } else { "the connection broke" };
            Verdict::Retry(Error::new(code, format!("{what}: {error}")).with_source(error), None)
        }
        Attempt::NoAnswer { timed_out, error } => {
            let detail =
                if timed_out { "no answer came in time" } else { "the connection broke before the answer" };
            done(unknown(None, detail).with_source(error))
        }
        Attempt::Oversized { status, limit } if safe => done(
            Error::new(
                ErrorCode::MalformedResponse,
                format!("HTTP {status} answer is longer than max_response_bytes ({limit}); it was not read"),
            )
            .with_http_status(status),
        ),
        Attempt::Oversized { status, limit } => {
            done(unknown(Some(status), &format!("its answer was longer than {limit} bytes and was not read")))
        }
        Attempt::Answer { status, retry_after, body } => answer(call, status, retry_after, &body),
    }
}

fn answer(call: &Call<'_>, status: u16, retry_after: Option<Duration>, body: &[u8]) -> Verdict {
    let safe = call.idempotency == Idempotency::Safe;
    let env = envelope::parse(body);
    if (200..300).contains(&status) {
        return match env {
            Some(env) if env.is_success() => Verdict::Done(Ok(Data(env.data))),
            // A failure code in a 2xx envelope is that failure (nothing was created).
            Some(env) => done(envelope::to_error(status, Some(&env), body)),
            None if call.expect == Expect::Acknowledgement
                && (status == 204 || body.iter().all(u8::is_ascii_whitespace)) =>
            {
                Verdict::Done(Ok(Data::default()))
            }
            None if safe => done(
                Error::new(
                    ErrorCode::MalformedResponse,
                    format!("HTTP {status} answer is not the JSON envelope"),
                )
                .with_http_status(status)
                .retryable(true),
            ),
            None => {
                done(outcome_unknown(call.transaction_code, Some(status), "its answer could not be read"))
            }
        };
    }
    let err = envelope::to_error(status, env.as_ref(), body);
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if code == StatusCode::UNAUTHORIZED {
        return Verdict::Done(Err(Failure::Unauthorized(err)));
    }
    // 429 and 503 say "not processed"; other 5xx may have been processed.
    let not_processed = matches!(status, 429 | 503);
    if not_processed || (safe && code.is_server_error()) {
        return Verdict::Retry(err, retry_after);
    }
    if code.is_server_error() {
        let e = outcome_unknown(
            call.transaction_code,
            Some(status),
            &format!("PagoEfectivo answered HTTP {status}"),
        )
        .with_pe(err.pe_code().map(Into::into), err.pe_message().map(Into::into));
        return done(e);
    }
    done(err)
}
