//! A loopback HTTP server that answers what it is told: the shapes the real API, a proxy or an
//! attacker could send (PascalCase envelopes, 204s, HTML pages, huge Retry-After, repeated
//! cursors, huge or dripping bodies). Raw TCP, so nothing is normalised on the way.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sent this many bytes at a time, `drip_pause` apart (0: all at once).
    pub drip: usize,
    pub drip_pause: Duration,
    /// Announce a Content-Length but close early (a body that never completes).
    pub truncate: bool,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            drip: 0,
            drip_pause: Duration::ZERO,
            truncate: false,
        }
    }
    pub fn html(status: u16, body: &str) -> Answer {
        let mut a = Answer::json(status, body);
        a.headers = vec![("Content-Type".into(), "text/html".into())];
        a
    }
    pub fn empty(status: u16) -> Answer {
        let mut a = Answer::json(status, "");
        a.headers.clear();
        a
    }
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn dripping(mut self, bytes: usize, pause: Duration) -> Answer {
        self.drip = bytes;
        self.drip_pause = pause;
        self
    }
}

/// A request as received: method, path (with query), body.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub body: Vec<u8>,
}

type Rule = (String, String, VecDeque<Answer>, Option<Answer>);

#[derive(Clone, Default)]
pub struct Hostile {
    rules: Arc<Mutex<Vec<Rule>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// The authorization answer every script starts from: a token valid for an hour.
pub fn token_answer() -> Answer {
    Answer::json(
        201,
        r#"{"code":100,"message":"Solicitud exitosa.","data":{"token":"t0k3n","codeService":"DEM",
        "tokenStart":"2026-01-01T00:00:00-05:00","tokenExpires":"2026-01-01T01:00:00-05:00"}}"#,
    )
}

impl Hostile {
    /// Starts on 127.0.0.1; authorizations succeed unless scripted otherwise.
    pub async fn start() -> (Hostile, String) {
        let h = Hostile::default();
        h.always("POST", "/v1/authorizations", token_answer());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}/v1/", listener.local_addr().expect("addr"));
        let server = h.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.serve(socket).await });
            }
        });
        (h, base)
    }

    /// Answers `method path…` with `answers` in turn (the prefix matches the path with its query).
    pub fn script(&self, method: &str, path_prefix: &str, answers: Vec<Answer>) {
        let mut rules = self.rules.lock().unwrap();
        rules.retain(|r| !(r.0 == method && r.1 == path_prefix));
        rules.insert(0, (method.into(), path_prefix.into(), answers.into(), None));
    }

    /// Answers `method path…` with `answer` every time.
    pub fn always(&self, method: &str, path_prefix: &str, answer: Answer) {
        let mut rules = self.rules.lock().unwrap();
        rules.retain(|r| !(r.0 == method && r.1 == path_prefix));
        rules.insert(0, (method.into(), path_prefix.into(), VecDeque::new(), Some(answer)));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str, path_prefix: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method && s.path.starts_with(path_prefix)).count()
    }

    fn next_answer(&self, method: &str, path: &str) -> Answer {
        let mut rules = self.rules.lock().unwrap();
        for (m, prefix, queue, always) in rules.iter_mut() {
            if m == method && path.starts_with(prefix.as_str()) {
                if let Some(a) = queue.pop_front() {
                    return a;
                }
                if let Some(a) = always {
                    return a.clone();
                }
            }
        }
        Answer::json(404, r#"{"code":"404","message":"Recurso no encontrado.","data":[]}"#)
    }

    async fn serve(&self, mut socket: TcpStream) {
        loop {
            let Some(seen) = read_request(&mut socket).await else { return };
            let answer = self.next_answer(&seen.method, &seen.path);
            self.seen.lock().unwrap().push(seen);
            if write_answer(&mut socket, &answer).await.is_err() || answer.truncate {
                return;
            }
        }
    }
}

async fn read_request(socket: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
            let len: usize = lines
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = socket.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[end + 4..end + 4 + len].to_vec();
            let path = path.trim_start_matches("/").to_owned();
            return Some(Seen { method, path: format!("/{path}"), body });
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn write_answer(socket: &mut TcpStream, a: &Answer) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", a.status);
    for (k, v) in &a.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if a.status != 204 {
        let announced = if a.truncate { a.body.len() * 2 + 10 } else { a.body.len() };
        head.push_str(&format!("Content-Length: {announced}\r\n"));
    }
    head.push_str("\r\n");
    socket.write_all(head.as_bytes()).await?;
    if a.drip == 0 {
        socket.write_all(&a.body).await?;
    } else {
        for piece in a.body.chunks(a.drip) {
            socket.write_all(piece).await?;
            socket.flush().await?;
            tokio::time::sleep(a.drip_pause).await;
        }
    }
    socket.flush().await
}

/// A client config for a hostile server at `base`, fast retries.
pub fn config(base: &str) -> pagoefectivo::ConfigBuilder {
    pagoefectivo::Config::builder()
        .base_url(base)
        .access_key("ACCESSKEY00000000000")
        .secret_key("SECRETKEY0000000000000000000000000000000")
        .id_service(1234)
        .request_timeout(Duration::from_secs(2))
        .total_timeout(Duration::from_secs(6))
        .retry(pagoefectivo::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
}
