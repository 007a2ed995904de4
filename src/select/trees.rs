//! Trees: a gradient-boosted tree ensemble, read from a model file and evaluated per block.
//!
//! The model is trained offline (`scripts/train.py`, LightGBM) and written in a small text
//! format of our own, so that evaluating it needs neither Python nor a tree library:
//!
//! ```text
//! gleaner-blocks-model 1
//! features <n>
//! <name>                      one line per feature, in row order
//! thresholds <precision> <balanced> <recall>
//! base <raw score>
//! trees <k>
//! tree <splits>               then one line per split, then the leaves:
//! <feature> <threshold> <left> <right>     a child >= 0 is a split, -1-j is leaf j
//! leaves <v0> <v1> …
//! ```
//!
//! A block's score is the logistic of `base` plus one leaf value per tree; a split sends
//! the row left when its feature is at most the threshold (LightGBM's convention). The
//! thresholds say, per mode, the score above which a block is kept.

use crate::config::Mode;
use crate::error::Error;

/// The first line of every model file, with the format version.
const MAGIC: &str = "gleaner-blocks-model 1";

/// A tree ensemble, flattened: every tree's splits and leaves in shared arrays.
#[derive(Clone, Debug)]
pub struct Model {
    /// Keep thresholds on the score, per mode (precision, balanced, recall).
    thresholds: [f32; 3],
    base: f64,
    splits: Vec<Split>,
    leaves: Vec<f64>,
    trees: Vec<Tree>,
}

/// One tree's place in the shared arrays.
#[derive(Clone, Copy, Debug)]
struct Tree {
    first_split: u32,
    split_count: u32,
    first_leaf: u32,
}

#[derive(Clone, Copy, Debug)]
struct Split {
    feature: u16,
    threshold: f64,
    /// A child: `>= 0` a split of the same tree (relative to its first), `< 0` leaf `-1-child`.
    left: i32,
    right: i32,
}

impl Model {
    /// Reads a model file; `source_name` names it in errors. The model must have been trained
    /// on exactly `expected` features, in that order.
    pub fn parse(source_name: &str, text: &str, expected: &[&str]) -> Result<Model, Error> {
        let err = |message: String| Error::Config {
            source_name: source_name.to_string(),
            message,
        };
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
        let mut next = |what: &str| {
            lines
                .next()
                .ok_or_else(|| err(format!("ends before {what}")))
        };
        let (_, magic) = next("the header")?;
        if magic != MAGIC {
            return Err(err(format!("not a model file (first line {magic:?}, want {MAGIC:?})")));
        }
        let n = header_number(next("features")?, "features").map_err(&err)?;
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            names.push(next("the feature names")?.1.to_string());
        }
        if names != expected {
            return Err(err(format!(
                "trained on other features than this build computes ({} names, {} expected); \
                 retrain it with scripts/train.py",
                names.len(),
                expected.len()
            )));
        }
        let (at, line) = next("thresholds")?;
        let thresholds = numbers(at, line, "thresholds").map_err(&err)?;
        let [precision, balanced, recall] = thresholds[..] else {
            return Err(err(format!("line {at}: three thresholds, one per mode")));
        };
        let (at, line) = next("base")?;
        let base = numbers(at, line, "base").map_err(&err)?;
        let base = *base.first().ok_or_else(|| err(format!("line {at}: no base score")))?;
        let tree_count = header_number(next("trees")?, "trees").map_err(&err)?;
        let mut model = Model {
            thresholds: [precision as f32, balanced as f32, recall as f32],
            base,
            splits: Vec::new(),
            leaves: Vec::new(),
            trees: Vec::with_capacity(tree_count),
        };
        for _ in 0..tree_count {
            model.read_tree(&mut next, n).map_err(&err)?;
        }
        Ok(model)
    }

    /// Reads one `tree` section and checks that every child it names exists.
    fn read_tree<'l>(
        &mut self,
        next: &mut impl FnMut(&str) -> Result<(usize, &'l str), Error>,
        features: usize,
    ) -> Result<(), String> {
        let text_of = |e: Error| e.to_string();
        let split_count = header_number(next("a tree").map_err(text_of)?, "tree")?;
        let tree = Tree {
            first_split: self.splits.len() as u32,
            split_count: split_count as u32,
            first_leaf: self.leaves.len() as u32,
        };
        for _ in 0..split_count {
            let (at, line) = next("a split").map_err(text_of)?;
            let v = numbers(at, line, "")?;
            let [feature, threshold, left, right] = v[..] else {
                return Err(format!("line {at}: a split is four numbers"));
            };
            if feature < 0.0 || feature as usize >= features {
                return Err(format!("line {at}: no feature {feature}"));
            }
            self.splits.push(Split {
                feature: feature as u16,
                threshold,
                left: left as i32,
                right: right as i32,
            });
        }
        let (at, line) = next("leaves").map_err(text_of)?;
        if !line.starts_with("leaves") {
            return Err(format!("line {at}: expected the leaves"));
        }
        let leaves = numbers(at, line, "leaves")?;
        let leaf_count = leaves.len() as i32;
        self.leaves.extend(leaves);
        let tree_splits = &self.splits[tree.first_split as usize..];
        let valid = |child: i32| {
            (child >= 0 && (child as usize) < split_count) || (child < 0 && -1 - child < leaf_count)
        };
        if split_count == 0 && leaf_count != 1 {
            return Err(format!("line {at}: a tree without splits has one leaf"));
        }
        if let Some(s) = tree_splits.iter().find(|s| !valid(s.left) || !valid(s.right)) {
            return Err(format!("a split's child {} / {} does not exist", s.left, s.right));
        }
        self.trees.push(tree);
        Ok(())
    }

    /// The keep threshold of `mode`.
    pub fn threshold(&self, mode: Mode) -> f32 {
        match mode {
            Mode::Precision => self.thresholds[0],
            Mode::Balanced => self.thresholds[1],
            Mode::Recall => self.thresholds[2],
        }
    }

    /// The probability that the block whose features are `row` is content.
    pub fn score(&self, row: &[f32]) -> f32 {
        let mut raw = self.base;
        for tree in &self.trees {
            raw += self.leaves[tree.first_leaf as usize + self.leaf_of(tree, row)];
        }
        (1.0 / (1.0 + (-raw).exp())) as f32
    }

    /// Walks one tree from its root split to the leaf `row` falls in; a tree without splits
    /// is its one leaf. The walk takes at most as many steps as the tree has splits, so a
    /// file whose children loop cannot hang it.
    fn leaf_of(&self, tree: &Tree, row: &[f32]) -> usize {
        let splits = &self.splits[tree.first_split as usize..][..tree.split_count as usize];
        let mut at = 0usize;
        for _ in 0..splits.len() {
            let s = &splits[at];
            let value = row.get(s.feature as usize).copied().unwrap_or(0.0) as f64;
            let child = if value <= s.threshold { s.left } else { s.right };
            if child < 0 {
                return (-1 - child) as usize;
            }
            at = child as usize;
        }
        0
    }
}

