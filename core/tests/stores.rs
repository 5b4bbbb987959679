//! Many servers: dedup leases and the token cache on real PostgreSQL and Redis servers (started by
//! scripts/services.sh, given as PAGOEFECTIVO_TEST_POSTGRES_URL / _REDIS_URL), across processes.
//!
//! Child processes are this test binary run again on the ignored `worker` entry with a role in
//! the environment; each writes what it processed to its own file, so counting does not trust
//! the store under test.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pagoefectivo::webhook::parse_event;
use pagoefectivo::{Begin, Client, Deduplicator, ErrorCode};
use pagoefectivo_sandbox::Endpoint;
use tokio::net::{TcpListener, TcpStream};

/// The stores under test. Locally, without the servers, only `memory:` runs; CI always has both
/// (scripts/test-rust.sh starts them and sets the variables, and `servers_are_there` insists).
fn urls() -> Vec<String> {
    let mut out = vec!["memory:".to_owned()];
    for var in ["PAGOEFECTIVO_TEST_POSTGRES_URL", "PAGOEFECTIVO_TEST_REDIS_URL"] {
        if let Ok(url) = std::env::var(var) {
            out.push(url);
        }
    }
    out
}

fn shared_urls() -> Vec<String> {
    urls().into_iter().filter(|u| u != "memory:").collect()
}

#[test]
fn servers_are_there_in_ci() {
    if std::env::var_os("CI").is_some() {
        assert_eq!(shared_urls().len(), 2, "CI must run the store tests against PostgreSQL and Redis");
    }
}

fn run_id() -> String {
    format!("{}{:08x}", std::process::id(), fastrand::u32(..))
}

fn event(run: &str, n: usize, amount: &str) -> pagoefectivo::Event {
    let body = format!(
        r#"{{"eventType":"cip.paid","operationNumber":"{run}-{n}","data":{{"cip":"{}","currency":"PEN","amount":{amount}}}}}"#,
        1000 + n
    );
    parse_event(body.as_bytes()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lease_contract_on_every_store() {
    for url in urls() {
        let run = run_id();
        let (e, forged) = (event(&run, 1, "10.00"), event(&run, 1, "99.00"));
        let d = Deduplicator::from_url(&url).unwrap().with_lease(Duration::from_millis(300));
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Started, "{url}");
        assert_eq!(d.begin(&e).await.unwrap(), Begin::InProgress, "{url}");
        assert_eq!(d.begin(&forged).await.unwrap(), Begin::Conflict, "{url}");
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            d.begin(&e).await.unwrap(),
            Begin::Started,
            "{url}: an expired lease lets the next one in"
        );
        d.fail(&e).await.unwrap();
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Started, "{url}: fail releases");
        d.complete(&e).await.unwrap();
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Duplicate, "{url}");
        d.fail(&e).await.unwrap();
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Duplicate, "{url}: fail does not undo completion");
        // A completed key is forgotten after its ttl.
        let short = Deduplicator::from_url(&url).unwrap().with_ttl(Duration::from_millis(300));
        let e2 = event(&run, 2, "1.00");
        assert_eq!(short.begin(&e2).await.unwrap(), Begin::Started);
        short.complete(&e2).await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(short.begin(&e2).await.unwrap(), Begin::Started, "{url}: ttl");
    }
}

/// The blocking forms from a thread with no runtime (a Django or PHP worker): the store's first
/// connect needs the shared runtime's reactor, not the caller's.
#[test]
fn the_blocking_forms_work_from_a_plain_thread_on_every_store() {
    for url in urls() {
        let run = run_id();
        let e = event(&run, 1, "3.00");
        let d = Deduplicator::from_url(&url).unwrap();
        assert!(d.first_delivery(&e).unwrap(), "{url}");
        assert!(!d.first_delivery(&e).unwrap(), "{url}: a redelivery");
        d.forget(&e).unwrap();
        assert!(d.first_delivery(&e).unwrap(), "{url}: forgotten");
    }
}

