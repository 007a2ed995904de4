//! Robots: robots.txt fetched once per origin (scheme, host, port), parsed with
//! `texting_robots` for our product token, cached for the run, and asked before every request
//! of a page. Its Crawl-delay raises the host's delay (up to `max_crawl_delay_secs`).
//!
//! What an answer means follows RFC 9309 §2.3.1: a 2xx body is the rules; a 4xx (other than
//! 429) means there are none; a 5xx, a 429 or no answer at all means the site cannot say what
//! it allows, so nothing of it is fetched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use reqwest::Url;
use texting_robots::Robot;
use tokio::sync::OnceCell;

use super::client;
use super::page::Context;

/// robots.txt redirects followed (RFC 9309 asks for at least five).
const MAX_ROBOTS_REDIRECTS: usize = 5;

/// What robots.txt says about one URL.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Disallowed,
    /// robots.txt could not be had; the reason names what went wrong.
    Unreachable(String),
}

enum Rules {
    AllowAll,
    Parsed(Box<Robot>),
    Unreachable(String),
}

/// The robots.txt of every origin seen so far; each fetched at most once, by the first page
/// of that origin, while the others wait for it.
#[derive(Default)]
pub struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<OnceCell<Rules>>>>,
}

impl RobotsCache {
    pub async fn verdict(&self, ctx: &Context, url: &Url) -> Verdict {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
            origins.entry(origin).or_default().clone()
        };
        match cell.get_or_init(|| load(ctx, url)).await {
            Rules::AllowAll => Verdict::Allowed,
            Rules::Parsed(robot) if robot.allowed(url.as_str()) => Verdict::Allowed,
            Rules::Parsed(_) => Verdict::Disallowed,
            Rules::Unreachable(why) => Verdict::Unreachable(why.clone()),
        }
    }
}

/// Fetches and parses the robots.txt of `url`'s origin, and applies its Crawl-delay.
async fn load(ctx: &Context, url: &Url) -> Rules {
    let Ok(mut target) = url.join("/robots.txt") else {
        return Rules::AllowAll;
    };
    for _ in 0..=MAX_ROBOTS_REDIRECTS {
        let (sent, permit) = match ctx.request(&target).await {
            Ok(answer) => answer,
            Err(e) => return Rules::Unreachable(format!("robots.txt unreachable: {e}")),
        };
        let status = sent.response.status();
        let location = client::location(&sent.response);
        let exchange = client::read_body(sent, ctx.settings.max_robots_bytes, &ctx.settings).await;
        drop(permit);
        let exchange = match exchange {
            Ok(x) => x,
            Err(e) => return Rules::Unreachable(format!("robots.txt unreachable: {e}")),
        };
        ctx.archive(&exchange);
        if status.is_redirection() {
            match location.and_then(|l| target.join(&l).ok()) {
                Some(next) => {
                    target = next;
                    continue;
                }
                None => return Rules::AllowAll,
            }
        }
        if status.is_success() {
            // texting_robots rarely fails; what it cannot parse allows everything.
            let Ok(robot) = Robot::new(&ctx.settings.robots_agent, &exchange.body) else {
                return Rules::AllowAll;
            };
            if let Some(secs) = robot.delay.filter(|d| d.is_finite() && *d > 0.0) {
                let delay = std::time::Duration::from_secs_f64(f64::from(secs))
                    .min(ctx.settings.max_crawl_delay);
                ctx.hosts.gate(url).raise_delay(delay).await;
            }
            return Rules::Parsed(Box::new(robot));
        }
        if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Rules::AllowAll;
        }
        return Rules::Unreachable(format!(
            "robots.txt unreachable (HTTP {}), so nothing of this site is fetched",
            status.as_u16()
        ));
    }
    // Too many redirects: RFC 9309 treats that as "unavailable", which allows everything.
    Rules::AllowAll
}
