#include "svg_charts.h"

#include "text.h"

#include <algorithm>
#include <sstream>

namespace kpi {
namespace {

constexpr int kWidth = 560;

std::string open_figure(const std::string& id, const std::string& title, int height) {
  std::ostringstream s;
  s << "<figure id=\"" << id << "\"><figcaption>" << esc(title) << "</figcaption><svg viewBox=\"0 0 " << kWidth << ' '
    << height << "\" role=\"img\" aria-label=\"" << esc(title) << "\">";
  return s.str();
}

std::string text(double x, double y, const std::string& anchor, const std::string& content, int size = 11) {
  return "<text class=\"label\" x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
         std::to_string(size) + "\">" + esc(content) + "</text>";
}

}  // namespace

const char* page_style() {
  return
    "body{font-family:system-ui,sans-serif;margin:1.5rem auto;color:#0b0c0c;max-width:1150px;padding:0 1rem}"
    "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.6rem;border-bottom:2px solid #1d70b8}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .45rem;font-size:.88rem;"
    "text-align:left;vertical-align:top}th{background:#f3f2f1}td.v{font-weight:700;white-space:nowrap}"
    "td.n,th.n{text-align:right;white-space:nowrap}.note,.rule{color:#505a5f;font-size:.8rem}"
    ".rag{display:inline-block;padding:.05rem .45rem;border-radius:3px;font-weight:700;font-size:.8rem}"
    ".red{background:#d4351c;color:#fff}.amber{background:#ffdd00}.green{background:#00703c;color:#fff}"
    ".small{color:#d4351c}figure{display:inline-block;width:100%;max-width:560px;margin:1rem 1rem 0 0;vertical-align:top}"
    "figure svg{width:100%;height:auto}figcaption{font-weight:600;margin-bottom:.3rem}"
    ".group{break-inside:avoid}"
    "@media print{@page{size:A4;margin:12mm}body{margin:0;max-width:none;font-size:10pt}figure{max-width:48%}"
    "h2{break-after:avoid}}";
}

// Counts the chart labels that overlap, once laid out: the screenshot test reads the result.
const char* label_self_check() {
  return
    "<script>(function(){var n=0;document.querySelectorAll('figure').forEach(function(f){"
    "var b=Array.prototype.map.call(f.querySelectorAll('text.label'),function(t){return t.getBoundingClientRect();})"
    ".filter(function(r){return r.width>0;});for(var i=0;i<b.length;i++)for(var j=i+1;j<b.length;j++){var x=b[i],y=b[j];"
    "if(x.left<y.right-0.5&&y.left<x.right-0.5&&x.top<y.bottom-0.5&&y.top<x.bottom-0.5)n++;}});"
    "document.body.setAttribute('data-label-overlaps',String(n));"
    "document.body.setAttribute('data-width',String(window.innerWidth));})();</script>";
}

std::string esc(const std::string& v) { return plugin_support::html_escape(v); }

std::string fmt(double v, int decimals) { return plugin_support::fixed(v, decimals ? 1 : 0); }

std::string column_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars) {
  const int h = 220, bottom = 30, top = 24;
  double max = 1;
  for (const auto& b : bars) max = std::max(max, b.value.value_or(0));
  std::string s = open_figure(id, title, h);
  s += "<line x1=\"0\" y1=\"" + std::to_string(h - bottom) + "\" x2=\"" + std::to_string(kWidth) + "\" y2=\"" +
       std::to_string(h - bottom) + "\" stroke=\"#888\"/>";
  const double slot = bars.empty() ? 0 : static_cast<double>(kWidth) / static_cast<double>(bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double mid = slot * (static_cast<double>(i) + 0.5);
    if (!bars[i].value) {
      s += text(mid, h - bottom - 8, "middle", "no data", 10);
    } else {
      const double bh = (h - bottom - top) * *bars[i].value / max;
      s += "<rect x=\"" + fmt(mid - slot * 0.3) + "\" y=\"" + fmt(h - bottom - bh) + "\" width=\"" + fmt(slot * 0.6) +
           "\" height=\"" + fmt(bh) + "\" fill=\"#1d70b8\"><title>" + esc(bars[i].note) + "</title></rect>";
      s += text(mid, h - bottom - bh - 5, "middle", fmt(*bars[i].value));
    }
    s += text(mid, h - bottom + 16, "middle", bars[i].label);
  }
  return s + "</svg></figure>\n";
}

std::string bar_rows(const std::string& id, const std::string& title, const std::vector<Bar>& bars, const std::string& unit) {
  const int row = 22, left = 230, right = 60;
  const int h = std::max(1, static_cast<int>(bars.size())) * row + 8;
  double max = 1;
  for (const auto& b : bars) max = std::max(max, b.value.value_or(0));
  std::string s = open_figure(id, title, h);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = 4 + static_cast<double>(i) * row;
    s += text(left - 8, y + 15, "end", bars[i].label);
    if (!bars[i].value) {
      s += text(left + 4, y + 15, "start", "no data", 10);
      continue;
    }
    const double w = (kWidth - left - right) * *bars[i].value / max;
    s += "<rect x=\"" + std::to_string(left) + "\" y=\"" + fmt(y + 3) + "\" width=\"" + fmt(w) + "\" height=\"" +
         std::to_string(row - 7) + "\" fill=\"#1d70b8\"><title>" + esc(bars[i].note) + "</title></rect>";
    s += text(left + w + 4, y + 15, "start", fmt(*bars[i].value, unit == "%") + unit);
  }
  return s + "</svg></figure>\n";
}

