//! CIP creation by the SDK next to a plain hyper client making the same calls on the same sandbox.
//!
//! `cargo bench -p pagoefectivo --bench creation`: criterion's time per creation for each
//! contender at concurrency 1 and 32, then contenders interleaved round by round (so machine
//! noise hits both alike) and a table of SDK ÷ plain ratios, min and median (and the RATIO/VALUE
//! lines benches/run.sh collects). Env:
//! `CREATION_ROUNDS` (default 7), `CREATION_BATCH` (creations per round and contender, 4000),
//! `CREATION_ONLY=sdk|plain` (one contender alone, for a profiler).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, Throughput};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use pagoefectivo::{Client, Config, CreateCipRequest, Currency, time};
use pagoefectivo_sandbox::{Endpoint, Sandbox, SandboxConfig, Service};
use serde_json::{Value, json};

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .unwrap()
}

/// What a merchant writes without the SDK: one pooled client (hyper's, or reqwest, what most
/// Rust code reaches for), a token fetched once, `json!` for the body, `serde_json::Value` back.
#[derive(Clone)]
struct Plain {
    http: Http,
    base: String,
    bearer: Arc<str>,
}

#[derive(Clone)]
enum Http {
    Hyper(HyperClient<HttpConnector, Full<Bytes>>),
    Reqwest(reqwest::Client),
}

impl Plain {
    async fn connect(http: Http, base: String, demo: &Service) -> Plain {
        let date = time::format(&time::now_lima());
        let body = json!({
            "accessKey": demo.access_key,
            "idService": demo.id_service,
            "dateRequest": date,
            "hashString": pagoefectivo::hash_string(demo.id_service, &demo.access_key, &demo.secret_key, &date),
        });
        let mut plain = Plain { http, base, bearer: Arc::from("") };
        let answer = plain.post("authorizations", &body, None).await;
        let token = answer["data"]["token"].as_str().expect("a token").to_owned();
        plain.bearer = Arc::from(format!("Bearer {token}"));
        plain
    }

    async fn post(&self, path: &str, body: &Value, bearer: Option<&str>) -> Value {
        let url = format!("{}{path}", self.base);
        let json = serde_json::to_vec(body).unwrap();
        let bytes = match &self.http {
            Http::Hyper(http) => {
                let mut req = Request::post(url)
                    .header(CONTENT_TYPE, "application/json")
                    .header("Accept", "application/json");
                if let Some(b) = bearer {
                    req = req.header(AUTHORIZATION, b);
                }
                let resp =
                    http.request(req.body(Full::new(Bytes::from(json))).unwrap()).await.expect("an answer");
                resp.into_body().collect().await.expect("a body").to_bytes()
            }
            Http::Reqwest(http) => {
                let mut req = http
                    .post(url)
                    .header(CONTENT_TYPE, "application/json")
                    .header("Accept", "application/json");
                if let Some(b) = bearer {
                    req = req.header(AUTHORIZATION, b);
                }
                req.body(json).send().await.expect("an answer").bytes().await.expect("a body")
            }
        };
        serde_json::from_slice(&bytes).expect("JSON")
    }

    async fn create(&self) -> u64 {
        let expiry = time::now_lima() + chrono::TimeDelta::hours(48);
        let body = json!({
            "currency": "PEN",
            "amount": "149.90",
            "transactionCode": "ORD-LOAD",
            "dateExpiry": time::format(&expiry),
            "userEmail": "buyer@example.pe",
        });
        let answer = self.post("cips", &body, Some(&self.bearer)).await;
        assert!(answer["code"] == 100 || answer["code"] == "100", "{answer}");
        let cip = &answer["data"]["cip"];
        cip.as_u64().or_else(|| cip.as_str().and_then(|s| s.parse().ok())).expect("a CIP")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Sdk,
    Reqwest,
    Hyper,
}

const ALL: [Who; 3] = [Who::Sdk, Who::Reqwest, Who::Hyper];

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Sdk => "sdk",
            Who::Reqwest => "plain reqwest",
            Who::Hyper => "plain hyper",
        }
    }
}

struct Contenders {
    sdk: Client,
    request: Arc<CreateCipRequest>,
    reqwest: Plain,
    hyper: Plain,
}

