//! How a connection reaches the API: directly, through a proxy's CONNECT tunnel, or to a forwarding proxy.

use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{HeaderValue, Uri};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::error::Error;

pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

/// The way every connection of one client goes (its base URL is fixed, so this is decided once).
#[derive(Clone)]
pub(crate) enum Route {
    Direct(HttpConnector),
    /// HTTPS through a proxy: `CONNECT host:port`, then TLS end to end.
    Tunnel(Tunnel<HttpConnector>),
    /// Plain HTTP through a proxy: the proxy is the peer and requests carry absolute URLs.
    Forward {
        tcp: HttpConnector,
        proxy: Uri,
    },
}

/// A route and the `Proxy-Authorization` its requests carry (a forwarding proxy's credentials).
pub(crate) struct Chosen {
    pub route: Route,
    pub request_auth: Option<HeaderValue>,
}

/// The route to `base`: through `proxy` if given, else through the environment's (curl's
/// variables, as reqwest read them), unless `no_proxy` (else `NO_PROXY`) names its host.
pub(crate) fn choose(
    tcp: HttpConnector,
    base: &Uri,
    proxy: Option<&str>,
    no_proxy: Option<&str>,
) -> Result<Chosen, Error> {
    let bad = || Error::config("proxy is not a usable proxy URL");
    let probe = Uri::builder()
        .scheme(base.scheme_str().unwrap_or("https"))
        .authority(base.host().ok_or_else(bad)?)
        .path_and_query("/")
        .build()
        .map_err(|_| bad())?;
    let no = match no_proxy {
        Some(list) => list.to_owned(),
        None => env_first(&["NO_PROXY", "no_proxy"]),
    };
    let intercept = match proxy {
        Some(proxy) => {
            // The matcher ignores what it cannot parse: a proxy it would never use is a configuration error.
            let unfiltered = Matcher::builder().http(proxy).build();
            if unfiltered.intercept(&Uri::from_static("http://api.invalid/")).is_none() {
                return Err(bad());
            }
            Matcher::builder().http(proxy).https(proxy).no(no).build().intercept(&probe)
        }
        // A CGI process's environment is partly its request's (httpoxy): its proxies are not trusted.
        None if std::env::var_os("REQUEST_METHOD").is_some() => None,
        None => Matcher::builder()
            .all(env_first(&["ALL_PROXY", "all_proxy"]))
            .http(env_first(&["HTTP_PROXY", "http_proxy"]))
            .https(env_first(&["HTTPS_PROXY", "https_proxy"]))
            .no(no)
            .build()
            .intercept(&probe)
            .filter(|i| {
                let http = i.uri().scheme_str().is_some_and(|s| s.eq_ignore_ascii_case("http"));
                if !http {
                    tracing::warn!(target: "pagoefectivo", proxy = %i.uri(),
                        "the environment's proxy is not http://: calls go direct (set the proxy option)");
                }
                http
            }),
    };
    let Some(intercept) = intercept else {
        return Ok(Chosen { route: Route::Direct(tcp), request_auth: None });
    };
    let auth = intercept.basic_auth().cloned();
    if base.scheme_str() == Some("https") {
        let mut tunnel = Tunnel::new(intercept.uri().clone(), tcp);
        if let Some(a) = auth {
            tunnel = tunnel.with_auth(a);
        }
        return Ok(Chosen { route: Route::Tunnel(tunnel), request_auth: None });
    }
    Ok(Chosen { route: Route::Forward { tcp, proxy: intercept.uri().clone() }, request_auth: auth })
}

fn env_first(names: &[&str]) -> String {
    names.iter().find_map(|n| std::env::var(n).ok()).unwrap_or_default()
}

type Connecting = Pin<Box<dyn Future<Output = Result<Hop, BoxError>> + Send>>;

impl Service<Uri> for Route {
    type Response = Hop;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match self {
            Route::Direct(tcp) | Route::Forward { tcp, .. } => tcp.poll_ready(cx).map_err(Into::into),
            Route::Tunnel(t) => t.poll_ready(cx).map_err(Into::into),
        }
    }

    fn call(&mut self, dst: Uri) -> Connecting {
        match self {
            Route::Direct(tcp) => {
                let connecting = tcp.call(dst);
                Box::pin(async move { Ok(Hop { io: connecting.await?, forward: false }) })
            }
            Route::Forward { tcp, proxy } => {
                let connecting = tcp.call(proxy.clone());
                Box::pin(async move { Ok(Hop { io: connecting.await?, forward: true }) })
            }
            Route::Tunnel(t) => {
                let connecting = t.call(dst);
                Box::pin(async move {
                    // Its text says which step failed ("tunnel error: proxy authorization required").
                    let io = connecting.await?;
                    Ok(Hop { io, forward: false })
                })
            }
        }
    }
}

/// An error and its causes in one line, each said once.
pub(crate) fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

/// One TCP connection, and whether its peer is a forwarding proxy (so requests use absolute URLs).
pub(crate) struct Hop {
    io: TokioIo<TcpStream>,
    forward: bool,
}

impl Connection for Hop {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forward)
    }
}

impl Read for Hop {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for Hop {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}
