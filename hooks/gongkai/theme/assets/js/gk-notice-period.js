// 公示期: says whether each notice period on the page is open (公示中), over (已结束) or not yet
// started (尚未开始). The dates stay in the page for readers without JavaScript; the status
// compares them with today's date in China, since the period is counted in China's calendar
// days wherever the reader is.
const today = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
}).format(new Date());  // en-CA writes YYYY-MM-DD, comparable with the data-* dates as text

const DAY = 24 * 60 * 60 * 1000;

for (const period of document.querySelectorAll(".gk-notice-period[data-start][data-end]")) {
  const { start, end } = period.dataset;
  let state;
  let text;
  if (today < start) {
    state = "pending";
    text = "尚未开始";
  } else if (today > end) {
    state = "closed";
    text = "已结束";
  } else {
    state = "open";
    const daysLeft = Math.round((Date.parse(end) - Date.parse(today)) / DAY) + 1;
    text = `公示中（含今天还有 ${daysLeft} 天）`;
  }
  period.dataset.state = state;
  period.querySelector(".gk-notice-period__status").textContent = text;
}
