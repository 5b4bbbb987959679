//! The JS thread's own tokio runtime, driven by libuv: a client's call is sent, answered and settled on one thread.
//!
//! A call on the addon's multi-thread runtime changes thread twice (JS thread → tokio worker → JS
//! thread): four wake-ups of a sleeping vCPU per call, where undici, all on the JS thread, has one.
//! Here each JS thread (main or `Worker`) gets a current-thread runtime. Its IO driver's epoll
//! descriptor is itself pollable, so libuv watches it (`uv_poll`) and runs the runtime whenever a
//! socket of it is ready. The only call in flight is run at once, its request written before
//! `start` returns; a burst of calls is run together in libuv's idle phase. While a call is pending
//! a 1 ms libuv timer also runs it, for tokio's own timers (timeouts, retry back-off), which no
//! descriptor announces.
//!
//! Linux only (the descriptor is found in `/proc/self/fd`); elsewhere, or if it cannot be found,
//! calls run on the multi-thread runtime as before (`inflight.rs`).

use std::cell::{Cell, RefCell};
use std::ffi::{c_int, c_void};
use std::future::Future;
use std::os::fd::RawFd;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use napi::Env;

unsafe extern "C" {
    fn uv_handle_size(kind: c_int) -> usize;
    fn uv_poll_init(event_loop: *mut c_void, handle: *mut c_void, fd: c_int) -> c_int;
    fn uv_poll_start(
        handle: *mut c_void,
        events: c_int,
        cb: extern "C" fn(*mut c_void, c_int, c_int),
    ) -> c_int;
    fn uv_poll_stop(handle: *mut c_void) -> c_int;
    fn uv_timer_init(event_loop: *mut c_void, handle: *mut c_void) -> c_int;
    fn uv_timer_start(
        handle: *mut c_void,
        cb: extern "C" fn(*mut c_void),
        timeout: u64,
        repeat: u64,
    ) -> c_int;
    fn uv_timer_stop(handle: *mut c_void) -> c_int;
    fn uv_idle_init(event_loop: *mut c_void, handle: *mut c_void) -> c_int;
    fn uv_idle_start(handle: *mut c_void, cb: extern "C" fn(*mut c_void)) -> c_int;
    fn uv_idle_stop(handle: *mut c_void) -> c_int;
    fn uv_unref(handle: *mut c_void);
    fn uv_close(handle: *mut c_void, cb: Option<extern "C" fn(*mut c_void)>);
}

// libuv's `uv_handle_type` and `uv_poll_event` values (uv.h, stable since libuv 1.0).
const UV_IDLE: c_int = 6;
const UV_POLL: c_int = 8;
const UV_TIMER: c_int = 13;
const UV_READABLE: c_int = 1;
/// The most rounds of one run: a descriptor that stays ready then waits for libuv's next turn.
const MAX_ROUNDS: usize = 64;
/// How far ahead `timer_floor` keeps a deadline: below any request timeout one would configure.
const FLOOR: std::time::Duration = std::time::Duration::from_millis(100);

/// A call not yet spawned.
type Call = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
/// An answer to hand to JS once the run that made it is over.
pub(crate) type Delivery = Box<dyn FnOnce(&JsThreadRuntime)>;

/// One JS thread's runtime, the descriptor libuv watches and the three libuv handles.
pub(crate) struct JsThreadRuntime {
    runtime: tokio::runtime::Runtime,
    epoll: RawFd,
    poll: *mut c_void,
    timer: *mut c_void,
    /// Active while `queued` holds calls: they are spawned and run in libuv's idle phase.
    idle: *mut c_void,
    queued: RefCell<Vec<Call>>,
    pending: Cell<u32>,
    env: napi::sys::napi_env,
    /// The async context JS is called in (async_hooks see one resource per JS thread).
    context: napi::sys::napi_async_context,
    /// Its resource object, kept alive until teardown.
    resource: napi::sys::napi_ref,
    done: RefCell<Vec<Delivery>>,
}

thread_local! {
    static RUNTIME: RefCell<Option<Rc<JsThreadRuntime>>> = const { RefCell::new(None) };
    /// Set once the first attempt on this thread failed: calls then stay on the multi-thread runtime.
    static UNAVAILABLE: Cell<bool> = const { Cell::new(false) };
}

