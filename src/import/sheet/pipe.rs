//! Reading on one thread and consuming on another: calamine's XML parsing and the rows'
//! validation each take about half of an import's reading time, and the machines Ladder runs
//! on have two cores or more. Rows cross in batches through a bounded channel, so memory stays
//! flat whatever the file's length.

use super::{Format, Limits, Row, RowSink, SheetError, read_into};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// Rows per batch sent across, and batches in flight: a few thousand rows at most.
const BATCH: usize = 512;
const DEPTH: usize = 8;

enum Piped {
    /// A sheet starts; the consumer answers whether to read it.
    Sheet(String, bool),
    Rows(Vec<Row>),
}

/// The reader's side: batches rows, and asks the consumer at each sheet.
struct Pipe {
    tx: SyncSender<Piped>,
    answers: Receiver<bool>,
    batch: Vec<Row>,
}

impl Pipe {
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            // A consumer that is gone has panicked; the join below reports it.
            let _ = self.tx.send(Piped::Rows(rows));
        }
    }
}

impl RowSink for Pipe {
    fn start_sheet(&mut self, name: &str, date1904: bool) -> bool {
        self.flush();
        if self
            .tx
            .send(Piped::Sheet(name.to_string(), date1904))
            .is_err()
        {
            return false;
        }
        self.answers.recv().unwrap_or(false)
    }

    fn row(&mut self, row: Row) {
        self.batch.push(row);
        if self.batch.len() == BATCH {
            self.flush();
        }
    }
}

/// [`read_into`], with `sink` fed on a second thread while this one reads the file.
pub fn read_piped<S: RowSink + Send>(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    sink: &mut S,
) -> Result<Format, SheetError> {
    let (tx, rx) = sync_channel::<Piped>(DEPTH);
    let (answer, answers) = channel::<bool>();
    std::thread::scope(|scope| {
        let consumer = scope.spawn(move || {
            let mut busy = std::time::Duration::ZERO;
            for message in rx {
                let started = std::time::Instant::now();
                match message {
                    Piped::Sheet(name, date1904) => {
                        let _ = answer.send(sink.start_sheet(&name, date1904));
                    }
                    Piped::Rows(rows) => rows.into_iter().for_each(|r| sink.row(r)),
                }
                busy += started.elapsed();
            }
            tracing::debug!(busy_ms = busy.as_millis(), "rows consumed");
        });
        let mut pipe = Pipe {
            tx,
            answers,
            batch: Vec::with_capacity(BATCH),
        };
        let read = read_into(name, bytes, limits, &mut pipe);
        pipe.flush();
        // Closing the channel ends the consumer's loop.
        drop(pipe);
        match consumer.join() {
            Ok(()) => read,
            Err(_) => {
                tracing::warn!("a row consumer panicked; the file is treated as damaged");
                Err(SheetError::Damaged)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what arrives, skipping every sheet after the first.
    #[derive(Default)]
    struct Seen {
        sheets: Vec<String>,
        rows: Vec<u32>,
    }

    impl RowSink for Seen {
        fn start_sheet(&mut self, name: &str, _: bool) -> bool {
            self.sheets.push(name.to_string());
            self.sheets.len() == 1
        }

        fn row(&mut self, row: Row) {
            self.rows.push(row.index);
        }
    }

    #[test]
    fn rows_arrive_in_order_across_batches() {
        let csv: String = (0..2_000).map(|i| format!("{i},x\n")).collect();
        let mut direct = Seen::default();
        read_into("a.csv", csv.as_bytes(), &Limits::default(), &mut direct).unwrap();
        let mut piped = Seen::default();
        let format = read_piped("a.csv", csv.as_bytes(), &Limits::default(), &mut piped).unwrap();
        assert_eq!(format, Format::Csv);
        assert_eq!(piped.rows.len(), 2_000);
        assert_eq!(piped.rows, direct.rows);
        assert_eq!(piped.sheets, direct.sheets);
    }

    #[test]
    fn a_refused_file_is_refused_the_same_way() {
        let mut sink = Seen::default();
        let err = read_piped("a.xlsx", b"not a workbook", &Limits::default(), &mut sink);
        assert!(
            matches!(err, Err(SheetError::NotASpreadsheet { .. })),
            "{err:?}"
        );
        assert!(sink.rows.is_empty());
    }
}
