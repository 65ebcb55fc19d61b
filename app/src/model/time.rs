//! Times read from RFC 3339 text without chrono's general parser, which is about 20 kB of the
//! browser's main module. The shared models' `DateTime<Utc>` fields deserialize through
//! [`deserialize`] / [`option`]; they still serialize with chrono (`2026-11-29T20:15:00.123Z`).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer};

/// Reads `2026-11-29T20:15:00Z`: a date, `T` (or `t` or a space), a time with optional fraction
/// (digits past nanoseconds are dropped; second 60 is a leap second), and `Z` or `±hh:mm`.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if b.len() < 20
        || separators.iter().any(|&(at, c)| b[at] != c)
        || !matches!(b[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)?;
    let (hour, minute, mut second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    let mut at = 19;
    let mut nanos = 0u32;
    if b[at] == b'.' {
        let start = at + 1;
        at = start;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let digits = at - start;
        if digits == 0 {
            return None;
        }
        nanos = number(start, start + digits.min(9))? * 10u32.pow(9 - digits.min(9) as u32);
    }
    if second == 60 {
        second = 59;
        nanos += 1_000_000_000;
    }
    let offset = match &b[at..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (number(at + 1, at + 3)?, number(at + 4, at + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    Some(
        local
            .checked_sub_signed(TimeDelta::seconds(offset))?
            .and_utc(),
    )
}

/// A time field (`#[serde(deserialize_with = "crate::model::time::deserialize")]`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "`{text}` is not a time (RFC 3339, such as 2026-11-29T20:15:00Z)"
        ))
    })
}

/// An optional time field (`#[serde(default, deserialize_with = "crate::model::time::option")]`):
/// `null` or absent is `None`.
pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    #[derive(Deserialize)]
    struct Time(#[serde(deserialize_with = "deserialize")] DateTime<Utc>);
    Ok(Option::<Time>::deserialize(d)?.map(|t| t.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{SecondsFormat, TimeZone};

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> DateTime<Utc> {
        let t = Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().unwrap();
        t + TimeDelta::nanoseconds(i64::from(nanos))
    }

    #[test]
    fn reads_what_chrono_writes() {
        let times = [
            utc(2026, 11, 29, 20, 15, 0, 0),
            utc(2026, 1, 2, 3, 4, 5, 123_000_000),
            utc(1999, 12, 31, 23, 59, 59, 123_456_000),
            utc(2024, 2, 29, 0, 0, 0, 987_654_321),
        ];
        for time in times {
            let json = serde_json::to_string(&time).unwrap();
            assert_eq!(parse(json.trim_matches('"')), Some(time), "{json}");
            for format in [
                SecondsFormat::Secs,
                SecondsFormat::Nanos,
                SecondsFormat::AutoSi,
            ] {
                for z in [true, false] {
                    let text = time.to_rfc3339_opts(format, z);
                    let expected = DateTime::parse_from_rfc3339(&text).unwrap();
                    assert_eq!(parse(&text), Some(expected.with_timezone(&Utc)), "{text}");
                }
            }
        }
    }

    #[test]
    fn offsets_separators_and_long_fractions() {
        let t = utc(2026, 11, 29, 20, 15, 0, 0);
        assert_eq!(parse("2026-11-29T21:45:00+01:30"), Some(t));
        assert_eq!(parse("2026-11-29T18:15:00-02:00"), Some(t));
        assert_eq!(parse("2026-11-29 20:15:00z"), Some(t));
        assert_eq!(parse("2026-11-29t20:15:00Z"), Some(t));
        assert_eq!(parse("2026-11-30T01:15:00+05:00"), Some(t));
        assert_eq!(
            parse("2026-11-29T20:15:00.1234567891Z"),
            Some(utc(2026, 11, 29, 20, 15, 0, 123_456_789))
        );
        assert_eq!(
            parse("2016-12-31T23:59:60.5Z").map(|t| t.to_rfc3339()),
            DateTime::parse_from_rfc3339("2016-12-31T23:59:60.5Z")
                .ok()
                .map(|t| t.to_rfc3339())
        );
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for text in [
            "",
            "2026-11-29",
            "2026-11-29T20:15:00",
            "2026-11-29T20:15Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-29T24:00:00Z",
            "2026-11-29T20:61:00Z",
            "2026-11-29T20:15:00.Z",
            "2026-11-29T20:15:00+1:00",
            "2026-11-29T20:15:00+24:00",
            "2026-11-29T20:15:00Z ",
            "2026/11/29T20:15:00Z",
            "２026-11-29T20:15:00Z",
            "+2026-11-29T20:15:00Z",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn fields_read_through_serde() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Row {
            #[serde(deserialize_with = "deserialize")]
            at: DateTime<Utc>,
            #[serde(default, deserialize_with = "option")]
            done: Option<DateTime<Utc>>,
        }
        let t = utc(2026, 11, 29, 20, 15, 0, 0);
        let row: Row = serde_json::from_str(r#"{"at":"2026-11-29T20:15:00Z"}"#).unwrap();
        assert_eq!(row, Row { at: t, done: None });
        let row: Row =
            serde_json::from_str(r#"{"at":"2026-11-29T20:15:00Z","done":null}"#).unwrap();
        assert_eq!(row.done, None);
        let row: Row =
            serde_json::from_str(r#"{"at":"2026-11-29T20:15:00Z","done":"2026-11-29T20:15:00Z"}"#)
                .unwrap();
        assert_eq!(row.done, Some(t));
        let error = serde_json::from_str::<Row>(r#"{"at":"yesterday"}"#).unwrap_err();
        assert!(
            error.to_string().contains("`yesterday` is not a time"),
            "{error}"
        );
    }
}
