//! A realistic demo data set: one training base with three cohorts (one awaiting its roster import), a few dozen trainees from
//! Shanghai units, and the senior-title committee with its chair, secretary and reviewers.
//! Loaded in one transaction, only into an empty database.

use super::password;
use crate::api::AppError;
use crate::db::audit::{self, Actor, Change};
use crate::db::bases::{self, NewCohort};
use crate::db::people::{self, NewPerson, NewUser};
use crate::db::{Db, committees};
use crate::domain::id_number::compose;
use crate::domain::role::{Grant, Role, Scope};
use chrono::{DateTime, NaiveDate, Utc};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ladder-demo";

pub const BASE_CODE: &str = "SH-XH-01";
pub const COMMITTEE_CODE: &str = "SH-ECON-TT";

const UNITS: [&str; 8] = [
    "上海交通大学先进产业技术研究院",
    "复旦大学科技成果转移转化办公室",
    "同济大学技术转移中心",
    "中国科学院上海有机化学研究所",
    "上海微技术工业研究院",
    "上海联合产权交易所",
    "上海张江高科技园区开发股份有限公司",
    "上海市科学技术委员会",
];

const SURNAMES: [&str; 20] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "晓东",
];

/// A demo account as printed at start-up.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: &'static str,
    pub name: &'static str,
    pub role: Role,
}

pub const ACCOUNTS: [DemoAccount; 11] = [
    DemoAccount {
        username: "admin",
        name: "系统管理员",
        role: Role::SysAdmin,
    },
    DemoAccount {
        username: "authority",
        name: "陈晓东",
        role: Role::ProgramAuthority,
    },
    DemoAccount {
        username: "auditor",
        name: "刘颖",
        role: Role::Auditor,
    },
    DemoAccount {
        username: "baseadmin",
        name: "赵敏",
        role: Role::BaseAdmin,
    },
    DemoAccount {
        username: "instructor",
        name: "孙立平",
        role: Role::Instructor,
    },
    DemoAccount {
        username: "unitreviewer",
        name: "周丽华",
        role: Role::UnitReviewer,
    },
    DemoAccount {
        username: "secretary",
        name: "吴志强",
        role: Role::Secretary,
    },
    DemoAccount {
        username: "chair",
        name: "郑国华",
        role: Role::Chair,
    },
    DemoAccount {
        username: "reviewer",
        name: "马建华",
        role: Role::Reviewer,
    },
    DemoAccount {
        username: "trainee",
        name: "张伟",
        role: Role::Trainee,
    },
    DemoAccount {
        username: "hrss",
        name: "黄建国",
        role: Role::Hrss,
    },
];

/// The demo base's catalog: (code, title, module, level, 学时, theory/practicum, instructor).
#[allow(clippy::type_complexity)]
const COURSES: [(&str, &str, &str, &str, i64, &str, &str); 10] = [
    (
        "JR-PK-01",
        "技术转移概论",
        "public_knowledge",
        "junior",
        8,
        "theory",
        "王建国",
    ),
    (
        "JR-PK-02",
        "科技成果转化基础知识",
        "public_knowledge",
        "junior",
        8,
        "theory",
        "李明",
    ),
    (
        "JR-PL-01",
        "促进科技成果转化法解读",
        "policy_law",
        "junior",
        8,
        "theory",
        "陈静",
    ),
    (
        "JR-PL-02",
        "技术合同与知识产权基础",
        "policy_law",
        "junior",
        8,
        "theory",
        "周婷",
    ),
    (
        "JR-PS-01",
        "技术交易流程与合同登记",
        "practice_skills",
        "junior",
        8,
        "theory",
        "吴磊",
    ),
    (
        "JR-PS-02",
        "技术经纪实务实训",
        "practice_skills",
        "junior",
        8,
        "practicum",
        "吴磊",
    ),
    (
        "IM-CP-01",
        "技术评估与作价",
        "capability",
        "intermediate",
        8,
        "theory",
        "王建国",
    ),
    (
        "IM-CP-02",
        "技术商业化路径设计",
        "capability",
        "intermediate",
        8,
        "theory",
        "李明",
    ),
    (
        "IM-PS-01",
        "技术交易谈判实训",
        "practice_skills",
        "intermediate",
        16,
        "practicum",
        "吴磊",
    ),
    (
        "SR-CP-01",
        "科技金融与投融资对接",
        "capability",
        "senior",
        16,
        "theory",
        "陈静",
    ),
];

