//! The pager under a paged list: previous, "page / pages · total", next.

use crate::i18n::{Key, t};
use leptos::prelude::*;

/// `href(n)` is the link to page `n` (the list's filters kept in it).
#[component]
pub fn Pager(
    page: usize,
    pages: usize,
    total: usize,
    href: impl Fn(usize) -> String + 'static,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=t(Key::Pages)>
            {(page > 1).then(|| view! { <a class="button button--small" href=href(page - 1)>{t(Key::Previous)}</a> })}
            <span>{format!("{page} / {pages} · {total}")}</span>
            {(page < pages).then(|| view! { <a class="button button--small" href=href(page + 1)>{t(Key::Next)}</a> })}
        </nav>
    }
}
