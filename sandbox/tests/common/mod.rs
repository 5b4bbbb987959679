//! Shared helpers for the HTTP tests: start a sandbox, get a token, make requests.
#![allow(dead_code)] // each test binary uses a different subset

use chrono::{DateTime, FixedOffset};
use pagoefectivo_sandbox::{Sandbox, SandboxConfig, Service};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct Harness {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
    pub token: String,
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().expect("reqwest client")
}

/// reqwest is built without its `json` feature in this workspace.
pub trait JsonBody {
    fn json_body(self, body: &Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: &Value) -> Self {
        self.header("content-type", "application/json").body(body.to_string())
    }
}

pub async fn read_json(response: reqwest::Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub fn lima(at: DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

pub fn hash(service: &Service, date: &str) -> String {
    let text = format!("{}.{}.{}.{date}", service.id_service, service.access_key, service.secret_key);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The body of a valid authorization request for `service`, dated at the sandbox's now.
pub fn auth_body(sandbox: &Sandbox, service: &Service) -> Value {
    let date = lima(sandbox.control().now());
    json!({
        "accessKey": service.access_key,
        "idService": service.id_service,
        "dateRequest": date,
        "hashString": hash(service, &date),
    })
}

pub async fn token_for(sandbox: &Sandbox, http: &reqwest::Client, service: &Service) -> String {
    let response = http
        .post(format!("{}authorizations", sandbox.base_url()))
        .json_body(&auth_body(sandbox, service))
        .send()
        .await
        .expect("authorizations");
    assert_eq!(response.status(), 201);
    let body = read_json(response).await;
    body["data"]["token"].as_str().expect("token").to_owned()
}

pub async fn start_with(config: SandboxConfig) -> Harness {
    let sandbox = Sandbox::start(config).await.expect("sandbox starts");
    let http = client();
    let token = token_for(&sandbox, &http, &Service::demo()).await;
    Harness { sandbox, http, token }
}

pub async fn start() -> Harness {
    start_with(SandboxConfig::default()).await
}

/// Status, headers and raw text of an answer.
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Reply {
        self.call_raw(method, path, body.map(|b| b.to_string())).await
    }

    pub async fn call_raw(&self, method: reqwest::Method, path: &str, body: Option<String>) -> Reply {
        let mut request = self.http.request(method, self.url(path)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        let response = request.send().await.expect("request");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            text: response.text().await.expect("body"),
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// A valid create body expiring one day after the sandbox's now.
    pub fn cip_body(&self, amount: &str, transaction_code: &str) -> Value {
        let expiry = self.sandbox.control().now() + chrono::TimeDelta::days(1);
        let mut body = json!({
            "currency": "PEN",
            "transactionCode": transaction_code,
            "dateExpiry": lima(expiry),
            "userEmail": "comprador@example.pe",
            "userPhone": "987654321",
            "userCodeCountry": "+51",
            "paymentConcept": "Pedido",
        });
        body["amount"] = serde_json::from_str(amount).expect("amount literal");
        body
    }

    /// Creates a CIP and returns its number.
    pub async fn create(&self, amount: &str) -> u64 {
        let reply = self.post("cips", self.cip_body(amount, "ORD-1")).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["data"]["cip"].as_u64().expect("cip")
    }

    pub async fn search(&self, cips: &[u64]) -> Vec<Value> {
        let data: Vec<Value> = cips.iter().map(|c| json!({ "cip": c })).collect();
        let reply = self.post("cips/search", json!({ "data": data })).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["data"].as_array().expect("array").clone()
    }
}
