//! The base overview on the demo data: the page's figures, and its exports (.csv and .xlsx)
//! masked, formula-safe, audited and given only to those who may see the base.

use crate::common::{app, body_text, get, post, send, sign_in, sqlite, user_with};
use axum::http::StatusCode;
use axum::http::header;
use ladder::db::bases;
use ladder::db::people::{self, NewPerson};
use ladder::domain::role::{Grant, Role, Scope};
use ladder::server::config::Settings;
use ladder::server::{clock, demo, org};

#[test]
fn the_overview_pages_and_exports_masked_and_formula_safe() {
    crate::common::run(async {
        let db = sqlite().await;
        let now = clock::now();
        assert!(demo::load(&db, now).await.unwrap());
        // A roster name that a spreadsheet would run as a formula.
        let cohort = bases::cohort_by_code(&db, "2026-SH-JR-01")
            .await
            .unwrap()
            .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        let evil = people::insert_person(
            &mut tx,
            &NewPerson {
                name: "=HYPERLINK(\"http://evil.example\")".into(),
                id_number: Some("11010519491231002X".into()),
                gender: None,
                phone: None,
                email: None,
                unit_id: None,
            },
            now,
        )
        .await
        .unwrap();
        bases::add_member(&mut tx, cohort.id, evil).await.unwrap();
        tx.commit().await.unwrap();
        let other = org::add_base(
            &db,
            &ladder::db::audit::Actor::system("t"),
            "B-OTHER",
            "别的基地",
            "",
            now,
        )
        .await
        .unwrap();
        user_with(
            &db,
            "other.admin",
            "password-1",
            &[Grant::new(Role::BaseAdmin, Scope::Base(other)).unwrap()],
        )
        .await;
        let app = app(db.clone(), Settings::default());
        let admin = sign_in(&app, "baseadmin", demo::DEMO_PASSWORD).await;

        let res = send(
            &app,
            post(
                "/api/base_overview",
                "cohort_code=2026-SH-JR-01&sort=score&page=1",
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let page: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
        assert_eq!(page["total"], 37);
        assert_eq!(page["lines"].as_array().unwrap().len(), 37);
        // Highest score first: the demo trainee, the only one with records.
        assert_eq!(page["lines"][0]["name"], "张伟");
        assert!(
            page["lines"][0]["gaps"]
                .as_array()
                .is_some_and(|g| !g.is_empty())
        );
        let listed = page.to_string();
        assert!(
            !listed.contains("11010519491231002X"),
            "IDs are masked in the list"
        );

        let res = send(&app, get("/files/export/2026-SH-JR-01/csv", Some(&admin))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let csv = body_text(res).await;
        assert!(csv.starts_with('\u{feff}'), "a BOM, so Excel reads UTF-8");
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("编号,姓名,身份证号码,单位,总分")
        );
        assert_eq!(csv.lines().count(), 38);
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""),
            "{csv}"
        );
        assert!(!csv.contains("11010519491231002X"));
        assert!(csv.contains("110105********002X"));

        let res = send(&app, get("/files/export/2026-SH-JR-01/xlsx", Some(&admin))).await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert!(bytes.starts_with(b"PK\x03\x04"), "an .xlsx is a zip");
        let sheet: &[u8] = b"xl/worksheets/sheet1.xml";
        assert!(bytes.windows(sheet.len()).any(|w| w == sheet));

        let exports: i64 = ladder::on_db!(&db, c => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'cohort.export'").fetch_one(c).await)
        .unwrap();
        assert_eq!(exports, 2);

        // Another base's admin: not found; a trainee: refused; nobody: sign in; odd format: 404.
        let other = sign_in(&app, "other.admin", "password-1").await;
        let res = send(&app, get("/files/export/2026-SH-JR-01/csv", Some(&other))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let trainee = sign_in(&app, "trainee", demo::DEMO_PASSWORD).await;
        let res = send(&app, get("/files/export/2026-SH-JR-01/csv", Some(&trainee))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = send(&app, get("/files/export/2026-SH-JR-01/csv", None)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = send(&app, get("/files/export/2026-SH-JR-01/pdf", Some(&admin))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    });
}
