//! The ward workstation app: a thin Tauri 2 shell over the `store` crate.
//! Domain logic lives in the library crates; here are only commands that parse, call the
//! store and map errors to `{code, message}` for the UI (`ui/`).

pub mod commands;
pub mod error;
pub mod state;

use state::AppState;

pub fn run() {
    // GDD_DB overrides the OS data folder. Opening (and creating) happens before the window
    // shows, so the first screen already knows whether the store is empty.
    let db_path = store::resolve_db_path(None);
    let app_state = AppState::open(db_path);

    let result = tauri::Builder::default()
        .manage(app_state)
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::create_demo,
            commands::login,
            commands::logout,
            commands::dashboard,
            commands::search,
            commands::stamp::stamp_queue,
            commands::stamp::stamp_queue_requests,
            commands::stamp::stamp,
            commands::stamp::permit_qr,
            commands::print::print_list,
            commands::print::print_filters,
            commands::print::printers,
            commands::print::print_jobs,
            commands::print::print_save_pdf,
            commands::print::print_send,
            commands::print::print_retry,
            commands::verify::verify_token,
            commands::verify::verify_image,
            commands::activation::activation_status,
            commands::activation::passphrase_check,
            commands::activation::create_workstation_key,
            commands::activation::activation_request,
            commands::activation::install_key,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        // No window to show it in: the terminal or the system log is all there is.
        eprintln!("Không khởi động được ứng dụng: {e}");
        std::process::exit(1);
    }
}
