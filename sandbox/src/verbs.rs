//! Writes: create (POST), replace (PUT) and patch (merge, strategic, JSON, server-side apply),
//! for main resources and the status subresource, with `dryRun=All`.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::apply::{self, Manager, Scope, Writer};
use crate::core::{Core, Sub, Target, WriteOpts};
use crate::discovery::{namespaces, ResourceDef};
use crate::object::{self, meta_mut, meta_str};
use crate::patch::{self, PatchKind};
use crate::status::{ApiError, ApiResult};
use crate::store::{Key, Store};

/// The outcome of a write: the object and whether it was created.
pub struct Written {
    /// The resulting object (or Scale view).
    pub object: Value,
    /// True when the write created the object (HTTP 201).
    pub created: bool,
}

pub(crate) fn writer<'a>(
    t: &Target,
    manager: &'a str,
    api_version: &'a str,
    now: &'a str,
) -> Writer<'a> {
    Writer {
        manager,
        api_version,
        now,
        scope: t.scope(),
    }
}

fn generate_name(obj: &mut Value) {
    if meta_str(obj, "name").is_some() {
        return;
    }
    if let Some(prefix) = meta_str(obj, "generateName").map(str::to_string) {
        let suffix: String = uuid::Uuid::new_v4()
            .simple()
            .to_string()
            .chars()
            .take(5)
            .collect();
        meta_mut(obj).insert("name".into(), json!(format!("{prefix}{suffix}")));
    }
}

fn require_name(def: &ResourceDef, obj: &Value) -> ApiResult<String> {
    let name = meta_str(obj, "name").ok_or_else(|| ApiError {
        code: 422,
        reason: "Invalid",
        message: format!(
            "{} \"\" is invalid: metadata.name: Required value: name or generateName is required",
            def.kind
        ),
        details: None,
    })?;
    object::validate_name(def, name)?;
    Ok(name.to_string())
}

fn check_namespace(store: &Store, def: &ResourceDef, obj: &Value) -> ApiResult<()> {
    let Some(ns) = meta_str(obj, "namespace").filter(|_| def.namespaced) else {
        return Ok(());
    };
    match store.get(namespaces(), &(String::new(), ns.to_string())) {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found(
            &crate::discovery::RESOURCES[namespaces()],
            ns,
        )),
    }
}

fn check_rv(def: &ResourceDef, existing: &Value, candidate: &Value) -> ApiResult<()> {
    match (meta_str(candidate, "resourceVersion"), meta_str(existing, "resourceVersion")) {
        (Some(want), Some(have)) if want != have => Err(ApiError::conflict(
            def,
            meta_str(existing, "name").unwrap_or_default(),
            "the object has been modified; please apply your changes to the latest version and try again",
        )),
        _ => Ok(()),
    }
}

impl Core {
    /// Stores a new object (`managers` computed by the caller for apply).
    fn commit_create(
        &self,
        store: &mut Store,
        t: &Target,
        mut obj: Value,
        managers: Option<Vec<Manager>>,
        opts: &WriteOpts,
    ) -> ApiResult<Written> {
        let def = t.def();
        let name = require_name(def, &obj)?;
        self.faults.check_write(&name)?;
        check_namespace(store, def, &obj)?;
        let key: Key = (
            meta_str(&obj, "namespace").unwrap_or_default().to_string(),
            name.clone(),
        );
        if store.get(t.res, &key).is_some() {
            return Err(ApiError::already_exists(def, &name));
        }
        object::init_created(
            def,
            &mut obj,
            Scope::Main {
                has_status: def.has_status,
            },
        );
        if def.plural == "services" {
            object::allocate_service(
                &mut obj,
                || self.next_cluster_ip(),
                || self.next_node_port(),
            );
        }
        let now = object::now();
        let managers = managers.unwrap_or_else(|| {
            let mut m = Vec::new();
            let manager = opts.manager_name();
            apply::record_update(
                None,
                &obj,
                &mut m,
                &writer(t, &manager, &def.api_version(), &now),
            );
            m
        });
        apply::write_managers(&mut obj, &managers);
        if opts.dry_run {
            return Ok(Written {
                object: obj,
                created: true,
            });
        }
        Ok(Written {
            object: (*store.put(t.res, obj)).clone(),
            created: true,
        })
    }

