fn main() {
    // The UI is embedded in the binary: rebuild when it or the configuration changes.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    // Every command the UI may call is listed here, so the capability file can grant them one by
    // one; anything not granted there is refused by the IPC layer.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "get_plan",
        "edit_step",
        "add_step",
        "remove_step",
        "move_step",
        "edit_objective",
        "add_objective",
        "remove_objective",
        "move_objective",
        "edit_accountability",
        "add_accountability",
        "remove_accountability",
        "set_program_name",
        "audit_log",
        "open_link",
        "get_dashboard",
        "load_demo",
        "queue_target_status",
        "choose_export_files",
        "watch_file_drops",
        "detect_export",
        "list_formats",
        "import_export",
        "cancel_import",
        "list_imports",
        "remove_import",
        "rejected_rows",
        "suggest_mapping",
        "save_mapping",
        "queue_settings",
        "set_queue_rules",
        "set_primary_queue",
        "save_hand_listed_queue",
        "remove_hand_listed_queue",
        "set_automation_accounts",
        "report_preview",
        "export_report",
        "past_reports",
        "report_defaults",
        "backup_database",
        "restore_database",
        "open_data_folder",
        "get_settings",
        "set_time_zone",
        "watch_menu",
    ]);
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(manifest),
    )
    .expect("the Tauri build step failed");
}
