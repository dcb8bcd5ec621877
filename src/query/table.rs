//! Query results as a table, printed aligned, as JSON or as CSV.

use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// Cells wider than this are cut in aligned output (JSON and CSV keep everything).
const MAX_CELL: usize = 70;

impl Table {
    pub fn new(columns: &[&'static str]) -> Table {
        Table { columns: columns.to_vec(), rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn write(&self, format: OutputFormat, w: &mut dyn Write) -> io::Result<()> {
        match format {
            OutputFormat::Table => self.write_aligned(w),
            OutputFormat::Json => self.write_json(w),
            OutputFormat::Csv => self.write_csv(w),
        }
    }

    fn write_aligned(&self, w: &mut dyn Write) -> io::Result<()> {
        let cell = |s: &str| -> String {
            let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.chars().count() > MAX_CELL {
                let mut c: String = flat.chars().take(MAX_CELL - 1).collect();
                c.push('…');
                c
            } else {
                flat
            }
        };
        let cells: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()).collect();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for r in &cells {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let line = |w: &mut dyn Write, r: &[String]| -> io::Result<()> {
            let mut s = String::new();
            for (i, c) in r.iter().enumerate() {
                if i + 1 == r.len() {
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    s.extend(std::iter::repeat_n(' ', widths[i] - c.chars().count() + 2));
                }
            }
            writeln!(w, "{}", s.trim_end())
        };
        line(w, &self.columns.iter().map(|c| c.to_uppercase()).collect::<Vec<_>>())?;
        for r in &cells {
            line(w, r)?;
        }
        Ok(())
    }

    fn write_json(&self, w: &mut dyn Write) -> io::Result<()> {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = self
            .rows
            .iter()
            .map(|r| {
                self.columns.iter().zip(r).map(|(c, v)| (c.to_string(), serde_json::Value::String(v.clone()))).collect()
            })
            .collect();
        serde_json::to_writer_pretty(&mut *w, &rows)?;
        writeln!(w)
    }

    fn write_csv(&self, w: &mut dyn Write) -> io::Result<()> {
        let field = |s: &str| -> String {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        writeln!(w, "{}", self.columns.join(","))?;
        for r in &self.rows {
            writeln!(w, "{}", r.iter().map(|c| field(c)).collect::<Vec<_>>().join(","))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_table_aligns() {
        let mut t = Table::new(&["a", "bb"]);
        t.push(vec!["x, \"y\"".into(), "z".into()]);
        let mut out = Vec::new();
        t.write(OutputFormat::Csv, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a,bb\n\"x, \"\"y\"\"\",z\n");
        let mut out = Vec::new();
        t.write(OutputFormat::Table, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "A       BB\nx, \"y\"  z\n");
    }
}
