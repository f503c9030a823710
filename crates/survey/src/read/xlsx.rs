//! Excel workbooks via calamine: the header row is the first row whose cells are all
//! non-empty text; data rows run until the first entirely empty row.

use super::{Format, RawTable, ReadError, ReadOptions, catch_reader_panic};
use calamine::{Data, Reader, open_workbook_auto};
use polars::prelude::*;
use std::path::Path;

pub(super) fn read_xlsx(path: &Path, opts: &ReadOptions) -> Result<RawTable, ReadError> {
    let range = catch_reader_panic(path, "Excel", || {
        let mut wb = open_workbook_auto(path).map_err(|e| e.to_string())?;
        let sheet = match &opts.sheet {
            Some(s) => s.clone(),
            None => wb
                .sheet_names()
                .first()
                .cloned()
                .ok_or_else(|| "the workbook has no sheets".to_string())?,
        };
        wb.worksheet_range(&sheet).map_err(|e| e.to_string())
    })?;
    let rows: Vec<&[Data]> = range.rows().collect();
    let is_empty =
        |c: &Data| matches!(c, Data::Empty) || matches!(c, Data::String(s) if s.trim().is_empty());
    let header_at = rows.iter().position(|row| {
        let filled: Vec<&Data> = row.iter().filter(|c| !is_empty(c)).collect();
        filled.len() >= 2
            && filled.len() == row.iter().rposition(|c| !is_empty(c)).map_or(0, |p| p + 1)
            && filled.iter().all(|c| matches!(c, Data::String(_)))
    });
    let Some(header_at) = header_at else {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
        });
    };
    let header: Vec<String> = rows[header_at]
        .iter()
        .take_while(|c| !is_empty(c))
        .map(|c| c.to_string().trim().to_string())
        .collect();
    let body: Vec<&[Data]> = rows[header_at + 1..]
        .iter()
        .take_while(|row| !row.iter().all(is_empty))
        .copied()
        .collect();
    let mut columns = Vec::with_capacity(header.len());
    for (j, name) in header.iter().enumerate() {
        let cells: Vec<&Data> = body
            .iter()
            .map(|row| row.get(j).unwrap_or(&Data::Empty))
            .collect();
        let all_numeric = cells.iter().all(|c| {
            matches!(
                c,
                Data::Float(_) | Data::Int(_) | Data::Empty | Data::Bool(_)
            )
        });
        let column = if all_numeric {
            let v: Vec<Option<f64>> = cells
                .iter()
                .map(|c| match c {
                    Data::Float(f) => Some(*f),
                    Data::Int(i) => Some(*i as f64),
                    Data::Bool(b) => Some(f64::from(u8::from(*b))),
                    _ => None,
                })
                .collect();
            Column::new(name.as_str().into(), v)
        } else {
            let v: Vec<Option<String>> = cells
                .iter()
                .map(|c| match c {
                    Data::Empty => None,
                    Data::Float(f) => Some(crate::codebook::normalise_number(*f)),
                    other => Some(other.to_string()),
                })
                .collect();
            Column::new(name.as_str().into(), v)
        };
        columns.push(column);
    }
    let df = DataFrame::new_infer_height(columns).map_err(|e| ReadError::Corrupt {
        path: path.to_path_buf(),
        format: "Excel",
        message: e.to_string(),
    })?;
    Ok(RawTable::new(path, Format::Xlsx, df))
}
