//! Reading real-world files: encodings, spreadsheets written by other software, header
//! variants, and every kind of malformed row.

use jianping_core::records::RatingRecord;
use jianping_core::time::fmt_ts;
use jianping_core::{Channel, Grade, GradeCodes, HandlingMode, TicketSource};
use jianping_ingest::{Batch, Importer, IngestError, Kind, Options, Reject};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

struct Tmp(tempfile::TempDir);

impl Tmp {
    fn new() -> Tmp {
        Tmp(tempfile::tempdir().unwrap())
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// Every record and every reject of a file.
fn read(path: &Path, kind: Kind, opts: &Options) -> Result<(Vec<Batch>, Vec<Reject>), IngestError> {
    let mut imp = Importer::open(path, kind, opts)?;
    let mut batches = Vec::new();
    let mut rejects = Vec::new();
    while let Some(c) = imp.next_chunk()? {
        batches.push(c.batch);
        rejects.extend(c.rejects);
    }
    Ok((batches, rejects))
}

fn ratings(path: &Path, opts: &Options) -> (Vec<RatingRecord>, Vec<Reject>) {
    let (batches, rejects) = read(path, Kind::Ratings, opts).unwrap();
    let mut out = Vec::new();
    for b in batches {
        match b {
            Batch::Ratings(v) => out.extend(v),
            other => panic!("unexpected batch {other:?}"),
        }
    }
    (out, rejects)
}

const HEADER: &str = "评价编号,部门,行政区划,评价渠道,满意度,评价时间";

/// The reasons of the rejects as `row:column: reason`.
fn reasons(rejects: &[Reject]) -> Vec<String> {
    rejects
        .iter()
        .flat_map(|r| r.lines("f"))
        .map(|l| l.trim_start_matches("f:").to_string())
        .collect()
}

#[test]
fn gb18030_csv_from_a_chinese_windows_excel() {
    let (rs, rejects) = ratings(&fixture("ratings_gb18030.csv"), &Options::default());
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(rs.len(), 3);
    // A character outside GBK, four bytes in GB18030.
    assert_eq!(rs[0].rater_name.as_deref(), Some("𠮷女士"));
    assert_eq!(rs[1].department, "住房公积金中心乌达分中心");
    assert_eq!(
        rs[1].comment.as_deref(),
        Some("材料多，\"一次性告知\"不到位")
    );
    assert_eq!(rs[1].grade, Grade::Basic);
    assert_eq!(fmt_ts(&rs[2].rated_at), "2023-10-29 10:15:00");
    assert_eq!(rs[2].region.as_str(), "150302001");
    let imp = Importer::open(
        &fixture("ratings_gb18030.csv"),
        Kind::Ratings,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(imp.describe_format(), "CSV（GB18030/GBK）");
}

#[test]
fn xlsx_written_by_openpyxl() {
    let opts = Options {
        grade_codes: GradeCodes::Interface,
        ..Options::default()
    };
    let path = fixture("ratings.xlsx");
    let imp = Importer::open(&path, Kind::Ratings, &opts).unwrap();
    assert_eq!(imp.header_row(), 2, "the title row is skipped");
    assert!(
        imp.notes().iter().any(|n| n.contains("标题行")),
        "{:?}",
        imp.notes()
    );
    let (rs, rejects) = ratings(&path, &opts);
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(rs.len(), 4);
    let r = &rs[0];
    assert_eq!(
        fmt_ts(&r.rated_at),
        "2023-10-31 17:56:51",
        "an Excel date cell"
    );
    assert_eq!(r.region.as_str(), "150300", "a number cell becomes a code");
    assert_eq!(
        r.matter_code.as_deref(),
        Some("1115030001153"),
        "no trailing .0"
    );
    assert_eq!(r.grade, Grade::VerySatisfied, "interface code 5");
    assert_eq!(r.channel, Channel::HallPad);
    assert_eq!(rs[1].grade, Grade::Unsatisfied, "interface code 2");
    assert_eq!(
        rs[1].comment.as_deref(),
        Some("未向我提供材料样本，来回跑了两趟")
    );
    assert_eq!(rs[2].region.as_str(), "150303100");
    assert_eq!(
        fmt_ts(&rs[2].rated_at),
        "2023-09-12 00:00:00",
        "a date-only cell"
    );
    assert_eq!(rs[2].attempt, 2, "追评");
    assert_eq!(rs[3].grade, Grade::Satisfied, "names win over codes");
    assert_eq!(
        fmt_ts(&rs[3].rated_at),
        "2023-10-30 18:25:00",
        "a date typed as text"
    );
}

#[test]
fn xlsx_sheet_by_name_with_boolean_cells() {
    let opts = Options {
        sheet: Some("事项".into()),
        ..Options::default()
    };
    let (batches, rejects) = read(&fixture("ratings.xlsx"), Kind::Matters, &opts).unwrap();
    assert!(rejects.is_empty(), "{rejects:?}");
    let Batch::Matters(ms) = &batches[0] else {
        panic!()
    };
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0].region.as_str(), "150300");
    assert!(ms[0].online_full && ms[0].instant && !ms[0].extended_hours);
    assert_eq!(
        (ms[1].legal_limit_days, ms[1].promised_limit_days),
        (Some(60), Some(20))
    );
    assert_eq!(ms[1].as_of.to_string(), "2023-01-01");
    let wrong_sheet = Importer::open(&fixture("ratings.xlsx"), Kind::Hotline, &Options::default());
    let err = wrong_sheet.err().unwrap().to_string();
    assert!(
        err.contains("请用 --sheet 指定，可选：好差评明细、事项"),
        "{err}"
    );
    let missing = Options {
        sheet: Some("Sheet9".into()),
        ..Options::default()
    };
    let err = Importer::open(&fixture("ratings.xlsx"), Kind::Matters, &missing)
        .err()
        .unwrap();
    assert!(err.to_string().contains("好差评明细、事项"), "{err}");
}

#[test]
fn utf8_with_and_without_bom_and_headers_in_other_spellings() {
    let t = Tmp::new();
    let body = "\n1,乌海市公安局,150300,PC端,满意,2023-10-31 17:56:51\n";
    let plain = t.file("a.csv", format!("{HEADER}{body}").as_bytes());
    let bom = t.file("b.csv", format!("\u{feff}{HEADER}{body}").as_bytes());
    let english = t.file(
        "c.csv",
        format!(" Rating_No , DEPARTMENT ,Region Code,channel,grade,rated_at{body}").as_bytes(),
    );
    let tsv = t.file(
        "d.csv",
        "评价编号\t部门\t行政区划\t评价渠道\t满意度\t评价时间\n1\t乌海市公安局\t150300\tPC端\t满意\t2023-10-31 17:56:51\n"
            .as_bytes(),
    );
    let want = ratings(&plain, &Options::default()).0;
    assert_eq!(want.len(), 1);
    for p in [&bom, &english, &tsv] {
        assert_eq!(ratings(p, &Options::default()).0, want, "{}", p.display());
    }
}

#[test]
fn ascii_sample_then_gbk_later_is_still_decoded() {
    let t = Tmp::new();
    let mut text = String::from("rating_no,department,region,channel,grade,rated_at\n");
    for i in 0..30_000 {
        text.push_str(&format!("N{i},Dept,150300,pc,1,2023-10-31\n"));
    }
    text.push_str("X1,乌海市公安局,150300,PC端,非常满意,2023-10-31\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let p = t.file("late.csv", &gbk);
    let (rs, rejects) = ratings(&p, &Options::default());
    assert!(rejects.is_empty());
    assert_eq!(rs.last().unwrap().department, "乌海市公安局");
}

#[test]
fn grade_codes_in_both_orders() {
    let t = Tmp::new();
    let p = t.file(
        "g.csv",
        format!("{HEADER}\nA,部门,150300,PC端,1,2023-10-31\nB,部门,150300,PC端,5,2023-10-31\nC,部门,150300,PC端,4.0,2023-10-31\n").as_bytes(),
    );
    let gbt = ratings(&p, &Options::default()).0;
    let grades: Vec<Grade> = gbt.iter().map(|r| r.grade).collect();
    assert_eq!(
        grades,
        [
            Grade::VerySatisfied,
            Grade::VeryUnsatisfied,
            Grade::Unsatisfied
        ]
    );
    let opts = Options {
        grade_codes: GradeCodes::Interface,
        ..Options::default()
    };
    let grades: Vec<Grade> = ratings(&p, &opts).0.iter().map(|r| r.grade).collect();
    assert_eq!(
        grades,
        [
            Grade::VeryUnsatisfied,
            Grade::VerySatisfied,
            Grade::Satisfied
        ]
    );
}

#[test]
fn every_malformed_row_is_named_by_row_and_column() {
    let t = Tmp::new();
    let text = [
        HEADER,
        "R1,乌海市公安局,150300,PC端,满意,2023-10-31 17:56:51",
        ",,150300,PC端,满意,2023-10-31", // 3: missing required 部门
        "R3,乌海市公安局,150300,PC端,很好,2023-10-31", // 4: bad grade
        "R4,乌海市公安局,150300,信鸽,满意,2023-10-31", // 5: bad channel
        "R5,乌海市公安局,150300,PC端,满意,31/10/2023", // 6: bad date
        "R6,乌海市公安局,15030,PC端,满意,2023-10-31", // 7: bad region code
        "R7,乌海市公安局,150300,PC端,满意", // 8: too few fields
        "R8,乌海市公安局,150300,PC端,满意,2023-10-31,多余,字段", // 9: too many fields
        "R9,乌海市公安局,1.50303E+11,PC端,满意,2023-10-31", // 10: code damaged by Excel
        "R10,乌海市公安局,150300,PC端,,", // 11: two missing values
        "R11,乌海市公安局,150300,PC端,满意,2023-10-31,,", // 12: trailing empty fields are fine
    ]
    .join("\n");
    let p = t.file("bad.csv", text.as_bytes());
    let (rs, rejects) = ratings(&p, &Options::default());
    assert_eq!(
        rs.iter().map(|r| r.rating_no.as_str()).collect::<Vec<_>>(),
        ["R1", "R11"]
    );
    let got = reasons(&rejects);
    let expect = [
        ("3:部门:", "缺少必填的部门"),
        ("4:满意度:", "无法识别的满意度「很好」"),
        ("5:评价渠道:", "无法识别的评价渠道「信鸽」"),
        ("6:评价时间:", "无法识别的时间「31/10/2023」"),
        ("7:行政区划:", "长度为 5 位"),
        ("8:整行:", "只有 5 个字段，表头有 6 列"),
        ("9:整行:", "有 8 个字段，多于表头的 6 列"),
        ("10:行政区划:", "科学计数法"),
        ("11:满意度:", "缺少必填的满意度"),
        ("11:评价时间:", "缺少必填的评价时间"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((prefix, reason), line) in expect.iter().zip(&got) {
        assert!(
            line.starts_with(prefix) && line.contains(reason),
            "{line} ≠ {prefix} {reason}"
        );
    }
    // The rejected row keeps its cells for the rejects file.
    assert_eq!(rejects[1].cells[4], "很好");
}

#[test]
fn file_level_errors() {
    let t = Tmp::new();
    let empty = t.file("empty.csv", b"");
    let err = read(&empty, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("empty.csv") && err.contains("文件为空"),
        "{err}"
    );

    let blank = t.file("blank.csv", b"\n\n,,\n");
    let err = read(&blank, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("没有任何内容"), "{err}");

    let unknown = t.file("other.csv", "姓名,年龄\n张三,30\n".as_bytes());
    let err = read(&unknown, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("other.csv"), "{err}");
    assert!(err.contains("满意度（可用表头：满意度、评价等级"), "{err}");
    assert!(err.contains("文件的表头为：姓名、年龄"), "{err}");
    assert!(err.contains("这可能不是好差评数据文件"), "{err}");

    let missing = t.file(
        "m.csv",
        "评价编号,部门,行政区划,评价渠道,评价时间\n".as_bytes(),
    );
    let err = read(&missing, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("缺少好差评数据必需的列：满意度（可用表头"),
        "{err}"
    );
    assert!(
        !err.contains("评价渠道（"),
        "only the missing column is listed: {err}"
    );

    let dup = t.file("d.csv", format!("{HEADER},评价等级\n").as_bytes());
    let err = read(&dup, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("「满意度」和「评价等级」指同一列"), "{err}");

    let html = t.file("x.xls", b"<html><table><tr><td>1</td></tr></table></html>");
    let err = read(&html, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("网页表格"), "{err}");

    let matters = t.file(
        "mt.csv",
        "实施编码,事项名称,部门,行政区划\nM1,失业登记,人社局,150300\n".as_bytes(),
    );
    let err = read(&matters, Kind::Matters, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("--as-of"), "{err}");
    let opts = Options {
        as_of: Some("2023-10-31".parse().unwrap()),
        ..Options::default()
    };
    assert!(read(&matters, Kind::Matters, &opts).is_ok());
}

#[test]
fn header_only_is_an_empty_import() {
    let t = Tmp::new();
    let p = t.file("h.csv", format!("{HEADER}\n").as_bytes());
    let (batches, rejects) = read(&p, Kind::Ratings, &Options::default()).unwrap();
    assert!(batches.is_empty() && rejects.is_empty());
}

#[test]
fn ratings_without_a_number_get_a_content_key() {
    let t = Tmp::new();
    let a = t.file(
        "a.csv",
        format!("{HEADER}\n,乌海市公安局,150300,PC端,满意,2023-10-31 17:56:00\n,乌海市公安局,150300,PC端,满意,2023-10-31 17:57:00\n").as_bytes(),
    );
    let b = t.file(
        "b.csv",
        format!("{HEADER}\n,乌海市公安局,150300,1,2,2023/10/31 17:56\n").as_bytes(),
    );
    let ra = ratings(&a, &Options::default()).0;
    let rb = ratings(&b, &Options::default()).0;
    assert!(ra[0].rating_no.starts_with('H') && ra[0].rating_no.len() == 33);
    assert_eq!(
        ra[0].rating_no, rb[0].rating_no,
        "same rating, other spelling"
    );
    assert_ne!(
        ra[0].rating_no, ra[1].rating_no,
        "another minute, another rating"
    );
    assert_eq!(
        ra[0].rating_no,
        jianping_ingest::kinds::derived_rating_no(&ra[0])
    );
}

#[test]
fn hotline_defaults_and_checks() {
    let t = Tmp::new();
    let p = t.file(
        "h.csv",
        "工单编号,诉求类型,来源渠道,办理方式,受理时间,办结时间,是否解决,回访结果\n\
         GD1,感谢,,,2023-03-15 09:20,2023-03-16 10:00,已解决,基本满意\n\
         GD2,建议,省平台交办,直接答复,2023-03-15 09:20,,否,\n\
         GD3,闲聊,电话,转办,2023-03-15 09:20,,,\n\
         GD4,咨询,电话,转办,2023-03-15 09:20,2023-03-14 09:00,,\n"
            .as_bytes(),
    );
    let (batches, rejects) = read(&p, Kind::Hotline, &Options::default()).unwrap();
    let Batch::Tickets(ts) = &batches[0] else {
        panic!()
    };
    assert_eq!(ts.len(), 2);
    assert_eq!(
        ts[0].mode,
        HandlingMode::Transfer,
        "办理方式 defaults to 转办"
    );
    assert_eq!(ts[0].source, TicketSource::Other);
    assert_eq!(ts[0].kind, jianping_core::TicketKind::Praise);
    assert_eq!(ts[0].resolved, Some(true));
    assert_eq!(ts[1].mode, HandlingMode::Direct);
    assert_eq!(ts[1].resolved, Some(false));
    let got = reasons(&rejects);
    assert!(got[0].starts_with("4:诉求类型:"), "{got:?}");
    assert!(
        got[1].starts_with("5:办结时间:") && got[1].contains("早于受理时间"),
        "{got:?}"
    );
}

#[test]
fn assessment_score_rows_need_no_finding_text() {
    let t = Tmp::new();
    let p = t.file(
        "a.csv",
        "问题编号,评估项目,评估方式,评估日期,部门,评估指标,得分,满分,发现问题\n\
         S1,2023评估,实地暗访,2023-09-01,乌海市公安局,服务舒适度,86,100,\n\
         S2,2023评估,实地暗访,2023-09-01,乌海市公安局,服务舒适度,,,\n\
         S3,2023评估,电话调研,2023-09-01,乌海市公安局,服务满意度,9.5,10,回访满意度较高\n"
            .as_bytes(),
    );
    let (batches, rejects) = read(&p, Kind::Assessments, &Options::default()).unwrap();
    let Batch::Assessments(rows) = &batches[0] else {
        panic!()
    };
    let got: Vec<(&str, Option<f64>, &str)> = rows
        .iter()
        .map(|r| (r.finding_no.as_str(), r.score, r.finding.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![("S1", Some(86.0), ""), ("S3", Some(9.5), "回访满意度较高")]
    );
    let got = reasons(&rejects);
    assert!(
        got.len() == 1 && got[0].starts_with("3:发现问题:") && got[0].contains("得分"),
        "{got:?}"
    );
}

#[test]
fn chunks_are_bounded() {
    let t = Tmp::new();
    let mut text = format!("{HEADER}\n");
    for i in 0..8 {
        text.push_str(&format!("R{i},部门,150300,PC端,满意,2023-10-31\n"));
    }
    let p = t.file("c.csv", text.as_bytes());
    let opts = Options {
        chunk_size: 3,
        ..Options::default()
    };
    let (batches, _) = read(&p, Kind::Ratings, &opts).unwrap();
    assert_eq!(
        batches.iter().map(Batch::len).collect::<Vec<_>>(),
        [3, 3, 2]
    );
}

#[test]
fn every_example_file_reads_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/import");
    for kind in Kind::ALL {
        let p = dir.join(format!("{}.csv", kind.slug()));
        let (batches, rejects) =
            read(&p, kind, &Options::default()).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            rejects.is_empty(),
            "{}: {:?}",
            p.display(),
            reasons(&rejects)
        );
        assert!(
            batches.iter().map(Batch::len).sum::<usize>() >= 3,
            "{}",
            p.display()
        );
        let imp = Importer::open(&p, kind, &Options::default()).unwrap();
        assert!(imp.notes().is_empty(), "{}: {:?}", p.display(), imp.notes());
    }
}

#[test]
fn the_format_docs_name_every_column_and_alias() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/import-formats.md"),
    )
    .unwrap();
    for kind in Kind::ALL {
        let section = doc
            .split("\n## ")
            .find(|s| {
                s.lines()
                    .next()
                    .is_some_and(|h| h.contains(&format!("`{}`", kind.slug())))
            })
            .unwrap_or_else(|| panic!("docs/import-formats.md has no section for {}", kind.slug()));
        for col in jianping_ingest::columns_of(kind) {
            for name in std::iter::once(&col.name).chain(col.aliases) {
                assert!(
                    section.contains(name),
                    "{}: {} missing from the docs",
                    kind.slug(),
                    name
                );
            }
        }
    }
}

/// An upload read from memory gives what the same bytes give as a file: records, rejects
/// with their places, errors — for CSV (UTF-8 and GB18030) and XLSX alike.
#[test]
fn bytes_in_memory_read_as_the_file_reads() {
    let tmp = Tmp::new();
    let mut long = format!("{HEADER},设备编号,IP地址\n");
    for i in 0..3000 {
        long += &format!(
            "R{i},某局,150300,平板,非常满意,2023-01-02 10:00:00,PAD-{},10.0.0.{}\n",
            i % 7,
            i % 250
        );
    }
    long += "BAD,某局,150300,平板,很好,2023-01-02\n";
    let cases = [
        (fixture("ratings_gb18030.csv"), Kind::Ratings),
        (fixture("ratings.xlsx"), Kind::Ratings),
        (tmp.file("long.csv", long.as_bytes()), Kind::Ratings),
        (tmp.file("notes.csv", b"not,a,header\n1,2,3\n"), Kind::Staff),
    ];
    for (path, kind) in cases {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.to_str().unwrap();
        let from_file = read(&path, kind, &Options::default());
        let from_bytes = || -> Result<(Vec<Batch>, Vec<Reject>), IngestError> {
            let mut imp = Importer::from_bytes(name, bytes.clone(), kind, &Options::default())?;
            let (mut b, mut r) = (Vec::new(), Vec::new());
            while let Some(c) = imp.next_chunk()? {
                b.push(c.batch);
                r.extend(c.rejects);
            }
            Ok((b, r))
        };
        match (from_file, from_bytes()) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: file {a:?}, bytes {b:?}"),
        }
    }
    let (records, _) = ratings(&tmp.file("long2.csv", long.as_bytes()), &Options::default());
    assert_eq!(records[8].device.as_deref(), Some("PAD-1"));
    assert_eq!(records[8].address.as_deref(), Some("10.0.0.8"));
}
