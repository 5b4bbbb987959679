//! Dedup checks per second on PostgreSQL and Redis: the SDK's stores next to the one query a merchant writes.
//!
//! `cargo bench -p pagoefectivo --bench stores` with PAGOEFECTIVO_TEST_POSTGRES_URL and/or
//! PAGOEFECTIVO_TEST_REDIS_URL set (`source scripts/services.sh && services_start` starts both on
//! loopback; `services_stop` stops them). Each round makes `STORES_CHECKS` (default
//! 20,000) checks of new keys at concurrency 32 (`STORES_CONCURRENCY`), rounds interleaved
//! (`STORES_ROUNDS`, default 5) so machine noise hits every contender alike:
//!
//! - `sdk begin`: `Deduplicator::begin` (takes the lease: one statement or script).
//! - `sdk first_delivery`: `begin` then `complete`, the whole job of a handler (two round trips).
//! - `hand-written`: `INSERT ... ON CONFLICT DO NOTHING` / `SET NX PX`, one round trip, no lease.
//!
//! Ends with RATIO lines (paired per-round ratios to the hand-written query) for benches/run.sh.
//! First it prints the SDK's own work per check (key + payload hash); `STORES_OWN_WORK_ONLY=1
//! STORES_OWN_CALLS=1000 valgrind --tool=callgrind <bench binary> --bench` counts its instructions.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pagoefectivo::webhook::parse_event;
use pagoefectivo::{Begin, Deduplicator, Event};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn events(run: &str, n: usize) -> Arc<Vec<Event>> {
    let body = |i: usize| {
        format!(
            r#"{{"eventType":"cip.paid","operationNumber":"{run}-{i}","data":{{"cip":"{}","currency":"PEN","amount":10.00}}}}"#,
            1000 + i
        )
    };
    Arc::new((0..n).map(|i| parse_event(body(i).as_bytes()).unwrap()).collect())
}

/// This process's CPU time (user + system, every thread), in µs.
fn cpu_us() -> f64 {
    // SAFETY: getrusage writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let us = |t: libc::timeval| t.tv_sec as f64 * 1e6 + t.tv_usec as f64;
    us(u.ru_utime) + us(u.ru_stime)
}

/// Runs `check(i)` for i in 0..n on `concurrency` tasks: checks per second, and the client's
/// CPU µs per check (what the SDK adds shows there first: the server's share is the same).
async fn measure<F, Fut>(n: usize, concurrency: usize, check: F) -> (f64, f64)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let (check, next) = (Arc::new(check), Arc::new(AtomicUsize::new(0)));
    let (start, cpu) = (Instant::now(), cpu_us());
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (check, next) = (Arc::clone(&check), Arc::clone(&next));
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    assert!(check(i).await, "check {i} did not see a new key (run the bench on fresh keys)");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (n as f64 / start.elapsed().as_secs_f64(), (cpu_us() - cpu) / n as f64)
}

/// One round of a contender: (round, run id) to checks per second.
type Contender = Box<dyn Fn(usize, String) -> Pin<Box<dyn Future<Output = (f64, f64)>>>>;

fn sdk(url: &str, n: usize, c: usize, whole: bool) -> Contender {
    let d = Arc::new(Deduplicator::from_url(url).unwrap().with_ttl(Duration::from_secs(600)));
    Box::new(move |round, run| {
        let (d, ev) = (Arc::clone(&d), events(&format!("{run}-{round}"), n));
        Box::pin(measure(n, c, move |i| {
            let (d, ev) = (Arc::clone(&d), Arc::clone(&ev));
            async move {
                if whole {
                    d.first_delivery_async(&ev[i]).await.unwrap()
                } else {
                    d.begin(&ev[i]).await.unwrap() == Begin::Started
                }
            }
        }))
    })
}

async fn postgres_plain(url: &str, n: usize, c: usize) -> Contender {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS bench_dedup (key text PRIMARY KEY, until timestamptz NOT NULL)",
        )
        .await
        .unwrap();
    let insert = client
        .prepare("INSERT INTO bench_dedup (key, until) VALUES ($1, now() + interval '600 seconds') ON CONFLICT DO NOTHING")
        .await
        .unwrap();
    let client = Arc::new(client);
    Box::new(move |round, run| {
        let (client, insert, ev) =
            (Arc::clone(&client), insert.clone(), events(&format!("{run}-{round}"), n));
        Box::pin(measure(n, c, move |i| {
            let (client, insert, ev) = (Arc::clone(&client), insert.clone(), Arc::clone(&ev));
            async move {
                let rows = client.execute(&insert, &[&ev[i].dedup_key()]).await.unwrap();
                rows == 1
            }
        }))
    })
}

async fn redis_plain(url: &str, n: usize, c: usize) -> Contender {
    let conn = redis::Client::open(url).unwrap().get_connection_manager().await.unwrap();
    Box::new(move |round, run| {
        let (conn, ev) = (conn.clone(), events(&format!("{run}-{round}"), n));
        Box::pin(measure(n, c, move |i| {
            let (mut conn, ev) = (conn.clone(), Arc::clone(&ev));
            async move {
                let set: Option<String> = redis::cmd("SET")
                    .arg(format!("bench:dedup:{}", ev[i].dedup_key()))
                    .arg(1)
                    .arg("NX")
                    .arg("PX")
                    .arg(600_000)
                    .query_async(&mut conn)
                    .await
                    .unwrap();
                set.is_some()
            }
        }))
    })
}

