//! How a tier's requests queue across its instances and processes, and
//! the waits and p99 that follow ([`QueueLayout`]).

use serde::Serialize;

use crate::model::queueing::{erlang_c, ClassTime, Mix, WaitTail};
use crate::model::scenario::Balancing;

/// How a tier's requests queue: `queues` identical FIFO queues, each served
/// by `servers` worker processes and fed an equal share of the requests.
///
/// - Uvicorn's workers accept from one shared socket: one queue per
///   instance with a server per process. Node's cluster module deals
///   connections to its workers in turn, blind to how busy each is: one
///   queue per process.
/// - Round-robin (or random) balancing keeps every instance's queues apart.
/// - Least outstanding requests sends each request to the instance with the
///   fewest in progress. That lies between the blind layout above and a
///   pooled one (one queue for the whole tier with Uvicorn; one queue per
///   process slot, shared across the instances, with Node's cluster, where
///   a request still waits behind its instance's blind dealing); see
///   [`QueueLayout::p99_s`] (and its waits) and
///   [`QueueLayout::pooled_weight`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct QueueLayout {
    /// Identical queues.
    pub queues: u64,
    /// Worker processes serving each queue.
    pub servers: u64,
    /// Behind a least-outstanding balancer, the pooled layout `(queues,
    /// servers)` the p99 moves towards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub between: Option<(u64, u64)>,
    /// Processes per instance.
    pub per_instance: u64,
}

impl QueueLayout {
    /// The layout of `instances` instances of `servers_each` servers.
    pub fn new(
        balancing: Balancing,
        shared_socket: bool,
        instances: u64,
        servers_each: u64,
    ) -> Self {
        let (n, c) = (instances.max(1), servers_each.max(1));
        // Blind to load: a queue per instance (shared socket) or per process.
        let (queues, servers) = if shared_socket {
            (n, c)
        } else {
            (n.saturating_mul(c), 1)
        };
        // Seeing every process: one queue for the tier (shared socket), or
        // one per process slot shared across the instances.
        let pooled = if shared_socket {
            (1, n.saturating_mul(c))
        } else {
            (c, n)
        };
        QueueLayout {
            queues,
            servers,
            between: (balancing == Balancing::LeastOutstanding).then_some(pooled),
            per_instance: c,
        }
    }

    /// The wait in the blind layout and, behind a least-outstanding
    /// balancer, in the pooled one, at `lambda` req/s in all, servers of
    /// rate `mu`, service variability `scv`. With Node's cluster (two or
    /// more processes an instance) the pooled wait is at least the one its
    /// blind dealing leaves: where every instance holds a request on its
    /// CPU, Erlang C over the `n` instances at `λ / μ`, the request lands
    /// behind the busy process 1 time in `c`, and then waits as a process
    /// alone would make it. Without it a pooled layout that kept 99% of
    /// requests from waiting read no wait at all, and tiers the simulation
    /// put at up to 2.2 times the target met it (`tests/queue_sim.rs`);
    /// over 800 random scenarios planned with it, no verdict on the target
    /// disagrees with the simulation where it is clear of the target by
    /// 10% (4 did), 11 read the p99 over 20% low (35 did), and the tiers
    /// take 3.7% more instances.
    pub(super) fn waits(&self, mu: f64, lambda: f64, scv: f64) -> (WaitTail, Option<WaitTail>) {
        let blind = WaitTail::mgc(self.servers, mu, lambda / self.queues.max(1) as f64, scv);
        let pooled = self.between.map(|(queues, servers)| {
            let pooled = WaitTail::mgc(servers, mu, lambda / queues.max(1) as f64, scv);
            if self.servers > 1 || self.per_instance <= 1 || blind.saturated() {
                return pooled;
            }
            // Node's cluster deals an instance's requests to its processes
            // blind: the balancer can pick the least busy instance, but a
            // request waits wherever every instance holds one on its CPU
            // (Erlang C over the instances, one busy slot each) and it lands
            // behind the busy process, 1 time in `c`; then as long as a
            // process alone would make it wait.
            let c = self.per_instance as f64;
            let dealt = erlang_c(servers, lambda / mu) / c;
            WaitTail {
                p_wait: pooled.p_wait.max(dealt.min(blind.p_wait)),
                mean_if_waiting_s: pooled.mean_if_waiting_s.max(blind.mean_if_waiting_s),
            }
        });
        (blind, pooled)
    }

    /// How far a least-outstanding balancer moves the p99 from the blind
    /// layout towards the pooled one: `1 / (c + 1)` for `c` processes per
    /// instance. The balancer sees whole instances, not processes, and
    /// counts requests awaiting I/O among the outstanding, so it helps less
    /// the more processes an instance has. Fitted to the discrete-event
    /// simulation (`tests/queue_sim.rs`), where it lands within 25% of the
    /// simulated p99 in about 98% of random scenarios.
    pub fn pooled_weight(&self) -> f64 {
        1.0 / (self.per_instance.max(1) as f64 + 1.0)
    }

