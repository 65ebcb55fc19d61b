//! Ports: every `ports` and `expose` entry becomes a container port; a Service carries all of
//! them (on the container port, so `<service>:<port>` keeps working inside the cluster as it did
//! between Compose containers); published ports make it a NodePort; `kompose.service.expose`
//! adds an Ingress.

use std::collections::BTreeMap;

use compose_spec::service::ports::{into_long_iter, Protocol};
use compose_spec::Service;
use serde_json::{json, Value};

use super::super::error::MAX_PORTS;
use super::super::names::with_suffix;
use super::Context;
use crate::domain::formats;
use crate::model::metadata::Format;
use crate::model::NodeKind;

/// One container port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortSpec {
    /// Container port.
    pub target: u16,
    /// Host port, when published.
    pub published: Option<u16>,
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: &'static str,
}

impl PortSpec {
    /// A valid port name, unique per port and protocol (`p80-tcp`).
    pub fn name(&self) -> String {
        format!("p{}-{}", self.target, self.protocol.to_ascii_lowercase())
    }

    /// As a container port in node data.
    pub fn container(&self) -> Value {
        json!({ "name": self.name(), "containerPort": self.target, "protocol": self.protocol })
    }
}

/// Well-known images and the port they listen on, for services that declare none (in Compose
/// other containers reach them anyway; in Kubernetes they need a Service).
const IMAGE_PORTS: &[(&str, u16)] = &[
    ("postgres", 5432),
    ("postgresql", 5432),
    ("postgis", 5432),
    ("timescaledb", 5432),
    ("mysql", 3306),
    ("mariadb", 3306),
    ("redis", 6379),
    ("valkey", 6379),
    ("keydb", 6379),
    ("mongo", 27017),
    ("mongodb", 27017),
    ("memcached", 11211),
    ("rabbitmq", 5672),
    ("elasticsearch", 9200),
    ("opensearch", 9200),
    ("kafka", 9092),
    ("zookeeper", 2181),
    ("nats", 4222),
    ("minio", 9000),
    ("etcd", 2379),
    ("consul", 8500),
    ("cassandra", 9042),
    ("clickhouse", 8123),
    ("influxdb", 8086),
    ("couchdb", 5984),
    ("neo4j", 7687),
    ("nginx", 80),
    ("httpd", 80),
    ("caddy", 80),
    ("traefik", 80),
];

fn protocol(p: Option<&Protocol>) -> Option<&'static str> {
    match p.map(Protocol::as_str) {
        None | Some("tcp") => Some("TCP"),
        Some("udp") => Some("UDP"),
        Some("sctp") => Some("SCTP"),
        Some(_) => None,
    }
}