/// Whether the database already holds data (then the demo is not loaded).
pub async fn is_empty(db: &Db) -> Result<bool, AppError> {
    Ok(crate::db::stats::active_users(db).await? == 0
        && crate::db::stats::bases_and_cohorts(db).await?.0 == 0)
}

/// The `n`-th unit in turn, never the first: the demo candidates work there, and the whole
/// committee votes on them, so no member may share their employer.
fn outside_candidates(units: &[i64], n: usize) -> i64 {
    let u = units[n % units.len()];
    if u == units[0] {
        units[units.len() - 1]
    } else {
        u
    }
}

fn person(i: usize, unit_id: Option<i64>) -> NewPerson {
    let name = format!(
        "{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(i * 7 + 3) % GIVEN.len()]
    );
    let birth = NaiveDate::from_ymd_opt(
        1970 + (i % 28) as i32,
        1 + (i % 12) as u32,
        1 + (i % 28) as u32,
    )
    .unwrap_or_default();
    let id = compose("310104", birth, 100 + i as u16);
    NewPerson {
        name,
        gender: id
            .as_ref()
            .map(|id| if id.is_male() { "male" } else { "female" }),
        id_number: id.map(|id| id.as_str().to_string()),
        phone: Some(format!("139{:08}", 16_000_000 + i * 7919)),
        email: None,
        unit_id,
    }
}

