//! One import from start to end: sniff, pick the format, settle the date order, stream the
//! rows through the normaliser into the store, and record what happened.

use std::cell::Cell;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use csv::StringRecord;
use rusqlite::{params, Connection, Transaction};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::aggregate::{AggregateRows, CellWriter};
use super::dates::{order_evidence, DateOrder, DateOrderFrom, DateReader, Evidence};
use super::format::{detect_csv, detect_json, Format};
use super::formats::{bind_csv, read_graph_alert, read_thehive_case, Context};
use super::item::{Sighting, Status};
use super::mappings::{mapping_by_name, mapping_for_header, ColumnMapping};
use super::queues::automation_accounts;
use super::read::{
    decode_head, open_text, read_head, sniff_delimiter, sniff_encoding, HeaderIndex, OpenedText,
    SniffError, TextEncoding, MAX_LINE_BYTES, SNIFF_BYTES,
};
use super::records::{import_record, Rejection};
use super::upsert::ItemWriter;
use super::{Detection, ImportError, ImportOptions, ImportReport, Progress};

/// Rejected rows kept in the report itself; the rest are only in the store.
const REPORT_REJECTIONS: usize = 100;

/// What the file is, once looked at.
struct Shape {
    encoding: TextEncoding,
    format: Format,
    mapping: Option<ColumnMapping>,
    /// For CSV.
    delimiter: u8,
    header: Option<HeaderIndex>,
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn unreadable(file: &str, e: &io::Error) -> ImportError {
    ImportError::Unreadable {
        file: file.to_owned(),
        reason: e.to_string(),
    }
}

/// The first line of the text (the header of a CSV), without its line break.
fn first_line(text: &str) -> Option<&str> {
    text.find('\n')
        .map(|end| text[..end].trim_end_matches('\r'))
}

fn parse_header(line: &str, delimiter: u8) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = StringRecord::new();
    match rdr.read_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| f.trim_matches('\u{feff}').to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// Sniffs the encoding and decides the format (the user's choice wins over detection).
fn look_at(
    conn: &Connection,
    path: &Path,
    options: &ImportOptions,
) -> Result<(Shape, String, u64), ImportError> {
    let file = shown(path);
    let meta = std::fs::metadata(path).map_err(|e| unreadable(&file, &e))?;
    if meta.is_dir() {
        return Err(ImportError::Unreadable {
            file,
            reason: "it is a folder, not a file".into(),
        });
    }
    let head = read_head(path, SNIFF_BYTES).map_err(|e| unreadable(&file, &e))?;
    // People drop the workbook they opened the export in; say what to do with it.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::Malformed {
            file,
            line: 1,
            reason: "this is a spreadsheet workbook (or another zip file), not an export; \
                     save it from Excel as CSV or Unicode Text and import that"
                .into(),
        });
    }
    let encoding = sniff_encoding(&head).map_err(|e| match e {
        SniffError::Empty => ImportError::Empty { file: file.clone() },
        SniffError::Binary { offset } => ImportError::NotText {
            file: file.clone(),
            line: 1 + head[..offset].iter().filter(|b| **b == b'\n').count() as u64,
            offset: offset as u64,
        },
    })?;
    let text = decode_head(&head, encoding);
    if text.trim().is_empty() {
        return Err(ImportError::Empty { file });
    }
    let chosen = match options
        .format
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        None => None,
        Some(name) => match name.strip_prefix("mapping:") {
            Some(mapping) => Some((
                Format::Mapped,
                Some(mapping_by_name(conn, mapping)?.ok_or_else(|| {
                    ImportError::UnknownFormatName {
                        name: name.to_owned(),
                    }
                })?),
            )),
            None => Some((
                Format::from_name(name).ok_or_else(|| ImportError::UnknownFormatName {
                    name: name.to_owned(),
                })?,
                None,
            )),
        },
    };
    let json_format = detect_json(&text);
    let looks_json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    let wants_json = chosen
        .as_ref()
        .map_or(json_format.is_some() || looks_json, |(f, _)| f.is_json());
    if wants_json {
        let format = match chosen {
            Some((f, _)) => f,
            None => json_format.ok_or_else(|| ImportError::UnknownFormat {
                file: file.clone(),
                reason: "JSON that is neither Graph alerts ({\"value\": [...]}) nor TheHive cases ([...])".into(),
            })?,
        };
        return Ok((
            Shape {
                encoding,
                format,
                mapping: None,
                delimiter: b',',
                header: None,
            },
            file,
            meta.len(),
        ));
    }
    let Some(line) =
        first_line(&text).or_else(|| (head.len() < SNIFF_BYTES).then_some(text.as_str()))
    else {
        return Err(ImportError::Malformed {
            file,
            line: 1,
            reason: format!(
                "the first line is longer than {} KiB; an export's header is not",
                SNIFF_BYTES / 1024
            ),
        });
    };
    let delimiter = sniff_delimiter(line);
    let header = HeaderIndex::new(parse_header(line, delimiter));
    let (format, mapping) = match chosen {
        Some(choice) => choice,
        None => match detect_csv(&header) {
            Some(f) => (f, None),
            None => match mapping_for_header(conn, &header)? {
                Some(m) => (Format::Mapped, Some(m)),
                None => {
                    let names: Vec<&str> =
                        header.names.iter().take(6).map(String::as_str).collect();
                    let shown_names = names.join(", ");
                    let shown_names: String = shown_names.chars().take(200).collect();
                    return Err(ImportError::UnknownFormat {
                        file,
                        reason: if header.names.len() <= 1 {
                            format!(
                                "the header {shown_names:?} has one column: not CSV, or a delimiter other than comma, tab or semicolon"
                            )
                        } else {
                            format!(
                                "its {} columns ({shown_names}{}) match no supported export",
                                header.names.len(),
                                if header.names.len() > 6 { ", …" } else { "" }
                            )
                        },
                    });
                }
            },
        },
    };
    if format.is_json() {
        return Err(ImportError::Malformed {
            file,
            line: 1,
            reason: format!(
                "{} is a JSON format, but the file is not JSON",
                format.name()
            ),
        });
    }
    Ok((
        Shape {
            encoding,
            format,
            mapping,
            delimiter,
            header: Some(header),
        },
        file,
        meta.len(),
    ))
}

