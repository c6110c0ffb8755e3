//! The deployment plan: objectives, implementation steps, the accountability table, the
//! red/amber/green rule, and the audit log that every edit writes.
//!
//! Every edit runs in one transaction with its audit rows. "Now" and "today" come in through
//! [`Stamp`]; nothing here reads the clock.

mod edit;
mod model;
mod rag;

pub use edit::*;
pub use model::*;
pub use rag::{objective_rag, short_date, RAG_DUE_SOON_DAYS};

use chrono::NaiveDate;

/// Why a plan edit was refused. Nothing is written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("no step {0} in the plan (use a step's number such as 2a.3, or its id from `streamline plan`)")]
    UnknownStep(String),
    #[error("no objective {0:?} in the plan")]
    UnknownObjective(String),
    #[error("no accountability row {0} (rows are numbered from 1)")]
    UnknownAccountabilityRow(String),
    #[error("an objective {0:?} already exists")]
    DuplicateObjective(String),
    #[error("{value:?} is not a date; write it as YYYY-MM-DD")]
    InvalidDate { value: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<rusqlite::Error> for PlanError {
    fn from(err: rusqlite::Error) -> Self {
        PlanError::Store(err.into())
    }
}

/// Reads a date as a person types it: `YYYY-MM-DD`.
pub fn parse_date(value: &str) -> Result<NaiveDate, PlanError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| PlanError::InvalidDate {
        value: value.to_owned(),
    })
}
