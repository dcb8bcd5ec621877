//! Tests of the taggers on small invented corpora.
