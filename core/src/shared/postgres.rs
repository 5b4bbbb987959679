//! Dedup leases and the shared token on PostgreSQL: one row per event, one row per credential set.
//!
//! Schema (created if missing, on first connection; see the README's "many
//! servers" section for the migration to run yourself):
//!
//! ```sql
//! CREATE TABLE IF NOT EXISTS pagoefectivo_dedup (
//!     key text PRIMARY KEY,            -- eventType:operationNumber:cip
//!     payload_hash text NOT NULL,      -- SHA-256 of the event: a changed payload is a conflict
//!     done boolean NOT NULL,           -- false: leased (in progress); true: completed
//!     until timestamptz NOT NULL);     -- lease expiry, or (done) when the key is forgotten
//! CREATE TABLE IF NOT EXISTS pagoefectivo_tokens (
//!     key text PRIMARY KEY, token text NOT NULL, expires timestamptz NOT NULL,
//!     lock_owner text, lock_until timestamptz);
//! ```
//!
//! Every operation is one statement; `begin` is an `INSERT ... ON CONFLICT DO
//! UPDATE ... WHERE until < now()`, so of two workers one gets the lease.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, RwLock};
use tokio_postgres::{Client, NoTls, Statement};

use crate::dedup::{Begin, LeaseStore, StoreFuture, store_error};
use crate::error::Error;
use crate::fork::PerProcess;
use crate::shared::TokenStore;

// One simple query is one transaction; the advisory lock makes servers that start together
// create the tables one after the other (concurrent `IF NOT EXISTS` races on the catalog).
const SCHEMA: &str = "
SELECT pg_advisory_xact_lock(7368737447726557);
CREATE TABLE IF NOT EXISTS pagoefectivo_dedup (
    key text PRIMARY KEY, payload_hash text NOT NULL, done boolean NOT NULL, until timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS pagoefectivo_tokens (
    key text PRIMARY KEY, token text NOT NULL, expires timestamptz NOT NULL, lock_owner text, lock_until timestamptz);";

const BEGIN: &str = "
WITH taken AS (
    INSERT INTO pagoefectivo_dedup AS d (key, payload_hash, done, until)
    VALUES ($1, $2, false, now() + make_interval(secs => $3))
    ON CONFLICT (key) DO UPDATE SET payload_hash = EXCLUDED.payload_hash, done = false, until = EXCLUDED.until
        WHERE d.until < now()
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM taken),
       (SELECT done FROM pagoefectivo_dedup WHERE key = $1 AND until >= now()),
       (SELECT payload_hash FROM pagoefectivo_dedup WHERE key = $1 AND until >= now())";
// The common case first: a key never seen is one plain insert; only a key that exists (a
// redelivery, a live or expired lease) pays for the statement above.
const BEGIN_NEW: &str = "
INSERT INTO pagoefectivo_dedup (key, payload_hash, done, until)
VALUES ($1, $2, false, now() + make_interval(secs => $3)) ON CONFLICT (key) DO NOTHING";
const COMPLETE: &str =
    "UPDATE pagoefectivo_dedup SET done = true, until = now() + make_interval(secs => $2) WHERE key = $1";
const FAIL: &str = "DELETE FROM pagoefectivo_dedup WHERE key = $1 AND NOT done";
const REMOVE: &str = "DELETE FROM pagoefectivo_dedup WHERE key = $1";
const TOKEN_GET: &str = "SELECT token, EXTRACT(EPOCH FROM (expires - now()))::float8 FROM pagoefectivo_tokens
    WHERE key = $1 AND expires > now() AND token <> ''";
const TOKEN_LOCK: &str = "
INSERT INTO pagoefectivo_tokens AS t (key, token, expires, lock_owner, lock_until)
VALUES ($1, '', now(), $2, now() + make_interval(secs => $3))
ON CONFLICT (key) DO UPDATE SET lock_owner = EXCLUDED.lock_owner, lock_until = EXCLUDED.lock_until
    WHERE t.lock_until IS NULL OR t.lock_until < now() OR t.lock_owner = EXCLUDED.lock_owner
RETURNING 1";
const TOKEN_PUT: &str = "
INSERT INTO pagoefectivo_tokens AS t (key, token, expires) VALUES ($1, $3, now() + make_interval(secs => $4))
ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, expires = EXCLUDED.expires,
    lock_owner = CASE WHEN t.lock_owner = $2 THEN NULL ELSE t.lock_owner END,
    lock_until = CASE WHEN t.lock_owner = $2 THEN NULL ELSE t.lock_until END";
const TOKEN_INVALIDATE: &str =
    "UPDATE pagoefectivo_tokens SET token = '', expires = now() WHERE key = $1 AND token = $2";
const TOKEN_UNLOCK: &str =
    "UPDATE pagoefectivo_tokens SET lock_owner = NULL, lock_until = NULL WHERE key = $1 AND lock_owner = $2";

/// One connection with its prepared statements. tokio-postgres pipelines the
/// queries of concurrent callers over it.
struct Conn {
    client: Client,
    begin_new: Statement,
    begin: Statement,
    complete: Statement,
    fail: Statement,
    remove: Statement,
    token_get: Statement,
    token_lock: Statement,
    token_put: Statement,
    token_unlock: Statement,
    token_invalidate: Statement,
}

struct Live {
    conn: RwLock<Option<Arc<Conn>>>,
    connecting: Mutex<()>,
}

fn live() -> Live {
    Live { conn: RwLock::new(None), connecting: Mutex::new(()) }
}

pub(crate) struct PgStore {
    config: tokio_postgres::Config,
    live: PerProcess<Live>,
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64().min(100.0 * 365.0 * 86_400.0)
}

impl PgStore {
    pub fn new(url: &str) -> Result<PgStore, Error> {
        // The parser's message never quotes the URL (it may hold a password).
        let config = url
            .parse::<tokio_postgres::Config>()
            .map_err(|e| Error::config(format!("the PostgreSQL URL is not valid: {e}")))?;
        Ok(PgStore { config, live: PerProcess::new(live) })
    }

    async fn conn(&self) -> Result<Arc<Conn>, Error> {
        let live = self.live.get();
        if let Some(c) = live.conn.read().await.as_ref().filter(|c| !c.client.is_closed()) {
            return Ok(Arc::clone(c));
        }
        let _one = live.connecting.lock().await;
        if let Some(c) = live.conn.read().await.as_ref().filter(|c| !c.client.is_closed()) {
            return Ok(Arc::clone(c));
        }
        let (client, connection) =
            self.config.connect(NoTls).await.map_err(|e| store_error("PostgreSQL", e))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(target: "pagoefectivo", error = %e, "PostgreSQL store connection ended");
            }
        });
        client.batch_execute(SCHEMA).await.map_err(|e| store_error("PostgreSQL schema", described(&e)))?;
        let prepare = |sql: &'static str| client.prepare(sql);
        let (begin_new, begin, complete, fail, remove) =
            (prepare(BEGIN_NEW), prepare(BEGIN), prepare(COMPLETE), prepare(FAIL), prepare(REMOVE));
        let (tg, tl, tp, tu) =
            (prepare(TOKEN_GET), prepare(TOKEN_LOCK), prepare(TOKEN_PUT), prepare(TOKEN_UNLOCK));
        let ti = prepare(TOKEN_INVALIDATE);
        let e = |e| store_error("PostgreSQL prepare", e);
        let conn = Arc::new(Conn {
            begin_new: begin_new.await.map_err(e)?,
            begin: begin.await.map_err(e)?,
            complete: complete.await.map_err(e)?,
            fail: fail.await.map_err(e)?,
            remove: remove.await.map_err(e)?,
            token_get: tg.await.map_err(e)?,
            token_lock: tl.await.map_err(e)?,
            token_put: tp.await.map_err(e)?,
            token_unlock: tu.await.map_err(e)?,
            token_invalidate: ti.await.map_err(e)?,
            client,
        });
        *live.conn.write().await = Some(Arc::clone(&conn));
        Ok(conn)
    }
}