/// Describes a file for the preview, without importing it.
pub fn detect_file(conn: &Connection, path: &Path) -> Result<Detection, ImportError> {
    let (shape, unknown_because) = match look_at(conn, path, &ImportOptions::default()) {
        Ok((shape, _, _)) => (Some(shape), None),
        Err(ImportError::UnknownFormat { reason, .. }) => (None, Some(reason)),
        Err(e) => return Err(e),
    };
    let file = shown(path);
    let head = read_head(path, SNIFF_BYTES).map_err(|e| unreadable(&file, &e))?;
    let encoding = match &shape {
        Some(s) => s.encoding,
        None => sniff_encoding(&head).unwrap_or(TextEncoding::Utf8),
    };
    let text = decode_head(&head, encoding);
    let is_json = shape.as_ref().is_some_and(|s| s.format.is_json());
    let (delimiter, header, sample_rows, date_order) = if is_json {
        (None, Vec::new(), Vec::new(), None)
    } else {
        let line = first_line(&text).unwrap_or(&text);
        let delimiter = shape
            .as_ref()
            .map_or_else(|| sniff_delimiter(line), |s| s.delimiter);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut rows: Vec<Vec<String>> = Vec::new();
        for record in rdr.records().take(6) {
            match record {
                Ok(r) => rows.push(r.iter().map(|f| f.chars().take(200).collect()).collect()),
                Err(_) => break,
            }
        }
        let header = if rows.is_empty() {
            Vec::new()
        } else {
            rows.remove(0)
        };
        let mut order = None;
        'rows: for row in &rows {
            for cell in row {
                if let Evidence::Only(o) = order_evidence(cell) {
                    order = Some(o);
                    break 'rows;
                }
            }
        }
        (Some(char::from(delimiter)), header, rows, order)
    };
    Ok(Detection {
        format: shape.as_ref().map(|s| match &s.mapping {
            Some(m) => m.format_name(),
            None => s.format.name().to_owned(),
        }),
        title: shape.as_ref().map(|s| s.format.title().to_owned()),
        unknown_because,
        encoding: encoding.name(),
        delimiter,
        header,
        sample_rows,
        date_order,
    })
}

