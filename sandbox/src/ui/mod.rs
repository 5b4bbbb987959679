//! The sandbox's dashboard at `/_sandbox/ui`: a page over the control API, nothing it could not do itself.
//!
//! Server-sent static files (no build chain, no external request): the page
//! polls `GET /_sandbox/state` and every button calls the same control routes
//! the tests use (pay, expire, delete, extend, replay, refunds, clock, faults).

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::Shared;

const HTML: &str = include_str!("dashboard.html");
const SCRIPT: &str = include_str!("dashboard.js");
const STYLE: &str = include_str!("dashboard.css");

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/_sandbox/ui",
            get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], HTML).into_response() }),
        )
        .route(
            "/_sandbox/ui/app.js",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT).into_response()
            }),
        )
        .route(
            "/_sandbox/ui/app.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response() }),
        )
}
