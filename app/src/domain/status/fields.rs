//! Reading fields of an object as JSON.

use serde_json::Value;

/// The string at `pointer`, or "".
pub fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The integer at `pointer`, or `default`.
pub fn int(object: &Value, pointer: &str, default: i64) -> i64 {
    object
        .pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(default)
}

/// A status condition.
pub struct Condition<'a> {
    /// `True`, `False` or `Unknown`.
    pub status: &'a str,
    /// CamelCase reason.
    pub reason: &'a str,
    /// Human message.
    pub message: &'a str,
}

impl Condition<'_> {
    /// True when the status is `True`.
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }

    /// True when the status is `False`.
    pub fn is_false(&self) -> bool {
        self.status == "False"
    }

    /// The message, else the reason.
    pub fn explain(&self) -> &str {
        if self.message.is_empty() {
            self.reason
        } else {
            self.message
        }
    }
}

/// The condition of type `ty` in `status.conditions`.
pub fn condition<'a>(object: &'a Value, ty: &str) -> Option<Condition<'a>> {
    object
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
        .map(|c| Condition {
            status: c.get("status").and_then(Value::as_str).unwrap_or_default(),
            reason: c.get("reason").and_then(Value::as_str).unwrap_or_default(),
            message: c.get("message").and_then(Value::as_str).unwrap_or_default(),
        })
}

/// True when the controller has not yet seen the latest spec (`observedGeneration` behind
/// `generation`).
pub fn not_observed(object: &Value) -> bool {
    let generation = int(object, "/metadata/generation", 0);
    let observed = int(object, "/status/observedGeneration", 0);
    generation > 0 && observed < generation
}

/// True when the object has no status yet.
pub fn no_status(object: &Value) -> bool {
    object
        .get("status")
        .is_none_or(|s| s.as_object().is_none_or(|m| m.is_empty()))
}

/// The first load balancer address (IP or hostname) in `status.loadBalancer.ingress`.
pub fn lb_address(object: &Value) -> Option<&str> {
    object
        .pointer("/status/loadBalancer/ingress")?
        .as_array()?
        .iter()
        .find_map(|i| {
            i.get("ip")
                .or_else(|| i.get("hostname"))
                .and_then(Value::as_str)
        })
}
