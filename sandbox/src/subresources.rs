//! Writes through the `/scale` subresource, and status writes by the simulated controllers.

use serde_json::{json, Value};

use crate::apply;
use crate::core::{Core, Sub, Target, WriteOpts};
use crate::object::{meta_mut, meta_str};
use crate::reads::scale_view;
use crate::status::{ApiError, ApiResult};
use crate::verbs::Written;

impl Core {
    pub(crate) fn write_scale(
        &self,
        t: &Target,
        new_scale: impl FnOnce(&Value) -> ApiResult<Value>,
        opts: &WriteOpts,
    ) -> ApiResult<Written> {
        let def = t.def();
        let mut store = self.store();
        let existing = Self::existing(&store, t)?;
        let scale = new_scale(&scale_view(&existing))?;
        let replicas = scale
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .filter(|r| *r >= 0);
        let Some(replicas) = replicas else {
            let name = t.name.as_deref().unwrap_or_default();
            return Err(ApiError::invalid(
                def,
                name,
                "spec.replicas",
                &scale
                    .pointer("/spec/replicas")
                    .map(Value::to_string)
                    .unwrap_or_default(),
                "must be a non-negative integer",
            ));
        };
        let mut candidate = (*existing).clone();
        candidate["spec"]["replicas"] = json!(replicas);
        if let Some(rv) = meta_str(&scale, "resourceVersion") {
            meta_mut(&mut candidate).insert("resourceVersion".into(), json!(rv));
        }
        let main = Target {
            sub: None,
            ..t.clone()
        };
        let managers = apply::read_managers(&existing);
        let written = self.commit_update(
            &mut store,
            &main,
            &existing,
            candidate,
            managers,
            Some(&opts.manager_name()),
            opts.dry_run,
        )?;
        Ok(Written {
            object: scale_view(&written.object),
            created: false,
        })
    }

    /// Writes an object's status as a controller would (an Update through `/status`); returns
    /// false when the object is gone.
    pub fn controller_status(&self, t: &Target, status: Value, manager: &str) -> bool {
        let t = Target {
            sub: Some(Sub::Status),
            ..t.clone()
        };
        let mut store = self.store();
        let Some(existing) = store.get(t.res, &t.key()) else {
            return false;
        };
        let mut candidate = (*existing).clone();
        candidate["status"] = status;
        meta_mut(&mut candidate).remove("resourceVersion");
        let managers = apply::read_managers(&existing);
        self.commit_update(
            &mut store,
            &t,
            &existing,
            candidate,
            managers,
            Some(manager),
            false,
        )
        .is_ok()
    }
}
