//! The candidate stacks and the frameworks they are built from.
//!
//! A [`Stack`] is what a team would choose; a [`Framework`] is one service
//! runtime with its own row of figures. Stacks compose frameworks into tiers
//! (see `estimate/mod.rs`): adding a framework means adding a row of figures,
//! not a code path.

use serde::Serialize;

/// A stack the calculator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Stack {
    /// FastAPI on Uvicorn workers, one process per vCPU; ML in-process.
    FastApi,
    /// Express on a Node cluster; ML in a Python sidecar.
    Express,
    /// Fastify on a Node cluster; ML in a Python sidecar.
    Fastify,
    /// NestJS (Express adapter) on a Node cluster; ML in a Python sidecar.
    NestJs,
    /// A Node public API plus a FastAPI service for ML and data (CPU-bound)
    /// work: the article's "start hybrid" advice.
    Hybrid,
}

impl Stack {
    /// Every stack, in display order.
    pub const ALL: [Stack; 5] = [
        Stack::FastApi,
        Stack::Express,
        Stack::Fastify,
        Stack::NestJs,
        Stack::Hybrid,
    ];

    /// Name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Stack::FastApi => "FastAPI",
            Stack::Express => "Express",
            Stack::Fastify => "Fastify",
            Stack::NestJs => "NestJS",
            Stack::Hybrid => "Hybrid",
        }
    }

    /// Stable key for URLs and files. Never change a published key.
    pub fn key(self) -> &'static str {
        match self {
            Stack::FastApi => "fastapi",
            Stack::Express => "express",
            Stack::Fastify => "fastify",
            Stack::NestJs => "nestjs",
            Stack::Hybrid => "hybrid",
        }
    }

    /// The stack with this key, or `None` for an unknown key.
    pub fn from_key(key: &str) -> Option<Stack> {
        Stack::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Position in [`Stack::ALL`], for per-stack arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The framework of the stack's public API tier. For the hybrid this is
    /// the Node framework the team runs today, or Fastify when it runs none.
    pub fn api_framework(self, current: Option<Stack>) -> Framework {
        match self {
            Stack::FastApi => Framework::FastApi,
            Stack::Express => Framework::Express,
            Stack::Fastify => Framework::Fastify,
            Stack::NestJs => Framework::NestJs,
            Stack::Hybrid => match current {
                Some(Stack::Express) => Framework::Express,
                Some(Stack::NestJs) => Framework::NestJs,
                _ => Framework::Fastify,
            },
        }
    }

    /// One line on what the stack is, for the page.
    pub fn description(self) -> &'static str {
        match self {
            Stack::FastApi => "FastAPI on Uvicorn workers; ML models load in every worker.",
            Stack::Express => "Express on a Node cluster; ML runs in a FastAPI sidecar.",
            Stack::Fastify => "Fastify on a Node cluster; ML runs in a FastAPI sidecar.",
            Stack::NestJs => "NestJS (Express adapter) on a Node cluster; ML in a FastAPI sidecar.",
            Stack::Hybrid => {
                "A Node public API plus a FastAPI service for ML and CPU-bound data work."
            }
        }
    }
}

/// A programming language a team may or may not be fluent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Python (FastAPI).
    Python,
    /// JavaScript or TypeScript (Node frameworks).
    JavaScript,
}

/// One service runtime, with its own row of figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    /// FastAPI on Uvicorn.
    #[default]
    FastApi,
    /// Express.
    Express,
    /// Fastify.
    Fastify,
    /// NestJS on its default Express adapter.
    NestJs,
}

impl Framework {
    /// Every framework, in the order of [`Framework::index`].
    pub const ALL: [Framework; 4] = [
        Framework::FastApi,
        Framework::Express,
        Framework::Fastify,
        Framework::NestJs,
    ];

    /// Name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Framework::FastApi => "FastAPI",
            Framework::Express => "Express",
            Framework::Fastify => "Fastify",
            Framework::NestJs => "NestJS",
        }
    }

    /// Stable key for URLs and files.
    pub fn key(self) -> &'static str {
        match self {
            Framework::FastApi => "fastapi",
            Framework::Express => "express",
            Framework::Fastify => "fastify",
            Framework::NestJs => "nestjs",
        }
    }

    /// The framework with this key, or `None`.
    pub fn from_key(key: &str) -> Option<Framework> {
        Framework::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Position in [`Framework::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The language its code is written in.
    pub fn language(self) -> Language {
        match self {
            Framework::FastApi => Language::Python,
            _ => Language::JavaScript,
        }
    }

    /// Whether it runs on Node.js (and so the Node major version matters).
    pub fn on_node(self) -> bool {
        self.language() == Language::JavaScript
    }
}
