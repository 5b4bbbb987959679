//! Client configuration: environment, credentials, timeouts, retries; from code or `PAGOEFECTIVO_*` variables.

use std::time::Duration;

use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

pub const SANDBOX_BASE_URL: &str = "https://pre1a.services.pagoefectivo.pe/v1/";
pub const PRODUCTION_BASE_URL: &str = "https://services.pagoefectivo.pe/v1/";
/// Longest API answer read by default.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// Where the API lives. `Custom` is for the local sandbox or a proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Environment {
    Sandbox,
    Production,
    Custom(String),
}

impl Environment {
    /// Parses `sandbox`, `production` or a URL.
    pub fn parse(text: &str) -> Result<Environment, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sandbox" | "integraciones" | "pre" => Ok(Environment::Sandbox),
            "production" | "prod" | "produccion" => Ok(Environment::Production),
            s if s.starts_with("http://") || s.starts_with("https://") => {
                Ok(Environment::Custom(text.trim().to_owned()))
            }
            _ => {
                Err(Error::config(format!("environment must be sandbox, production or a URL, got {text:?}")))
            }
        }
    }

    /// Base URL ending in `/`.
    pub fn base_url(&self) -> String {
        match self {
            Environment::Sandbox => SANDBOX_BASE_URL.to_owned(),
            Environment::Production => PRODUCTION_BASE_URL.to_owned(),
            Environment::Custom(url) if url.ends_with('/') => url.clone(),
            Environment::Custom(url) => format!("{url}/"),
        }
    }
}

/// Accept-Language sent to PagoEfectivo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    EsPe,
    EnUs,
}

impl Language {
    pub fn as_str(&self) -> &'static str {
        match self {
            Language::EsPe => "es-PE",
            Language::EnUs => "en-US",
        }
    }
    pub fn parse(text: &str) -> Result<Language, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "es-pe" | "es" => Ok(Language::EsPe),
            "en-us" | "en" => Ok(Language::EnUs),
            _ => Err(Error::config(format!("language must be es-PE or en-US, got {text:?}"))),
        }
    }
}

