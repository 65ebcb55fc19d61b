//! Services (selector, target ports) and Ingresses (backends, TLS hosts).

use serde_json::{json, Map, Value};

use super::{Derived, Design};
use crate::domain::edges::EdgeMeaning;
use crate::domain::issue::Issue;
use crate::model::data::{IngressSettings, ServicePort, ServiceSettings};
use crate::model::NodeSettings;

/// A port reference as Kubernetes wants it: a number when numeric, else a name.
pub fn port_value(port: &str) -> Value {
    match port.parse::<i32>() {
        Ok(number) => json!(number),
        Err(_) => json!(port),
    }
}

pub(super) fn service(
    design: &Design,
    index: usize,
    svc: &ServiceSettings,
    derived: &mut Derived,
    issues: &mut Vec<Issue>,
) {
    let targets = design.targets(index, EdgeMeaning::Selects);
    let workload = match targets.as_slice() {
        [] => {
            derived.service_selector = svc.selector.clone();
            if svc.selector.is_empty() {
                issues.push(Issue::warning(
                    "the Service selects no pods: connect it to a workload or set a pod selector",
                ));
            }
            None
        }
        [(_, workload)] => {
            derived.service_selector = super::selector_labels(design.workflow_id, workload.name());
            if !svc.selector.is_empty() {
                issues.push(Issue::field_warning(
                    "selector",
                    "the pod selector is ignored while a workload is connected",
                ));
            }
            Some(*workload)
        }
        many => {
            let names: Vec<&str> = many.iter().map(|(_, s)| s.name()).collect();
            issues.push(Issue::error(format!(
                "a Service sends traffic to one workload, but this one is connected to {}: remove all but one edge",
                names.join(", ")
            )));
            None
        }
    };
    for (i, port) in svc.ports.iter().enumerate() {
        let target = target_port(port, workload, &format!("ports[{i}].targetPort"), issues);
        let mut out = Map::new();
        if !port.name.is_empty() {
            out.insert("name".into(), json!(port.name));
        }
        out.insert("port".into(), json!(port.port));
        out.insert("targetPort".into(), target);
        out.insert("protocol".into(), json!(port.protocol.as_str()));
        if let Some(node_port) = port.node_port {
            out.insert("nodePort".into(), json!(node_port));
        }
        derived.service_ports.push(Value::Object(out));
    }
}

/// The set target port; else the workload's port of the same name, its first port, or the port.
fn target_port(
    port: &ServicePort,
    workload: Option<&NodeSettings>,
    path: &str,
    issues: &mut Vec<Issue>,
) -> Value {
    let container_ports = workload
        .and_then(NodeSettings::container)
        .map(|c| c.ports.as_slice())
        .unwrap_or_default();
    if !port.target_port.is_empty() {
        let value = port_value(&port.target_port);
        if value.is_string()
            && workload.is_some()
            && !container_ports.iter().any(|p| p.name == port.target_port)
        {
            issues.push(Issue::field_warning(
                path,
                format!(
                    "the connected workload has no port named {}",
                    port.target_port
                ),
            ));
        }
        return value;
    }
    let same_name = container_ports
        .iter()
        .find(|p| !port.name.is_empty() && p.name == port.name);
    match same_name.or(container_ports.first()) {
        Some(container_port) => json!(container_port.container_port),
        None => json!(port.port),
    }
}

pub(super) fn ingress(
    design: &Design,
    index: usize,
    ing: &IngressSettings,
    derived: &mut Derived,
    issues: &mut Vec<Issue>,
) {
    let services: Vec<&ServiceSettings> = design
        .targets(index, EdgeMeaning::Routes)
        .into_iter()
        .filter_map(|(_, s)| match s {
            NodeSettings::Service(svc) => Some(svc),
            _ => None,
        })
        .collect();
    let mut used = vec![false; services.len()];
    let mut rules: Vec<(String, Vec<Value>)> = Vec::new();
    for (i, path) in ing.paths.iter().enumerate() {
        let chosen = if path.service.is_empty() {
            match services.len() {
                1 => Ok(0),
                0 => Err((
                    format!("paths[{i}]"),
                    "connect the Service this path routes to".to_string(),
                )),
                _ => Err((
                    format!("paths[{i}].service"),
                    "several Services are connected: choose this path's Service".to_string(),
                )),
            }
        } else {
            services
                .iter()
                .position(|s| s.object.name == path.service)
                .ok_or_else(|| {
                    (
                        format!("paths[{i}].service"),
                        format!(
                            "no connected Service is called {}: connect it to the Ingress",
                            path.service
                        ),
                    )
                })
        };
        let backend = chosen.and_then(|s| {
            used[s] = true;
            backend_port(services[s], &path.port, i)
                .map(|port| json!({ "service": { "name": services[s].object.name, "port": port } }))
        });
        match backend {
            Ok(backend) => {
                let host = if path.host.is_empty() {
                    &ing.host
                } else {
                    &path.host
                };
                let entry = json!({ "path": path.path, "pathType": path.path_type.as_str(), "backend": backend });
                match rules.iter_mut().find(|(h, _)| h == host) {
                    Some((_, paths)) => paths.push(entry),
                    None => rules.push((host.clone(), vec![entry])),
                }
            }
            Err((field, message)) => issues.push(Issue::field_error(field, message)),
        }
    }
    for (svc, _) in services.iter().zip(&used).filter(|(_, used)| !**used) {
        issues.push(Issue::warning(format!(
            "Service {} is connected but no path routes to it",
            svc.object.name
        )));
    }
    if ing.tls {
        let hosts: Vec<&String> = if ing.tls_hosts.is_empty() {
            rules
                .iter()
                .map(|(h, _)| h)
                .filter(|h| !h.is_empty())
                .collect()
        } else {
            ing.tls_hosts.iter().collect()
        };
        let mut tls = Map::new();
        if !hosts.is_empty() {
            tls.insert("hosts".into(), json!(hosts));
        }
        if !ing.tls_secret_name.is_empty() {
            tls.insert("secretName".into(), json!(ing.tls_secret_name));
        }
        derived.ingress_tls.push(Value::Object(tls));
    }
    derived.ingress_rules = rules
        .into_iter()
        .map(|(host, paths)| {
            let mut rule = Map::new();
            if !host.is_empty() {
                rule.insert("host".into(), json!(host));
            }
            rule.insert("http".into(), json!({ "paths": paths }));
            Value::Object(rule)
        })
        .collect();
}

fn backend_port(svc: &ServiceSettings, port: &str, i: usize) -> Result<Value, (String, String)> {
    let field = format!("paths[{i}].port");
    let name = &svc.object.name;
    if port.is_empty() {
        return svc
            .ports
            .first()
            .map(|p| json!({ "number": p.port }))
            .ok_or_else(|| (field, format!("Service {name} has no ports")));
    }
    match port_value(port) {
        Value::Number(n)
            if svc
                .ports
                .iter()
                .any(|p| Some(i64::from(p.port)) == n.as_i64()) =>
        {
            Ok(json!({ "number": n }))
        }
        Value::String(s) if svc.ports.iter().any(|p| p.name == s) => Ok(json!({ "name": s })),
        _ => Err((field, format!("Service {name} has no port {port}"))),
    }
}
