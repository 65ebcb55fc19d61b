//! One service → its workload node (controller chosen from `kompose.controller.type`,
//! `deploy.mode`, `restart`, the image and its volumes) with the container settings, then the
//! objects around it.

use std::collections::BTreeMap;

use compose_spec::service::deploy::{Mode, RestartCondition};
use compose_spec::service::healthcheck::{Healthcheck, Test};
use compose_spec::service::volumes::{into_long_iter, mount::Mount};
use compose_spec::service::{ByteValue, Command, Cpus, IdOrName, PullPolicy, Restart};
use compose_spec::Service;
use serde_json::{json, Map, Value};

use super::{env, kompose, ports, storage, units, Context};
use crate::model::NodeKind;

/// Image names of databases, queues and other stateful software (StatefulSet + headless
/// Service).
const STATEFUL_IMAGES: &[&str] = &[
    "postgres",
    "postgresql",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "keydb",
    "memcached",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "couchdb",
    "couchbase",
    "neo4j",
    "influxdb",
    "timescaledb",
    "cockroach",
    "clickhouse",
    "kafka",
    "zookeeper",
    "rabbitmq",
    "nats",
    "etcd",
    "consul",
    "minio",
];

/// Converts one service and the objects around it.
pub fn convert(ctx: &mut Context, name: &str, service: &Service) {
    let base = ctx.names[name].clone();
    if base != name {
        ctx.draft.warn(
            Some(name),
            None,
            format!("named {base} in Kubernetes (names are lower-case letters, digits and '-'): other services must use {base} to reach it"),
        );
    }
    let (kompose, annotations) = kompose::split(ctx, name, service);
    let image = image(ctx, name, service);
    let kind = controller(ctx, name, service, &image, &kompose);
    let ports = ports::collect(ctx, name, service, &image);
    let mut data = container(ctx, name, service, &image, &kompose);
    data.insert(
        "ports".into(),
        Value::Array(ports.iter().map(|p| p.container()).collect()),
    );
    data.insert("annotations".into(), json!(annotations));
    controller_settings(ctx, name, service, kind, &mut data);
    let id = ctx.draft.add(kind, &base, Value::Object(data));
    ctx.workloads.insert(name.to_string(), id.clone());
    ports::services(ctx, name, &id, kind, &ports, &kompose);
    env::environment(ctx, name, service, &id);
    storage::volumes(ctx, name, service, &id, &kompose);
    storage::secrets_and_configs(ctx, name, service, &id);
}

fn image(ctx: &mut Context, name: &str, service: &Service) -> String {
    match (&service.image, &service.build) {
        (Some(image), _) => image.to_string(),
        (None, build) => {
            let image = format!("{}:latest", ctx.names[name]);
            let why = if build.is_some() {
                "the service is built from source (`build`): build and push the image, then set it"
            } else {
                "the service has neither `image` nor `build`: set the image"
            };
            ctx.draft.warn(
                Some(name),
                Some("image"),
                format!("{why} (placeholder {image})"),
            );
            image
        }
    }
}

fn restart_condition(service: &Service) -> Option<&'static str> {
    let from_deploy = service
        .deploy
        .as_ref()
        .and_then(|d| d.restart_policy.as_ref())
        .and_then(|r| r.condition);
    match (from_deploy, service.restart) {
        (Some(RestartCondition::None), _) | (None, Some(Restart::No)) => Some("Never"),
        (Some(RestartCondition::OnFailure), _) | (None, Some(Restart::OnFailure)) => {
            Some("OnFailure")
        }
        _ => None,
    }
}

