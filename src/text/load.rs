//! Reading articles: plain UTF-8 files (one article each), standard input,
//! or JSON Lines (one article per line), streamed.

use super::Document;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Stdin,
    Path(PathBuf),
}

impl InputSpec {
    pub fn parse(arg: &str) -> InputSpec {
        if arg == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }

    /// The name used in messages and as the default document id.
    pub fn name(&self) -> String {
        match self {
            InputSpec::Stdin => "-".to_string(),
            InputSpec::Path(p) => p.display().to_string(),
        }
    }

    fn open(&self) -> Result<Box<dyn BufRead + Send>> {
        match self {
            InputSpec::Stdin => Ok(Box::new(BufReader::new(std::io::stdin()))),
            InputSpec::Path(p) => {
                let f = std::fs::File::open(p).map_err(|source| Error::Read {
                    input: self.name(),
                    source,
                })?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
            }
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub jsonl: bool,
    /// Publication date for every document that has none of its own.
    pub date: Option<NaiveDate>,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
    /// Largest document accepted, in bytes (0: no limit).
    pub max_bytes: usize,
}

/// Parses a `YYYY-MM-DD` date (a longer ISO timestamp is cut to its date).
pub fn parse_date(input: &str, value: &str) -> Result<NaiveDate> {
    let head = value.get(..10).unwrap_or(value);
    NaiveDate::parse_from_str(head, "%Y-%m-%d").map_err(|_| Error::BadDate {
        input: input.to_string(),
        value: value.to_string(),
    })
}

fn decode(input: &str, bytes: Vec<u8>, lossy: bool, base_offset: usize) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(Error::InvalidUtf8 {
            input: input.to_string(),
            offset: base_offset + e.utf8_error().valid_up_to(),
        }),
    }
}

impl Document {
    /// A document of text alone (no date, title or URL), named `id` in
    /// messages too: what tests, benches and library callers mostly need.
    pub fn plain(id: impl Into<String>, text: impl Into<String>) -> Document {
        let id = id.into();
        Document { origin: id.clone(), id, text: text.into(), date: None, title: None, url: None }
    }
}

/// The `.txt` files under `root` (itself, when it is a `.txt` file), in
/// sorted path order so that every run reads a corpus the same way. Other
/// files are skipped; a missing root or a directory that cannot be listed
/// is an error naming it. Linked directories are followed once each, so a
/// link loop cannot recurse forever.
pub fn txt_files(root: &Path) -> Result<Vec<PathBuf>> {
    files_with_extension(root, "txt")
}

/// [`txt_files`] for another extension (`"tml"`, `"conllu"`…), compared exactly.
pub fn files_with_extension(root: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    files_where(root, &|p: &Path| p.extension().is_some_and(|e| e == ext))
}

/// Every file under `root` (or `root` itself), as [`txt_files`] walks.
pub fn all_files(root: &Path) -> Result<Vec<PathBuf>> {
    files_where(root, &|_: &Path| true)
}

fn files_where(root: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    walk(root, keep, &mut out, &mut seen)?;
    // Path order is component-wise, so this is a sorted depth-first walk.
    out.sort();
    Ok(out)
}

fn walk(p: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>, seen: &mut std::collections::BTreeSet<PathBuf>) -> Result<()> {
    let err = |source| Error::Read { input: p.display().to_string(), source };
    let meta = std::fs::metadata(p).map_err(err)?;
    if !meta.is_dir() {
        if keep(p) {
            out.push(p.to_path_buf());
        }
        return Ok(());
    }
    if !seen.insert(std::fs::canonicalize(p).map_err(err)?) {
        return Ok(());
    }
    for entry in std::fs::read_dir(p).map_err(err)? {
        walk(&entry.map_err(err)?.path(), keep, out, seen)?;
    }
    Ok(())
}

/// A stable id for a document without one: a hash of its text.
pub fn content_id(text: &str) -> String {
    // FNV-1a 64: tiny, stable across platforms and releases.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("doc-{h:016x}")
}

/// All documents of all inputs, in order, as a lazy stream: JSON Lines are
/// read line by line, so memory does not grow with the corpus.
pub fn load_inputs(
    inputs: &[InputSpec],
    opts: &LoadOptions,
) -> impl Iterator<Item = Result<Document>> {
    let opts = opts.clone();
    inputs
        .to_vec()
        .into_iter()
        .flat_map(move |spec| -> Box<dyn Iterator<Item = Result<Document>>> {
            if opts.jsonl {
                match spec.open() {
                    Ok(r) => Box::new(JsonLines::new(spec.name(), r, opts.clone())),
                    Err(e) => Box::new(std::iter::once(Err(e))),
                }
            } else {
                Box::new(std::iter::once(read_plain(&spec, &opts)))
            }
        })
}

