//! The HTTP request of one attempt: the call's method and URL under the base URL, its headers and body.

use bytes::Bytes;
use http::header::{ACCEPT, ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, ORIGIN};
use http::{Request, Uri};
use http_body_util::Full;

use crate::call::Call;
use crate::error::{Error, ErrorCode};
use crate::http_client::HttpClient;
use crate::secret::Secret;

/// The base URL, parsed once per client: its URI (the proxy route looks at its scheme and host)
/// and `scheme://authority/path` (the path's trailing `/` kept) that every call's path follows.
#[derive(Clone)]
pub(crate) struct Base {
    pub uri: Uri,
    prefix: String,
}

impl Base {
    pub fn parse(base_url: &str) -> Result<Base, Error> {
        let bad =
            |e: &dyn std::fmt::Display| Error::config(format!("the base URL {base_url:?} is not a URL: {e}"));
        let uri = base_url.parse::<Uri>().map_err(|e| bad(&e))?;
        let prefix = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme), Some(authority)) => format!("{scheme}://{authority}{}", uri.path()),
            _ => return Err(bad(&"it needs a scheme and a host")),
        };
        Ok(Base { uri, prefix })
    }

    /// The base URL with `path` (and its `?query`) after the base's own path.
    pub fn url(&self, path: &str) -> Result<Uri, Error> {
        let base = &self.prefix;
        Uri::try_from(format!("{base}{path}"))
            .map_err(|e| Error::config(format!("{path:?} does not make a URL after {base:?}: {e}")))
    }
}

/// The request of one attempt of `call`: its method and URL, this client's fixed headers, the
/// API's (`Accept`, `Accept-Language`, `Origin: web`), the request id, the token and the body.
pub(crate) fn build(
    client: &HttpClient,
    base: &Base,
    language: &'static str,
    call: &Call<'_>,
    body: Option<&Bytes>,
    token: Option<&Secret>,
    request_id: &str,
) -> Result<Request<Full<Bytes>>, Error> {
    let mut req = Request::new(Full::new(body.cloned().unwrap_or_default()));
    *req.method_mut() = call.method.clone();
    *req.uri_mut() = base.url(&call.path)?;
    let headers = req.headers_mut();
    headers.reserve(8 + call.headers.len());
    client.add_fixed(headers);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(language));
    headers.insert(ORIGIN, HeaderValue::from_static("web"));
    let unsendable =
        |what: &str| Error::new(ErrorCode::MalformedResponse, format!("{what} cannot be sent in a header"));
    let id = HeaderValue::from_str(request_id).map_err(|_| unsendable("the request id"))?;
    headers.insert(HeaderName::from_static("x-request-id"), id);
    if let Some(t) = token {
        let mut bearer = HeaderValue::try_from(format!("Bearer {}", t.expose()))
            .map_err(|_| unsendable("the token PagoEfectivo issued"))?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
    }
    for (name, value) in &call.headers {
        let value = HeaderValue::from_str(value).map_err(|_| unsendable(name))?;
        headers.append(HeaderName::from_bytes(name.as_bytes()).map_err(|_| unsendable(name))?, value);
    }
    if body.is_some() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Ok(req)
}
