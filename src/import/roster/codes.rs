//! Problem codes (stable: reports and scripts key on them) and the messages a clerk reads.

use super::fields::Field;
use crate::i18n::Lang;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Malformed ID number, or one Excel stored as a number.
    IdNumber,
    IdChecksum,
    IdBirthDate,
    GenderMismatch,
    DuplicateInFile,
    MissingRequired,
    BadName,
    BadGender,
    BadPhone,
    BadEmail,
    BadHours,
    BadScore,
    BadEducation,
    BadDate,
    BirthDateMismatch,
    UnknownCohort,
    /// A warning: the ID is known under another name.
    NameChanged,
    /// A warning: the person is on another base's roster or has their own account; their
    /// identity (name, gender, phone, e-mail, employer) is kept as it is.
    KnownElsewhere,
    // Attendance files.
    UnknownCourse,
    NotInCohort,
    /// An error: attendance is credited by ID number, and the names must agree.
    NameMismatch,
    BadModule,
    BadMode,
    BadAttendance,
    /// A warning: the trainee's own record of the training, still to verify, says otherwise.
    RecordDiffers,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::IdNumber => "id_number",
            Code::IdChecksum => "id_checksum",
            Code::IdBirthDate => "id_birth_date",
            Code::GenderMismatch => "gender_mismatch",
            Code::DuplicateInFile => "duplicate_in_file",
            Code::MissingRequired => "missing_required",
            Code::BadName => "bad_name",
            Code::BadGender => "bad_gender",
            Code::BadPhone => "bad_phone",
            Code::BadEmail => "bad_email",
            Code::BadHours => "bad_hours",
            Code::BadScore => "bad_score",
            Code::BadEducation => "bad_education",
            Code::BadDate => "bad_date",
            Code::BirthDateMismatch => "birth_date_mismatch",
            Code::UnknownCohort => "unknown_cohort",
            Code::NameChanged => "name_changed",
            Code::KnownElsewhere => "known_elsewhere",
            Code::UnknownCourse => "unknown_course",
            Code::NotInCohort => "not_in_cohort",
            Code::NameMismatch => "name_mismatch",
            Code::BadModule => "bad_module",
            Code::BadMode => "bad_mode",
            Code::BadAttendance => "bad_attendance",
            Code::RecordDiffers => "record_differs",
        }
    }
}

/// What a message needs besides its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Detail {
    None,
    /// An ID number Excel turned into a number; how it shows now.
    IdStoredAsNumber {
        shown: String,
    },
    IdLength {
        found: usize,
    },
    IdCharacters,
    IdRegion,
    IdChecksum {
        expected: char,
        found: char,
    },
    IdBirthDate {
        digits: String,
    },
    /// The ID's sequence digit says the other gender.
    Gender {
        by_id_male: bool,
    },
    DuplicateOf {
        row: u32,
    },
    Missing {
        field: Field,
    },
    /// The value as read.
    Value {
        value: String,
    },
    HoursTotal {
        theory: String,
        practicum: String,
        total: String,
    },
    Cohort {
        code: String,
    },
    /// Another base's cohort.
    CohortOfOtherBase {
        code: String,
    },
    NoCohort,
    Names {
        stored: String,
        file: String,
    },
    /// The identity values the file has and the record keeps, each masked.
    KeptAsIs {
        /// The person on record (for a correction request; not in the report).
        #[serde(skip)]
        person: Option<i64>,
        /// They have their own account, so a request can go to them.
        #[serde(skip)]
        has_account: bool,
        differences: Vec<Kept>,
    },
    /// The same person and course (or dated training) as an earlier row.
    DuplicateAttendance {
        row: u32,
    },
    /// No such course in the base's catalog.
    Course {
        code: String,
    },
    /// The hours exceed the catalog course's.
    CourseHours {
        code: String,
        hours: String,
    },
    /// The person is not on the cohort's roster.
    NotMember {
        cohort: String,
    },
    /// The ID number belongs to someone of another name.
    OtherName {
        stored: String,
        file: String,
    },
    /// Attendance is recorded after the fact.
    FutureDate {
        value: String,
    },
    /// A catalog course without a date in the file nor a single session in the timetable.
    NoSessionDate {
        code: String,
    },
    /// Hours required for training that is not a catalog course.
    NoCourse,
    /// The trainee's own record, still to verify, has other hours or a pending correction.
    OwnRecord {
        hours: String,
    },
}

