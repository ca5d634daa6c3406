//! Prints the check report of list files: `cargo run -p listimport --example check -- FILE...`
//! (`--full` for the whole report with the mapped persons).

fn main() {
    let today = time::OffsetDateTime::now_utc().date();
    let opts = listimport::CheckOptions::new(today);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--full");
    let mut failed = false;
    for path in args.iter().filter(|a| *a != "--full") {
        match listimport::check_file(path.as_ref(), &opts) {
            Ok(r) => {
                let v = if full {
                    serde_json::to_value(&r).unwrap_or_default()
                } else {
                    r.check_json()
                };
                println!(
                    "{path}: {}",
                    serde_json::to_string_pretty(&v).unwrap_or_default()
                );
            }
            Err(e) => {
                failed = true;
                println!("{path}: [{}] {e}", e.code());
            }
        }
    }
    std::process::exit(i32::from(failed));
}
