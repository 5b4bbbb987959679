//! CIP creation throughput against the sandbox over loopback HTTP, client and
//! sandbox on the same machine, each on its own 2-thread runtime.
//!
//! `cargo bench -p pagoefectivo --bench load` (env: LOAD_REQUESTS, default 20000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use pagoefectivo::{Client, Config, CreateCipRequest, Currency};
use pagoefectivo_sandbox::{Sandbox, SandboxConfig, Service};

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn run(client: &Client, concurrency: usize, total: usize) -> (f64, Duration, Duration) {
    let request = Arc::new(
        CreateCipRequest::new(Currency::PEN, "149.90".parse().unwrap(), "ORD-LOAD", "buyer@example.pe")
            .expires_in(Duration::from_secs(48 * 3600)),
    );
    let per_task = total / concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, request) = (client.clone(), request.clone());
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let t = Instant::now();
                    client.cips().create(&request).await.expect("create succeeds");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort();
    (all.len() as f64 / elapsed.as_secs_f64(), percentile(&all, 0.5), percentile(&all, 0.99))
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent: do little then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let total: usize = std::env::var("LOAD_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick {
        64
    } else {
        20_000
    });
    let server_rt = runtime("sandbox");
    let sb = server_rt
        .block_on(Sandbox::start(SandboxConfig {
            token_lifetime: Duration::from_secs(86_400),
            ..Default::default()
        }))
        .unwrap();
    let demo = Service::demo();
    let config = Config::builder()
        .base_url(sb.base_url())
        .access_key(demo.access_key)
        .secret_key(demo.secret_key)
        .id_service(demo.id_service)
        .build()
        .unwrap();
    let client_rt = runtime("client");
    let client = Client::new(config).unwrap();
    client_rt.block_on(client.authenticate()).unwrap();
    println!("CIP creation against the sandbox, {total} requests per run");
    println!("{:>11} {:>10} {:>10} {:>10}", "concurrency", "req/s", "p50", "p99");
    for concurrency in [1, 32] {
        let n = if concurrency == 1 { total / 4 } else { total };
        client_rt.block_on(run(&client, concurrency, n.min(500).max(concurrency))); // warm-up
        let (rps, p50, p99) = client_rt.block_on(run(&client, concurrency, n));
        println!("{concurrency:>11} {rps:>10.0} {:>10.3?} {:>10.3?}", p50, p99);
    }
    drop(client);
    server_rt.block_on(sb.shutdown());
}
