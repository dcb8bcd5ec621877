//! Relations between entities.