/// Everything one merchant store needs. Build with [`Config::builder`] or
/// [`Config::from_env`]; several configs (stores) can live in one process.
#[derive(Clone, Debug)]
pub struct Config {
    pub environment: Environment,
    pub access_key: String,
    pub secret_key: Secret,
    pub id_service: u32,
    /// TCP + TLS connect; 10 s: a healthy handshake takes < 1 s.
    pub connect_timeout: Duration,
    /// One HTTP attempt; 30 s, the common advice for this API, which can be slow.
    pub request_timeout: Duration,
    /// Whole call including retries and back-off; 60 s, so two slow attempts fit.
    pub total_timeout: Duration,
    pub retry: RetryPolicy,
    pub language: Language,
    /// Appended to the SDK's own user agent.
    pub user_agent: Option<String>,
    /// CIPs per `cips/search` request.
    pub search_batch_size: usize,
    /// Refresh the token this long before `tokenExpires`.
    pub token_refresh_margin: Duration,
    /// Path of the refund extension under the base URL (not public at PagoEfectivo).
    pub refunds_path: String,
    /// Refunds are refused this long after payment (90 days; 7 for some goods).
    pub refund_window: Duration,
    /// Path of the settlement-report extension under the base URL (not public at PagoEfectivo).
    pub reports_path: String,
    /// Longest answer read (8 MiB): a report page of 5,000 rows is about 1.5 MiB;
    /// whatever answers in PagoEfectivo's place does not decide our memory.
    pub max_response_bytes: usize,
    /// An HTTP proxy for every request (`http://user:pass@proxy:3128`; HTTPS calls are tunnelled
    /// through it with CONNECT); without it `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` apply.
    pub proxy: Option<Secret>,
    /// Hosts that bypass `proxy` (the `NO_PROXY` syntax: `localhost,.corp.example`).
    pub no_proxy: Option<String>,
    /// A PEM file of extra CAs to trust besides the system's (a TLS-inspecting
    /// corporate proxy's CA). Read when the client is built.
    pub ca_file: Option<std::path::PathBuf>,
    /// A store several processes share the token through (`postgres://...`,
    /// `redis://...`): one token and one refresh at a time for all of them.
    /// Off by default: each process then keeps its own.
    pub token_store: Option<Secret>,
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// From `PAGOEFECTIVO_*` variables (see the README's configuration table).
    pub fn from_env() -> Result<Config, Error> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`] with any source of variables (a map in tests,
    /// a binding's dict).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        let mut b = Config::builder();
        let get = |name: &str| lookup(&format!("PAGOEFECTIVO_{name}"));
        if let Some(v) = get("ENVIRONMENT") {
            b = b.environment(Environment::parse(&v)?);
        }
        if let Some(v) = get("BASE_URL") {
            b = b.base_url(v);
        }
        if let Some(v) = get("ACCESS_KEY") {
            b = b.access_key(v);
        }
        if let Some(v) = get("SECRET_KEY") {
            b = b.secret_key(v);
        }
        if let Some(v) = get("SERVICE_ID") {
            let id = v
                .trim()
                .parse::<u32>()
                .map_err(|_| Error::config(format!("PAGOEFECTIVO_SERVICE_ID must be a number, got {v:?}")))?;
            b = b.id_service(id);
        }
        let millis = |name: &str| -> Result<Option<Duration>, Error> {
            get(name)
                .map(|v| {
                    v.trim().parse::<u64>().map(Duration::from_millis).map_err(|_| {
                        Error::config(format!("PAGOEFECTIVO_{name} must be milliseconds, got {v:?}"))
                    })
                })
                .transpose()
        };
        if let Some(d) = millis("CONNECT_TIMEOUT_MS")? {
            b = b.connect_timeout(d);
        }
        if let Some(d) = millis("REQUEST_TIMEOUT_MS")? {
            b = b.request_timeout(d);
        }
        if let Some(d) = millis("TOTAL_TIMEOUT_MS")? {
            b = b.total_timeout(d);
        }
        if let Some(v) = get("MAX_ATTEMPTS") {
            let n = v.trim().parse::<u32>().map_err(|_| {
                Error::config(format!("PAGOEFECTIVO_MAX_ATTEMPTS must be a number, got {v:?}"))
            })?;
            b = b.max_attempts(n);
        }
        if let Some(v) = get("REFUNDS_PATH") {
            b = b.refunds_path(v);
        }
        if let Some(v) = get("REPORTS_PATH") {
            b = b.reports_path(v);
        }
        if let Some(v) = get("REFUND_WINDOW_DAYS") {
            let days = v.trim().parse::<u64>().map_err(|_| {
                Error::config(format!("PAGOEFECTIVO_REFUND_WINDOW_DAYS must be a number of days, got {v:?}"))
            })?;
            b = b.refund_window(Duration::from_secs(days * 24 * 3600));
        }
        if let Some(v) = get("MAX_RESPONSE_BYTES") {
            let n = v.trim().parse::<usize>().map_err(|_| {
                Error::config(format!("PAGOEFECTIVO_MAX_RESPONSE_BYTES must be a number of bytes, got {v:?}"))
            })?;
            b = b.max_response_bytes(n);
        }
        if let Some(v) = get("PROXY") {
            b = b.proxy(v);
        }
        if let Some(v) = get("NO_PROXY") {
            b = b.no_proxy(v);
        }
        if let Some(v) = get("CA_FILE") {
            b = b.ca_file(v);
        }
        if let Some(v) = get("TOKEN_STORE") {
            b = b.token_store(v);
        }
        if let Some(v) = get("LANGUAGE") {
            b = b.language(Language::parse(&v)?);
        }
        b.build()
    }

    pub fn base_url(&self) -> String {
        self.environment.base_url()
    }
}

/// Builder for [`Config`]; `build` refuses detectable mistakes.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    environment: Option<Environment>,
    base_url: Option<String>,
    access_key: Option<String>,
    secret_key: Option<Secret>,
    id_service: Option<u32>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    max_attempts: Option<u32>,
    language: Option<Language>,
    user_agent: Option<String>,
    search_batch_size: Option<usize>,
    token_refresh_margin: Option<Duration>,
    refunds_path: Option<String>,
    refund_window: Option<Duration>,
    reports_path: Option<String>,
    max_response_bytes: Option<usize>,
    proxy: Option<Secret>,
    no_proxy: Option<String>,
    ca_file: Option<std::path::PathBuf>,
    token_store: Option<Secret>,
}

macro_rules! setter {
    ($name:ident, $ty:ty) => {
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value);
            self
        }
    };
}

impl ConfigBuilder {
    setter!(environment, Environment);
    setter!(id_service, u32);
    setter!(connect_timeout, Duration);
    setter!(request_timeout, Duration);
    setter!(total_timeout, Duration);
    setter!(retry, RetryPolicy);
    setter!(max_attempts, u32);
    setter!(language, Language);
    setter!(search_batch_size, usize);
    setter!(token_refresh_margin, Duration);
    setter!(refund_window, Duration);
    setter!(max_response_bytes, usize);

    /// Path of the settlement-report extension, relative to the base URL (default `reports/settlements`).
    pub fn reports_path(mut self, path: impl Into<String>) -> Self {
        self.reports_path = Some(path.into());
        self
    }

    /// Path of the refund extension, relative to the base URL (default `refunds`).
    pub fn refunds_path(mut self, path: impl Into<String>) -> Self {
        self.refunds_path = Some(path.into());
        self
    }

    /// Overrides the environment's URL; checked against the environment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    pub fn access_key(mut self, key: impl Into<String>) -> Self {
        self.access_key = Some(key.into());
        self
    }
    pub fn secret_key(mut self, key: impl Into<Secret>) -> Self {
        self.secret_key = Some(key.into());
        self
    }
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }
    /// A proxy URL for every request (it may carry credentials: kept as a secret).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(Secret::new(url.into()));
        self
    }
    /// Hosts that bypass the proxy, `NO_PROXY` syntax.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }
    /// A PEM bundle of extra CAs to trust.
    pub fn ca_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }
    /// Share the token with other processes through this store URL (it may hold a password).
    pub fn token_store(mut self, url: impl Into<String>) -> Self {
        self.token_store = Some(Secret::new(url.into()));
        self
    }

    pub fn build(self) -> Result<Config, Error> {
        let environment = resolve_environment(self.environment, self.base_url)?;
        let access_key = self.access_key.ok_or_else(|| Error::config("access_key is required"))?;
        check_key("access_key", &access_key)?;
        let secret_key = self.secret_key.ok_or_else(|| Error::config("secret_key is required"))?;
        check_key("secret_key", secret_key.expose())?;
        let id_service = self.id_service.ok_or_else(|| Error::config("id_service is required"))?;
        if !(1..=9999).contains(&id_service) {
            return Err(Error::config(format!("id_service must have 1 to 4 digits, got {id_service}")));
        }
        let mut retry = self.retry.unwrap_or_default();
        if let Some(n) = self.max_attempts {
            retry.max_attempts = n;
        }
        if retry.max_attempts == 0 {
            return Err(Error::config("max_attempts must be at least 1"));
        }
        let config = Config {
            environment,
            access_key,
            secret_key,
            id_service,
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(10)),
            request_timeout: self.request_timeout.unwrap_or(Duration::from_secs(30)),
            total_timeout: self.total_timeout.unwrap_or(Duration::from_secs(60)),
            retry,
            language: self.language.unwrap_or(Language::EsPe),
            user_agent: self.user_agent,
            search_batch_size: self.search_batch_size.unwrap_or(50),
            token_refresh_margin: self.token_refresh_margin.unwrap_or(Duration::from_secs(30)),
            refunds_path: self.refunds_path.unwrap_or_else(|| "refunds".into()),
            refund_window: self.refund_window.unwrap_or(Duration::from_secs(90 * 24 * 3600)),
            reports_path: self.reports_path.unwrap_or_else(|| "reports/settlements".into()),
            max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            proxy: self.proxy,
            no_proxy: self.no_proxy,
            ca_file: self.ca_file,
            token_store: self.token_store,
        };
        // An HTTP proxy: it forwards plain-HTTP calls and tunnels HTTPS ones (CONNECT).
        if let Some(p) = &config.proxy
            && !p.expose().get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        {
            return Err(Error::config(
                "proxy must be an http:// URL like http://proxy.example:3128 (HTTPS calls are tunnelled through it)",
            ));
        }
        if config.max_response_bytes < 1024 {
            return Err(Error::config("max_response_bytes must be at least 1024"));
        }
        if config.search_batch_size == 0 || config.search_batch_size > 100 {
            return Err(Error::config("search_batch_size must be between 1 and 100"));
        }
        for (name, d) in [
            ("connect_timeout", config.connect_timeout),
            ("request_timeout", config.request_timeout),
            ("total_timeout", config.total_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::config(format!("{name} must be greater than zero")));
            }
        }
        Ok(config)
    }
}

fn check_key(name: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::config(format!("{name} is empty")));
    }
    if value.trim() != value {
        // Said without the value: a padded secret is still a secret.
        return Err(Error::config(format!(
            "{name} has leading or trailing whitespace (often a newline copied from a file or an env var)"
        )));
    }
    Ok(())
}

fn is_sandbox_host(url: &str) -> bool {
    url.contains("pre1a.") || url.contains(".pre.")
}

fn is_local_host(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "localhost" || host.starts_with("127.") || rest.starts_with("[::1]")
}

fn resolve_environment(env: Option<Environment>, url: Option<String>) -> Result<Environment, Error> {
    let env = match (env, url) {
        (None, None) => Environment::Sandbox,
        (None, Some(url)) => Environment::Custom(url),
        (Some(Environment::Production), Some(url)) if is_sandbox_host(&url) || is_local_host(&url) => {
            return Err(Error::config(format!(
                "environment is production but the base URL {url} is a sandbox/local address: \
                 sandbox and production keys and URLs must not be mixed"
            )));
        }
        (Some(Environment::Sandbox), Some(url)) if url.contains("://services.pagoefectivo.pe") => {
            return Err(Error::config(format!(
                "environment is sandbox but the base URL {url} is production's"
            )));
        }
        (Some(_), Some(url)) => Environment::Custom(url),
        (Some(env), None) => env,
    };
    if let Environment::Custom(url) = &env
        && !(url.starts_with("https://") || (url.starts_with("http://") && is_local_host(url)))
    {
        return Err(Error::config(format!(
            "base URL must be https:// (plain http only for a local sandbox), got {url}"
        )));
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn valid() -> ConfigBuilder {
        Config::builder()
            .access_key("ACCESSKEY00000000000")
            .secret_key("SECRETKEY0000000000000000000000000000000")
            .id_service(1234)
    }

    #[test]
    fn defaults_are_sandbox_and_documented_timeouts() {
        let c = valid().build().unwrap();
        assert_eq!(c.base_url(), SANDBOX_BASE_URL);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert_eq!(c.total_timeout, Duration::from_secs(60));
        assert!(!format!("{c:?}").contains("SECRETKEY"));
    }

    #[test]
    fn refuses_mixups_and_padding() {
        let e = valid().environment(Environment::Production).base_url(SANDBOX_BASE_URL).build().unwrap_err();
        assert_eq!(e.code().as_str(), "configuration_error");
        let e = valid().secret_key("SECRET\n").build().unwrap_err();
        assert!(e.message().contains("whitespace") && !e.message().contains("SECRET\n"));
        assert!(valid().access_key("  ").build().is_err());
        assert!(valid().id_service(12345).build().is_err());
        assert!(valid().base_url("http://example.com/v1/").build().is_err());
        assert!(valid().base_url("http://127.0.0.1:9/v1/").build().is_ok());
    }

    #[test]
    fn loads_from_variables() {
        let vars: HashMap<&str, &str> = [
            ("PAGOEFECTIVO_ENVIRONMENT", "http://127.0.0.1:8080/v1"),
            ("PAGOEFECTIVO_ACCESS_KEY", "ACCESSKEY00000000000"),
            ("PAGOEFECTIVO_SECRET_KEY", "SECRETKEY0000000000000000000000000000000"),
            ("PAGOEFECTIVO_SERVICE_ID", "1234"),
            ("PAGOEFECTIVO_REQUEST_TIMEOUT_MS", "1500"),
            ("PAGOEFECTIVO_MAX_ATTEMPTS", "5"),
        ]
        .into_iter()
        .collect();
        let c = Config::from_lookup(|k| vars.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080/v1/");
        assert_eq!(c.request_timeout, Duration::from_millis(1500));
        assert_eq!(c.retry.max_attempts, 5);
        let e = Config::from_lookup(|_| None).unwrap_err();
        assert!(e.message().contains("access_key"));
    }
}
