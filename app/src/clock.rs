//! Wall-clock time in the browser (JS `Date`) and on the server (`SystemTime`).

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> u64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::js_sys::Date::now() as u64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or_default()
    }
}

/// [`now_millis`] in base 36 (short, for ids).
pub fn millis_base36() -> String {
    let mut n = now_millis();
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}
