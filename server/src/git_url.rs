//! Repository URLs and branch names for everything that runs `git` (Git import and image
//! builds): one set of rules, so a repository one of them accepts the other accepts too.

/// Which repository URLs beyond `https://`, `ssh://` and `user@host:path` a server accepts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Access {
    /// `file://` repositories on the server's disk (`KUBEORCH_GIT_ALLOW_FILE`).
    pub file: bool,
    /// `git://` and `http://` on the loopback interface (development and tests only).
    pub local: bool,
}

/// A checked repository URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoUrl {
    /// What git is given.
    pub url: String,
    /// The URL with any password replaced by `***`, for records, logs and answers.
    pub display: String,
    /// The password in the URL, if any (to scrub from git's output).
    pub secret: Option<String>,
}

/// Checks a repository URL: `https://`, `ssh://` or `user@host:path` (ssh); `file:///path` and
/// loopback `git://`/`http://` only as `access` allows. The error says what is accepted.
pub fn check_url(raw: &str, access: Access) -> Result<RepoUrl, String> {
    let raw = raw.trim();
    let accepted = || {
        format!(
            "The repository URL must look like https://…, ssh://… or git@host:path{}.",
            if access.file { ", or file:///…" } else { "" }
        )
    };
    if raw.is_empty()
        || raw.starts_with('-')
        || raw.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(accepted());
    }
    if !raw.contains("://") {
        return match raw.split_once(':') {
            Some((authority, path))
                if authority.contains('@')
                    && !authority.contains('/')
                    && !path.is_empty()
                    && !path.starts_with(':') =>
            {
                Ok(RepoUrl {
                    url: raw.to_string(),
                    display: raw.to_string(),
                    secret: None,
                })
            }
            _ => Err(accepted()),
        };
    }
    let url = url::Url::parse(raw).map_err(|_| accepted())?;
    let host = url.host_str().unwrap_or_default();
    // `https:///x` would be read as host `x`: a host must follow the `//` itself.
    let names_host = !raw
        .split_once("://")
        .is_some_and(|(_, rest)| rest.starts_with('/'));
    let allowed = match url.scheme() {
        "https" | "ssh" => names_host && !host.is_empty(),
        "file" if !access.file => {
            return Err("Local repositories (file://) are not allowed on this server.".into())
        }
        "file" => host.is_empty(),
        "git" | "http" => access.local && loopback(host),
        _ => false,
    };
    if !allowed {
        return Err(match url.scheme() {
            "https" | "ssh" | "file" => accepted(),
            scheme => {
                format!("{scheme}:// URLs are not allowed on this server: use https:// or ssh://.")
            }
        });
    }
    let secret = url.password().map(str::to_string);
    let mut display = url.clone();
    if secret.is_some() {
        let _ = display.set_password(Some("***"));
    }
    Ok(RepoUrl {
        url: url.to_string(),
        display: display.to_string(),
        secret,
    })
}

/// Checks a branch or tag name (git's ref rules, a little stricter).
pub fn check_branch(branch: &str) -> Result<(), String> {
    let bad = branch.is_empty()
        || branch.len() > 200
        || branch.starts_with(['-', '/', '.'])
        || branch.ends_with('/')
        || branch.ends_with(".lock")
        || branch.contains("..")
        || branch.contains("//")
        || branch.contains("@{")
        || branch
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c));
    if bad {
        Err(format!("'{branch}' is not a valid branch or tag name."))
    } else {
        Ok(())
    }
}

fn loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "::1")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: Access = Access {
        file: true,
        local: false,
    };
    const LOCAL: Access = Access {
        file: false,
        local: true,
    };

    #[test]
    fn only_safe_transports_are_accepted() {
        for ok in [
            "https://github.com/a/b.git",
            "ssh://git@host/a/b.git",
            "git@github.com:a/b.git",
            " https://github.com/a/b.git ",
        ] {
            assert!(check_url(ok, Access::default()).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/a.git",
            "git://example.com/a.git",
            "ftp://example.com/a.git",
            "ext::sh -c touch% /tmp/pwned",
            "--upload-pack=touch /tmp/x",
            "-uhttps://x",
            "https://x/r a",
            "file:///srv/repo.git",
            "/srv/repo.git",
            "https:///x",
            "host:path",
            "git@host:",
            "",
        ] {
            assert!(check_url(bad, Access::default()).is_err(), "{bad}");
        }
    }

    #[test]
    fn local_repositories_only_when_allowed() {
        assert!(check_url("file:///srv/repo.git", FILES).is_ok());
        assert!(check_url("file://host/srv", FILES).is_err());
        let refused = check_url("file:///srv/repo.git", Access::default()).unwrap_err();
        assert!(refused.contains("not allowed"), "{refused}");
        assert!(check_url("git://127.0.0.1:9418/r.git", LOCAL).is_ok());
        assert!(check_url("http://localhost/r.git", LOCAL).is_ok());
        assert!(check_url("git://10.0.0.1/r.git", LOCAL).is_err());
        assert!(check_url("git://127.0.0.1/r.git", FILES).is_err());
    }

    #[test]
    fn passwords_stay_out_of_what_is_shown() {
        let url = check_url(
            "https://bob:hunter2@git.example.com/r.git",
            Access::default(),
        )
        .unwrap();
        assert_eq!(url.url, "https://bob:hunter2@git.example.com/r.git");
        assert_eq!(url.display, "https://bob:***@git.example.com/r.git");
        assert_eq!(url.secret.as_deref(), Some("hunter2"));
        let plain = check_url("git@host:a/b", Access::default()).unwrap();
        assert_eq!(
            (plain.display.as_str(), plain.secret),
            ("git@host:a/b", None)
        );
    }

    #[test]
    fn branch_names_follow_git_rules() {
        for ok in ["main", "release/1.2", "v1.0.0", "feature_x-y"] {
            assert_eq!(check_branch(ok), Ok(()), "{ok}");
        }
        for bad in [
            "", "-x", "a..b", "a b", "a:b", "x.lock", "a/", "/a", ".a", "a//b", "@{-1}x",
        ] {
            assert!(check_branch(bad).is_err(), "{bad}");
        }
    }
}