std::string rate_lines(const std::string& id, const std::string& title, const std::vector<std::string>& months,
                       const std::map<std::string, std::vector<RatePoint>>& lines) {
  const int h = 250, left = 40, bottom = 34, top = 34;
  const char* colours[] = {"#1d70b8", "#d4351c", "#00703c"};
  std::string s = open_figure(id, title, h);
  for (int pct : {0, 50, 100}) {
    const double y = h - bottom - (h - bottom - top) * pct / 100.0;
    s += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + fmt(y) + "\" x2=\"" + std::to_string(kWidth) + "\" y2=\"" + fmt(y) +
         "\" stroke=\"#ddd\"/>" + text(left - 6, y + 4, "end", std::to_string(pct) + "%");
  }
  const double step = months.size() > 1 ? static_cast<double>(kWidth - left - 48) / static_cast<double>(months.size() - 1) : 0;
  auto x_of = [&](std::size_t i) { return left + 12 + step * static_cast<double>(i); };
  for (std::size_t i = 0; i < months.size(); ++i) s += text(x_of(i), h - bottom + 16, "middle", months[i], 10);
  int colour = 0;
  double legend_x = left;
  for (const auto& [name, points] : lines) {
    const char* c = colours[colour++ % 3];
    std::string polyline;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const double x = x_of(i);
      const std::string note = std::to_string(points[i].in_time) + " of " + std::to_string(points[i].count) + " in time";
      if (!points[i].pct) {  // too few to be a rate: a hollow mark on the axis
        if (points[i].count > 0)
          s += "<circle cx=\"" + fmt(x) + "\" cy=\"" + std::to_string(h - bottom) + "\" r=\"3\" fill=\"none\" stroke=\"" + c +
               "\"><title>" + esc(name + ": " + note + " (fewer than 5: not plotted)") + "</title></circle>";
        continue;
      }
      const double y = h - bottom - (h - bottom - top) * *points[i].pct / 100.0;
      polyline += fmt(x) + "," + fmt(y) + " ";
      s += "<circle cx=\"" + fmt(x) + "\" cy=\"" + fmt(y) + "\" r=\"3\" fill=\"" + c + "\"><title>" +
           esc(name + ": " + fmt(*points[i].pct, 1) + "% (" + note + ")") + "</title></circle>";
    }
    s += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + std::string(c) + "\" points=\"" + polyline + "\"/>";
    s += "<text class=\"label\" x=\"" + fmt(legend_x) + "\" y=\"14\" font-size=\"11\" fill=\"" + c + "\">" + esc(name) + "</text>";
    legend_x += 7.0 * static_cast<double>(name.size()) + 24;
  }
  s += text(kWidth, 28, "end", "○ fewer than 5 cases that month: not plotted", 10);
  return s + "</svg></figure>\n";
}

