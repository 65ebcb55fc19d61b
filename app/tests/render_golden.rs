//! Golden tests: every fixture in `tests/fixtures` renders without errors to exactly the reviewed
//! snapshot in `tests/snapshots` (`UPDATE_SNAPSHOTS=1` rewrites them; review the diff). The
//! snapshots are also what `scripts/test.sh` runs the external validator over.
#![cfg(feature = "render")]

mod common;

use app::domain::render::{to_multi_document, Renderer};
use app::model::NodeKind;
use common::{dir, fixtures, Fixture};

fn snapshot(fixture: &Fixture, renderer: &Renderer) -> String {
    let (report, renders) = fixture.render(renderer);
    assert!(!report.has_errors(), "unexpected errors: {report:#?}");
    let mut out = String::new();
    for render in &renders {
        assert!(
            render.object.is_some() || render.skipped.is_some(),
            "{render:#?}"
        );
        for issue in &render.issues {
            out.push_str(&format!(
                "# {}: {:?}: {}\n",
                render.node_id, issue.severity, issue.message
            ));
        }
        if let Some(reason) = &render.skipped {
            out.push_str(&format!("# {}: skipped: {reason}\n", render.node_id));
        }
        if let Some(object) = &render.object {
            let back: serde_json::Value =
                yaml_serde::from_str(&object.to_yaml()).expect("emitted YAML parses");
            assert_eq!(
                back, object.object,
                "emitted YAML of {} does not round-trip",
                render.node_id
            );
        }
    }
    out.push_str(&to_multi_document(&renders));
    out
}

#[test]
fn fixtures_render_to_their_snapshots() {
    let renderer = Renderer::embedded().expect("embedded templates compile");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for path in fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let rendered = snapshot(&Fixture::load(&path), &renderer);
        let snap_path = dir("snapshots").join(format!("{name}.yaml"));
        if update {
            std::fs::write(&snap_path, &rendered).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&snap_path).unwrap_or_default();
        if expected != rendered {
            let line = expected
                .lines()
                .zip(rendered.lines())
                .position(|(a, b)| a != b);
            failures.push(format!(
                "{name}: differs from the snapshot (first at line {:?})",
                line.map(|l| l + 1)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{failures:#?}\nrun with UPDATE_SNAPSHOTS=1 and review the diff"
    );
}

#[test]
fn every_kind_has_a_minimal_and_a_full_fixture() {
    for kind in NodeKind::ALL {
        for variant in ["minimal", "full"] {
            let path = dir("fixtures").join(format!("{kind}-{variant}.yaml"));
            assert!(path.exists(), "missing {}", path.display());
        }
    }
}