/// `PAGOEFECTIVO_NODE_THREADS` when it is a thread count (1 to 256); anything else is unset.
pub(crate) fn configured_threads() -> Option<usize> {
    let threads = std::env::var("PAGOEFECTIVO_NODE_THREADS").ok()?.trim().parse::<usize>().ok()?;
    (1..=256).contains(&threads).then_some(threads)
}

/// This JS thread's runtime, made on first use; `None` where it cannot be (see the module's note).
pub(crate) fn current(env: &Env) -> Option<Rc<JsThreadRuntime>> {
    if let Some(rt) = RUNTIME.with_borrow(Clone::clone) {
        return Some(rt);
    }
    if UNAVAILABLE.get() || configured_threads().is_some() {
        return None;
    }
    let made = JsThreadRuntime::new(env);
    UNAVAILABLE.set(made.is_none());
    RUNTIME.set(made.clone());
    made
}

impl JsThreadRuntime {
    fn new(env: &Env) -> Option<Rc<Self>> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let before = epoll_descriptors()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build().ok()?;
        let made: Vec<RawFd> = epoll_descriptors()?.into_iter().filter(|fd| !before.contains(fd)).collect();
        // tokio keeps a `dup` of its epoll descriptor (the registry's clone): the same epoll, so the
        // same `fdinfo`. Anything else means another thread made one meanwhile, and which is ours is unknown.
        let info = |fd: &RawFd| std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).ok();
        let epoll = *made.first()?;
        if made.iter().any(|fd| info(fd).is_none() || info(fd) != info(&epoll)) {
            return None;
        }
        let mut event_loop = std::ptr::null_mut();
        // SAFETY: `env` is this thread's live environment; libuv's handles are allocated with the
        // size libuv reports, initialised on this loop before use and only used on this thread.
        unsafe {
            if napi::sys::napi_get_uv_event_loop(env.raw(), &mut event_loop) != napi::sys::Status::napi_ok {
                return None;
            }
            let event_loop = event_loop.cast::<c_void>();
            let poll = handle(UV_POLL);
            let timer = handle(UV_TIMER);
            let idle = handle(UV_IDLE);
            if uv_poll_init(event_loop, poll, epoll) != 0
                || uv_timer_init(event_loop, timer) != 0
                || uv_idle_init(event_loop, idle) != 0
            {
                return None;
            }
            let (context, resource) = async_context(env.raw())?;
            uv_poll_start(poll, UV_READABLE, on_ready);
            runtime.spawn(timer_floor());
            // Neither the poll nor the timer keeps the process alive: a pending call does (its
            // threadsafe function). The idle handle is active only while calls wait to be spawned.
            uv_unref(poll);
            uv_unref(timer);
            napi::sys::napi_add_env_cleanup_hook(env.raw(), Some(on_teardown), std::ptr::null_mut());
            Some(Rc::new(Self {
                runtime,
                epoll,
                poll,
                timer,
                idle,
                queued: RefCell::default(),
                pending: Cell::new(0),
                env: env.raw(),
                context,
                resource,
                done: RefCell::default(),
            }))
        }
    }

    /// Runs `call`. The only call in flight is run at once (its request written before this
    /// returns: the shortest wait one at a time); with others in flight it is queued, and the
    /// calls queued meanwhile are spawned and run together in libuv's idle phase, which comes
    /// before the loop would wait again (one run, and no wake-up, for a burst of calls).
    pub(crate) fn start(&self, call: impl Future<Output = ()> + Send + 'static) {
        let alone = self.pending.replace(self.pending.get() + 1) == 0;
        if alone {
            // SAFETY: the timer is initialised and this is its loop's thread.
            unsafe { uv_timer_start(self.timer, on_timer, 1, 1) };
        }
        // Inside another runtime's context (a Promise of this addon being polled here) a nested run
        // would be refused: the call waits for libuv's next turn too.
        if tokio::runtime::Handle::try_current().is_ok() {
            self.runtime.spawn(call); // the spawn wakes the descriptor
        } else if alone {
            self.run(vec![Box::pin(call)]);
        } else {
            let mut queued = self.queued.borrow_mut();
            if queued.is_empty() {
                // SAFETY: as above.
                unsafe { uv_idle_start(self.idle, on_idle) };
            }
            queued.push(Box::pin(call));
        }
        // Answers are never handed to JS inside `start` (its caller has not stored the call yet).
        if !self.done.borrow().is_empty() {
            // SAFETY: as above.
            unsafe { uv_idle_start(self.idle, on_idle) };
        }
    }

    /// From a task of this runtime: `delivery` runs once the current run is over (dropped if the
    /// runtime is already torn down: nobody is left to answer).
    pub(crate) fn finished(delivery: Delivery) {
        RUNTIME.with_borrow(|rt| {
            if let Some(rt) = rt {
                rt.done.borrow_mut().push(delivery);
            }
        });
    }

    /// Hands the answers of the last run to JS. Only from a libuv callback (no JS on the stack):
    /// each call's callback scope then runs the microtasks its answer queued (the awaiting code).
    fn deliver(&self) {
        let batch = std::mem::take(&mut *self.done.borrow_mut());
        for delivery in batch {
            let mut scope = std::ptr::null_mut();
            // SAFETY: this runtime's env, on its thread; the scope is closed right after.
            unsafe { napi::sys::napi_open_handle_scope(self.env, &mut scope) };
            delivery(self);
            // SAFETY: as above.
            unsafe { napi::sys::napi_close_handle_scope(self.env, scope) };
        }
    }

    /// Calls `func(args)` as a callback from the event loop: in this runtime's async context, with
    /// microtasks run after; an exception it throws is reported as uncaught, like any callback's.
    ///
    /// # Safety
    /// On this runtime's JS thread, inside a handle scope holding `func` and `args` (as `deliver` opens).
    pub(crate) unsafe fn call_js(&self, func: napi::sys::napi_value, args: &[napi::sys::napi_value]) {
        use napi::sys;
        let env = self.env;
        // SAFETY: the caller's contract; every value comes from this env.
        unsafe {
            // The receiver must be an object (it names the context the callback runs in).
            let mut recv = std::ptr::null_mut();
            sys::napi_get_global(env, &mut recv);
            let mut result = std::ptr::null_mut();
            let status = sys::napi_make_callback(
                env,
                self.context,
                recv,
                func,
                args.len(),
                args.as_ptr(),
                &mut result,
            );
            if status == sys::Status::napi_pending_exception {
                let mut error = std::ptr::null_mut();
                sys::napi_get_and_clear_last_exception(env, &mut error);
                sys::napi_fatal_exception(env, error);
            }
        }
    }

    pub(crate) fn env(&self) -> napi::sys::napi_env {
        self.env
    }

    /// A call of this thread answered: the last one stops the timer.
    pub(crate) fn settled() {
        RUNTIME.with_borrow(|rt| {
            if let Some(rt) = rt
                && rt.pending.replace(rt.pending.get().saturating_sub(1)) == 1
            {
                // SAFETY: as in `start`.
                unsafe { uv_timer_stop(rt.timer) };
            }
        });
    }

    /// Runs every task that is ready, polls the IO driver, and repeats until its descriptor is quiet.
    fn run(&self, calls: Vec<Call>) {
        let epoll = self.epoll;
        // One call in flight: one driver poll after its work, no look at the descriptor (a poll
        // syscall that, one at a time, almost always finds nothing). libuv watches the descriptor
        // level-triggered, so what arrives later runs the runtime again (and the 1 ms timer would).
        let busy = self.pending.get() > 1;
        // A panic here (not in a call: those are caught in `inflight.rs`) must not unwind into libuv.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            self.runtime.block_on(async move {
                for call in calls {
                    tokio::spawn(call);
                }
                // The last task in the queue: it runs after every task woken before it, and each
                // `yield_now` resumes only after the driver has been polled once more.
                let (done, finished) = tokio::sync::oneshot::channel();
                tokio::spawn(async move {
                    for _ in 0..MAX_ROUNDS {
                        tokio::task::yield_now().await;
                        if !busy || !readable(epoll) {
                            break;
                        }
                    }
                    let _ = done.send(());
                });
                let _ = finished.await;
            })
        }));
    }
}