fn controller(
    ctx: &mut Context,
    name: &str,
    service: &Service,
    image: &str,
    kompose: &BTreeMap<String, String>,
) -> NodeKind {
    if let Some(wanted) = kompose.get("kompose.controller.type") {
        match wanted.to_ascii_lowercase().as_str() {
            "deployment" => return NodeKind::Deployment,
            "statefulset" => return NodeKind::StatefulSet,
            "daemonset" => return NodeKind::DaemonSet,
            "job" => return NodeKind::Job,
            other => ctx.draft.warn(
                Some(name),
                Some("labels.kompose.controller.type"),
                format!("unknown controller type {other}: chosen from the service instead"),
            ),
        }
    }
    if service.deploy.as_ref().and_then(|d| d.mode) == Some(Mode::Global) {
        return NodeKind::DaemonSet;
    }
    if let Some(policy) = restart_condition(service) {
        ctx.draft.warn(
            Some(name),
            Some("restart"),
            format!(
                "restart {}: the service runs once, as a Job (restart policy {policy})",
                if policy == "Never" {
                    "no"
                } else {
                    "on-failure"
                }
            ),
        );
        return NodeKind::Job;
    }
    let repo = image.rsplit('/').next().unwrap_or(image);
    let repo = repo.split([':', '@']).next().unwrap_or(repo);
    let stateful_image = STATEFUL_IMAGES
        .iter()
        .any(|s| repo == *s || repo.starts_with(&format!("{s}-")));
    let named_volume = into_long_iter(service.volumes.clone())
        .any(|m| matches!(m, Mount::Volume(v) if v.source.is_some()));
    if stateful_image || named_volume {
        NodeKind::StatefulSet
    } else {
        NodeKind::Deployment
    }
}

fn command(value: &Option<Command>, ctx: &mut Context, name: &str, key: &str) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(Command::List(items)) => items.clone(),
        Some(Command::String(text)) => units::shell_words(text).unwrap_or_else(|| {
            ctx.draft
                .warn(Some(name), Some(key), "unclosed quote: run through sh -c");
            vec!["sh".into(), "-c".into(), text.clone()]
        }),
    }
}

fn container(
    ctx: &mut Context,
    name: &str,
    service: &Service,
    image: &str,
    kompose: &BTreeMap<String, String>,
) -> Map<String, Value> {
    let mut data = Map::new();
    data.insert("image".into(), json!(image));
    data.insert(
        "command".into(),
        json!(command(&service.entrypoint, ctx, name, "entrypoint")),
    );
    data.insert(
        "args".into(),
        json!(command(&service.command, ctx, name, "command")),
    );
    data.insert("env".into(), json!([]));
    let policy = match (
        service.pull_policy,
        kompose.get("kompose.image-pull-policy").map(String::as_str),
    ) {
        (_, Some(p @ ("Always" | "IfNotPresent" | "Never"))) => p,
        (Some(PullPolicy::Always), _) => "Always",
        (Some(PullPolicy::Never), _) => "Never",
        (Some(PullPolicy::Missing), _) => "IfNotPresent",
        _ => "",
    };
    data.insert("imagePullPolicy".into(), json!(policy));
    data.insert("resources".into(), resources(service));
    let (readiness, liveness) = probes(ctx, name, service);
    data.insert("readinessProbe".into(), readiness);
    data.insert("livenessProbe".into(), liveness);
    data.insert("securityContext".into(), security(ctx, name, service));
    if let Some(account) = kompose.get("kompose.serviceaccount-name") {
        data.insert("serviceAccountName".into(), json!(account));
    }
    if let Some(secret) = kompose.get("kompose.image-pull-secret") {
        data.insert("imagePullSecrets".into(), json!([secret]));
    }
    data
}

fn resources(service: &Service) -> Value {
    let deploy = service.deploy.as_ref().and_then(|d| d.resources.as_ref());
    let limits = deploy.and_then(|r| r.limits.as_ref());
    let requests = deploy.and_then(|r| r.reservations.as_ref());
    let cpu = |c: Option<Cpus>| {
        c.and_then(|c| units::cpus(c.into_inner()))
            .unwrap_or_default()
    };
    let mem = |m: Option<ByteValue>| m.map(units::bytes).unwrap_or_default();
    json!({
        "cpuLimit": cpu(limits.and_then(|l| l.cpus).or(service.cpus)),
        "memoryLimit": mem(limits.and_then(|l| l.memory).or(service.mem_limit)),
        "cpuRequest": cpu(requests.and_then(|r| r.cpus)),
        "memoryRequest": mem(requests.and_then(|r| r.memory).or(service.mem_reservation)),
    })
}