/// Reads the date columns until one date can only be read one way.
fn settle_date_order(
    path: &Path,
    shape: &Shape,
    date_columns: &[usize],
    options: &ImportOptions,
) -> (DateOrder, Option<DateOrderFrom>) {
    if let Some(order) = options.date_order {
        return (order, Some(DateOrderFrom::User));
    }
    if date_columns.is_empty() {
        return (DateOrder::Mdy, None);
    }
    let Ok(text) = open_text(path, shape.encoding) else {
        return (DateOrder::Mdy, None);
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(shape.delimiter)
        .flexible(true)
        .from_reader(text.reader);
    let mut record = csv::ByteRecord::new();
    let mut ambiguous = false;
    while let Ok(true) = rdr.read_byte_record(&mut record) {
        for &col in date_columns {
            let Some(cell) = record.get(col).and_then(|c| std::str::from_utf8(c).ok()) else {
                continue;
            };
            match order_evidence(cell) {
                Evidence::Only(order) => return (order, Some(DateOrderFrom::Data)),
                Evidence::Ambiguous => ambiguous = true,
                Evidence::None => {}
            }
        }
    }
    if ambiguous {
        (DateOrder::Mdy, Some(DateOrderFrom::Assumed))
    } else {
        (DateOrder::Mdy, None)
    }
}

/// Counts, rejections and progress while rows stream by.
struct Tally<'a> {
    tx: &'a Transaction<'a>,
    file: String,
    import_id: i64,
    rows_read: u64,
    rejected: u64,
    redirected: u64,
    first_rejections: Vec<Rejection>,
    bytes_read: Rc<Cell<u64>>,
    bytes_total: u64,
    step: u64,
    last_reported: u64,
}

impl Tally<'_> {
    fn reject(&mut self, line: u64, reason: String) -> Result<(), ImportError> {
        self.rejected += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO import_rejection (import_id, line, reason) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.import_id, line as i64, reason])?;
        if self.first_rejections.len() < REPORT_REJECTIONS {
            self.first_rejections.push(Rejection { line, reason });
        }
        Ok(())
    }

    fn accept(&mut self, writer: &mut ItemWriter, sighting: Sighting) -> Result<(), ImportError> {
        if sighting.status == Status::Redirected {
            self.redirected += 1;
        }
        writer.write(sighting)?;
        Ok(())
    }

    /// Tells the caller how far the import is, about every 1% of the file; it may cancel.
    fn progress(
        &mut self,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
        last: bool,
    ) -> Result<(), ImportError> {
        let read = self.bytes_read.get();
        if !last && read < self.last_reported + self.step {
            return Ok(());
        }
        self.last_reported = read;
        let now = Progress {
            bytes_read: if last {
                self.bytes_total
            } else {
                read.min(self.bytes_total)
            },
            bytes_total: self.bytes_total,
            rows_read: self.rows_read,
        };
        match progress(now) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(ImportError::Cancelled {
                file: self.file.clone(),
            }),
        }
    }
}