/// The service's container ports (ports, then expose; no duplicates), or a well-known image's
/// port when it declares none.
pub fn collect(ctx: &mut Context, name: &str, service: &Service, image: &str) -> Vec<PortSpec> {
    let mut ports: BTreeMap<(u16, &'static str), Option<u16>> = BTreeMap::new();
    let mut order = Vec::new();
    let mut add = |spec: PortSpec, ports: &mut BTreeMap<_, Option<u16>>| {
        let entry = ports
            .entry((spec.target, spec.protocol))
            .or_insert_with(|| {
                order.push((spec.target, spec.protocol));
                None
            });
        if entry.is_none() {
            *entry = spec.published;
        }
    };
    for (i, port) in into_long_iter(service.ports.clone()).enumerate() {
        let key = format!("ports[{i}]");
        let Some(proto) = protocol(port.protocol.as_ref()) else {
            ctx.draft.warn(
                Some(name),
                Some(&key),
                "unknown protocol: the port was dropped",
            );
            continue;
        };
        if let Some(ip) = port.host_ip {
            ctx.draft.warn(
                Some(name),
                Some(&key),
                format!("bound to host address {ip} in Compose: Kubernetes Services listen on every node address"),
            );
        }
        let published = port.published.map(|range| {
            if range.end().is_some() {
                ctx.draft.warn(
                    Some(name),
                    Some(&key),
                    format!(
                        "published port range {range}: only {} is used",
                        range.start()
                    ),
                );
            }
            range.start()
        });
        let spec = PortSpec {
            target: port.target,
            published,
            protocol: proto,
        };
        add(spec, &mut ports);
    }
    for (i, expose) in service.expose.iter().enumerate() {
        let Some(proto) = protocol(expose.protocol.as_ref()) else {
            ctx.draft.warn(
                Some(name),
                Some(&format!("expose[{i}]")),
                "unknown protocol: dropped",
            );
            continue;
        };
        let end = expose.range.end().unwrap_or(expose.range.start());
        for target in expose.range.start()..=end {
            add(
                PortSpec {
                    target,
                    published: None,
                    protocol: proto,
                },
                &mut ports,
            );
        }
    }
    if order.len() > MAX_PORTS {
        ctx.draft.warn(
            Some(name),
            Some("ports"),
            format!(
                "{} ports: only the first {MAX_PORTS} were imported",
                order.len()
            ),
        );
        order.truncate(MAX_PORTS);
    }
    let mut out: Vec<PortSpec> = order
        .into_iter()
        .map(|(target, protocol)| PortSpec {
            target,
            published: ports.get(&(target, protocol)).copied().flatten(),
            protocol,
        })
        .collect();
    if out.is_empty() {
        if let Some(port) = image_port(image) {
            ctx.draft.warn(
                Some(name),
                Some("ports"),
                format!("no ports declared: port {port} of the image was assumed so that other services can reach it by name"),
            );
            out.push(PortSpec {
                target: port,
                published: None,
                protocol: "TCP",
            });
        }
    }
    out
}

/// The port a well-known image listens on.
pub fn image_port(image: &str) -> Option<u16> {
    let repo = image.rsplit('/').next().unwrap_or(image);
    let repo = repo.split([':', '@']).next().unwrap_or(repo);
    IMAGE_PORTS
        .iter()
        .find(|(name, _)| repo == *name)
        .map(|(_, port)| *port)
}

/// Creates the Service (and Ingress) of a workload. Returns the Service node id.
pub fn services(
    ctx: &mut Context,
    name: &str,
    workload: &str,
    kind: NodeKind,
    ports: &[PortSpec],
    kompose: &BTreeMap<String, String>,
) -> Option<String> {
    if ports.is_empty() {
        if kompose.contains_key("kompose.service.expose") {
            ctx.draft.warn(
                Some(name),
                Some("labels.kompose.service.expose"),
                "the service has no ports, so nothing can be exposed",
            );
        }
        return None;
    }
    if kind == NodeKind::Job || kind == NodeKind::CronJob {
        ctx.draft.warn(
            Some(name),
            Some("ports"),
            "the service runs to completion (a Job), so its ports get no Service",
        );
        return None;
    }
    let base = ctx.draft.name_of(workload);
    let requested = kompose
        .get("kompose.service.type")
        .map(|t| t.to_ascii_lowercase());
    let published = ports.iter().any(|p| p.published.is_some());
    let service_type = match requested.as_deref() {
        Some("nodeport") => "NodePort",
        Some("loadbalancer") => "LoadBalancer",
        Some("clusterip") | Some("headless") => "ClusterIP",
        Some(other) => {
            ctx.draft.warn(
                Some(name),
                Some("labels.kompose.service.type"),
                format!(
                    "unknown service type {other}: ClusterIP (or NodePort when published) is used"
                ),
            );
            if published {
                "NodePort"
            } else {
                "ClusterIP"
            }
        }
        None if published => "NodePort",
        None => "ClusterIP",
    };
    let headless = requested.as_deref() == Some("headless")
        || (kind == NodeKind::StatefulSet && service_type == "ClusterIP");
    let node_port = kompose
        .get("kompose.service.nodeport.port")
        .and_then(|p| p.parse::<u16>().ok());
    let service_ports: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let fixed = if i == 0 {
                node_port.or(p.published)
            } else {
                p.published
            };
            service_port(ctx, name, p, service_type, fixed)
        })
        .collect();
    let data = json!({
        "type": service_type,
        "headless": headless,
        "ports": service_ports,
    });
    let service = ctx.draft.add(NodeKind::Service, &base, data);
    ctx.draft.link(&service, workload);
    if kind == NodeKind::StatefulSet && !headless {
        let data =
            json!({ "type": "ClusterIP", "headless": true, "ports": service_ports_plain(ports) });
        let governing = ctx
            .draft
            .add(NodeKind::Service, &with_suffix(&base, "-headless"), data);
        ctx.draft.link(&governing, workload);
    }
    ingress(ctx, name, &service, ports[0], kompose);
    Some(service)
}

