//! Dedup leases and the shared token on Redis: one key per event, one per credential set, each with an expiry.
//!
//! `pagoefectivo:dedup:<eventType:operationNumber:cip>` holds `p:<hash>` while
//! leased (expiring with the lease) and `d:<hash>` once completed (expiring
//! with the ttl); `pagoefectivo:token:<key>` holds the token (expiring with it)
//! and `pagoefectivo:token-lock:<key>` the refresh lock (`SET NX PX`). Each
//! operation is one Lua script, atomic on the server.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{Script, Value};
use tokio::sync::OnceCell;

use crate::dedup::{Begin, LeaseStore, StoreFuture, store_error};
use crate::error::Error;
use crate::fork::PerProcess;
use crate::shared::TokenStore;

const PREFIX: &str = "pagoefectivo:dedup:";
const TOKEN: &str = "pagoefectivo:token:";
const TOKEN_LOCK: &str = "pagoefectivo:token-lock:";

const BEGIN: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'p:' .. ARGV[1], 'PX', ARGV[2])
  return 'started'
end
if string.sub(v, 3) ~= ARGV[1] then return 'conflict' end
if string.sub(v, 1, 1) == 'd' then return 'duplicate' end
return 'in_progress'";
const COMPLETE: &str = r"
local v = redis.call('GET', KEYS[1])
if v then redis.call('SET', KEYS[1], 'd:' .. string.sub(v, 3), 'PX', ARGV[1]) end
return 1";
const FAIL: &str = r"
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 1) == 'p' then redis.call('DEL', KEYS[1]) end
return 1";
const PUT: &str = r"
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1";
const INVALIDATE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1";
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1";

struct Scripts {
    begin: Script,
    complete: Script,
    fail: Script,
    put: Script,
    unlock: Script,
    invalidate: Script,
}

/// The process's connection, made by the first caller (a failed attempt leaves it empty for the next).
type Live = OnceCell<ConnectionManager>;

fn live() -> Live {
    OnceCell::new()
}

pub(crate) struct RedisStore {
    client: redis::Client,
    scripts: Arc<Scripts>,
    live: PerProcess<Live>,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).clamp(1, 100 * 365 * 86_400_000)
}

fn failed(e: redis::RedisError) -> Error {
    store_error("Redis", e)
}

impl RedisStore {
    pub fn new(url: &str) -> Result<RedisStore, Error> {
        // redis' own message for a bad URL does not quote it (it may hold a password).
        let client = redis::Client::open(url)
            .map_err(|e| Error::config(format!("the Redis URL is not valid: {e}")))?;
        let scripts = Scripts {
            begin: Script::new(BEGIN),
            complete: Script::new(COMPLETE),
            fail: Script::new(FAIL),
            put: Script::new(PUT),
            unlock: Script::new(UNLOCK),
            invalidate: Script::new(INVALIDATE),
        };
        Ok(RedisStore { client, scripts: Arc::new(scripts), live: PerProcess::new(live) })
    }

    /// The process's multiplexed connection (reconnects by itself once made).
    async fn conn(&self) -> Result<ConnectionManager, Error> {
        let conn = self
            .live
            .get()
            .get_or_try_init(|| async {
                let config = redis::aio::ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(Duration::from_secs(5)))
                    .set_response_timeout(Some(Duration::from_secs(5)))
                    .set_number_of_retries(1);
                ConnectionManager::new_with_config(self.client.clone(), config).await.map_err(failed)
            })
            .await?;
        Ok(conn.clone())
    }
}

impl LeaseStore for RedisStore {
    fn begin<'a>(&'a self, key: &'a str, payload_hash: &'a str, lease: Duration) -> StoreFuture<'a, Begin> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            // The common case first: a key never seen is one plain SET NX; only a key that
            // exists (a redelivery, a live lease) pays for the script that reads it.
            let taken: Option<String> = redis::cmd("SET")
                .arg(format!("{PREFIX}{key}"))
                .arg(format!("p:{payload_hash}"))
                .arg("NX")
                .arg("PX")
                .arg(millis(lease))
                .query_async(&mut c)
                .await
                .map_err(failed)?;
            if taken.is_some() {
                return Ok(Begin::Started);
            }
            let answer: String = self
                .scripts
                .begin
                .key(format!("{PREFIX}{key}"))
                .arg(payload_hash)
                .arg(millis(lease))
                .invoke_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(match answer.as_str() {
                "started" => Begin::Started,
                "duplicate" => Begin::Duplicate,
                "conflict" => Begin::Conflict,
                _ => Begin::InProgress,
            })
        })
    }

    fn complete<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let _: Value = self
                .scripts
                .complete
                .key(format!("{PREFIX}{key}"))
                .arg(millis(ttl))
                .invoke_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(())
        })
    }

    fn fail<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let _: Value =
                self.scripts.fail.key(format!("{PREFIX}{key}")).invoke_async(&mut c).await.map_err(failed)?;
            Ok(())
        })
    }

    fn remove<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            redis::cmd("DEL")
                .arg(format!("{PREFIX}{key}"))
                .query_async::<Value>(&mut c)
                .await
                .map_err(failed)?;
            Ok(())
        })
    }
}

impl TokenStore for RedisStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<(String, Duration)>> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let (token, left): (Option<String>, i64) = redis::pipe()
                .cmd("GET")
                .arg(format!("{TOKEN}{key}"))
                .cmd("PTTL")
                .arg(format!("{TOKEN}{key}"))
                .query_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(token.filter(|_| left > 0).map(|t| (t, Duration::from_millis(left.unsigned_abs()))))
        })
    }

    fn try_lock<'a>(&'a self, key: &'a str, owner: &'a str, ttl: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let set: Option<String> = redis::cmd("SET")
                .arg(format!("{TOKEN_LOCK}{key}"))
                .arg(owner)
                .arg("NX")
                .arg("PX")
                .arg(millis(ttl))
                .query_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(set.is_some())
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        token: &'a str,
        valid_for: Duration,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let _: Value = self
                .scripts
                .put
                .key(format!("{TOKEN}{key}"))
                .key(format!("{TOKEN_LOCK}{key}"))
                .arg(owner)
                .arg(token)
                .arg(millis(valid_for))
                .invoke_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(())
        })
    }

    fn unlock<'a>(&'a self, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let _: Value = self
                .scripts
                .unlock
                .key(format!("{TOKEN_LOCK}{key}"))
                .arg(owner)
                .invoke_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(())
        })
    }

    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            let _: Value = self
                .scripts
                .invalidate
                .key(format!("{TOKEN}{key}"))
                .arg(rejected)
                .invoke_async(&mut c)
                .await
                .map_err(failed)?;
            Ok(())
        })
    }
}
