//! Model files: an 8-byte magic, a 4-byte kind, a little-endian u32 format
//! version, then a postcard payload. Any mismatch is a typed error.

use crate::error::Error;
use serde::{de::DeserializeOwned, Serialize};

pub const MAGIC: &[u8; 8] = b"NGMODEL\0";
pub const VERSION: u32 = 2;

/// Serializes a model payload with its header.
pub fn encode<T: Serialize>(kind: &[u8; 4], payload: &T) -> crate::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(kind);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let body = postcard::to_stdvec(payload).map_err(|e| Error::BadModel { path: String::from_utf8_lossy(kind).into_owned(), message: e.to_string() })?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Parses a model file of the given kind; `name` is for messages.
pub fn decode<T: DeserializeOwned>(name: &str, kind: &[u8; 4], bytes: &[u8]) -> crate::Result<T> {
    let bad = |message: String| Error::BadModel { path: name.to_string(), message };
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return Err(bad("not a newsgraph model file (bad magic)".into()));
    }
    if &bytes[8..12] != kind {
        return Err(bad(format!(
            "is a {:?} model, expected {:?}",
            String::from_utf8_lossy(&bytes[8..12]),
            String::from_utf8_lossy(kind)
        )));
    }
    let mut v = [0u8; 4];
    v.copy_from_slice(&bytes[12..16]);
    let version = u32::from_le_bytes(v);
    if version != VERSION {
        return Err(bad(format!("format version {version}, this build reads {VERSION}")));
    }
    postcard::from_bytes(&bytes[16..]).map_err(|e| bad(format!("corrupt payload: {e}")))
}