fn service_ports_plain(ports: &[PortSpec]) -> Vec<Value> {
    ports
        .iter()
        .map(|p| json!({ "name": p.name(), "port": p.target, "targetPort": p.target.to_string(), "protocol": p.protocol, "nodePort": null }))
        .collect()
}

fn service_port(
    ctx: &mut Context,
    name: &str,
    port: &PortSpec,
    service_type: &str,
    fixed: Option<u16>,
) -> Value {
    let node_port = match fixed {
        Some(p) if service_type != "ClusterIP" && (30000..=32767).contains(&p) => Some(p),
        Some(p) if service_type != "ClusterIP" => {
            ctx.draft.warn(
                Some(name),
                Some("ports"),
                format!("published on host port {p}: Kubernetes assigns a node port (30000–32767) instead; inside the cluster the Service listens on {}", port.target),
            );
            None
        }
        _ => None,
    };
    json!({
        "name": port.name(),
        "port": port.target,
        "targetPort": port.target.to_string(),
        "protocol": port.protocol,
        "nodePort": node_port,
    })
}

/// `kompose.service.expose`: `true`, or comma-separated `host[/path]` entries.
fn ingress(
    ctx: &mut Context,
    name: &str,
    service: &str,
    port: PortSpec,
    kompose: &BTreeMap<String, String>,
) {
    let Some(expose) = kompose.get("kompose.service.expose") else {
        return;
    };
    let service_name = ctx.draft.name_of(service);
    let mut paths = Vec::new();
    for entry in expose.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if entry.eq_ignore_ascii_case("true") {
            paths.push(json!({ "path": "/", "pathType": "Prefix", "host": "", "service": service_name, "port": port.target.to_string() }));
            continue;
        }
        let (host, path) = match entry.find('/') {
            Some(at) => (&entry[..at], &entry[at..]),
            None => (entry, "/"),
        };
        if formats::check(Format::Hostname, host).is_err()
            || formats::check(Format::HttpPath, path).is_err()
        {
            ctx.draft.warn(
                Some(name),
                Some("labels.kompose.service.expose"),
                format!("`{entry}` is not host[/path]: it was skipped"),
            );
            continue;
        }
        paths.push(json!({ "path": path, "pathType": "Prefix", "host": host, "service": service_name, "port": port.target.to_string() }));
    }
    if paths.is_empty() {
        return;
    }
    let tls_secret = kompose
        .get("kompose.service.expose.tls-secret")
        .cloned()
        .unwrap_or_default();
    let data = json!({
        "ingressClassName": kompose.get("kompose.service.expose.ingress-class-name").cloned().unwrap_or_default(),
        "paths": paths,
        "tls": !tls_secret.is_empty(),
        "tlsSecretName": tls_secret,
    });
    let ingress = ctx.draft.add(NodeKind::Ingress, &service_name, data);
    ctx.draft.link(&ingress, service);
}

#[cfg(test)]
mod tests {
    use super::image_port;

    #[test]
    fn well_known_images() {
        assert_eq!(image_port("postgres:16-alpine"), Some(5432));
        assert_eq!(image_port("docker.io/library/redis"), Some(6379));
        assert_eq!(image_port("mongo-express"), None);
        assert_eq!(image_port("bitnami/postgresql:16"), Some(5432));
        assert_eq!(image_port("ghcr.io/acme/api:1"), None);
    }
}
