// Accessibility on every page: the 长者模式 switch, and keyboard access to scrolling tables.

// 长者模式 (适老化): the header's switch toggles the `gk-care` class on <html> and remembers the
// choice in localStorage. main.html sets the class in <head> before the page is drawn; this
// script only keeps the button's aria-pressed in step and handles clicks (Enter and Space
// work too, as it is a <button>).
const STORAGE_KEY = "gk-care";
const root = document.documentElement;
const button = document.getElementById("gk-care-toggle");

// When on, the switch says how to leave the mode: an older reader who turned it on by
// accident must be able to read how to turn it off.
function showState() {
  const on = root.classList.contains("gk-care");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "退出长者模式" : "长者模式";
}

if (button) {
  button.addEventListener("click", () => {
    const on = root.classList.toggle("gk-care");
    try {
      if (on) {
        localStorage.setItem(STORAGE_KEY, "on");
      } else {
        localStorage.removeItem(STORAGE_KEY);
      }
    } catch (error) {
      // Storage may be off (private mode, strict settings): the mode then lasts one page.
    }
    showState();
  });
  showState();
}

// Material wraps Markdown tables in a scrolling box; a keyboard user can scroll it only if it
// can take focus (WCAG 2.1.1). Material makes the boxes in its own script, once per page it
// shows (`document$`), so this runs after it. Named after the table's caption or first heading.
function focusableScrollBoxes() {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    const table = box.querySelector("table");
    const name = table?.caption?.textContent || table?.querySelector("th")?.textContent || "表格";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name.trim());
  }
}

if (window.document$) {
  window.document$.subscribe(focusableScrollBoxes);
} else {
  focusableScrollBoxes();
}

// The entry pages' toolbar: 打印, and 字号 大/中/小 remembered like 长者模式 (main.html applies
// the stored size in <head>). Without this script the toolbar stays hidden: its buttons
// would do nothing.
const SIZE_KEY = "gk-size";
const SIZES = ["large", "medium", "small"];

function showSize(toolbar) {
  const current = SIZES.find((size) => root.classList.contains(`gk-size-${size}`)) ?? "medium";
  for (const choice of toolbar.querySelectorAll("[data-gk-size]")) {
    choice.setAttribute("aria-pressed", String(choice.dataset.gkSize === current));
  }
}

for (const toolbar of document.querySelectorAll(".gk-toolbar")) {
  toolbar.querySelector("[data-gk-print]")?.addEventListener("click", () => window.print());
  for (const choice of toolbar.querySelectorAll("[data-gk-size]")) {
    choice.addEventListener("click", () => {
      const size = choice.dataset.gkSize;
      for (const other of SIZES) root.classList.remove(`gk-size-${other}`);
      if (size !== "medium") root.classList.add(`gk-size-${size}`);
      try {
        if (size === "medium") localStorage.removeItem(SIZE_KEY);
        else localStorage.setItem(SIZE_KEY, size);
      } catch (error) {
        // Storage off: the size lasts this page only.
      }
      showSize(toolbar);
    });
  }
  showSize(toolbar);
  toolbar.hidden = false;
}
