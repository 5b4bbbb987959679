//! A pre-fork server (gunicorn --preload, Celery, PHP-FPM) forks while a client is busy: the
//! child must never wait on a lock or a task of its parent. Forks during token refreshes and
//! during requests; every child must finish its own call within its deadline.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::hostile::{Answer, Hostile, config};
use pagoefectivo::blocking;

/// A token that is stale as soon as it is issued, handed out slowly: some
/// thread is refreshing at almost every instant.
fn slow_zero_lifetime_token() -> Answer {
    Answer::json(
        201,
        r#"{"code":100,"data":{"token":"t","tokenStart":"2026-01-01T00:00:00-05:00","tokenExpires":"2026-01-01T00:00:00-05:00"}}"#,
    )
    .dripping(8, Duration::from_millis(10))
}

/// Forks; the child runs `work` and exits 0; the parent waits up to `limit`.
/// Returns whether the child finished in time (a hung child is killed).
fn fork_and_wait(work: impl FnOnce(), limit: Duration) -> bool {
    // SAFETY: the child only runs `work` and exits; this is the situation under test.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        work();
        // SAFETY: leaves the child without running the parent's destructors or atexit handlers.
        unsafe { libc::_exit(0) };
    }
    let started = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: waiting for our own child.
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if done == pid {
            return libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
        }
        if started.elapsed() > limit {
            // SAFETY: our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn children_forked_mid_refresh_and_mid_request_never_hang() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (server, base) = rt.block_on(Hostile::start());
    server.always("POST", "/v1/authorizations", slow_zero_lifetime_token());
    let slow_search =
        Answer::json(200, r#"{"code":100,"message":"ok","data":[]}"#).dripping(10, Duration::from_millis(5));
    server.always("POST", "/v1/cips/search", slow_search);
    let client =
        blocking::Client::new(config(&base).total_timeout(Duration::from_secs(3)).build().unwrap()).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..2)
        .map(|_| {
            let (client, stop) = (client.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _ = client.cips().search(&[1]);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut hung = 0;
    for i in 0..16 {
        std::thread::sleep(Duration::from_millis(7 + (i * 13) % 40));
        let child = client.clone();
        let finished = fork_and_wait(
            move || {
                // Ok or a typed error both count: what must not happen is waiting forever.
                let _ = child.cips().search(&[1]);
            },
            Duration::from_secs(10),
        );
        hung += usize::from(!finished);
    }
    stop.store(true, Ordering::Relaxed);
    busy.into_iter().for_each(|t| t.join().unwrap());
    assert_eq!(hung, 0, "{hung} of 16 forked children hung");
}
