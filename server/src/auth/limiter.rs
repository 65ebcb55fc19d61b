//! Attempt limits for log-in (per client address and per account) and sign-up (per address).
//! A refused attempt reports how long to wait, which becomes `429` + `Retry-After`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// Keys above this many trigger a sweep of idle ones.
const SWEEP_ABOVE: usize = 10_000;

/// A burst of `burst` attempts, then one more every `every`.
fn quota(burst: u32, every: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// The limits the auth service applies.
pub struct Limiter {
    login_per_ip: Keyed<IpAddr>,
    login_per_account: Keyed<String>,
    signup_per_ip: Keyed<IpAddr>,
    clock: DefaultClock,
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter::new(10)
    }
}

impl Limiter {
    /// The limits, with `signup_burst` sign-ups per address at once (then one a minute).
    pub fn new(signup_burst: u32) -> Self {
        Limiter {
            login_per_account: RateLimiter::keyed(quota(10, Duration::from_secs(30))),
            login_per_ip: RateLimiter::keyed(quota(20, Duration::from_secs(3))),
            signup_per_ip: RateLimiter::keyed(quota(signup_burst, Duration::from_secs(60))),
            clock: DefaultClock::default(),
        }
    }

    /// Counts a log-in attempt; `Err(seconds to wait)` when over a limit.
    pub fn login(&self, ip: Option<IpAddr>, email: &str) -> Result<(), u64> {
        if let Some(ip) = ip {
            self.check(&self.login_per_ip, &ip)?;
        }
        self.check(&self.login_per_account, &email.to_string())
    }

    /// Counts a sign-up attempt; `Err(seconds to wait)` when over the limit.
    pub fn signup(&self, ip: Option<IpAddr>) -> Result<(), u64> {
        match ip {
            Some(ip) => self.check(&self.signup_per_ip, &ip),
            None => Ok(()),
        }
    }

    fn check<K>(&self, limiter: &Keyed<K>, key: &K) -> Result<(), u64>
    where
        K: Clone + Eq + std::hash::Hash,
    {
        if limiter.len() > SWEEP_ABOVE {
            limiter.retain_recent();
        }
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_rapid_login_for_an_account_waits() {
        let limiter = Limiter::default();
        for ip in 1..=10u8 {
            let ip = IpAddr::from([10, 0, 0, ip]);
            assert_eq!(limiter.login(Some(ip), "a@example.com"), Ok(()));
        }
        let wait = limiter.login(Some(IpAddr::from([10, 0, 0, 11])), "a@example.com");
        assert!(
            matches!(wait, Err(secs) if (1..=30).contains(&secs)),
            "{wait:?}"
        );
        assert_eq!(
            limiter.login(None, "b@example.com"),
            Ok(()),
            "other accounts go on"
        );
    }

    #[test]
    fn one_address_cannot_try_many_accounts_quickly() {
        let limiter = Limiter::default();
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        for n in 0..20 {
            assert_eq!(limiter.login(ip, &format!("user{n}@example.com")), Ok(()));
        }
        assert!(limiter.login(ip, "user99@example.com").is_err());
    }
}