/// A timer always due within `FLOOR`: the earliest deadline tokio knows, so that a call's own
/// timeout (later) is registered without waking the IO driver (an eventfd write, and one more
/// round of the run, per call). Once due it waits, harmlessly, for the next run.
async fn timer_floor() {
    loop {
        tokio::time::sleep(FLOOR).await;
    }
}

/// A libuv handle of `kind`, zeroed, never freed (three per JS thread, closed at teardown).
fn handle(kind: c_int) -> *mut c_void {
    // SAFETY: `uv_handle_size` only reads a table.
    let words = unsafe { uv_handle_size(kind) }.div_ceil(8);
    Box::leak(vec![0u64; words].into_boxed_slice()).as_mut_ptr().cast()
}

extern "C" fn on_ready(_handle: *mut c_void, _status: c_int, _events: c_int) {
    if let Some(rt) = RUNTIME.with_borrow(Clone::clone) {
        rt.run(Vec::new());
        rt.deliver();
    }
}

extern "C" fn on_idle(handle: *mut c_void) {
    // SAFETY: the idle handle, on its loop's thread.
    unsafe { uv_idle_stop(handle) };
    if let Some(rt) = RUNTIME.with_borrow(Clone::clone) {
        let calls = std::mem::take(&mut *rt.queued.borrow_mut());
        if !calls.is_empty() {
            rt.run(calls);
        }
        rt.deliver();
    }
}

