//! What pages show of the data: times in the deployment's display zone, said once on the page;
//! the audit log's people, records, actions and states in the page's words.

use crate::common::{app, body_text, get, sign_in, sqlite};
use axum::http::StatusCode;
use ladder::domain::review::procedure::State;
use ladder::domain::zone::DisplayZone;
use ladder::i18n::{Key, Lang};
use ladder::server::config::{Settings, parse_zone};
use ladder::server::{clock, demo};

/// The page's `<time datetime="…">text</time>` elements as (instant, text shown).
fn times(html: &str) -> Vec<(chrono::DateTime<chrono::Utc>, String)> {
    html.split("<time datetime=\"")
        .skip(1)
        .map(|rest| {
            let (at, rest) = rest.split_once('"').unwrap();
            let text = rest
                .split_once('>')
                .unwrap()
                .1
                .split_once("</time>")
                .unwrap()
                .0;
            (
                at.parse().unwrap(),
                text.replace("<!>", "").trim().to_string(),
            )
        })
        .collect()
}

async fn audit_page(zone: &str, path: &str, lang: &str) -> (String, DisplayZone) {
    let db = sqlite().await;
    assert!(demo::load(&db, clock::now()).await.unwrap());
    let settings = Settings {
        time_zone: parse_zone(zone).unwrap(),
        ..Settings::default()
    };
    let shown = settings.time_zone.0.as_ref().clone();
    let app = app(db, settings);
    let auditor = sign_in(&app, "auditor", demo::DEMO_PASSWORD).await;
    let res = crate::common::send(
        &app,
        get(path, Some(&format!("{auditor}; ladder_lang={lang}"))),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Without the hydration markers between text nodes.
    (body_text(res).await.replace("<!>", ""), shown)
}

#[test]
fn the_audit_page_shows_times_in_the_display_zone_and_says_which() {
    crate::common::run(async {
        for zone in ["Asia/Shanghai", "America/New_York"] {
            let (html, shown) = audit_page(zone, "/audit", "zh").await;
            let listed = times(&html);
            assert!(listed.len() >= 10, "{zone}: {} times", listed.len());
            for (at, text) in &listed {
                assert_eq!(text, &shown.second(*at), "{zone}");
            }
            // Said once, under the title, with the offset in force.
            let note = Lang::Zh
                .text(Key::TimesShownIn)
                .replace("{zone}", &shown.label(clock::now()));
            assert_eq!(html.matches(&note).count(), 1, "{zone}: {note}");
            assert!(!html.contains(" UTC<"), "no time is labelled UTC");
        }
    });
}

/// The table as shown (the page's data also travels, as recorded, for hydration).
fn table(page: &str) -> &str {
    let rows = page.split_once("<tbody").expect("a table").1;
    rows.split_once("</tbody>").expect("a whole table").0
}

#[test]
fn the_audit_page_names_actions_people_records_and_states_in_words() {
    crate::common::run(async {
        let (page, _) = audit_page("Asia/Shanghai", "/audit?entity_type=application", "zh").await;
        let html = table(&page);
        // An application's steps: the action and the states in words, the candidate named.
        assert!(html.contains(Lang::Zh.text(Key::AuActApplicationState)));
        assert!(html.contains(Lang::Zh.text(Key::AuEntApplication)));
        // The demo's applications went from draft through the unit's notice to the secretariat.
        for (state, key) in [
            (State::Submitted, Key::StSubmitted),
            (State::UnitPublicNotice, Key::StUnitPublicNotice),
            (State::Recommended, Key::StRecommended),
        ] {
            assert!(
                !html.contains(&format!(">{}<", state.code())),
                "the code {} is shown as a word",
                state.code()
            );
            assert!(html.contains(&format!(">{}<", Lang::Zh.text(key))));
        }

        let (page, _) = audit_page("Asia/Shanghai", "/audit?action=record.create", "en").await;
        let html = table(&page);
        assert!(html.contains(Lang::En.text(Key::AuActRecordCreate)));
        // "record 44" is the record's ledger id; "ce … Public … 学时" is in English words.
        let refs = html
            .matches(&format!("{} D", Lang::En.text(Key::AuEntRecord)))
            .count()
            + html
                .matches(&format!("{} T", Lang::En.text(Key::AuEntRecord)))
                .count()
            + html
                .matches(&format!("{} C", Lang::En.text(Key::AuEntRecord)))
                .count();
        assert!(refs > 0, "records are named by their ledger ids");
        assert!(!html.contains("学时"), "hours are written in English");
        assert!(!html.contains("万元"), "amounts are written in English");
        assert!(
            !html.contains("Professional 64"),
            "categories are written in words"
        );
        assert!(html.contains(Lang::En.text(Key::CeProfessional)));
        // The actor is named, with the login (the newest records are the demo's candidates').
        assert!(html.contains("赵强 (candidate3)"), "actors are named");
    });
}
