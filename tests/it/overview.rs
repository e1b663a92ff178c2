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

/// The roster, hours and score-report exports of a cohort: masked by default, in full only
/// for the base's admins and audited as an unmasking; the full roster imports again with no
/// change at all.
#[test]
fn roster_hours_and_score_exports_and_the_roster_round_trip() {
    use ladder::server::imports::{self, CommitChoice, ImportFile};
    use std::sync::Arc;
    crate::common::run(async {
        let db = sqlite().await;
        let now = clock::now();
        assert!(demo::load(&db, now).await.unwrap());
        let base = ladder::db::bases::base_id_by_code(&db, demo::BASE_CODE)
            .await
            .unwrap()
            .unwrap();
        // The quirky roster's five valid people into the demo's empty cohort; one works at
        // "=1+2" (a formula-like cell) and one is named "-Anna Lee" (a leading minus).
        let csv = crate::imports::quirky_csv()
            .replace(crate::imports::COHORT, "2024-SH-JR-03")
            .replace(
                "李强,男,31010719840810003x,上海理工大学技术转移中心",
                "-Anna Lee,男,31010719840810003x,=1+2",
            );
        assert!(csv.contains("-Anna Lee") && csv.contains(",=1+2,"));
        let settings = ladder::server::config::ImportSettings::default();
        let file = ImportFile {
            kind: ladder::import::roster::Kind::Roster,
            base_id: base,
            cohort: None,
            file_name: "名单.csv".into(),
            bytes: Arc::new(csv.into_bytes()),
        };
        let a = imports::analyse(&db, &file, &settings).await.unwrap();
        let choice = CommitChoice {
            valid_only: true,
            confirm: false,
        };
        let actor = crate::common::actor();
        imports::commit(
            &db,
            &actor,
            &file,
            Some(&a.plan.digest),
            None,
            choice,
            &settings,
            now,
        )
        .await
        .unwrap();
        let app = app(db.clone(), Settings::default());
        let admin = sign_in(&app, "baseadmin", demo::DEMO_PASSWORD).await;
        let authority = sign_in(&app, "authority", demo::DEMO_PASSWORD).await;
        let get_text = |path: &str, who: &str| {
            let (app, path, who) = (app.clone(), path.to_string(), who.to_string());
            async move {
                let res = send(&app, get(&path, Some(&who))).await;
                (res.status(), body_text(res).await)
            }
        };

        let (status, masked) = get_text("/files/export/2024-SH-JR-03/roster.csv", &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            masked
                .trim_start_matches('\u{feff}')
                .starts_with("序号,姓名,性别,身份证号,工作单位")
        );
        assert_eq!(masked.lines().count(), 6);
        assert!(masked.contains("********") && masked.contains("****"));
        assert!(!masked.contains("13812345678"), "phones masked");

        let (status, full) =
            get_text("/files/export/2024-SH-JR-03/roster.csv?full=1", &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert!(full.contains("13812345678"));
        // The program authority sees the overview but not the full roster.
        let (status, _) =
            get_text("/files/export/2024-SH-JR-03/roster.csv?full=1", &authority).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let unmasked: i64 = ladder::on_db!(&db, c => sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'cohort.export.unmasked'").fetch_one(c).await)
        .unwrap();
        assert_eq!(unmasked, 1);

        // The full export imports again and changes nothing, as CSV (where the guarding
        // apostrophe comes off) and as .xlsx (quote-prefixed cells, no apostrophe).
        assert!(
            full.contains("'=1+2") && full.contains("'-Anna Lee"),
            "{full}"
        );
        let xlsx = {
            let res = send(
                &app,
                get(
                    "/files/export/2024-SH-JR-03/roster.xlsx?full=1",
                    Some(&admin),
                ),
            )
            .await;
            assert_eq!(res.status(), StatusCode::OK);
            axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec()
        };
        for (name, bytes) in [("export.csv", full.into_bytes()), ("export.xlsx", xlsx)] {
            let again = ImportFile {
                kind: ladder::import::roster::Kind::Roster,
                base_id: base,
                cohort: None,
                file_name: name.into(),
                bytes: Arc::new(bytes),
            };
            let b = imports::analyse(&db, &again, &settings).await.unwrap();
            assert_eq!(b.plan.counts.unchanged, 5, "{name}: {:?}", b.plan.counts);
            assert_eq!(
                b.plan.counts.new + b.plan.counts.updated + b.plan.counts.error,
                0,
                "{name}"
            );
        }
        // What is stored is what was typed: no apostrophe.
        let employer: String = ladder::on_db!(&db, c => sqlx::query_scalar::<_, String>(
            "SELECT u.name FROM people p JOIN units u ON u.id = p.unit_id WHERE p.name = '-Anna Lee'").fetch_one(c).await)
        .unwrap();
        assert_eq!(employer, "=1+2");

        // Hours by module and the score reports with their explanations.
        let (status, hours) = get_text("/files/export/2026-SH-JR-01/hours.csv", &admin).await;
        assert_eq!(status, StatusCode::OK);
        let header = hours.lines().next().unwrap().to_string();
        assert!(
            header.contains("培训学时合计") && header.contains("继续教育学时"),
            "{header}"
        );
        let (status, scores) = get_text("/files/export/2026-SH-JR-01/scores.csv", &admin).await;
        assert_eq!(status, StatusCode::OK);
        let zhang = scores.lines().find(|l| l.contains("张伟")).unwrap();
        assert!(zhang.contains('→'), "each dimension is explained: {zhang}");
        let res = send(
            &app,
            get("/files/export/2026-SH-JR-01/scores.xlsx", Some(&admin)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = send(
            &app,
            get("/files/export/2026-SH-JR-01/salaries.csv", Some(&admin)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    });
}

/// A page of members is the same slice of the whole list on both engines, in either order,
/// and the level counts add up to the cohort.
async fn pages_are_slices_of_the_whole_list(db: ladder::db::Db) {
    use ladder::db::overview::{self as store, Order};
    assert!(demo::load(&db, clock::now()).await.unwrap());
    let cohort = bases::cohort_by_code(&db, "2026-SH-JR-01")
        .await
        .unwrap()
        .unwrap()
        .id;
    for order in [Order::Name, Order::ScoreDescending] {
        let all = store::members(&db, cohort, order, None, 0).await.unwrap();
        assert!(all.len() > 20, "{}", all.len());
        let page = store::members(&db, cohort, order, Some(10), 10)
            .await
            .unwrap();
        let ids = |rows: &[store::MemberRow]| rows.iter().map(|r| r.person_id).collect::<Vec<_>>();
        assert_eq!(ids(&page), ids(&all[10..20]), "{order:?}");
        assert!(page.iter().all(|r| r.report.is_some()));
    }
    let counted: i64 = store::level_counts(&db, cohort)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(counted, store::member_count(&db, cohort).await.unwrap());
}

crate::on_both_engines!(pages_are_slices_of_the_whole_list);
