//! The demo's senior-title review: the 2026 working-day calendar, this year's session of the
//! demo committee with its window open, and three technology managers whose applications
//! have been through their unit's public notice and wait for the secretariat. Two meet the
//! conditions; one obtained the intermediate title too recently. They were entered through the
//! same services people use, three weeks back (their records, application and notice), so the
//! calendar moves them on as it would have.

use super::records::{self, CeInput, DealInput, Input};
use super::review::{applications, clock, parse_calendar, sessions};
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::Actor;
use crate::db::people;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// Demo applicants: login and name.
pub const CANDIDATES: [(&str, &str); 3] = [
    ("candidate1", "陈晓明"),
    ("candidate2", "林静"),
    ("candidate3", "赵强"),
];

/// The demo session's code.
pub const SESSION_CODE: &str = "2026-SH-TT";

struct Profile {
    education: (&'static str, &'static str, &'static str, &'static str),
    intermediate_on: &'static str,
    hukou: bool,
    deal: (&'static str, &'static str, &'static str, &'static str),
    /// The licensee: 陈晓明's is the employer of one panel reviewer (a conflict to find).
    buyer: &'static str,
}

const PROFILES: [Profile; 3] = [
    Profile {
        education: ("master", "上海交通大学", "管理科学与工程", "2008-06-30"),
        intermediate_on: "2016-11-20",
        hukou: true,
        deal: (
            "2025310104000311",
            "一种高通量蛋白表达平台技术转让",
            "800",
            "lead",
        ),
        buyer: "上海微技术工业研究院",
    },
    Profile {
        education: ("bachelor", "华东师范大学", "经济学", "2010-07-01"),
        intermediate_on: "2018-11-25",
        hukou: false,
        deal: (
            "2025310104000312",
            "智能检测传感器专利许可",
            "120",
            "participant",
        ),
        buyer: "上海某科技有限公司",
    },
    Profile {
        education: ("bachelor", "上海大学", "材料科学与工程", "2015-07-01"),
        intermediate_on: "2023-11-19",
        hukou: true,
        deal: ("2025310104000313", "环保涂料配方技术开发", "60", "lead"),
        buyer: "上海某环保科技有限公司",
    },
];

fn fail<E: std::fmt::Debug>(what: &'static str) -> impl Fn(E) -> AppError {
    move |e| {
        tracing::error!(error = ?e, "demo review: {what}");
        AppError::Internal
    }
}

pub async fn load(db: &Db, at: DateTime<Utc>) -> Result<(), AppError> {
    let today = super::clock::china_date(at);
    let cal = parse_calendar(super::review::CALENDAR_2026).map_err(fail("calendar"))?;
    let system = Actor::system("demo");
    super::review::store_calendar(db, &system, &cal, at).await?;
    let secretary = people::user_by_login(db, "secretary")
        .await?
        .ok_or(AppError::Internal)?;
    let committee =
        crate::db::committees::list_committees(db, &crate::domain::access::Visibility::All)
            .await?
            .into_iter()
            .find(|k| k.code == super::demo::COMMITTEE_CODE)
            .ok_or(AppError::Internal)?;
    let rules = super::review::default_rules()?;
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let applies_to = today + Duration::days(15);
    let session = sessions::create(
        db,
        &Actor {
            user_id: Some(secretary.id),
            label: secretary.username.clone(),
        },
        &sessions::SessionInput {
            committee_id: committee.id,
            code: SESSION_CODE.into(),
            name: "2026年度上海市经济系列科技成果转移转化高级职称评审".into(),
            applies_from: day(-40),
            applies_to: applies_to.to_string(),
            scoring_from: day(16),
            scoring_to: day(35),
            meeting_on: day(42),
            unit_notice_days: rules.unit_notice_days.to_string(),
            result_notice_days: rules.result_notice_days.to_string(),
            min_reviewers: rules.min_reviewers.to_string(),
            conflict_years: rules.conflict_years.to_string(),
            supplement_days: rules.supplement_days.to_string(),
            // The demo's session shows the whole procedure, the defense included.
            defense: true,
        },
        at,
    )
    .await?;
    panels(db, committee.id, today, at).await?;
    let unit_reviewer = people::user_by_login(db, "unitreviewer")
        .await?
        .ok_or(AppError::Internal)?;
    let unit = Actor {
        user_id: Some(unit_reviewer.id),
        label: unit_reviewer.username.clone(),
    };
    let base_admin = people::user_by_login(db, "baseadmin")
        .await?
        .ok_or(AppError::Internal)?;
    let base = Actor {
        user_id: Some(base_admin.id),
        label: base_admin.username.clone(),
    };
    // Three weeks back: records, then the application, then the unit's approval.
    let entered = at - Duration::days(23);
    let applied = at - Duration::days(22);
    let approved = at - Duration::days(21);
    for ((username, _), p) in CANDIDATES.iter().zip(PROFILES.iter()) {
        let user = people::user_by_login(db, username)
            .await?
            .ok_or(AppError::Internal)?;
        let me = Actor {
            user_id: Some(user.id),
            label: user.username.clone(),
        };
        let person = user.person_id;
        profile(db, &me, person, p, entered).await?;
        let mut ids = Vec::new();
        // Continuing education in the two full years before the deadline.
        for year in [applies_to.year() - 1, applies_to.year() - 2] {
            let date = NaiveDate::from_ymd_opt(year, 6, 15).unwrap_or(today);
            for (category, hours, title) in [
                ("public", "30", "公需科目：数字经济与创新驱动"),
                ("professional", "64", "专业科目：技术转移实务"),
            ] {
                let input = Input::Ce(CeInput {
                    category: category.into(),
                    mode: "online".into(),
                    hours: hours.into(),
                    date: date.to_string(),
                    provider: "上海市专业技术人员继续教育平台".into(),
                    title: title.into(),
                });
                ids.push(records::add(db, &me, person, &input, entered).await?);
            }
        }
        let (reg, name, amount, role) = p.deal;
        let registered = (entered - Duration::days(200)).date_naive();
        let deal = Input::Deal(DealInput {
            contract_name: name.into(),
            contract_type: "transfer".into(),
            registration_no: reg.into(),
            registration_date: registered.to_string(),
            registration_authority: "上海市技术市场管理办公室".into(),
            sign_date: (registered - Duration::days(20)).to_string(),
            contract_amount: amount.into(),
            tech_transaction_amount: amount.into(),
            amount_received: amount.into(),
            seller: "上海交通大学".into(),
            buyer: p.buyer.into(),
            role: role.into(),
            share: "50".into(),
            dispute: false,
        });
        let deal = records::add(db, &me, person, &deal, entered).await?;
        super::files::attach(
            db,
            &me,
            person,
            deal,
            "registration",
            "技术合同登记证明.pdf",
            super::demo_records::SAMPLE_PDF.as_bytes(),
            usize::MAX,
            entered,
        )
        .await
        .map_err(fail("attach"))?;
        ids.push(deal);
        super::verify::verify_many(db, &base, &ids, |_| true, entered).await?;
        let app = applications::apply(db, &me, person, session, "", applied).await?;
        applications::unit_decide(
            db,
            &unit,
            |_| true,
            app,
            applications::UnitDecision::Approve,
            "",
            &super::clock::china_date(approved).to_string(),
            approved,
        )
        .await?;
    }
    clock::tick(db, today, at).await?;
    Ok(())
}

