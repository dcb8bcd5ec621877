//! Trained taggers and their model files.

/// Every model the pipeline uses, loaded once and shared across threads.
#[derive(Debug, Default)]
pub struct Models {}

impl Models {
    /// The models shipped in the binary.
    pub fn bundled() -> crate::Result<Models> {
        Ok(Models {})
    }
}
