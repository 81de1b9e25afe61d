//! Chart 8 ("Your measurements"): one framework and endpoint's throughput as
//! workers (or users) are added: the measured runs, the fitted Universal
//! Scalability Law through them, linear scaling `γ N` beside it, and the
//! peak where there is one.
//!
//! Its data is read from a [`RunFit`] (`model::fit_runs`): the curve is the
//! fit's own [`UslFit::throughput`] at each load and the peak its
//! [`UslFit::peak`]; nothing is fitted here. Runs that could not be fitted
//! (fewer than three loads) are drawn as points, with the reason.

use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::Color;

use super::axis::{linear_ticks, plot_frame, short_number, tick_budget, Axis, AxisText};
use super::chart::{Chart, Readout, ReadoutRow, Table};
use super::layout::{centre_note, key, line_margins, page, vertical_rule, y_caption, NARROW_CSS_PX};
use super::scene::{Painter, Scene, TICK_PX};
use super::series::x_frame;
use super::theme::Theme;
use crate::model::format::{percent, significant, whole};
use crate::model::{LoadKind, RunFit, Stack, UslFit};

/// Title of the scalability chart.
pub const SCALABILITY_TITLE: &str = "Throughput as load grows";

/// Loads up to which every whole load is a position of the curve; above,
/// [`CURVE_POINTS`] evenly spaced ones.
const WHOLE_LOADS: f64 = 64.0;
/// Positions of the curve above [`WHOLE_LOADS`].
const CURVE_POINTS: usize = 60;

/// Chart 8: measured throughput against load, with the fitted law.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalabilityChart {
    /// What was measured, in words: "FastAPI, json".
    pub subject: String,
    /// The stack whose colour and marker the framework takes.
    pub stack: Stack,
    /// What the loads count.
    pub load_kind: LoadKind,
    /// Loads of the hover positions, increasing: the curve's points, or
    /// the runs' distinct loads without a fit.
    pub load: Vec<f64>,
    /// The fitted throughput at each load, req/s; empty without a fit.
    pub fitted: Vec<f64>,
    /// Linear scaling `γ N` at each load, req/s; empty without a fit.
    pub linear: Vec<f64>,
    /// The runs, `(load, req/s)`.
    pub runs: Vec<(f64, f64)>,
    /// The fit; `None` with the reason in [`ScalabilityChart::why_not`].
    /// Boxed: the charts share one enum, which would otherwise take its size.
    pub fit: Option<Box<UslFit>>,
    /// Why there is no fit, in a sentence.
    pub why_not: Option<String>,
}

impl ScalabilityChart {
    /// A chart of nothing (no runs imported).
    pub fn empty() -> ScalabilityChart {
        ScalabilityChart {
            subject: String::new(),
            stack: Stack::FastApi,
            load_kind: LoadKind::Workers,
            load: Vec::new(),
            fitted: Vec::new(),
            linear: Vec::new(),
            runs: Vec::new(),
            fit: None,
            why_not: Some("No runs at several loads imported yet.".into()),
        }
    }

    /// "worker" / "user" and their plurals, for `n`.
    fn count(&self, n: f64) -> String {
        let noun = match self.load_kind {
            LoadKind::Workers => "worker",
            LoadKind::Users => "user",
        };
        let plural = if (n - 1.0).abs() < 1e-9 { "" } else { "s" };
        format!("{} {noun}{plural}", significant(n))
    }

    /// The highest load of the runs.
    fn last_run(&self) -> f64 {
        self.runs.iter().map(|r| r.0).fold(0.0, f64::max)
    }
}

/// The loads the curve is drawn at: every whole load from 1 to `hi` up to
/// [`WHOLE_LOADS`], else [`CURVE_POINTS`] evenly spaced and the loads of
/// the runs, so each run has a position of its own.
fn curve_loads(hi: f64, runs: &[(f64, f64)]) -> Vec<f64> {
    if !hi.is_finite() || hi <= 1.0 {
        return vec![1.0];
    }
    let mut loads: Vec<f64> = if hi <= WHOLE_LOADS {
        (1..=hi.ceil() as u32).map(f64::from).collect()
    } else {
        let step = (hi - 1.0) / (CURVE_POINTS - 1) as f64;
        (0..CURVE_POINTS).map(|i| 1.0 + step * i as f64).collect()
    };
    loads.extend(runs.iter().map(|r| r.0).filter(|n| n.is_finite() && *n >= 1.0));
    loads.sort_by(f64::total_cmp);
    loads.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    loads
}

