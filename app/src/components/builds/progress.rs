//! The stage bar of a build: cloning, building, pushing — done, running, failed or waiting —
//! with how long each took.

use crate::components::derived::Derived;
use crate::components::dynamic::dynamic;
use leptos::prelude::*;

use crate::domain::number::decimal;
use crate::model::build::{Build, BuildState};

fn seconds(ms: i64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{} s", decimal(ms as f64 / 1000.0, 1))
    }
}

/// The class and timing text of one stage of `build`.
fn stage_view(build: &Build, stage: BuildState) -> (&'static str, String) {
    let timing = build.stages.iter().find(|t| t.stage == stage);
    match timing {
        None if build.state == BuildState::Completed => ("stage stage-done", String::new()),
        None => ("stage stage-waiting", String::new()),
        Some(t) => {
            let took = match t.finished_at {
                Some(end) => seconds((end - t.started_at).num_milliseconds()),
                None => "running…".to_string(),
            };
            let failed = build.error_stage == Some(stage);
            let class = if failed && build.state == BuildState::Cancelled {
                "stage stage-cancelled"
            } else if failed {
                "stage stage-failed"
            } else if t.finished_at.is_some() {
                "stage stage-done"
            } else {
                "stage stage-running"
            };
            (class, took)
        }
    }
}

/// The bar.
#[component]
pub fn StageBar(#[prop(into)] record: Derived<Build>) -> impl IntoView {
    let build = record;
    view! {
        <ol class="stage-bar" id="stage-bar" aria-label="Build stages">
            {BuildState::STAGES
                .into_iter()
                .map(|stage| {
                    let name = stage.as_str();
                    view! {
                        <li class=dynamic(move || build.with(|b| stage_view(b, stage).0)) data-stage=name>
                            <span class="stage-name">{name}</span>
                            <span class="stage-time muted small">{dynamic(move || build.with(|b| stage_view(b, stage).1))}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
