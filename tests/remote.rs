//! `evreg publish` and `evreg import` end to end, against `evreg serve --writable` as the remote
//! Schema Registry: registration in order with references, levels, the idempotent second run,
//! drift, import back into an empty registry with the remote's ids, names that do not fit.

mod common;
use common::Served;

use std::path::Path;

/// `evreg serve --writable` over an empty registry: the remote.
struct Remote {
    _served: Served,
    url: String,
    _dir: tempfile::TempDir,
}

impl Remote {
    fn start() -> Remote {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("evreg.yaml"), "compatibility: BACKWARD\n").unwrap();
        std::fs::create_dir(dir.path().join("schemas")).unwrap();
        let served = Served::start(dir.path(), &["--writable"]);
        Remote {
            url: served.url(),
            _served: served,
            _dir: dir,
        }
    }
}

/// Run evreg in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::evreg(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lock_entries(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join("evreg.lock"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn publish_fills_a_remote_once_and_import_brings_it_back_with_the_same_ids() {
    let remote = Remote::start();
    let source = common::copy_of("remote");
    let (code, out, err) = run(
        source.path(),
        &["publish", "--url", &remote.url, "--dry-run"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("plan: 7 versions to register and 3 levels to set in 5 subjects"),
        "{out}"
    );
    // Shared files first: what the others reference exists when they are registered.
    let first_event = out.find("shop.order.paid-value").unwrap();
    assert!(out.find("shop.Money.avsc").unwrap() < first_event, "{out}");
    assert!(
        out.find("common.schema.json").unwrap() < first_event,
        "{out}"
    );
    let (code, out, err) = run(source.path(), &["publish", "--url", &remote.url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("published 7 versions"), "{err}");
    assert!(
        err.contains("shop.order.shipped-value: level FULL_TRANSITIVE, v1 registered"),
        "{err}"
    );
    assert!(
        !err.contains("the remote gave it id"),
        "same ids as evreg serve: {err}"
    );
    // The second run has nothing to do and says so.
    let (code, out, _) = run(source.path(), &["publish", "--url", &remote.url]);
    assert_eq!(code, 0);
    assert!(
        out.contains("the remote is up to date: nothing to do (5 subjects)"),
        "{out}"
    );

    // Import into an empty registry with the same naming.
    let target = tempfile::tempdir().unwrap();
    std::fs::write(
        target.path().join("evreg.yaml"),
        "compatibility: BACKWARD\nschema-registry-subject: '{subject}-value'\nrules:\n  avro-doc-missing: off\n",
    )
    .unwrap();
    std::fs::create_dir(target.path().join("schemas")).unwrap();
    let (code, out, err) = run(target.path(), &["import", "--url", &remote.url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("imported 7 files"), "{err}");
    for f in [
        "schemas/shop.Money.avsc",
        "schemas/common.schema.json",
        "schemas/shop.order.paid/v2.avsc",
        "schemas/shop.refund.requested/v2.schema.json",
    ] {
        assert!(target.path().join(f).is_file(), "{f}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(
            target
                .path()
                .join("schemas/shop.order.shipped/subject.yaml")
        )
        .unwrap(),
        "compatibility: FULL_TRANSITIVE\n"
    );
    // Same fingerprints and the remote's ids, which are those evreg serve gave the source.
    assert_eq!(lock_entries(target.path()), lock_entries(source.path()));
    let (code, out, _) = run(target.path(), &["check"]);
    assert_eq!(code, 0, "{out}");
    // A second import writes nothing.
    let (code, _, err) = run(target.path(), &["import", "--url", &remote.url]);
    assert_eq!(code, 0);
    assert!(err.contains("imported 0 files"), "{err}");
}

#[test]
fn drift_stops_publish_unless_forced_and_nothing_is_deleted() {
    let remote = Remote::start();
    let source = common::copy_of("remote");
    assert_eq!(run(source.path(), &["publish", "--url", &remote.url]).0, 0);
    // The remote gets a v3 that git does not have.
    let paid = source.path().join("schemas/shop.order.paid");
    let v2 = std::fs::read_to_string(paid.join("v2.avsc")).unwrap();
    let remote_v3 = v2.replace(
        r#""default": null}"#,
        r#""default": null}, {"name": "note", "type": "string", "default": ""}"#,
    );
    let other = tempfile::tempdir().unwrap();
    common::copy_dir(source.path(), other.path());
    std::fs::write(
        other.path().join("schemas/shop.order.paid/v3.avsc"),
        &remote_v3,
    )
    .unwrap();
    assert_eq!(
        run(
            other.path(),
            &["publish", "--url", &remote.url, "shop.order.paid"]
        )
        .0,
        0
    );
    let (code, out, _) = run(
        source.path(),
        &["publish", "--url", &remote.url, "--dry-run"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("drift: the remote has v3, git does not"),
        "{out}"
    );
    // Git's own v3 and v4 differ from the remote's v3: drift, and nothing written.
    let git_v3 = v2.replace(
        r#""default": null}"#,
        r#""default": null}, {"name": "channel", "type": "string", "default": "web"}"#,
    );
    std::fs::write(paid.join("v3.avsc"), &git_v3).unwrap();
    let git_v4 = git_v3.replace(
        r#""default": "web"}"#,
        r#""default": "web"}, {"name": "n", "type": "int", "default": 0}"#,
    );
    std::fs::write(paid.join("v4.avsc"), &git_v4).unwrap();
    let (code, out, err) = run(source.path(), &["publish", "--url", &remote.url]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("drift: v3 differs from git's v3"), "{out}");
    assert!(err.contains("nothing written"), "{err}");
    let (_, out, _) = run(
        source.path(),
        &["publish", "--url", &remote.url, "--dry-run"],
    );
    assert!(out.contains("shop.order.paid-value: register v4"), "{out}");
    // Forced: git's missing v4 is registered, the remote keeps its v3.
    let (code, out, err) = run(source.path(), &["publish", "--url", &remote.url, "--force"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("--force: registering"), "{err}");
    assert!(err.contains("v4 registered"), "{err}");
}

#[test]
fn remote_names_that_do_not_fit_the_naming_rule_get_a_mapping_suggestion() {
    let remote = Remote::start();
    // Register a subject under a name evreg's default naming rule refuses.
    let source = common::copy_of("remote");
    std::fs::write(
        source
            .path()
            .join("schemas/shop.order.shipped/subject.yaml"),
        "schema-registry-subject: OrderShipped\n",
    )
    .unwrap();
    assert_eq!(
        run(
            source.path(),
            &["publish", "--url", &remote.url, "shop.order.shipped"]
        )
        .0,
        0
    );
    let target = tempfile::tempdir().unwrap();
    std::fs::write(target.path().join("evreg.yaml"), "").unwrap();
    std::fs::create_dir(target.path().join("schemas")).unwrap();
    let (code, _, err) = run(target.path(), &["import", "--url", &remote.url]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("OrderShipped: skipped, its name does not fit the naming rule"),
        "{err}"
    );
    assert!(
        err.contains("create schemas/ordershipped.event.event/subject.yaml with `schema-registry-subject: OrderShipped`"),
        "{err}"
    );
    // Following the suggestion imports it.
    std::fs::create_dir(target.path().join("schemas/shop.order.shipped")).unwrap();
    std::fs::write(
        target
            .path()
            .join("schemas/shop.order.shipped/subject.yaml"),
        "schema-registry-subject: OrderShipped\n",
    )
    .unwrap();
    let (code, _, err) = run(
        target.path(),
        &["import", "--url", &remote.url, "OrderShipped"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        target
            .path()
            .join("schemas/shop.order.shipped/v1.avsc")
            .is_file(),
        "{err}"
    );
}

/// The remote that publish filled, read and written through Confluent's Python client (CI
/// installs it; without it this test says it skipped).
#[test]
fn confluents_python_client_reads_what_publish_registered() {
    let remote = Remote::start();
    let source = common::copy_of("remote");
    assert_eq!(run(source.path(), &["publish", "--url", &remote.url]).0, 0);
    let args = [
        source.path().as_os_str(),
        "--url".as_ref(),
        remote.url.as_ref(),
    ];
    let Some((ok, text)) = common::confluent_client_check(&args) else {
        return;
    };
    assert!(ok, "{text}");
    assert!(text.contains("checks passed"), "{text}");
}