pub(super) fn import_in_tx(
    tx: &Transaction,
    path: &Path,
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let (shape, file, size) = look_at(tx, path, options)?;
    let format_name = match &shape.mapping {
        Some(m) => m.format_name(),
        None => shape.format.name().to_owned(),
    };
    let file_name = path
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    tx.execute(
        "INSERT INTO import (file_name, size_bytes, sha256, format, rows_read, items_new, items_updated,
            items_unchanged, rows_rejected, duration_ms, imported_at_ms)
         VALUES (?1, ?2, '', ?3, 0, 0, 0, 0, 0, 0, ?4)",
        params![file_name, size as i64, format_name, now.timestamp_millis()],
    )?;
    let import_id = tx.last_insert_rowid();
    let automation = automation_accounts(tx)?
        .into_iter()
        .map(|a| a.to_lowercase())
        .collect();
    let text = open_text(path, shape.encoding).map_err(|e| unreadable(&file, &e))?;
    let mut tally = Tally {
        tx,
        file: file.clone(),
        import_id,
        rows_read: 0,
        rejected: 0,
        redirected: 0,
        first_rejections: Vec::new(),
        bytes_read: Rc::clone(&text.bytes_read),
        bytes_total: size,
        step: (size / 100).max(64 * 1024),
        last_reported: 0,
    };
    tally.progress(progress, false)?;
    if shape.format == Format::Aggregate {
        // Weekly figures, not items: no date order to settle, no item to upsert.
        let (sha256, cells) = read_aggregate(text, &shape, &mut tally, progress)?;
        return finish_import(
            tx,
            &shape,
            tally,
            progress,
            started,
            Finished {
                file,
                sha256,
                date_order: (None, None),
                header_line: 1,
            },
            |tx| {
                cells.finish(tx, import_id)?;
                Ok((0, 0, 0))
            },
        );
    }
    let mut writer = ItemWriter::new(tx, import_id)?;
    let (text, date_order, header_line) = if shape.format.is_json() {
        let cx = Context {
            dates: DateReader::new(DateOrder::Mdy),
            automation_accounts: automation,
        };
        let text = read_json(text, &shape, &cx, &mut writer, &mut tally, progress)?;
        (text, (None, None), 0)
    } else {
        let header = shape
            .header
            .as_ref()
            .ok_or_else(|| ImportError::Malformed {
                file: file.clone(),
                line: 1,
                reason: "no header".into(),
            })?;
        let rows = bind_csv(shape.format, header, shape.mapping.as_ref()).map_err(|reason| {
            ImportError::Malformed {
                file: file.clone(),
                line: 1,
                reason: format!(
                    "{reason}; this is not a complete {} export",
                    shape.format.title()
                ),
            }
        })?;
        let (order, from) = settle_date_order(path, &shape, &rows.date_columns(), options);
        let cx = Context {
            dates: DateReader::new(order),
            automation_accounts: automation,
        };
        let text = read_csv(
            text,
            &shape,
            header.names.len(),
            &mut tally,
            progress,
            &mut |record, line, tally| match rows.read(record, &cx) {
                Ok(sighting) => tally.accept(&mut writer, sighting),
                Err(reason) => tally.reject(line, reason),
            },
        )?;
        (text, (from.map(|_| order), from), 1)
    };
    let sha256 = text.finish().map_err(|e| unreadable(&file, &e))?;
    finish_import(
        tx,
        &shape,
        tally,
        progress,
        started,
        Finished {
            file,
            sha256,
            date_order,
            header_line,
        },
        |_| Ok(writer.finish()?),
    )
}

/// What the reading of a file leaves for its record.
struct Finished {
    file: String,
    sha256: String,
    date_order: (Option<DateOrder>, Option<DateOrderFrom>),
    header_line: u64,
}

/// Refuses a file with nothing readable, lets `store` write what was read (and count the items
/// new, updated and unchanged), and completes the import's record.
fn finish_import(
    tx: &Transaction,
    shape: &Shape,
    mut tally: Tally,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    started: Instant,
    finished: Finished,
    store: impl FnOnce(&Transaction) -> Result<(i64, i64, i64), ImportError>,
) -> Result<ImportReport, ImportError> {
    let Finished {
        file,
        sha256,
        date_order,
        header_line,
    } = finished;
    let import_id = tally.import_id;
    if tally.rows_read == 0 {
        return Err(if shape.format.is_json() {
            ImportError::Malformed {
                file,
                line: 1,
                reason: "the JSON holds no alerts or cases".into(),
            }
        } else {
            ImportError::HeaderOnly {
                file,
                line: header_line,
            }
        });
    }
    if tally.rejected == tally.rows_read {
        let first = tally
            .first_rejections
            .first()
            .cloned()
            .unwrap_or(Rejection {
                line: 0,
                reason: String::new(),
            });
        return Err(ImportError::NothingReadable {
            file,
            rejected: tally.rejected,
            line: first.line,
            reason: first.reason,
        });
    }
    tally.progress(progress, true)?;
    let (new, updated, unchanged) = store(tx)?;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    tx.execute(
        "UPDATE import SET sha256 = ?2, date_order = ?3, date_order_from = ?4, rows_read = ?5, items_new = ?6,
            items_updated = ?7, items_unchanged = ?8, rows_rejected = ?9, duration_ms = ?10
         WHERE id = ?1",
        params![
            import_id,
            sha256,
            date_order.0.map(DateOrder::name),
            date_order.1.map(DateOrderFrom::name),
            tally.rows_read as i64,
            new,
            updated,
            unchanged,
            tally.rejected as i64,
            duration_ms,
        ],
    )?;
    Ok(ImportReport {
        record: import_record(tx, import_id)?,
        rejected: tally.first_rejections,
        redirected: tally.redirected,
    })
}

