//! A ledger an auditor can trust: tampering by edit, delete, insert and reorder is found by
//! `check` with the entry number; a damaged page is found; concurrent writers all land; a
//! foreign SQLite file is refused and left alone; a backup restores to the same reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

use crate::fixture::{self, Step};
use crate::support::{Case, Output, shipped_plan};

const STEPS: &[Step] = &[
    Step {
        date: "2020-12-20",
        args: &["T-toilet", "--value", "92", "--by", "agri"],
    },
    Step {
        date: "2021-01-10",
        args: &["T-grain", "--value", "20", "--by", "agri"],
    },
    Step {
        date: "2021-01-11",
        args: &[
            "MS-goal-2022",
            "--status",
            "in_progress",
            "--by",
            "zone-hightech",
        ],
    },
    Step {
        date: "2021-01-20",
        args: &["T-sewage", "--value", "12", "--by", "agri"],
    },
];

fn ledger() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    fixture::record(&shipped_plan(), &db, STEPS);
    (dir, db)
}

fn check(db: &Path) -> Output {
    Case::new(&["check"]).db(db).run()
}

/// Runs SQL on the ledger the way an attacker with write access would: triggers dropped.
fn tamper(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS entry_no_update; DROP TRIGGER IF EXISTS entry_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn an_untouched_ledger_checks() {
    let (_dir, db) = ledger();
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn tampering_is_found_with_the_entry_number() {
    for (what, sql, entry) in [
        ("edited", "UPDATE entry SET value = 99 WHERE id = 2", 2),
        ("deleted", "DELETE FROM entry WHERE id = 2", 3),
        (
            "inserted",
            "INSERT INTO entry (id, item, report_date, value, note, unit, recorded_at, plan_fingerprint, hash)
             VALUES (5, 'T-toilet', '2021-01-25', 95, '', 'agri', '2021-01-25T09:00:00+08:00', 'x', 'forged')",
            5,
        ),
        (
            "reordered",
            "UPDATE entry SET id = 100 WHERE id = 2; UPDATE entry SET id = 2 WHERE id = 3; UPDATE entry SET id = 3 WHERE id = 100",
            2,
        ),
        ("unit changed", "UPDATE entry SET unit = 'ndrc' WHERE id = 4", 4),
    ] {
        let (_dir, db) = ledger();
        tamper(&db, sql);
        let out = check(&db);
        assert_eq!(out.code, 1, "{what}: {}", out.transcript());
        assert!(
            out.stderr.contains(&format!("the hash chain breaks at entry #{entry}")),
            "{what}: {}",
            out.stderr
        );
    }
}

/// `check` reads a long ledger in chunks of 8,192 entries from both ends at once; the break
/// it names is still the first, wherever the chunks meet and whichever side finds one first:
/// at a chunk's first or last entry, and below a later break.
#[test]
fn the_first_break_of_a_long_ledger_is_named() {
    let (_dir, db) = ledger();
    // 30,000 entries, chained: copies of entry 1, which every audit accepts.
    forge(
        &db,
        "WITH RECURSIVE n(i) AS (SELECT 5 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
         INSERT INTO entry (id, item, report_date, value, note, unit, recorded_at, plan_fingerprint)
         SELECT i, item, report_date, value, note, unit, recorded_at, plan_fingerprint
         FROM n, entry WHERE entry.id = 1",
    );
    let whole = dir_copy(&db);
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
    for (what, sql, entry) in [
        (
            "a chunk's first",
            "UPDATE entry SET note = 'x' WHERE id = 8193",
            8193,
        ),
        (
            "a chunk's last",
            "UPDATE entry SET note = 'x' WHERE id = 8192",
            8192,
        ),
        (
            "deleted at a seam",
            "DELETE FROM entry WHERE id = 8192",
            8193,
        ),
        (
            "the middle, below a break near the top",
            "UPDATE entry SET note = 'x' WHERE id IN (15000, 29990)",
            15000,
        ),
        (
            "near the top",
            "UPDATE entry SET note = 'x' WHERE id = 29990",
            29990,
        ),
        (
            "the last",
            "UPDATE entry SET note = 'x' WHERE id = 30000",
            30000,
        ),
    ] {
        std::fs::copy(&whole, &db).unwrap();
        tamper(&db, sql);
        let out = check(&db);
        assert_eq!(out.code, 1, "{what}: {}", out.transcript());
        let expected = format!("the hash chain breaks at entry #{entry}:");
        assert!(out.stderr.contains(&expected), "{what}: {}", out.stderr);
        assert_eq!(
            out.stderr.matches("entry #").count(),
            1,
            "{what}: {}",
            out.stderr
        );
    }
}

/// A copy of a ledger, checkpointed, beside it.
fn dir_copy(db: &Path) -> PathBuf {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(conn);
    let copy = db.with_extension("whole");
    std::fs::copy(db, &copy).unwrap();
    copy
}

#[test]
fn a_damaged_page_is_found() {
    let (_dir, db) = ledger();
    // Checkpoint the WAL into the file, then scribble over the page that holds the entries.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();
    let (page_size, root): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT page_size FROM pragma_page_size), rootpage FROM sqlite_master WHERE name = 'entry'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db).unwrap();
    let (page_size, root) = (page_size as usize, root as usize);
    let start = (root - 1) * page_size;
    for b in &mut bytes[start + 8..start + page_size] {
        *b = 0xA5;
    }
    std::fs::write(&db, bytes).unwrap();
    let out = check(&db);
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("damaged") || out.stderr.contains("malformed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["report", "overdue"][..],
        &["update", "T-toilet", "--value", "92", "--by", "agri"][..],
    ] {
        let out = Case::new(args).db(&db).run();
        assert_eq!(out.code, 1, "{args:?}: {}", out.transcript());
        assert!(
            out.stderr.contains("not a plantrack ledger"),
            "{}",
            out.stderr
        );
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?} changed the file"
        );
    }
}

