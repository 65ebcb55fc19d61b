//! The `Last-Event-ID` header a reconnecting `EventSource` sends.

use axum::http::HeaderMap;

/// The numeric `Last-Event-ID` of the request, if present and well-formed.
pub fn last_event_id(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("last-event-id")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("last-event-id", value.parse().expect("valid header value"));
        headers
    }

    #[test]
    fn reads_numeric_ids_and_ignores_garbage() {
        assert_eq!(last_event_id(&HeaderMap::new()), None);
        assert_eq!(last_event_id(&headers("42")), Some(42));
        assert_eq!(last_event_id(&headers(" 7 ")), Some(7));
        assert_eq!(last_event_id(&headers("abc")), None);
        assert_eq!(last_event_id(&headers("-1")), None);
    }
}
