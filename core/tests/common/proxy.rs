//! A proxy on loopback for the proxy tests: CONNECT tunnels and absolute-form forwarding.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a proxy saw: each connection's first request line and its `Proxy-Authorization`.
pub type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A proxy on loopback: CONNECT tunnels and absolute-form forwarding, recording each
/// connection's first request line and its `Proxy-Authorization`; with `password` set, a request
/// without `alice:password` gets a 407.
pub async fn proxy(password: Option<&'static str>) -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let Some(head) = read_head(&mut socket).await else { return };
                let text = String::from_utf8_lossy(&head).into_owned();
                let line = text.lines().next().unwrap_or_default().to_owned();
                let auth = text.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("proxy-authorization").then(|| value.trim().to_owned())
                });
                log.lock().unwrap().push((line.clone(), auth.clone()));
                if let Some(p) = password {
                    let expected = format!("Basic {}", base64_of(&format!("alice:{p}")));
                    if auth.as_deref() != Some(expected.as_str()) {
                        let _ = socket.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n").await;
                        return;
                    }
                }
                let mut parts = line.split(' ');
                let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
                if method == "CONNECT" {
                    let Ok(mut upstream) = TcpStream::connect(target).await else { return };
                    if socket.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_ok() {
                        let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
                    }
                    return;
                }
                // Forwarding: the absolute URL names the server; its head goes on unchanged.
                let Some(host) = target.strip_prefix("http://").and_then(|r| r.split('/').next()) else {
                    let _ = socket.write_all(b"HTTP/1.1 400 Absolute URL expected\r\n\r\n").await;
                    return;
                };
                let Ok(mut upstream) = TcpStream::connect(host).await else { return };
                if upstream.write_all(&head).await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
                }
            });
        }
    });
    (port, seen)
}

/// A request's head, byte by byte up to its blank line (nothing of the body is read); `None` at EOF.
pub async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(head)
}

/// Standard base64, for the expected `Basic` credentials.
pub fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}
