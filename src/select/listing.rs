//! Pages without an article of their own: catalogues, job boards, link lists, search results.
//!
//! When the best container's kept text is a small share of the page, the page is not an
//! article with clutter around it but a list of items, and the list is its content (the WCXB
//! annotators' judgement on listing and collection pages). The whole cleaned page is then
//! classified again with links allowed, because an item's name is a link. Article teasers
//! are the exception: a card of linked headline, summary sentence and date points at a story
//! that lives elsewhere, so a section front of teasers still gives little or nothing.

use crate::rules::ModeRules;
use crate::deadline::Deadline;
use crate::score::{Block, BlockKind};

use super::{ClutterText, keep_blocks};

/// True when what the article selection kept is too small a share of the page to be its
/// content: `listing_below_share` of the page's block text (0 turns listings off).
pub fn is_listing<'a>(
    kept: impl IntoIterator<Item = &'a Block>,
    page: impl IntoIterator<Item = &'a Block>,
    cfg: &ModeRules,
) -> bool {
    let kept_chars: u64 = kept.into_iter().map(|b| b.chars as u64).sum();
    let page_chars: u64 = page.into_iter().map(|b| b.chars as u64).sum();
    (kept_chars as f64) < cfg.listing_below_share * page_chars as f64
}

/// Which blocks of a listing page to keep: everything that is not clutter, links included,
/// minus article teaser cards. Stops early once `deadline` has passed (the caller checks it).
pub fn keep_listing(
    blocks: &[&Block],
    clutter: &ClutterText,
    cfg: &ModeRules,
    deadline: Deadline,
) -> Vec<bool> {
    let links_allowed = ModeRules {
        max_link_density: f64::INFINITY,
        ..cfg.clone()
    };
    let mut keep = keep_blocks(blocks, clutter, &links_allowed, deadline);
    drop_teaser_cards(blocks, clutter, &mut keep);
    keep
}

/// A teaser card: a headline that is mostly a link, then (before the next heading) a
/// summary, i.e. a link-light paragraph with a sentence in it, and a stamp (a date line,
/// byline or "Read more"). The card goes whole.
fn drop_teaser_cards(blocks: &[&Block], clutter: &ClutterText, keep: &mut [bool]) {
    let is_heading = |b: &Block| matches!(b.kind, BlockKind::Heading(_));
    let mut i = 0;
    while i < blocks.len() {
        let b = blocks[i];
        if !(is_heading(b) && b.link_density() > 0.5) {
            i += 1;
            continue;
        }
        let card_end = (i + 1..blocks.len())
            .find(|&j| is_heading(blocks[j]))
            .unwrap_or(blocks.len());
        let has_summary = blocks[i + 1..card_end].iter().any(|s| {
            s.kind == BlockKind::Paragraph && s.sentence_ends > 0 && s.link_density() < 0.5
        });
        // A news teaser carries its stamp ("1 day ago", a byline, "Read more"); a card that
        // only names and describes (a docs hub's topics, a course list) is the page's content.
        let stamped = blocks[i + 1..card_end]
            .iter()
            .any(|s| clutter.is_clutter(s));
        if has_summary && stamped {
            keep[i..card_end].fill(false);
        }
        i = card_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;
    use crate::select::tests::block;

    fn keep(blocks: &[Block]) -> Vec<bool> {
        let cfg = Rules::default();
        let clutter = ClutterText::new(&cfg.clean).unwrap();
        let refs: Vec<&Block> = blocks.iter().collect();
        keep_listing(&refs, &clutter, &cfg.select.balanced, Deadline::NONE)
    }

    #[test]
    fn a_list_of_linked_items_is_kept() {
        let item = BlockKind::ListItem {
            depth: 1,
            ordinal: None,
            marker: true,
        };
        let row = |t: &str| block(t, t.len() as u32, item);
        let b = [
            row("Senior Rust Engineer at Example Corp, remote"),
            row("Site Reliability Engineer at Other Inc, Berlin"),
            row("Data Engineer at Third Ltd, London or remote"),
        ];
        assert_eq!(keep(&b), [true, true, true]);
    }

    #[test]
    fn article_teaser_cards_go() {
        let headline = |t: &str| block(t, t.len() as u32, BlockKind::Heading(2));
        let p = BlockKind::Paragraph;
        let b = [
            headline("Lake water quality improves for a third year"),
            block("Phosphate levels are at their lowest since 1998.", 0, p),
            block("1 day ago", 0, p),
            headline("Volunteers count record number of barn owls"),
            block("More than 140 breeding pairs were recorded.", 0, p),
            block("2 days ago", 0, p),
        ];
        assert_eq!(keep(&b), [false; 6]);
    }

    #[test]
    fn unstamped_topic_cards_are_the_content() {
        let headline = |t: &str| block(t, t.len() as u32, BlockKind::Heading(2));
        let p = BlockKind::Paragraph;
        let b = [
            headline("Using workflow templates"),
            block(
                "Templates exist for a variety of languages and tools.",
                0,
                p,
            ),
            headline("Choosing when your workflow runs"),
            block(
                "Workflows can run on a schedule or when events happen.",
                0,
                p,
            ),
        ];
        assert_eq!(keep(&b), [true; 4]);
    }

    #[test]
    fn listing_share() {
        let cfg = Rules::default();
        let long = block(&"word ".repeat(200), 0, BlockKind::Paragraph);
        let short = block("a short line of text", 0, BlockKind::Paragraph);
        let page = [long.clone(), short.clone()];
        assert!(is_listing([&short], &page, &cfg.select.balanced));
        assert!(!is_listing([&long], &page, &cfg.select.balanced));
        assert!(!is_listing([&short], &page, &cfg.select.precision));
    }
}