/// The SDK's own work per check, before any I/O: the key and the payload hash (ns per call).
fn own_work() {
    let ev = events("own", 1);
    let per_call = |f: &dyn Fn() -> usize| {
        let n = env("STORES_OWN_CALLS", 200_000);
        let start = Instant::now();
        let mut sink = 0;
        for _ in 0..n {
            sink += std::hint::black_box(f());
        }
        std::hint::black_box(sink);
        start.elapsed().as_nanos() as f64 / n as f64
    };
    let key = per_call(&|| ev[0].dedup_key().len());
    let hash = per_call(&|| ev[0].payload_hash().len());
    println!("own work per check: dedup_key {key:.0} ns, payload_hash {hash:.0} ns");
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: no servers, nothing to do.
    let stores: Vec<(&str, String)> =
        [("PostgreSQL", "PAGOEFECTIVO_TEST_POSTGRES_URL"), ("Redis", "PAGOEFECTIVO_TEST_REDIS_URL")]
            .into_iter()
            .filter_map(|(name, var)| std::env::var(var).ok().map(|url| (name, url)))
            .collect();
    if stores.is_empty() && std::env::var_os("STORES_OWN_WORK_ONLY").is_none() {
        println!(
            "stores bench: set PAGOEFECTIVO_TEST_POSTGRES_URL and/or PAGOEFECTIVO_TEST_REDIS_URL (scripts/services.sh start)"
        );
        return;
    }
    own_work();
    if std::env::var_os("STORES_OWN_WORK_ONLY").is_some() {
        // Under `valgrind --tool=callgrind`: instruction counts, whatever the machine's load.
        return;
    }
    let (n, c, rounds) =
        (env("STORES_CHECKS", 20_000), env("STORES_CONCURRENCY", 32), env("STORES_ROUNDS", 5));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let run = format!("{}{:08x}", std::process::id(), fastrand::u32(..));
    println!(
        "{n} checks of new keys per round, concurrency {c}, {rounds} rounds interleaved; checks/s (best / median)"
    );
    let mut summary = Vec::new();
    for (store, url) in stores {
        rt.block_on(async {
            let plain = if store == "Redis" {
                redis_plain(&url, n, c).await
            } else {
                postgres_plain(&url, n, c).await
            };
            let contenders: Vec<(&str, Contender)> = vec![
                ("hand-written", plain),
                ("sdk begin", sdk(&url, n, c, false)),
                ("sdk first_delivery", sdk(&url, n, c, true)),
            ];
            // One warm-up round each (connections, prepared statements, scripts loaded).
            for (k, (_, f)) in contenders.iter().enumerate() {
                f(k, format!("{run}w")).await;
            }
            let mut rates: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
            let mut cpus: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
            for round in 0..rounds {
                for (k, (_, f)) in contenders.iter().enumerate() {
                    let (rate, cpu) = f(round * 10 + k, run.clone()).await;
                    rates[k].push(rate);
                    cpus[k].push(cpu);
                }
            }
            let stats = |r: &mut Vec<f64>| {
                r.sort_by(|a, b| a.total_cmp(b));
                (r[r.len() - 1], r[r.len() / 2])
            };
            let (hand_best, hand_median) = stats(&mut rates[0].clone());
            let (_, hand_cpu) = stats(&mut cpus[0].clone());
            for (k, (name, _)) in contenders.iter().enumerate() {
                // Paired: each round's rate over the hand-written rate of the same round, so
                // load that comes and goes (other builds on the machine) cancels out.
                let mut paired: Vec<f64> = rates[k].iter().zip(&rates[0]).map(|(r, h)| r / h).collect();
                let (_, paired_median) = stats(&mut paired);
                let (best, median) = stats(&mut rates[k]);
                let (_, cpu) = stats(&mut cpus[k]);
                println!(
                    "{store:<10} {name:<20} {best:>8.0} / {median:>8.0}   ÷ hand-written {:.2} / {:.2}, paired median {paired_median:.2};  client CPU {cpu:.1} µs/check ({:.2}×)",
                    best / hand_best,
                    median / hand_median,
                    cpu / hand_cpu
                );
                if k > 0 {
                    // For benches/run.sh: the paired (per-round) ratios, min and median.
                    let paired_min = paired[0];
                    let (what, target) = match k {
                        1 => ("begin", format!(">=0.80 {}", if paired_median >= 0.8 { "ok" } else { "miss" })),
                        _ => ("begin_complete", "- -".to_owned()),
                    };
                    summary.push(format!(
                        "RATIO rust_{}_{what}_vs_hand_written {paired_min:.3} {paired_median:.3} {target} # checks/s of new keys, `{name}` ÷ the hand-written query, concurrency {c}",
                        store.to_lowercase()
                    ));
                }
            }
        });
    }
    for line in summary {
        println!("{line}");
    }
}
