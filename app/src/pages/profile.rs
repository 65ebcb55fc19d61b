//! `/profile`: the signed-in user's account, login methods (password, linked provider accounts:
//! link and unlink, never the last one) and the change-password form.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::sso::{get_login_methods, UnlinkIdentity};
use crate::components::auth::{use_auth, RequireUser};
use crate::components::change_password::ChangePasswordForm;
use crate::components::form::FormError;
use crate::components::sso::{provider_name, sso_problem};
use crate::model::{LinkedIdentity, LoginMethods, ProviderInfo, Role};
use crate::pages::workflows::short_time;

/// The page: only for signed-in users.
#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Title text="Profile"/>
        <RequireUser>
            <Profile/>
        </RequireUser>
    }
}

#[component]
fn Profile() -> impl IntoView {
    let auth = use_auth();
    let refresh = Var::new(0u32);
    let methods = Resource::new(move || refresh.get(), |_| get_login_methods());
    let unlink = ServerAction::<UnlinkIdentity>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = unlink.value().get() {
            refresh.update(|n| *n += 1);
        }
    });

    view! {
        <section class="page-head">
            <h1>"Profile"</h1>
        </section>
        <section class="cards profile">
            <article class="card" aria-labelledby="account-title">
                <h2 id="account-title">"Account"</h2>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        auth.user.await.ok().flatten().map(|user| view! {
                            <dl class="facts">
                                <dt>"Name"</dt><dd id="profile-name">{user.name}</dd>
                                <dt>"Email"</dt><dd id="profile-email">{user.email}</dd>
                                <dt>"Role"</dt>
                                <dd>{if user.role == Role::Admin { "Administrator" } else { "User" }}</dd>
                                <dt>"Member since"</dt><dd>{short_time(user.created_at)}</dd>
                            </dl>
                        })
                    })}
                </Transition>
            </article>
            <article class="card" aria-labelledby="methods-title">
                <h2 id="methods-title">"Login methods"</h2>
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match methods.await {
                            Ok(methods) => view! { <Methods methods unlink/> }.into_any(),
                            Err(error) => view! {
                                <p class="error" role="alert">{error.to_string()}</p>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
            </article>
            <article class="card" aria-labelledby="password-title">
                <h2 id="password-title">"Password"</h2>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match methods.await {
                            Ok(m) if m.has_password => view! { <ChangePasswordForm/> }.into_any(),
                            Ok(_) => view! {
                                <p class="muted" id="no-password">
                                    "Your account has no password: you log in through a linked \
                                     account."
                                </p>
                            }
                            .into_any(),
                            Err(_) => ().into_any(),
                        }
                    })}
                </Transition>
            </article>
        </section>
    }
}

/// The notice for `?linked=` or `?sso_error=` after a link attempt.
fn link_notice(providers: &[ProviderInfo]) -> Option<(bool, String)> {
    if let Some(message) = sso_problem(providers) {
        return Some((false, message));
    }
    let linked = use_query_map().with_untracked(|q| q.get("linked"))?;
    Some((
        true,
        format!(
            "{} is now linked to your account.",
            provider_name(providers, &linked)
        ),
    ))
}

#[component]
fn Methods(methods: LoginMethods, unlink: ServerAction<UnlinkIdentity>) -> impl IntoView {
    let last = methods.is_last_method();
    let notice = link_notice(&methods.providers).map(|(ok, message)| {
        view! {
            <p class=if ok { "notice" } else { "error form-error" }
                role=if ok { "status" } else { "alert" } id="link-notice">{message}</p>
        }
    });
    let error = Derived::new(move || {
        unlink
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let rows = methods
        .identities
        .into_iter()
        .map(|identity| view! { <IdentityRow identity last unlink/> })
        .collect_view();
    let links = methods
        .providers
        .into_iter()
        .map(|p| {
            view! {
                <form method="post" action=format!("/api/auth/sso/{}/link", p.id)>
                    <button class="btn btn-ghost" type="submit" id=format!("link-{}", p.id)>
                        {format!("Link {}", p.name)}
                    </button>
                </form>
            }
        })
        .collect_view();

    view! {
        {notice}
        <ul class="identity-list">
            <li class="identity-row">
                <span class="identity-main"><strong>"Password"</strong></span>
                <span class="muted small" id="password-state">
                    {if methods.has_password { "Set" } else { "Not set" }}
                </span>
            </li>
            {rows}
        </ul>
        <FormError error/>
        <div class="row-actions link-actions">{links}</div>
    }
}

#[component]
fn IdentityRow(
    identity: LinkedIdentity,
    last: bool,
    unlink: ServerAction<UnlinkIdentity>,
) -> impl IntoView {
    let LinkedIdentity {
        provider,
        provider_name,
        subject,
        email,
        linked_at,
    } = identity;
    let label = format!("Unlink {provider_name}");
    let data_provider = provider.clone();
    let title = if last {
        "This is your only way to log in: link another account first."
    } else {
        ""
    };
    view! {
        <li class="identity-row" data-provider=data_provider>
            <span class="identity-main">
                <strong>{provider_name}</strong>
                <span class="muted small">{email.unwrap_or_else(|| subject.clone())}</span>
            </span>
            <span class="muted small">{format!("linked {}", short_time(linked_at))}</span>
            <button class="btn btn-small btn-danger-text" type="button" aria-label=label
                title=title disabled=dynamic(move || last || unlink.pending().get())
                on:click=listener(move |_| {
                    unlink.dispatch(UnlinkIdentity {
                        provider: provider.clone(),
                        subject: subject.clone(),
                    });
                })>
                "Unlink"
            </button>
        </li>
    }
}
