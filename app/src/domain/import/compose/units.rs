//! Unit conversions: Docker CPU counts and byte values to Kubernetes quantities, durations to
//! probe seconds, and shell-style splitting of string commands.

use std::time::Duration;

use compose_spec::service::ByteValue;

/// `0.5` CPUs → `500m`, `2` → `2`.
pub fn cpus(cpus: f64) -> Option<String> {
    if !cpus.is_finite() || cpus <= 0.0 {
        return None;
    }
    let milli = (cpus * 1000.0).round().max(1.0) as u64;
    Some(if milli.is_multiple_of(1000) {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    })
}

/// Docker byte values (binary units, as Docker reads them: `512m` = 512 MiB) → `512Mi`.
pub fn bytes(value: ByteValue) -> String {
    match value {
        ByteValue::Bytes(n) => n.to_string(),
        ByteValue::Kilobytes(n) => format!("{n}Ki"),
        ByteValue::Megabytes(n) => format!("{n}Mi"),
        ByteValue::Gigabytes(n) => format!("{n}Gi"),
    }
}

/// A duration as whole seconds within `min..=3600` (rounded up).
pub fn seconds(duration: Duration, min: u64) -> u64 {
    let secs = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    secs.clamp(min, 3600)
}

/// Splits a command string like a POSIX shell would split words (quotes and backslashes; no
/// expansion). Returns `None` when a quote is not closed.
pub fn shell_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(cpus(0.5).as_deref(), Some("500m"));
        assert_eq!(cpus(2.0).as_deref(), Some("2"));
        assert_eq!(cpus(0.0001).as_deref(), Some("1m"));
        assert_eq!(cpus(-1.0), None);
        assert_eq!(bytes(ByteValue::Megabytes(512)), "512Mi");
        assert_eq!(bytes(ByteValue::Bytes(1024)), "1024");
        assert_eq!(seconds(Duration::from_millis(1500), 1), 2);
        assert_eq!(seconds(Duration::from_secs(0), 1), 1);
        assert_eq!(seconds(Duration::from_secs(99_999), 0), 3600);
    }

    #[test]
    fn shell_splitting() {
        assert_eq!(
            shell_words(r#"sh -c 'echo "hi there"' a\ b "x\"y""#).unwrap(),
            ["sh", "-c", "echo \"hi there\"", "a b", "x\"y"]
        );
        assert_eq!(shell_words("  ").unwrap(), Vec::<String>::new());
        assert_eq!(shell_words("''").unwrap(), [""]);
        assert_eq!(shell_words("'open"), None);
    }
}
