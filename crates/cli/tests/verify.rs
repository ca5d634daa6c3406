//! `gdd verify` against the published test vectors, and from a picture.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn gdd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdd"))
        .env_clear()
        .args(args)
        .output()
        .expect("run gdd")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read vector")).expect("json")
}

#[test]
fn every_vector_gets_its_verdict_and_exit_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let roots = read_json(&vectors_dir().join("roots.json"));
    let mut root_args = Vec::new();
    for (i, r) in roots["roots"].as_array().expect("roots").iter().enumerate() {
        if r["demo"] == true {
            continue; // built in
        }
        let p = dir.path().join(format!("root-{i}.pub"));
        std::fs::write(&p, r["public_key"].as_str().expect("hex")).expect("write root");
        root_args.push(p.display().to_string());
    }
    let mut seen = 0;
    for entry in std::fs::read_dir(vectors_dir()).expect("vectors") {
        let path = entry.expect("entry").path();
        if path.file_name().and_then(|n| n.to_str()) == Some("roots.json") {
            continue;
        }
        let v = read_json(&path);
        let mut args = vec![
            "verify".to_string(),
            v["token"].as_str().expect("token").to_string(),
            "--at".to_string(),
            v["at"].as_str().expect("at").to_string(),
            "--json".to_string(),
        ];
        for r in &root_args {
            args.extend(["--root".to_string(), r.clone()]);
        }
        if let Some(list) = v["revocations"].as_str() {
            let p = dir.path().join("revocations.txt");
            std::fs::write(&p, list).expect("write list");
            args.extend(["--revocations".to_string(), p.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = gdd(&args);
        let got: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: no JSON ({e}): {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let want = v["verdict"].as_str().expect("verdict");
        assert_eq!(got["verdict"], want, "{}", path.display());
        let accepted = want == "valid" || want == "demo";
        assert_eq!(
            out.status.success(),
            accepted,
            "{}: exit code",
            path.display()
        );
        if accepted {
            assert_eq!(got["fields"], v["fields"], "{}", path.display());
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} vectors");
}

#[test]
fn a_tampered_revocation_list_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = read_json(&vectors_dir().join("revoked.json"));
    let list = v["revocations"].as_str().expect("list");
    // Change one character of the body (not the header line).
    let mut chars: Vec<char> = list.chars().collect();
    let i = list.find('\n').expect("header") + 5;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    let p = dir.path().join("bad.txt");
    std::fs::write(&p, chars.into_iter().collect::<String>()).expect("write");
    let out = gdd(&[
        "verify",
        v["token"].as_str().expect("token"),
        "--revocations",
        &p.display().to_string(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bị từ chối"));
}

#[test]
fn reads_the_qr_from_a_picture() {
    let v = read_json(&vectors_dir().join("demo.json"));
    let token = v["token"].as_str().expect("token");
    let qr = permit::qr::render(token).expect("render");
    let (scale, quiet) = (3u32, 4u32);
    let side = (qr.width as u32 + 2 * quiet) * scale;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (
            (x / scale) as i64 - quiet as i64,
            (y / scale) as i64 - quiet as i64,
        );
        let dark = mx >= 0 && my >= 0 && qr.is_dark(mx as usize, my as usize);
        image::Luma([if dark { 0 } else { 255 }])
    });
    let dir = tempfile::tempdir().expect("tmp");
    let png = dir.path().join("anh-chup.png");
    img.save(&png).expect("save png");
    let out = gdd(&[
        "verify",
        &png.display().to_string(),
        "--at",
        v["at"].as_str().expect("at"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(got["verdict"], "demo");
    assert_eq!(got["fields"]["holder_name"], v["fields"]["holder_name"]);
}