/// The scalability chart of one group of runs and its fit.
pub fn scalability_chart(group: &RunFit) -> ScalabilityChart {
    let stack = Stack::from_key(group.framework.key()).unwrap_or(Stack::FastApi);
    let runs: Vec<(f64, f64)> = group
        .points
        .iter()
        .copied()
        .filter(|(n, x)| n.is_finite() && x.is_finite())
        .collect();
    let (_, last) = group.load_span();
    let base = ScalabilityChart {
        subject: group.label(),
        stack,
        load_kind: group.load_kind,
        load: Vec::new(),
        fitted: Vec::new(),
        linear: Vec::new(),
        runs,
        fit: None,
        why_not: None,
    };
    match &group.fit {
        Ok(u) => {
            // Past the runs far enough to show the bend, and to the peak
            // when it is near.
            let mut hi = last * 1.25;
            if let Some((n, _)) = u.peak() {
                if n <= last * 3.0 {
                    hi = hi.max(n * 1.2);
                }
            }
            let load = curve_loads(hi, &base.runs);
            ScalabilityChart {
                fitted: load.iter().map(|&n| u.throughput(n)).collect(),
                linear: load.iter().map(|&n| u.gamma * n).collect(),
                load,
                fit: Some(Box::new(*u)),
                ..base
            }
        }
        Err(e) => {
            let mut load: Vec<f64> = base.runs.iter().map(|r| r.0).collect();
            load.sort_by(f64::total_cmp);
            load.dedup();
            ScalabilityChart {
                load,
                why_not: Some(format!("No fit: {e}.")),
                ..base
            }
        }
    }
}

/// "1,234 req/s".
fn rps(v: f64) -> String {
    format!("{} req/s", whole(v))
}

