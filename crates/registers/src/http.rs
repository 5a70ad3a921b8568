//! How every connector talks to its register over HTTP: the base address and limits from
//! configuration, one shared pace per register, timeouts, retries with exponential backoff
//! on connection errors and 5xx answers, `429 Too Many Requests` with its `Retry-After`, and
//! errors that name the address and what happened there.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::{StatusCode, Url, header};
use tokio::time::Instant;

/// Where a register is and how hard this connector may use it.
#[derive(Clone, PartialEq)]
pub struct RegisterConfig {
    /// The API root, such as `https://public-api.prozorro.gov.ua/api/2.5`.
    pub base_url: String,
    /// The longest one request may take, from connecting to the last byte of the body.
    pub timeout: Duration,
    /// How many times a failed request is tried again (so `max_retries + 1` attempts).
    pub max_retries: u32,
    /// The pace of requests to this register; `None` for no limit.
    pub requests_per_second: Option<f64>,
    /// The wait before the first retry; each further retry waits twice as long.
    pub backoff: Duration,
    /// The longest wait between two retries.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a register asking for more gets this.
    pub max_retry_after: Duration,
    /// The `Authorization` header sent with every request, such as `Token 0123abcd`, for a
    /// register that grants access by credentials; `None` for a public one. It is never
    /// written to a log.
    pub authorization: Option<String>,
}

impl RegisterConfig {
    /// Settings suited to a public register: 30 s per request, 4 retries from 0.5 s on,
    /// 5 requests a second.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            timeout: Duration::from_secs(30),
            max_retries: 4,
            requests_per_second: Some(5.0),
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            authorization: None,
        }
    }
}

impl std::fmt::Debug for RegisterConfig {
    /// Everything but the credentials, which are only said to be there.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterConfig")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("requests_per_second", &self.requests_per_second)
            .field("backoff", &self.backoff)
            .field("max_backoff", &self.max_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "(set)"),
            )
            .finish()
    }
}

/// A configuration that cannot make a client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("base address {url:?} is not an http(s) URL: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("requests per second must be a positive number, got {0}")]
    Pace(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
    #[error("the credentials are not a valid HTTP header value")]
    Credentials,
}

/// Why a request to a register gave no usable record. Each message starts with the address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    #[error("{url}: the register could not be reached after {attempts} attempt(s): {reason}")]
    Unreachable {
        url: String,
        attempts: u32,
        reason: String,
    },
    #[error("{url}: no complete answer within {timeout_ms} ms, {attempts} attempt(s)")]
    Timeout {
        url: String,
        attempts: u32,
        timeout_ms: u128,
    },
    #[error("{url}: the register has no such record (404 Not Found)")]
    NotFound { url: String },
    #[error("{url}: the register kept failing, last with {status} after {attempts} attempt(s)")]
    ServerError {
        url: String,
        status: u16,
        attempts: u32,
    },
    #[error("{url}: the register still limits our rate (429) after {attempts} attempt(s)")]
    RateLimited { url: String, attempts: u32 },
    #[error("{url}: the register refused the request with {status}")]
    Refused { url: String, status: u16 },
    #[error("{url}: the body is not valid JSON: {reason}")]
    MalformedJson { url: String, reason: String },
    #[error("{url}: the record is not what the API documents: {path}: {message}")]
    Invalid {
        url: String,
        path: String,
        message: String,
    },
}

impl RegisterError {
    /// The address the failed request went to.
    pub fn url(&self) -> &str {
        match self {
            Self::Unreachable { url, .. }
            | Self::Timeout { url, .. }
            | Self::NotFound { url }
            | Self::ServerError { url, .. }
            | Self::RateLimited { url, .. }
            | Self::Refused { url, .. }
            | Self::MalformedJson { url, .. }
            | Self::Invalid { url, .. } => url,
        }
    }
}

/// A client for one register: one connection pool, one pace, one retry policy.
#[derive(Debug)]
pub struct RegisterHttp {
    client: reqwest::Client,
    base: Url,
    config: RegisterConfig,
    pace: Pace,
}

/// What one attempt came to.
enum Attempt {
    Body(Vec<u8>),
    Fatal(RegisterError),
    Retry {
        error: RegisterError,
        wait: Option<Duration>,
    },
}

