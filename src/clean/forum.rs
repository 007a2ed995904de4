//! Is this page a discussion thread? On a thread the "comments" are the content, so the
//! comment-section rule of the cleaner must stand aside. The page tells in one of three ways.

use crate::parse::dom::{Dom, flags};

/// Path shapes of thread pages in the common forum engines: Discourse `/t/slug/id`, XenForo
/// `/threads/`, Invision `/topic/`, phpBB `viewtopic.php`, vBulletin `showthread.php`,
/// Vanilla `/discussion/`, Stack Exchange `/questions/<id>`, Reddit `/comments/`.
const THREAD_PATHS: &[&str] = &[
    "/t/",
    "/threads/",
    "/thread/",
    "/topic/",
    "/topics/",
    "viewtopic.php",
    "showthread.php",
    "/discussion/",
    "/questions/",
    "/comments/",
    "/forum/",
    "/forums/",
];

/// Forum software that names itself in `<meta name=generator>`.
const FORUM_ENGINES: &[&str] = &[
    "discourse",
    "xenforo",
    "vbulletin",
    "phpbb",
    "invision",
    "nodebb",
    "vanilla",
    "mybb",
    "smf",
];

/// True when the page declares itself a thread (schema.org `DiscussionForumPosting`,
/// `QAPage`), names a forum engine as its generator, or sits at a thread-shaped URL.
pub fn is_thread(dom: &Dom, url: Option<&str>) -> bool {
    let declared = dom
        .nodes
        .iter()
        .any(|n| n.flags & flags::FORUM_ITEMTYPE != 0);
    let engine = dom.metas.iter().any(|(name, content)| {
        name == "generator" && {
            let c = content.to_ascii_lowercase();
            FORUM_ENGINES.iter().any(|e| c.contains(e))
        }
    });
    let at_thread_url = url
        .into_iter()
        .chain(dom.canonical.as_deref())
        .any(|u| thread_path(u).is_some());
    declared || engine || at_thread_url
}

fn thread_path(url: &str) -> Option<&'static str> {
    // Only the path and query count: a host named "forum.example.com" also serves articles.
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path_lower = path.to_ascii_lowercase();
    THREAD_PATHS
        .iter()
        .copied()
        .find(|p| path_lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_urls() {
        assert!(thread_path("https://forums.docker.com/t/confusing/144854").is_some());
        assert!(thread_path("https://www.head-fi.org/threads/best.973407/").is_some());
        assert!(thread_path("https://forum.doom9.org/showthread.php?t=186269").is_some());
        assert!(thread_path("https://forum.example.com/news/a-story").is_none());
        assert!(thread_path("https://example.com/2024/01/story.html").is_none());
        assert!(thread_path("forum.example.com").is_none());
    }
}
