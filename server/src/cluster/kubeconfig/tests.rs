use super::*;

const CA: &str = "-----BEGIN CERTIFICATE-----\nTUlJQzVqQ0NBYzZnQXdJQkFnSUJBREFOQmdrcWhraUc5dzBC\n-----END CERTIFICATE-----\n";

fn kubeconfig(user: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Config
current-context: main
clusters:
- name: c1
  cluster:
    server: https://203.0.113.10:6443
    certificate-authority-data: {ca}
- name: c2
  cluster:
    server: https://203.0.113.11:6443
contexts:
- name: main
  context: {{cluster: c1, user: u1, namespace: shop}}
- name: other
  context: {{cluster: c2, user: u2}}
users:
- name: u1
  user:
{user}
- name: u2
  user:
    token: other-secret
"#,
        ca = BASE64.encode(CA)
    )
}

#[test]
fn inline_token_context_is_selected_and_reduced() {
    let config = parse(&kubeconfig("    token: abc.def")).unwrap();
    let selected = select(&config, None).unwrap();
    assert_eq!(selected.context, "main");
    assert_eq!(selected.server, "https://203.0.113.10:6443");
    assert_eq!(selected.kubeconfig.clusters.len(), 1);
    assert_eq!(
        selected.kubeconfig.auth_infos.len(),
        1,
        "other users dropped"
    );
    let text = serde_json::to_string(&selected.kubeconfig).unwrap();
    assert!(text.contains("abc.def") && !text.contains("other-secret"));
    let other = select(&config, Some("other")).unwrap();
    assert_eq!(other.server, "https://203.0.113.11:6443");
}

#[test]
fn plugins_and_file_references_are_refused_with_the_field_named() {
    let cases = [
        ("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n      args: ['-c', 'touch /tmp/pwned']", "exec"),
        ("    auth-provider:\n      name: gcp\n      config: {}", "auth-provider"),
        ("    tokenFile: /var/run/secrets/token", "tokenFile"),
        ("    client-certificate: /etc/cert.pem\n    client-key-data: a2V5", "client-certificate"),
        ("    client-key: /etc/key.pem\n    client-certificate-data: Y2VydA==", "client-key"),
    ];
    for (user, field) in cases {
        let config = parse(&kubeconfig(user)).unwrap();
        let err = select(&config, Some("main")).unwrap_err();
        assert!(
            matches!(&err, CredentialError::Refused { .. }) && err.to_string().contains(field),
            "{field}: {err}"
        );
        // The other context of the same file stays usable.
        assert!(select(&config, Some("other")).is_ok());
        let listed = contexts(&config);
        assert!(listed[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains(field)));
        assert!(listed[1].problem.is_none() && listed[0].current);
    }
    let ca_file = kubeconfig("    token: t").replace(
        "certificate-authority-data:",
        "certificate-authority: /etc/ca.pem\n    x-unused:",
    );
    let err = select(&parse(&ca_file).unwrap(), None).unwrap_err();
    assert!(err.to_string().contains("certificate-authority"), "{err}");
}

#[test]
fn context_problems_have_clear_messages() {
    let config = parse(&kubeconfig("    token: t")).unwrap();
    let err = select(&config, Some("nope")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The kubeconfig has no context named \"nope\" (it has: main, other)."
    );
    let no_current =
        parse(&kubeconfig("    token: t").replace("current-context: main", "")).unwrap();
    assert!(matches!(
        select(&no_current, None),
        Err(CredentialError::NoCurrentContext(_))
    ));
    let dangling = parse(&kubeconfig("    token: t").replace("user: u1", "user: ghost")).unwrap();
    assert!(select(&dangling, None)
        .unwrap_err()
        .to_string()
        .contains("ghost"));
    assert_eq!(
        parse("::: not yaml [").unwrap_err(),
        CredentialError::NotKubeconfig
    );
    assert_eq!(
        parse(&"a".repeat(MAX_KUBECONFIG_BYTES + 1)).unwrap_err(),
        CredentialError::TooLarge
    );
}

#[test]
fn token_registration_checks_url_token_and_ca() {
    let ok = from_token("https://203.0.113.10:6443", " tok ", Some(CA), false).unwrap();
    assert_eq!(ok.server, "https://203.0.113.10:6443");
    assert!(
        from_token("http://127.0.0.1:8001", "tok", None, false).is_ok(),
        "loopback"
    );
    for (server, token, ca) in [
        ("http://203.0.113.10:6443", "tok", None),
        ("ftp://x", "tok", None),
        ("not a url", "tok", None),
        ("", "tok", None),
        ("https://x", "", None),
        ("https://x", "to\nk", None),
        ("https://x", "tok", Some("garbage")),
        (
            "https://x",
            "tok",
            Some("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----"),
        ),
    ] {
        assert!(
            from_token(server, token, ca, false).is_err(),
            "{server:?} {token:?} {ca:?}"
        );
    }
}
