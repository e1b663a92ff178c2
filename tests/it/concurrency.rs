//! Concurrent page renders on one app, as a busy server sees them. This caught the page title
//! reading a signal outside the request's reactive owner, which panicked or stalled renders.

use crate::common::{app, get, global_user, run, send, sign_in, sqlite};
use axum::http::StatusCode;
use ladder::domain::role::Role;
use ladder::server::config::Settings;

#[test]
fn concurrent_page_renders_all_complete() {
    run(async {
        let db = sqlite().await;
        global_user(&db, "admin1", Role::SysAdmin).await;
        let app = app(db, Settings::default());
        let admin = sign_in(&app, "admin1", "password-1").await;
        let mut tasks = Vec::new();
        for n in 0..120 {
            let app = app.clone();
            let (path, cookie) = match n % 3 {
                0 => ("/login", "ladder_lang=en".to_string()),
                1 => ("/admin/users", admin.clone()),
                _ => ("/audit", format!("{admin}; ladder_lang=en")),
            };
            tasks.push(tokio::spawn(async move {
                (path, send(&app, get(path, Some(&cookie))).await.status())
            }));
        }
        for t in tasks {
            let (path, status) = t.await.expect("render task");
            assert_eq!(status, StatusCode::OK, "{path}");
        }
    });
}
