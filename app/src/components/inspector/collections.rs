//! Editors for collections: string lists (or a multi-select when the parameter has options),
//! key-value maps, and lists of records (ports, env, paths, rules…).

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::field::fields_of;
use super::value::{index, new_record, to_text};
use crate::domain::Issue;
use crate::model::metadata::Parameter;

/// Key-value rows as edited (empty keys are kept while typing, dropped from the value).
type Pairs = Vec<(String, String)>;

fn items(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

/// Removes item `i` if there is one.
fn remove_at<T>(list: &mut Vec<T>, i: usize) {
    if i < list.len() {
        list.remove(i);
    }
}

/// Applies `change` to a copy of the list in `value` and reports the result through `on_change`.
fn edit_list(
    value: Derived<Value>,
    on_change: Handler<Value>,
    change: impl FnOnce(&mut Vec<Value>),
) {
    let mut list = items(&value.get_untracked());
    change(&mut list);
    on_change.run(Value::Array(list));
}

/// A list of strings, or checkboxes when the parameter lists its options.
#[component]
pub fn ListEditor(
    param: &'static Parameter,
    value: Derived<Value>,
    on_change: Handler<Value>,
    id: String,
) -> impl IntoView {
    if !param.options.is_empty() {
        return view! {
            <div class="choices" id=id role="group">
                {param
                    .options
                    .iter()
                    .map(|option| {
                        let checked = move || value.with(|v| items(v).contains(&option.value));
                        let toggle = move |on: bool| {
                            edit_list(value, on_change, |list| {
                                list.retain(|v| v != &option.value);
                                if on {
                                    list.push(option.value.clone());
                                }
                            });
                        };
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=checked on:change=listener(move |ev| toggle(event_target_checked(&ev)))/>
                                {option.label.clone()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any();
    }
    let count = move || value.with(|v| v.as_array().map_or(0, Vec::len));
    let set = move |i: usize, text: String| {
        edit_list(value, on_change, |list| {
            if let Some(slot) = list.get_mut(i) {
                *slot = Value::String(text);
            }
        });
    };
    let remove = move |i: usize| edit_list(value, on_change, |list| remove_at(list, i));
    let add = move |_| {
        edit_list(value, on_change, |list| {
            list.push(Value::String(String::new()))
        })
    };
    let row_id = id.clone();
    view! {
        <div class="rows" id=id>
            <For each=move || 0..count() key=|i| *i let:i>
                <div class="row">
                    <input
                        class="input"
                        id=format!("{row_id}-{i}")
                        aria-label=format!("{} {}", param.label, i + 1)
                        placeholder=param.placeholder.clone()
                        prop:value=dynamic(move || value.with(|v| v.get(i).map(to_text).unwrap_or_default()))
                        on:input=listener(move |ev| set(i, event_target_value(&ev)))
                    />
                    <button class="row-remove" type="button" aria-label="Remove" on:click=listener(move |_| remove(i))>"×"</button>
                </div>
            </For>
            <button class="row-add" type="button" on:click=add>"+ Add"</button>
        </div>
    }
    .into_any()
}

/// String keys to string values. Rows are kept locally so that a half-typed or repeated key
/// never loses a row; the value written back holds the rows with a key.
#[component]
pub fn MapEditor(
    param: &'static Parameter,
    value: Derived<Value>,
    on_change: Handler<Value>,
    id: String,
) -> impl IntoView {
    let from_value = |v: &Value| -> Vec<(String, String)> {
        v.as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), to_text(v))).collect())
            .unwrap_or_default()
    };
    let rows = Var::new(from_value(&value.get_untracked()));
    let to_value = |rows: &[(String, String)]| -> Value {
        Value::Object(
            rows.iter()
                .filter(|(k, _)| !k.is_empty())
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect::<Map<String, Value>>(),
        )
    };
    Effect::new(move |_| {
        let current = value.get();
        if rows.with_untracked(|r| to_value(r)) != current {
            rows.set(from_value(&current));
        }
    });
    let edit = move |change: Box<dyn FnOnce(&mut Pairs)>| {
        rows.update(|r| change(r));
        on_change.run(rows.with_untracked(|r| to_value(r)));
    };
    let count = move || rows.with(Vec::len);
    let row_id = id.clone();
    view! {
        <div class="rows" id=id>
            <For each=move || 0..count() key=|i| *i let:i>
                <div class="row row-pair">
                    <input
                        class="input"
                        id=format!("{row_id}-{i}-key")
                        aria-label=format!("{} key {}", param.label, i + 1)
                        placeholder="key"
                        prop:value=dynamic(move || rows.with(|r| r.get(i).map(|p| p.0.clone()).unwrap_or_default()))
                        on:input=listener(move |ev| {
                            let text = event_target_value(&ev);
                            edit(Box::new(move |r| if let Some(p) = r.get_mut(i) { p.0 = text }));
                        })
                    />
                    <input
                        class="input"
                        id=format!("{row_id}-{i}-value")
                        aria-label=format!("{} value {}", param.label, i + 1)
                        placeholder="value"
                        prop:value=dynamic(move || rows.with(|r| r.get(i).map(|p| p.1.clone()).unwrap_or_default()))
                        on:input=listener(move |ev| {
                            let text = event_target_value(&ev);
                            edit(Box::new(move |r| if let Some(p) = r.get_mut(i) { p.1 = text }));
                        })
                    />
                    <button
                        class="row-remove"
                        type="button"
                        aria-label="Remove"
                        on:click=listener(move |_| edit(Box::new(move |r| remove_at(r, i))))
                    >"×"</button>
                </div>
            </For>
            <button class="row-add" type="button" on:click=listener(move |_| edit(Box::new(|r| r.push((String::new(), String::new())))))>
                "+ Add"
            </button>
        </div>
    }
}

/// A list of records, each with the parameter's fields.
#[component]
pub fn RecordsEditor(
    param: &'static Parameter,
    value: Derived<Value>,
    on_change: Handler<Value>,
    id: String,
    path: String,
    issues: Derived<Vec<Issue>>,
) -> impl IntoView {
    let count = move || value.with(|v| v.as_array().map_or(0, Vec::len));
    let add = move |_| edit_list(value, on_change, |list| list.push(new_record(param)));
    view! {
        <div class="records" id=id>
            <For each=move || 0..count() key=|i| *i let:i>
                {
                    let fields = Derived::new(move || {
                        value.with(|v| v.get(i).and_then(Value::as_object).cloned().unwrap_or_default())
                    });
                    let changed = Handler::new(move |record: Value| {
                        edit_list(value, on_change, |list| {
                            if let Some(slot) = list.get_mut(i) {
                                *slot = record;
                            }
                        });
                    });
                    let remove = move |_| edit_list(value, on_change, |list| remove_at(list, i));
                    view! {
                        <fieldset class="record">
                            <legend>{format!("{} {}", param.label, i + 1)}</legend>
                            <button class="row-remove record-remove" type="button" aria-label="Remove" on:click=remove>"×"</button>
                            {fields_of(&param.fields, fields, changed, index(&path, i), issues)}
                        </fieldset>
                    }
                }
            </For>
            <button class="row-add" type="button" on:click=add>{format!("+ Add {}", param.label.to_lowercase())}</button>
        </div>
    }
}
