//! The HTTP front: routes Kubernetes API paths to discovery, reads, writes and watches, and
//! applies the latency and outage faults.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::Value;

use crate::core::{Core, DeleteOpts, Sub, Target, WriteOpts};
use crate::discovery::{self, RESOURCES};
use crate::patch::PatchKind;
use crate::reads::ListOpts;
use crate::selectors::{FieldSelector, Filter, LabelSelector};
use crate::status::{ApiError, ApiResult};
use crate::watch::{self, WatchParams};

/// The axum router serving the Kubernetes API.
pub fn router(core: Arc<Core>) -> Router {
    Router::new().fallback(handle).with_state(core)
}

/// A TCP listener that drops every connection while the injected outage is on.
pub struct OutageListener {
    inner: tokio::net::TcpListener,
    core: Arc<Core>,
}

impl OutageListener {
    /// Wraps a bound listener.
    pub fn new(inner: tokio::net::TcpListener, core: Arc<Core>) -> Self {
        Self { inner, core }
    }
}

impl axum::serve::Listener for OutageListener {
    type Io = tokio::net::TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
            if !self.core.faults.outage() {
                return (io, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

enum Route {
    Json(Value),
    Resource(Target),
}

fn resolve(group: &str, version: &str, rest: &[&str]) -> Option<Target> {
    let namespaced_path =
        rest.len() >= 3 && rest[0] == "namespaces" && !matches!(rest[2], "status" | "finalize");
    let (ns, rest) = if namespaced_path {
        (Some(rest[1].to_string()), &rest[2..])
    } else {
        (None, rest)
    };
    if rest.is_empty() || rest.len() > 3 {
        return None;
    }
    let res = discovery::find(group, version, rest[0])?;
    let def = &RESOURCES[res];
    let name = rest.get(1).map(|s| s.to_string());
    if (ns.is_some() && !def.namespaced) || (def.namespaced && ns.is_none() && name.is_some()) {
        return None;
    }
    let sub = match rest.get(2) {
        None => None,
        Some(&"status") if def.has_status => Some(Sub::Status),
        Some(&"scale") if def.has_scale => Some(Sub::Scale),
        Some(_) => return None,
    };
    Some(Target { res, ns, name, sub })
}

fn route(path: &str) -> ApiResult<Route> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let found = match segs.as_slice() {
        ["version"] => Some(Route::Json(discovery::version())),
        ["api"] => Some(Route::Json(discovery::core_versions())),
        ["apis"] => Some(Route::Json(discovery::group_list())),
        ["apis", g] => discovery::group(g).map(Route::Json),
        ["api", v] => discovery::resource_list("", v).map(Route::Json),
        ["apis", g, v] => discovery::resource_list(g, v).map(Route::Json),
        ["api", v, rest @ ..] => resolve("", v, rest).map(Route::Resource),
        ["apis", g, v, rest @ ..] => resolve(g, v, rest).map(Route::Resource),
        _ => None,
    };
    found.ok_or_else(|| ApiError::no_route(path))
}

struct Query(HashMap<String, String>);

impl Query {
    fn parse(uri: &Uri) -> ApiResult<Self> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(uri.query().unwrap_or_default())
                .map_err(|e| ApiError::bad_request(format!("invalid query string: {e}")))?;
        Ok(Self(pairs.into_iter().collect()))
    }

    fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str)
    }

    fn flag(&self, k: &str) -> bool {
        matches!(self.get(k), Some("true" | "1"))
    }

    fn dry_run(&self) -> ApiResult<bool> {
        match self.get("dryRun") {
            None | Some("") => Ok(false),
            Some("All") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "unsupported dryRun value {other:?}: only All is supported"
            ))),
        }
    }

    fn filter(&self, ns: Option<String>) -> ApiResult<Filter> {
        Ok(Filter {
            namespace: ns,
            labels: LabelSelector::parse(self.get("labelSelector").unwrap_or_default())?,
            fields: FieldSelector::parse(self.get("fieldSelector").unwrap_or_default())?,
        })
    }

    fn write_opts(&self, headers: &HeaderMap) -> ApiResult<WriteOpts> {
        let manager = self
            .get("fieldManager")
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        if manager.as_ref().is_some_and(|m| m.len() > 128) {
            return Err(ApiError::bad_request(
                "fieldManager must be at most 128 characters",
            ));
        }
        Ok(WriteOpts {
            dry_run: self.dry_run()?,
            manager,
            force: self.flag("force"),
            user_agent: header_str(headers, header::USER_AGENT).to_string(),
        })
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn parse_body(bytes: &[u8], yaml_ok: bool) -> ApiResult<Value> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Ok(v),
        Err(json_err) if yaml_ok => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| ApiError::bad_request("the request body is not UTF-8"))?;
            serde_saphyr::from_str::<Value>(text).map_err(|e| {
                ApiError::bad_request(format!(
                    "the request body is neither JSON ({json_err}) nor YAML ({e})"
                ))
            })
        }
        Err(e) => Err(ApiError::bad_request(format!(
            "the request body is not valid JSON: {e}"
        ))),
    }
}

