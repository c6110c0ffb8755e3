//! The aggregate format (docs/queries/README.md): weekly counts and duration histograms that a
//! large SOC computes where its data lives (the KQL and SPL queries in docs/queries/) and
//! imports instead of its items. One row per cell; rows with the same key add up, so two
//! exports can be merged by concatenating them.
//!
//! Reading a row gives a [`CellKey`] and its count and sum; [`CellWriter`] adds the rows of one
//! import up and stores them with the queue the rules give (source, product). Which cells the
//! figures read (the newest import of each group) is decided when they are read, so that
//! removing an import brings back what it had replaced.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, Weekday};
use csv::StringRecord;
use rusqlite::{params, Transaction};

use super::format::Format;
use super::item::Severity;
use super::queues::QueueRules;
use super::read::HeaderIndex;
use crate::histogram::{self, NEGATIVE};

/// The value of the first column: the version of the format this Streamline reads.
pub const VERSION: &str = "1";

/// The columns, in the order Streamline writes them (readers accept any order).
pub const HEADER: [&str; 9] = [
    "streamline_aggregate",
    "week_start",
    "source",
    "product",
    "severity",
    "measure",
    "bucket",
    "count",
    "sum_s",
];

/// Closed cells further than this many weeks from the week created are a damaged file.
const MAX_WEEKS_TO_CLOSE: i32 = 100 * 53;

/// What a cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Items created in the week.
    Created,
    /// Items created in the week that are resolved (what the automated share divides by).
    Resolved,
    /// Items created in the week that are resolved and were closed by automation.
    Automated,
    /// Time to triage of items created in the week, by duration bucket.
    Triage,
    /// Time to resolve of items created in the week, by duration bucket.
    Resolve,
    /// Items created in the week that stopped being open, by whole weeks from the week created
    /// to the week closed (`bucket`): what the backlog subtracts.
    Closed,
}

impl Measure {
    pub const ALL: [Measure; 6] = [
        Measure::Created,
        Measure::Resolved,
        Measure::Automated,
        Measure::Triage,
        Measure::Resolve,
        Measure::Closed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Created => "created",
            Measure::Resolved => "resolved",
            Measure::Automated => "automated",
            Measure::Triage => "triage",
            Measure::Resolve => "resolve",
            Measure::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Measure> {
        let v = value.trim();
        Measure::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(v))
    }

    /// Whether `bucket` is a duration bucket and `sum_s` a sum of seconds.
    pub fn is_timing(self) -> bool {
        matches!(self, Measure::Triage | Measure::Resolve)
    }
}

/// Where a cell belongs: rows with the same key add up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellKey {
    /// The Monday of the ISO week the items were created in.
    pub week_start: NaiveDate,
    /// The raw format's name (`sentinel`, `splunk-es`): the queue rules read it.
    pub source: String,
    /// The queue signal, as the raw importer reads it (Sentinel's ProviderName…).
    pub product: String,
    pub severity: Severity,
    pub measure: Measure,
    /// Duration bucket (triage, resolve), weeks to close (closed), else 0.
    pub bucket: i32,
}

/// A cell's count and, for a timing, the sum of its durations in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CellValue {
    pub count: u64,
    pub sum_s: f64,
}

