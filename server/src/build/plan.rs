//! How an image is built from a checkout: the repository's own `Containerfile`/`Dockerfile`,
//! else a Nixpacks plan when the `nixpacks` CLI is installed, else the project's own detection
//! of common stacks (a generated Containerfile). Also the checks every Containerfile passes
//! before it is built: no `--mount` (no host or cache mounts), no privileged RUN options, and
//! RUN only when the server allows it.

use std::path::{Component, Path, PathBuf};

/// The file names taken as the repository's own build file, in order of preference.
pub const BUILD_FILES: [&str; 2] = ["Containerfile", "Dockerfile"];

/// What to build with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// A build file in the context (path inside the checkout).
    File {
        /// `Containerfile` or `Dockerfile`.
        name: String,
        /// Its full path.
        path: PathBuf,
    },
    /// A Containerfile written by the server for a detected stack.
    Generated {
        /// `node`, `python`, `go`, `static`.
        stack: &'static str,
        /// The Containerfile text.
        containerfile: String,
    },
}

impl Plan {
    /// A short name for the record (`Containerfile`, `node (generated)`, …).
    pub fn label(&self) -> String {
        match self {
            Plan::File { name, .. } => name.clone(),
            Plan::Generated { stack, .. } => format!("{stack} (generated)"),
        }
    }
}

/// Checks the requested build context: relative, inside the repository, no `..`.
pub fn check_context(context: &str) -> Result<PathBuf, String> {
    let context = context.trim().trim_matches('/');
    let path = PathBuf::from(if context.is_empty() { "." } else { context });
    let escapes = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes || context.len() > 500 || context.chars().any(char::is_control) {
        return Err(format!(
            "The build context '{context}' must be a folder inside the repository (no '..')."
        ));
    }
    Ok(path)
}

/// The real path of `relative` under `root`, refused when it leaves `root` (through `..` or a
/// symbolic link) or is not a folder.
pub fn contained_dir(root: &Path, relative: &Path) -> Result<PathBuf, String> {
    let root = root
        .canonicalize()
        .map_err(|_| "the checkout cannot be read".to_string())?;
    let dir = root.join(relative).canonicalize().map_err(|_| {
        format!(
            "The build context '{}' does not exist in the repository.",
            relative.display()
        )
    })?;
    if !dir.starts_with(&root) {
        return Err(format!(
            "The build context '{}' points outside the repository.",
            relative.display()
        ));
    }
    if !dir.is_dir() {
        return Err(format!(
            "The build context '{}' is not a folder.",
            relative.display()
        ));
    }
    Ok(dir)
}

