//! Running the external tools of a build (git, buildah, nixpacks): each in its own process
//! group with a clean environment, output read line by line into a sink, and the whole group
//! killed when the build is cancelled, times out or is dropped — nothing is left running.

use std::process::{ExitStatus, Stdio};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio_util::sync::CancellationToken;

/// Longest line kept from a tool's output, in bytes (longer lines are cut).
pub const MAX_LINE_BYTES: usize = 4096;

/// Where output lines go: `(stream, line)` with stream `stdout` or `stderr`.
pub type LineSink = Arc<dyn Fn(&'static str, String) + Send + Sync>;

/// How a tool run ended.
#[derive(Debug)]
pub struct Finished {
    /// The exit status.
    pub status: ExitStatus,
    /// The last lines it wrote to stderr (for the error message).
    pub stderr_tail: Vec<String>,
}

/// Why a tool could not be run to its end.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// The program is not installed or not executable.
    #[error("cannot start {program}: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// Waiting for it failed.
    #[error("lost track of {0}")]
    Wait(String),
    /// It was stopped because the build was cancelled (or timed out).
    #[error("stopped")]
    Cancelled,
}

/// A command with an empty environment except `PATH`, `HOME` (given) and `LANG=C`, no stdin,
/// in its own process group.
pub fn command(program: &str, home: &std::path::Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into()),
        )
        .env("HOME", home)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    cmd
}

/// Kills the process group of a child when dropped (unless it was reaped).
struct GroupGuard {
    pgid: Option<i32>,
}

impl GroupGuard {
    fn kill(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            // SAFETY: plain syscall on a process group this process created.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `cmd` to its end, sending its output lines to `sink`; kills its process group when
/// `cancel` fires.
pub async fn run(
    mut cmd: Command,
    sink: LineSink,
    cancel: &CancellationToken,
) -> Result<Finished, ProcessError> {
    let program = cmd.as_std().get_program().to_string_lossy().to_string();
    let mut child: Child = cmd.spawn().map_err(|source| ProcessError::Spawn {
        program: program.clone(),
        source,
    })?;
    let mut guard = GroupGuard {
        pgid: child.id().and_then(|id| i32::try_from(id).ok()),
    };
    let out = child.stdout.take().map(|s| pump(s, "stdout", sink.clone()));
    let err = child.stderr.take().map(|s| pump(s, "stderr", sink));
    let readers = async {
        let stdout = async {
            if let Some(out) = out {
                out.await;
            }
        };
        let stderr = async {
            match err {
                Some(err) => err.await,
                None => Vec::new(),
            }
        };
        let ((), tail) = tokio::join!(Box::pin(stdout), Box::pin(stderr));
        tail
    };
    let waited = tokio::select! {
        _ = cancel.cancelled() => None,
        done = async { let tail = readers.await; (child.wait().await, tail) } => Some(done),
    };
    match waited {
        Some((Ok(status), stderr_tail)) => {
            // The leader is reaped; stray members of its group still go.
            guard.kill();
            Ok(Finished {
                status,
                stderr_tail,
            })
        }
        Some((Err(_), _)) => Err(ProcessError::Wait(program)),
        None => {
            guard.kill();
            let _ = child.wait().await;
            Err(ProcessError::Cancelled)
        }
    }
}

/// Kills every process whose root, working folder or command line is inside `dir` (what a
/// builder may have started outside the killed process groups, e.g. a chrooted RUN step in a
/// session of its own); returns how many.
pub fn kill_strays(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let own = std::process::id();
    let needle = dir.to_string_lossy().to_string();
    let mut killed = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if pid as u32 == own {
            continue;
        }
        let path = entry.path();
        let inside = |link: &str| {
            std::fs::read_link(path.join(link)).is_ok_and(|target| target.starts_with(dir))
        };
        let cmdline = std::fs::read(path.join("cmdline"))
            .map(|raw| String::from_utf8_lossy(&raw).contains(&needle))
            .unwrap_or(false);
        if inside("root") || inside("cwd") || cmdline {
            // SAFETY: plain syscall; the process works inside this build's folder.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
            killed += 1;
        }
    }
    killed
}

/// Reads a stream into lines (split at `\n` and `\r`, cut at [`MAX_LINE_BYTES`]); returns the
/// last lines seen.
async fn pump(
    mut stream: impl AsyncRead + Unpin,
    name: &'static str,
    sink: LineSink,
) -> Vec<String> {
    const TAIL: usize = 20;
    let mut tail: Vec<String> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut emit = |line: &mut Vec<u8>| {
        let text = String::from_utf8_lossy(line).trim_end().to_string();
        line.clear();
        if text.is_empty() {
            return;
        }
        if tail.len() == TAIL {
            tail.remove(0);
        }
        tail.push(text.clone());
        sink(name, text);
    };
    loop {
        let n = match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for &byte in &chunk[..n] {
            if byte == b'\n' || byte == b'\r' {
                emit(&mut line);
            } else if line.len() < MAX_LINE_BYTES {
                line.push(byte);
            }
        }
    }
    emit(&mut line);
    tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    type Seen = Arc<Mutex<Vec<(String, String)>>>;

    fn collecting() -> (LineSink, Seen) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = seen.clone();
        let sink: LineSink = Arc::new(move |stream, line| {
            if let Ok(mut seen) = sink_seen.lock() {
                seen.push((stream.to_string(), line));
            }
        });
        (sink, seen)
    }

    #[tokio::test]
    async fn lines_of_both_streams_arrive_and_the_status_is_kept() -> anyhow::Result<()> {
        let home = tempfile::tempdir()?;
        let mut cmd = command("sh", home.path());
        cmd.args([
            "-c",
            "echo one; printf 'two\\rthree\\n'; echo oops >&2; exit 3",
        ]);
        let (sink, seen) = collecting();
        let done = run(cmd, sink, &CancellationToken::new()).await?;
        assert_eq!(done.status.code(), Some(3));
        assert_eq!(done.stderr_tail, vec!["oops".to_string()]);
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        let out: Vec<&str> = seen
            .iter()
            .filter(|(s, _)| s == "stdout")
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(out, ["one", "two", "three"]);
        Ok(())
    }

    #[tokio::test]
    async fn cancelling_kills_the_whole_group() -> anyhow::Result<()> {
        let home = tempfile::tempdir()?;
        let marker = home.path().join("child.pid");
        let mut cmd = command("sh", home.path());
        let script = format!("sleep 30 & echo $! > {}; wait", marker.display());
        cmd.args(["-c", &script]);
        let cancel = CancellationToken::new();
        let (sink, _) = collecting();
        let stopper = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            stopper.cancel();
        });
        let started = Instant::now();
        let result = run(cmd, sink, &cancel).await;
        assert!(matches!(result, Err(ProcessError::Cancelled)));
        assert!(started.elapsed() < Duration::from_secs(10));
        let pid: i32 = std::fs::read_to_string(&marker)?.trim().parse()?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let gone = stat.is_empty() || stat.contains(") Z ");
        assert!(gone, "the grandchild sleep {pid} is still running: {stat}");
        Ok(())
    }
}