/// `<word> <count>` → the count.
fn header_number((at, line): (usize, &str), word: &str) -> Result<usize, String> {
    line.strip_prefix(word)
        .and_then(|rest| rest.trim().parse().ok())
        .ok_or_else(|| format!("line {at}: expected `{word} <count>`, found {line:?}"))
}

/// The numbers of a line, after its leading word `what` (none when `what` is empty).
fn numbers(at: usize, line: &str, what: &str) -> Result<Vec<f64>, String> {
    let rest = line.strip_prefix(what).unwrap_or(line);
    rest.split_whitespace()
        .map(|w| {
            w.parse()
                .map_err(|_| format!("line {at}: {what}: {w:?} is not a number"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 2] = ["a", "b"];

    fn model(body: &str) -> Result<Model, Error> {
        let text = format!("{MAGIC}\nfeatures 2\na\nb\nthresholds 0.7 0.5 0.3\nbase 0\n{body}");
        Model::parse("test", &text, &NAMES)
    }

    #[test]
    fn a_split_sends_rows_left_at_or_below_its_threshold() {
        // One tree: a <= 1.5 ? (b <= 0 ? leaf0 : leaf1) : leaf2.
        let m = model("trees 1\ntree 2\n0 1.5 1 -3\n1 0 -1 -2\nleaves -2 0 2\n").unwrap();
        let p = |row: [f32; 2]| m.score(&row);
        assert!((p([1.5, 0.0]) - 1.0 / (1.0 + 2f32.exp())).abs() < 1e-6);
        assert!((p([1.0, 1.0]) - 0.5).abs() < 1e-6);
        assert!((p([2.0, -5.0]) - 1.0 / (1.0 + (-2f32).exp())).abs() < 1e-6);
        assert_eq!(m.threshold(Mode::Precision), 0.7);
    }

    #[test]
    fn trees_add_up_and_a_tree_may_be_one_leaf() {
        let m = model("trees 2\ntree 0\nleaves 1\ntree 1\n1 0.5 -1 -2\nleaves -1 3\n").unwrap();
        assert!((m.score(&[0.0, 0.0]) - 0.5).abs() < 1e-6);
        assert!((m.score(&[0.0, 1.0]) - 1.0 / (1.0 + (-4f32).exp())).abs() < 1e-6);
    }

    #[test]
    fn bad_files_are_errors_that_say_what_is_wrong() {
        let wrong_names = "gleaner-blocks-model 1\nfeatures 1\nx\n";
        let e = Model::parse("m", wrong_names, &NAMES).unwrap_err().to_string();
        assert!(e.contains("retrain"), "{e}");
        let e = model("trees 1\ntree 1\n0 1 5 -1\nleaves 0\n").unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
        let e = model("trees 1\ntree 1\n7 1 -1 -1\nleaves 0\n").unwrap_err().to_string();
        assert!(e.contains("no feature"), "{e}");
        let e = model("trees 2\ntree 0\nleaves 1\n").unwrap_err().to_string();
        assert!(e.contains("ends before"), "{e}");
        assert!(Model::parse("m", "hello", &NAMES).is_err());
    }
}