/// Loads the demo set. Returns false (and writes nothing) when the database is not empty.
pub async fn load(db: &Db, at: DateTime<Utc>) -> Result<bool, AppError> {
    if !is_empty(db).await? {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    let mut unit_ids = Vec::new();
    for name in UNITS {
        unit_ids.push(people::insert_unit(&mut tx, name, at).await?);
    }
    let base = bases::insert_base(
        &mut tx,
        BASE_CODE,
        "上海市技术转移实训基地（徐汇）",
        "上海市徐汇区",
        at,
    )
    .await?;
    for (code, title, module, level, hours, kind, instructor) in COURSES {
        crate::db::courses::insert(
            &mut tx,
            &crate::db::courses::NewCourse {
                base_id: base,
                code,
                title,
                module,
                level,
                hours: hours * 100,
                kind,
                instructor,
            },
            at,
        )
        .await?;
    }
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    let junior = bases::insert_cohort(
        &mut tx,
        &NewCohort {
            base_id: base,
            code: "2026-SH-JR-01",
            name: "2026年初级技术经纪人培训班（第一期）",
            level: "junior",
            starts_on: d(2026, 9, 7),
            ends_on: d(2026, 12, 25),
        },
        at,
    )
    .await?;
    let intermediate = bases::insert_cohort(
        &mut tx,
        &NewCohort {
            base_id: base,
            code: "2025-SH-IM-02",
            name: "2025年中级技术经纪人培训班（第二期）",
            level: "intermediate",
            starts_on: d(2025, 10, 13),
            ends_on: d(2026, 1, 16),
        },
        at,
    )
    .await?;
    // The shared sample roster's cohort (roster-2024-junior-class3.xlsx), still empty, so a
    // clerk can import that file as it is.
    bases::insert_cohort(
        &mut tx,
        &NewCohort {
            base_id: base,
            code: "2024-SH-JR-03",
            name: "2024年初级技术经纪人培训班（第三期）",
            level: "junior",
            starts_on: d(2024, 9, 2),
            ends_on: d(2024, 12, 20),
        },
        at,
    )
    .await?;
    let committee = committees::insert_committee(
        &mut tx,
        COMMITTEE_CODE,
        "上海市经济系列科技成果转移转化高级职称评审委员会",
        "经济系列",
        "科技成果转移转化",
        at,
    )
    .await?;

    let hash = password::hash(DEMO_PASSWORD);
    let login = async |tx: &mut crate::db::Tx,
                       username: &str,
                       p: NewPerson,
                       grants: &[Grant]|
           -> Result<i64, AppError> {
        let person_id = people::insert_person(tx, &p, at).await?;
        let user_id = people::insert_user(
            tx,
            &NewUser {
                person_id,
                username,
                email: None,
                password_hash: &hash,
                must_change_password: false,
            },
            at,
        )
        .await?;
        for g in grants {
            people::add_grant(tx, user_id, *g, at).await?;
        }
        Ok(person_id)
    };
    let g = |role, scope| Grant::new(role, scope).map_err(|_| AppError::Internal);
    for (i, acc) in ACCOUNTS.iter().enumerate() {
        let scope = match acc.role.scope_kind() {
            crate::domain::role::ScopeKind::Global => Scope::Global,
            crate::domain::role::ScopeKind::Base => Scope::Base(base),
            crate::domain::role::ScopeKind::Unit => Scope::Unit(unit_ids[0]),
            crate::domain::role::ScopeKind::Committee => Scope::Committee(committee),
        };
        let mut p = person(200 + i, Some(unit_ids[(i + 1) % unit_ids.len()]));
        if acc.role.scope_kind() == crate::domain::role::ScopeKind::Committee {
            p.unit_id = Some(outside_candidates(&unit_ids, i + 1));
        }
        p.name = acc.name.to_string();
        // The trainee works where the unit reviewer does, so their title application has a
        // unit to approve it.
        if matches!(acc.role, Role::UnitReviewer | Role::Trainee) {
            p.unit_id = Some(unit_ids[0]);
        }
        let person_id = login(&mut tx, acc.username, p, &[g(acc.role, scope)?]).await?;
        if acc.role == Role::Trainee {
            bases::add_member(&mut tx, junior, person_id).await?;
        }
    }
    // Eleven more reviewers: with the chair, thirteen members — a committee built by specialty
    // needs at least 11, and an odd number.
    for n in 2..=12 {
        let username = format!("reviewer{n:02}");
        let p = person(300 + n, Some(outside_candidates(&unit_ids, n)));
        login(
            &mut tx,
            &username,
            p,
            &[g(Role::Reviewer, Scope::Committee(committee))?],
        )
        .await?;
    }
    // Three technology managers applying for the senior title, from the unit whose reviewer
    // is a demo account (demo_review gives them their profiles, records and applications).
    for (n, (username, name)) in super::demo_review::CANDIDATES.iter().enumerate() {
        let mut p = person(400 + n, Some(unit_ids[0]));
        p.name = name.to_string();
        let person_id = login(&mut tx, username, p, &[g(Role::Trainee, Scope::Global)?]).await?;
        bases::add_member(&mut tx, intermediate, person_id).await?;
    }
    // Trainees from the roster: people without a login, as a roster import creates them.
    for i in 0..35 {
        let person_id =
            people::insert_person(&mut tx, &person(i, Some(unit_ids[i % 7])), at).await?;
        bases::add_member(&mut tx, junior, person_id).await?;
    }
    for i in 40..52 {
        let person_id =
            people::insert_person(&mut tx, &person(i, Some(unit_ids[i % 7])), at).await?;
        bases::add_member(&mut tx, intermediate, person_id).await?;
    }
    audit::append(
        &mut tx,
        at,
        &Actor::system("demo"),
        Change {
            action: "demo.load",
            entity_type: "installation",
            entity_id: "demo".into(),
            before: None,
            after: Some(format!(
                "base={BASE_CODE}; committee={COMMITTEE_CODE}; trainees=51"
            )),
        },
    )
    .await?;
    tx.commit().await?;
    // The shipped default rubric, active, so scores and the rulesets page have a version.
    let actor = Actor::system("demo");
    let stored =
        crate::server::rulesets::import(db, &actor, crate::server::rulesets::SHIPPED_DEFAULT, at)
            .await
            .map_err(|_| AppError::Internal)?;
    let (code, version) = (stored.0.id, i32::try_from(stored.0.version).unwrap_or(1));
    crate::server::rulesets::activate(db, &actor, &code, version, at)
        .await
        .map_err(|_| AppError::Internal)?;
    super::demo_records::load(db, "2026-SH-JR-01", at).await?;
    super::demo_review::load(db, at).await?;
    Ok(true)
}

/// The demo accounts, as `ladder serve --demo` and `ladder demo` print them.
pub fn print_accounts() {
    println!();
    println!("Demo accounts (password: {DEMO_PASSWORD}):");
    for a in &ACCOUNTS {
        println!("  {:<14} {:<8} {}", a.username, a.name, a.role);
    }
    println!("  reviewer02 … reviewer12 (committee reviewers)");
    println!("  candidate1 … candidate3 (senior-title applicants)");
    println!();
}
