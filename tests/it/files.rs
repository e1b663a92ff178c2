//! Evidence files over HTTP: the type is judged by content, the size is limited, nothing is
//! stored on a refusal, only the owner and the record's base admins can download, every
//! download of another person's file is audited, cross-site uploads are refused, and an
//! attached contract lets a verified deal count.

use crate::common::{HOST, actor, app, get, person_of, send, sign_in, sqlite, user_with};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ladder::db::Db;
use ladder::db::bases::{self, NewCohort};
use ladder::domain::role::{Grant, Role, Scope};
use ladder::server::config::Settings;
use ladder::server::records::{self, DealInput, Input};
use ladder::server::{clock, org, rulesets, scores, verify};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

fn upload(
    record: i64,
    kind: &str,
    name: &str,
    bytes: &[u8],
    cookie: &str,
    origin: &str,
) -> Request<Body> {
    crate::common::multipart(
        "/files/upload",
        &[("record_id", &record.to_string()), ("kind", kind)],
        name,
        bytes,
        cookie,
        origin,
    )
}

pub fn location(res: &axum::http::Response<Body>) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn files_of(db: &Db) -> i64 {
    ladder::on_db!(db, c => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM evidence_files")
        .fetch_one(c).await)
    .expect("count")
}

#[test]
fn evidence_files_are_checked_scoped_and_audited() {
    crate::common::run(async {
        let db = sqlite().await;
        let (a, now) = (actor(), clock::now());
        rulesets::import(&db, &a, rulesets::SHIPPED_DEFAULT, now)
            .await
            .unwrap();
        rulesets::activate(&db, &a, "shanghai-default", 2, now)
            .await
            .unwrap();
        let base = org::add_base(&db, &a, "B-1", "一号基地", "", now)
            .await
            .unwrap();
        let other = org::add_base(&db, &a, "B-2", "二号基地", "", now)
            .await
            .unwrap();
        let trainee = Grant::global(Role::Trainee).unwrap();
        let me = person_of(&db, user_with(&db, "owner", "password-1", &[trainee]).await).await;
        user_with(&db, "nosy", "password-1", &[trainee]).await;
        let admin = user_with(
            &db,
            "admin.b1",
            "password-1",
            &[Grant::new(Role::BaseAdmin, Scope::Base(base)).unwrap()],
        )
        .await;
        user_with(
            &db,
            "admin.b2",
            "password-1",
            &[Grant::new(Role::BaseAdmin, Scope::Base(other)).unwrap()],
        )
        .await;
        let mut tx = db.begin_write().await.unwrap();
        let cohort = bases::insert_cohort(
            &mut tx,
            &NewCohort {
                base_id: base,
                code: "K-1",
                name: "一期",
                level: "junior",
                starts_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            },
            now,
        )
        .await
        .unwrap();
        bases::add_member(&mut tx, cohort, me).await.unwrap();
        tx.commit().await.unwrap();
        let deal = Input::Deal(DealInput {
            contract_name: "某技术许可合同".into(),
            contract_type: "license".into(),
            registration_no: "2026310104000777".into(),
            registration_date: "2026-03-10".into(),
            registration_authority: String::new(),
            sign_date: "2026-02-20".into(),
            contract_amount: "300".into(),
            tech_transaction_amount: "280".into(),
            amount_received: "300".into(),
            seller: "甲".into(),
            buyer: "乙".into(),
            role: "lead".into(),
            share: "100".into(),
            dispute: false,
        });
        let record = records::add(&db, &a, me, &deal, now).await.unwrap();

        let settings = Settings {
            max_evidence_mib: 1,
            ..Settings::default()
        };
        let app = app(db.clone(), settings);
        let owner = sign_in(&app, "owner", "password-1").await;
        let same = format!("http://{HOST}");

        // A text file named .pdf, an empty file, an oversized file: refused, nothing stored.
        let res = send(
            &app,
            upload(
                record,
                "contract",
                "合同.pdf",
                b"not really a pdf",
                &owner,
                &same,
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(location(&res).contains("file=type"), "{}", location(&res));
        let big = [PDF, &vec![b'x'; 1024 * 1024 + 10][..]].concat();
        let res = send(
            &app,
            upload(record, "contract", "big.pdf", &big, &owner, &same),
        )
        .await;
        assert!(
            location(&res).contains("file=too_large"),
            "{}",
            location(&res)
        );
        // Past what the route takes at all (the largest file and the form around it): 413 and
        // the app's own page in the page's language, whether the body's length was declared
        // or it came without one (chunked), before anything is read or stored.
        let huge = [PDF, &vec![b'x'; 2 * 1024 * 1024][..]].concat();
        for (declared, lang) in [(false, "zh-CN"), (true, "en")] {
            let cookie = format!("{owner}; ladder_lang={lang}");
            let mut req = upload(record, "contract", "huge.pdf", &huge, &cookie, &same);
            req.headers_mut().insert(
                header::REFERER,
                format!("http://{HOST}/records").parse().unwrap(),
            );
            if declared {
                use axum::body::HttpBody;
                let n = req.body().size_hint().exact().unwrap();
                req.headers_mut()
                    .insert(header::CONTENT_LENGTH, n.to_string().parse().unwrap());
            }
            let res = send(&app, req).await;
            assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
            let page = crate::common::body_text(res).await;
            assert!(page.contains(&format!("<html lang=\"{lang}\"")), "{page}");
            let message = if declared {
                "larger than allowed (at most 1 MB)"
            } else {
                "超过了允许的大小（最多 1 MB）"
            };
            assert!(page.contains(message), "{page}");
            assert!(page.contains("href=\"/records\""), "{page}");
        }
        let res = send(
            &app,
            upload(record, "contract", "x.pdf", b"", &owner, &same),
        )
        .await;
        assert!(location(&res).contains("file=missing"));
        // From another site: refused before anything runs.
        let res = send(
            &app,
            upload(
                record,
                "contract",
                "合同.pdf",
                PDF,
                &owner,
                "http://evil.example",
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(files_of(&db).await, 0);

        // Before the contract is attached, the verified deal earns no deal points.
        verify::decide(
            &db,
            &a,
            record,
            &verify::Decision::Verify,
            |b| b == base,
            now,
        )
        .await
        .unwrap();
        let without = scores::refresh(&db, me, now).await.unwrap().unwrap();
        // A verified record takes no new files.
        let res = send(
            &app,
            upload(record, "contract", "合同.pdf", PDF, &owner, &same),
        )
        .await;
        assert!(location(&res).contains("file=state"));
        assert_eq!(files_of(&db).await, 0);

        let second = records::add(
            &db,
            &a,
            me,
            &Input::Deal(DealInput {
                registration_no: "2026310104000778".into(),
                ..match deal {
                    Input::Deal(d) => d,
                    _ => unreachable!(),
                }
            }),
            now,
        )
        .await
        .unwrap();
        let res = send(
            &app,
            upload(second, "contract", "合同.pdf", PDF, &owner, &same),
        )
        .await;
        assert!(location(&res).contains("file=ok"), "{}", location(&res));
        let res = send(
            &app,
            upload(second, "payment", "到账.png", PNG, &owner, &same),
        )
        .await;
        assert!(location(&res).contains("file=ok"));
        assert_eq!(files_of(&db).await, 2);
        verify::decide(
            &db,
            &a,
            second,
            &verify::Decision::Verify,
            |b| b == base,
            now,
        )
        .await
        .unwrap();
        let with = scores::refresh(&db, me, now).await.unwrap().unwrap();
        assert!(with.total > without.total, "the documented deal counts");

        let file: i64 = ladder::on_db!(&db, c => sqlx::query_scalar::<_, i64>(
            "SELECT id FROM evidence_files WHERE kind = 'contract'").fetch_one(c).await)
        .unwrap();
        let downloads = || async {
            ladder::on_db!(&db, c => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'evidence.download'").fetch_one(c).await).unwrap()
        };
        // The owner reads it, unaudited; the type comes from the content.
        let res = send(&app, get(&format!("/files/{file}"), Some(&owner))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
        assert!(
            res.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        assert_eq!(downloads().await, 0);
        // Another trainee and another base's admin: "not found". Anonymous: 401.
        for who in ["nosy", "admin.b2"] {
            let cookie = sign_in(&app, who, "password-1").await;
            let res = send(&app, get(&format!("/files/{file}"), Some(&cookie))).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}");
        }
        let res = send(&app, get(&format!("/files/{file}"), None)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(downloads().await, 0);
        // The verifying base's admin reads it, and that is audited with who read it.
        let cookie = sign_in(&app, "admin.b1", "password-1").await;
        let res = send(&app, get(&format!("/files/{file}"), Some(&cookie))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(downloads().await, 1);
        let reader: Option<i64> = ladder::on_db!(&db, c => sqlx::query_scalar::<_, Option<i64>>(
            "SELECT actor_user_id FROM audit_log WHERE action = 'evidence.download'").fetch_one(c).await).unwrap();
        assert_eq!(reader, Some(admin));
    });
}
