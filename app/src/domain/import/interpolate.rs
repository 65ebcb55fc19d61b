//! Compose variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, `$$`) and `.env` files.
//! Variables only ever come from what the user supplied (the `.env` next to the file, or given
//! with the request) — never from the server's own environment.

use std::collections::{BTreeMap, BTreeSet};

/// Variables available to interpolation, by name.
pub type Vars = BTreeMap<String, String>;

/// Why a string could not be interpolated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InterpolationError {
    /// `${VAR:?message}` or `${VAR?message}` with the variable missing.
    #[error("variable {name} is required: {message}")]
    Required {
        /// The variable.
        name: String,
        /// The file's message (or a default one).
        message: String,
    },
    /// `${` without its `}` or an invalid name.
    #[error("invalid interpolation `{0}`: use $NAME, ${{NAME}} or ${{NAME:-default}}, or $$ for a literal $")]
    Syntax(String),
}

/// Interpolates one string. Variables that are used but not set are added to `missing` (they
/// become empty strings, as in Docker Compose).
pub fn interpolate(
    text: &str,
    vars: &Vars,
    missing: &mut BTreeSet<String>,
) -> Result<String, InterpolationError> {
    if !text.contains('$') {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            let end = closing_brace(inner).ok_or_else(|| syntax(&rest[at..]))?;
            out.push_str(&braced(&inner[..end], vars, missing)?);
            rest = &inner[end + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                out.push('$');
                rest = after;
            } else {
                out.push_str(&lookup(&after[..len], vars, missing));
                rest = &after[len..];
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn syntax(at: &str) -> InterpolationError {
    InterpolationError::Syntax(at.chars().take(40).collect())
}

/// Index of the `}` closing a `${`, skipping nested `${…}`.
fn closing_brace(inner: &str) -> Option<usize> {
    let bytes = inner.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn name_len(text: &str) -> usize {
    let mut len = 0;
    for (i, c) in text.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + c.len_utf8();
    }
    len
}

fn lookup(name: &str, vars: &Vars, missing: &mut BTreeSet<String>) -> String {
    match vars.get(name) {
        Some(value) => value.clone(),
        None => {
            missing.insert(name.to_string());
            String::new()
        }
    }
}

fn braced(
    expr: &str,
    vars: &Vars,
    missing: &mut BTreeSet<String>,
) -> Result<String, InterpolationError> {
    let len = name_len(expr);
    if len == 0 {
        return Err(syntax(&format!("${{{expr}}}")));
    }
    let (name, op) = expr.split_at(len);
    if op.is_empty() {
        return Ok(lookup(name, vars, missing));
    }
    let value = vars.get(name);
    let (colon, op) = match op.strip_prefix(':') {
        Some(op) => (true, op),
        None => (false, op),
    };
    let set = value.is_some_and(|v| !colon || !v.is_empty());
    let mut chars = op.chars();
    let (Some(kind), word) = (chars.next(), chars.as_str()) else {
        return Err(syntax(&format!("${{{expr}}}")));
    };
    match kind {
        '-' if set => Ok(value.cloned().unwrap_or_default()),
        '-' => interpolate(word, vars, missing),
        '+' if set => interpolate(word, vars, missing),
        '+' => Ok(String::new()),
        '?' if set => Ok(value.cloned().unwrap_or_default()),
        '?' => Err(InterpolationError::Required {
            name: name.to_string(),
            message: if word.is_empty() {
                "set it in the .env file".to_string()
            } else {
                interpolate(word, vars, missing)?
            },
        }),
        _ => Err(syntax(&format!("${{{expr}}}"))),
    }
}

/// Parses a `.env` / `env_file` file: `KEY=VALUE` lines, optional `export `, `#` comments,
/// single quotes (literal), double quotes (with `\n`, `\"`, `\\` escapes). A line with only a
/// name (`KEY`) defines it empty. Returns the variables in file order and the invalid lines
/// (1-based numbers).
pub fn parse_dotenv(text: &str) -> (Vec<(String, String)>, Vec<usize>) {
    let mut vars = Vec::new();
    let mut bad = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        let key = key.trim();
        if name_len(key) != key.len() || key.is_empty() {
            bad.push(number + 1);
            continue;
        }
        vars.push((key.to_string(), dotenv_value(value.trim())));
    }
    (vars, bad)
}

fn dotenv_value(raw: &str) -> String {
    if let Some(inner) = raw.strip_prefix('\'') {
        return inner.split('\'').next().unwrap_or("").to_string();
    }
    if let Some(inner) = raw.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        return out;
    }
    match raw.find(" #") {
        Some(at) => raw[..at].trim_end().to_string(),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Result<String, InterpolationError>, BTreeSet<String>) {
        let vars: Vars = [("TAG", "1.2"), ("EMPTY", ""), ("PORT", "8080")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut missing = BTreeSet::new();
        (interpolate(text, &vars, &mut missing), missing)
    }

    fn ok(text: &str) -> String {
        run(text).0.expect("interpolates")
    }

    #[test]
    fn every_form_of_the_spec() {
        assert_eq!(ok("nginx:$TAG"), "nginx:1.2");
        assert_eq!(ok("nginx:${TAG}-alpine"), "nginx:1.2-alpine");
        assert_eq!(ok("${EMPTY:-x}/${EMPTY-y}/${NOPE-z}"), "x//z");
        assert_eq!(ok("${TAG:+set}/${EMPTY:+set}/${EMPTY+set}"), "set//set");
        assert_eq!(ok("${NOPE:-${PORT}}"), "8080");
        assert_eq!(ok("$$HOME costs $5"), "$HOME costs $5");
        assert_eq!(ok("${TAG:?needed}"), "1.2");
    }

    #[test]
    fn missing_variables_are_blank_and_reported() {
        let (out, missing) = run("a${NOPE}b$ALSO_NOT");
        assert_eq!(out.unwrap(), "ab");
        assert_eq!(
            missing.into_iter().collect::<Vec<_>>(),
            ["ALSO_NOT", "NOPE"]
        );
    }

    #[test]
    fn required_and_syntax_errors() {
        assert!(matches!(
            run("${DB_PASSWORD:?set a password}").0,
            Err(InterpolationError::Required { name, message }) if name == "DB_PASSWORD" && message == "set a password"
        ));
        assert!(matches!(run("${TAG").0, Err(InterpolationError::Syntax(_))));
        assert!(matches!(run("${1X}").0, Err(InterpolationError::Syntax(_))));
        assert!(matches!(
            run("${TAG:%x}").0,
            Err(InterpolationError::Syntax(_))
        ));
    }

    #[test]
    fn dotenv_files() {
        let (vars, bad) = parse_dotenv(
            "# comment\nA=1\nexport B = two words # note\nC='lit $x # y'\nD=\"a\\nb\"\nE\n1BAD=x\n",
        );
        let vars: Vars = vars.into_iter().collect();
        assert_eq!(vars["A"], "1");
        assert_eq!(vars["B"], "two words");
        assert_eq!(vars["C"], "lit $x # y");
        assert_eq!(vars["D"], "a\nb");
        assert_eq!(vars["E"], "");
        assert_eq!(bad, [7]);
    }
}
