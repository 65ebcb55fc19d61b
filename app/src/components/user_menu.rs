//! The top bar's account area: the signed-in user's menu with Log out, or Log in / Sign up.

use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::auth::Logout;
use crate::components::auth::use_auth;
use crate::model::{Role, UserProfile};

/// Log in / Sign up links, or the user menu once signed in.
#[component]
pub fn UserMenu() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! { <SignedInMenu user/> }.into_any(),
                    _ => view! {
                        <a href="/login" class="btn btn-ghost" id="nav-login">"Log in"</a>
                        <a href="/signup" class="btn" id="nav-signup">"Sign up"</a>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedInMenu(user: UserProfile) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let logout = ServerAction::<Logout>::new();
    let open = Var::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            open.set(false);
            auth.reload();
            navigate("/login", Default::default());
        }
    });
    let initial = user
        .name
        .chars()
        .next()
        .unwrap_or('?')
        .to_uppercase()
        .to_string();
    let is_admin = user.role == Role::Admin;

    view! {
        <div class="user-menu">
            <button
                class="user-button"
                id="user-menu"
                aria-haspopup="menu"
                aria-expanded=dynamic(move || open.get().to_string())
                on:click=listener(move |_| open.update(|o| *o = !*o))
            >
                <span class="avatar" aria-hidden="true">{initial}</span>
                <span class="user-name">{user.name.clone()}</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu" role="menu">
                    <div class="menu-head">
                        <strong>{user.name.clone()}</strong>
                        <span class="muted small">{user.email.clone()}</span>
                        {is_admin.then(|| view! { <span class="badge">"Administrator"</span> })}
                    </div>
                    <a class="menu-item" role="menuitem" id="nav-profile" href="/profile"
                        on:click=listener(move |_| open.set(false))>
                        "Profile"
                    </a>
                    <button
                        class="menu-item"
                        role="menuitem"
                        id="logout"
                        disabled=dynamic(move || logout.pending().get())
                        on:click=listener(move |_| {
                            logout.dispatch(Logout {});
                        })
                    >
                        "Log out"
                    </button>
                </div>
            </Show>
        </div>
    }
}
