//! Client creation: what every cold start, every store of a multi-store process pays before its first call.
//!
//! `cargo bench -p pagoefectivo --bench startup`: `Client::new` for a sandbox config (no network:
//! clients connect on first use), beside the plain `reqwest::Client::builder().build()` a
//! merchant would write, with the same TLS stack (rustls with ring, the system's roots).

use criterion::{Criterion, criterion_group, criterion_main};
use pagoefectivo::{Client, Config};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = Config::builder()
        .base_url("http://127.0.0.1:9/v1/")
        .access_key("ACCESSKEY00000000000")
        .secret_key("SECRETKEY0000000000000000000000000000000")
        .id_service(1234)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("client_creation");
    group.bench_function("sdk_client_new", |b| b.iter(|| Client::new(black_box(config.clone())).unwrap()));
    group.bench_function("plain_reqwest_client", |b| {
        b.iter(|| reqwest::Client::builder().tls_certs_merge(Vec::new()).build().unwrap())
    });
    group.finish();
}

criterion_group!(startup, benches);
criterion_main!(startup);
