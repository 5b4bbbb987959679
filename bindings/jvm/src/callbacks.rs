//! What the core's runtime threads hand to the JVM: async replies and log records, through two queues.
//!
//! A runtime thread never enters the JVM. Attaching one would make it a
//! non-daemon Java thread that keeps the JVM from exiting (jni 0.22 has no daemon
//! attachments, and rightly: such a thread could call JNI after the JVM is gone),
//! and it would run the application's code on the runtime. Instead each reply
//! is queued with the id Kotlin gave its call, and a JVM daemon thread
//! (`pagoefectivo-completions`) takes them in batches (`Native.awaitReplies`);
//! log records go the same way to `pagoefectivo-log`, except those of a Java
//! thread inside a native call (a blocking call), which are logged right there
//! so they keep that thread's MDC.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, OnceLock};

use jni::objects::{Global, JClass, JValue};
use jni::signature::{Primitive, ReturnType};
use jni::vm::JavaVM;
use jni::{Env, jni_sig, jni_str};

/// Items waiting for a JVM thread, and the signal that there are some.
struct Queue<T> {
    items: Mutex<VecDeque<T>>,
    ready: Condvar,
}

impl<T> Queue<T> {
    const fn new() -> Self {
        Queue { items: Mutex::new(VecDeque::new()), ready: Condvar::new() }
    }

    fn push(&self, item: T) {
        let mut q = self.items.lock().unwrap_or_else(|p| p.into_inner());
        q.push_back(item);
        drop(q);
        self.ready.notify_one();
    }

    /// Everything queued, waiting until there is something.
    fn take_all(&self) -> Vec<T> {
        let mut q = self.items.lock().unwrap_or_else(|p| p.into_inner());
        while q.is_empty() {
            q = self.ready.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        q.drain(..).collect()
    }
}

static REPLIES: Queue<(i64, Vec<u8>)> = Queue::new();
static LOGS: Queue<(i32, bool, String)> = Queue::new();

/// Queues the reply of async call `id` for the completions thread.
pub fn complete(id: i64, reply: Vec<u8>) {
    REPLIES.push((id, reply));
}

/// The queued replies as one batch: for each, the id (8 bytes, big-endian), the length (4 bytes) and the reply.
pub fn take_replies() -> Vec<u8> {
    let mut out = Vec::new();
    for (id, reply) in REPLIES.take_all() {
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&(reply.len() as u32).to_be_bytes());
        out.extend_from_slice(&reply);
    }
    out
}

/// The queued log records as one batch: level (1 byte), sandbox (1 byte), length (4 bytes), UTF-8 text.
pub fn take_logs() -> Vec<u8> {
    let mut out = Vec::new();
    for (level, sandbox, text) in LOGS.take_all() {
        out.push(level as u8);
        out.push(u8::from(sandbox));
        out.extend_from_slice(&(text.len() as u32).to_be_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    out
}

struct LogCallback {
    class: Global<JClass<'static>>,
    /// `static void log(int level, boolean sandbox, String message)`
    method: jni::ids::JStaticMethodID,
}

static LOG_CALLBACK: OnceLock<LogCallback> = OnceLock::new();

/// Resolves `Native.log` once, from a Java thread (a runtime thread's class loader would not see it).
pub fn init(env: &mut Env<'_>, class: &JClass<'_>) -> jni::errors::Result<()> {
    if LOG_CALLBACK.get().is_none() {
        let method = env.get_static_method_id(class, jni_str!("log"), jni_sig!("(IZLjava/lang/String;)V"))?;
        let _ = LOG_CALLBACK.set(LogCallback { class: env.new_global_ref(class)?, method });
    }
    Ok(())
}

/// A log record: straight to SLF4J on a Java thread (inside a blocking call), else queued.
pub fn log(level: i32, sandbox: bool, message: &str) {
    let on_java_thread = JavaVM::singleton().ok().filter(|vm| vm.is_thread_attached().unwrap_or(false));
    if let (Some(vm), Some(cb)) = (on_java_thread, LOG_CALLBACK.get()) {
        let logged = vm.attach_current_thread(|env| -> jni::errors::Result<()> {
            let text = env.new_string(message)?;
            let args = [
                JValue::Int(level).as_jni(),
                JValue::Bool(sandbox).as_jni(),
                JValue::Object(text.as_ref()).as_jni(),
            ];
            // SAFETY: the method ID was resolved on this class with exactly this signature.
            unsafe {
                env.call_static_method_unchecked(
                    &cb.class,
                    cb.method,
                    ReturnType::Primitive(Primitive::Void),
                    &args,
                )
            }
            .map(|_| ())
        });
        if logged.is_ok() {
            return;
        }
    }
    LOGS.push((level, sandbox, message.to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_and_logs_cross_in_batches() {
        complete(7, b"O1".to_vec());
        complete(-2, b"E{}".to_vec());
        let batch = take_replies();
        assert_eq!(&batch[..8], &7i64.to_be_bytes());
        assert_eq!(&batch[8..12], &2u32.to_be_bytes());
        assert_eq!(&batch[12..14], b"O1");
        assert_eq!(&batch[14..22], &(-2i64).to_be_bytes());
        log(2, true, "no JVM here: queued");
        assert_eq!(take_logs(), [&[2u8, 1][..], &19u32.to_be_bytes(), b"no JVM here: queued"].concat());
    }
}
