//! Asks before a half-filled form is lost. A page marks a form dirty when something is typed in
//! it and clean when it is saved or dropped; while any is dirty, leaving the page (a link to
//! another page, a reload, closing the tab) asks first. Links within the same page (its tabs,
//! filters and pages) keep every form as it is, so they do not ask.

use crate::i18n::{Key, Lang};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct LeaveGuard {
    /// One bit per form of the page.
    dirty: RwSignal<u32>,
    lang: Signal<Lang>,
}

impl LeaveGuard {
    /// A guard for the current page; its browser listeners go when the page does.
    pub fn new(lang: impl Into<Signal<Lang>>) -> LeaveGuard {
        let guard = LeaveGuard {
            dirty: RwSignal::new(0),
            lang: lang.into(),
        };
        #[cfg(feature = "hydrate")]
        listen(guard);
        guard
    }

    /// Something was typed in form `i`.
    pub fn dirty(&self, i: usize) {
        self.dirty.update(|d| *d |= 1 << i);
    }

    /// Form `i` was saved or dropped.
    pub fn clean(&self, i: usize) {
        self.dirty.update(|d| *d &= !(1 << i));
    }

    /// Whether any form holds unsaved input (read outside the reactive graph).
    pub fn any(&self) -> bool {
        self.dirty.try_get_untracked().is_some_and(|d| d != 0)
    }

    /// Whether form `i` may be replaced: it is clean, or the user says so.
    pub fn may_drop(&self, i: usize) -> bool {
        self.dirty.get_untracked() & (1 << i) == 0 || self.confirm()
    }

    fn confirm(&self) -> bool {
        #[cfg(feature = "hydrate")]
        {
            let text = self.lang.get_untracked().text(Key::LeaveUnsaved);
            window().confirm_with_message(text).unwrap_or(true)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (self.lang, Key::LeaveUnsaved);
            true
        }
    }
}

/// `beforeunload` for reloads and other sites; a click on a link to another page of the app
/// (which the router would follow without unloading) is stopped unless the user agrees. The
/// document's listener runs before the router's, which is on the window and skips a click
/// whose default was prevented.
#[cfg(feature = "hydrate")]
fn listen(guard: LeaveGuard) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if guard.any() {
            ev.prevent_default();
            // Older browsers ask only when a return value is set.
            ev.set_return_value("");
        }
    });
    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if !guard.any() || ev.default_prevented() {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let here = window().location().pathname().unwrap_or_default();
        if link.pathname() != here && !guard.confirm() {
            ev.prevent_default();
        }
    })
    .into_js_value();
    let doc = document();
    let _ = doc.add_event_listener_with_callback("click", click.unchecked_ref());
    let click = send_wrapper::SendWrapper::new(click);
    on_cleanup(move || {
        unload.remove();
        let _ = document().remove_event_listener_with_callback("click", click.unchecked_ref());
    });
}