fn probes(ctx: &mut Context, name: &str, service: &Service) -> (Value, Value) {
    let none = json!({ "type": "none" });
    let Some(Healthcheck::Command(check)) = &service.healthcheck else {
        return (none.clone(), none);
    };
    let command: Vec<String> = match &check.test {
        None => return (none.clone(), none),
        Some(Test::ShellCommand(text)) => vec!["sh".into(), "-c".into(), text.clone()],
        Some(Test::Command(items)) => items.clone(),
    };
    if check.start_interval.is_some() {
        ctx.draft.warn(
            Some(name),
            Some("healthcheck.start_interval"),
            "`start_interval` was dropped (probes have one period)",
        );
    }
    let probe = json!({
        "type": "exec",
        "command": command,
        "initialDelaySeconds": check.start_period.map_or(0, |d| units::seconds(d, 0)),
        "periodSeconds": check.interval.map_or(30, |d| units::seconds(d, 1)),
        "timeoutSeconds": check.timeout.map_or(30, |d| units::seconds(d, 1)),
        "failureThreshold": check.retries.map_or(3, |r| r.clamp(1, 1000)),
    });
    (probe.clone(), probe)
}

fn security(ctx: &mut Context, name: &str, service: &Service) -> Value {
    let (mut user, mut group) = (Value::Null, Value::Null);
    if let Some(u) = &service.user {
        match (&u.user, &u.group) {
            (IdOrName::Id(uid), g) => {
                user = json!(uid);
                if let Some(IdOrName::Id(gid)) = g {
                    group = json!(gid);
                }
            }
            (IdOrName::Name(n), _) => ctx.draft.warn(
                Some(name),
                Some("user"),
                format!("user {n} is a name: Kubernetes needs a numeric id, so the image's user is kept"),
            ),
        }
    }
    json!({
        "runAsUser": user,
        "runAsGroup": group,
        "privileged": service.privileged,
        "readOnlyRootFilesystem": service.read_only,
        "capabilitiesAdd": service.cap_add.iter().collect::<Vec<_>>(),
        "capabilitiesDrop": service.cap_drop.iter().collect::<Vec<_>>(),
    })
}

fn controller_settings(
    ctx: &mut Context,
    name: &str,
    service: &Service,
    kind: NodeKind,
    data: &mut Map<String, Value>,
) {
    let replicas = service
        .deploy
        .as_ref()
        .and_then(|d| d.replicas)
        .or(service.scale)
        .unwrap_or(1);
    let replicas = if replicas > 1000 {
        ctx.draft.warn(
            Some(name),
            Some("deploy.replicas"),
            format!("{replicas} replicas: capped at 1000"),
        );
        1000
    } else {
        replicas
    };
    match kind {
        NodeKind::Deployment => {
            data.insert("replicas".into(), json!(replicas));
        }
        NodeKind::StatefulSet => {
            data.insert("replicas".into(), json!(replicas));
            data.insert("serviceName".into(), json!(""));
            data.insert("volumeClaimTemplates".into(), json!([]));
        }
        NodeKind::Job => {
            let policy = restart_condition(service).unwrap_or("OnFailure");
            data.insert("restartPolicy".into(), json!(policy));
            let attempts = service
                .deploy
                .as_ref()
                .and_then(|d| d.restart_policy.as_ref())
                .and_then(|r| r.max_attempts);
            data.insert(
                "backoffLimit".into(),
                json!(attempts.unwrap_or(6).min(1000)),
            );
        }
        _ => {}
    }
    if kind != NodeKind::Deployment && kind != NodeKind::StatefulSet && replicas != 1 {
        ctx.draft.warn(
            Some(name),
            Some("deploy.replicas"),
            format!("replicas do not apply to a {kind}: dropped"),
        );
    }
}
