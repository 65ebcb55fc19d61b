//! Checks of a build request; each refusal says what to fix.

use app::error::AppError;
use app::model::build::BuildRequest;

use super::plan;
use crate::git_url::{self, Access, RepoUrl};

/// A request that passed the checks, with defaults filled in.
#[derive(Debug)]
pub struct Checked {
    /// The repository URL.
    pub repo: RepoUrl,
    /// Branch or tag (default `main`).
    pub branch: String,
    /// Build context (default `.`).
    pub context: String,
    /// Image name.
    pub image: String,
    /// Tag (default `latest`).
    pub tag: String,
}

/// Checks `request`; `allow_file` permits `file://` repositories.
pub fn request(request: &BuildRequest, allow_file: bool) -> Result<Checked, AppError> {
    let invalid = AppError::Invalid;
    let access = Access {
        file: allow_file,
        local: false,
    };
    let repo = git_url::check_url(&request.repo_url, access).map_err(invalid)?;
    let branch = non_blank(request.branch.as_deref())
        .unwrap_or("main")
        .to_string();
    git_url::check_branch(&branch).map_err(invalid)?;
    let context = plan::check_context(request.context.as_deref().unwrap_or(""))
        .map_err(invalid)?
        .to_string_lossy()
        .to_string();
    let image = request.image.trim().to_string();
    check_image(&image).map_err(invalid)?;
    let tag = non_blank(request.tag.as_deref())
        .unwrap_or("latest")
        .to_string();
    check_tag(&tag).map_err(invalid)?;
    Ok(Checked {
        repo,
        branch,
        context,
        image,
        tag,
    })
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// An image name inside a registry: lower-case path components like `team/web`.
pub fn check_image(image: &str) -> Result<(), String> {
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
            && c.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && c.ends_with(|ch: char| ch.is_ascii_alphanumeric())
    };
    if image.is_empty() || image.len() > 200 || !image.split('/').all(component_ok) {
        return Err(format!(
            "'{image}' is not a valid image name: use lower-case letters, digits, '.', '_' or '-' \
             in parts separated by '/', like team/web (the registry comes from the registry \
             choice)."
        ));
    }
    Ok(())
}

/// An image tag: up to 128 of letters, digits, `_`, `.`, `-`, not starting with `.` or `-`.
pub fn check_tag(tag: &str) -> Result<(), String> {
    let ok = !tag.is_empty()
        && tag.len() <= 128
        && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{tag}' is not a valid tag: up to 128 letters, digits, '_', '.' or '-'."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_in_and_bad_values_name_the_field() {
        let ok = request(
            &BuildRequest {
                repo_url: " https://git.example.com/a.git ".into(),
                image: "team/web".into(),
                ..Default::default()
            },
            false,
        );
        let ok = ok.map_err(|e| e.to_string());
        let checked = ok
            .as_ref()
            .map(|c| (c.branch.as_str(), c.tag.as_str(), c.context.as_str()));
        assert_eq!(checked, Ok(("main", "latest", ".")));
        for image in ["Team/Web", "web:1", "/web", "a//b", "-a", ""] {
            assert!(check_image(image).is_err(), "{image}");
        }
        for tag in ["", ".x", "a b", &"x".repeat(129)] {
            assert!(check_tag(tag).is_err(), "{tag}");
        }
        assert_eq!(check_tag("v1.2_rc-1"), Ok(()));
        let bad = request(
            &BuildRequest {
                repo_url: "https://x/a.git".into(),
                image: "web".into(),
                context: Some("../etc".into()),
                ..Default::default()
            },
            false,
        );
        assert!(matches!(bad, Err(AppError::Invalid(m)) if m.contains("'..'")));
    }
}
