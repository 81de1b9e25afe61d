//! The article's own rules of thumb, applied to the scenario, beside the
//! cost model's answer.
//!
//! The article ends with "5 decision-making actions" and an 80/20 rule: team
//! skills and integration needs decide, raw performance rarely does. Each
//! rule here is data ([`Rule`]): what it says in our words, a short exact
//! phrase from the article and where in the article it is, the inputs that
//! trigger it and the stacks it favours. [`apply`] says which rules this
//! scenario triggers, with the input that triggered each, and whether the
//! rules and the cost model's answer agree: a rule agrees when it favours
//! one of the cheapest stacks, every stack that costs the same as the
//! cheapest within 0.5% included ([`cheapest_group`], the headline's own
//! answer). The rules are the
//! article's; where the article gives no threshold ("breathes JavaScript",
//! "extensive" integrations) the one used is said in the rule.

use super::estimate::Estimate;
use super::format::{money, number};
use super::recommend::{cheapest_group, group_amount, lead, stack_names};
use super::scenario::{CurrentStack, NumField, Scenario};
use super::stack::Stack;

/// Which stacks a rule favours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Favour {
    /// FastAPI.
    FastApi,
    /// A Node.js stack: Express, Fastify or NestJS.
    Node,
    /// Node.js for the API with FastAPI beside it for ML and data work.
    Hybrid,
    /// The stack in production today.
    Stay(Stack),
}

impl Favour {
    /// Whether `stack` is one of the stacks favoured.
    pub fn includes(self, stack: Stack) -> bool {
        match self {
            Favour::FastApi => stack == Stack::FastApi,
            Favour::Node => matches!(stack, Stack::Express | Stack::Fastify | Stack::NestJs),
            Favour::Hybrid => stack == Stack::Hybrid,
            Favour::Stay(current) => stack == current,
        }
    }
    /// Words for the stacks favoured.
    pub fn label(self) -> String {
        match self {
            Favour::FastApi => "FastAPI".into(),
            Favour::Node => "Node.js".into(),
            Favour::Hybrid => "a hybrid".into(),
            Favour::Stay(st) => format!("staying on {}", st.label()),
        }
    }
}

/// Which of the article's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleId {
    /// 70%+ fluent in Python and doing data work: FastAPI.
    PythonDataTeam,
    /// A team that "breathes JavaScript": Node.js.
    JavaScriptTeam,
    /// ML, data processing or scientific computing among the requirements:
    /// strongly favour FastAPI.
    MlOrData,
    /// Many third-party SaaS integrations: audit Node SDKs first.
    SaasIntegrations,
    /// An existing investment in one ecosystem rarely justifies a rewrite.
    ExistingCodebase,
    /// A second framework only with a compelling integration requirement.
    SecondFramework,
}

/// One rule of thumb as the article states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Which rule.
    pub id: RuleId,
    /// The rule in our words, with the threshold used where the article
    /// gives none.
    pub says: &'static str,
    /// A short exact phrase from the article.
    pub quote: &'static str,
    /// Where in the article.
    pub place: &'static str,
}

/// The share of the team fluent in a language from which the team rules
/// apply: the article's "70%+" for Python, used for JavaScript too (the
/// article gives no figure for "breathes JavaScript").
pub const FLUENT_SHARE: f64 = 70.0;

/// The number of third-party SaaS integrations from which the SDK rule
/// applies. The article asks for "the top 10 external systems" but gives no
/// threshold for "extensive": Stackwise reads it as five or more.
pub const MANY_INTEGRATIONS: f64 = 5.0;

/// The CPU-bound share from which the service counts as doing data
/// processing. Any ML inference counts; CPU-bound work counts once it is a
/// requirement rather than an aside: Stackwise reads that as 20% of requests
/// or more (the article gives no figure).
pub const DATA_WORK_SHARE: f64 = 20.0;