/// Two sub-panels of the committee's reviewers (five and seven), every member with a term
/// that covers this year's meeting.
async fn panels(
    db: &Db,
    committee: i64,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::db::panels as store;
    let members = store::members(db, committee).await?;
    let mut tx = db.begin_write().await?;
    let ops = store::insert_panel(&mut tx, committee, "P1", "技术转移运营服务组", at).await?;
    let research = store::insert_panel(&mut tx, committee, "P2", "技术转移研究组", at).await?;
    let (from, to) = (today - Duration::days(330), today + Duration::days(700));
    let first_panel = [
        "reviewer",
        "reviewer02",
        "reviewer03",
        "reviewer04",
        "reviewer05",
    ];
    for m in &members {
        let login = people::user_by_id(db, m.user_id)
            .await?
            .map(|u| u.username)
            .unwrap_or_default();
        let panel = match m.role.as_str() {
            "chair" => None,
            _ if first_panel.contains(&login.as_str()) => Some(ops),
            _ => Some(research),
        };
        store::put_term(&mut tx, committee, m.user_id, panel, from, to, at).await?;
    }
    crate::db::audit::append(
        &mut tx,
        at,
        &Actor::system("demo"),
        crate::db::audit::Change {
            action: "committee.panels",
            entity_type: "committee",
            entity_id: committee.to_string(),
            before: None,
            after: Some(format!(
                "P1, P2; {} member terms {from}..{to}",
                members.len()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn profile(
    db: &Db,
    me: &Actor,
    person: i64,
    p: &Profile,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    use super::profile::{self as pf, EducationInput, EmployerInput, LocalityInput, TitleInput};
    let (level, institution, major, graduated_on) = p.education;
    pf::add_education(
        db,
        me,
        person,
        &EducationInput {
            level: level.into(),
            institution: institution.into(),
            major: major.into(),
            graduated_on: graduated_on.into(),
        },
        at,
    )
    .await?;
    pf::add_title(
        db,
        me,
        person,
        &TitleInput {
            rank: "intermediate".into(),
            series: "经济系列 · 知识产权".into(),
            obtained_on: p.intermediate_on.into(),
            certificate_no: String::new(),
        },
        at,
    )
    .await?;
    pf::add_employer(
        db,
        me,
        person,
        &EmployerInput {
            unit_name: "上海交通大学先进产业技术研究院".into(),
            position: "技术转移经理".into(),
            from_on: "2016-03-01".into(),
            to_on: String::new(),
        },
        at,
    )
    .await?;
    pf::set_locality(
        db,
        me,
        person,
        &LocalityInput {
            hukou: p.hukou,
            residence_permit: !p.hukou,
            social_insurance_months: "24".into(),
            practice_since: "2016-03-01".into(),
        },
        at,
    )
    .await?;
    Ok(())
}