/// Streams the rows of a CSV to `on_row` (with their line), after the checks every CSV gets.
fn read_csv(
    mut text: OpenedText,
    shape: &Shape,
    columns: usize,
    tally: &mut Tally,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    on_row: &mut dyn FnMut(&StringRecord, u64, &mut Tally) -> Result<(), ImportError>,
) -> Result<OpenedText, ImportError> {
    {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(shape.delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(&mut text.reader);
        let mut record = StringRecord::new();
        loop {
            match rdr.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_failure(&tally.file, &e)),
            }
            let line = record.position().map_or(0, csv::Position::line);
            tally.rows_read += 1;
            let bytes = record.as_slice().len();
            if bytes > MAX_LINE_BYTES {
                tally.reject(
                    line,
                    format!(
                        "the row is {} KiB long; no export writes rows over {} KiB (is the file damaged?)",
                        bytes / 1024,
                        MAX_LINE_BYTES / 1024
                    ),
                )?;
            } else if record.len() != columns {
                let hint = if record.len() == 1 && columns > 1 {
                    format!(
                        " (the header is separated by {:?}: is this row separated by something else?)",
                        char::from(shape.delimiter)
                    )
                } else if record.len() < columns {
                    " (a truncated row?)".to_owned()
                } else {
                    String::new()
                };
                tally.reject(
                    line,
                    format!(
                        "the row has {} fields, the header has {columns}{hint}",
                        record.len()
                    ),
                )?;
            } else {
                on_row(&record, line, tally)?;
            }
            if tally.rows_read.is_multiple_of(512) {
                tally.progress(progress, false)?;
            }
        }
    }
    Ok(text)
}

/// Reads an aggregate file's rows into cells (added up by key); returns the file's SHA-256
/// and the cells, to be stored once every row is read.
fn read_aggregate(
    text: OpenedText,
    shape: &Shape,
    tally: &mut Tally,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<(String, CellWriter), ImportError> {
    let header = shape
        .header
        .as_ref()
        .ok_or_else(|| ImportError::Malformed {
            file: tally.file.clone(),
            line: 1,
            reason: "no header".into(),
        })?;
    let rows = AggregateRows::bind(header).map_err(|reason| ImportError::Malformed {
        file: tally.file.clone(),
        line: 1,
        reason: format!("{reason}; this is not a complete aggregate file (docs/queries/README.md)"),
    })?;
    let mut cells = CellWriter::new();
    let text = read_csv(
        text,
        shape,
        header.names.len(),
        tally,
        progress,
        &mut |record, line, tally| {
            match rows.read(record) {
                Ok((key, value)) => cells.add(key, value),
                Err(reason) => tally.reject(line, reason)?,
            }
            Ok(())
        },
    )?;
    let sha256 = text.finish().map_err(|e| unreadable(&tally.file, &e))?;
    Ok((sha256, cells))
}

fn csv_failure(file: &str, e: &csv::Error) -> ImportError {
    let line = e.position().map_or(0, csv::Position::line);
    match e.kind() {
        csv::ErrorKind::Io(io) => ImportError::Unreadable {
            file: file.to_owned(),
            reason: io.to_string(),
        },
        csv::ErrorKind::Utf8 { .. } => ImportError::Malformed {
            file: file.to_owned(),
            line,
            reason: "the text is not valid UTF-8 (binary content, or a damaged file)".into(),
        },
        _ => ImportError::Malformed {
            file: file.to_owned(),
            line,
            reason: e.to_string(),
        },
    }
}

/// Counts line breaks as serde_json reads, so that a rejected object can be found by line.
struct LineCounter<R> {
    inner: R,
    lines: Rc<Cell<u64>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let newlines = buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        self.lines.set(self.lines.get() + newlines);
        Ok(n)
    }
}

