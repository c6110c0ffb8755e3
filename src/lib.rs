//! Streamline's core: the store, the plan, and (in later modules) imports, metrics, charts and
//! reports. It knows nothing of Tauri; the desktop shell and the `streamline` command line both
//! call the public functions here.

pub mod charts;
pub mod cli;
pub mod dashboard;
pub mod demo;
pub mod fuzzing;
pub mod generate;
pub mod histogram;
pub mod import;
pub mod metrics;
pub mod plan;
pub mod report;
pub mod settings;
pub mod store;
pub mod units;

use serde::ser::SerializeStruct;

/// Any error the core returns, with a stable `kind` for the UI to branch on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Plan(#[from] plan::PlanError),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error(transparent)]
    Metrics(#[from] metrics::MetricsError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error(transparent)]
    Report(#[from] report::ReportError),
}

impl Error {
    /// A short, stable name for the kind of error (sent to the UI as `kind`).
    pub fn kind(&self) -> &'static str {
        use import::ImportError as I;
        use metrics::MetricsError as M;
        use plan::PlanError as P;
        use store::StoreError as S;
        match self {
            Error::Store(e)
            | Error::Plan(P::Store(e))
            | Error::Import(I::Store(e))
            | Error::Metrics(M::Store(e)) => match e {
                S::NoDataFolder | S::CannotOpen { .. } => "database_unavailable",
                S::NotADatabase { .. } => "database_not_sqlite",
                S::Locked { .. } => "database_locked",
                S::NewerSchema { .. } => "database_newer",
                S::Migration { .. } | S::Sqlite(_) => "database_error",
            },
            Error::Plan(
                P::UnknownStep(_) | P::UnknownObjective(_) | P::UnknownAccountabilityRow(_),
            ) => "not_found",
            Error::Plan(P::DuplicateObjective(_)) => "conflict",
            Error::Plan(P::InvalidDate { .. } | P::InvalidInput(_)) => "invalid_input",
            Error::Import(I::Unreadable { .. }) => "file_unreadable",
            Error::Import(I::Empty { .. } | I::HeaderOnly { .. }) => "file_empty",
            Error::Import(I::UnknownFormat { .. } | I::UnknownFormatName { .. }) => {
                "unknown_format"
            }
            Error::Import(I::NotText { .. } | I::Malformed { .. } | I::NothingReadable { .. }) => {
                "file_malformed"
            }
            Error::Import(I::Cancelled { .. }) => "cancelled",
            Error::Import(I::InvalidInput(_)) => "invalid_input",
            Error::Import(I::NotFound(_)) => "not_found",
            Error::Demo(demo::DemoError::NotEmpty) => "conflict",
            Error::Demo(demo::DemoError::Write { .. }) => "io_failed",
            Error::Demo(demo::DemoError::Import(_) | demo::DemoError::Plan(_)) => "import_failed",
            Error::Metrics(M::UnknownTimeZone(_) | M::EmptyPeriod { .. } | M::InvalidInput(_)) => {
                "invalid_input"
            }
            Error::Report(e) => e.kind(),
        }
    }
}

/// Crosses IPC as `{kind, message}`.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}
