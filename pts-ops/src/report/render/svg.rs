//! Hand-written SVG line charts: axes with tick labels, a title, units and one polyline
//! per series. Text is escaped; nothing refers to anything outside the SVG.

/// One line of a chart: (x, y) points in data units.
pub struct Series {
    pub label: String,
    pub color: &'static str,
    pub points: Vec<(f64, f64)>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 44.0;
const TICKS: usize = 5;

/// `&`, `<`, `>`, `"` and `'` as entities: safe in HTML text, SVG text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The smallest 1, 2 or 5 x 10^k at or above `v` (1 for nothing to show).
pub fn nice_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let exp = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * exp)
        .find(|c| *c >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * exp)
}

/// A tick label: integers plainly, else up to two decimals without trailing zeros.
fn tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A line chart of `series` against x in seconds, titled `title`, y in `unit`. The y axis
/// reaches at least `min_top` (5 keeps the ticks of a count chart whole numbers).
pub fn line_chart(title: &str, unit: &str, series: &[Series], min_top: f64) -> String {
    line_chart_over(title, unit, "elapsed (s)", series, min_top)
}

/// [`line_chart`] with its own x-axis label (`x_label`), e.g. runs instead of seconds.
pub fn line_chart_over(
    title: &str,
    unit: &str,
    x_label: &str,
    series: &[Series],
    min_top: f64,
) -> String {
    let all = series.iter().flat_map(|s| s.points.iter());
    let (x_max, y_max) = all.fold((0.0f64, 0.0f64), |(x, y), p| (x.max(p.0), y.max(p.1)));
    let (x_top, y_top) = (nice_ceiling(x_max), nice_ceiling(y_max.max(min_top)));
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let px = |x: f64| LEFT + x / x_top * plot_w;
    let py = |y: f64| TOP + plot_h - y / y_top * plot_h;
    let mut out = format!(
        "<svg role=\"img\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         font-family=\"sans-serif\" font-size=\"11\"><title>{t}</title>\n\
         <text x=\"{LEFT}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{t}</text>\n",
        t = escape(title)
    );
    for i in 0..=TICKS {
        let v = y_top * i as f64 / TICKS as f64;
        let y = py(v);
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e3e3e3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&tick(v))
        ));
        let xv = x_top * i as f64 / TICKS as f64;
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            px(xv),
            TOP + plot_h + 16.0,
            escape(&tick(xv))
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{b:.1}\" stroke=\"#333\"/>\
         <line x1=\"{LEFT}\" y1=\"{b:.1}\" x2=\"{r:.1}\" y2=\"{b:.1}\" stroke=\"#333\"/>\n\
         <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n\
         <text x=\"14\" y=\"{cy:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {cy:.1})\">{}</text>\n",
        HEIGHT - 6.0,
        escape(x_label),
        escape(unit),
        b = TOP + plot_h,
        r = WIDTH - RIGHT,
        cx = LEFT + plot_w / 2.0,
        cy = TOP + plot_h / 2.0,
    ));
    for (i, s) in series.iter().enumerate() {
        let pts: Vec<String> =
            s.points.iter().map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y))).collect();
        // Legend: a short swatch of the line's colour, then its label, from the right.
        let lx = WIDTH - RIGHT - 150.0 * (series.len() - i) as f64 + 10.0;
        out.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"1.5\" points=\"{}\"/>\n\
             <line x1=\"{lx:.1}\" y1=\"16\" x2=\"{:.1}\" y2=\"16\" stroke=\"{c}\" stroke-width=\"3\"/>\
             <text x=\"{:.1}\" y=\"20\">{}</text>\n",
            pts.join(" "),
            lx + 18.0,
            lx + 24.0,
            escape(&s.label),
            c = s.color
        ));
    }
    out.push_str("</svg>\n");
    out
}
