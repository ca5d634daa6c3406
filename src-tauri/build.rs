use std::path::Path;

fn main() {
    // `tauri::generate_context!` refuses to compile when `frontendDist` is missing. Clippy and
    // the library tests should not need Node, so a missing UI build gets a placeholder page that
    // says how to build it; `npm run build` (run by `tauri build`) replaces it.
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist");
    if !dist.join("index.html").exists() {
        println!("cargo:warning=ui/dist is missing: run `npm ci && npm run build` in ui/ for the real UI");
        if let Err(e) = std::fs::create_dir_all(&dist).and_then(|()| {
            std::fs::write(
                dist.join("index.html"),
                "<!doctype html><meta charset=\"utf-8\"><title>GDD</title>\
                 <p>Giao diện chưa được build: chạy <code>npm ci &amp;&amp; npm run build</code> trong <code>ui/</code>.</p>",
            )
        }) {
            println!("cargo:warning=could not write the placeholder UI: {e}");
        }
    }
    println!("cargo:rerun-if-changed=../ui/dist/index.html");
    tauri_build::build()
}
