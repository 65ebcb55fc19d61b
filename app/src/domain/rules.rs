//! Checks that span several fields of one node (the metadata checks one value at a time).

use std::collections::HashSet;

use super::issue::Issue;
use super::wiring::RESERVED_PREFIXES;
use crate::model::data::*;
use crate::model::NodeSettings;

/// Cross-field problems of one node's settings.
pub fn check(settings: &NodeSettings) -> Vec<Issue> {
    let mut issues = Vec::new();
    reserved_labels(settings.object(), &mut issues);
    if let Some(container) = settings.container() {
        container_rules(container, &mut issues);
    }
    match settings {
        NodeSettings::Deployment(d)
            if d.strategy == DeploymentStrategy::Recreate
                && !(d.max_surge.is_empty() && d.max_unavailable.is_empty()) =>
        {
            issues.push(Issue::field_warning(
                "strategy",
                "max surge and max unavailable only apply to rolling updates",
            ));
        }
        NodeSettings::StatefulSet(s) => {
            duplicates(
                s.volume_claim_templates.iter().map(|c| c.name.as_str()),
                "volumeClaimTemplates",
                "name",
                "claim name",
                &mut issues,
            );
            for (i, claim) in s.volume_claim_templates.iter().enumerate() {
                if claim.access_modes.is_empty() {
                    issues.push(Issue::field_error(
                        format!("volumeClaimTemplates[{i}].accessModes"),
                        "choose at least one access mode",
                    ));
                }
            }
        }
        NodeSettings::Service(s) => service_rules(s, &mut issues),
        NodeSettings::Ingress(i) => ingress_rules(i, &mut issues),
        NodeSettings::ConfigMap(c)
            if c.data.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>() > 1_048_576 =>
        {
            issues.push(Issue::field_error(
                "data",
                "a ConfigMap holds at most 1 MiB: move large files elsewhere",
            ));
        }
        NodeSettings::Secret(s) => secret_rules(s, &mut issues),
        NodeSettings::PersistentVolumeClaim(p) if p.access_modes.is_empty() => {
            issues.push(Issue::field_error(
                "accessModes",
                "choose at least one access mode",
            ));
        }
        NodeSettings::Hpa(h) => {
            if h.min_replicas > h.max_replicas {
                issues.push(Issue::field_error(
                    "minReplicas",
                    "Minimum pods must not exceed maximum pods",
                ));
            }
            if h.cpu_utilization.is_none() && h.memory_utilization.is_none() {
                issues.push(Issue::field_error(
                    "cpuUtilization",
                    "set a CPU or memory target",
                ));
            }
        }
        NodeSettings::NetworkPolicy(n) => network_policy_rules(n, &mut issues),
        NodeSettings::Custom(c) if !c.namespaced => {
            issues.push(Issue::field_warning(
                "namespaced",
                "cluster-scoped objects can only be deployed by an admin",
            ));
        }
        _ => {}
    }
    issues
}

fn reserved_labels(object: &ObjectSettings, issues: &mut Vec<Issue>) {
    for key in object
        .labels
        .keys()
        .filter(|k| RESERVED_PREFIXES.iter().any(|p| k.starts_with(p)))
    {
        issues.push(Issue::field_error(
            format!("labels[{}]", serde_json::to_string(key).unwrap_or_default()),
            format!("the label {key} is set by KubeOrch: choose another key"),
        ));
    }
}

fn duplicates<'a>(
    values: impl Iterator<Item = &'a str>,
    list: &str,
    field: &str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    let mut seen = HashSet::new();
    for (i, value) in values.enumerate() {
        if !value.is_empty() && !seen.insert(value) {
            issues.push(Issue::field_error(
                format!("{list}[{i}].{field}"),
                format!("the {what} {value} is used twice"),
            ));
        }
    }
}

fn container_rules(c: &ContainerSettings, issues: &mut Vec<Issue>) {
    duplicates(
        c.ports.iter().map(|p| p.name.as_str()),
        "ports",
        "name",
        "port name",
        issues,
    );
    let numbers: Vec<String> = c
        .ports
        .iter()
        .map(|p| format!("{}/{}", p.container_port, p.protocol.as_str()))
        .collect();
    duplicates(
        numbers.iter().map(String::as_str),
        "ports",
        "containerPort",
        "port",
        issues,
    );
    duplicates(
        c.env.iter().map(|e| e.name.as_str()),
        "env",
        "name",
        "variable",
        issues,
    );
    for (field, probe) in [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ] {
        let needs_port = matches!(probe.kind, ProbeType::Http | ProbeType::Tcp);
        if needs_port && probe.port.is_none() && c.ports.is_empty() {
            issues.push(Issue::field_error(
                format!("{field}.port"),
                "set the port to check, or add a container port",
            ));
        }
        if probe.kind == ProbeType::Exec && probe.command.is_empty() {
            issues.push(Issue::field_error(
                format!("{field}.command"),
                "set the command to run",
            ));
        }
    }
    let sc = &c.security_context;
    if sc.privileged && !sc.allow_privilege_escalation {
        issues.push(Issue::field_error(
            "securityContext.allowPrivilegeEscalation",
            "a privileged container always allows privilege escalation",
        ));
    }
}

