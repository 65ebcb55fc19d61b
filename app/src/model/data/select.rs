//! Closed choices of `select` parameters, as Rust enums serialised to their Kubernetes spelling.

/// Declares a `select` enum: variants with their serialised value; the first is the default.
macro_rules! select_enum {
    ($(#[$meta:meta])* $name:ident { $first:ident = $first_value:literal $(, $variant:ident = $value:literal)* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            #[doc = concat!("`", $first_value, "`")]
            #[default]
            #[serde(rename = $first_value)]
            $first,
            $(
                #[doc = concat!("`", $value, "`")]
                #[serde(rename = $value)]
                $variant,
            )*
        }

        impl $name {
            /// The serialised value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $name::$first => $first_value,
                    $($name::$variant => $value,)*
                }
            }
        }
    };
}

select_enum!(
    /// Network protocol of a port.
    Protocol { Tcp = "TCP", Udp = "UDP", Sctp = "SCTP" }
);
select_enum!(
    /// When the kubelet pulls the image (`Default` = Kubernetes decides).
    PullPolicy { Default = "", IfNotPresent = "IfNotPresent", Always = "Always", Never = "Never" }
);
select_enum!(
    /// What a probe checks.
    ProbeType { None = "none", Http = "http", Tcp = "tcp", Exec = "exec" }
);
select_enum!(
    /// HTTP probe scheme.
    Scheme { Http = "HTTP", Https = "HTTPS" }
);
select_enum!(
    /// Toleration operator.
    TolerationOperator { Equal = "Equal", Exists = "Exists" }
);
select_enum!(
    /// Taint effect a toleration matches (`All` = every effect).
    TaintEffect { All = "", NoSchedule = "NoSchedule", PreferNoSchedule = "PreferNoSchedule", NoExecute = "NoExecute" }
);
select_enum!(
    /// Deployment update strategy.
    DeploymentStrategy { RollingUpdate = "RollingUpdate", Recreate = "Recreate" }
);
select_enum!(
    /// StatefulSet/DaemonSet update strategy.
    UpdateStrategy { RollingUpdate = "RollingUpdate", OnDelete = "OnDelete" }
);
select_enum!(
    /// StatefulSet pod management policy.
    PodManagement { OrderedReady = "OrderedReady", Parallel = "Parallel" }
);
select_enum!(
    /// Pod restart policy of Jobs.
    JobRestartPolicy { Never = "Never", OnFailure = "OnFailure" }
);
select_enum!(
    /// CronJob concurrency policy.
    ConcurrencyPolicy { Allow = "Allow", Forbid = "Forbid", Replace = "Replace" }
);
select_enum!(
    /// Service type.
    ServiceType { ClusterIp = "ClusterIP", NodePort = "NodePort", LoadBalancer = "LoadBalancer" }
);
select_enum!(
    /// Service session affinity.
    SessionAffinity { None = "None", ClientIp = "ClientIP" }
);
select_enum!(
    /// Service external traffic policy (`Default` = Kubernetes decides).
    TrafficPolicy { Default = "", Cluster = "Cluster", Local = "Local" }
);
select_enum!(
    /// Ingress path match type.
    PathType { Prefix = "Prefix", Exact = "Exact", ImplementationSpecific = "ImplementationSpecific" }
);
select_enum!(
    /// Secret type.
    SecretType {
        Opaque = "Opaque",
        Tls = "kubernetes.io/tls",
        DockerConfigJson = "kubernetes.io/dockerconfigjson",
        BasicAuth = "kubernetes.io/basic-auth",
        SshAuth = "kubernetes.io/ssh-auth",
    }
);
select_enum!(
    /// Volume access mode.
    AccessMode {
        ReadWriteOnce = "ReadWriteOnce",
        ReadOnlyMany = "ReadOnlyMany",
        ReadWriteMany = "ReadWriteMany",
        ReadWriteOncePod = "ReadWriteOncePod",
    }
);
select_enum!(
    /// PVC volume mode.
    VolumeMode { Filesystem = "Filesystem", Block = "Block" }
);
select_enum!(
    /// NetworkPolicy policy type.
    PolicyType { Ingress = "Ingress", Egress = "Egress" }
);
select_enum!(
    /// What a NetworkPolicy peer selects.
    PeerType { Pods = "pods", Namespaces = "namespaces", PodsInNamespaces = "podsInNamespaces", IpBlock = "ipBlock" }
);