    /// The p99 response of `classes`, seconds. Behind a least-outstanding
    /// balancer, the part above the unqueued p99 is the weighted geometric
    /// mean of the blind and pooled layouts' parts.
    pub fn p99_s(&self, classes: &[ClassTime], mu: f64, lambda: f64, scv: f64) -> f64 {
        let mix = Mix::new(classes);
        let unqueued = mix.p99_s(WaitTail::default());
        self.p99_of(&mix, unqueued, self.waits(mu, lambda, scv))
    }

    /// The p99 from the waits already computed, `unqueued` the mix's p99
    /// with no wait.
    pub(super) fn p99_of(
        &self,
        mix: &Mix,
        unqueued: f64,
        waits: (WaitTail, Option<WaitTail>),
    ) -> f64 {
        match waits {
            (blind, None) => mix.p99_s(blind),
            (blind, Some(pooled)) => {
                let excess = |w: WaitTail| (mix.p99_s(w) - unqueued).max(0.0);
                let (b, p) = (excess(blind), excess(pooled));
                if !b.is_finite() {
                    return f64::INFINITY;
                }
                if b <= 0.0 || p <= 0.0 {
                    return unqueued;
                }
                let w = self.pooled_weight();
                unqueued + ((1.0 - w) * b.ln() + w * p.ln()).exp()
            }
        }
    }

    /// Whether the p99 response is within `target_s` (cheap where it can be:
    /// one tail evaluation per layout).
    pub fn meets(
        &self,
        classes: &[ClassTime],
        mu: f64,
        lambda: f64,
        scv: f64,
        target_s: f64,
    ) -> bool {
        let mix = Mix::new(classes);
        let unqueued = mix.p99_s(WaitTail::default());
        self.meets_given(&mix, unqueued, self.waits(mu, lambda, scv), target_s)
    }

    /// [`QueueLayout::meets`] with the unqueued p99 and the waits known.
    pub(super) fn meets_given(
        &self,
        mix: &Mix,
        unqueued: f64,
        waits: (WaitTail, Option<WaitTail>),
        target_s: f64,
    ) -> bool {
        Self::settled_by_tails(mix, waits, target_s)
            .unwrap_or_else(|| self.p99_of(mix, unqueued, waits) <= target_s)
    }

    /// Whether the p99 is within `target_s`, where one tail evaluation per
    /// layout settles it: always in the blind layout alone; behind least
    /// outstanding, where both layouts agree, as the p99 lies between
    /// theirs. `None` where they disagree (where the sizing searches): both
    /// p99s are needed there.
    fn settled_by_tails(
        mix: &Mix,
        waits: (WaitTail, Option<WaitTail>),
        target_s: f64,
    ) -> Option<bool> {
        match waits {
            (blind, None) => Some(mix.within(blind, target_s)),
            (blind, Some(pooled)) => {
                match (mix.within(blind, target_s), mix.within(pooled, target_s)) {
                    (true, true) => Some(true),
                    (false, false) => Some(false),
                    _ => None,
                }
            }
        }
    }

    /// [`QueueLayout::meets_given`]'s answer, and how far the p99's part
    /// above the unqueued time is from the room the target leaves it,
    /// `ln(excess / (target - unqueued))`, positive where the target is
    /// missed: minus infinity where nothing waits long enough to matter,
    /// plus infinity where a queue is saturated, NaN where the target
    /// leaves no room. A measure for a search to interpolate on, from one
    /// p99 of each layout.
    pub(super) fn meets_and_log_over(
        &self,
        mix: &Mix,
        unqueued: f64,
        waits: (WaitTail, Option<WaitTail>),
        target_s: f64,
    ) -> (bool, f64) {
        let p99 = self.p99_of(mix, unqueued, waits);
        let holds = Self::settled_by_tails(mix, waits, target_s).unwrap_or(p99 <= target_s);
        let room = target_s - unqueued;
        let excess = p99 - unqueued;
        let over = if room.is_nan() || room <= 0.0 {
            f64::NAN
        } else if excess <= 0.0 {
            f64::NEG_INFINITY
        } else {
            (excess / room).ln()
        };
        (holds, over)
    }

    /// Mean wait over all requests, seconds (for Little's law).
    pub fn mean_wait_s(&self, mu: f64, lambda: f64, scv: f64) -> f64 {
        self.mean_wait_of(self.waits(mu, lambda, scv))
    }

    /// A bound on [`QueueLayout::mean_wait_s`] in the blind layout with no
    /// queueing formula ([`WaitTail::most_mean_s`]).
    pub(super) fn most_mean_wait_s(&self, mu: f64, lambda: f64, scv: f64) -> f64 {
        debug_assert!(self.between.is_none());
        WaitTail::most_mean_s(self.servers, mu, lambda / self.queues.max(1) as f64, scv)
    }

    /// The mean wait from the waits already computed.
    fn mean_wait_of(&self, waits: (WaitTail, Option<WaitTail>)) -> f64 {
        match waits {
            (blind, None) => blind.mean_s(),
            (blind, Some(pooled)) => {
                let w = self.pooled_weight();
                (1.0 - w) * blind.mean_s() + w * pooled.mean_s()
            }
        }
    }
}
