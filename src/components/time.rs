//! Moments as the deployment shows them: in its display zone (`LADDER_TIME_ZONE`, default
//! Asia/Shanghai), which every page that shows times states once with [`ZoneNote`].

use crate::app::use_session;
use crate::domain::zone::DisplayZone;
use crate::i18n::{Key, use_lang};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The display zone, as the session tells it (the product's default until it has loaded).
pub fn use_zone() -> Signal<DisplayZone> {
    let info = use_session().info;
    Signal::derive(move || {
        info.get()
            .and_then(Result::ok)
            .map(|s| s.zone)
            .unwrap_or_default()
    })
}

/// A moment in the display zone, to the minute, as text (for a sentence; a table cell takes
/// [`Moment`]).
pub fn when(at: DateTime<Utc>) -> String {
    use_zone().with_untracked(|z| z.minute(at))
}

/// A moment to the minute (`seconds`: to the second) in the display zone, as a `<time>`
/// element carrying the instant itself.
#[component]
pub fn Moment(at: DateTime<Utc>, #[prop(optional)] seconds: bool) -> impl IntoView {
    let zone = use_zone();
    view! {
        <time datetime=at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true) class="nowrap">
            {move || zone.with(|z| if seconds { z.second(at) } else { z.minute(at) })}
        </time>
    }
}

/// "Times are shown in Asia/Shanghai, UTC+08:00": once on every page that shows times.
#[component]
pub fn ZoneNote() -> impl IntoView {
    let lang = use_lang();
    let info = use_session().info;
    let label = move || {
        info.get()
            .and_then(Result::ok)
            .map(|s| s.zone_label)
            .unwrap_or_else(|| DisplayZone::default().label(DateTime::<Utc>::UNIX_EPOCH))
    };
    view! {
        <p class="muted zone-note">
            {move || lang.get().text(Key::TimesShownIn).replace("{zone}", &label())}
        </p>
    }
}
