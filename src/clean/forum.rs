//! Is this page a discussion thread? On a thread the "comments" are the content, so the
//! comment-section rule of the cleaner must stand aside. The page tells in one of three ways.

use crate::rules::CleanRules;
use crate::parse::dom::{Dom, flags};

/// True when the page declares itself a thread (schema.org `DiscussionForumPosting`,
/// `QAPage`), names a forum engine as its generator (`clean.forum_generators`), or sits at a
/// thread-shaped URL (`clean.thread_url_paths`).
pub fn is_thread(dom: &Dom, url: Option<&str>, cfg: &CleanRules) -> bool {
    let declared = dom
        .nodes
        .iter()
        .any(|n| n.flags & flags::FORUM_ITEMTYPE != 0);
    let engine = dom.metas.iter().any(|(name, content)| {
        name == "generator" && {
            let c = content.to_ascii_lowercase();
            cfg.forum_generators.iter().any(|e| c.contains(e.as_str()))
        }
    });
    let at_thread_url = url
        .into_iter()
        .chain(dom.canonical.as_deref())
        .any(|u| is_thread_path(u, &cfg.thread_url_paths));
    declared || engine || at_thread_url
}

fn is_thread_path(url: &str, thread_paths: &[String]) -> bool {
    // Only the path and query count: a host named "forum.example.com" also serves articles.
    let path = match url::Url::parse(url) {
        Ok(url) => match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        },
        // A canonical link may be a path already.
        Err(_) if url.starts_with('/') => url.to_string(),
        Err(_) => return false,
    };
    let path = path.to_ascii_lowercase();
    thread_paths.iter().any(|p| path.contains(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_urls() {
        let paths = crate::rules::Rules::default().clean.thread_url_paths;
        let thread_path = |u: &str| is_thread_path(u, &paths).then_some(());
        assert!(thread_path("https://forums.docker.com/t/confusing/144854").is_some());
        assert!(thread_path("https://www.head-fi.org/threads/best.973407/").is_some());
        assert!(thread_path("https://forum.doom9.org/showthread.php?t=186269").is_some());
        assert!(thread_path("https://forum.example.com/news/a-story").is_none());
        assert!(thread_path("https://example.com/2024/01/story.html").is_none());
        assert!(thread_path("forum.example.com").is_none());
    }
}