/// Streams the objects of a JSON array (at the top, or under `"value"`) one at a time.
struct Objects<'a> {
    on_object: &'a mut dyn FnMut(Value) -> Result<(), ImportError>,
    failure: &'a mut Option<ImportError>,
}

impl<'de> DeserializeSeed<'de> for Objects<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Objects<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            if let Err(e) = (self.on_object)(value) {
                *self.failure = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// `{"value": [...], ...}`: the array under `value`; other keys are skipped. A bare array (the
/// `value` saved on its own) is read too.
struct ValueArray<'a> {
    objects: Objects<'a>,
}

impl<'de> DeserializeSeed<'de> for ValueArray<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueArray<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with a \"value\" array")
    }
    /// The `value` array saved on its own.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        self.objects.visit_seq(seq).map(|()| true)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut objects = Some(self.objects);
        while let Some(key) = map.next_key::<String>()? {
            match (key.as_str(), objects.take()) {
                ("value", Some(o)) => map.next_value_seed(o)?,
                (_, o) => {
                    objects = o;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(objects.is_none())
    }
}

fn read_json(
    mut text: OpenedText,
    shape: &Shape,
    cx: &Context,
    writer: &mut ItemWriter,
    tally: &mut Tally,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<OpenedText, ImportError> {
    let lines = Rc::new(Cell::new(1));
    let file = tally.file.clone();
    let mut failure = None;
    let mut index = 0u64;
    let read_object: fn(&Value, &Context) -> Result<Sighting, String> = match shape.format {
        Format::TheHive => read_thehive_case,
        _ => read_graph_alert,
    };
    let counted_lines = Rc::clone(&lines);
    let mut on_object = |value: Value| -> Result<(), ImportError> {
        index += 1;
        tally.rows_read += 1;
        match read_object(&value, cx) {
            Ok(sighting) => tally.accept(writer, sighting)?,
            Err(reason) => {
                tally.reject(counted_lines.get(), format!("object {index}: {reason}"))?
            }
        }
        tally.progress(progress, false)
    };
    let result = {
        // Above the buffer, so that only the bytes serde_json has consumed are counted.
        let reader = LineCounter {
            inner: io::BufReader::new(&mut text.reader),
            lines: Rc::clone(&lines),
        };
        let mut de = serde_json::Deserializer::from_reader(reader);
        let objects = Objects {
            on_object: &mut on_object,
            failure: &mut failure,
        };
        let parsed = match shape.format {
            Format::TheHive => objects.deserialize(&mut de).map(|()| true),
            _ => ValueArray { objects }.deserialize(&mut de),
        };
        parsed.and_then(|found| de.end().map(|()| found))
    };
    if let Some(e) = failure {
        return Err(e);
    }
    match result {
        Ok(true) => Ok(text),
        Ok(false) => Err(ImportError::Malformed {
            file,
            line: 1,
            reason: "the JSON object has no \"value\" array of alerts".into(),
        }),
        Err(e) => Err(ImportError::Malformed {
            file,
            line: e.line() as u64,
            reason: format!("the JSON is not complete or not valid: {e}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read::normalise_header;

    #[test]
    fn header_line_splits_on_its_delimiter() {
        assert_eq!(
            parse_header("\"A, b\",C", b','),
            vec!["A, b".to_owned(), "C".to_owned()]
        );
        assert_eq!(normalise_header("TimeGenerated [UTC]"), "timegenerated");
    }
}
