//! One settings field, generated from its parameter: the right input for the type, its label,
//! help and problems. Objects and lists of records nest fields recursively.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::collections::{ListEditor, MapEditor, RecordsEditor};
use super::value::{current, join, number_from, to_text, visible};
use crate::domain::Issue;
use crate::model::metadata::{ParamType, Parameter};

/// The DOM id of the input for the setting at `path` (`ports[0].name` → `field-ports-0-name`).
pub fn dom_id(path: &str) -> String {
    let mut id = String::from("field-");
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// Issues that belong exactly to `path`.
fn issues_at(issues: Derived<Vec<Issue>>, path: String) -> impl Fn() -> Vec<String> {
    move || {
        issues.with(|all| {
            all.iter()
                .filter(|i| i.field.as_deref() == Some(path.as_str()))
                .map(|i| i.message.clone())
                .collect()
        })
    }
}

/// The editor for `param` at `path`, showing `value` and reporting edits through `on_change`.
pub fn field(
    param: &'static Parameter,
    value: Derived<Value>,
    on_change: Handler<Value>,
    path: String,
    issues: Derived<Vec<Issue>>,
) -> AnyView {
    let id = dom_id(&path);
    let problems = issues_at(issues, path.clone());
    let has_problem = {
        let problems = issues_at(issues, path.clone());
        move || !problems().is_empty()
    };
    let input = input(param, value, on_change, &id, path, issues);
    let help =
        (!param.help.is_empty()).then(|| view! { <p class="field-help">{param.help.clone()}</p> });
    view! {
        <div class="field" class:invalid=has_problem data-type=format!("{:?}", param.ty).to_lowercase()>
            <label class="field-label" for=id.clone()>
                {param.label.clone()}
                {param.required.then_some(view! { <span class="required" aria-label="required">"*"</span> })}
            </label>
            {input}
            {help}
            <For each=problems key=|m| m.clone() let:message>
                <p class="field-error" role="alert">{message}</p>
            </For>
        </div>
    }
    .into_any()
}

fn input(
    param: &'static Parameter,
    value: Derived<Value>,
    on_change: Handler<Value>,
    id: &str,
    path: String,
    issues: Derived<Vec<Issue>>,
) -> AnyView {
    let id = id.to_string();
    let text = move || to_text(&value.get());
    match param.ty {
        ParamType::String => {
            let list = (!param.suggestions.is_empty()).then(|| format!("{id}-suggestions"));
            let options = list.clone().map(|list_id| {
                view! {
                    <datalist id=list_id>
                        {param.suggestions.iter().map(|s| view! { <option value=s.clone()></option> }).collect_view()}
                    </datalist>
                }
            });
            view! {
                <input
                    id=id
                    class="input"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder=param.placeholder.clone()
                    list=list
                    prop:value=text
                    on:input=listener(move |ev| on_change.run(Value::String(event_target_value(&ev))))
                />
                {options}
            }
            .into_any()
        }
        ParamType::Text => view! {
            <textarea
                id=id
                class="input textarea"
                rows="6"
                spellcheck="false"
                placeholder=param.placeholder.clone()
                prop:value=text
                on:input=listener(move |ev| on_change.run(Value::String(event_target_value(&ev))))
            ></textarea>
        }
        .into_any(),
        ParamType::Number => view! {
            <input
                id=id
                class="input"
                type="number"
                inputmode="numeric"
                min=param.min
                max=param.max
                placeholder=param.placeholder.clone()
                prop:value=text
                on:input=listener(move |ev| on_change.run(number_from(&event_target_value(&ev))))
            />
        }
        .into_any(),
        ParamType::Bool => view! {
            <input
                id=id
                class="checkbox"
                type="checkbox"
                prop:checked=dynamic(move || value.get().as_bool().unwrap_or(false))
                on:change=listener(move |ev| on_change.run(Value::Bool(event_target_checked(&ev))))
            />
        }
        .into_any(),
        ParamType::Select => {
            let selected = move || {
                value
                    .with(|v| param.options.iter().position(|o| &o.value == v))
                    .map(|i| i.to_string())
                    .unwrap_or_default()
            };
            view! {
                <select
                    id=id
                    class="input"
                    prop:value=selected
                    on:change=listener(move |ev| {
                        if let Some(option) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| param.options.get(i)) {
                            on_change.run(option.value.clone());
                        }
                    })
                >
                    {param.options.iter().enumerate().map(|(i, o)| view! { <option value=i.to_string()>{o.label.clone()}</option> }).collect_view()}
                </select>
            }
            .into_any()
        }
        ParamType::List => view! { <ListEditor param value on_change id/> }.into_any(),
        ParamType::Map => view! { <MapEditor param value on_change id/> }.into_any(),
        ParamType::Object => {
            let fields =
                Derived::new(move || value.with(|v| v.as_object().cloned().unwrap_or_default()));
            view! { <div class="field-group" id=id>{fields_of(&param.fields, fields, on_change, path, issues)}</div> }.into_any()
        }
        ParamType::Objects => {
            view! { <RecordsEditor param value on_change id path issues/> }.into_any()
        }
    }
}

/// Editors for the `params` of one object whose current fields are `values`; an edit of a field
/// reports the whole updated object through `on_change`.
pub fn fields_of(
    params: &'static [Parameter],
    values: Derived<Map<String, Value>>,
    on_change: Handler<Value>,
    prefix: String,
    issues: Derived<Vec<Issue>>,
) -> AnyView {
    params
        .iter()
        .map(|param| {
            let path = join(&prefix, &param.name);
            let value = Derived::new(move || values.with(|v| current(param, v)));
            let changed = Handler::new(move |new: Value| {
                let mut object = values.get_untracked();
                object.insert(param.name.clone(), new);
                on_change.run(Value::Object(object));
            });
            let shown = move || values.with(|v| visible(param.show_if.as_ref(), v));
            view! { <Show when=shown>{field(param, value, changed, path.clone(), issues)}</Show> }
        })
        .collect_view()
        .into_any()
}

#[cfg(test)]
mod tests {
    use super::dom_id;

    #[test]
    fn ids_are_readable_paths() {
        assert_eq!(dom_id("image"), "field-image");
        assert_eq!(
            dom_id("ports[0].containerPort"),
            "field-ports-0-containerPort"
        );
        assert_eq!(dom_id("probes.liveness.path"), "field-probes-liveness-path");
    }
}
