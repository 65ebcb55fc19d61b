//! String syntaxes of parameters ([`Format`]): pure checks with messages that say what to fix.
//! Hand-written (no regex engine) so the browser bundle stays small.

use std::net::IpAddr;

use crate::model::metadata::Format;

/// Checks `value` against `format`; the error is a sentence fragment such as
/// "must be a DNS-1123 label: …".
pub fn check(format: Format, value: &str) -> Result<(), String> {
    let ok = match format {
        Format::Dns1123Label => is_dns1123_label(value),
        Format::Dns1123Subdomain => is_dns1123_subdomain(value),
        Format::Dns1035Label => is_dns1035_label(value),
        Format::LabelKey => is_label_key(value),
        Format::LabelValue => is_label_value(value),
        Format::ConfigKey => is_config_key(value),
        Format::EnvName => is_env_name(value),
        Format::Image => is_image(value),
        Format::Cpu => is_cpu(value),
        Format::Memory => is_memory(value),
        Format::AbsolutePath => is_absolute_path(value),
        Format::HttpPath => is_http_path(value),
        Format::Hostname => is_hostname(value),
        Format::Cidr => is_cidr(value),
        Format::Cron => is_cron(value),
        Format::TimeZone => is_time_zone(value),
        Format::PortName => is_port_name(value),
        Format::PortRef => is_port_number(value) || is_port_name(value),
        Format::IntOrPercent => is_int_or_percent(value),
        Format::Capability => is_capability(value),
        Format::ApiVersion => is_api_version(value),
        Format::KindName => is_kind_name(value),
        Format::Yaml => true,
    };
    if ok {
        Ok(())
    } else {
        Err(explain(format).to_string())
    }
}

/// What a format expects, phrased as the end of "<field> …".
pub fn explain(format: Format) -> &'static str {
    match format {
        Format::Dns1123Label => "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit (e.g. my-app)",
        Format::Dns1123Subdomain => "must be a DNS-1123 name: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (e.g. my-app)",
        Format::Dns1035Label => "must be a DNS-1035 label: at most 63 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit (e.g. web)",
        Format::LabelKey => "must be a label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. example.com/tier)",
        Format::LabelValue => "must be a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        Format::ConfigKey => "must be a key of at most 253 letters, digits, '-', '_' or '.' (e.g. app.properties)",
        Format::EnvName => "must be an environment variable name: letters, digits, '_', '-' or '.', not starting with a digit (e.g. LOG_LEVEL)",
        Format::Image => "must be an image reference without spaces, e.g. nginx:1.27 or registry.example.com/team/app@sha256:…",
        Format::Cpu => "must be a CPU amount such as 500m, 1 or 0.5",
        Format::Memory => "must be a size such as 128Mi, 1Gi or 500M",
        Format::AbsolutePath => "must be an absolute path such as /etc/config, without '..' parts, ':' or control characters",
        Format::HttpPath => "must be a URL path starting with '/', without spaces, quotes, ';', '{', '}' or '\\'",
        Format::Hostname => "must be a DNS host name such as app.example.com (optionally starting with '*.')",
        Format::Cidr => "must be a CIDR block such as 10.0.0.0/16 or fd00::/8",
        Format::Cron => "must be a cron schedule of five fields (minute hour day-of-month month day-of-week), e.g. 0 * * * *, or @hourly/@daily/@weekly/@monthly/@yearly",
        Format::TimeZone => "must be an IANA time zone such as Europe/Berlin or UTC",
        Format::PortName => "must be a port name: at most 15 lowercase letters, digits or '-', with at least one letter (e.g. http)",
        Format::PortRef => "must be a port number (1-65535) or a port name such as http",
        Format::IntOrPercent => "must be a whole number or a percentage such as 25%",
        Format::Capability => "must be a capability name in capitals such as NET_ADMIN or ALL",
        Format::ApiVersion => "must be an API version such as v1 or cert-manager.io/v1",
        Format::KindName => "must be a kind such as Certificate: a capital letter, then letters and digits",
        Format::Yaml => "must be YAML",
    }
}

fn all(value: &str, allowed: impl Fn(char) -> bool) -> bool {
    value.chars().all(allowed)
}