std::string trend_lines(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                        const std::vector<Series>& series, const std::string& unit, const std::string& note) {
  const char* palette[] = {"#1d70b8", "#d4351c", "#00703c", "#6f72af", "#b58840"};
  std::vector<const char*> colours;
  for (std::size_t i = 0, next = 0; i < series.size(); ++i)
    colours.push_back(series[i].continues && i > 0 ? colours.back() : palette[next++ % 5]);
  const int decimals = unit.empty() && series.size() && [&] {   // small counts: halves are labels too
    double top = 0;
    for (const auto& line : series)
      for (const auto& v : line.values) top = std::max(top, v.value_or(0));
    return top < 10;
  }() ? 1 : 0;
  double max = unit == "%" ? 100 : 1;
  for (const auto& line : series)
    for (const auto& v : line.values) max = std::max(max, v.value_or(0));
  std::string legend;   // rows of names, wrapped at the chart's width
  double lx = 40, ly = 14;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double w = 7.0 * static_cast<double>(series[i].name.size()) + 24;
    if (lx + w > kWidth) lx = 40, ly += 14;
    legend += "<text class=\"label\" x=\"" + fmt(lx) + "\" y=\"" + fmt(ly) + "\" font-size=\"11\" fill=\"" + colours[i] + "\">" +
              esc(series[i].name + (series[i].dashed ? " (dashed)" : "")) + "</text>";
    lx += w + (series[i].dashed ? 56 : 0);
  }
  if (!note.empty()) ly += 14, legend += text(40, ly, "start", note, 10);
  const int h = 230 + static_cast<int>(ly), left = 48, bottom = 30, top = static_cast<int>(ly) + 14;
  std::string s = open_figure(id, title, h) + legend;
  auto y_of = [&](double v) { return h - bottom - (h - bottom - top) * v / max; };
  for (double frac : {0.0, 0.5, 1.0})
    s += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + fmt(y_of(max * frac)) + "\" x2=\"" + std::to_string(kWidth) + "\" y2=\"" +
         fmt(y_of(max * frac)) + "\" stroke=\"#ddd\"/>" + text(left - 6, y_of(max * frac) + 4, "end", fmt(max * frac, decimals) + unit);
  const double step = labels.size() > 1 ? static_cast<double>(kWidth - left - 30) / static_cast<double>(labels.size() - 1) : 0;
  auto x_of = [&](std::size_t i) { return left + 12 + step * static_cast<double>(i); };
  const std::size_t every = labels.size() > 8 ? 2 : 1;   // every other year when there are many
  for (std::size_t i = 0; i < labels.size(); i += every) s += text(x_of(i), h - bottom + 16, "middle", labels[i], 10);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const std::string c = colours[k];
    std::string points;
    for (std::size_t i = 0; i < series[k].values.size() && i < labels.size(); ++i) {
      if (!series[k].values[i]) continue;
      const double v = *series[k].values[i];
      points += fmt(x_of(i)) + "," + fmt(y_of(v)) + " ";
      s += "<circle cx=\"" + fmt(x_of(i)) + "\" cy=\"" + fmt(y_of(v)) + "\" r=\"3\" fill=\"" + c + "\"><title>" +
           esc(series[k].name + ", " + labels[i] + ": " + fmt(v, v == static_cast<long>(v) ? 0 : 1) + unit) + "</title></circle>";
    }
    s += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + c + "\"" +
         (series[k].dashed ? " stroke-dasharray=\"5 4\"" : "") + " points=\"" + points + "\"/>";
  }
  return s + "</svg></figure>\n";
}

std::string band_chart(const std::string& id, const std::string& title, const std::vector<Band>& points) {
  const int h = 240, left = 60, bottom = 30, top = 20;
  double max = 1;
  for (const auto& p : points) max = std::max(max, p.upper);
  std::string s = open_figure(id, title, h);
  const double step = points.size() > 1 ? static_cast<double>(kWidth - left - 30) / static_cast<double>(points.size() - 1) : 0;
  auto x_of = [&](std::size_t i) { return left + 15 + step * static_cast<double>(i); };
  auto y_of = [&](double v) { return h - bottom - (h - bottom - top) * v / max; };
  for (double frac : {0.0, 0.5, 1.0}) s += text(left - 8, y_of(max * frac) + 4, "end", fmt(max * frac));
  std::string upper, lower, line, projected;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    s += text(x_of(i), h - bottom + 16, "middle", p.label.substr(0, 4));
    (p.projected ? projected : line) += fmt(x_of(i)) + "," + fmt(y_of(p.value)) + " ";
    if (p.projected) {
      upper += fmt(x_of(i)) + "," + fmt(y_of(p.upper)) + " ";
      lower = fmt(x_of(i)) + "," + fmt(y_of(p.lower)) + " " + lower;
    } else if (i + 1 < points.size() && points[i + 1].projected) {
      projected += fmt(x_of(i)) + "," + fmt(y_of(p.value)) + " ";   // the projection starts at the last count
    }
    s += "<circle cx=\"" + fmt(x_of(i)) + "\" cy=\"" + fmt(y_of(p.value)) + "\" r=\"3\" fill=\"" +
         (p.projected ? "#fff\" stroke=\"#1d70b8" : "#1d70b8") + "\"><title>" + esc(p.label) + ": " + fmt(p.value) +
         (p.projected ? " (80% interval " + fmt(p.lower) + " to " + fmt(p.upper) + ")" : "") + "</title></circle>";
  }
  if (!upper.empty()) s += "<polygon points=\"" + upper + lower + "\" fill=\"#1d70b8\" fill-opacity=\"0.15\"/>";
  s += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"#1d70b8\" points=\"" + line + "\"/>";
  s += "<polyline fill=\"none\" stroke-width=\"2\" stroke-dasharray=\"5,4\" stroke=\"#1d70b8\" points=\"" + projected + "\"/>";
  return s + "</svg></figure>\n";
}

std::string sparkline(const std::vector<double>& values) {
  if (values.size() < 2) return "<span class=\"note\">–</span>";
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const double span = *hi - *lo > 0 ? *hi - *lo : 1;
  std::string points;
  for (std::size_t i = 0; i < values.size(); ++i)
    points += fmt(2 + 76.0 * static_cast<double>(i) / static_cast<double>(values.size() - 1)) + "," +
              fmt(18 - 16 * (values[i] - *lo) / span) + " ";
  return "<svg class=\"spark\" viewBox=\"0 0 80 20\" width=\"80\" height=\"20\" aria-hidden=\"true\"><polyline fill=\"none\" "
         "stroke=\"#1d70b8\" stroke-width=\"1.5\" points=\"" + points + "\"/></svg>";
}

}  // namespace kpi
