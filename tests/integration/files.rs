//! Files that open well: the bulletin's workbook fits Chinese columns, and a run that fails
//! half way leaves the previous set of files whole.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use unicode_width::UnicodeWidthStr;

use crate::fixture;
use crate::support::shipped_plan;

/// `report monthly --month 2021-01 --out dir` in `lang`, on `ledger`, as a command to run.
fn bulletin_on(dir: &Path, lang: &str, ledger: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("plantrack"));
    cmd.args([
        "--lang",
        lang,
        "--as-of",
        "2021-02-01",
        "report",
        "monthly",
        "--month",
        "2021-01",
        "--out",
    ])
    .arg(dir)
    .env("PLANTRACK_PLAN", shipped_plan())
    .env("PLANTRACK_DB", ledger)
    .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
    .env("TZ", "CST-8");
    cmd
}

fn bulletin(dir: &Path, lang: &str) -> Command {
    bulletin_on(dir, lang, fixture::shared())
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The `<col>` widths of every sheet, by sheet file: (first column, width).
fn column_widths(xlsx: &Path) -> Vec<Vec<(u32, f64)>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut sheets = Vec::new();
    for i in 1.. {
        let Ok(mut sheet) = zip.by_name(&format!("xl/worksheets/sheet{i}.xml")) else {
            break;
        };
        let mut xml = String::new();
        sheet.read_to_string(&mut xml).unwrap();
        let mut cols = Vec::new();
        for col in xml.split("<col ").skip(1) {
            let attr = |name: &str| {
                let start = col.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                col[start..].split('"').next().unwrap().to_string()
            };
            cols.push((attr("min").parse().unwrap(), attr("width").parse().unwrap()));
        }
        sheets.push(cols);
    }
    sheets
}

/// Chinese columns are wide enough to read: at least 0.8 × their display width (CJK counted
/// double), up to the cap of 50.
#[test]
fn workbook_columns_fit_chinese_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = bulletin(dir.path(), "zh").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each file written is named on a line of its own, in the reader's language.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let xlsx = format!("已写入 {}", dir.path().join("2021-01.xlsx").display());
    assert!(stdout.lines().any(|l| l == xlsx), "{stdout}");
    let path = dir.path().join("2021-01.xlsx");
    let widths = column_widths(&path);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let mut checked = 0;
    for (sheet, name) in book.sheet_names().into_iter().enumerate() {
        let range = book.worksheet_range(&name).unwrap();
        for (c, width) in &widths[sheet] {
            let column = (*c - 1) as usize;
            let widest = range
                .rows()
                .filter_map(|r| r.get(column))
                .map(|d| match d {
                    Data::String(s) => s.width(),
                    Data::DateTime(_) => 10,
                    // Numbers show rounded (102.22%), not with every digit calamine reads.
                    Data::Float(f) if f.fract() == 0.0 => (*f as i64).to_string().len(),
                    Data::Float(_) => 7,
                    other => other.to_string().width(),
                })
                .max()
                .unwrap_or(0) as f64;
            let needed = (0.8 * widest).min(50.0);
            assert!(
                *width >= needed,
                "sheet {name}, column {c}: width {width} < {needed}"
            );
            // Excel stores a width with its cell padding: 50 characters read 50.71.
            assert!(
                *width <= 51.0,
                "sheet {name}, column {c}: width {width} over the cap"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} columns checked");
}

/// A run that cannot write everything (here: a file size limit, as a full disk would) leaves
/// the previous set of files byte for byte, and no temporary file behind.
#[test]
fn a_failed_run_leaves_the_old_set_whole() {
    let dir = tempfile::tempdir().unwrap();
    // A ledger not written yet: the run touches no database, only the files.
    let ledger = tempfile::tempdir().unwrap();
    let ledger = ledger.path().join("none.db");
    let first = bulletin_on(dir.path(), "zh", &ledger).output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = files(dir.path());
    let html = before["2021-01.html"].len();
    assert!(html > 12 * 1024, "the page is {html} bytes");
    let mut cmd = bulletin_on(dir.path(), "en", &ledger);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            // Smaller than the HTML page: writing it fails as on a full disk.
            let limit = libc::rlimit {
                rlim_cur: 12 * 1024,
                rlim_max: 12 * 1024,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let failed = cmd.output().unwrap();
    assert!(!failed.status.success(), "the limited run succeeded");
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(
        files(dir.path()) == before,
        "the old set changed or temporary files were left"
    );
}

/// The bulletin printed from headless Chromium: A4 pages. Skipped, with the reason printed,
/// where no Chromium is installed (`apt-get install chromium`).
#[test]
fn the_bulletin_prints_on_a4() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(chromium) = chromium else {
        eprintln!("skipped: no chromium on this machine to print the bulletin with");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = bulletin(dir.path(), "zh").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("bulletin.pdf");
    let printed = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(dir.path().join("2021-01.html"))
        .output()
        .unwrap();
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&printed.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // A4 is 595 × 842 points; Letter would be 612 × 792.
    assert!(
        text.contains("/MediaBox [0 0 594.95996 841.91998]"),
        "not A4"
    );
    let pages = text.matches("/Type /Page\n").count() + text.matches("/Type /Page/").count();
    eprintln!("the bulletin printed on {pages} A4 pages");
}