/// Writes cells as an aggregate file: the header, then one row per cell in key order.
pub fn write_cells<'c>(
    out: &mut dyn Write,
    cells: impl IntoIterator<Item = (&'c CellKey, &'c CellValue)>,
) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADER)?;
    for (key, value) in cells {
        csv.write_record([
            VERSION,
            &key.week_start.format("%Y-%m-%d").to_string(),
            &key.source,
            &key.product,
            key.severity.name(),
            key.measure.name(),
            &key.bucket.to_string(),
            &value.count.to_string(),
            &value.sum_s.to_string(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

/// The columns of an aggregate file, found by name.
pub(crate) struct AggregateRows {
    version: usize,
    week_start: usize,
    source: usize,
    product: usize,
    severity: usize,
    measure: usize,
    bucket: usize,
    count: usize,
    sum_s: usize,
}

impl AggregateRows {
    pub(crate) fn bind(header: &HeaderIndex) -> Result<Self, String> {
        let col = |name: &str| {
            header
                .find(&[name])
                .ok_or_else(|| format!("the column {name:?} is missing"))
        };
        Ok(AggregateRows {
            version: col("streamline_aggregate")?,
            week_start: col("week_start")?,
            source: col("source")?,
            product: col("product")?,
            severity: col("severity")?,
            measure: col("measure")?,
            bucket: col("bucket")?,
            count: col("count")?,
            sum_s: col("sum_s")?,
        })
    }

    /// The cell a row describes, or why the row cannot be read.
    pub(crate) fn read(&self, row: &StringRecord) -> Result<(CellKey, CellValue), String> {
        let get = |i: usize| row.get(i).unwrap_or("").trim();
        let version = get(self.version);
        if version != VERSION {
            return Err(format!(
                "streamline_aggregate is {version:?}; this version of Streamline reads version {VERSION}"
            ));
        }
        let week = get(self.week_start);
        let week_start = NaiveDate::parse_from_str(week, "%Y-%m-%d")
            .map_err(|_| format!("week_start {week:?} is not a date (YYYY-MM-DD)"))?;
        if week_start.weekday() != Weekday::Mon {
            return Err(format!(
                "week_start {week} is a {:?}, not the Monday that starts an ISO week",
                week_start.weekday()
            ));
        }
        let source_cell = get(self.source);
        let source = match Format::from_name(source_cell) {
            Some(Format::Aggregate | Format::Mapped) | None => {
                return Err(format!(
                    "source {source_cell:?} is not a raw export format (sentinel, splunk-es, …)"
                ))
            }
            Some(f) => f.name().to_owned(),
        };
        let measure_cell = get(self.measure);
        let measure = Measure::parse(measure_cell).ok_or_else(|| {
            format!(
                "measure {measure_cell:?} is not one of {}",
                Measure::ALL.map(Measure::name).join(", ")
            )
        })?;
        let bucket_cell = get(self.bucket);
        let bucket: i32 = if bucket_cell.is_empty() {
            0
        } else {
            bucket_cell
                .parse()
                .map_err(|_| format!("bucket {bucket_cell:?} is not a whole number"))?
        };
        let count_cell = get(self.count);
        let count: u64 = count_cell
            .parse()
            .map_err(|_| format!("count {count_cell:?} is not a whole number of items"))?;
        let sum_cell = get(self.sum_s);
        let sum_s: f64 = if sum_cell.is_empty() {
            0.0
        } else {
            sum_cell
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite())
                .ok_or_else(|| format!("sum_s {sum_cell:?} is not a number of seconds"))?
        };
        if measure.is_timing() {
            if !(NEGATIVE..=histogram::MAX_BUCKET).contains(&bucket) {
                return Err(format!(
                    "bucket {bucket} is not a duration bucket (-1 to {})",
                    histogram::MAX_BUCKET
                ));
            }
            check_sum(bucket, count, sum_s)?;
        } else if measure == Measure::Closed {
            if !(0..=MAX_WEEKS_TO_CLOSE).contains(&bucket) {
                return Err(format!(
                    "bucket {bucket} is not a number of weeks from created to closed"
                ));
            }
        } else if bucket != 0 {
            return Err(format!(
                "bucket is {bucket}; a {} count has bucket 0",
                measure.name()
            ));
        }
        Ok((
            CellKey {
                week_start,
                source,
                product: get(self.product).to_owned(),
                severity: Severity::parse(get(self.severity)),
                measure,
                bucket,
            },
            CellValue {
                count,
                sum_s: if measure.is_timing() { sum_s } else { 0.0 },
            },
        ))
    }
}

/// A sum of seconds must fit its bucket: a sum in milliseconds, or of another bucket, would
/// skew every mean without a word.
fn check_sum(bucket: i32, count: u64, sum_s: f64) -> Result<(), String> {
    if bucket == NEGATIVE {
        return if sum_s <= 0.0 {
            Ok(())
        } else {
            Err(format!(
                "sum_s {sum_s} is above zero in the bucket of negative durations"
            ))
        };
    }
    let (lower, upper) = histogram::bucket_bounds(bucket);
    // A little slack for the decimal digits the query printed.
    let (least, most) = (
        count as f64 * lower * (1.0 - 1e-6),
        count as f64 * upper * (1.0 + 1e-6),
    );
    if sum_s < least || sum_s > most {
        return Err(format!(
            "sum_s {sum_s} does not fit {count} durations of bucket {bucket} ({lower:.3} to {upper:.3} s each); are the durations in seconds?"
        ));
    }
    Ok(())
}

/// Adds up the cells of one import and stores them inside its transaction.
pub(crate) struct CellWriter {
    cells: BTreeMap<CellKey, CellValue>,
}

impl CellWriter {
    pub(crate) fn new() -> CellWriter {
        CellWriter {
            cells: BTreeMap::new(),
        }
    }

    pub(crate) fn add(&mut self, key: CellKey, value: CellValue) {
        let cell = self.cells.entry(key).or_default();
        cell.count += value.count;
        cell.sum_s += value.sum_s;
    }

    /// Stores the cells (empty ones are left out); returns how many were stored.
    pub(crate) fn finish(self, tx: &Transaction, import_id: i64) -> rusqlite::Result<i64> {
        let mut rules = QueueRules::load(tx)?;
        let mut queues_seen = HashSet::new();
        let mut stored = 0;
        for (key, value) in &self.cells {
            if value.count == 0 {
                continue;
            }
            let queue = rules.queue_for(&key.source, &key.product).to_owned();
            tx.prepare_cached(
                "INSERT INTO aggregate_cell (import_id, source, week_start, product, severity, queue,
                     measure, bucket, count, sum_s)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                import_id,
                key.source,
                key.week_start,
                key.product,
                key.severity.name(),
                queue,
                key.measure.name(),
                key.bucket,
                i64::try_from(value.count).unwrap_or(i64::MAX),
                value.sum_s,
            ])?;
            queues_seen.insert(queue);
            stored += 1;
        }
        for queue in &queues_seen {
            tx.prepare_cached("INSERT OR IGNORE INTO queue (name) VALUES (?1)")?
                .execute([queue])?;
        }
        Ok(stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> StringRecord {
        StringRecord::from(cells.to_vec())
    }

    fn reader() -> AggregateRows {
        AggregateRows::bind(&HeaderIndex::new(
            HEADER.iter().map(|h| (*h).to_owned()).collect(),
        ))
        .unwrap()
    }

    #[test]
    fn a_row_reads_into_its_cell() {
        let (key, value) = reader()
            .read(&row(&[
                "1",
                "2025-06-02",
                "splunk",
                "",
                "High",
                "triage",
                "35",
                "2",
                "7300.5",
            ]))
            .unwrap();
        assert_eq!(key.source, "splunk-es", "the format's canonical name");
        assert_eq!(key.severity, Severity::High);
        assert_eq!(key.measure, Measure::Triage);
        assert_eq!(value.count, 2);
    }

    #[test]
    fn bad_rows_say_why() {
        let cases: [(&[&str], &str); 6] = [
            (
                &[
                    "2",
                    "2025-06-02",
                    "sentinel",
                    "",
                    "high",
                    "created",
                    "0",
                    "1",
                    "0",
                ],
                "version",
            ),
            (
                &[
                    "1",
                    "2025-06-03",
                    "sentinel",
                    "",
                    "high",
                    "created",
                    "0",
                    "1",
                    "0",
                ],
                "Monday",
            ),
            (
                &[
                    "1",
                    "2025-06-02",
                    "excel",
                    "",
                    "high",
                    "created",
                    "0",
                    "1",
                    "0",
                ],
                "source",
            ),
            (
                &[
                    "1",
                    "2025-06-02",
                    "sentinel",
                    "",
                    "high",
                    "opened",
                    "0",
                    "1",
                    "0",
                ],
                "measure",
            ),
            (
                &[
                    "1",
                    "2025-06-02",
                    "sentinel",
                    "",
                    "high",
                    "triage",
                    "35",
                    "-3",
                    "0",
                ],
                "count",
            ),
            (
                &[
                    "1",
                    "2025-06-02",
                    "sentinel",
                    "",
                    "high",
                    "triage",
                    "35",
                    "2",
                    "7300500",
                ],
                "seconds",
            ),
        ];
        for (cells, word) in cases {
            let err = reader().read(&row(cells)).unwrap_err();
            assert!(err.contains(word), "{cells:?}: {err}");
        }
    }
}
