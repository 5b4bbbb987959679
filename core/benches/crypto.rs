//! hashString and webhook verify+parse, the two CPU paths of every integration.

use criterion::{Criterion, criterion_group, criterion_main};
use pagoefectivo::{hash_string, webhook};
use std::hint::black_box;

/// A realistic notification of about 300 bytes.
fn body() -> Vec<u8> {
    let b = r#"{"eventType":"cip.paid","operationNumber":"795589760510","data":{"cip":"2503005084688","currency":"PEN","amount":90832.20,"paymentDate":"2026-11-21T09:15:00-05:00","transactionCode":"ORD-2026-000981-STORE-LIMA-MIRAFLORES-0001","paymentConcept":"Pedido web 000981, 3 articulos, envio a domicilio"}}"#;
    b.as_bytes().to_vec()
}

fn benches(c: &mut Criterion) {
    c.bench_function("hash_string", |b| {
        b.iter(|| {
            hash_string(
                black_box(1234),
                black_box("ACCESSKEY00000000000"),
                black_box("SECRETKEY0000000000000000000000000000000"),
                black_box("2020-11-15T15:45:00-05:00"),
            )
        })
    });
    let body = body();
    let secret = "whsec_demo_1a2b3c4d5e6f7g8h9i0j";
    let sig = webhook::sign(&body, secret);
    let mut group = c.benchmark_group(format!("webhook_{}_bytes", body.len()));
    group.bench_function("verify_and_parse", |b| {
        b.iter(|| webhook::verify(black_box(&body), Some(black_box(&sig)), black_box(secret)).unwrap())
    });
    group.bench_function("verify_signature_only", |b| {
        b.iter(|| {
            webhook::verify_signature(black_box(&body), Some(black_box(&sig)), black_box(secret)).unwrap()
        })
    });
    group.bench_function("parse_only", |b| b.iter(|| webhook::parse_event(black_box(&body)).unwrap()));
    group.finish();
}

criterion_group!(crypto, benches);
criterion_main!(crypto);
