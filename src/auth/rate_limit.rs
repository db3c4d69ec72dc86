//! Throttles on the authentication routes: a token bucket per client address,
//! and a backoff per username after repeated failed logins.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept before idle ones are pruned, so the maps stay bounded.
const PRUNE_ABOVE: usize = 10_000;

/// A token bucket per client address: `burst` requests at once, refilled at
/// `per_minute` per minute.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`. Returns the wait before a token is
    /// available when the bucket is empty.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() > PRUNE_ABOVE {
            let full_after = Duration::from_secs_f64(self.burst / self.per_second.max(f64::MIN_POSITIVE));
            buckets.retain(|_, bucket| now.duration_since(bucket.updated) < full_after);
        }

        let bucket = buckets.entry(client).or_insert(Bucket { tokens: self.burst, updated: now });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let missing = 1.0 - bucket.tokens;
        Err(Duration::from_secs_f64(missing / self.per_second.max(f64::MIN_POSITIVE)))
    }
}

/// Consecutive failures allowed before the backoff starts.
pub const FREE_FAILURES: u32 = 5;
/// Maximum backoff after repeated failures.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// Exponential backoff per key (a normalised username) after repeated failed
/// logins. It counts names that do not exist exactly like real ones, so its
/// responses reveal nothing about which accounts exist.
pub struct LoginBackoff<K> {
    entries: Mutex<HashMap<K, Failures>>,
}

struct Failures {
    count: u32,
    locked_until: Instant,
}

impl<K: Eq + Hash + Clone> Default for LoginBackoff<K> {
    fn default() -> Self {
        LoginBackoff { entries: Mutex::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash + Clone> LoginBackoff<K> {
    /// Returns the remaining wait if `key` is locked out now.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        let now = Instant::now();
        let entries = self.entries.lock().expect("backoff lock");
        match entries.get(key) {
            Some(failures) if failures.locked_until > now => Err(failures.locked_until - now),
            _ => Ok(()),
        }
    }

    /// Records a failed login; from the sixth failure in a row, locks the key
    /// for 1, 2, 4, … seconds, up to [`MAX_BACKOFF`].
    pub fn record_failure(&self, key: &K) {
        let now = Instant::now();
        let mut entries = self.entries.lock().expect("backoff lock");
        if entries.len() > PRUNE_ABOVE {
            entries.retain(|_, failures| now.duration_since(failures.locked_until) < MAX_BACKOFF);
        }
        let failures = entries.entry(key.clone()).or_insert(Failures { count: 0, locked_until: now });
        failures.count += 1;
        if failures.count > FREE_FAILURES {
            let exponent = (failures.count - FREE_FAILURES - 1).min(20);
            let wait = Duration::from_secs(1u64 << exponent).min(MAX_BACKOFF);
            failures.locked_until = now + wait;
        }
    }

    /// Clears the failures of `key` after a successful login.
    pub fn record_success(&self, key: &K) {
        self.entries.lock().expect("backoff lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_burst_then_limits() {
        let limiter = RateLimiter::new(60, 3);
        let client = IpAddr::from([127, 0, 0, 1]);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(client, start).is_ok());
        }
        let wait = limiter.check_at(client, start).unwrap_err();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limiter.check_at(client, start + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn buckets_are_per_client() {
        let limiter = RateLimiter::new(60, 1);
        let start = Instant::now();
        assert!(limiter.check_at(IpAddr::from([10, 0, 0, 1]), start).is_ok());
        assert!(limiter.check_at(IpAddr::from([10, 0, 0, 2]), start).is_ok());
    }

    #[test]
    fn backoff_starts_after_free_failures() {
        let backoff = LoginBackoff::default();
        for _ in 0..FREE_FAILURES {
            backoff.record_failure(&"ann".to_owned());
        }
        assert!(backoff.check(&"ann".to_owned()).is_ok());
        backoff.record_failure(&"ann".to_owned());
        assert!(backoff.check(&"ann".to_owned()).is_err());
        backoff.record_success(&"ann".to_owned());
        assert!(backoff.check(&"ann".to_owned()).is_ok());
    }
}