/// Every rule, in the article's order.
pub const RULES: [Rule; 6] = [
    Rule {
        id: RuleId::PythonDataTeam,
        says: "If 70% or more of the team is fluent in Python and the service does data work (any ML inference, or 20% or more CPU-bound requests), FastAPI is the natural choice.",
        quote: "FastAPI is the natural choice",
        place: "Key Takeaways, action 1, \"Audit Your Team's Core Competencies\"",
    },
    Rule {
        id: RuleId::JavaScriptTeam,
        says: "A team that lives in JavaScript and TypeScript gets to production fastest on Node.js (read here as 70% or more fluent, the article's own threshold for Python).",
        quote: "If your team breathes JavaScript",
        place: "Key Takeaways, action 1, \"Audit Your Team's Core Competencies\"",
    },
    Rule {
        id: RuleId::MlOrData,
        says: "If machine learning, data processing or scientific computing are among the requirements (read here as any ML inference, or 20% or more CPU-bound requests), strongly favour FastAPI.",
        quote: "strongly favor FastAPI",
        place: "Key Takeaways, action 2, \"Map Your Integration Requirements\"",
    },
    Rule {
        id: RuleId::SaasIntegrations,
        says: "With many third-party SaaS integrations, check the quality of the Node.js SDKs first (read here as five or more integrations).",
        quote: "audit the quality of Node.js SDKs first",
        place: "Key Takeaways, action 2, \"Map Your Integration Requirements\"",
    },
    Rule {
        id: RuleId::ExistingCodebase,
        says: "Team expertise and the existing codebase matter most: with an investment in one ecosystem, performance differences rarely justify a rewrite.",
        quote: "rarely justify a complete rewrite",
        place: "\"The 80/20 Rule: Maximum Impact Insights\", first paragraph",
    },
    Rule {
        id: RuleId::SecondFramework,
        says: "Run a second framework only when a compelling integration requirement justifies its operational complexity.",
        quote: "a compelling integration requirement",
        place: "Key Takeaways, action 5, \"Start Hybrid if Appropriate\"",
    },
];

impl RuleId {
    /// The rule's text.
    pub fn rule(self) -> &'static Rule {
        // RULES holds every id once, in declaration order.
        &RULES[self as usize]
    }
}

/// A rule this scenario triggers.
#[derive(Clone, Debug, PartialEq)]
pub struct Triggered {
    /// The rule.
    pub rule: Rule,
    /// The inputs that triggered it, with their values.
    pub because: String,
    /// The stacks it favours.
    pub favours: Favour,
}

/// What the rules say for a scenario, beside the cost model.
#[derive(Clone, Debug, PartialEq)]
pub struct RulesVerdict {
    /// The rules triggered, in the article's order.
    pub triggered: Vec<Triggered>,
    /// Whether every triggered rule favours one of the cheapest stacks,
    /// those that cost the same within 0.5% included (`None` when no rule
    /// is triggered).
    pub agree: Option<bool>,
    /// One sentence: whether the rules and the cost model agree, plainly.
    pub summary: String,
}

fn pct(v: f64) -> String {
    format!("{}%", number(v, 0))
}