impl RegisterHttp {
    pub fn new(config: RegisterConfig) -> Result<Self, ConfigError> {
        let base = parse_base(&config.base_url)?;
        let pace = Pace::new(config.requests_per_second)?;

        // The ring provider is ours to install: reqwest is built without a default one. A
        // second client finds it installed already, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut headers = header::HeaderMap::new();
        if let Some(credentials) = &config.authorization {
            let mut value = header::HeaderValue::from_str(credentials.trim())
                .map_err(|_| ConfigError::Credentials)?;
            // Marked sensitive, the value stays out of reqwest's debug output.
            value.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, value);
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("dream-registers/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .build()
            .map_err(|error| ConfigError::Client(error_chain(&error)))?;

        Ok(Self {
            client,
            base,
            config,
            pace,
        })
    }

    pub fn config(&self) -> &RegisterConfig {
        &self.config
    }

    /// The address of `segments` under the base, with `query` pairs, each part escaped.
    pub fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// GETs `url` and returns the body of a 200 answer, retrying what may pass.
    pub async fn get(&self, url: &Url) -> Result<Vec<u8>, RegisterError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            self.pace.wait().await;
            let started = Instant::now();
            match self.attempt(url, attempts).await {
                Attempt::Body(body) => {
                    tracing::debug!(
                        url.full = %url,
                        duration_ms = started.elapsed().as_millis() as u64,
                        "register answered {url}"
                    );
                    return Ok(body);
                }
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retry { error, wait } => {
                    if attempts > self.config.max_retries {
                        return Err(error);
                    }
                    let wait = wait.unwrap_or_else(|| self.backoff(attempts));
                    tracing::warn!(
                        url.full = %url,
                        attempt = attempts,
                        wait_ms = wait.as_millis() as u64,
                        "retrying {url}: {error}"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn attempt(&self, url: &Url, attempts: u32) -> Attempt {
        let response = match self.client.get(url.clone()).send().await {
            Ok(response) => response,
            Err(error) => return self.transport_error(url, attempts, &error),
        };

        let status = response.status();
        if status == StatusCode::OK {
            return match response.bytes().await {
                Ok(body) => Attempt::Body(body.to_vec()),
                Err(error) => self.transport_error(url, attempts, &error),
            };
        }
        let retry_after =
            retry_after(response.headers()).map(|wait| wait.min(self.config.max_retry_after));
        let url = url.to_string();
        match status {
            StatusCode::NOT_FOUND => Attempt::Fatal(RegisterError::NotFound { url }),
            StatusCode::TOO_MANY_REQUESTS => Attempt::Retry {
                error: RegisterError::RateLimited { url, attempts },
                wait: retry_after,
            },
            status if status.is_server_error() => Attempt::Retry {
                error: RegisterError::ServerError {
                    url,
                    status: status.as_u16(),
                    attempts,
                },
                wait: retry_after,
            },
            status => Attempt::Fatal(RegisterError::Refused {
                url,
                status: status.as_u16(),
            }),
        }
    }

    /// Timeouts and connection failures may pass, so both are tried again.
    fn transport_error(&self, url: &Url, attempts: u32, error: &reqwest::Error) -> Attempt {
        let url = url.to_string();
        let error = if error.is_timeout() {
            RegisterError::Timeout {
                url,
                attempts,
                timeout_ms: self.config.timeout.as_millis(),
            }
        } else {
            RegisterError::Unreachable {
                url,
                attempts,
                reason: error_chain(error),
            }
        };
        Attempt::Retry { error, wait: None }
    }

    /// The wait before retry number `attempt`: `backoff`, doubled each time, up to the cap.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.config
            .backoff
            .saturating_mul(factor)
            .min(self.config.max_backoff)
    }
}

fn parse_base(text: &str) -> Result<Url, ConfigError> {
    let error = |reason: &str| ConfigError::BaseUrl {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(text).map_err(|e| error(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(error("expected an http or https address"));
    }
    Ok(url)
}

/// `Retry-After` in seconds, the form registers use. The HTTP-date form is not read; the
/// ordinary backoff applies then.
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let text = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// An error with its causes, which is where reqwest says what actually went wrong
/// ("Connection refused", "dns error", …).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The pace of one register: requests start at least `interval` apart, however many tasks
/// send them. Each caller takes the next free slot and sleeps until it comes.
#[derive(Debug)]
struct Pace {
    interval: Option<Duration>,
    next_slot: Mutex<Instant>,
}

impl Pace {
    fn new(requests_per_second: Option<f64>) -> Result<Self, ConfigError> {
        let interval = match requests_per_second {
            None => None,
            Some(rate) if rate.is_finite() && rate > 0.0 => {
                Some(Duration::from_secs_f64(1.0 / rate))
            }
            Some(rate) => return Err(ConfigError::Pace(rate.to_string())),
        };
        Ok(Self {
            interval,
            next_slot: Mutex::new(Instant::now()),
        })
    }

    async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self
                .next_slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_cap() {
        let mut config = RegisterConfig::new("http://127.0.0.1:1/api");
        config.backoff = Duration::from_millis(100);
        config.max_backoff = Duration::from_millis(350);
        let http = RegisterHttp::new(config).unwrap();
        let waits: Vec<u128> = (1..=4).map(|n| http.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350]);
    }

    #[test]
    fn addresses_escape_their_parts_under_the_base_path() {
        let http = RegisterHttp::new(RegisterConfig::new("https://example.org/api/2.5/")).unwrap();
        let url = http.url(&["tenders"], &[("offset", "17.0.1.a b&c")]);
        assert_eq!(
            url.as_str(),
            "https://example.org/api/2.5/tenders?offset=17.0.1.a+b%26c"
        );
    }

    #[test]
    fn a_base_that_is_not_http_or_a_pace_of_zero_is_refused() {
        assert!(matches!(
            RegisterHttp::new(RegisterConfig::new("ftp://example.org")),
            Err(ConfigError::BaseUrl { .. })
        ));
        let mut config = RegisterConfig::new("https://example.org");
        config.requests_per_second = Some(0.0);
        assert!(matches!(
            RegisterHttp::new(config),
            Err(ConfigError::Pace(_))
        ));
    }
}