extern "C" fn on_timer(_handle: *mut c_void) {
    on_ready(std::ptr::null_mut(), 0, 0);
}

unsafe extern "C" fn on_teardown(_arg: *mut c_void) {
    if let Some(rt) = RUNTIME.take() {
        // SAFETY: the three handles were initialised on this thread's loop, which is still alive here.
        unsafe {
            uv_poll_stop(rt.poll);
            uv_timer_stop(rt.timer);
            uv_idle_stop(rt.idle);
            uv_close(rt.poll, None);
            uv_close(rt.timer, None);
            uv_close(rt.idle, None);
        }
        // SAFETY: this env's own async context and reference, during its cleanup.
        unsafe {
            napi::sys::napi_async_destroy(rt.env, rt.context);
            napi::sys::napi_delete_reference(rt.env, rt.resource);
        }
        rt.done.borrow_mut().clear();
        if let Ok(rt) = Rc::try_unwrap(rt) {
            rt.runtime.shutdown_background();
        }
    }
}

/// The async context answers are delivered in, and a reference keeping its resource alive.
///
/// # Safety
/// `env` is this thread's live environment.
unsafe fn async_context(
    env: napi::sys::napi_env,
) -> Option<(napi::sys::napi_async_context, napi::sys::napi_ref)> {
    use napi::sys;
    let ok = |status| status == sys::Status::napi_ok;
    // SAFETY: the caller's contract.
    unsafe {
        let (mut resource, mut name, mut context, mut kept) =
            (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
        let label = c"pagoefectivo";
        let made = ok(sys::napi_create_object(env, &mut resource))
            && ok(sys::napi_create_string_utf8(env, label.as_ptr(), label.count_bytes() as isize, &mut name))
            && ok(sys::napi_async_init(env, resource, name, &mut context))
            && ok(sys::napi_create_reference(env, resource, 1, &mut kept));
        made.then_some((context, kept))
    }
}

/// Whether the runtime's epoll descriptor has events for it (`poll` only looks; it takes none).
fn readable(fd: RawFd) -> bool {
    let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd, no wait.
    unsafe { libc::poll(&mut p, 1, 0) > 0 }
}

/// This process's open epoll descriptors.
fn epoll_descriptors() -> Option<Vec<RawFd>> {
    let dir = std::fs::read_dir("/proc/self/fd").ok()?;
    Some(
        dir.flatten()
            .filter(|e| std::fs::read_link(e.path()).is_ok_and(|t| t.as_os_str() == "anon_inode:[eventpoll]"))
            .filter_map(|e| e.file_name().to_str()?.parse().ok())
            .collect(),
    )
}