fn service_rules(s: &ServiceSettings, issues: &mut Vec<Issue>) {
    if s.ports.is_empty() && !s.headless {
        issues.push(Issue::field_error(
            "ports",
            "a Service needs at least one port",
        ));
    }
    if s.ports.len() > 1 {
        for (i, port) in s
            .ports
            .iter()
            .enumerate()
            .filter(|(_, p)| p.name.is_empty())
        {
            issues.push(Issue::field_error(
                format!("ports[{i}].name"),
                format!("name port {} (required with several ports)", port.port),
            ));
        }
    }
    duplicates(
        s.ports.iter().map(|p| p.name.as_str()),
        "ports",
        "name",
        "port name",
        issues,
    );
    let numbers: Vec<String> = s
        .ports
        .iter()
        .map(|p| format!("{}/{}", p.port, p.protocol.as_str()))
        .collect();
    duplicates(
        numbers.iter().map(String::as_str),
        "ports",
        "port",
        "port",
        issues,
    );
    if s.headless && s.service_type != ServiceType::ClusterIp {
        issues.push(Issue::field_error(
            "headless",
            "only a ClusterIP Service can be headless",
        ));
    }
    for (i, _) in s
        .ports
        .iter()
        .enumerate()
        .filter(|(_, p)| p.node_port.is_some())
    {
        if s.service_type == ServiceType::ClusterIp {
            issues.push(Issue::field_error(
                format!("ports[{i}].nodePort"),
                "node ports need the NodePort or LoadBalancer type",
            ));
        }
    }
}

fn ingress_rules(ing: &IngressSettings, issues: &mut Vec<Issue>) {
    if ing.paths.is_empty() {
        issues.push(Issue::field_error("paths", "add at least one path"));
    }
    for (key, value) in &ing.object.annotations {
        let field = format!(
            "annotations[{}]",
            serde_json::to_string(key).unwrap_or_default()
        );
        if key.ends_with("-snippet") {
            issues.push(Issue::field_error(field.clone(), format!("{key}: snippet annotations are not allowed (they inject raw proxy configuration)")));
        }
        if value.contains(['\r', '\n']) {
            issues.push(Issue::field_error(
                field,
                "Ingress annotation values must be a single line",
            ));
        }
    }
}

fn secret_rules(s: &SecretSettings, issues: &mut Vec<Issue>) {
    let mut seen = HashSet::new();
    for (i, key) in s.keys.iter().enumerate() {
        if !seen.insert(key) {
            issues.push(Issue::field_error(
                format!("keys[{i}]"),
                format!("the key {key} is listed twice"),
            ));
        }
    }
    let required: &[&str] = match s.secret_type {
        SecretType::Tls => &["tls.crt", "tls.key"],
        SecretType::DockerConfigJson => &[".dockerconfigjson"],
        SecretType::SshAuth => &["ssh-privatekey"],
        SecretType::Opaque | SecretType::BasicAuth => &[],
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !s.keys.iter().any(|have| have == k))
        .collect();
    if !missing.is_empty() && !s.existing {
        issues.push(Issue::field_error(
            "keys",
            format!(
                "a {} Secret needs the keys {}",
                s.secret_type.as_str(),
                missing.join(", ")
            ),
        ));
    }
    if s.keys.is_empty() && !s.existing && s.secret_type == SecretType::Opaque {
        issues.push(Issue::field_warning("keys", "the Secret has no keys"));
    }
}

fn network_policy_rules(np: &NetworkPolicySettings, issues: &mut Vec<Issue>) {
    if np.policy_types.is_empty() {
        issues.push(Issue::field_error(
            "policyTypes",
            "choose Ingress, Egress or both",
        ));
    }
    for (list, rules, policy) in [
        ("ingressRules", &np.ingress_rules, PolicyType::Ingress),
        ("egressRules", &np.egress_rules, PolicyType::Egress),
    ] {
        if !rules.is_empty() && !np.policy_types.contains(&policy) {
            issues.push(Issue::field_warning(
                list,
                format!(
                    "these rules are ignored unless the policy types include {}",
                    policy.as_str()
                ),
            ));
        }
        for (i, rule) in rules.iter().enumerate() {
            for (j, peer) in rule.peers.iter().enumerate() {
                if peer.kind == PeerType::IpBlock && peer.cidr.is_empty() {
                    issues.push(Issue::field_error(
                        format!("{list}[{i}].peers[{j}].cidr"),
                        "an IP block needs a CIDR",
                    ));
                }
            }
            for (j, port) in rule.ports.iter().enumerate() {
                let Some(end) = port.end_port else { continue };
                let start = port.port.parse::<i32>().ok();
                if start.is_none_or(|start| end < start) {
                    issues.push(Issue::field_error(
                        format!("{list}[{i}].ports[{j}].endPort"),
                        "an end port needs a numeric port that is not larger",
                    ));
                }
            }
        }
    }
}