fn alnum_ends(value: &str, alnum: impl Fn(char) -> bool) -> bool {
    value.chars().next().is_some_and(&alnum) && value.chars().last().is_some_and(alnum)
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// RFC 1123 label.
pub fn is_dns1123_label(value: &str) -> bool {
    value.len() <= 63
        && alnum_ends(value, lower_alnum)
        && all(value, |c| lower_alnum(c) || c == '-')
}

/// RFC 1123 subdomain.
pub fn is_dns1123_subdomain(value: &str) -> bool {
    value.len() <= 253
        && value
            .split('.')
            .all(|part| alnum_ends(part, lower_alnum) && all(part, |c| lower_alnum(c) || c == '-'))
}

/// RFC 1035 label.
pub fn is_dns1035_label(value: &str) -> bool {
    is_dns1123_label(value) && value.starts_with(|c: char| c.is_ascii_lowercase())
}

fn is_qualified_name_part(value: &str) -> bool {
    value.len() <= 63
        && alnum_ends(value, |c| c.is_ascii_alphanumeric())
        && all(value, |c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn is_label_key(value: &str) -> bool {
    match value.split_once('/') {
        Some((prefix, name)) => is_dns1123_subdomain(prefix) && is_qualified_name_part(name),
        None => is_qualified_name_part(value),
    }
}

fn is_label_value(value: &str) -> bool {
    value.is_empty() || is_qualified_name_part(value)
}

fn is_config_key(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 253
        && value != "."
        && value != ".."
        && all(value, |c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn is_env_name(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with(|c: char| c.is_ascii_digit())
        && all(value, |c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn is_image(value: &str) -> bool {
    value.len() <= 1024
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && all(value, |c| {
            c.is_ascii_alphanumeric() || "._-/:@+".contains(c)
        })
}

fn digits(value: &str) -> bool {
    !value.is_empty() && all(value, |c| c.is_ascii_digit())
}

fn decimal(value: &str) -> bool {
    match value.split_once('.') {
        Some((whole, frac)) => (whole.is_empty() || digits(whole)) && digits(frac),
        None => digits(value),
    }
}

fn is_cpu(value: &str) -> bool {
    value.len() <= 32 && (value.strip_suffix('m').is_some_and(digits) || decimal(value))
}

fn is_memory(value: &str) -> bool {
    const SUFFIXES: [&str; 12] = [
        "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E",
    ];
    let number = SUFFIXES
        .iter()
        .find_map(|suffix| value.strip_suffix(suffix))
        .unwrap_or(value);
    value.len() <= 32 && decimal(number)
}

fn is_absolute_path(value: &str) -> bool {
    value.starts_with('/')
        && value.len() <= 4096
        && !value.split('/').any(|part| part == "..")
        && all(value, |c| !c.is_control() && c != ':' && !is_odd_space(c))
}

/// Characters YAML or terminals treat as line breaks or invisible formatting.
fn is_odd_space(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}')
}

fn is_http_path(value: &str) -> bool {
    value.starts_with('/')
        && value.len() <= 2048
        && all(value, |c| {
            c.is_ascii_alphanumeric() || "/-._~%!$&()*+,=:@^?[]|".contains(c)
        })
}

fn is_hostname(value: &str) -> bool {
    let name = value.strip_prefix("*.").unwrap_or(value);
    name.contains(|c: char| c.is_ascii_lowercase()) && is_dns1123_subdomain(name)
}

fn is_cidr(value: &str) -> bool {
    let Some((addr, prefix)) = value.split_once('/') else {
        return false;
    };
    let Ok(addr) = addr.parse::<IpAddr>() else {
        return false;
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    digits(prefix) && prefix.len() <= 3 && prefix.parse::<u8>().is_ok_and(|p| p <= max)
}

fn is_cron(value: &str) -> bool {
    const MACROS: [&str; 7] = [
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
    ];
    if MACROS.contains(&value) {
        return true;
    }
    let fields: Vec<&str> = value.split(' ').collect();
    value.len() <= 128
        && fields.len() == 5
        && fields
            .iter()
            .all(|f| !f.is_empty() && all(f, |c| c.is_ascii_alphanumeric() || "*/,-?".contains(c)))
}

fn is_time_zone(value: &str) -> bool {
    value.len() <= 64
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && !value.contains("..")
        && !value.ends_with('/')
        && all(value, |c| c.is_ascii_alphanumeric() || "_+-/".contains(c))
}

fn is_port_name(value: &str) -> bool {
    value.len() <= 15
        && value.contains(|c: char| c.is_ascii_lowercase())
        && !value.contains("--")
        && is_dns1123_label(value)
}

fn is_port_number(value: &str) -> bool {
    digits(value)
        && value.len() <= 5
        && value.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p))
}

fn is_int_or_percent(value: &str) -> bool {
    match value.strip_suffix('%') {
        Some(number) => {
            digits(number) && number.len() <= 3 && number.parse::<u32>().is_ok_and(|p| p <= 100)
        }
        None => digits(value) && value.len() <= 9,
    }
}

fn is_capability(value: &str) -> bool {
    !value.is_empty() && value.len() <= 64 && all(value, |c| c.is_ascii_uppercase() || c == '_')
}

fn is_api_version(value: &str) -> bool {
    match value.split_once('/') {
        Some((group, version)) => {
            group.contains('.') && is_dns1123_subdomain(group) && is_dns1123_label(version)
        }
        None => is_dns1123_label(value),
    }
}

fn is_kind_name(value: &str) -> bool {
    value.len() <= 63
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && all(value, |c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(format: Format, good: &[&str], bad: &[&str]) {
        for value in good {
            assert!(
                check(format, value).is_ok(),
                "{format:?} should accept {value:?}"
            );
        }
        for value in bad {
            assert!(
                check(format, value).is_err(),
                "{format:?} should reject {value:?}"
            );
        }
    }

    #[test]
    fn names() {
        let long = "a".repeat(64);
        ok(
            Format::Dns1123Label,
            &["web", "a1", "0abc"],
            &["", "Web", "-a", "a-", "a.b", &long, "a\nb"],
        );
        ok(
            Format::Dns1123Subdomain,
            &["web", "a.b-c.d"],
            &["", "a..b", ".a", "a_b", "A"],
        );
        ok(Format::Dns1035Label, &["web", "a-1"], &["1web", "", "web-"]);
        ok(
            Format::LabelKey,
            &["tier", "example.com/tier", "a_b.C"],
            &["", "/x", "a/b/c", "x y", "-a"],
        );
        ok(
            Format::LabelValue,
            &["", "v1", "A.b_c-d"],
            &["-a", "a b", &long, "a\n---"],
        );
    }

    #[test]
    fn values() {
        ok(
            Format::Cpu,
            &["500m", "1", "0.5", ".5"],
            &["", "1.5m", "1 m", "m", "1Gi"],
        );
        ok(
            Format::Memory,
            &["128Mi", "1Gi", "500M", "1", "1.5Gi", "10k"],
            &["", "1K", "Mi", "1 Gi", "1GB"],
        );
        ok(
            Format::Image,
            &[
                "nginx",
                "nginx:1.27",
                "ghcr.io/a/b@sha256:abc",
                "localhost:5000/x",
            ],
            &["", "a b", ":x", "a\nb", "a\"b"],
        );
        ok(
            Format::AbsolutePath,
            &["/data", "/etc/my config"],
            &["data", "/a/../b", "/a:b", "/a\nb", "/a\u{2028}"],
        );
        ok(
            Format::HttpPath,
            &["/", "/api/v1", "/(.*)"],
            &["", "api", "/a b", "/a;b", "/a{b}", "/\""],
        );
        ok(
            Format::Hostname,
            &["example.com", "*.example.com", "a-b.c"],
            &["", "*", "1.2.3.4", "a..b", "Ex.com"],
        );
        ok(
            Format::Cidr,
            &["10.0.0.0/8", "fd00::/8", "1.2.3.4/32"],
            &["10.0.0.0", "10.0.0.0/33", "x/8", "::/129"],
        );
        ok(
            Format::Cron,
            &["0 * * * *", "*/5 1-3 * JAN MON", "@daily"],
            &["", "* * * *", "0  * * * *", "0 * * * * *", "0 * * * *\n"],
        );
        ok(
            Format::PortName,
            &["http", "web-1"],
            &["", "1234", "HTTP", "a--b", "sixteen-chars-xx"],
        );
        ok(
            Format::PortRef,
            &["80", "65535", "http"],
            &["0", "65536", "", "-1"],
        );
        ok(
            Format::IntOrPercent,
            &["0", "1", "25%", "100%"],
            &["", "101%", "%", "1.5", "-1"],
        );
        ok(
            Format::ApiVersion,
            &["v1", "cert-manager.io/v1", "apps.example.com/v1beta1"],
            &["", "apps/v1/x", "Cert.io/v1", "a/v1"],
        );
        ok(
            Format::KindName,
            &["Certificate", "A1"],
            &["", "certificate", "A-b"],
        );
        ok(
            Format::EnvName,
            &["LOG_LEVEL", "a.b-c"],
            &["", "1A", "A B", "A=B"],
        );
        ok(
            Format::ConfigKey,
            &["app.properties", "KEY"],
            &["", ".", "..", "a/b", "a b"],
        );
        ok(
            Format::TimeZone,
            &["UTC", "Europe/Berlin", "Etc/GMT+1"],
            &["", "/etc", "../x", "a b"],
        );
        ok(
            Format::Capability,
            &["NET_ADMIN", "ALL"],
            &["", "net_admin"],
        );
    }
}
