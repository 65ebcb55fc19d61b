//! Small text formatters shared by pages and components.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `2026-11-29 20:15 UTC` (without chrono's formatter, which is large in the browser bundle).
pub fn short_time(time: DateTime<Utc>) -> String {
    format!(
        "{}-{:02}-{:02} {:02}:{:02} UTC",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute()
    )
}

/// `1 node`, `2 nodes`: a count with its noun, plural when it is not one.
pub fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_short_and_in_utc() {
        let time = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single();
        assert_eq!(
            time.map(short_time).as_deref(),
            Some("2026-01-02 03:04 UTC")
        );
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(0, "node"), "0 nodes");
        assert_eq!(count(1, "node"), "1 node");
        assert_eq!(count(12, "change"), "12 changes");
    }
}
