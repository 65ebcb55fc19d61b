//! GET and LIST (with selectors, `limit`/`continue` and exact-resourceVersion reads), and the
//! `/scale` view of workloads.

use serde_json::{json, Value};

use crate::core::{Core, Sub, Target};
use crate::discovery::ResId;
use crate::discovery::RESOURCES;
use crate::selectors::Filter;
use crate::status::{ApiError, ApiResult};
use crate::store::Key;

/// Paging and consistency options of a list.
#[derive(Clone, Debug, Default)]
pub struct ListOpts {
    /// `limit` (0 = all).
    pub limit: usize,
    /// `continue` token from a previous page.
    pub continue_token: Option<String>,
    /// `resourceVersion`.
    pub resource_version: Option<String>,
    /// `resourceVersionMatch`.
    pub version_match: Option<String>,
}

/// Parses a resourceVersion query value.
pub fn parse_rv(s: &str) -> ApiResult<u64> {
    s.parse::<u64>().map_err(|_| {
        ApiError::bad_request(format!(
            "invalid resource version {s:?}: expected a decimal number"
        ))
    })
}

fn decode_continue(token: &str) -> ApiResult<(u64, Key)> {
    let mut parts = token.splitn(3, ':');
    let bad = || {
        ApiError::bad_request("invalid continue token: use the token returned by the previous page")
    };
    let rv = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let ns = parts.next().ok_or_else(bad)?.to_string();
    let name = parts.next().ok_or_else(bad)?.to_string();
    Ok((rv, (ns, name)))
}

/// The Scale object of a workload.
pub fn scale_view(obj: &Value) -> Value {
    let selector = obj
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let meta = obj.get("metadata").cloned().unwrap_or_default();
    let pick = |k: &str| meta.get(k).cloned().unwrap_or(Value::Null);
    json!({
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {"name": pick("name"), "namespace": pick("namespace"), "uid": pick("uid"),
                     "resourceVersion": pick("resourceVersion"), "creationTimestamp": pick("creationTimestamp")},
        "spec": {"replicas": obj.pointer("/spec/replicas").cloned().unwrap_or(json!(1))},
        "status": {"replicas": obj.pointer("/status/replicas").cloned().unwrap_or(json!(0)), "selector": selector},
    })
}

impl Core {
    /// GET one object (or its status / scale view).
    pub fn get(&self, t: &Target) -> ApiResult<Value> {
        let name = t.name.clone().unwrap_or_default();
        let obj = self
            .store()
            .get(t.res, &t.key())
            .ok_or_else(|| ApiError::not_found(t.def(), &name))?;
        Ok(match t.sub {
            Some(Sub::Scale) => scale_view(&obj),
            _ => (*obj).clone(),
        })
    }

    /// LIST objects of `res` that match `filter`.
    pub fn list(&self, res: ResId, filter: &Filter, opts: &ListOpts) -> ApiResult<Value> {
        let def = &RESOURCES[res];
        let store = self.store();
        let (at, start) = match (
            &opts.continue_token,
            &opts.resource_version,
            opts.version_match.as_deref(),
        ) {
            (Some(token), _, _) => {
                let (rv, key) = decode_continue(token)?;
                (rv, Some(key))
            }
            (None, Some(rv), Some("Exact")) => (parse_rv(rv)?, None),
            (None, Some(rv), _) if !rv.is_empty() => {
                parse_rv(rv)?;
                (store.rv(), None)
            }
            _ => (store.rv(), None),
        };
        let objects = store.objects_at(res, at).ok_or_else(|| {
            ApiError::expired(format!(
                "The provided continue parameter or resourceVersion {at} is too old to display a consistent list result. Start a new list without it."
            ))
        })?;
        drop(store);
        let mut items = Vec::new();
        let mut next = None;
        let mut remaining = 0usize;
        let after = |k: &Key| start.as_ref().is_none_or(|s| k > s);
        for (_, obj) in objects
            .iter()
            .filter(|(k, o)| after(k) && filter.matches(o))
        {
            if opts.limit > 0 && items.len() == opts.limit {
                if next.is_none() {
                    next = items.last().map(|o: &Value| {
                        let k = crate::store::key_of(o);
                        format!("{at}:{}:{}", k.0, k.1)
                    });
                }
                remaining += 1;
                continue;
            }
            items.push((**obj).clone());
        }
        let mut metadata = json!({"resourceVersion": at.to_string()});
        if let Some(token) = next {
            metadata["continue"] = json!(token);
            metadata["remainingItemCount"] = json!(remaining);
        }
        Ok(
            json!({"apiVersion": def.api_version(), "kind": def.list_kind(), "metadata": metadata, "items": items}),
        )
    }

    /// Whether a namespace exists.
    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.store()
            .get(
                crate::discovery::namespaces(),
                &(String::new(), ns.to_string()),
            )
            .is_some()
    }
}
