//! Canvas geometry: node boxes, the pan/zoom transform, fitting and culling.
//!
//! Screen coordinates are pixels inside the canvas element; canvas coordinates are where nodes
//! live. `screen = canvas × zoom + (viewport.x, viewport.y)`.

use super::number::decimal;
use crate::model::{Position, Viewport};

/// Width of a node box in canvas units.
pub const NODE_WIDTH: f64 = 220.0;
/// Height of a node box in canvas units.
pub const NODE_HEIGHT: f64 = 76.0;
/// Smallest zoom factor.
pub const MIN_ZOOM: f64 = 0.1;
/// Largest zoom factor.
pub const MAX_ZOOM: f64 = 2.5;

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (≥ 0).
    pub w: f64,
    /// Height (≥ 0).
    pub h: f64,
}

impl Rect {
    /// The rectangle spanned by two corners, in any order.
    pub fn from_corners(a: Position, b: Position) -> Self {
        Self {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            w: (a.x - b.x).abs(),
            h: (a.y - b.y).abs(),
        }
    }

    /// The box of a node drawn at `position`.
    pub fn node(position: Position) -> Self {
        Self {
            x: position.x,
            y: position.y,
            w: NODE_WIDTH,
            h: NODE_HEIGHT,
        }
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the point lies inside (edges included).
    pub fn contains(&self, p: Position) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// Whether the two rectangles overlap (touching edges do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// The smallest rectangle containing both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect {
            x,
            y,
            w: self.right().max(other.right()) - x,
            h: self.bottom().max(other.bottom()) - y,
        }
    }

    /// Grown by `margin` on every side.
    pub fn inflate(&self, margin: f64) -> Rect {
        Rect {
            x: self.x - margin,
            y: self.y - margin,
            w: self.w + 2.0 * margin,
            h: self.h + 2.0 * margin,
        }
    }
}

/// The CSS that moves an element to `at` (canvas coordinates of a node's corner).
pub fn translate(at: Position) -> String {
    format!(
        "transform:translate({}px,{}px)",
        decimal(at.x, 2),
        decimal(at.y, 2)
    )
}

/// The CSS of the canvas' world layer for `viewport`: the pan, then the zoom.
pub fn world_transform(viewport: Viewport) -> String {
    format!(
        "{} scale({})",
        translate(Position {
            x: viewport.x,
            y: viewport.y
        }),
        decimal(viewport.zoom, 4)
    )
}

/// The box around all nodes at `positions`, or `None` when there are none.
pub fn bounds(positions: impl IntoIterator<Item = Position>) -> Option<Rect> {
    positions
        .into_iter()
        .map(Rect::node)
        .reduce(|a, b| a.union(&b))
}

/// Converts a point on the screen to canvas coordinates.
pub fn to_canvas(viewport: Viewport, screen: Position) -> Position {
    Position {
        x: (screen.x - viewport.x) / viewport.zoom,
        y: (screen.y - viewport.y) / viewport.zoom,
    }
}

/// Converts a canvas point to screen coordinates.
pub fn to_screen(viewport: Viewport, canvas: Position) -> Position {
    Position {
        x: canvas.x * viewport.zoom + viewport.x,
        y: canvas.y * viewport.zoom + viewport.y,
    }
}

