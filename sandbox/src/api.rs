//! The `/v1` front door: routing, request counting, faults, then the endpoint.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;

use crate::auth;
use crate::cips;
use crate::control_http;
use crate::fault::{self, Endpoint};
use crate::refunds;
use crate::state::Shared;
use crate::voucher;
use crate::wire;

/// A request's destination, decided once from method and path. Paths match
/// case-insensitively and tolerate one trailing slash, like ASP.NET routing.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    Authorizations,
    CipsCreate,
    CipsSearch,
    CipsExtend(&'a str),
    CipsDelete(&'a str),
    RefundsCreate,
    RefundsList,
    RefundsGet(&'a str),
    MethodNotAllowed(&'static str),
    NotFound,
}

impl<'a> Route<'a> {
    fn parse(method: &Method, path: &'a str) -> Route<'a> {
        let Some(rest) = path.get(..4).filter(|p| p.eq_ignore_ascii_case("/v1/")).and_then(|_| path.get(4..))
        else {
            return Route::NotFound;
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let mut segments = rest.split('/');
        let is = |s: &str, name: &str| s.eq_ignore_ascii_case(name);
        let post_only = |route| {
            if method == Method::POST { route } else { Route::MethodNotAllowed("POST") }
        };
        match (segments.next(), segments.next(), segments.next()) {
            (Some(a), None, _) if is(a, "authorizations") => post_only(Route::Authorizations),
            (Some(a), None, _) if is(a, "cips") => post_only(Route::CipsCreate),
            (Some(a), Some(b), None) if is(a, "cips") && is(b, "search") => post_only(Route::CipsSearch),
            (Some(a), None, _) if is(a, "refunds") => match *method {
                Method::POST => Route::RefundsCreate,
                Method::GET => Route::RefundsList,
                _ => Route::MethodNotAllowed("GET, POST"),
            },
            (Some(a), Some(id), None) if is(a, "refunds") && !id.is_empty() => match *method {
                Method::GET => Route::RefundsGet(id),
                _ => Route::MethodNotAllowed("GET"),
            },
            (Some(a), Some(cip), None) if is(a, "cips") && !cip.is_empty() => match *method {
                Method::PATCH => Route::CipsExtend(cip),
                Method::DELETE => Route::CipsDelete(cip),
                _ => Route::MethodNotAllowed("PATCH, DELETE"),
            },
            _ => Route::NotFound,
        }
    }

    fn endpoint(&self) -> Option<Endpoint> {
        match self {
            Route::Authorizations => Some(Endpoint::Authorizations),
            Route::CipsCreate => Some(Endpoint::CipsCreate),
            Route::CipsSearch => Some(Endpoint::CipsSearch),
            Route::CipsExtend(_) => Some(Endpoint::CipsExtend),
            Route::CipsDelete(_) => Some(Endpoint::CipsDelete),
            Route::RefundsCreate => Some(Endpoint::RefundsCreate),
            Route::RefundsList | Route::RefundsGet(_) => Some(Endpoint::RefundsGet),
            Route::MethodNotAllowed(_) | Route::NotFound => None,
        }
    }

    fn run(&self, shared: &Shared, headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Response {
        match self {
            Route::NotFound => {
                return wire::error(StatusCode::NOT_FOUND, "404", "Recurso no encontrado.");
            }
            Route::MethodNotAllowed(allow) => {
                let mut response = wire::error(StatusCode::METHOD_NOT_ALLOWED, "405", "Método no permitido.");
                response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
                return response;
            }
            Route::Authorizations => return auth::authorizations(shared, body),
            _ => {}
        }
        let Some(service) = auth::authorize(shared, headers) else {
            return wire::token_invalid();
        };
        match self {
            Route::CipsCreate => cips::create(shared, service, body),
            Route::CipsSearch => cips::search(shared, service, body),
            Route::CipsExtend(cip) => cips::extend(shared, service, cip, body),
            Route::CipsDelete(cip) => cips::delete(shared, service, cip),
            Route::RefundsCreate => refunds::create(shared, service, headers, body),
            Route::RefundsList => refunds::list(shared, service, query),
            Route::RefundsGet(id) => refunds::get(shared, service, id),
            _ => wire::token_invalid(),
        }
    }
}

/// The router's fallback: every path that is not a control route (API calls and voucher pages).
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    if path.starts_with("/_sandbox") {
        return control_http::problem(StatusCode::NOT_FOUND, format!("no control route {path}"));
    }
    if let (&Method::GET, Some(guid)) = (&method, voucher::guid_of(path)) {
        return voucher::page(&shared, guid, &headers, uri.query());
    }
    let route = Route::parse(&method, path);
    let endpoint = route.endpoint();
    shared.counters.hit(Endpoint::Any);
    if let Some(endpoint) = endpoint {
        shared.counters.hit(endpoint);
    }
    fault::answer(&shared, endpoint, || route.run(&shared, &headers, uri.query(), &body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let r = |m: Method, p: &'static str| Route::parse(&m, p);
        assert_eq!(r(Method::POST, "/v1/authorizations"), Route::Authorizations);
        assert_eq!(r(Method::POST, "/V1/Authorizations/"), Route::Authorizations);
        assert_eq!(r(Method::POST, "/v1/cips"), Route::CipsCreate);
        assert_eq!(r(Method::POST, "/v1/cips/search"), Route::CipsSearch);
        assert_eq!(r(Method::PATCH, "/v1/cips/search"), Route::MethodNotAllowed("POST"));
        assert_eq!(r(Method::PATCH, "/v1/cips/123"), Route::CipsExtend("123"));
        assert_eq!(r(Method::DELETE, "/v1/cips/123"), Route::CipsDelete("123"));
        assert_eq!(r(Method::GET, "/v1/cips/123"), Route::MethodNotAllowed("PATCH, DELETE"));
        assert_eq!(r(Method::GET, "/v1/cips"), Route::MethodNotAllowed("POST"));
        assert_eq!(r(Method::POST, "/v1/refunds"), Route::RefundsCreate);
        assert_eq!(r(Method::GET, "/v1/refunds"), Route::RefundsList);
        assert_eq!(r(Method::GET, "/v1/Refunds/RFD1/"), Route::RefundsGet("RFD1"));
        assert_eq!(r(Method::DELETE, "/v1/refunds/RFD1"), Route::MethodNotAllowed("GET"));
        assert_eq!(r(Method::POST, "/v1/reports"), Route::NotFound);
        assert_eq!(r(Method::POST, "/v1/cips/1/2"), Route::NotFound);
        assert_eq!(r(Method::POST, "/v2/cips"), Route::NotFound);
        assert_eq!(r(Method::POST, "/v1"), Route::NotFound);
        assert_eq!(r(Method::POST, "/"), Route::NotFound);
        assert_eq!(r(Method::POST, "/v1/ñ"), Route::NotFound);
        assert_eq!(r(Method::POST, "/ñv1/"), Route::NotFound);
    }
}