fn delete_opts(q: &Query, body: &[u8]) -> ApiResult<DeleteOpts> {
    let opts: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        parse_body(body, false)?
    };
    let body_dry_run = opts
        .get("dryRun")
        .and_then(Value::as_array)
        .is_some_and(|d| d.iter().any(|v| v == "All"));
    let pre = |k: &str| {
        opts.pointer(&format!("/preconditions/{k}"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Ok(DeleteOpts {
        dry_run: q.dry_run()? || body_dry_run,
        uid: pre("uid"),
        resource_version: pre("resourceVersion"),
    })
}

async fn handle(
    State(core): State<Arc<Core>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let latency = core.faults.latency();
    if latency > Duration::ZERO {
        tokio::time::sleep(latency).await;
    }
    if core.faults.outage() {
        let mut resp = ApiError::unavailable().into_response();
        resp.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
        return resp;
    }
    match serve(core, &method, &uri, &headers, &body) {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    }
}

fn serve(
    core: Arc<Core>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Response> {
    let t = match route(uri.path())? {
        Route::Json(doc) if method == Method::GET => return Ok(Json(doc).into_response()),
        Route::Json(_) => return Err(ApiError::method_not_allowed(uri.path())),
        Route::Resource(t) => t,
    };
    let q = Query::parse(uri)?;
    let ct = header_str(headers, header::CONTENT_TYPE);
    if matches!(*method, Method::POST | Method::PUT)
        && (ct.contains("protobuf") || ct.contains("cbor"))
    {
        return Err(ApiError::protobuf_unsupported(ct));
    }
    let ok = |v: Value| Json(v).into_response();
    let written = |w: crate::verbs::Written| {
        let code = if w.created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        (code, Json(w.object)).into_response()
    };
    match *method {
        Method::GET if t.name.is_some() => Ok(ok(core.get(&t)?)),
        Method::GET if q.flag("watch") => {
            let p = WatchParams {
                resource_version: q.get("resourceVersion").map(str::to_string),
                send_initial_events: q.flag("sendInitialEvents"),
                bookmarks: q.flag("allowWatchBookmarks"),
                timeout: q
                    .get("timeoutSeconds")
                    .and_then(|s| s.parse().ok())
                    .map(Duration::from_secs),
            };
            watch::start(core.clone(), t.res, q.filter(t.ns.clone())?, p)
        }
        Method::GET => {
            let opts = ListOpts {
                limit: q.get("limit").and_then(|s| s.parse().ok()).unwrap_or(0),
                continue_token: q
                    .get("continue")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                resource_version: q.get("resourceVersion").map(str::to_string),
                version_match: q.get("resourceVersionMatch").map(str::to_string),
            };
            Ok(ok(core.list(t.res, &q.filter(t.ns.clone())?, &opts)?))
        }
        Method::POST => Ok(written(core.create(
            &t,
            parse_body(body, true)?,
            &q.write_opts(headers)?,
        )?)),
        Method::PUT if t.name.is_some() => Ok(written(core.replace(
            &t,
            parse_body(body, true)?,
            &q.write_opts(headers)?,
        )?)),
        Method::PATCH if t.name.is_some() => {
            let kind = PatchKind::from_content_type(ct)
                .ok_or_else(|| ApiError::unsupported_media_type(ct))?;
            let body = parse_body(body, kind == PatchKind::Apply)?;
            Ok(written(core.patch(
                &t,
                kind,
                body,
                &q.write_opts(headers)?,
            )?))
        }
        Method::DELETE if t.name.is_some() => Ok(ok(core.delete(&t, &delete_opts(&q, body)?)?)),
        Method::DELETE => {
            let filter = q.filter(t.ns.clone())?;
            Ok(ok(core.delete_collection(
                t.res,
                &filter,
                &delete_opts(&q, body)?,
            )?))
        }
        _ => Err(ApiError::method_not_allowed(&format!(
            "{method} {}",
            uri.path()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parts = (usize, Option<String>, Option<String>, Option<Sub>);

    fn target(path: &str) -> Option<Parts> {
        match route(path).ok()? {
            Route::Resource(t) => Some((t.res, t.ns, t.name, t.sub)),
            Route::Json(_) => None,
        }
    }

    #[test]
    fn routes_namespaced_cluster_and_subresources() {
        let deploy = discovery::find("apps", "v1", "deployments");
        assert_eq!(
            target("/apis/apps/v1/namespaces/x/deployments/web/status").map(|t| (Some(t.0), t.3)),
            Some((deploy, Some(Sub::Status)))
        );
        assert_eq!(target("/apis/apps/v1/deployments").map(|t| t.1), Some(None));
        assert!(target("/apis/apps/v1/deployments/web").is_none());
        assert_eq!(
            target("/api/v1/namespaces/prod").map(|t| (t.0, t.2)),
            Some((0, Some("prod".into())))
        );
        assert_eq!(
            target("/api/v1/namespaces/prod/status").map(|t| t.3),
            Some(Some(Sub::Status))
        );
        assert_eq!(
            target("/api/v1/namespaces/prod/configmaps/c").map(|t| t.1),
            Some(Some("prod".into()))
        );
        assert!(target("/api/v1/namespaces/prod/configmaps/c/status").is_none());
        assert!(route("/apis/nope/v1").is_err());
        assert!(matches!(route("/apis"), Ok(Route::Json(_))));
    }
}
