//! One notification POST with the header spelling PagoEfectivo uses on the wire (`PE-Signature`).
//!
//! HTTP header names are case-insensitive, but merchant code is not always:
//! PagoEfectivo's own PHP kit reads `getallheaders()['PE-Signature']`. hyper
//! writes every header name in lower case, so deliveries are written by hand
//! here, byte for byte, over plain TCP or over rustls for an HTTPS receiver.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

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
    tls: &ReceiverTls,
    url: &Url,
    body: &str,
    signature: &str,
    timeout: Duration,
) -> Result<Answered, String> {
    match tokio::time::timeout(timeout, connect_and_post(tls, url, body, signature)).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {timeout:?}")),
    }
}

async fn connect_and_post(
    tls: &ReceiverTls,
    url: &Url,
    body: &str,
    signature: &str,
) -> Result<Answered, String> {
    let host = url.host_str().ok_or("notification url has no host")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(80);
    let stream = TcpStream::connect((host, port)).await.map_err(|e| format!("cannot connect: {e}"))?;
    if url.scheme() != "https" {
        return post_over(stream, url, body, signature).await;
    }
    let name = ServerName::try_from(host.to_owned()).map_err(|e| format!("not a TLS server name: {e}"))?;
    let stream = tokio_rustls::TlsConnector::from(tls.config()?)
        .connect(name, stream)
        .await
        .map_err(|e| format!("TLS handshake failed: {}", error_chain(&e)))?;
    post_over(stream, url, body, signature).await
}

/// TLS for HTTPS receivers, made at the first HTTPS delivery (reading the system store takes
/// milliseconds every sandbox would pay): the system's roots, Mozilla's where it has none, and
/// the PEM certificates of `ca_file` (mkcert's, for a local HTTPS receiver).
pub(crate) struct ReceiverTls {
    ca_file: Option<PathBuf>,
    made: OnceLock<Result<Arc<rustls::ClientConfig>, String>>,
}

impl ReceiverTls {
    pub fn new(ca_file: Option<PathBuf>) -> ReceiverTls {
        ReceiverTls { ca_file, made: OnceLock::new() }
    }

    fn config(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        self.made.get_or_init(|| receiver_tls(self.ca_file.as_deref())).clone()
    }
}

fn receiver_tls(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    let system = rustls_native_certs::load_native_certs().certs;
    let (added, _) = roots.add_parsable_certificates(system);
    if added == 0 {
        roots.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
    }
    if let Some(path) = ca_file {
        let extra = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("cannot read webhook_ca_file {}: {e}", path.display()))?;
        roots.add_parsable_certificates(extra);
    }
    let config =
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The request head, exactly as PagoEfectivo spells it.
pub(crate) fn request_head(url: &Url, body_len: usize, signature: &str) -> String {
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

async fn post_over<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    url: &Url,
    body: &str,
    signature: &str,
) -> Result<Answered, String> {
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
        let url = Url::parse("http://127.0.0.1:8000/webhooks/pe?store=1").expect("url");
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
