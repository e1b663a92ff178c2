//! Several app instances on one database: a session started on one is honoured by the other,
//! and signing out on one ends it everywhere, because sessions live in the database.

use crate::common::{app, get, global_user, post, send, sign_in};
use crate::on_both_engines;
use axum::http::StatusCode;
use ladder::db::Db;
use ladder::domain::role::Role;
use ladder::server::config::Settings;

on_both_engines!(sessions_are_shared_between_instances);

/// A second, independent connection pool to the same database, as another process would have.
async fn second_instance(db: &Db) -> Db {
    match db {
        Db::Sqlite(p) => Db::Sqlite(
            sqlx::SqlitePool::connect_with((*p.connect_options()).clone())
                .await
                .expect("second sqlite pool"),
        ),
        Db::Postgres(p) => Db::Postgres(
            sqlx::PgPool::connect_with((*p.connect_options()).clone())
                .await
                .expect("second pg pool"),
        ),
    }
}

async fn sessions_are_shared_between_instances(db: Db) {
    global_user(&db, "admin1", Role::SysAdmin).await;
    let a = app(db.clone(), Settings::default());
    let b = app(second_instance(&db).await, Settings::default());
    let cookie = sign_in(&a, "admin1", "password-1").await;
    assert_eq!(
        send(&b, get("/admin/users", Some(&cookie))).await.status(),
        StatusCode::OK
    );
    let res = send(&b, post("/api/sign_out", "", Some(&cookie))).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        send(&a, get("/admin/users", Some(&cookie))).await.status(),
        StatusCode::FOUND
    );
    // Failed sign-ins counted by one instance limit the other.
    for _ in 0..5 {
        send(
            &a,
            post("/api/sign_in", "login=admin1&password=wrong-one", None),
        )
        .await;
    }
    let res = send(
        &b,
        post("/api/sign_in", "login=admin1&password=password-1", None),
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}