/// Finds the build file or a stack in `context` (already contained in `root`).
pub fn detect(root: &Path, context: &Path) -> Result<Plan, String> {
    for name in BUILD_FILES {
        let candidate = context.join(name);
        if candidate.symlink_metadata().is_ok() {
            let real = candidate
                .canonicalize()
                .map_err(|_| format!("{name} is a broken link."))?;
            let root = root
                .canonicalize()
                .map_err(|_| "the checkout cannot be read".to_string())?;
            if !real.starts_with(&root) || !real.is_file() {
                return Err(format!("{name} must be a file inside the repository."));
            }
            return Ok(Plan::File {
                name: name.to_string(),
                path: real,
            });
        }
    }
    let names: Vec<String> = std::fs::read_dir(context)
        .map_err(|_| "the build context cannot be read".to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    generated(&names).ok_or_else(|| {
        "No Containerfile or Dockerfile in the build context, and no known stack (package.json, \
         requirements.txt, go.mod, index.html) to generate one from. Add a Containerfile."
            .to_string()
    })
}

/// A Containerfile for a recognised stack, from the context's top-level file names.
pub fn generated(names: &[String]) -> Option<Plan> {
    let has = |n: &str| names.iter().any(|x| x == n);
    let (stack, containerfile) = if has("package.json") {
        ("node", NODE)
    } else if has("requirements.txt") || has("pyproject.toml") {
        ("python", PYTHON)
    } else if has("go.mod") {
        ("go", GO)
    } else if has("index.html") {
        ("static", STATIC)
    } else {
        return None;
    };
    Some(Plan::Generated {
        stack,
        containerfile: containerfile.to_string(),
    })
}

const NODE: &str = "FROM docker.io/library/node:22-alpine\nWORKDIR /app\nCOPY . .\n\
RUN if [ -f package-lock.json ]; then npm ci --omit=dev; else npm install --omit=dev; fi\n\
ENV NODE_ENV=production\nEXPOSE 3000\nCMD [\"npm\", \"start\"]\n";
const PYTHON: &str = "FROM docker.io/library/python:3.12-slim\nWORKDIR /app\nCOPY . .\n\
RUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; \
else pip install --no-cache-dir .; fi\nEXPOSE 8000\nCMD [\"python\", \"app.py\"]\n";
const GO: &str = "FROM docker.io/library/golang:1.23-alpine AS build\nWORKDIR /src\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n\
ENTRYPOINT [\"/app\"]\n";
const STATIC: &str = "FROM docker.io/library/nginx:1.27-alpine\nCOPY . /usr/share/nginx/html\n\
EXPOSE 80\n";

/// Checks a Containerfile's instructions: no `--mount`, no `--security`/`--network` options,
/// and no `RUN` at all unless `allow_run`.
pub fn check_containerfile(text: &str, allow_run: bool) -> Result<(), String> {
    for (number, instruction) in instructions(text) {
        let upper = instruction.to_ascii_uppercase();
        let word = upper.split_whitespace().next().unwrap_or_default();
        if upper.contains("--MOUNT") {
            return Err(format!(
                "line {number}: '--mount' is not allowed (builds get no host or cache mounts)."
            ));
        }
        if word == "RUN" {
            if upper.contains("--SECURITY")
                || upper.contains("--NETWORK")
                || upper.contains("--DEVICE")
            {
                return Err(format!("line {number}: RUN options --security, --network and --device are not allowed."));
            }
            if !allow_run {
                return Err(format!(
                    "line {number}: RUN is disabled on this server (KUBEORCH_BUILD_ALLOW_RUN=false); \
                     build the files into the repository and COPY them instead."
                ));
            }
        }
    }
    Ok(())
}

/// Instructions with their first line number (continuation lines joined, comments dropped).
fn instructions(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if current.is_none() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        let (start, mut joined) = current.take().unwrap_or((index + 1, String::new()));
        let (body, continues) = match line.strip_suffix('\\') {
            Some(body) => (body, true),
            None => (line, false),
        };
        joined.push_str(body);
        joined.push(' ');
        if continues {
            current = Some((start, joined));
        } else {
            out.push((start, joined));
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_stay_inside_the_repository() {
        assert_eq!(check_context(""), Ok(PathBuf::from(".")));
        assert_eq!(check_context("/app/web/"), Ok(PathBuf::from("app/web")));
        for bad in ["../x", "a/../../b", "a\nb"] {
            assert!(check_context(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_out_of_the_checkout_are_refused() -> anyhow::Result<()> {
        let root = tempfile::tempdir()?;
        let outside = tempfile::tempdir()?;
        std::fs::create_dir(root.path().join("app"))?;
        std::os::unix::fs::symlink(outside.path(), root.path().join("out"))?;
        assert!(contained_dir(root.path(), Path::new("app")).is_ok());
        assert!(contained_dir(root.path(), Path::new("out")).is_err());
        assert!(contained_dir(root.path(), Path::new("missing")).is_err());
        std::fs::write(outside.path().join("secret"), "x")?;
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            root.path().join("app/Containerfile"),
        )?;
        let app = root.path().join("app");
        assert!(
            detect(root.path(), &app).is_err(),
            "a Containerfile linking outside"
        );
        Ok(())
    }

    #[test]
    fn build_files_win_over_stacks() -> anyhow::Result<()> {
        let root = tempfile::tempdir()?;
        std::fs::write(root.path().join("package.json"), "{}")?;
        let plan = detect(root.path(), root.path()).map_err(anyhow::Error::msg)?;
        assert_eq!(plan.label(), "node (generated)");
        std::fs::write(root.path().join("Dockerfile"), "FROM scratch\n")?;
        let plan = detect(root.path(), root.path()).map_err(anyhow::Error::msg)?;
        assert_eq!(plan.label(), "Dockerfile");
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            generated(&names(&["go.mod"])).map(|p| p.label()),
            Some("go (generated)".into())
        );
        assert_eq!(generated(&names(&["README.md"])), None);
        Ok(())
    }

    #[test]
    fn containerfiles_are_checked_instruction_by_instruction() {
        let ok = "FROM scratch\n# RUN --mount in a comment\nCOPY a /a\nRUN echo \\\n  hi\n";
        assert_eq!(check_containerfile(ok, true), Ok(()));
        let no_run = check_containerfile(ok, false).unwrap_err();
        assert!(no_run.starts_with("line 4:"), "{no_run}");
        let mount =
            "FROM scratch\nRUN \\\n --mount=type=bind,source=/,target=/host cat /host/etc/shadow\n";
        assert!(check_containerfile(mount, true)
            .unwrap_err()
            .contains("--mount"));
        assert!(check_containerfile("FROM x\nRUN --network=host curl x\n", true).is_err());
    }
}
