//! `/auth/complete?code=…`: where a provider sign-in lands. The page trades the one-time code
//! for the session cookie (a same-site POST, from the browser that started the sign-in) and
//! continues to where the user was going, replacing this address in the history.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::sso::ExchangeSsoCode;
use crate::components::auth::{safe_next, use_auth};

/// Finishes a provider sign-in.
#[component]
pub fn AuthCompletePage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let navigate = use_navigate();
    let action = ServerAction::<ExchangeSsoCode>::new();

    // Runs once, in the browser only.
    Effect::new(move |_| {
        let code = query.read_untracked().get("code").unwrap_or_default();
        action.dispatch(ExchangeSsoCode { code });
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = action.value().get() {
            auth.reload();
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&safe_next(Some(done.next)), options);
        }
    });
    let error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };

    view! {
        <Title text="Signing in"/>
        <Meta name="referrer" content="no-referrer"/>
        <section class="auth-page">
            <div class="auth-card">
                <h1>"Signing you in"</h1>
                {move || match error() {
                    Some(message) => view! {
                        <p class="error form-error" role="alert" id="exchange-error">{message}</p>
                        <a class="btn btn-block" href="/login">"Back to log in"</a>
                    }
                    .into_any(),
                    None => view! { <p class="muted" id="exchange-pending">"One moment…"</p> }
                        .into_any(),
                }}
            </div>
        </section>
    }
}
