//! Where a drawn chart put its data, so a pointer can be mapped back to it.
//!
//! Every chart's scene comes with a [`PlotFrame`]: the plot rectangle and
//! the backend pixel of each hover position (an x value of a line chart,
//! the middle of a row of a bar chart), taken from the scene's own mapping
//! of values to pixels (`Plot::px`, `Plot::py`) as it is built, the same
//! mapping that placed the data; plotters' coordinate mapping is not used.
//! Drawing returns it; the page keeps the last frame of each canvas and
//! asks it which position is nearest the pointer; nothing is re-derived.

/// Which way a chart's hover positions run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Along {
    /// Positions along the x axis (line charts): the pointer's x decides.
    #[default]
    X,
    /// Rows down the chart (bar charts): the pointer's y decides.
    Y,
}

/// The geometry of one drawn chart, in backend (device) pixels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlotFrame {
    /// Device pixels per CSS pixel the chart was drawn at.
    pub scale: f64,
    /// Plot rectangle: left, top, right, bottom.
    pub plot: (i32, i32, i32, i32),
    /// Pixel of each hover position along [`PlotFrame::along`], in data
    /// order.
    pub marks: Vec<i32>,
    /// Which axis the marks lie on.
    pub along: Along,
    /// Half the height of a row (for [`Along::Y`]), device pixels.
    pub half_row: i32,
}

impl PlotFrame {
    /// The hover position nearest the point `(x, y)` in device pixels, or
    /// `None` when the chart has no positions or the point lies outside the
    /// plot (beyond a row's height for rows, beyond half the spacing of the
    /// first or last mark for lines).
    pub fn nearest(&self, x: f64, y: f64) -> Option<usize> {
        if self.marks.is_empty() || !x.is_finite() || !y.is_finite() {
            return None;
        }
        let (left, top, right, bottom) = self.plot;
        let (along, across, lo, hi) = match self.along {
            Along::X => (x, y, f64::from(left), f64::from(right)),
            Along::Y => (y, x, f64::from(top), f64::from(bottom)),
        };
        let (across_lo, across_hi) = match self.along {
            Along::X => (f64::from(top), f64::from(bottom)),
            Along::Y => (f64::from(left), f64::from(right)),
        };
        let slack = match self.along {
            Along::X => 8.0 * self.scale.max(1.0),
            Along::Y => f64::from(self.half_row),
        };
        if across < across_lo - slack
            || across > across_hi + slack
            || along < lo - slack
            || along > hi + slack
        {
            return None;
        }
        self.marks
            .iter()
            .enumerate()
            .min_by(|a, b| {
                let da = (f64::from(*a.1) - along).abs();
                let db = (f64::from(*b.1) - along).abs();
                da.total_cmp(&db)
            })
            .map(|(i, _)| i)
    }

    /// The pixel of position `index` along the chart, in CSS pixels, for
    /// placing an HTML guide over the canvas; `None` out of range.
    pub fn mark_css(&self, index: usize) -> Option<f64> {
        let scale = if self.scale.is_finite() && self.scale > 0.0 {
            self.scale
        } else {
            1.0
        };
        self.marks.get(index).map(|m| f64::from(*m) / scale)
    }

    /// The plot rectangle in CSS pixels: left, top, right, bottom.
    pub fn plot_css(&self) -> (f64, f64, f64, f64) {
        let s = if self.scale.is_finite() && self.scale > 0.0 {
            self.scale
        } else {
            1.0
        };
        let (l, t, r, b) = self.plot;
        (
            f64::from(l) / s,
            f64::from(t) / s,
            f64::from(r) / s,
            f64::from(b) / s,
        )
    }
}

/// The hover position after `current` when `key` is pressed on a chart
/// with `count` positions: arrows move by one, Page Up/Down by five, Home
/// and End to the ends. `None` for a key that does not move, or no
/// positions.
pub fn step_key(key: &str, current: usize, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let current = current.min(last);
    Some(match key {
        "ArrowRight" | "ArrowDown" => (current + 1).min(last),
        "ArrowLeft" | "ArrowUp" => current.saturating_sub(1),
        "PageDown" => (current + 5).min(last),
        "PageUp" => current.saturating_sub(5),
        "Home" => 0,
        "End" => last,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_in_range() {
        assert_eq!(step_key("ArrowRight", 3, 5), Some(4));
        assert_eq!(step_key("ArrowRight", 4, 5), Some(4));
        assert_eq!(step_key("ArrowLeft", 0, 5), Some(0));
        assert_eq!(step_key("End", 0, 5), Some(4));
        assert_eq!(step_key("PageUp", 2, 5), Some(0));
        assert_eq!(step_key("ArrowDown", 9, 5), Some(4));
        assert_eq!(step_key("a", 2, 5), None);
        assert_eq!(step_key("Home", 2, 0), None);
    }

    fn lines() -> PlotFrame {
        PlotFrame {
            scale: 2.0,
            plot: (100, 20, 500, 300),
            marks: vec![100, 200, 300, 400, 500],
            along: Along::X,
            half_row: 0,
        }
    }

    #[test]
    fn the_nearest_x_wins() {
        let f = lines();
        assert_eq!(f.nearest(100.0, 100.0), Some(0));
        assert_eq!(f.nearest(260.0, 100.0), Some(2));
        assert_eq!(f.nearest(499.0, 299.0), Some(4));
        assert_eq!(f.nearest(510.0, 100.0), Some(4));
    }

    #[test]
    fn outside_the_plot_is_nothing() {
        let f = lines();
        assert_eq!(f.nearest(10.0, 100.0), None);
        assert_eq!(f.nearest(300.0, 400.0), None);
        assert_eq!(f.nearest(f64::NAN, 100.0), None);
        assert_eq!(PlotFrame::default().nearest(0.0, 0.0), None);
    }

    #[test]
    fn rows_are_picked_by_height() {
        let f = PlotFrame {
            scale: 1.0,
            plot: (0, 0, 300, 200),
            marks: vec![25, 75, 125, 175],
            along: Along::Y,
            half_row: 25,
        };
        assert_eq!(f.nearest(150.0, 80.0), Some(1));
        assert_eq!(f.nearest(5.0, 199.0), Some(3));
        assert_eq!(f.nearest(150.0, 260.0), None);
        assert_eq!(f.mark_css(1), Some(75.0));
        assert_eq!(f.mark_css(9), None);
    }
}
