//! The sheet readers' shared rules, tried on small files.

use super::*;

#[test]
fn rows_stream_sorted_and_a_row_going_back_is_damage() {
    let mut sink = Collect::default();
    sink.start_sheet("s", false);
    let mut stream = RowStream::default();
    for (r, c) in [(0, 0), (0, 2), (0, 1), (1, 0), (2, 1), (2, 0), (2, 1)] {
        stream
            .push(r, c, Cell::Number(f64::from(r * 10 + c)), &mut sink)
            .unwrap();
    }
    stream
        .push(3, 0, Cell::Text(" ".into()), &mut sink)
        .unwrap();
    stream.finish(&mut sink);
    let shape: Vec<(u32, Vec<u32>)> = sink.sheets[0]
        .rows
        .iter()
        .map(|r| (r.index, r.cells.iter().map(|(c, _)| *c).collect()))
        .collect();
    assert_eq!(
        shape,
        vec![(0, vec![0, 1, 2]), (1, vec![0]), (2, vec![0, 1])]
    );
    assert_eq!(stream.push(1, 0, Cell::Bool(true), &mut sink), Ok(()));
    assert_eq!(
        stream.push(0, 0, Cell::Bool(true), &mut sink),
        Err(SheetError::Damaged)
    );
}

#[test]
fn column_letters_follow_excel() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
    assert_eq!(column_letter(16383), "XFD");
}

#[test]
fn whole_numbers_print_without_exponent() {
    assert_eq!(number_text(13812345678.0), "13812345678");
    assert_eq!(number_text(32.5), "32.5");
    assert_eq!(number_text(3.201021997110998e17), "320102199711099800");
}

#[test]
fn an_empty_or_oversized_file_is_refused_before_parsing() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(read("a.xlsx", b"", &limits), Err(SheetError::Empty));
    assert_eq!(
        read("a.xlsx", &[0u8; 11], &limits),
        Err(SheetError::TooLarge { limit_mib: 0 })
    );
}

#[test]
fn text_named_xlsx_is_mislabeled() {
    let err = read(
        "名单.xlsx",
        "姓名,身份证号\n".as_bytes(),
        &Limits::default(),
    );
    assert_eq!(
        err,
        Err(SheetError::NotASpreadsheet {
            name: "名单.xlsx".into(),
            found: "text"
        })
    );
    let msg = err.unwrap_err().message(crate::i18n::Lang::Zh);
    assert!(msg.contains("不是电子表格"), "{msg}");
}

#[test]
fn random_bytes_are_binary_not_text() {
    // A fixed pseudo-random stream (xorshift), named as a CSV.
    let mut x: u32 = 2_463_534_242;
    let bytes: Vec<u8> = (0..2048)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect();
    let err = read("名单.csv", &bytes, &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        SheetError::NotASpreadsheet {
            name: "名单.csv".into(),
            found: "binary"
        }
    );
    let zh = err.message(crate::i18n::Lang::Zh);
    assert!(zh.contains("二进制数据") && !zh.contains("text"), "{zh}");
    let en = err.message(crate::i18n::Lang::En);
    assert!(en.contains("binary data"), "{en}");
    // Text stays text: UTF-8, GBK and UTF-16 (with its byte-order mark) files are read.
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,身份证号\n张伟,1\n");
    for text in [
        "姓名,身份证号\n张伟,1\n".as_bytes().to_vec(),
        gbk.into_owned(),
        std::iter::once([0xFF, 0xFE])
            .flatten()
            .chain("姓名\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
    ] {
        assert_eq!(kind_of(&text), "text");
    }
}
