//! The web pages and routes of an import, and who may use them.

use super::*;

/// The web flow: upload → preview page → downloads → commit of the valid rows → the same file
/// again changes nothing; an unreadable file is recorded with its reason; another base's admin
/// finds nothing.
#[test]
fn the_web_flow_previews_downloads_commits_and_confines() {
    use crate::common::{HOST, app, body_text, get, multipart, post, send, sign_in, user_with};
    use crate::files::location;
    use axum::http::{StatusCode, header};
    use ladder::domain::role::{Grant, Role, Scope};
    use ladder::server::config::Settings;
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let base = base_and_cohort(&db).await;
        let other = org::add_base(&db, &actor(), "T-OTHER", "别的基地", "", clock::now())
            .await
            .unwrap();
        user_with(
            &db,
            "clerk",
            "password-1",
            &[Grant::new(Role::BaseAdmin, Scope::Base(base)).unwrap()],
        )
        .await;
        user_with(
            &db,
            "stranger",
            "password-1",
            &[Grant::new(Role::BaseAdmin, Scope::Base(other)).unwrap()],
        )
        .await;
        let app = app(db.clone(), Settings::default());
        let clerk = sign_in(&app, "clerk", "password-1").await;
        let stranger = sign_in(&app, "stranger", "password-1").await;
        let origin = format!("http://{HOST}");
        let upload = |cookie: &str, base: i64, name: &str, bytes: &[u8]| {
            multipart(
                "/files/imports",
                &[("base", &base.to_string()), ("cohort", "")],
                name,
                bytes,
                cookie,
                &origin,
            )
        };
        // Into a base one does not administer: refused.
        let res = send(&app, upload(&stranger, base, "名单.xlsx", &quirky_xlsx())).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = send(&app, upload(&clerk, base, "名单.xlsx", &quirky_xlsx())).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = location(&res);
        assert!(page.starts_with("/admin/imports/"), "{page}");
        let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        let html =
            body_text(send(&app, get(&format!("{page}?show=errors"), Some(&clerk))).await).await;
        assert!(
            html.contains("身份证号校验位不对"),
            "the preview lists the errors"
        );
        assert!(html.contains("学员名单"));
        // The downloads.
        let res = send(
            &app,
            get(&format!("/files/imports/{id}/report.json"), Some(&clerk)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let report: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
        assert_eq!(report["rows"]["error"], 10);
        assert_eq!(report["committed"], false);
        let res = send(
            &app,
            get(&format!("/files/imports/{id}/errors.xlsx"), Some(&clerk)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains(".xlsx")
        );
        // Another base's admin: nothing there.
        for path in [
            format!("/files/imports/{id}/report.json"),
            format!("/files/imports/{id}/errors.xlsx"),
        ] {
            assert_eq!(
                send(&app, get(&path, Some(&stranger))).await.status(),
                StatusCode::NOT_FOUND
            );
        }
        let res = send(
            &app,
            post(
                "/api/commit_import",
                &format!("id={id}&valid_only=on"),
                Some(&stranger),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // All or nothing by default, then the valid rows; twice is refused.
        let commit = |body: String| {
            let app = app.clone();
            let clerk = clerk.clone();
            async move {
                let res = send(&app, post("/api/commit_import", &body, Some(&clerk))).await;
                let answer: serde_json::Value =
                    serde_json::from_str(&body_text(res).await).unwrap();
                answer["committed"].as_bool()
            }
        };
        assert_eq!(commit(format!("id={id}")).await, Some(false));
        assert_eq!(members(&db).await, 0);
        assert_eq!(commit(format!("id={id}&valid_only=on")).await, Some(true));
        assert_eq!(members(&db).await, 5);
        assert_eq!(commit(format!("id={id}&valid_only=on")).await, Some(false));
        // The same file again is all unchanged.
        let res = send(&app, upload(&clerk, base, "名单.xlsx", &quirky_xlsx())).await;
        let again = location(&res);
        let second: i64 = again.rsplit('/').next().unwrap().parse().unwrap();
        let row = ladder::db::imports::import_by_id(&db, second)
            .await
            .unwrap()
            .unwrap();
        assert!(
            row.counts.contains("\"unchanged\":5") && row.counts.contains("\"new\":0"),
            "{}",
            row.counts
        );
        // An unreadable file is in the history with its reason.
        let res = send(&app, upload(&clerk, base, "名单.xlsx", b"not a workbook")).await;
        let failed = location(&res);
        let html = body_text(send(&app, get(&failed, Some(&clerk))).await).await;
        assert!(html.contains("不是电子表格"), "the reason is shown");
        let html = body_text(send(&app, get("/admin/imports", Some(&clerk))).await).await;
        assert!(html.contains("无法读取") && html.contains("已导入"));
    });
}