fn failed(e: tokio_postgres::Error) -> Error {
    store_error("PostgreSQL", described(&e))
}

/// The server's own message when there is one (`db error` alone says nothing).
fn described(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

impl LeaseStore for PgStore {
    fn begin<'a>(&'a self, key: &'a str, payload_hash: &'a str, lease: Duration) -> StoreFuture<'a, Begin> {
        Box::pin(async move {
            let c = self.conn().await?;
            let args: [&(dyn tokio_postgres::types::ToSql + Sync); 3] = [&key, &payload_hash, &secs(lease)];
            if c.client.execute(&c.begin_new, &args).await.map_err(failed)? == 1 {
                return Ok(Begin::Started);
            }
            let row = c.client.query_one(&c.begin, &args).await.map_err(failed)?;
            let (started, done, hash): (bool, Option<bool>, Option<String>) =
                (row.get(0), row.get(1), row.get(2));
            Ok(match (started, done, hash) {
                (true, _, _) => Begin::Started,
                (false, Some(_), Some(h)) if h != payload_hash => Begin::Conflict,
                (false, Some(true), _) => Begin::Duplicate,
                // Leased, or inserted by a concurrent begin this statement could not see yet.
                _ => Begin::InProgress,
            })
        })
    }

    fn complete<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let c = self.conn().await?;
            c.client.execute(&c.complete, &[&key, &secs(ttl)]).await.map(|_| ()).map_err(failed)
        })
    }

    fn fail<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let c = self.conn().await?;
            c.client.execute(&c.fail, &[&key]).await.map(|_| ()).map_err(failed)
        })
    }

    fn remove<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let c = self.conn().await?;
            c.client.execute(&c.remove, &[&key]).await.map(|_| ()).map_err(failed)
        })
    }
}

impl TokenStore for PgStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<(String, Duration)>> {
        Box::pin(async move {
            let c = self.conn().await?;
            let row = c.client.query_opt(&c.token_get, &[&key]).await.map_err(failed)?;
            Ok(row.map(|r| (r.get::<_, String>(0), Duration::from_secs_f64(r.get::<_, f64>(1).max(0.0)))))
        })
    }

    fn try_lock<'a>(&'a self, key: &'a str, owner: &'a str, ttl: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let c = self.conn().await?;
            let row = c.client.query_opt(&c.token_lock, &[&key, &owner, &secs(ttl)]).await.map_err(failed)?;
            Ok(row.is_some())
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
            let c = self.conn().await?;
            c.client
                .execute(&c.token_put, &[&key, &owner, &token, &secs(valid_for)])
                .await
                .map(|_| ())
                .map_err(failed)
        })
    }

    fn unlock<'a>(&'a self, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let c = self.conn().await?;
            c.client.execute(&c.token_unlock, &[&key, &owner]).await.map(|_| ()).map_err(failed)
        })
    }

    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let c = self.conn().await?;
            c.client.execute(&c.token_invalidate, &[&key, &rejected]).await.map(|_| ()).map_err(failed)
        })
    }
}
