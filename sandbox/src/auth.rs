//! Authentication: the `hashString` check, HS256 tokens, and `POST /v1/authorizations`.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::clock;
use crate::config::Service;
use crate::state::{Shared, guid};
use crate::wire::{self, FieldError};

type HmacSha256 = Hmac<Sha256>;

/// `lowercase_hex(SHA-256(idService.accessKey.secretKey.dateRequest))`, plain SHA-256 by the spec.
pub(crate) fn hash_string(id_service: u32, access_key: &str, secret_key: &str, date: &str) -> String {
    let text = format!("{id_service}.{access_key}.{secret_key}.{date}");
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[derive(Serialize)]
struct Header {
    alg: &'static str,
    typ: &'static str,
}

#[derive(Serialize)]
struct IssuedClaims<'a> {
    sub: &'a str,
    jti: &'a str,
    nameid: String,
    exp: i64,
}

/// Only what verification needs; other claims are ignored.
#[derive(Deserialize)]
struct Claims {
    nameid: String,
    exp: i64,
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail; the empty-key
    // fallback keeps the signature of the code free of a panic path.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
}

fn b64_json<T: Serialize>(value: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

/// A real HS256 JWT signed with the sandbox's random key.
pub(crate) fn issue_token(key: &[u8], service: &Service, expires: DateTime<FixedOffset>) -> String {
    let header = b64_json(&Header { alg: "HS256", typ: "JWT" });
    let jti = guid();
    let claims = b64_json(&IssuedClaims {
        sub: &service.code_service,
        jti: &jti,
        nameid: service.id_service.to_string(),
        exp: expires.timestamp(),
    });
    let signing_input = format!("{header}.{claims}");
    let mut m = mac(key);
    m.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// The service a bearer token was issued to, if it is ours and unexpired by the sandbox clock.
pub(crate) fn authorize<'a>(shared: &'a Shared, headers: &HeaderMap) -> Option<&'a Service> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let claims = verify(&shared.jwt_key, token.trim())?;
    if claims.exp <= shared.clock.now().timestamp() {
        return None;
    }
    shared.service(claims.nameid.parse().ok()?)
}

fn verify(key: &[u8], token: &str) -> Option<Claims> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (_, payload) = signing_input.split_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let mut m = mac(key);
    m.update(signing_input.as_bytes());
    m.verify_slice(&signature).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Granted<'a> {
    token: String,
    code_service: &'a str,
    token_start: String,
    token_expires: String,
}

/// `POST /v1/authorizations`.
pub(crate) fn authorizations(shared: &Shared, body: &[u8]) -> Response {
    let Some(obj) = wire::object(body) else {
        return wire::invalid(&[]);
    };
    let [access_key, id_service, date_request, hash] =
        wire::fields(&obj, &["accessKey", "idService", "dateRequest", "hashString"]);
    let mut errors = Vec::new();
    let access_key = text(access_key, "accessKey", &mut errors);
    let id_service = match id_service {
        None => {
            errors.push(FieldError::required("idService"));
            None
        }
        Some(v) => {
            let id = wire::unsigned(v).and_then(|n| u32::try_from(n).ok());
            if id.is_none() {
                errors.push(FieldError::invalid("idService"));
            }
            id
        }
    };
    let date_request = text(date_request, "dateRequest", &mut errors);
    if date_request.is_some_and(|d| wire::parse_time(d).is_none()) {
        errors.push(FieldError::invalid("dateRequest"));
    }
    let hash = text(hash, "hashString", &mut errors);
    let (Some(access_key), Some(id_service), Some(date_request), Some(hash), true) =
        (access_key, id_service, date_request, hash, errors.is_empty())
    else {
        return wire::invalid(&errors);
    };

    let service =
        shared.config.services.iter().find(|s| s.id_service == id_service && s.access_key == access_key);
    let Some(service) =
        service.filter(|s| hash_string(s.id_service, &s.access_key, &s.secret_key, date_request) == hash)
    else {
        return wire::error(StatusCode::UNAUTHORIZED, "104", "Credenciales inválidas.");
    };

    let start = shared.clock.now();
    let expires = clock::later(start, shared.token_lifetime);
    let granted = Granted {
        token: issue_token(&shared.jwt_key, service, expires),
        code_service: &service.code_service,
        token_start: wire::format_time(start),
        token_expires: wire::format_time(expires),
    };
    wire::ok(StatusCode::CREATED, granted)
}

/// A required non-empty string field; records 112/113 otherwise.
fn text<'a>(value: Option<&'a Value>, field: &'static str, errors: &mut Vec<FieldError>) -> Option<&'a str> {
    match value {
        None => {
            errors.push(FieldError::required(field));
            None
        }
        Some(Value::String(s)) if s.is_empty() => {
            errors.push(FieldError::required(field));
            None
        }
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            errors.push(FieldError::invalid(field));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_string_known_answer() {
        let s = Service::demo();
        assert_eq!(
            hash_string(s.id_service, &s.access_key, &s.secret_key, "2020-11-15T15:45:00-05:00"),
            "964ad38ff73a8933bdd5bd62470e592442d1ca7156f0333dbc1d3881871a81b7"
        );
    }

    #[test]
    fn tokens_verify_only_with_their_key() {
        let key = [7u8; 32];
        let expires = crate::clock::Clock::new().now();
        let token = issue_token(&key, &Service::demo(), expires);
        let claims = verify(&key, &token).expect("valid");
        assert_eq!(claims.nameid, "1234");
        assert_eq!(claims.exp, expires.timestamp());
        assert!(verify(&[8u8; 32], &token).is_none());

        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
        let payload: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(payload["sub"], "DEM");
        assert_eq!(payload["nameid"], "1234");
        let jti = payload["jti"].as_str().expect("jti");
        assert_eq!(jti, jti.to_uppercase());

        let tampered = format!("{}.{}x.{}", parts[0], parts[1], parts[2]);
        assert!(verify(&key, &tampered).is_none());
        assert!(verify(&key, "garbage").is_none());
        assert!(verify(&key, "a.b.c").is_none());
    }
}