/// Child entry: `STORE_ROLE` says what to do. Not a test of its own (ignored).
#[test]
#[ignore]
fn worker() {
    let role = std::env::var("STORE_ROLE").unwrap_or_default();
    let url = std::env::var("STORE_URL").unwrap();
    let run = std::env::var("STORE_RUN").unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    match role.as_str() {
        "deliveries" => rt.block_on(deliveries(&url, &run)),
        "hold" => rt.block_on(async {
            let d = Deduplicator::from_url(&url).unwrap().with_lease(Duration::from_secs(1));
            assert_eq!(d.begin(&event(&run, 0, "5.00")).await.unwrap(), Begin::Started);
            println!("started");
            std::io::stdout().flush().unwrap();
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }),
        "tokens" => {
            if std::env::var_os("STORE_DEBUG").is_some() {
                tracing_subscriber::fmt()
                    .with_max_level(tracing::Level::DEBUG)
                    .with_writer(std::io::stderr)
                    .init();
            }
            rt.block_on(token_calls(&url))
        }
        _ => {}
    }
}

/// 1,000 concurrent deliveries of 100 events; what this process processed goes to STORE_OUT.
async fn deliveries(url: &str, run: &str) {
    let d = Arc::new(Deduplicator::from_url(url).unwrap());
    let out =
        Arc::new(std::sync::Mutex::new(std::fs::File::create(std::env::var("STORE_OUT").unwrap()).unwrap()));
    let mut order: Vec<usize> = (0..1000).map(|i| i % 100).collect();
    fastrand::shuffle(&mut order);
    let tasks: Vec<_> = order
        .into_iter()
        .map(|n| {
            let (d, out, e) = (Arc::clone(&d), Arc::clone(&out), event(run, n, "10.00"));
            tokio::spawn(async move {
                if d.begin(&e).await.unwrap() == Begin::Started {
                    tokio::time::sleep(Duration::from_millis(fastrand::u64(0..3))).await;
                    writeln!(out.lock().unwrap(), "{}", e.dedup_key()).unwrap();
                    d.complete(&e).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

fn child(role: &str, url: &str, run: &str, extra: &[(&str, String)]) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--ignored", "--exact", "worker", "--nocapture", "--quiet"])
        .env("STORE_ROLE", role)
        .env("STORE_URL", url)
        .env("STORE_RUN", run);
    for (k, v) in extra {
        c.env(k, v);
    }
    c
}

#[test]
fn four_processes_process_each_of_100_events_exactly_once() {
    for url in shared_urls() {
        let run = run_id();
        let dir = std::env::temp_dir().join(format!("pe-dedup-{run}"));
        std::fs::create_dir_all(&dir).unwrap();
        let workers: Vec<_> = (0..4)
            .map(|i| {
                let out = dir.join(format!("worker-{i}.txt"));
                child("deliveries", &url, &run, &[("STORE_OUT", out.display().to_string())])
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut w in workers {
            assert!(w.wait().unwrap().success(), "{url}: a worker failed");
        }
        let mut processed: Vec<String> = (0..4)
            .flat_map(|i| {
                std::fs::read_to_string(dir.join(format!("worker-{i}.txt")))
                    .unwrap()
                    .lines()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let total = processed.len();
        processed.sort();
        processed.dedup();
        assert_eq!((total, processed.len()), (100, 100), "{url}: each event exactly once");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_processing_leaves_its_event_to_the_next() {
    for url in shared_urls() {
        let run = run_id();
        let mut held = child("hold", &url, &run, &[]).stdout(Stdio::piped()).spawn().unwrap();
        // The test harness prints its own lines first.
        let started = BufReader::new(held.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .any(|l| l.trim() == "started");
        assert!(started, "{url}: the worker never took the lease");
        held.kill().unwrap();
        held.wait().unwrap();
        let d = Deduplicator::from_url(&url).unwrap();
        let e = event(&run, 0, "5.00");
        assert_eq!(
            d.begin(&e).await.unwrap(),
            Begin::InProgress,
            "{url}: the dead worker's lease still runs"
        );
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Started, "{url}: nothing lost");
        d.complete(&e).await.unwrap();
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Duplicate, "{url}: nothing done twice");
    }
}

/// A TCP relay to `target` that can be shut: the store server "going away" mid-run.
async fn relay(target: &str) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let target = target.to_owned();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let mut conns = tokio::task::JoinSet::new();
        tokio::select! {
            _ = async {
                while let Ok((mut a, _)) = listener.accept().await {
                    let target = target.clone();
                    conns.spawn(async move {
                        if let Ok(mut b) = TcpStream::connect(target).await {
                            let _ = tokio::io::copy_bidirectional(&mut a, &mut b).await;
                        }
                    });
                }
            } => {}
            _ = stopped => {}
        }
        conns.abort_all();
    });
    (addr.to_string(), stop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_goes_away_is_a_typed_error_and_nothing_is_marked_done() {
    for url in shared_urls() {
        let run = run_id();
        let host = url.split("@").last().unwrap().split("://").last().unwrap();
        let server = host.split('/').next().unwrap().to_owned();
        let (relayed, stop) = relay(&server).await;
        let through = url.replacen(&server, &relayed, 1);
        let d = Deduplicator::from_url(&through).unwrap().with_lease(Duration::from_millis(500));
        let e = event(&run, 0, "7.00");
        assert_eq!(d.begin(&e).await.unwrap(), Begin::Started, "{url}");
        stop.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let err = d.complete(&e).await.unwrap_err();
        assert_eq!(
            (err.code(), err.reason()),
            (ErrorCode::ConnectionError, Some("store_unavailable")),
            "{url}: {err}"
        );
        assert!(err.hint().is_some_and(|h| h.contains("non-200")));
        assert!(!err.to_string().contains("postgres@"), "no URL in errors");
        // The event was not marked done: once the lease runs out, a redelivery is processed.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let direct = Deduplicator::from_url(&url).unwrap();
        assert_eq!(direct.begin(&e).await.unwrap(), Begin::Started, "{url}");
    }
}

/// Calls through a client sharing its token via STORE_URL, for about four seconds.
async fn token_calls(url: &str) {
    let base = std::env::var("SANDBOX_URL").unwrap();
    let config = pagoefectivo::Config::builder()
        .base_url(base)
        .access_key("ACCESSKEY00000000000")
        .secret_key("SECRETKEY0000000000000000000000000000000")
        .id_service(1234)
        // A margin of a second: sandbox (and API) times are whole seconds.
        .token_refresh_margin(Duration::from_secs(1))
        .token_store(url)
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let until = Instant::now() + Duration::from_millis(4000);
    while Instant::now() < until {
        let _ = client.cips().search(&[1]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_share_one_token_per_lifetime() {
    for url in shared_urls() {
        // 3 s tokens refreshed at 2 s; 8 processes for 4 s: two or three tokens in all.
        let sb = common::sandbox_with(|c| c.token_lifetime = Duration::from_secs(3)).await;
        let base = sb.base_url();
        let procs: Vec<_> = (0..8)
            .map(|_| {
                child("tokens", &url, "tokens", &[("SANDBOX_URL", base.clone())])
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let waits = tokio::task::spawn_blocking(move || {
            procs.into_iter().map(|mut p| p.wait().unwrap().success()).collect::<Vec<_>>()
        });
        assert!(waits.await.unwrap().iter().all(|ok| *ok), "{url}: a process failed");
        let authorizations = sb.control().request_count(Endpoint::Authorizations);
        let searches = sb.control().request_count(Endpoint::CipsSearch);
        eprintln!("{url}: {authorizations} authorizations for {searches} calls from 8 processes");
        // Without sharing each process authorizes per lifetime: 8 x 2 = 16 or more.
        assert!(
            (1..=4).contains(&authorizations),
            "{url}: {authorizations} authorizations for {searches} calls"
        );
        sb.shutdown().await;
    }
}
