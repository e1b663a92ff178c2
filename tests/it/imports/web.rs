//! The web pages and routes of an import, and who may use them.

use super::*;

/// A base with its cohort, its admin ("clerk") and another base's admin ("stranger"), both
/// signed in to the app: (base, app, clerk's cookie, stranger's cookie).
async fn clerks(db: &ladder::db::Db) -> (i64, axum::Router, String, String) {
    use crate::common::{app, sign_in, user_with};
    use ladder::domain::role::{Grant, Role, Scope};
    use ladder::server::config::Settings;
    let base = base_and_cohort(db).await;
    let other = org::add_base(db, &actor(), "T-OTHER", "别的基地", "", clock::now())
        .await
        .unwrap();
    for (user, scope) in [("clerk", base), ("stranger", other)] {
        let grant = Grant::new(Role::BaseAdmin, Scope::Base(scope)).unwrap();
        user_with(db, user, "password-1", &[grant]).await;
    }
    let app = app(db.clone(), Settings::default());
    let clerk = sign_in(&app, "clerk", "password-1").await;
    let stranger = sign_in(&app, "stranger", "password-1").await;
    (base, app, clerk, stranger)
}

/// The web flow: upload → preview page → downloads → commit of the valid rows → the same file
/// again changes nothing; an unreadable file is recorded with its reason; another base's admin
/// finds nothing.
#[test]
fn the_web_flow_previews_downloads_commits_and_confines() {
    use crate::common::{HOST, body_text, get, multipart, post, send};
    use crate::files::location;
    use axum::http::{StatusCode, header};
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let (base, app, clerk, stranger) = clerks(&db).await;
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

const NEW_NAMES: [&str; 3] = ["王一鸣", "李二娜", "赵三川"];

/// A roster whose 培训班次 does not exist yet: the preview names the cohort and how many rows
/// it holds back, the base's admin makes it from there (validated; only a cohort the roster
/// lacks, only in the import's base), the preview is planned again and commits; a preview
/// whose outcome changed since the upload can be planned again on request.
#[test]
fn a_roster_of_a_cohort_not_yet_made_offers_to_make_it_and_plans_again() {
    use crate::common::{HOST, body_text, multipart, post, send};
    use crate::files::location;
    use axum::http::StatusCode;
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let (base, app, clerk, stranger) = clerks(&db).await;
        // Three people of a cohort nobody has made yet.
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(HEADER).unwrap();
        for (n, name) in (1..=3u32).zip(NEW_NAMES) {
            let seq = 100 + n as u16;
            let row = person(
                n,
                name,
                seq % 2 == 1, // the ID number's 17th digit: odd for a man
                V::S(id("310104", 1990, 1, n, seq).as_str().into()),
                V::S(format!("1380000000{n}")),
                "2027-T-JR-01",
            );
            w.write_record(row.iter().map(csv_text)).unwrap();
        }
        let csv = w.into_inner().unwrap();
        let origin = format!("http://{HOST}");
        let res = send(
            &app,
            multipart(
                "/files/imports",
                &[("base", &base.to_string()), ("cohort", "")],
                "名单.csv",
                &csv,
                &clerk,
                &origin,
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let import: i64 = location(&res).rsplit('/').next().unwrap().parse().unwrap();
        let preview = |who: String| {
            let app = app.clone();
            async move {
                let res = send(
                    &app,
                    post(
                        "/api/import_preview",
                        &format!("id={import}&show=&page=1"),
                        Some(&who),
                    ),
                )
                .await;
                assert_eq!(res.status(), StatusCode::OK);
                serde_json::from_str::<serde_json::Value>(&body_text(res).await).unwrap()
            }
        };
        let v = preview(clerk.clone()).await;
        assert_eq!(v["counts"]["error"], 3);
        assert_eq!(
            v["missing_cohorts"],
            serde_json::json!([{ "code": "2027-T-JR-01", "rows": 3 }])
        );
        assert_eq!(v["can_add_cohort"], true);
        let add = |who: String, body: String| {
            let app = app.clone();
            async move { send(&app, post("/api/import_add_cohort", &body, Some(&who))).await }
        };
        let form = |code: &str, ends: &str| {
            format!(
                "id={import}&code={code}&name=%E4%BA%8C%E6%9C%9F&level=junior&starts_on=2027-03-01&ends_on={ends}"
            )
        };
        // Another base's admin: the import does not exist for them.
        let res = add(stranger.clone(), form("2027-T-JR-01", "2027-06-30")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // Only a cohort the roster lacks; dates in order. Nothing is made on a refusal.
        let res = add(clerk.clone(), form("2027-T-JR-99", "2027-06-30")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = add(clerk.clone(), form("2027-T-JR-01", "2027-01-31")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(res).await.contains("ends_on"));
        assert!(
            bases::cohort_by_code(&db, "2027-T-JR-01")
                .await
                .unwrap()
                .is_none()
        );
        let res = add(clerk.clone(), form("2027-T-JR-01", "2027-06-30")).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
        let made = bases::cohort_by_code(&db, "2027-T-JR-01")
            .await
            .unwrap()
            .expect("made");
        assert_eq!((made.base_id, made.level.as_str()), (base, "junior"));
        // Planned again: the rows are new, nothing is missing, and the commit goes through.
        let v = preview(clerk.clone()).await;
        assert_eq!(
            (v["counts"]["error"].clone(), v["counts"]["new"].clone()),
            (0.into(), 3.into()),
            "{v}"
        );
        assert_eq!(v["missing_cohorts"], serde_json::json!([]));
        assert_eq!(
            (v["changed"].clone(), v["can_commit"].clone()),
            (false.into(), true.into())
        );
        // Data changed after the preview (someone else adds one of them): the page says so and
        // cannot commit until it is planned again; then it commits what it shows.
        let number = id("310104", 1990, 1, 1, 101);
        crate::common::person(&db, NEW_NAMES[0], Some(number.as_str())).await;
        let v = preview(clerk.clone()).await;
        assert_eq!(
            (v["changed"].clone(), v["can_commit"].clone()),
            (true.into(), false.into())
        );
        let res = send(
            &app,
            post(
                "/api/replan_import",
                &format!("id={import}"),
                Some(&stranger),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = send(
            &app,
            post("/api/replan_import", &format!("id={import}"), Some(&clerk)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let v = preview(clerk.clone()).await;
        assert_eq!(
            (v["changed"].clone(), v["can_commit"].clone()),
            (false.into(), true.into())
        );
        assert_eq!(
            (v["counts"]["new"].clone(), v["counts"]["updated"].clone()),
            (2.into(), 1.into())
        );
        let res = send(
            &app,
            post("/api/commit_import", &format!("id={import}"), Some(&clerk)),
        )
        .await;
        let answer: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
        assert_eq!(answer["committed"], true, "{answer}");
        // A committed import is planned no more.
        let res = send(
            &app,
            post("/api/replan_import", &format!("id={import}"), Some(&clerk)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
    });
}