/// Applies the article's rules to scenario `s` and compares them with the
/// cheapest stacks of its estimate `e`.
pub fn apply(s: &Scenario, e: &Estimate) -> RulesVerdict {
    let py = s.get(NumField::PythonShare);
    let js = s.get(NumField::JsShare);
    let ml = s.get(NumField::MlShare);
    let cpu = s.get(NumField::CpuShare);
    let integrations = s.get(NumField::Integrations);
    let data_work = ml > 0.0 || cpu >= DATA_WORK_SHARE;
    // The cost model's answer: the cheapest, and every stack that costs
    // the same.
    let group = cheapest_group(e);
    let data_words = || {
        let mut parts = Vec::new();
        if ml > 0.0 {
            parts.push(format!("ML inference share {}", pct(ml)));
        }
        if cpu >= DATA_WORK_SHARE {
            parts.push(format!("CPU-bound share {}", pct(cpu)));
        }
        parts.join(" and ")
    };
    let mut triggered = Vec::new();
    let mut push = |id: RuleId, because: String, favours: Favour| {
        triggered.push(Triggered {
            rule: *id.rule(),
            because,
            favours,
        });
    };

    if py >= FLUENT_SHARE && data_work {
        push(
            RuleId::PythonDataTeam,
            format!("share fluent in Python {}, {}", pct(py), data_words()),
            Favour::FastApi,
        );
    }
    if js >= FLUENT_SHARE {
        push(
            RuleId::JavaScriptTeam,
            format!("share fluent in JavaScript/TypeScript {}", pct(js)),
            Favour::Node,
        );
    }
    if data_work {
        push(RuleId::MlOrData, data_words(), Favour::FastApi);
    }
    if integrations >= MANY_INTEGRATIONS {
        push(
            RuleId::SaasIntegrations,
            format!("{} third-party SaaS integrations", number(integrations, 0)),
            Favour::Node,
        );
    }
    if let Some(current) = s.current.stack() {
        push(
            RuleId::ExistingCodebase,
            format!("{} in production today", current.label()),
            Favour::Stay(current),
        );
    }
    // The hybrid runs a second framework beside Node when any of its
    // tiers is not its API's framework (ML, or vectorised data work).
    let hybrid = e.stack(Stack::Hybrid);
    let second_framework = hybrid
        .tiers
        .iter()
        .any(|t| t.framework != hybrid.api_framework);
    if ml <= 0.0 && second_framework && group.contains(&Stack::Hybrid) {
        // A second framework for CPU-bound work alone is not an
        // integration requirement in the article's sense.
        let others: Vec<Stack> = group
            .iter()
            .copied()
            .filter(|x| *x != Stack::Hybrid)
            .collect();
        let standing = if others.is_empty() {
            "the cheapest stack is the hybrid".to_string()
        } else {
            format!("the hybrid costs the same as {}", stack_names(&others))
        };
        push(
            RuleId::SecondFramework,
            format!(
                "{standing}, with no ML inference (CPU-bound share {})",
                pct(cpu)
            ),
            Favour::Node,
        );
    } else if ml > 0.0 && js >= FLUENT_SHARE && s.current != CurrentStack::Running(Stack::FastApi) {
        push(
            RuleId::SecondFramework,
            format!(
                "a JavaScript team with ML inference share {}: the ML service is the integration requirement",
                pct(ml)
            ),
            Favour::Hybrid,
        );
    }

    let c = s.currency;
    let best = e.stack(e.cheapest);
    let cheapest = stack_names(&group);
    let favours_answer = |f: Favour| group.iter().any(|x| f.includes(*x));
    let several = group.len() > 1;
    let amount = group_amount(e, &group, c);
    let agree =
        (!triggered.is_empty()).then(|| triggered.iter().all(|t| favours_answer(t.favours)));
    let summary = if triggered.is_empty() {
        format!(
            "None of the article's rules is triggered by these inputs; the cost model finds {cheapest} cheapest."
        )
    } else if agree == Some(true) {
        format!(
            "The article's rules and the cost model agree: the rules favour {}, and {cheapest} {} the cheapest.",
            triggered
                .first()
                .map_or_else(String::new, |t| t.favours.label()),
            if several { "are" } else { "is" }
        )
    } else {
        let favoured: Vec<Favour> = triggered.iter().fold(Vec::new(), |mut acc, t| {
            if !acc.contains(&t.favours) {
                acc.push(t.favours);
            }
            acc
        });
        // What the rules lean to: the one family they favour, or the first
        // rule's when they point different ways.
        let lean = favoured[0];
        let alternative = e
            .stacks
            .iter()
            .filter(|x| lean.includes(x.stack))
            .min_by(|a, b| a.total.total_cmp(&b.total));
        let rules_words = if favoured.len() == 1 {
            format!("The article's rules favour {}", lean.label())
        } else {
            let names: Vec<String> = favoured.iter().map(|f| f.label()).collect();
            format!(
                "The article's rules point different ways ({})",
                names.join("; ")
            )
        };
        match alternative {
            Some(alt) if favoured.len() == 1 => format!(
                "{rules_words}, but the cost model finds {cheapest} cheapest: {amount} over the horizon against {} for {} ({} less). The rules and the cost model disagree.",
                money(alt.total, c),
                alt.stack.label(),
                lead(best.total, alt.total, c)
            ),
            _ => {
                let (with, against): (Vec<Favour>, Vec<Favour>) =
                    favoured.iter().partition(|f| favours_answer(**f));
                let words = |fs: &[Favour]| fs.iter().map(|f| f.label()).collect::<Vec<_>>().join(" or ");
                let agreeing = if with.is_empty() {
                    format!("none of them favours {}", if several { "them" } else { "it" })
                } else {
                    format!("the rules for {} agree, those for {} do not", words(&with), words(&against))
                };
                format!(
                    "{rules_words}; the cost model finds {cheapest} cheapest at {amount}: {agreeing}."
                )
            }
        }
    };
    RulesVerdict {
        triggered,
        agree,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{estimate, AssumptionSet};

    fn verdict(s: &Scenario) -> RulesVerdict {
        apply(s, &estimate(s, &AssumptionSet::published()))
    }

    fn ids(v: &RulesVerdict) -> Vec<RuleId> {
        v.triggered.iter().map(|t| t.rule.id).collect()
    }

    #[test]
    fn every_rule_is_listed_once_in_order_with_a_short_quote() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i);
            assert!(r.quote.split_whitespace().count() <= 8, "{}", r.quote);
            assert!(!r.place.is_empty() && r.says.len() > 40);
        }
    }

    #[test]
    fn a_python_data_team_is_pointed_to_fastapi() {
        let mut s = Scenario::default();
        s.set(NumField::PythonShare, 80.0).unwrap();
        s.set(NumField::JsShare, 20.0).unwrap();
        s.set(NumField::Integrations, 0.0).unwrap();
        s.set_mix([40.0, 20.0, 0.0, 40.0]).unwrap();
        let v = verdict(&s);
        assert_eq!(ids(&v), [RuleId::PythonDataTeam, RuleId::MlOrData]);
        assert!(
            v.triggered[0].because.contains("Python 80%"),
            "{}",
            v.triggered[0].because
        );
        assert!(v.triggered.iter().all(|t| t.favours == Favour::FastApi));
    }

    #[test]
    fn a_javascript_team_on_a_crud_api_is_pointed_to_node_and_agrees_with_the_cost() {
        let mut s = Scenario::default();
        s.set(NumField::JsShare, 90.0).unwrap();
        s.set(NumField::Integrations, 0.0).unwrap();
        s.set_mix([75.0, 25.0, 0.0, 0.0]).unwrap();
        s.productivity_effects = false;
        let v = verdict(&s);
        assert_eq!(ids(&v), [RuleId::JavaScriptTeam]);
        assert_eq!(v.agree, Some(true), "{}", v.summary);
        assert!(v.summary.contains("agree"), "{}", v.summary);
    }

    #[test]
    fn many_saas_integrations_say_audit_node_sdks_first() {
        let mut s = Scenario::default();
        s.set(NumField::Integrations, 12.0).unwrap();
        let v = verdict(&s);
        let t = v
            .triggered
            .iter()
            .find(|t| t.rule.id == RuleId::SaasIntegrations)
            .expect("SaaS rule");
        assert_eq!(t.because, "12 third-party SaaS integrations");
        assert_eq!(t.favours, Favour::Node);
    }

    #[test]
    fn a_disagreement_with_the_cost_model_is_said_plainly() {
        // A Python team with data processing on a busy service: the rules
        // say FastAPI, Node stacks are far cheaper to run.
        let mut s = Scenario::default();
        s.set_mix([50.0, 25.0, 25.0, 0.0]).unwrap();
        s.set(NumField::PythonShare, 75.0).unwrap();
        s.set(NumField::JsShare, 60.0).unwrap();
        s.set(NumField::Integrations, 0.0).unwrap();
        s.set(NumField::AvgRps, 20_000.0).unwrap();
        s.productivity_effects = false;
        let e = estimate(&s, &AssumptionSet::published());
        assert_ne!(e.cheapest, Stack::FastApi);
        let v = apply(&s, &e);
        assert_eq!(v.agree, Some(false));
        assert!(v.summary.contains("disagree"), "{}", v.summary);
        assert!(v.summary.contains("FastAPI"), "{}", v.summary);
        // When the rules point both ways, the sentence says which agree.
        s.set(NumField::Integrations, 10.0).unwrap();
        let e = estimate(&s, &AssumptionSet::published());
        let v = apply(&s, &e);
        assert!(v.summary.contains("different ways"), "{}", v.summary);
        assert!(
            v.summary.contains("agree, those for FastAPI do not"),
            "{}",
            v.summary
        );
    }

    #[test]
    fn a_tie_of_different_totals_is_given_as_the_headline_gives_it() {
        // Serverless functions, 300 req/s, 30% inference: Fastify and the
        // hybrid $105,705, Express $105,729, NestJS $105,772, all within
        // 0.5%. Not "at $105,705 each": the range, as in the headline.
        let (s, e) = crate::model::published_at("v=1&ml=30&rps=300&deploy=functions");
        let v = apply(&s, &e);
        assert!(
            v.summary.contains(
                "cheapest at $105,705 to $105,772 (within 0.5%): \
                 the rules for Node.js or a hybrid agree"
            ),
            "{}",
            v.summary
        );
    }

    #[test]
    fn the_rules_are_checked_against_every_stack_that_costs_the_same() {
        // With ML inference at 5% the four stacks beside FastAPI cost the
        // same, within 0.5%: $70,251 each (the headline's answer). The
        // rules point to Node.js, FastAPI and a hybrid. The hybrid is one of
        // the cheapest, so its rule agrees with the cost model; only
        // FastAPI's does not. Judged against Express alone (the first of
        // the tie), the hybrid's rule read as a disagreement.
        let (s, e) = crate::model::published_at("v=1&ml=5");
        assert_eq!(
            crate::model::cheapest_group(&e),
            [Stack::Express, Stack::Fastify, Stack::NestJs, Stack::Hybrid]
        );
        let v = apply(&s, &e);
        assert_eq!(v.agree, Some(false));
        assert_eq!(
            v.summary,
            "The article's rules point different ways (Node.js; FastAPI; a hybrid); \
             the cost model finds Express, Fastify, NestJS and Hybrid cheapest at $70,251 each: \
             the rules for Node.js or a hybrid agree, those for FastAPI do not."
        );
        // At 20,000 req/s with no ML, Fastify and Hybrid cost the same and
        // the rules favour Node.js: they agree, and the sentence names both.
        let (s, e) = crate::model::published_at("v=1&rps=20000");
        let v = apply(&s, &e);
        assert_eq!(v.agree, Some(true));
        assert_eq!(
            v.summary,
            "The article's rules and the cost model agree: the rules favour Node.js, \
             and Fastify and Hybrid are the cheapest."
        );
    }

    #[test]
    fn a_second_framework_is_questioned_where_the_answer_runs_one() {
        // With no ML, the hybrid runs FastAPI beside Node only for the
        // vectorised part of the CPU-bound work. The article's rule: run a
        // second framework only for a compelling integration requirement,
        // so it favours a single Node framework.
        let because = |query: &str| {
            let (s, e) = crate::model::published_at(query);
            let v = apply(&s, &e);
            v.triggered
                .iter()
                .find(|t| t.rule.id == RuleId::SecondFramework)
                .map(|t| (t.because.clone(), t.favours, v.agree))
        };
        // The hybrid alone is the cheapest: the rule disagrees with it.
        assert_eq!(
            because("v=1&rps=20000&cpu=20&vector=50"),
            Some((
                "the cheapest stack is the hybrid, with no ML inference (CPU-bound share 20%)"
                    .to_string(),
                Favour::Node,
                Some(false)
            ))
        );
        // Cheaper than Fastify by less than 0.5%: the two cost the same,
        // and the rule says so rather than calling the hybrid the cheapest.
        assert_eq!(
            because("v=1&rps=20000&cpu=12&vector=50").map(|b| b.0),
            Some(
                "the hybrid costs the same as Fastify, with no ML inference (CPU-bound share 12%)"
                    .to_string()
            )
        );
        // Fastify cheaper by a hair: the same tie, the same question.
        assert_eq!(
            because("v=1&rps=20000&cpu=7&vector=50").map(|b| b.0),
            Some(
                "the hybrid costs the same as Fastify, with no ML inference (CPU-bound share 7%)"
                    .to_string()
            )
        );
        // No vectorised work: the hybrid is Fastify alone, no second
        // framework to question.
        assert_eq!(because("v=1&rps=20000&cpu=15&vector=0"), None);
    }

    #[test]
    fn an_existing_stack_is_named() {
        let mut s = Scenario::default();
        s.current = CurrentStack::Running(Stack::Express);
        let v = verdict(&s);
        let t = v
            .triggered
            .iter()
            .find(|t| t.rule.id == RuleId::ExistingCodebase)
            .expect("codebase rule");
        assert_eq!(t.because, "Express in production today");
        assert_eq!(t.favours, Favour::Stay(Stack::Express));
    }
}
