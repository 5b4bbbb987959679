//! State that belongs to one process: a forked child gets its own, never its parent's locks.
//!
//! `fork()` copies memory but only the calling thread. A lock another thread
//! held at that instant stays held forever in the child, and a task the child
//! waits for does not exist there. Pre-fork servers (gunicorn `--preload`,
//! Celery, PHP-FPM) fork exactly like this, often while a client is in use.
//! So every lock and connection pool of the SDK lives in a [`PerProcess`]:
//! reached through one atomic pointer (no lock), and rebuilt the first time a
//! child touches it. The parent's copy is leaked in the child on purpose:
//! dropping it could wait on threads or release locks that do not exist there.

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};

/// The process id, as the OS reports it (a `getpid` system call).
pub fn current_pid() -> u32 {
    std::process::id()
}

/// Forks seen by this process's lineage: a `pthread_atfork` child handler adds one in every child.
/// `fork()` runs it (gunicorn, Celery, PHP-FPM, `os.fork`, `pcntl_fork` all call it); a child made
/// by a raw `clone` or glibc's `_Fork` does not, and must `exec` before using the SDK, as
/// `posix_spawn` and every process-spawning API do.
static FORKS: AtomicU64 = AtomicU64::new(0);
/// Whether the handler is registered (at load time, below); without it, fall back to `getpid`.
static WATCHING: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
extern "C" fn forked_child() {
    // Async-signal-safe: one atomic add, in the child right after fork().
    FORKS.fetch_add(1, Ordering::Relaxed);
}

#[cfg(target_os = "linux")]
extern "C" fn watch_forks() {
    // SAFETY: registers a handler that only touches an atomic; called once, at load time.
    if unsafe { libc::pthread_atfork(None, None, Some(forked_child)) } == 0 {
        WATCHING.store(true, Ordering::Release);
    }
}

/// Registers the fork handler when the library or program is loaded, before any thread of ours
/// exists (an ELF constructor: runs at `dlopen` for the bindings, before `main` for programs), so
/// no fork can fall between a first use and the registration.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static WATCH_FORKS: extern "C" fn() = watch_forks;

/// Which process this is, cheaply: the fork count when the handler is registered (one atomic
/// load), else the pid (a system call, ~0.2 µs on a VM: it was most of a `get`).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Process {
    forks: u64,
    pid: u32,
}

impl Process {
    fn current() -> Process {
        if WATCHING.load(Ordering::Acquire) {
            Process { forks: FORKS.load(Ordering::Acquire), pid: 0 }
        } else {
            Process { forks: 0, pid: current_pid() }
        }
    }
}

struct Generation<T> {
    process: Process,
    value: T,
}

/// A `T` per process, made by `init` on first use in each process. `F` is a
/// plain `fn` for statics, or a boxed closure for state made from a config.
pub struct PerProcess<T, F = fn() -> T> {
    current: AtomicPtr<Generation<T>>,
    init: F,
}

/// The initializer of a [`PerProcess`] built at run time.
pub type Init<T> = Box<dyn Fn() -> T + Send + Sync>;

impl<T, F: Fn() -> T> PerProcess<T, F> {
    pub const fn new(init: F) -> Self {
        PerProcess { current: AtomicPtr::new(std::ptr::null_mut()), init }
    }

    /// This process's value. Lock-free: a fork at any instant cannot leave it held.
    pub fn get(&self) -> &T {
        let process = Process::current();
        let seen = self.current.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from Box::into_raw below and is
        // never freed while `self` lives (replaced generations are leaked).
        if let Some(generation) = unsafe { seen.as_ref() }
            && generation.process == process
        {
            return &generation.value;
        }
        let fresh = Box::into_raw(Box::new(Generation { process, value: (self.init)() }));
        match self.current.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: just stored, and never freed while `self` lives.
            Ok(_) => unsafe { &(*fresh).value },
            Err(winner) => {
                // Another thread of this process installed one first: use it, free ours.
                // SAFETY: `fresh` was never shared; `winner` is live as above.
                drop(unsafe { Box::from_raw(fresh) });
                match unsafe { winner.as_ref() } {
                    Some(generation) if generation.process == process => &generation.value,
                    _ => self.get(),
                }
            }
        }
    }
}

impl<T, F> Drop for PerProcess<T, F> {
    fn drop(&mut self) {
        let p = *self.current.get_mut();
        // SAFETY: the pointer is ours; a parent's generation seen in a child is leaked, not freed.
        if let Some(generation) = unsafe { p.as_ref() }
            && generation.process == Process::current()
        {
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

// SAFETY: the cell hands out `&T` to any thread, like an `Arc<T>` would.
unsafe impl<T: Send + Sync, F: Send> Send for PerProcess<T, F> {}
unsafe impl<T: Send + Sync, F: Sync> Sync for PerProcess<T, F> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    /// The fast path is live: the constructor ran at load time, so `get` reads a counter, not the pid.
    #[cfg(target_os = "linux")]
    #[test]
    fn forks_are_watched_from_load_time() {
        assert!(WATCHING.load(Ordering::Acquire));
        let before = FORKS.load(Ordering::Acquire);
        // SAFETY: the child only reads an atomic and exits without unwinding.
        match unsafe { libc::fork() } {
            0 => unsafe { libc::_exit(i32::from(FORKS.load(Ordering::Acquire) != before + 1)) },
            child => {
                let mut status = 0;
                assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
                assert_eq!(status, 0, "the child saw its fork counted");
                assert_eq!(FORKS.load(Ordering::Acquire), before, "the parent's count is its own");
            }
        }
    }

    #[test]
    fn made_once_per_process_even_under_a_race() {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&made);
        let init: Init<std::sync::Mutex<u32>> = Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            std::sync::Mutex::new(0u32)
        });
        let cell = Arc::new(PerProcess::new(init));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let cell = Arc::clone(&cell);
                std::thread::spawn(move || *cell.get().lock().unwrap() += 1)
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(*cell.get().lock().unwrap(), 8);
        // Racing threads may build a spare, but only one is ever installed and kept.
        assert!(made.load(Ordering::SeqCst) >= 1);
        let first: *const _ = cell.get();
        assert_eq!(first, cell.get() as *const _);
    }
}
