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
    /// Each tree's root: a [`Child`] (a tree may be a single leaf).
    roots: Vec<Child>,
}

/// A split's child, or a tree's root: `>= 0` the split at that index of `Model::splits`,
/// `< 0` the leaf `-1 - child` of `Model::leaves`. A split's children come after it.
type Child = i32;

/// Trees walked side by side (see [`Model::leaves_of`]).
const LANES: usize = 8;

/// Rows are copied into this many slots, so that a feature index (a `u8`) never needs a
/// bounds check in the walk.
const FEATURE_SLOTS: usize = 256;

#[derive(Clone, Copy, Debug)]
struct Split {
    /// The file's threshold rounded down to an `f32`: for every `f32` value `v`,
    /// `v <= threshold` says what `v as f64 <= file threshold` says (see [`at_most`]).
    threshold: f32,
    left: Child,
    right: Child,
    feature: u8,
}

/// The largest `f32` at or below `t`. Features are `f32`, so comparing them with this is the
/// same as comparing them, widened, with `t`, and the walk needs no conversion per step.
fn at_most(t: f64) -> f32 {
    let rounded = t as f32;
    if rounded as f64 > t {
        rounded.next_down()
    } else {
        rounded
    }
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
        if n > FEATURE_SLOTS {
            return Err(err(format!("{n} features (at most {FEATURE_SLOTS})")));
        }
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
            // The count is the file's word: room for it only up to a sane size.
            roots: Vec::with_capacity(tree_count.min(1 << 16)),
        };
        for _ in 0..tree_count {
            model.read_tree(&mut next, n).map_err(&err)?;
        }
        Ok(model)
    }

    /// Reads one `tree` section, checks that every child it names exists and comes after its
    /// split, and appends the tree with its children made indices into the shared arrays.
    fn read_tree<'l>(
        &mut self,
        next: &mut impl FnMut(&str) -> Result<(usize, &'l str), Error>,
        features: usize,
    ) -> Result<(), String> {
        let text_of = |e: Error| e.to_string();
        let split_count = header_number(next("a tree").map_err(text_of)?, "tree")?;
        let mut splits = Vec::with_capacity(split_count.min(1 << 16));
        for _ in 0..split_count {
            let (at, line) = next("a split").map_err(text_of)?;
            let v = numbers(at, line, "")?;
            let [feature, threshold, left, right] = v[..] else {
                return Err(format!("line {at}: a split is four numbers"));
            };
            if feature < 0.0 || feature as usize >= features {
                return Err(format!("line {at}: no feature {feature}"));
            }
            splits.push((feature as u8, at_most(threshold), left, right));
        }
        let (at, line) = next("leaves").map_err(text_of)?;
        if !line.starts_with("leaves") {
            return Err(format!("line {at}: expected the leaves"));
        }
        let leaves = numbers(at, line, "leaves")?;
        if split_count == 0 && leaves.len() != 1 {
            return Err(format!("line {at}: a tree without splits has one leaf"));
        }
        let (first_split, first_leaf) = (self.splits.len(), self.leaves.len());
        if first_split + split_count > i32::MAX as usize || first_leaf + leaves.len() > i32::MAX as usize {
            return Err("the trees are too big".to_string());
        }
        // A child in the file is relative to its tree: `>= 0` a split, `< 0` leaf `-1-child`.
        let absolute = |child: f64, own: usize| -> Result<Child, String> {
            let missing = || Err(format!("a split's child {child} does not exist"));
            if !child.is_finite() {
                return missing();
            }
            if child < 0.0 {
                let leaf = (-1.0 - child) as usize;
                return if leaf < leaves.len() { Ok(-1 - (first_leaf + leaf) as Child) } else { missing() };
            }
            match child as usize {
                split if split >= split_count => missing(),
                split if split <= own => Err(format!("split {own} of a tree names a child before it")),
                split => Ok((first_split + split) as Child),
            }
        };
        for (own, &(feature, threshold, left, right)) in splits.iter().enumerate() {
            let (left, right) = (absolute(left, own)?, absolute(right, own)?);
            self.splits.push(Split { threshold, left, right, feature });
        }
        let root = if split_count == 0 { -1 - first_leaf as Child } else { first_split as Child };
        self.leaves.extend(leaves);
        self.roots.push(root);
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
        let mut slots = [0f32; FEATURE_SLOTS];
        let n = row.len().min(FEATURE_SLOTS);
        slots[..n].copy_from_slice(&row[..n]);
        let leaf_value = |leaf: usize| self.leaves.get(leaf).copied().unwrap_or(0.0);
        let mut raw = self.base;
        let mut groups = self.roots.chunks_exact(LANES);
        for group in &mut groups {
            let mut nodes = [0; LANES];
            nodes.copy_from_slice(group);
            // Added in tree order, as one tree at a time would: the same sum to the last bit.
            for leaf in self.leaves_of(nodes, &slots) {
                raw += leaf_value(leaf);
            }
        }
        for &root in groups.remainder() {
            raw += leaf_value(self.leaves_of([root], &slots)[0]);
        }
        (1.0 / (1.0 + (-raw).exp())) as f32
    }

    /// Walks `K` trees at once from their roots to the leaves `row` falls in. One walk is a
    /// chain of dependent loads (split, feature, child), so walks side by side run in the
    /// time of about one; a walk that has reached its leaf stays there while the others go
    /// on. Every child comes after its split (checked when the file is read), so each walk
    /// ends within its tree's splits.
    fn leaves_of<const K: usize>(&self, mut nodes: [Child; K], row: &[f32; FEATURE_SLOTS]) -> [usize; K] {
        while nodes.iter().any(|&node| node >= 0) {
            for node in &mut nodes {
                let at = (*node).max(0) as usize;
                let next = self.splits.get(at).map_or(-1, |s| {
                    if row[s.feature as usize] <= s.threshold { s.left } else { s.right }
                });
                *node = if *node >= 0 { next } else { *node };
            }
        }
        nodes.map(|leaf| (-1 - leaf) as usize)
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
    fn a_threshold_between_two_floats_sends_each_float_the_way_the_double_would() {
        // 0.1 has no f32: 0.1f32 is just above it, so it goes right, and the f32 below goes left.
        let m = model("trees 1\ntree 1\n0 0.1 -1 -2\nleaves -1 1\n").unwrap();
        assert!(m.score(&[0.1, 0.0]) > 0.5);
        assert!(m.score(&[0.1f32.next_down(), 0.0]) < 0.5);
        assert_eq!(at_most(0.5), 0.5);
        assert_eq!(at_most(f64::MAX), f32::MAX);
    }

    #[test]
    fn trees_walked_side_by_side_add_up_as_one_at_a_time() {
        // Eleven trees (a group of eight and three left over), one of them two splits deep.
        let mut body = String::from("trees 11\ntree 2\n1 0.5 1 -3\n0 0.25 -1 -2\nleaves 0.5 -0.25 2\n");
        let stumps: Vec<(f32, f64, f64)> = (0..10)
            .map(|k| (k as f32 / 10.0, k as f64 / 8.0, -(k as f64) / 16.0))
            .collect();
        for (t, left, right) in &stumps {
            body += &format!("tree 1\n0 {t} -1 -2\nleaves {left} {right}\n");
        }
        let m = model(&body).unwrap();
        for row in [[0.0, 0.0], [0.35, 0.0], [0.35, 1.0], [0.95, 0.7], [2.0, 0.2]] {
            let deep = if row[1] <= 0.5 {
                if row[0] <= 0.25 { 0.5 } else { -0.25 }
            } else {
                2.0
            };
            let raw = stumps.iter().fold(deep, |sum, &(t, l, r)| sum + if row[0] <= t { l } else { r });
            let want = (1.0 / (1.0 + (-raw).exp())) as f32;
            assert_eq!(m.score(&row), want, "{row:?}");
        }
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
        let e = model("trees 1\ntree 2\n0 1 1 -1\n1 1 0 -2\nleaves 0 1\n").unwrap_err();
        assert!(e.to_string().contains("before it"), "{e}");
        let e = model("trees 1\ntree 1\n0 1 0 -1\nleaves 0 1\n").unwrap_err();
        assert!(e.to_string().contains("before it"), "{e}");
        let e = model("trees 1\ntree 1\n0 1 NaN -1\nleaves 0 1\n").unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
        let huge = model("trees 99999999999999\ntree 0\nleaves 1\n").unwrap_err().to_string();
        assert!(huge.contains("ends before"), "{huge}");
        let e = model("trees 2\ntree 0\nleaves 1\n").unwrap_err().to_string();
        assert!(e.contains("ends before"), "{e}");
        assert!(Model::parse("m", "hello", &NAMES).is_err());
    }
}
