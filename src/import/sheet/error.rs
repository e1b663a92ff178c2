//! Why a file could not be read, and what the clerk can do about it, in both languages.

use crate::i18n::Lang;

/// Why a file could not be read. Each says what the clerk can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit of {limit_mib} MiB")]
    TooLarge { limit_mib: usize },
    #[error("the file is password-protected")]
    Encrypted,
    #[error("the file is damaged or incomplete")]
    Damaged,
    #[error(
        "the file is not a spreadsheet (named {name:?}, but its content is {})",
        found_en(found)
    )]
    NotASpreadsheet { name: String, found: &'static str },
    #[error("the file expands to more than the limit (decompression bomb?)")]
    Bomb,
    #[error("the sheet {sheet:?} uses row {row}, beyond the limit of {limit}")]
    TooManyRows { sheet: String, row: u32, limit: u32 },
    #[error("the sheet {sheet:?} uses column {column}, beyond the limit of {limit}")]
    TooManyColumns {
        sheet: String,
        column: String,
        limit: String,
    },
    #[error("the sheet {sheet:?} spans {cells} cells, beyond the limit of {limit}")]
    TooManyCells {
        sheet: String,
        cells: u64,
        limit: u64,
    },
    #[error("the CSV file's text encoding is not UTF-8, UTF-16 or GB18030/GBK")]
    Encoding,
    #[error("CSV line {line}: {reason}")]
    Csv { line: u64, reason: String },
    #[error("the workbook has no worksheet with data")]
    NoSheet,
}

/// What the content was found to be, in English.
fn found_en(found: &str) -> &str {
    match found {
        "binary" => "binary data, not text",
        "ZIP" => "a ZIP archive without a spreadsheet",
        other => other,
    }
}

impl SheetError {
    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            let mut s = self.to_string();
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            return format!("{s}. {}", self.advice(lang));
        }
        let what = match self {
            SheetError::Empty => "文件是空的".to_string(),
            SheetError::TooLarge { limit_mib } => format!("文件超过 {limit_mib} MiB 的上限"),
            SheetError::Encrypted => "文件设置了打开密码".to_string(),
            SheetError::Damaged => "文件已损坏或不完整".to_string(),
            SheetError::NotASpreadsheet { name, found } => {
                let found = match *found {
                    "text" => "文本",
                    "binary" => "二进制数据，不是文本",
                    "image" => "图片",
                    "ZIP" => "不含表格的 ZIP 压缩包",
                    other => other,
                };
                format!("文件“{name}”不是电子表格（实际内容：{found}）")
            }
            SheetError::Bomb => "文件解压后超过上限（疑似压缩炸弹）".to_string(),
            SheetError::TooManyRows { sheet, row, limit } => {
                format!("工作表“{sheet}”用到第 {row} 行，超过 {limit} 行的上限")
            }
            SheetError::TooManyColumns {
                sheet,
                column,
                limit,
            } => format!("工作表“{sheet}”用到 {column} 列，超过 {limit} 列的上限"),
            SheetError::TooManyCells {
                sheet,
                cells,
                limit,
            } => format!("工作表“{sheet}”的数据区域有 {cells} 个单元格，超过 {limit} 的上限"),
            SheetError::Encoding => "CSV 文件的编码不是 UTF-8、UTF-16 或 GB18030/GBK".to_string(),
            SheetError::Csv { line, reason } => format!("CSV 第 {line} 行：{reason}"),
            SheetError::NoSheet => "工作簿中没有含数据的工作表".to_string(),
        };
        format!("{what}。{}", self.advice(lang))
    }

    fn advice(&self, lang: Lang) -> &'static str {
        let zh = lang == Lang::Zh;
        match self {
            SheetError::Empty | SheetError::NoSheet => {
                if zh {
                    "请选择填好名单的文件。"
                } else {
                    "Choose the file that holds the list."
                }
            }
            SheetError::Encrypted => {
                if zh {
                    "请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存，再上传。"
                } else {
                    "Remove the password in Excel (File → Info → Protect Workbook), save, and upload again."
                }
            }
            SheetError::Damaged => {
                if zh {
                    "请在 Excel 中打开并另存为 .xlsx 后再上传。"
                } else {
                    "Open it in Excel, save it as .xlsx and upload that."
                }
            }
            SheetError::NotASpreadsheet { .. } | SheetError::Encoding => {
                if zh {
                    "请上传 .xlsx、.xls、.xlsb、.ods 或 .csv 文件。"
                } else {
                    "Upload an .xlsx, .xls, .xlsb, .ods or .csv file."
                }
            }
            SheetError::TooLarge { .. }
            | SheetError::Bomb
            | SheetError::TooManyRows { .. }
            | SheetError::TooManyColumns { .. }
            | SheetError::TooManyCells { .. } => {
                if zh {
                    "请删除多余的行列或拆分成几个文件；大名单请用 .xlsx 或 .csv。"
                } else {
                    "Delete unused rows and columns or split the file; use .xlsx or .csv for large lists."
                }
            }
            SheetError::Csv { .. } => {
                if zh {
                    "请检查该行的引号。"
                } else {
                    "Check the quotes on that line."
                }
            }
        }
    }
}
