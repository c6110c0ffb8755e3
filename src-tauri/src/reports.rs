//! The Report view's commands: a live preview (the HTML report, served to a frame from a
//! protocol of its own so that its styles live under its own policy, not the app's), export
//! to a chosen folder, and the reports issued before.

use std::borrow::Cow;
use std::sync::Mutex;

use chrono::{Local, Utc};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use streamline::plan::parse_date;
use streamline::report::{
    self, Audience, Exported, Format, Paper, PastReport, ReportOptions, WriteOptions,
};

use crate::commands::{with_db, with_db_write, CommandError, CommandResult};

/// The scheme the preview frame loads from.
pub const PREVIEW_SCHEME: &str = "report";

/// The HTML of the latest preview.
#[derive(Default)]
pub struct PreviewPage(Mutex<String>);

/// What the Report view's options ask for.
#[derive(Debug, Deserialize)]
pub struct ReportRequest {
    from: Option<String>,
    to: Option<String>,
    audience: String,
    author: Option<String>,
}

fn report_error(err: report::ReportError) -> CommandError {
    CommandError {
        kind: err.kind().into(),
        message: err.to_string(),
    }
}

fn options(request: &ReportRequest, tz: streamline::settings::Tz) -> CommandResult<ReportOptions> {
    let date = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(parse_date)
            .transpose()
    };
    Ok(ReportOptions {
        from: date(&request.from)?,
        to: date(&request.to)?,
        audience: Audience::parse(&request.audience).map_err(report_error)?,
        // The login name is read here, at the edge, like the clock.
        author: request
            .author
            .clone()
            .filter(|a| !a.trim().is_empty())
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_default(),
        now: Utc::now(),
        tz,
        weeks_each_side: 4,
    })
}

#[derive(Serialize)]
pub struct Preview {
    /// Changes with every preview, so the frame reloads.
    version: i64,
    title: String,
    period: String,
    /// False before any alert export is imported: the view says what to do first.
    has_data: bool,
}

/// Builds the report for the options and keeps its HTML for the preview frame.
#[tauri::command(async)]
pub fn report_preview(app: AppHandle, request: ReportRequest) -> CommandResult<Preview> {
    let options = options(&request, crate::commands::time_zone(&app)?)?;
    let built = with_db(&app, |conn| {
        report::build(conn, &options).map_err(report_error)
    })?;
    let html = report::render_html(&built);
    *app.state::<PreviewPage>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = html;
    Ok(Preview {
        version: Utc::now().timestamp_millis(),
        title: built.header.title.clone(),
        period: built.header.period_text.clone(),
        has_data: built.header.data_first.is_some(),
    })
}

/// Serves the preview's HTML to the frame.
pub fn serve_preview(app: &AppHandle) -> tauri::http::Response<Cow<'static, [u8]>> {
    let html = app
        .state::<PreviewPage>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    tauri::http::Response::builder()
        .header("Content-Type", "text/html; charset=utf-8")
        // The report's own rules: its inline styles and SVG, nothing fetched, nothing run.
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
        )
        .body(Cow::Owned(html.into_bytes()))
        .unwrap_or_else(|_| tauri::http::Response::new(Cow::Borrowed(&b""[..])))
}

#[derive(Serialize)]
pub struct ExportResult {
    folder: String,
    #[serde(flatten)]
    exported: Exported,
}

/// Asks for a folder, writes the report there in the chosen formats, records it as issued
/// (unless a draft) and opens the folder. `None` when the user closed the dialog.
#[tauri::command(async)]
pub fn export_report(
    app: AppHandle,
    request: ReportRequest,
    formats: Vec<String>,
    paper: String,
    draft: bool,
) -> CommandResult<Option<ExportResult>> {
    let options = options(&request, crate::commands::time_zone(&app)?)?;
    let write_options = WriteOptions {
        formats: Format::parse_list(&formats.join(",")).map_err(report_error)?,
        paper: Paper::parse(&paper).map_err(report_error)?,
    };
    let Some(folder) = app
        .dialog()
        .file()
        .set_title("Choose a folder for the report")
        .blocking_pick_folder()
        .and_then(|f| f.into_path().ok())
    else {
        return Ok(None);
    };
    let exported = with_db_write(&app, |conn| {
        let built = report::build(conn, &options).map_err(report_error)?;
        report::export(conn, &built, &folder, &write_options, draft).map_err(report_error)
    })?;
    // Showing the folder is a courtesy: the files are written either way.
    let _ = app
        .opener()
        .open_path(folder.display().to_string(), None::<&str>);
    Ok(Some(ExportResult {
        folder: folder.display().to_string(),
        exported,
    }))
}

#[tauri::command(async)]
pub fn past_reports(app: AppHandle) -> CommandResult<Vec<PastReport>> {
    with_db(&app, |conn| {
        report::past_reports(conn).map_err(report_error)
    })
}

/// Today's date, for the period fields' defaults.
#[tauri::command(async)]
pub fn report_defaults() -> CommandResult<ReportDefaults> {
    Ok(ReportDefaults {
        today: Local::now().date_naive().to_string(),
        author: std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_default(),
    })
}

#[derive(Serialize)]
pub struct ReportDefaults {
    today: String,
    author: String,
}
