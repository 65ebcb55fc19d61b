//! DELETE of one object (finalizers, preconditions, namespace contents) and of a collection.

use serde_json::{json, Value};

use crate::core::{Core, DeleteOpts, Target};
use crate::discovery::namespaces;
use crate::object::{self, meta_mut, meta_str};
use crate::status::{ApiError, ApiResult};
use crate::store::Key;

impl Core {
    /// DELETE one object: with finalizers it only gets a deletionTimestamp; deleting a
    /// namespace deletes everything in it.
    pub fn delete(&self, t: &Target, opts: &DeleteOpts) -> ApiResult<Value> {
        let def = t.def();
        let name = t.name.clone().unwrap_or_default();
        let mut store = self.store();
        let existing = Self::existing(&store, t)?;
        if let Some(uid) = &opts.uid {
            if meta_str(&existing, "uid") != Some(uid.as_str()) {
                return Err(ApiError::conflict(
                    def,
                    &name,
                    &format!(
                        "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                        meta_str(&existing, "uid").unwrap_or_default()
                    ),
                ));
            }
        }
        if let Some(rv) = &opts.resource_version {
            if meta_str(&existing, "resourceVersion") != Some(rv.as_str()) {
                return Err(ApiError::conflict(def, &name, &format!("Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {}", meta_str(&existing, "resourceVersion").unwrap_or_default())));
            }
        }
        let has_finalizers = existing
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if has_finalizers {
            if meta_str(&existing, "deletionTimestamp").is_some() {
                return Ok((*existing).clone());
            }
            let mut marked = (*existing).clone();
            let meta = meta_mut(&mut marked);
            meta.insert("deletionTimestamp".into(), json!(object::now()));
            meta.insert("deletionGracePeriodSeconds".into(), json!(0));
            return Ok(if opts.dry_run {
                marked
            } else {
                (*store.put(t.res, marked)).clone()
            });
        }
        if opts.dry_run {
            return Ok((*existing).clone());
        }
        if t.res == namespaces() {
            for (res, key) in store.keys_in_namespace(&name) {
                store.remove(res, &key);
            }
        }
        Ok(store
            .remove(t.res, &t.key())
            .map(|o| (*o).clone())
            .unwrap_or_default())
    }
}

impl Core {
    /// DELETE on a collection: deletes every object that matches `filter`; returns them as a list.
    pub fn delete_collection(
        &self,
        res: crate::discovery::ResId,
        filter: &crate::selectors::Filter,
        opts: &DeleteOpts,
    ) -> ApiResult<Value> {
        let def = &crate::discovery::RESOURCES[res];
        let keys: Vec<Key> = self
            .store()
            .bucket(res)
            .objects
            .iter()
            .filter(|(_, o)| filter.matches(o))
            .map(|(k, _)| k.clone())
            .collect();
        let mut items = Vec::new();
        for (ns, name) in keys {
            let t = Target {
                res,
                ns: def.namespaced.then_some(ns),
                name: Some(name),
                sub: None,
            };
            match self.delete(
                &t,
                &DeleteOpts {
                    dry_run: opts.dry_run,
                    ..Default::default()
                },
            ) {
                Ok(obj) => items.push(obj),
                Err(e) if e.code == 404 => {}
                Err(e) => return Err(e),
            }
        }
        let rv = self.store().rv().to_string();
        Ok(
            json!({"apiVersion": def.api_version(), "kind": def.list_kind(), "metadata": {"resourceVersion": rv}, "items": items}),
        )
    }
}
