//! One notification POST with the header spelling PagoEfectivo uses on the wire (`PE-Signature`).
//!
//! HTTP header names are case-insensitive, but merchant code is not always:
//! PagoEfectivo's own PHP kit reads `getallheaders()['PE-Signature']`. hyper
//! (and so reqwest) writes every header name in lower case, so plain-HTTP
//! deliveries are written by hand here, byte for byte. HTTPS receivers (only
//! with `allow_non_loopback_webhooks`) go through reqwest, whose names are lower case.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sent with every notification, as a real notifier announces itself.
pub(crate) const USER_AGENT: &str =
    concat!("PagoEfectivo-Notifier/1.0 (pagoefectivo-sandbox ", env!("CARGO_PKG_VERSION"), ")");

/// How much of an answer's head is read before giving up on it.
const MAX_HEAD: usize = 64 * 1024;
/// How much of an answer's body is kept, for the dashboard (a merchant's "ok" or "duplicate").
pub(crate) const KEPT_BODY: usize = 300;

/// What the receiver answered.
pub(crate) struct Answered {
    pub status: u16,
    /// The start of the body, lossily decoded.
    pub body: String,
}

/// POSTs `body` to `url` and returns the answer's status and the start of its body, or why there was none.
pub(crate) async fn post(
    client: &reqwest::Client,
    url: &reqwest::Url,
    body: &str,
    signature: &str,
    timeout: Duration,
) -> Result<Answered, String> {
    if url.scheme() == "https" {
        return post_tls(client, url, body, signature).await;
    }
    match tokio::time::timeout(timeout, post_plain(url, body, signature)).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {timeout:?}")),
    }
}

/// The request head, exactly as PagoEfectivo spells it.
pub(crate) fn request_head(url: &reqwest::Url, body_len: usize, signature: &str) -> String {
    let host = match (url.host_str().unwrap_or("localhost"), url.port()) {
        (h, Some(p)) => format!("{h}:{p}"),
        (h, None) => h.to_owned(),
    };
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    format!(
        "POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {body_len}\r\nPE-Signature: {signature}\r\nUser-Agent: {USER_AGENT}\r\n\
         Connection: close\r\n\r\n"
    )
}

async fn post_plain(url: &reqwest::Url, body: &str, signature: &str) -> Result<Answered, String> {
    let host = url.host_str().ok_or("notification url has no host")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(80);
    let mut stream = TcpStream::connect((host, port)).await.map_err(|e| format!("cannot connect: {e}"))?;
    let mut request = request_head(url, body.len(), signature).into_bytes();
    request.extend_from_slice(body.as_bytes());
    stream.write_all(&request).await.map_err(|e| format!("cannot send: {e}"))?;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|e| format!("connection broke: {e}"))?;
        if n == 0 {
            return Err("the connection closed before an answer".into());
        }
        head.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&head) {
            Ok(httparse::Status::Complete(len)) => {
                let status = response.code.ok_or("an answer without a status")?;
                let announced = response
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse::<usize>().ok())
                    .unwrap_or(KEPT_BODY);
                let mut kept = head[len..].to_vec();
                // The status is the answer; the start of the body is read only while it comes quickly.
                while kept.len() < announced.min(KEPT_BODY) {
                    let more =
                        tokio::time::timeout(Duration::from_millis(200), stream.read(&mut chunk)).await;
                    match more {
                        Ok(Ok(n)) if n > 0 => kept.extend_from_slice(&chunk[..n]),
                        _ => break,
                    }
                }
                kept.truncate(announced.min(KEPT_BODY));
                return Ok(Answered { status, body: String::from_utf8_lossy(&kept).into_owned() });
            }
            Ok(httparse::Status::Partial) if head.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => return Err("the answer's head is too long".into()),
            Err(e) => return Err(format!("not an HTTP answer: {e}")),
        }
    }
}

async fn post_tls(
    client: &reqwest::Client,
    url: &reqwest::Url,
    body: &str,
    signature: &str,
) -> Result<Answered, String> {
    let sent = client
        .post(url.clone())
        .header("Content-Type", "application/json")
        .header("PE-Signature", signature)
        .header("User-Agent", USER_AGENT)
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| error_chain(&e))?;
    let status = sent.status().as_u16();
    let body = sent.bytes().await.unwrap_or_default();
    let kept = &body[..body.len().min(KEPT_BODY)];
    Ok(Answered { status, body: String::from_utf8_lossy(kept).into_owned() })
}

pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_spells_headers_as_pagoefectivo_does() {
        let url = reqwest::Url::parse("http://127.0.0.1:8000/webhooks/pe?store=1").expect("url");
        let head = request_head(&url, 107, "ab12");
        assert!(head.starts_with("POST /webhooks/pe?store=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"), "{head}");
        for line in [
            "\r\nContent-Type: application/json\r\n",
            "\r\nPE-Signature: ab12\r\n",
            "\r\nContent-Length: 107\r\n",
        ] {
            assert!(head.contains(line), "{line:?} in {head}");
        }
        assert!(head.contains("\r\nUser-Agent: PagoEfectivo-Notifier/1.0"));
        assert!(head.ends_with("\r\n\r\n"));
    }
}