impl Chart for ScalabilityChart {
    fn description(&self) -> String {
        let mut s = format!(
            "Line chart of the throughput of {} against {}: {} measured runs",
            self.subject,
            self.load_kind.label(),
            self.runs.len()
        );
        match &self.fit {
            Some(u) => {
                s.push_str(&format!(
                    ", the fitted Universal Scalability Law (contention σ {}, coherency κ {}, one unit γ {}, R² {}) and linear scaling γ N.",
                    significant(u.sigma),
                    significant(u.kappa),
                    rps(u.gamma),
                    significant(u.r_squared)
                ));
                if let Some((n, x)) = u.peak() {
                    s.push_str(&format!(" It peaks at {}, {}.", self.count(n), rps(x)));
                }
            }
            None => {
                s.push_str(". ");
                s.push_str(self.why_not.as_deref().unwrap_or_default());
            }
        }
        s
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let mut p = Painter::new(theme, size);
        let rect = page(&mut p, SCALABILITY_TITLE, &[self.stack]);
        let width = p.css_width();
        let narrow = width < NARROW_CSS_PX;
        let color = theme.stack_color(self.stack).to_rgba();
        let ideal = theme.muted.to_rgba();
        key(
            &mut p,
            rect,
            &[
                (color, "|fitted curve"),
                (ideal, "|linear, γ N"),
                (theme.foreground.to_rgba(), "runs"),
            ],
        );
        let rect = (rect.0, rect.1 + p.o(22.0), rect.2, rect.3);
        let x_hi = self
            .load
            .iter()
            .chain(self.runs.iter().map(|r| &r.0))
            .copied()
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max);
        let y_top = self
            .fitted
            .iter()
            .chain(self.runs.iter().map(|r| &r.1))
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_hi = if y_top > 0.0 { y_top * 1.15 } else { 1.0 };
        y_caption(&mut p, rect, "Throughput, req/s");
        let x = Axis::linear(0.0, x_hi, linear_ticks(0.0, x_hi, tick_budget(width, 60.0)));
        let y = Axis::linear(
            0.0,
            y_hi,
            linear_ticks(0.0, y_hi, if narrow { 5 } else { 7 }),
        );
        let x_fmt = |v: f64| short_number(v);
        let y_fmt = |v: f64| short_number(v);
        let x_desc = match self.load_kind {
            LoadKind::Workers => "Worker processes (or cores)",
            LoadKind::Users => "Concurrent users",
        };
        let plot = plot_frame(
            &mut p,
            rect,
            &line_margins(narrow, false),
            x,
            y,
            &AxisText {
                x_desc,
                x_fmt: &x_fmt,
                y_fmt: Some(&y_fmt),
            },
        );
        // Linear scaling from the origin, to where it leaves the plot.
        if let Some(gamma) = self.fit.as_ref().map(|u| u.gamma).filter(|g| *g > 0.0) {
            let end = (y_hi / gamma).min(x_hi);
            p.line(
                vec![plot.at(0.0, 0.0), plot.at(end, gamma * end)],
                ideal,
                1.0,
            );
        }
        // The fitted curve, from the origin (X(0) = 0).
        let curve: Vec<(i32, i32)> = std::iter::once((0.0, 0.0))
            .chain(self.load.iter().copied().zip(self.fitted.iter().copied()))
            .filter(|(n, v)| n.is_finite() && v.is_finite())
            .map(|(n, v)| plot.at(n, v.clamp(0.0, y_hi)))
            .collect();
        if !self.fitted.is_empty() {
            p.line(curve, color, 2.0);
        }
        if let Some((n, x)) = self.fit.as_ref().and_then(|u| u.peak()) {
            if plot.x.contains(n) && x.is_finite() {
                vertical_rule(&mut p, &plot, n, &format!("peak {}", self.count(n)));
            }
        }
        for &(n, v) in &self.runs {
            if plot.x.contains(n) && v.is_finite() {
                p.mark(
                    plot.at(n, v.clamp(0.0, y_hi)),
                    Theme::marker(self.stack),
                    f64::from(theme.px(4.5)),
                    theme.foreground.to_rgba(),
                    Some(theme.background),
                );
            }
        }
        if self.fit.is_none() {
            let why = self.why_not.as_deref().unwrap_or_default();
            centre_note(&mut p, &plot, why);
        } else if let Some(u) = &self.fit {
            p.text(
                format!(
                    "σ {}, κ {}, R² {}",
                    significant(u.sigma),
                    significant(u.kappa),
                    significant(u.r_squared)
                ),
                (plot.right - p.o(4.0), plot.bottom - p.o(4.0)),
                TICK_PX,
                theme.muted,
                (HPos::Right, VPos::Bottom),
            );
        }
        p.finish(x_frame(&plot, &self.load, theme))
    }

    fn positions(&self) -> usize {
        self.load.len()
    }

    fn home(&self) -> Option<usize> {
        if self.load.is_empty() {
            return None;
        }
        let last = self.last_run();
        Some(
            self.load
                .iter()
                .position(|&n| n >= last - 1e-9)
                .unwrap_or(self.load.len() - 1),
        )
    }

    fn readout(&self, at: usize) -> Option<Readout> {
        let n = *self.load.get(at)?;
        let mut rows = Vec::new();
        if let (Some(&fitted), Some(&linear)) = (self.fitted.get(at), self.linear.get(at)) {
            let beyond = if n > self.last_run() + 1e-9 {
                ", past the runs"
            } else {
                ""
            };
            rows.push(ReadoutRow {
                stack: Some(self.stack),
                label: "Fitted".into(),
                value: format!(
                    "{} ({} of linear){beyond}",
                    rps(fitted),
                    percent(if linear > 0.0 { fitted / linear } else { 0.0 })
                ),
            });
            rows.push(ReadoutRow {
                stack: None,
                label: "Linear, γ N".into(),
                value: rps(linear),
            });
        }
        // The runs at this load (each run's load is a position).
        for &(load, x) in &self.runs {
            if (load - n).abs() < 1e-9 {
                rows.push(ReadoutRow {
                    stack: None,
                    label: format!("Run at {}", self.count(load)),
                    value: rps(x),
                });
            }
        }
        Some(Readout {
            heading: format!("At {}", self.count(n)),
            rows,
        })
    }

    fn table(&self) -> Table {
        let load_head = match self.load_kind {
            LoadKind::Workers => "Workers",
            LoadKind::Users => "Users",
        };
        let mut rows: Vec<Vec<String>> = self
            .runs
            .iter()
            .map(|&(n, x)| {
                let (fitted, linear) = match &self.fit {
                    Some(u) => (rps(u.throughput(n)), rps(u.gamma * n)),
                    None => ("–".into(), "–".into()),
                };
                vec![significant(n), rps(x), fitted, linear]
            })
            .collect();
        if let Some((n, x)) = self.fit.as_ref().and_then(|u| u.peak()) {
            let linear = self.fit.as_ref().map_or(f64::NAN, |u| u.gamma * n);
            rows.push(vec![
                format!("Peak, {}", significant(n)),
                "–".into(),
                rps(x),
                rps(linear),
            ]);
        }
        Table {
            caption: format!(
                "Throughput of {} by {}, req/s: runs, the fitted law and linear scaling",
                self.subject,
                self.load_kind.label()
            ),
            head: vec![
                load_head.to_string(),
                "Measured".into(),
                "Fitted".into(),
                "Linear, γ N".into(),
            ],
            rows,
        }
    }

    fn notes(&self) -> Vec<String> {
        match &self.fit {
            Some(u) => vec![match u.peak() {
                Some((n, x)) => format!(
                    "Throughput peaks at N* = sqrt((1 − σ) / κ) = {}: {}.",
                    self.count(n),
                    rps(x)
                ),
                None => format!(
                    "No peak: κ is 0, so throughput keeps rising towards γ / σ = {}.",
                    if u.sigma > 0.0 {
                        rps(u.gamma / u.sigma)
                    } else {
                        "no limit".into()
                    }
                ),
            }],
            None => self.why_not.iter().cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fit_usl, Framework, MeasuredClass};

    fn group(points: &[(f64, f64)]) -> RunFit {
        RunFit {
            framework: Framework::Fastify,
            class: MeasuredClass::Json,
            endpoint: "json".into(),
            load_kind: LoadKind::Workers,
            points: points.to_vec(),
            fit: fit_usl(points),
        }
    }

    #[test]
    fn the_curve_is_the_fit_s_and_reaches_past_the_peak_when_near() {
        // R's small example: σ = κ = 0.02, peak at 7 workers.
        let g = group(&[
            (1.0, 1000.0),
            (2.0, 1886.8),
            (4.0, 3076.9),
            (6.0, 3529.4),
            (8.0, 3539.8),
            (10.0, 3355.7),
        ]);
        let c = scalability_chart(&g);
        let u = g.fit.clone().unwrap();
        assert_eq!(c.load.first(), Some(&1.0));
        assert!(c.load.last().copied().unwrap() >= 12.0, "{:?}", c.load);
        for ((&n, &x), &l) in c.load.iter().zip(&c.fitted).zip(&c.linear) {
            assert_eq!(x, u.throughput(n));
            assert_eq!(l, u.gamma * n);
        }
        assert!(c.notes()[0].starts_with("Throughput peaks at N* = sqrt((1 − σ) / κ) = 7 workers"), "{:?}", c.notes());
        // Home: the last run's load.
        assert_eq!(c.load[c.home().unwrap()], 10.0);
        let r = c.readout(c.home().unwrap()).unwrap();
        assert_eq!(r.heading, "At 10 workers");
        assert!(r.rows.iter().any(|row| row.label == "Run at 10 workers"));
        assert_eq!(c.table().rows.len(), 7);
    }

    #[test]
    fn runs_without_a_fit_are_points_with_the_reason() {
        let c = scalability_chart(&group(&[(1.0, 900.0), (2.0, 1700.0)]));
        assert!(c.fit.is_none() && c.fitted.is_empty());
        assert_eq!(c.load, vec![1.0, 2.0]);
        let why = c.why_not.clone().unwrap();
        assert!(why.contains("3 or more different loads"), "{why}");
        assert_eq!(c.notes(), vec![why]);
        assert_eq!(c.table().rows[0][2], "–");
    }

    #[test]
    fn many_users_are_drawn_at_sixty_points() {
        let mut g = group(&[
            (1.0, 64.9),
            (18.0, 995.9),
            (36.0, 1652.4),
            (72.0, 1853.2),
            (108.0, 1828.9),
            (144.0, 1775.0),
            (216.0, 1702.2),
        ]);
        g.load_kind = LoadKind::Users;
        let c = scalability_chart(&g);
        // Sixty points, and the runs' loads that are not among them.
        assert_eq!(c.load.len(), CURVE_POINTS + 6);
        assert!((c.load[c.load.len() - 1] - 270.0).abs() < 1e-9);
        assert_eq!(c.load[c.home().unwrap()], 216.0);
        let r = c.readout(c.home().unwrap()).unwrap();
        assert_eq!(r.heading, "At 216 users");
        assert!(r.rows.iter().any(|row| row.value == "1,702 req/s"));
        assert!(c.description().contains("It peaks at 96.5 users"), "{}", c.description());
    }
}
