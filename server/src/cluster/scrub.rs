//! Error text that can be shown and logged: known secrets replaced, credential-looking pieces
//! (bearer tokens, `token=`, `password=`, authorization headers, PEM keys) masked, and the length
//! bounded.

/// Longest message kept, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;

const MASK: &str = "[redacted]";

/// `message` with every string of `secrets` and anything that looks like a credential masked.
pub fn scrub(message: &str, secrets: &[String]) -> String {
    let mut text = message.to_string();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret.as_str(), MASK);
    }
    let text = mask_private_keys(&text);
    let text = mask_after_markers(&text);
    truncate(&text)
}

/// Masks the value following `bearer `, `token=`, `password=`, `authorization: ` and similar
/// markers (case-insensitive) up to the next whitespace, quote, `&`, `,` or `;`.
fn mask_after_markers(text: &str) -> String {
    const MARKERS: &[&str] = &[
        "bearer ",
        "basic ",
        "token=",
        "token:",
        "token\":\"",
        "password=",
        "password:",
        "secret=",
        "authorization:",
        "authorization=",
        "client-key-data:",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hit = MARKERS.iter().find(|m| lower[i..].starts_with(**m));
        match hit {
            Some(marker) => {
                let start = i + marker.len();
                let rest = &text[start..];
                let skip = rest.len() - rest.trim_start().len();
                let mut value_start = start + skip;
                if marker.starts_with("authorization") {
                    value_start += scheme_len(&lower[value_start..]);
                }
                let end = text[value_start..]
                    .find(|c: char| c.is_whitespace() || "\"'&,;".contains(c))
                    .map_or(text.len(), |n| value_start + n);
                out.push_str(&text[i..value_start]);
                if end > value_start {
                    out.push_str(MASK);
                }
                i = end;
            }
            None => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

/// Length of an authorization scheme word (`Bearer `, `Basic `) at the start of `value`.
fn scheme_len(value: &str) -> usize {
    ["bearer ", "basic "]
        .iter()
        .find(|scheme| value.starts_with(**scheme))
        .map_or(0, |scheme| {
            let rest = &value[scheme.len()..];
            scheme.len() + rest.len() - rest.trim_start().len()
        })
}

fn mask_private_keys(text: &str) -> String {
    let mut out = text.to_string();
    while let Some(start) = out.find("-----BEGIN") {
        let end = out[start..]
            .find("-----END")
            .and_then(|e| {
                out[start + e + 8..]
                    .find("-----")
                    .map(|f| start + e + 8 + f + 5)
            })
            .unwrap_or(out.len());
        out.replace_range(start..end, MASK);
    }
    out
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_MESSAGE_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_and_credential_patterns_are_masked() {
        let secrets = vec!["s3cr3t-token".to_string()];
        let text = "GET https://x failed: token s3cr3t-token rejected; \
                    Authorization: Bearer abc.def.ghi; url?token=xyz&a=1 password=hunter2";
        let clean = scrub(text, &secrets);
        for leaked in ["s3cr3t-token", "abc.def.ghi", "xyz", "hunter2"] {
            assert!(!clean.contains(leaked), "{leaked} in {clean}");
        }
        assert!(clean.contains("a=1") && clean.contains("GET https://x failed"));
        let pem = "bad key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- end";
        assert_eq!(scrub(pem, &[]), "bad key [redacted] end");
        assert_eq!(scrub("plain ünïcode text", &[]), "plain ünïcode text");
        let long = "x".repeat(2000);
        assert_eq!(scrub(&long, &[]).chars().count(), MAX_MESSAGE_CHARS);
    }
}