    /// Stores a changed object; a write that changes nothing keeps the resourceVersion.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn commit_update(
        &self,
        store: &mut Store,
        t: &Target,
        existing: &Arc<Value>,
        candidate: Value,
        mut managers: Vec<Manager>,
        update_by: Option<&str>,
        dry_run: bool,
    ) -> ApiResult<Written> {
        let def = t.def();
        check_rv(def, existing, &candidate)?;
        let mut out = object::finish_update(def, existing, candidate, t.scope());
        if let Some(manager) = update_by {
            let now = object::now();
            apply::record_update(
                Some(existing),
                &out,
                &mut managers,
                &writer(t, manager, &def.api_version(), &now),
            );
        }
        apply::write_managers(&mut out, &managers);
        let rv = meta_str(existing, "resourceVersion")
            .unwrap_or_default()
            .to_string();
        meta_mut(&mut out).insert("resourceVersion".into(), json!(rv));
        if out == **existing {
            return Ok(Written {
                object: out,
                created: false,
            });
        }
        if object::ready_to_go(&out) {
            let last = if dry_run {
                out
            } else {
                store
                    .remove(t.res, &t.key())
                    .map(|o| (*o).clone())
                    .unwrap_or(out)
            };
            return Ok(Written {
                object: last,
                created: false,
            });
        }
        if dry_run {
            return Ok(Written {
                object: out,
                created: false,
            });
        }
        Ok(Written {
            object: (*store.put(t.res, out)).clone(),
            created: false,
        })
    }

    pub(crate) fn existing(store: &Store, t: &Target) -> ApiResult<Arc<Value>> {
        store
            .get(t.res, &t.key())
            .ok_or_else(|| ApiError::not_found(t.def(), t.name.as_deref().unwrap_or_default()))
    }

    /// POST: creates an object.
    pub fn create(&self, t: &Target, mut body: Value, opts: &WriteOpts) -> ApiResult<Written> {
        let def = t.def();
        if t.sub.is_some() || t.name.is_some() {
            return Err(ApiError::method_not_allowed(
                "POST to an object; POST to its collection instead",
            ));
        }
        object::strip_nulls(&mut body);
        object::check_type(def, &mut body)?;
        object::check_identity(def, &mut body, t.ns.as_deref(), None)?;
        generate_name(&mut body);
        meta_mut(&mut body).remove("managedFields");
        let mut store = self.store();
        self.commit_create(&mut store, t, body, None, opts)
    }

    /// PUT: replaces an object (or its status, or its scale).
    pub fn replace(&self, t: &Target, mut body: Value, opts: &WriteOpts) -> ApiResult<Written> {
        let def = t.def();
        object::strip_nulls(&mut body);
        if t.sub == Some(Sub::Scale) {
            return self.write_scale(t, |_| Ok(body), opts);
        }
        object::check_type(def, &mut body)?;
        object::check_identity(def, &mut body, t.ns.as_deref(), t.name.as_deref())?;
        self.faults
            .check_write(t.name.as_deref().unwrap_or_default())?;
        let mut store = self.store();
        let existing = Self::existing(&store, t)?;
        let managers = apply::read_managers(&existing);
        self.commit_update(
            &mut store,
            t,
            &existing,
            body,
            managers,
            Some(&opts.manager_name()),
            opts.dry_run,
        )
    }

    /// PATCH of any kind; server-side apply may create the object.
    pub fn patch(
        &self,
        t: &Target,
        kind: PatchKind,
        body: Value,
        opts: &WriteOpts,
    ) -> ApiResult<Written> {
        if t.sub == Some(Sub::Scale) {
            return self.write_scale(t, |current| patched(kind, current, &body), opts);
        }
        self.faults
            .check_write(t.name.as_deref().unwrap_or_default())?;
        if kind == PatchKind::Apply {
            return self.apply(t, body, opts);
        }
        let def = t.def();
        let mut store = self.store();
        let existing = Self::existing(&store, t)?;
        let mut candidate = patched(kind, &existing, &body)?;
        object::strip_nulls(&mut candidate);
        object::check_type(def, &mut candidate)?;
        object::check_identity(def, &mut candidate, t.ns.as_deref(), t.name.as_deref())?;
        let managers = apply::read_managers(&existing);
        self.commit_update(
            &mut store,
            t,
            &existing,
            candidate,
            managers,
            Some(&opts.manager_name()),
            opts.dry_run,
        )
    }

    fn apply(&self, t: &Target, mut applied: Value, opts: &WriteOpts) -> ApiResult<Written> {
        let def = t.def();
        let manager = opts.manager.clone().ok_or_else(|| {
            ApiError::bad_request(
                "PATCH /apply requests require fieldManager to be set: add ?fieldManager=NAME",
            )
        })?;
        if applied
            .pointer("/metadata/managedFields")
            .is_some_and(|m| !m.is_null())
        {
            return Err(ApiError::bad_request(
                "metadata.managedFields must be nil: remove it from the applied configuration",
            ));
        }
        object::strip_nulls(&mut applied);
        object::check_type(def, &mut applied)?;
        object::check_identity(def, &mut applied, t.ns.as_deref(), t.name.as_deref())?;
        let (av, now) = (def.api_version(), object::now());
        let w = writer(t, &manager, &av, &now);
        let mut store = self.store();
        let existing = store.get(t.res, &t.key());
        let mut managers = existing
            .as_deref()
            .map(apply::read_managers)
            .unwrap_or_default();
        if let Some(existing) = &existing {
            check_rv(def, existing, &applied)?;
        } else if t.sub.is_some() {
            return Err(ApiError::not_found(
                def,
                t.name.as_deref().unwrap_or_default(),
            ));
        }
        let merged = apply::apply(existing.as_deref(), &applied, &mut managers, &w, opts.force)
            .map_err(|c| {
                ApiError::apply_conflicts(def, t.name.as_deref().unwrap_or_default(), &av, &c)
            })?;
        match existing {
            None => self.commit_create(&mut store, t, merged, Some(managers), opts),
            Some(existing) => {
                let mut candidate = merged;
                meta_mut(&mut candidate).remove("resourceVersion");
                self.commit_update(
                    &mut store,
                    t,
                    &existing,
                    candidate,
                    managers,
                    None,
                    opts.dry_run,
                )
            }
        }
    }
}

/// Applies a non-apply patch to a copy of `current`.
pub(crate) fn patched(kind: PatchKind, current: &Value, body: &Value) -> ApiResult<Value> {
    let mut out = current.clone();
    match kind {
        PatchKind::Merge | PatchKind::Apply => {
            require_object(body)?;
            patch::merge_patch(&mut out, body);
        }
        PatchKind::Strategic => {
            require_object(body)?;
            patch::strategic_patch(&mut out, body);
        }
        PatchKind::Json => patch::json_patch(&mut out, body).map_err(|e| ApiError {
            code: 422,
            reason: "Invalid",
            message: format!("the JSON patch could not be applied: {e}"),
            details: None,
        })?,
    }
    Ok(out)
}

fn require_object(body: &Value) -> ApiResult<()> {
    if body.is_object() {
        Ok(())
    } else {
        Err(ApiError::bad_request("a merge patch must be a JSON object"))
    }
}