/// One identity value a file would have changed on a person another base or the person
/// themselves answers for: what is on record and what the file says, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Kept {
    pub field: Field,
    pub stored: String,
    pub file: String,
}

/// One problem in one row: where, what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Excel's row number (1-based).
    pub row: u32,
    /// Excel's column letter, when the problem is in one cell.
    pub column: Option<String>,
    pub field: Option<Field>,
    pub code: Code,
    pub detail: Detail,
}

impl Issue {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let f = |field: Field| field.label(lang);
        match (&self.detail, zh) {
            (Detail::IdStoredAsNumber { shown }, true) => format!(
                "身份证号被 Excel 存成了数字（{shown}），第 15 位以后的数字已经丢失。请把该列设为“文本”格式，再重新录入这个号码。"
            ),
            (Detail::IdStoredAsNumber { shown }, false) => format!(
                "Excel stored this ID number as a number ({shown}) and lost every digit after the 15th. Format the column as Text and type the number again."
            ),
            (Detail::IdLength { found }, true) => {
                format!("身份证号应为 18 位（旧号 15 位），这里是 {found} 位。")
            }
            (Detail::IdLength { found }, false) => {
                format!(
                    "An ID number has 18 characters (15 for the old form); this one has {found}."
                )
            }
            (Detail::IdCharacters, true) => "身份证号只能是数字，最后一位可以是 X。".into(),
            (Detail::IdCharacters, false) => {
                "An ID number holds digits only, with X allowed as the last character.".into()
            }
            (Detail::IdRegion, true) => "身份证号的地址码不能以 0 开头。".into(),
            (Detail::IdRegion, false) => "The ID number's address code cannot start with 0.".into(),
            (Detail::IdChecksum { expected, found }, true) => format!(
                "身份证号校验位不对：按前 17 位应为 {expected}，这里是 {found}。请核对号码。"
            ),
            (Detail::IdChecksum { expected, found }, false) => format!(
                "Wrong check character: the first 17 digits give {expected}, not {found}. Check the number."
            ),
            (Detail::IdBirthDate { digits }, true) => {
                format!("身份证号中的出生日期 {digits} 不是有效日期。")
            }
            (Detail::IdBirthDate { digits }, false) => {
                format!("The birth date {digits} inside the ID number is not a real date.")
            }
            (Detail::Gender { by_id_male }, true) => format!(
                "性别与身份证号不符：按身份证号第 17 位应为{}。",
                if *by_id_male { "男" } else { "女" }
            ),
            (Detail::Gender { by_id_male }, false) => format!(
                "Gender contradicts the ID number: its 17th digit says {}.",
                if *by_id_male { "male" } else { "female" }
            ),
            (Detail::DuplicateOf { row }, true) => {
                format!("与第 {row} 行是同一人同一班次，重复的行不导入。")
            }
            (Detail::DuplicateOf { row }, false) => {
                format!("Same person and cohort as row {row}; the repeat is not imported.")
            }
            (Detail::Missing { field }, true) => format!("缺少必填项“{}”。", f(*field)),
            (Detail::Missing { field }, false) => format!("{} is required.", f(*field)),
            (Detail::Value { value }, _) => self.bad_value(value, lang),
            (
                Detail::HoursTotal {
                    theory,
                    practicum,
                    total,
                },
                true,
            ) => format!("总学时 {total} 不等于理论学时 {theory} 加实训学时 {practicum}。"),
            (
                Detail::HoursTotal {
                    theory,
                    practicum,
                    total,
                },
                false,
            ) => format!("Total hours {total} is not theory {theory} plus practicum {practicum}."),
            (Detail::Cohort { code }, true) => {
                format!("培训班次“{code}”不存在。请先在“培训班次”中建好，或改正编号。")
            }
            (Detail::Cohort { code }, false) => {
                format!(
                    "There is no cohort “{code}”. Create it under Cohorts first, or correct the code."
                )
            }
            (Detail::CohortOfOtherBase { code }, true) => {
                format!("培训班次“{code}”属于其他培训基地，不能导入到本基地。")
            }
            (Detail::CohortOfOtherBase { code }, false) => {
                format!("Cohort “{code}” belongs to another training base.")
            }
            (Detail::NoCohort, true) => {
                "没有培训班次：请在文件中加“培训班次”列，或导入时选择班次。".into()
            }
            (Detail::NoCohort, false) => {
                "No cohort: add a 培训班次 (cohort) column, or choose the cohort when importing."
                    .into()
            }
            (Detail::Names { stored, file }, true) => format!(
                "该身份证号已登记的姓名是“{stored}”，文件中是“{file}”；导入后将改为“{file}”。"
            ),
            (Detail::Names { stored, file }, false) => format!(
                "This ID number is on record as “{stored}”; the file says “{file}”, which will replace it."
            ),
            (Detail::KeptAsIs { differences, .. }, true) => format!(
                "此人已在其他培训基地的名单上或有自己的账号：身份信息保持不变（{}）。培训记录照常导入。如需更正，可向本人或系统管理员发送更正请求。",
                differences
                    .iter()
                    .map(|k| format!("{}：已登记“{}”，文件为“{}”", f(k.field), k.stored, k.file))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            (Detail::KeptAsIs { differences, .. }, false) => format!(
                "Known elsewhere (on another base's roster, or with their own account): their identity is kept as it is ({}). The cohort membership is imported as usual. To have it corrected, send the person or a system admin a correction request.",
                differences
                    .iter()
                    .map(|k| format!(
                        "{}: on record “{}”, file “{}”",
                        f(k.field),
                        k.stored,
                        k.file
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            (Detail::DuplicateAttendance { row }, true) => {
                format!("与第 {row} 行是同一人同一课程（或同一天的同一培训），重复的行不导入。")
            }
            (Detail::DuplicateAttendance { row }, false) => format!(
                "Same person and course (or the same training on the same day) as row {row}; the repeat is not imported."
            ),
            (Detail::Course { code }, true) => format!(
                "课程编号“{code}”不在本基地的课程体系中。请先在“课程体系”中添加，或改正编号。"
            ),
            (Detail::Course { code }, false) => format!(
                "There is no course “{code}” in this base's catalog. Add it under Courses first, or correct the code."
            ),
            (Detail::CourseHours { code, hours }, true) => {
                format!("学时超过了课程“{code}”的 {hours} 学时。")
            }
            (Detail::CourseHours { code, hours }, false) => {
                format!("More hours than the {hours} of course “{code}”.")
            }
            (Detail::NotMember { cohort }, true) => {
                format!("此人不在培训班次“{cohort}”的名单中。请先导入名单，或核对身份证号。")
            }
            (Detail::NotMember { cohort }, false) => format!(
                "This person is not on the roster of cohort “{cohort}”. Import the roster first, or check the ID number."
            ),
            (Detail::OtherName { stored, file }, true) => format!(
                "该身份证号在名单中的姓名是“{stored}”，文件中是“{file}”。学时按身份证号记入，请核对是否填错。"
            ),
            (Detail::OtherName { stored, file }, false) => format!(
                "This ID number is on the roster as “{stored}”, the file says “{file}”. Hours are credited by ID number: check which is right."
            ),
            (Detail::FutureDate { value }, true) => {
                format!("上课日期 {value} 还没到：考勤只能在上课之后登记。")
            }
            (Detail::FutureDate { value }, false) => {
                format!("The date {value} is still to come: attendance is recorded afterwards.")
            }
            (Detail::NoSessionDate { code }, true) => format!(
                "课程“{code}”缺少上课日期：请加“上课日期”列，或先在班次课表中排好这门课（只排一次）。"
            ),
            (Detail::NoSessionDate { code }, false) => format!(
                "No date for course “{code}”: add a 上课日期 (date) column, or schedule the course once in the cohort's timetable."
            ),
            (Detail::NoCourse, true) => "没有课程编号时，须填写上课日期、模块和学时。".into(),
            (Detail::NoCourse, false) => {
                "Without a course code, the date, module and hours are required.".into()
            }
            (Detail::OwnRecord { hours }, true) => format!(
                "学员已自行登记这门课（{hours} 学时），尚待核验，与本行不同：未作改动，请在“审核”中处理。"
            ),
            (Detail::OwnRecord { hours }, false) => format!(
                "The trainee logged this training (hours {hours}), still unverified, and it differs from this row: left as it is; decide it in the verification queue."
            ),
            (Detail::None, _) => self.code.as_str().to_string(),
        }
    }

    fn bad_value(&self, value: &str, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let what = match (self.code, zh) {
            (Code::BadName, true) => "姓名应为 2–30 个字，可含间隔号“·”",
            (Code::BadName, false) => "a name has 2–30 characters (“·” allowed)",
            (Code::BadGender, true) => "性别应填“男”或“女”",
            (Code::BadGender, false) => "gender is 男 or 女 (male or female)",
            (Code::BadPhone, true) => "手机号应为 11 位、以 1 开头（座机请带区号）",
            (Code::BadPhone, false) => {
                "a mobile number has 11 digits starting with 1 (landlines need the area code)"
            }
            (Code::BadEmail, true) => "邮箱格式不对",
            (Code::BadEmail, false) => "this is not an e-mail address",
            (Code::BadHours, true) => "学时应为不小于 0 的数字，如 32 或 32学时",
            (Code::BadHours, false) => "hours are a number of at least 0, such as 32 or 32学时",
            (Code::BadScore, true) => "成绩应为 0–100 的数字，或 合格/不合格/缺考",
            (Code::BadScore, false) => "a score is 0–100, or 合格/不合格/缺考 (pass/fail/absent)",
            (Code::BadEducation, true) => {
                "学历应为 博士研究生、硕士研究生、大学本科、大学专科 或 其他"
            }
            (Code::BadEducation, false) => {
                "education is 博士研究生, 硕士研究生, 大学本科, 大学专科 or 其他"
            }
            (Code::BadDate, true) => "日期格式不对，应如 1985-03-21",
            (Code::BadDate, false) => "not a date; write it like 1985-03-21",
            (Code::BadModule, true) => "模块应为 公共知识、政策法规、实务技能 或 能力提升",
            (Code::BadModule, false) => {
                "the module is 公共知识, 政策法规, 实务技能 or 能力提升 (public knowledge, policy and law, practice skills, capability)"
            }
            (Code::BadMode, true) => "形式应为 线下、线上、实训、会议 或 自学",
            (Code::BadMode, false) => {
                "the mode is 线下, 线上, 实训, 会议 or 自学 (on site, online, practicum, conference, self-study)"
            }
            (Code::BadAttendance, true) => "出勤应填 是/否、√/×、出勤/缺勤 或 请假",
            (Code::BadAttendance, false) => {
                "attendance is 是/否 (yes/no), √/×, 出勤/缺勤 (present/absent) or 请假 (excused)"
            }
            (Code::BirthDateMismatch, true) => "出生日期与身份证号中的出生日期不一致",
            (Code::BirthDateMismatch, false) => {
                "the date of birth differs from the one inside the ID number"
            }
            (_, true) => "取值不对",
            (_, false) => "invalid value",
        };
        // Contact details are personal data: the clerk sees the cell, the report does not repeat it.
        if matches!(self.code, Code::BadPhone | Code::BadEmail) {
            let mut w = what.to_string();
            w.push(if zh { '。' } else { '.' });
            if let Some(first) = w.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            return w;
        }
        if zh {
            format!("“{value}”：{what}。")
        } else {
            format!("“{value}”: {what}.")
        }
    }
}