impl Contenders {
    /// `total` creations by `concurrency` tasks; the wall time they took.
    async fn batch(&self, who: Who, concurrency: usize, total: u64) -> Duration {
        let started = Instant::now();
        let tasks: Vec<_> = (0..concurrency as u64)
            .map(|i| {
                // The first tasks take the remainder, so exactly `total` creations are made.
                let n = total / concurrency as u64 + u64::from(i < total % concurrency as u64);
                let (sdk, request) = (self.sdk.clone(), self.request.clone());
                let plain = if who == Who::Reqwest { self.reqwest.clone() } else { self.hyper.clone() };
                tokio::spawn(async move {
                    for _ in 0..n {
                        if who == Who::Sdk {
                            std::hint::black_box(sdk.cips().create(&request).await.expect("created"));
                        } else {
                            std::hint::black_box(plain.create().await);
                        }
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        started.elapsed()
    }
}

/// CPU time of the whole process (client and sandbox) so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    // `cargo test --benches` runs bench targets without --bench: a smoke run then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let server_rt = runtime("sandbox");
    let sb = server_rt
        .block_on(Sandbox::start(SandboxConfig {
            token_lifetime: Duration::from_secs(86_400),
            ..Default::default()
        }))
        .unwrap();
    let demo = Service::demo();
    let client_rt = runtime("client");
    let config = Config::builder()
        .base_url(sb.base_url())
        .access_key(demo.access_key.clone())
        .secret_key(demo.secret_key.clone())
        .id_service(demo.id_service)
        .build()
        .unwrap();
    let sdk = client_rt.block_on(async { Client::new(config) }).unwrap();
    client_rt.block_on(sdk.authenticate()).unwrap();
    let request = Arc::new(
        CreateCipRequest::new(Currency::PEN, "149.90".parse().unwrap(), "ORD-LOAD", "buyer@example.pe")
            .expires_in(Duration::from_secs(48 * 3600)),
    );
    let hyper = Http::Hyper(HyperClient::builder(TokioExecutor::new()).build_http());
    let hyper = client_rt.block_on(Plain::connect(hyper, sb.base_url(), &demo));
    let reqwest = Http::Reqwest(reqwest::Client::new());
    let reqwest = client_rt.block_on(Plain::connect(reqwest, sb.base_url(), &demo));
    let c = Contenders { sdk, request, reqwest, hyper };

    // Both must make exactly one API request per creation, or the comparison means nothing.
    for who in ALL {
        let before = sb.control().request_count(Endpoint::Any);
        client_rt.block_on(c.batch(who, 4, 16));
        let made = sb.control().request_count(Endpoint::Any) - before;
        assert_eq!(made, 16, "{}: {made} API requests for 16 creations", who.name());
    }
    // `CREATION_ONLY=sdk|reqwest|hyper`: that contender alone, for a profiler (perf, strace -c).
    if let Ok(only) = std::env::var("CREATION_ONLY") {
        let who = match only.as_str() {
            "sdk" => Who::Sdk,
            "reqwest" => Who::Reqwest,
            _ => Who::Hyper,
        };
        let n = env_or("CREATION_BATCH", 20_000);
        let took = client_rt.block_on(c.batch(who, 32, n));
        println!("{}: {n} creations at concurrency 32 in {took:?}", who.name());
        server_rt.block_on(sb.shutdown());
        return;
    }
    if quick {
        server_rt.block_on(sb.shutdown());
        return;
    }

    let mut criterion = Criterion::default().configure_from_args();
    for concurrency in [1usize, 32] {
        let mut group = criterion.benchmark_group(format!("cip_creation/concurrency_{concurrency}"));
        group.throughput(Throughput::Elements(1));
        for who in ALL {
            group.bench_function(who.name(), |b| {
                b.iter_custom(|iters| client_rt.block_on(c.batch(who, concurrency, iters)))
            });
        }
        group.finish();
    }
    criterion.final_summary();

    let (rounds, batch) = (env_or("CREATION_ROUNDS", 7), env_or("CREATION_BATCH", 4000));
    if rounds == 0 {
        server_rt.block_on(sb.shutdown());
        return;
    }
    println!(
        "\nInterleaved: {rounds} rounds x {batch} creations per contender (process CPU = client + sandbox)"
    );
    println!(
        "{:>11} {:>14} {:>11} {:>11} {:>15}",
        "concurrency", "contender", "median /s", "best /s", "CPU/creation"
    );
    let mut summary = Vec::new();
    for concurrency in [1usize, 32] {
        for who in ALL {
            client_rt.block_on(c.batch(who, concurrency, 500));
        }
        let mut rate = [Vec::new(), Vec::new(), Vec::new()];
        let mut cpu = [Vec::new(), Vec::new(), Vec::new()];
        let mut ratios = [Vec::new(), Vec::new()];
        for round in 0..rounds {
            // Rotate who goes first, so none always runs on a warmer or colder machine.
            let mut this = [0.0; 3];
            for k in 0..3 {
                let i = (k + round as usize) % 3;
                let cpu0 = cpu_time();
                let took = client_rt.block_on(c.batch(ALL[i], concurrency, batch));
                cpu[i].push((cpu_time() - cpu0).as_secs_f64() * 1e6 / batch as f64);
                this[i] = batch as f64 / took.as_secs_f64();
                rate[i].push(this[i]);
            }
            ratios[0].push(this[0] / this[2]);
            ratios[1].push(this[0] / this[1]);
        }
        for (i, who) in ALL.into_iter().enumerate() {
            let (worst, best) = (
                rate[i].iter().copied().fold(f64::INFINITY, f64::min),
                rate[i].iter().copied().fold(0.0, f64::max),
            );
            let (rate, cpu) = (median(&mut rate[i]), median(&mut cpu[i]));
            println!("{concurrency:>11} {:>14} {rate:>11.0} {best:>11.0} {cpu:>12.1} µs", who.name());
            if who == Who::Sdk {
                // For benches/run.sh. Machine-bound: the load section of BENCHMARKS.md.
                let target = match concurrency {
                    32 => format!(" >=5000 {}", if rate >= 5000.0 { "ok" } else { "miss" }),
                    _ => String::new(),
                };
                summary.push(format!(
                    "VALUE rust_creation_c{concurrency}_sdk {worst:.0} {rate:.0} creations/s{target} # SDK cips().create at concurrency {concurrency}, in-process sandbox (rate: min is the worst round)"
                ));
            }
        }
        for (r, against) in ratios.iter_mut().zip(["plain hyper", "plain reqwest"]) {
            let worst = r.iter().copied().fold(f64::INFINITY, f64::min);
            let median = median(r);
            println!("{concurrency:>11} sdk ÷ {against}: min {worst:.2}x, median {median:.2}x (creations/s)");
            summary.push(format!(
                "RATIO rust_creation_c{concurrency}_vs_{} {worst:.3} {median:.3} - - # creations/s, SDK ÷ {against} making the same calls, concurrency {concurrency}",
                against.trim_start_matches("plain ")
            ));
        }
    }
    for line in summary {
        println!("{line}");
    }
    server_rt.block_on(sb.shutdown());
}