fn read_plain(spec: &InputSpec, opts: &LoadOptions) -> Result<Document> {
    let name = spec.name();
    let mut bytes = Vec::new();
    let mut reader = spec.open()?;
    if opts.max_bytes > 0 {
        reader
            .take(opts.max_bytes as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| Error::Read { input: name.clone(), source })?;
        if bytes.len() > opts.max_bytes {
            return Err(Error::TooLarge { input: name, size: bytes.len(), limit: opts.max_bytes });
        }
    } else {
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| Error::Read { input: name.clone(), source })?;
    }
    let text = decode(&name, bytes, opts.lossy, 0)?;
    let id = match spec {
        InputSpec::Stdin => content_id(&text),
        InputSpec::Path(_) => name.clone(),
    };
    Ok(Document {
        id,
        text,
        date: opts.date,
        title: None,
        url: None,
        origin: name,
    })
}

#[derive(serde::Deserialize)]
struct JsonArticle {
    id: Option<serde_json::Value>,
    text: String,
    date: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

/// A streaming reader of JSON Lines articles.
pub struct JsonLines<R> {
    name: String,
    reader: R,
    opts: LoadOptions,
    line: usize,
    offset: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(name: String, reader: R, opts: LoadOptions) -> Self {
        JsonLines { name, reader, opts, line: 0, offset: 0, buf: Vec::new() }
    }

    fn bad(&self, message: impl Into<String>) -> Error {
        Error::BadJsonLine { input: self.name.clone(), line: self.line, message: message.into() }
    }

    fn parse_line(&self, bytes: Vec<u8>) -> Result<Option<Document>> {
        let line_text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) if self.opts.lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            Err(e) => {
                return Err(self.bad(format!(
                    "invalid UTF-8 at byte offset {}",
                    self.offset + e.utf8_error().valid_up_to()
                )))
            }
        };
        if line_text.trim().is_empty() {
            return Ok(None);
        }
        let art: JsonArticle =
            serde_json::from_str(&line_text).map_err(|e| self.bad(format!("bad JSON: {e}")))?;
        if self.opts.max_bytes > 0 && art.text.len() > self.opts.max_bytes {
            return Err(self.bad(format!(
                "text is {} bytes, over the limit of {} bytes (--max-bytes)",
                art.text.len(),
                self.opts.max_bytes
            )));
        }
        let date = match art.date.as_deref() {
            Some(d) if !d.trim().is_empty() => Some(
                parse_date(&self.name, d.trim()).map_err(|_| self.bad(format!("bad date {d:?}: expected YYYY-MM-DD")))?,
            ),
            _ => self.opts.date,
        };
        let id = match art.id {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => content_id(&art.text),
        };
        Ok(Some(Document {
            id,
            text: art.text,
            date,
            title: art.title,
            url: art.url,
            origin: format!("{}:{}", self.name, self.line),
        }))
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            let n = match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(source) => return Some(Err(Error::Read { input: self.name.clone(), source })),
            };
            self.line += 1;
            let bytes = std::mem::take(&mut self.buf);
            let res = self.parse_line(bytes);
            self.offset += n;
            match res {
                Ok(None) => continue,
                Ok(Some(d)) => return Some(Ok(d)),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(root: &Path, files: &[PathBuf]) -> Vec<String> {
        files.iter().map(|f| f.strip_prefix(root).unwrap_or(f).display().to_string()).collect()
    }

    #[test]
    fn txt_files_walks_sorted_and_skips_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, body) in [
            ("b.txt", "Second."),
            ("a.txt", "First."),
            ("notes.md", "not an article"),
            ("sport/z.txt", "Deep."),
            ("sport/c.TXT.bak", "backup"),
            ("business/x/y.txt", "Deeper."),
            ("empty/.keep", ""),
        ] {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        let files = txt_files(root).unwrap();
        assert_eq!(names(root, &files), ["a.txt", "b.txt", "business/x/y.txt", "sport/z.txt"]);
        // A file given as the root is itself the list when it is a .txt.
        assert_eq!(txt_files(&root.join("a.txt")).unwrap(), [root.join("a.txt")]);
        assert!(txt_files(&root.join("notes.md")).unwrap().is_empty());
        assert!(txt_files(&root.join("empty")).unwrap().is_empty());
        // `train clusters` reads every file, whatever its name.
        let every = names(root, &all_files(root).unwrap());
        assert_eq!(every, ["a.txt", "b.txt", "business/x/y.txt", "empty/.keep", "notes.md", "sport/c.TXT.bak", "sport/z.txt"]);
    }

    #[test]
    fn txt_files_names_a_missing_root() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-dir");
        let e = txt_files(&missing).unwrap_err().to_string();
        assert!(e.contains("no-such-dir") && e.contains("cannot read"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn txt_files_survives_a_link_loop_and_an_unreadable_dir() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/one.txt"), "One.").unwrap();
        std::os::unix::fs::symlink(root, root.join("a/loop")).unwrap();
        let files = txt_files(root).unwrap();
        assert_eq!(names(root, &files), ["a/one.txt"]);
        assert_eq!(names(root, &all_files(root).unwrap()), ["a/one.txt"]);

        let locked = root.join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root ignores permissions: only check when the lock holds.
        if std::fs::read_dir(&locked).is_err() {
            let e = txt_files(root).unwrap_err().to_string();
            assert!(e.contains("locked"), "{e}");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
