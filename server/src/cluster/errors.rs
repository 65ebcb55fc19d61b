//! Turning kube errors into one scrubbed sentence a user can act on.

use super::client::ClusterClient;

/// A user-facing description of a kube error, with the cluster's secrets scrubbed.
pub fn describe(cluster: &ClusterClient, error: &kube::Error) -> String {
    cluster.scrub(&text(error))
}

fn text(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) => {
            let code = status.code;
            let hint = match code {
                401 => " (the credentials were not accepted)",
                403 => " (the credentials are not allowed to do this)",
                _ => "",
            };
            if status.message.is_empty() {
                format!("the API server answered {code} {}{hint}", status.reason)
            } else {
                format!("{}{hint}", status.message)
            }
        }
        kube::Error::HyperError(e) => format!("cannot reach the API server: {e}"),
        kube::Error::Service(e) => format!("cannot reach the API server: {}", chain(e.as_ref())),
        kube::Error::Auth(_) => "the credentials could not be used".into(),
        kube::Error::TlsRequired => "the server URL must use https for these credentials".into(),
        other => chain(other),
    }
}

/// An error and its sources on one line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}
