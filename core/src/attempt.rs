//! What one HTTP attempt's outcome means: success, a final typed error, or a retry.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::envelope::{self, Envelope, SUCCESS};
use crate::error::{Error, ErrorCode};
use crate::transport::{Call, Failure, Idempotency};

/// How one attempt ended, before deciding what to do next.
pub(crate) enum Attempt {
    Answer {
        status: u16,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    /// Nothing reached the server: always safe to resend.
    NotSent(reqwest::Error),
    /// The request may have been processed.
    NoAnswer {
        timed_out: bool,
        error: reqwest::Error,
    },
    /// The SDK could not even build the request.
    Broken(Error),
}

pub(crate) enum Verdict {
    Done(Result<Value, Failure>),
    /// A retryable failure and the server's `Retry-After`, if any.
    Retry(Error, Option<Duration>),
}

/// Decides what an attempt means: done (success or final error) or retry.
pub(crate) fn judge(call: &Call<'_>, outcome: Attempt) -> Verdict {
    let safe = call.idempotency == Idempotency::Safe;
    let unknown = |status: Option<u16>, detail: String| {
        let tc = call.transaction_code.unwrap_or("?");
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
    };
    match outcome {
        Attempt::Broken(e) => Verdict::Done(Err(Failure::Final(e))),
        Attempt::NotSent(e) => Verdict::Retry(
            Error::new(ErrorCode::ConnectionError, format!("cannot connect to PagoEfectivo: {e}"))
                .with_source(e),
            None,
        ),
        Attempt::NoAnswer { timed_out, error } if safe => {
            let code = if timed_out { ErrorCode::Timeout } else { ErrorCode::ConnectionError };
            let what = if timed_out { "no answer in time" } else { "the connection broke" };
            Verdict::Retry(Error::new(code, format!("{what}: {error}")).with_source(error), None)
        }
        Attempt::NoAnswer { timed_out, error } => {
            let detail =
                if timed_out { "no answer came in time" } else { "the connection broke before the answer" };
            Verdict::Done(Err(Failure::Final(unknown(None, detail.into()).with_source(error))))
        }
        Attempt::Answer { status, retry_after, body } => {
            let env = envelope::parse(&body);
            let ok_status = (200..300).contains(&status);
            if ok_status {
                return match env {
                    Some(Envelope { code, data, .. }) if code.as_deref().is_none_or(|c| c == SUCCESS) => {
                        Verdict::Done(Ok(data))
                    }
                    Some(env) => Verdict::Done(Err(Failure::Final(envelope::to_error(status, Some(&env))))),
                    None if safe => Verdict::Done(Err(Failure::Final(
                        Error::new(
                            ErrorCode::MalformedResponse,
                            format!("HTTP {status} answer is not the JSON envelope"),
                        )
                        .with_http_status(status)
                        .retryable(true),
                    ))),
                    None => Verdict::Done(Err(Failure::Final(unknown(
                        Some(status),
                        "its answer could not be read".into(),
                    )))),
                };
            }
            let err = envelope::to_error(status, env.as_ref());
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
                let detail = format!("PagoEfectivo answered HTTP {status}");
                let e = unknown(Some(status), detail)
                    .with_pe(err.pe_code().map(Into::into), err.pe_message().map(Into::into));
                return Verdict::Done(Err(Failure::Final(e)));
            }
            Verdict::Done(Err(Failure::Final(err)))
        }
    }
}