fn update(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("plantrack"));
    cmd.args(["--as-of", "2021-01-31", "update"])
        .args(args)
        .env("PLANTRACK_PLAN", shipped_plan())
        .env("PLANTRACK_DB", db)
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .env("TZ", "CST-8");
    cmd
}

/// Eight processes starting together on a new ledger, then three concurrent corrections of
/// different entries: every write lands, and the chain holds.
#[test]
fn concurrent_writers_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let values: Vec<String> = (0..8).map(|i| format!("{}", 80 + i)).collect();
    let children: Vec<_> = values
        .iter()
        .map(|v| {
            update(&db, &["T-toilet", "--value", v, "--by", "agri"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let corrections: Vec<_> = (1..=3)
        .map(|n| {
            let n = n.to_string();
            update(
                &db,
                &[
                    "--supersedes",
                    &n,
                    "--value",
                    "91",
                    "--by",
                    "agri",
                    "--allow-duplicate",
                ],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for c in corrections {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let count: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 11);
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

/// The loser of a race to correct the same entry is told it is already superseded (exit 2).
#[test]
fn two_corrections_of_one_entry_one_wins() {
    let (_dir, db) = ledger();
    let racers: Vec<_> = ["93", "94"]
        .iter()
        .map(|v| {
            update(&db, &["--supersedes", "1", "--value", v, "--by", "agri"])
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = racers
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 2], "{codes:?}");
}

/// backup → restore → the same reports, byte for byte.
#[test]
fn a_backup_restores_to_the_same_reports() {
    let (dir, db) = ledger();
    let copy = dir.path().join("copy.db");
    let out = Case::new(&["backup", copy.to_str().unwrap()]).db(&db).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let restored = dir.path().join("restored.db");
    std::fs::copy(&copy, &restored).unwrap();
    for args in [
        &["report", "by-target", "--format", "json"][..],
        &["history"][..],
        &["assess", "--year", "2021"][..],
    ] {
        let mut all = vec!["--as-of", "2021-01-31"];
        all.extend(args);
        let a = Case::new(&all).db(&db).run();
        let b = Case::new(&all).db(&restored).run();
        assert_eq!(a.code, 0, "{}", a.transcript());
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
    assert_eq!(check(&restored).code, 0);
}

/// The command that runs plantrack as a user other than the ledger's owner: `nobody`, through
/// `setpriv`, when the tests run as root (as in CI); the current user otherwise, which a
/// read-only file already keeps out. `None`, with the reason, when neither is possible.
fn as_other_user(bin: &Path) -> Result<Command, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(Command::new(bin));
    }
    let setpriv = Path::new("/usr/bin/setpriv");
    if !setpriv.exists() {
        return Err("running as root and /usr/bin/setpriv (util-linux) is missing".into());
    }
    let mut cmd = Command::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    Ok(cmd)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A WAL ledger the user may only read, in a folder the user may not write, with no -wal or
/// -shm beside it: every report reads it and prints what its owner sees; nothing appears in
/// the folder; and `update` says which file it cannot write.
#[test]
fn a_read_only_ledger_serves_reports() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    for name in ["regional.toml", "regional.source.txt"] {
        std::fs::copy(
            crate::support::repo().join("plan").join(name),
            folder.join(name),
        )
        .unwrap();
    }
    let plan = folder.join("regional.toml");
    let db = folder.join("regional.db");
    fixture::record(&plan, &db, STEPS);
    let bin = dir.path().join("plantrack");
    std::fs::copy(assert_cmd::cargo::cargo_bin("plantrack"), &bin).unwrap();
    let run = |cmd: &mut Command, args: &[&str]| {
        cmd.args(["--as-of", "2021-01-31"])
            .args(args)
            .env("PLANTRACK_PLAN", &plan)
            .env("PLANTRACK_DB", &db)
            .env("XDG_CACHE_HOME", dir.path().join("no-cache"))
            .env("TZ", "CST-8");
        // The binary was just copied: a child that another test forks meanwhile holds the
        // copy open for writing until it execs, and running it fails with ETXTBSY.
        let out = loop {
            match cmd.output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                out => break out.unwrap(),
            }
        };
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let reports: &[&[&str]] = &[
        &["report", "by-target", "--format", "json"],
        &["report", "overdue"],
        &["history"],
        &["assess", "--year", "2021"],
        &["check"],
    ];
    let owner: Vec<_> = reports
        .iter()
        .map(|a| run(&mut Command::new(&bin), a))
        .collect();
    if let Err(why) = as_other_user(&bin) {
        println!("skipped: {why}");
        return;
    }
    let other = || as_other_user(&bin).unwrap();
    set_mode(&db, 0o444);
    set_mode(&plan, 0o444);
    set_mode(&folder, 0o555);
    set_mode(dir.path(), 0o755);
    let before: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    for (args, expected) in reports.iter().zip(&owner) {
        let got = run(&mut other(), args);
        assert_eq!(got.0, 0, "{args:?}: {}", got.2);
        assert_eq!(&got.1, &expected.1, "{args:?}");
    }
    let (code, _, stderr) = run(
        &mut other(),
        &["update", "T-toilet", "--value", "93", "--by", "agri"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("regional.db") && stderr.contains("read-only"),
        "{stderr}"
    );
    let after: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "files appeared beside the ledger");
    set_mode(&folder, 0o755);
}

/// Tampers the way an attacker who knows the chain would: the rows changed, then every hash
/// recomputed, so that only the rows themselves can give it away.
fn forge(db: &Path, sql: &str) {
    tamper(db, sql);
    let mut conn = Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    plantrack::store::chain::backfill(&tx).unwrap();
    tx.commit().unwrap();
}

/// Rows `update` could never have written are errors naming the entry, even with the chain
/// recomputed; a row that fitted the plan it was recorded against is a warning naming that
/// version.
#[test]
fn rows_update_could_not_have_written_are_named() {
    for (what, sql, says) in [
        (
            "bogus status",
            "UPDATE entry SET status = 'bogus' WHERE id = 3",
            "entry #3: its status \"bogus\" is not one plantrack knows",
        ),
        (
            "unit not responsible",
            "UPDATE entry SET unit = 'finance' WHERE id = 4",
            "entry #4: its unit finance is not responsible for T-sewage, which update refuses",
        ),
        (
            "dated after recording",
            "UPDATE entry SET report_date = '2022-01-01' WHERE id = 2",
            "entry #2: it reports on 2022-01-01, after it was recorded",
        ),
        (
            "value on a milestone",
            "UPDATE entry SET status = NULL, value = 3 WHERE id = 3",
            "entry #3: it has a value, but MS-goal-2022 takes a status",
        ),
    ] {
        let (_dir, db) = ledger();
        forge(&db, sql);
        let out = check(&db);
        assert_eq!(out.code, 1, "{what}: {}", out.transcript());
        assert!(out.stderr.contains(says), "{what}: {}", out.stderr);
    }
    // The same misfit under another plan version: a plan edit since, so a warning.
    let (_dir, db) = ledger();
    forge(
        &db,
        "UPDATE entry SET unit = 'finance', plan_fingerprint = 'abcdef0123456789' WHERE id = 4",
    );
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains(
            "warning: entry #4: its unit finance is not responsible for T-sewage in today's plan \
             (recorded against plan version abcdef012345)"
        ),
        "{}",
        out.stderr
    );
}

/// Under `--lang zh` what `check` finds in the ledger is said in Chinese: a break in the
/// chain, a row update refuses, a misfit under another plan version, and an anchor that does
/// not hold.
#[test]
fn ledger_findings_are_chinese_under_lang_zh() {
    let no_anchor = format!("9:{}", "0".repeat(64));
    // How the ledger is changed, the SQL, check's extra arguments, its exit code and words.
    type Tampering<'a> = (fn(&Path, &str), &'a str, &'a [&'a str], i32, &'a str);
    let cases: [Tampering; 4] = [
        (
            tamper,
            "UPDATE entry SET value = 99 WHERE id = 2",
            &[],
            1,
            ": 错误: 哈希链在 #2 号记录处断裂:其内容或在台账中的位置与写入时不同(被修改过,",
        ),
        (
            forge,
            "UPDATE entry SET unit = 'finance' WHERE id = 4",
            &[],
            1,
            ": 错误: #4 号记录:报送单位 finance 不是 T-sewage 的责任单位,update 不会接受这样的记录",
        ),
        (
            forge,
            "UPDATE entry SET unit = 'finance', plan_fingerprint = 'abcdef0123456789' WHERE id = 4",
            &[],
            0,
            ": 警告: #4 号记录:报送单位 finance 不是 T-sewage 的责任单位(按现行方案;录入时的方案版本为 abcdef012345)",
        ),
        (
            forge,
            "",
            &["--anchor", &no_anchor],
            1,
            ": 错误: 台账校验码 9:0000",
        ),
    ];
    for (change, sql, extra, code, says) in cases {
        let (_dir, db) = ledger();
        change(&db, sql);
        let mut args = vec!["--lang", "zh", "check"];
        args.extend(extra);
        let out = Case::new(&args).db(&db).run();
        assert_eq!(out.code, code, "{sql}: {}", out.transcript());
        assert!(out.stderr.contains(says), "{sql}: {}", out.stderr);
        if code == 0 {
            assert!(out.stdout.ends_with("、1 条警告\n"), "{}", out.stdout);
        }
    }
}

/// A row a report cannot read is named, with the way to find out more; no driver message.
#[test]
fn an_unreadable_row_is_named_by_reports() {
    // A date stored as a blob or a number compares after every date: a report must not leave
    // the entry out without a word.
    for date in ["X'323032312d30312d3130'", "20210110"] {
        let (_dir, db) = ledger();
        forge(
            &db,
            &format!("UPDATE entry SET report_date = {date} WHERE id = 2"),
        );
        for args in [
            &["report", "by-target"][..],
            &["report", "overdue"][..],
            &["assess"][..],
        ] {
            let mut all = vec!["--as-of", "2021-01-31"];
            all.extend(args);
            let out = Case::new(&all).db(&db).run();
            assert_eq!(out.code, 1, "{date} {args:?}: {}", out.transcript());
            assert!(
                out.stderr.contains("entry #2 cannot be read"),
                "{date} {args:?}: {}",
                out.stderr
            );
        }
    }
    let (_dir, db) = ledger();
    forge(&db, "UPDATE entry SET value = 'lots' WHERE id = 2");
    for args in [&["history"][..], &["report", "by-target"][..]] {
        let mut all = vec!["--as-of", "2021-01-31"];
        all.extend(args);
        let out = Case::new(&all).db(&db).run();
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(
            out.stderr.contains("entry #2 cannot be read")
                && out.stderr.contains("plantrack check"),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(
        check(&db)
            .stderr
            .contains("entry #2: its value \"lots\" is not a number")
    );
    // In Chinese too, with what SQLite says quoted as it is.
    let zh = Case::new(&[
        "--lang",
        "zh",
        "--as-of",
        "2021-01-31",
        "report",
        "by-target",
    ])
    .db(&db)
    .run();
    assert_eq!(zh.code, 1, "{}", zh.transcript());
    assert!(
        zh.stderr.starts_with("错误: 台账 #2 号记录无法读取:")
            && zh
                .stderr
                .contains("运行 `plantrack check` 查看台账的全部问题"),
        "{}",
        zh.stderr
    );
}

/// The bulletin's 台账校验码 anchors the ledger: appending keeps it, a rewrite with the whole
/// chain recomputed (which the chain alone cannot reveal) breaks it.
#[test]
fn the_bulletins_checksum_anchors_the_ledger() {
    let (_dir, db) = ledger();
    let bulletin = Case::new(&[
        "--as-of",
        "2021-01-31",
        "report",
        "monthly",
        "--format",
        "json",
    ])
    .db(&db)
    .run();
    let doc: serde_json::Value = serde_json::from_str(&bulletin.stdout).unwrap();
    let head = &doc["ledger_head"];
    assert_eq!(head["entry"], 4, "{head}");
    let anchor = format!("{}:{}", head["entry"], head["hash"].as_str().unwrap());
    let anchored = |db: &Path| Case::new(&["check", "--anchor", &anchor]).db(db).run();
    assert_eq!(anchored(&db).code, 0, "{}", anchored(&db).transcript());
    let out = update(&db, &["T-toilet", "--value", "95", "--by", "agri"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(anchored(&db).code, 0, "appending keeps the anchor");

    forge(&db, "UPDATE entry SET value = 30 WHERE id = 2");
    assert_eq!(
        check(&db).code,
        0,
        "a recomputed chain alone hides the rewrite"
    );
    let out = anchored(&db);
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("the anchor 4:") && out.stderr.contains("rewritten"),
        "{}",
        out.stderr
    );
    let out = Case::new(&["check", "--anchor", "4:xyz"]).db(&db).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
}

/// The README's recipe recomputes the chain with sqlite3 and sha256sum alone, agrees with the
/// head the bulletin states, and finds an edit. Skipped, saying so, where sqlite3 is missing.
#[test]
fn the_readme_recipe_recomputes_the_chain() {
    let has = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if let Some(missing) = ["sqlite3", "sha256sum", "bash"]
        .into_iter()
        .find(|t| !has(t))
    {
        println!("skipped: {missing} is not installed (apt-get install sqlite3)");
        return;
    }
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let from = readme.find("An auditor recomputes the chain").unwrap();
    let start = readme[from..].find("```bash\n").unwrap() + from + 8;
    let recipe = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plan")).unwrap();
    let db = dir.path().join("plan/regional.db");
    fixture::record(&shipped_plan(), &db, STEPS);
    let run = || {
        let out = Command::new("bash")
            .args(["-c", recipe])
            .current_dir(dir.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let head: (i64, String) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id, hash FROM entry ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        run().trim(),
        format!("chain ok, head {}:{}", head.0, head.1)
    );
    tamper(&db, "UPDATE entry SET note = 'edited' WHERE id = 3");
    assert_eq!(run().trim(), "the chain breaks at entry #3");
}

/// Input hardening: an implausible value is refused, typed input is echoed cut at 80
/// characters, and a plan that is not a regular file is refused before it is read.
#[test]
fn hostile_input_is_refused_early() {
    let (_dir, db) = ledger();
    let before = std::fs::read(&db).unwrap();
    let huge = "9".repeat(130_000) + "x";
    for (value, says) in [
        ("1e308", "implausible for a target of 118"),
        (huge.as_str(), "is not a number"),
    ] {
        let out = Case::new(&["update", "T-sewage", "--value", value, "--by", "agri"])
            .db(&db)
            .run();
        assert_eq!(out.code, 2, "{}", out.transcript());
        assert!(out.stderr.contains(says), "{}", out.stderr);
        assert!(
            out.stderr.len() < 400,
            "echoed whole: {} bytes",
            out.stderr.len()
        );
    }
    assert!(std::fs::read(&db).unwrap() == before, "the ledger changed");

    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("plan.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut plans = vec![PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        plans.push(fifo);
    }
    for plan in plans {
        let out = Case::new(&["check"]).plan(&plan).run();
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    }
}

/// Four writers recording 250 updates each while a reader runs reports: every update is
/// recorded, no command fails, and the chain holds.
#[test]
fn four_writers_and_a_reader() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let done = std::sync::atomic::AtomicBool::new(false);
    let reads = std::thread::scope(|s| {
        let writers: Vec<_> = ["T-toilet", "T-grain", "T-sewage", "T-agri-tech"]
            .into_iter()
            .map(|item| {
                let db = &db;
                s.spawn(move || {
                    for i in 0..250 {
                        let v = (i % 90 + 1).to_string();
                        let out = update(
                            db,
                            &[item, "--value", &v, "--by", "agri", "--allow-duplicate"],
                        )
                        .output()
                        .unwrap();
                        assert!(
                            out.status.success(),
                            "{item} #{i}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                })
            })
            .collect();
        let reader = s.spawn(|| {
            let mut n = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let out = Case::new(&[
                    "--as-of",
                    "2021-01-31",
                    "report",
                    "by-target",
                    "--format",
                    "json",
                ])
                .db(&db)
                .run();
                assert_eq!(out.code, 0, "{}", out.transcript());
                n += 1;
            }
            n
        });
        // The reader stops even when a writer fails, so that a failure fails the test
        // instead of hanging it.
        let results: Vec<_> = writers.into_iter().map(|w| w.join()).collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        for r in results {
            if let Err(panic) = r {
                std::panic::resume_unwind(panic);
            }
        }
        reader.join().unwrap()
    });
    assert!(reads > 0);
    let count: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1000);
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

/// export → import into an empty ledger → the same reports; an edited export is refused with
/// the entry number and leaves nothing behind; a ledger with entries is not imported into.
#[test]
fn an_export_imports_with_the_chain_verified() {
    let (dir, db) = ledger();
    let as_of = |args: &[&str]| {
        let mut all = vec!["--as-of", "2021-01-31"];
        all.extend(args);
        all.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |db: &Path, args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Case::new(&args).db(db).run()
    };
    for format in ["json", "csv"] {
        let exported = run(&db, &as_of(&["export", "--format", format]));
        assert_eq!(exported.code, 0, "{}", exported.transcript());
        let file = dir.path().join(format!("ledger.{format}"));
        std::fs::write(&file, &exported.stdout).unwrap();
        let target = dir.path().join(format!("from-{format}.db"));
        let out = run(&target, &as_of(&["import", file.to_str().unwrap()]));
        assert_eq!(out.code, 0, "{}", out.transcript());
        assert!(out.stdout.contains("imported 4 entries"), "{}", out.stdout);
        for args in [
            &["report", "by-target", "--format", "json"][..],
            &["history"][..],
        ] {
            assert_eq!(
                run(&db, &as_of(args)).stdout,
                run(&target, &as_of(args)).stdout
            );
        }
        assert_eq!(
            run(&target, &as_of(&["export", "--format", format])).stdout,
            exported.stdout
        );
        assert_eq!(check(&target).code, 0);
        // A ledger that holds entries is not imported into.
        let again = run(&target, &as_of(&["import", file.to_str().unwrap()]));
        assert_eq!(again.code, 2, "{}", again.transcript());
    }
    // Raise entry 2's value in the JSON: refused, naming the entry, and no ledger appears.
    let json = std::fs::read_to_string(dir.path().join("ledger.json")).unwrap();
    let forged = json.replacen("\"value\": 20.0", "\"value\": 30.0", 1);
    assert_ne!(forged, json);
    let file = dir.path().join("forged.json");
    std::fs::write(&file, forged).unwrap();
    let target = dir.path().join("forged.db");
    let out = run(&target, &as_of(&["import", file.to_str().unwrap()]));
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stderr.contains("entry #2"), "{}", out.stderr);
    assert!(!target.exists(), "a failed import left a ledger");
    let strays: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".plantrack"))
        .collect();
    assert!(strays.is_empty(), "temporary files left behind");
}
