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
