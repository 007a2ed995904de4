//! Learned: the keep/drop decision of the trained block model.
//!
//! Every block of the cleaned page (not only those in the chosen container) gets a row of
//! features ([`super::features`]), the tree ensemble ([`super::trees`]) scores it, and the
//! blocks scoring above the mode's threshold are the content. The rules' own verdicts are
//! among the features, so the model keeps what they got right and overrules them where the
//! page's structure says otherwise (a consent dialog chosen as container, one card of a
//! listing kept where the truth is all of them).

use crate::config::Mode;
use crate::score::Block;

use super::features::{self, NAMES, Page};
use super::trees::Model;

/// The model compiled into the library (`rules/blocks.model`, written by scripts/train.py).
/// An empty file means no model: the rules decide alone.
const BUILT_IN: &str = include_str!("../../rules/blocks.model");

/// The built-in model, or None when the library was built without one.
pub fn built_in() -> Result<Option<Model>, crate::Error> {
    parse(BUILT_IN, "rules/blocks.model")
}

/// A model file's text (empty: none).
pub fn parse(text: &str, source_name: &str) -> Result<Option<Model>, crate::Error> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Model::parse(source_name, text, NAMES).map(Some)
}

/// A page's feature rows and the model's probability, per block, that it is content.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    /// Row-major, [`NAMES`]`.len()` per block.
    pub rows: Vec<f32>,
    /// Per block.
    pub scores: Vec<f32>,
}

/// Scores every block of `page` with `model` into `out` (its buffers are reused).
pub fn score(model: &Model, page: &Page, out: &mut Scores) {
    features::compute(page, &mut out.rows);
    out.scores.clear();
    out.scores.extend(out.rows.chunks_exact(NAMES.len()).map(|row| model.score(row)));
}

/// The blocks whose score passes the mode's threshold, in order.
pub fn kept<'b>(blocks: &'b [Block], scores: &[f32], model: &Model, mode: Mode) -> Vec<&'b Block> {
    let threshold = model.threshold(mode);
    blocks
        .iter()
        .zip(scores)
        .filter_map(|(b, &s)| (s > threshold).then_some(b))
        .collect()
}
