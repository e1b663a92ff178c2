//! The demo trainee's records, entered and decided through the same services people use: a
//! cohort's coursework (mostly verified, one awaiting the base), continuing education over
//! two years, a registered technology licence, and one rejected entry with its reason. Dates
//! count back from the day the demo is loaded, so the records always fall in the window.

use super::records::{self, CeInput, DealInput, Input, TrainingInput};
use super::verify::{self, Decision};
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::Actor;
use crate::db::people;
use chrono::{DateTime, Duration, Utc};

fn course(code: &str, cohort: &str, date: String) -> Input {
    Input::Training(TrainingInput {
        course_code: code.into(),
        cohort_code: cohort.into(),
        date,
        ..TrainingInput::default()
    })
}

fn ce(category: &str, hours: &str, date: String, title: &str, provider: &str) -> Input {
    Input::Ce(CeInput {
        category: category.into(),
        mode: "online".into(),
        hours: hours.into(),
        date,
        provider: provider.into(),
        title: title.into(),
    })
}

/// A one-page PDF standing in for a registration certificate.
pub(crate) const SAMPLE_PDF: &str = "%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R
   /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 84 >> stream
BT /F1 18 Tf 72 760 Td (Ladder demo: technology contract registration, sample) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

/// Seeds the demo trainee's records (`cohort` is the trainee's cohort code).
pub async fn load(db: &Db, cohort: &str, at: DateTime<Utc>) -> Result<(), AppError> {
    let user = |name: &'static str| async move {
        people::user_by_login(db, name)
            .await?
            .ok_or(AppError::Internal)
    };
    let trainee = user("trainee").await?;
    let admin = user("baseadmin").await?;
    let me = Actor {
        user_id: Some(trainee.id),
        label: trainee.username.clone(),
    };
    let base = Actor {
        user_id: Some(admin.id),
        label: admin.username.clone(),
    };
    let today = super::clock::china_date(at);
    let ago = |days: i64| (today - Duration::days(days)).to_string();
    let person = trainee.person_id;
    let add = async |input: Input| records::add(db, &me, person, &input, at).await;
    let mut verified = Vec::new();
    for (code, days) in [
        ("JR-PK-01", 70),
        ("JR-PK-02", 63),
        ("JR-PL-01", 56),
        ("JR-PL-02", 49),
        ("JR-PS-01", 42),
    ] {
        verified.push(add(course(code, cohort, ago(days))).await?);
    }
    // The latest session waits for the base (the verification queue shows it).
    add(course("JR-PS-02", cohort, ago(7))).await?;
    for (category, hours, days, title, provider) in [
        (
            "public",
            "30",
            400,
            "公需科目：数字经济与创新驱动",
            "上海市专业技术人员继续教育平台",
        ),
        (
            "professional",
            "64",
            380,
            "专业科目：技术转移实务",
            "上海技术交易所",
        ),
        (
            "public",
            "30",
            40,
            "公需科目：科技伦理与科研诚信",
            "上海市专业技术人员继续教育平台",
        ),
        (
            "professional",
            "40",
            30,
            "专业科目：知识产权运营",
            "上海市知识产权服务中心",
        ),
    ] {
        verified.push(add(ce(category, hours, ago(days), title, provider)).await?);
    }
    // A profile the rules engine can read: education and years in practice.
    super::profile::add_education(
        db,
        &me,
        person,
        &super::profile::EducationInput {
            level: "bachelor".into(),
            institution: "华东理工大学".into(),
            major: "化学工程与工艺".into(),
            graduated_on: "2009-07-01".into(),
        },
        at,
    )
    .await?;
    super::profile::set_locality(
        db,
        &me,
        person,
        &super::profile::LocalityInput {
            hukou: true,
            residence_permit: false,
            social_insurance_months: "24".into(),
            practice_since: "2016-03-01".into(),
        },
        at,
    )
    .await?;
    // Continuing education in each earlier year of the window.
    for years_back in 2..=5 {
        let day = 365 * years_back - 120;
        let professional = ce(
            "professional",
            "64",
            ago(day),
            "专业科目：技术转移实务（年度）",
            "上海技术交易所",
        );
        verified.push(add(professional).await?);
        let public = ce(
            "public",
            "30",
            ago(day + 10),
            "公需科目（年度）",
            "上海市专业技术人员继续教育平台",
        );
        verified.push(add(public).await?);
    }
    let deal = Input::Deal(DealInput {
        contract_name: "一种固态电解质制备技术普通许可".into(),
        contract_type: "license".into(),
        registration_no: "2026310104000123".into(),
        registration_date: ago(90),
        registration_authority: "上海市技术市场管理办公室".into(),
        sign_date: ago(110),
        contract_amount: "300".into(),
        tech_transaction_amount: "280".into(),
        amount_received: "150".into(),
        seller: "中国科学院上海有机化学研究所".into(),
        buyer: "上海某新材料科技有限公司".into(),
        role: "lead".into(),
        share: "60".into(),
        dispute: false,
    });
    let deal = add(deal).await?;
    super::files::attach(
        db,
        &me,
        person,
        deal,
        "registration",
        "技术合同登记证明（样例）.pdf",
        SAMPLE_PDF.as_bytes(),
        usize::MAX,
        at,
    )
    .await
    .map_err(|_| AppError::Internal)?;
    verified.push(deal);
    let rejected = add(ce(
        "professional",
        "12",
        ago(20),
        "行业沙龙：成果转化案例分享",
        "某孵化器",
    ))
    .await?;
    let all = |_: i64| true;
    verify::verify_many(db, &base, &verified, all, at).await?;
    verify::decide(
        db,
        &base,
        rejected,
        &Decision::Reject {
            reason: "请上传主办方出具的学时证明；沙龙需有签到记录才能计入专业科目。".into(),
        },
        all,
        at,
    )
    .await
}