/// Zooms by `factor` keeping the canvas point under `anchor` (a screen point) where it is.
pub fn zoom_at(viewport: Viewport, factor: f64, anchor: Position) -> Viewport {
    let zoom = (viewport.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
    let fixed = to_canvas(viewport, anchor);
    Viewport {
        x: anchor.x - fixed.x * zoom,
        y: anchor.y - fixed.y * zoom,
        zoom,
    }
}

/// Zooms by `factor` around the centre of a `width` × `height` view.
pub fn zoom_centred(viewport: Viewport, factor: f64, width: f64, height: f64) -> Viewport {
    let centre = Position {
        x: width / 2.0,
        y: height / 2.0,
    };
    zoom_at(viewport, factor, centre)
}

/// The zoom factor of one wheel turn: `delta_y` counts lines when `delta_mode` is 1 (the DOM's
/// `DOM_DELTA_LINE`), else pixels; scrolling up zooms in.
pub fn wheel_factor(delta_y: f64, delta_mode: u32) -> f64 {
    let scale = if delta_mode == 1 { 0.05 } else { 0.0015 };
    (-delta_y * scale).exp()
}

/// The viewport `start` dragged by the pointer from screen point `origin` to `pointer`.
pub fn pan(start: Viewport, origin: Position, pointer: Position) -> Viewport {
    Viewport {
        x: start.x + pointer.x - origin.x,
        y: start.y + pointer.y - origin.y,
        zoom: start.zoom,
    }
}

/// The viewport at the same zoom that puts canvas point `target` in the middle of a
/// `width` × `height` view.
pub fn centre_on(viewport: Viewport, target: Position, width: f64, height: f64) -> Viewport {
    let zoom = viewport.zoom;
    Viewport {
        x: width / 2.0 - target.x * zoom,
        y: height / 2.0 - target.y * zoom,
        zoom,
    }
}

/// The part of the canvas visible in a `width` × `height` screen area.
pub fn visible(viewport: Viewport, width: f64, height: f64) -> Rect {
    let top_left = to_canvas(viewport, Position { x: 0.0, y: 0.0 });
    Rect {
        x: top_left.x,
        y: top_left.y,
        w: width / viewport.zoom,
        h: height / viewport.zoom,
    }
}

/// The viewport that shows all of `content` centred in a `width` × `height` area with `padding`
/// pixels around it, never zooming in past 100 %.
pub fn fit(content: Rect, width: f64, height: f64, padding: f64) -> Viewport {
    let room_w = (width - 2.0 * padding).max(1.0);
    let room_h = (height - 2.0 * padding).max(1.0);
    let zoom = (room_w / content.w.max(1.0))
        .min(room_h / content.h.max(1.0))
        .clamp(MIN_ZOOM, 1.0);
    Viewport {
        x: (width - content.w * zoom) / 2.0 - content.x * zoom,
        y: (height - content.h * zoom) / 2.0 - content.y * zoom,
        zoom,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Position {
        Position { x, y }
    }

    fn close(a: Position, b: Position) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn transforms_are_css_with_rounded_numbers() {
        assert_eq!(
            translate(Position { x: 12.345, y: -4.0 }),
            "transform:translate(12.35px,-4px)"
        );
        let vp = Viewport {
            x: 0.5,
            y: 20.0,
            zoom: 1.0 / 1.2,
        };
        assert_eq!(
            world_transform(vp),
            "transform:translate(0.5px,20px) scale(0.8333)"
        );
    }

    #[test]
    fn screen_and_canvas_coordinates_invert_each_other() {
        let viewport = Viewport {
            x: 40.0,
            y: -10.0,
            zoom: 1.5,
        };
        let point = p(123.0, 456.0);
        assert!(close(
            to_canvas(viewport, to_screen(viewport, point)),
            point
        ));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let viewport = Viewport {
            x: 10.0,
            y: 20.0,
            zoom: 1.0,
        };
        let anchor = p(300.0, 200.0);
        let before = to_canvas(viewport, anchor);
        let zoomed = zoom_at(viewport, 1.25, anchor);
        assert!((zoomed.zoom - 1.25).abs() < 1e-9);
        assert!(close(to_canvas(zoomed, anchor), before));
    }

    #[test]
    fn zoom_is_clamped() {
        let viewport = Viewport::default();
        assert_eq!(zoom_at(viewport, 100.0, p(0.0, 0.0)).zoom, MAX_ZOOM);
        assert_eq!(zoom_at(viewport, 0.0001, p(0.0, 0.0)).zoom, MIN_ZOOM);
    }

    #[test]
    fn zooming_around_the_centre_keeps_the_centre() {
        let viewport = Viewport {
            x: 30.0,
            y: -40.0,
            zoom: 0.8,
        };
        let centre = p(400.0, 300.0);
        let zoomed = zoom_centred(viewport, 1.2, 800.0, 600.0);
        assert!((zoomed.zoom - 0.96).abs() < 1e-9);
        assert!(close(
            to_canvas(zoomed, centre),
            to_canvas(viewport, centre)
        ));
    }

    #[test]
    fn wheel_turns_zoom_by_lines_or_pixels() {
        assert_eq!(wheel_factor(0.0, 0), 1.0);
        assert!((wheel_factor(-100.0, 0) - 0.15f64.exp()).abs() < 1e-12);
        assert!((wheel_factor(3.0, 1) - (-0.15f64).exp()).abs() < 1e-12);
        assert!(wheel_factor(-1.0, 0) > 1.0, "scrolling up zooms in");
    }

    #[test]
    fn panning_follows_the_pointer_at_the_same_zoom() {
        let start = Viewport {
            x: 10.0,
            y: 20.0,
            zoom: 1.5,
        };
        let panned = pan(start, p(100.0, 100.0), p(130.0, 80.0));
        assert_eq!(
            panned,
            Viewport {
                x: 40.0,
                y: 0.0,
                zoom: 1.5
            }
        );
    }

    #[test]
    fn centring_on_a_point_puts_it_mid_view() {
        let viewport = Viewport {
            x: 5.0,
            y: 5.0,
            zoom: 0.5,
        };
        let target = p(1000.0, -200.0);
        let centred = centre_on(viewport, target, 800.0, 600.0);
        assert_eq!(centred.zoom, 0.5);
        assert!(close(to_screen(centred, target), p(400.0, 300.0)));
    }

    #[test]
    fn fit_centres_the_content_inside_the_padding() {
        let content = Rect {
            x: 100.0,
            y: 100.0,
            w: 2000.0,
            h: 500.0,
        };
        let viewport = fit(content, 1000.0, 600.0, 50.0);
        assert!((viewport.zoom - 0.45).abs() < 1e-9);
        let top_left = to_screen(viewport, p(content.x, content.y));
        let bottom_right = to_screen(viewport, p(content.right(), content.bottom()));
        assert!((top_left.x - 50.0).abs() < 1e-9);
        assert!((bottom_right.x - 950.0).abs() < 1e-9);
        assert!(((top_left.y + bottom_right.y) / 2.0 - 300.0).abs() < 1e-9);
    }

    #[test]
    fn fit_never_zooms_past_actual_size() {
        let small = Rect::node(p(0.0, 0.0));
        assert_eq!(fit(small, 1000.0, 800.0, 40.0).zoom, 1.0);
    }

    #[test]
    fn visible_area_and_intersection_cull_far_nodes() {
        let viewport = Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 0.5,
        };
        let view = visible(viewport, 800.0, 600.0);
        assert_eq!(
            view,
            Rect {
                x: 0.0,
                y: 0.0,
                w: 1600.0,
                h: 1200.0
            }
        );
        assert!(view.intersects(&Rect::node(p(1500.0, 100.0))));
        assert!(!view.intersects(&Rect::node(p(1700.0, 100.0))));
    }

    #[test]
    fn bounds_cover_every_node() {
        assert_eq!(bounds([]), None);
        let b = bounds([p(0.0, 0.0), p(500.0, -100.0)]).expect("two nodes");
        assert_eq!(
            b,
            Rect {
                x: 0.0,
                y: -100.0,
                w: 500.0 + NODE_WIDTH,
                h: 100.0 + NODE_HEIGHT
            }
        );
        assert_eq!(
            Rect::from_corners(p(5.0, 9.0), p(1.0, 2.0)),
            Rect {
                x: 1.0,
                y: 2.0,
                w: 4.0,
                h: 7.0
            }
        );
    }
}
