//! A release build (`--features release-root`) embeds the city root's public
//! key. It comes from `GDD_CITY_ROOT_PUB` (a file path) or, by default,
//! `assets/trust/city-root.pub`, which the city administrator puts there
//! before building. Checked here so that a bad or demo root fails the build,
//! not a ward's first activation.

use std::path::PathBuf;

// The demo root's public key: a release build must never embed it.
const DEMO_ROOT_PUB: &str = include_str!("../../assets/trust/demo-root.pub");

fn main() {
    println!("cargo:rerun-if-env-changed=GDD_CITY_ROOT_PUB");
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_RELEASE_ROOT").is_none() {
        return;
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let path = match std::env::var_os("GDD_CITY_ROOT_PUB") {
        Some(p) => PathBuf::from(p),
        None => manifest.join("../../assets/trust/city-root.pub"),
    };
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "release-root: cannot read the city root public key {}: {e}. Put the key \
             `gdd city init` printed (64 hex digits) there, or point GDD_CITY_ROOT_PUB at it.",
            path.display()
        )
    });
    let hex = text.trim().to_ascii_lowercase();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        panic!(
            "release-root: {} is not a public key (need 64 hex digits)",
            path.display()
        );
    }
    if hex == DEMO_ROOT_PUB.trim().to_ascii_lowercase() {
        panic!(
            "release-root: {} is the DEMO root; a release build must embed the city's own root",
            path.display()
        );
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("city_root.rs");
    std::fs::write(&out, format!("const CITY_ROOT_HEX: &str = \"{hex}\";\n"))
        .expect("write OUT_DIR/city_root.rs");
}
