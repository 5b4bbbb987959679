//! A client's calls in flight: each a tokio task (on the JS thread's runtime, `event_loop.rs`), answered through the client's one threadsafe function.
//!
//! A napi `async fn` creates (and tears down) a threadsafe function and a Promise for every call;
//! here one threadsafe function per client carries every answer as `(id, ok, text)` to a JS
//! listener (ts/inflight.ts), which settles the Promise it made. Answers that arrive together are
//! delivered in one wake-up of the event loop. The function is weak while nothing is in flight,
//! so an idle client never keeps the process alive, and referenced while a call is pending, as a
//! Promise of an `async fn` would be.

use std::sync::Arc;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use napi::Env;
use napi::bindgen_prelude::{FnArgs, Function, FunctionRef, JsValue, JsValuesTupleIntoVec};
use napi::threadsafe_function::{ThreadsafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use pagoefectivo::boundary::ops;
use pagoefectivo::{Client, Error, ErrorCode};

use crate::client::NativeClient;
use crate::errors::{Result, guarded, parse, raise};
use crate::event_loop::JsThreadRuntime;

/// One answer: the call's id, whether it succeeded, and its JSON text (or the error message, `errors.rs`).
type Answer = (u32, bool, String);
type Answers = ThreadsafeFunction<Answer, (), FnArgs<Answer>, napi::Status, false, true>;

/// What the listener and the calls share: the threadsafe function, its raw handle (to reference it
/// from the JS thread) and how many calls are in flight.
pub(crate) struct Inflight {
    answers: Answers,
    /// The listener itself, called directly by calls answered on the JS thread's runtime.
    listener: FunctionRef<FnArgs<Answer>, ()>,
    shared: Arc<Counter>,
}

impl Inflight {
    /// On the JS thread, after a run of its runtime: `answer` to the listener, as the threadsafe
    /// function's callback would (the call settled first, then JS called).
    fn deliver(&self, rt: &JsThreadRuntime, answer: Answer) {
        let env = rt.env();
        self.shared.settled(env);
        JsThreadRuntime::settled();
        let js = Env::from_raw(env);
        let Ok(listener) = self.listener.borrow_back(&js) else {
            // Unreachable while the client lives (it holds the listener); the queue still answers.
            self.shared.started(env);
            let _ = self.answers.call(answer, ThreadsafeFunctionCallMode::NonBlocking);
            return;
        };
        // Making three JS values fails only when the engine itself is failing.
        if let Ok(args) = FnArgs::from(answer).into_vec(env) {
            // SAFETY: on the runtime's thread, inside the handle scope `deliver` opened for this answer.
            unsafe { rt.call_js(listener.value().value, &args) };
        }
    }
}

struct Counter {
    pending: AtomicU32,
    raw: AtomicPtr<napi::sys::napi_threadsafe_function__>,
}

impl Counter {
    /// On the JS thread: one more call; the first keeps the event loop alive.
    fn started(&self, env: napi::sys::napi_env) {
        if self.pending.fetch_add(1, Ordering::Relaxed) == 0 {
            // SAFETY: `raw` is the live threadsafe function of this env (it outlives every call).
            unsafe { napi::sys::napi_ref_threadsafe_function(env, self.raw.load(Ordering::Relaxed)) };
        }
    }

    /// On the JS thread: a call answered; the last lets the process exit again.
    fn settled(&self, env: napi::sys::napi_env) {
        if self.pending.fetch_sub(1, Ordering::Relaxed) == 1 {
            // SAFETY: as in `started`.
            unsafe { napi::sys::napi_unref_threadsafe_function(env, self.raw.load(Ordering::Relaxed)) };
        }
    }
}

/// An operation of this client (`boundary::ops::CLIENT_OPS`), its result as JSON text.
async fn run(client: &Client, op: &str, args: &str) -> std::result::Result<String, Error> {
    ops::client_call_json(client, op, &parse(args)?).await
}

#[napi]
impl NativeClient {
    /// Where this client's answers go: `listener(id, ok, text)` on the JS thread, once per call of `start`.
    #[napi(ts_args_type = "listener: (id: number, ok: boolean, text: string) => void")]
    pub fn listen(&mut self, listener: Function<'_, FnArgs<Answer>, ()>) -> Result<()> {
        let shared = Arc::new(Counter { pending: AtomicU32::new(0), raw: AtomicPtr::default() });
        let counter = shared.clone();
        let answers: Answers = listener
            .build_threadsafe_function::<Answer>()
            .callee_handled::<false>()
            .weak::<true>()
            .build_callback(move |ctx: ThreadsafeCallContext<Answer>| {
                counter.settled(ctx.env.raw());
                JsThreadRuntime::settled();
                Ok(FnArgs::from(ctx.value))
            })
            .map_err(|e| raise(&Error::new(ErrorCode::InternalError, e.reason.clone())))?;
        shared.raw.store(answers.raw(), Ordering::Relaxed);
        let listener = listener
            .create_ref()
            .map_err(|e| raise(&Error::new(ErrorCode::InternalError, e.reason.clone())))?;
        self.inflight = Some(Arc::new(Inflight { answers, listener, shared }));
        Ok(())
    }

    /// Starts operation `op` (JSON `args`) on the runtime; its answer reaches the listener as `id`.
    #[napi]
    pub fn start(&self, env: Env, op: String, args: String, id: u32) -> Result<()> {
        let Some(inflight) = self.inflight.clone() else {
            return Err(raise(&Error::internal("start before listen")));
        };
        inflight.shared.started(env.raw());
        let client = self.inner.clone();
        let js_thread = crate::event_loop::current(&env);
        let direct = js_thread.is_some();
        let call = async move {
            // Boxed: the operation's future is many kilobytes, and unboxed every spawn would copy
            // all of it on the JS thread (measured: memmove was 6 % of the client's CPU).
            let (ok, text) = match guarded(Box::pin(run(&client, &op, &args))).await {
                Ok(text) => (true, text),
                Err(e) => (false, e.reason),
            };
            if direct {
                // Polled on the JS thread's runtime: handed to the listener right after this run.
                let answering = Arc::clone(&inflight);
                let answer = (id, ok, text);
                JsThreadRuntime::finished(Box::new(move |rt| answering.deliver(rt, answer)));
                return;
            }
            // Only refused once the environment is being torn down (nobody left to answer).
            let _ = inflight.answers.call((id, ok, text), ThreadsafeFunctionCallMode::NonBlocking);
        };
        match js_thread {
            Some(js_thread) => js_thread.start(call),
            None => drop(napi::bindgen_prelude::spawn(call)),
        }
        Ok(())
    }
}
