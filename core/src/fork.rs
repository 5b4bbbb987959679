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

use std::sync::atomic::{AtomicPtr, Ordering};

/// The process id, as cheaply as the OS allows (a `getpid` call).
pub fn current_pid() -> u32 {
    std::process::id()
}

struct Generation<T> {
    pid: u32,
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
        let pid = current_pid();
        let seen = self.current.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from Box::into_raw below and is
        // never freed while `self` lives (replaced generations are leaked).
        if let Some(generation) = unsafe { seen.as_ref() }
            && generation.pid == pid
        {
            return &generation.value;
        }
        let fresh = Box::into_raw(Box::new(Generation { pid, value: (self.init)() }));
        match self.current.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: just stored, and never freed while `self` lives.
            Ok(_) => unsafe { &(*fresh).value },
            Err(winner) => {
                // Another thread of this process installed one first: use it, free ours.
                // SAFETY: `fresh` was never shared; `winner` is live as above.
                drop(unsafe { Box::from_raw(fresh) });
                match unsafe { winner.as_ref() } {
                    Some(generation) if generation.pid == pid => &generation.value,
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
            && generation.pid == current_pid()
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
