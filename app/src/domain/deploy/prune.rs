//! Which live objects a deploy deletes: those labelled with the workflow that the design no
//! longer renders (matched by API group, kind, namespace and name — not by version, so an object
//! listed through another version of its API is still the same object).

use crate::model::ObjectRef;

fn group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// True when `a` and `b` name the same object.
pub fn same_object(a: &ObjectRef, b: &ObjectRef) -> bool {
    a.kind == b.kind
        && a.name == b.name
        && a.namespace == b.namespace
        && group(&a.api_version) == group(&b.api_version)
}

/// The live objects (already selected by the workflow's label) that are not among `desired`,
/// sorted for a stable order.
pub fn prune_set<T: Clone>(live: &[(ObjectRef, T)], desired: &[ObjectRef]) -> Vec<(ObjectRef, T)> {
    let mut gone: Vec<(ObjectRef, T)> = live
        .iter()
        .filter(|(object, _)| !desired.iter().any(|d| same_object(d, object)))
        .cloned()
        .collect();
    gone.sort_by(|a, b| a.0.cmp(&b.0));
    gone.dedup_by(|a, b| same_object(&a.0, &b.0));
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(api_version: &str, kind: &str, ns: Option<&str>, name: &str) -> ObjectRef {
        ObjectRef {
            api_version: api_version.into(),
            kind: kind.into(),
            namespace: ns.map(str::to_string),
            name: name.into(),
        }
    }

    #[test]
    fn only_objects_missing_from_the_design_are_pruned() {
        let live = vec![
            (obj("apps/v1", "Deployment", Some("shop"), "web"), "n1"),
            (obj("v1", "ConfigMap", Some("shop"), "old"), "n2"),
            (
                obj(
                    "autoscaling/v1",
                    "HorizontalPodAutoscaler",
                    Some("shop"),
                    "web",
                ),
                "n3",
            ),
            (obj("v1", "ConfigMap", Some("other"), "web"), "n4"),
        ];
        let desired = vec![
            obj("apps/v1", "Deployment", Some("shop"), "web"),
            obj(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                Some("shop"),
                "web",
            ),
            obj("v1", "ConfigMap", Some("shop"), "web"),
        ];
        let gone = prune_set(&live, &desired);
        let names: Vec<_> = gone.iter().map(|(o, n)| (o.to_string(), *n)).collect();
        assert_eq!(
            names,
            vec![
                ("ConfigMap other/web".to_string(), "n4"),
                ("ConfigMap shop/old".to_string(), "n2"),
            ]
        );
        assert!(prune_set(&live, &live.iter().map(|l| l.0.clone()).collect::<Vec<_>>()).is_empty());
    }
}
